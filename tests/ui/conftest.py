"""Fixtures for the window's tests: headless Qt, QtWebEngine ready, settings per test."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QApplication, QWidget

from editor.ui.dialogs import Dialogs, SaveChoice
from editor.ui.main_window import MainWindow
from editor.ui.preview import PreviewView
from editor.ui.settings import Settings
from qt_setup import warm_up_web_engine  # sets Qt up before any QApplication exists

# The offscreen platform says so whenever a window with a toolbar is shown; not ours to fix.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"
SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "samples" / "harbour-bridge.md"


warm_up_web_engine()


@pytest.fixture(autouse=True)
def user_data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's data location (where the recovery journal lives) per test, never the user's."""
    folder = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    return folder


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings in a file of this test's own, never the user's."""
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


class DialogAnswers:
    """What the user answers in the window's dialogs; a test sets what it expects."""

    def __init__(self) -> None:
        self.open_paths: list[Path] = []
        self.save_path: Path | None = None
        self.unsaved_choice = SaveChoice.CANCEL
        self.legacy_encoding = False
        self.errors: list[tuple[str, str]] = []
        self.unsaved_asked: list[str] = []
        self.unsaved_others: list[int] = []  # how many more were unsaved, for each question
        self.dialog: Callable[[Any], bool] | None = None


@pytest.fixture
def answers() -> DialogAnswers:
    return DialogAnswers()


class AnsweredDialogs(Dialogs):
    """The window's questions answered from ``answers``; no modal dialog is ever shown.

    Dialogs the application builds itself (recovery, compare, export) are still built for
    real and handed to ``answers.dialog``, which clicks their buttons.
    """

    def __init__(self, answers: DialogAnswers) -> None:
        super().__init__(None)
        self.answers = answers

    def ask_open_paths(self, folder: Path) -> list[Path]:
        return list(self.answers.open_paths)

    def ask_save_path(self, proposed: Path) -> Path | None:
        return self.answers.save_path

    def ask_unsaved_choice(self, document, others: int = 0) -> SaveChoice:  # type: ignore[no-untyped-def]
        self.answers.unsaved_asked.append(document.display_name)
        self.answers.unsaved_others.append(others)
        return self.answers.unsaved_choice

    def ask_legacy_encoding(self, path, error) -> bool:  # type: ignore[no-untyped-def]
        return self.answers.legacy_encoding

    def show_error(self, title: str, message: str) -> None:
        self.answers.errors.append((title, message))

    def ask_save_failed(self, document, error) -> bool:  # type: ignore[no-untyped-def]
        """A failed save is reported like an error; Save As is not taken."""
        self.answers.errors.append(("Cannot save the article", str(error)))
        return False

    def ask_external_change(self, document):  # type: ignore[no-untyped-def]
        pytest.fail(f"unexpected question: {document.display_name} changed on disk")

    def ask_font(self, current):  # type: ignore[no-untyped-def]
        pytest.fail("an unexpected font dialog was shown")

    def exec_dialog(self, dialog) -> bool:  # type: ignore[no-untyped-def]
        if self.answers.dialog is None:
            pytest.fail("an unexpected dialog was shown")
        return self.answers.dialog(dialog)


@pytest.fixture
def window(qtbot, settings: Settings, answers: DialogAnswers) -> Iterator[MainWindow]:
    """The real window, its questions answered from ``answers``."""
    dialogs = AnsweredDialogs(answers)
    win = MainWindow(settings, dialogs=dialogs)
    dialogs.parent = win  # dialogs built for real sit over the window, as in the application
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    yield win
    for document in win.documents():
        document.mark_saved()
    win.close()
    win.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def tab_texts(window: MainWindow) -> list[str]:
    return [window.tabs.tabText(index) for index in range(window.tabs.count())]


def write_article(folder: Path, name: str, body: str, title: str = "A title") -> Path:
    path = folder / name
    path.write_text(f"---\ntitle: {title}\n---\n{body}", encoding="utf-8")
    return path


def run_js(qtbot, view: PreviewView, script: str, timeout: int = 5000) -> Any:
    """Run ``script`` in the preview's ApplicationWorld and return its result.

    Arrays and objects do not cross back into Python: return ``JSON.stringify(...)`` and read
    it with :func:`run_json`.
    """
    results: list[Any] = []
    view.run_in_preview(script, results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=timeout)
    return results[0]


def run_json(qtbot, view: PreviewView, expression: str) -> Any:
    return json.loads(run_js(qtbot, view, f"JSON.stringify({expression})"))


def wait_preview_ready(qtbot, view: PreviewView, timeout: int = 15000) -> None:
    qtbot.waitUntil(view.is_ready, timeout=timeout)


# The body's top-level blocks, whether a long body's page keeps them in chunks (preview.js) or not.
BODY_BLOCKS = ".article-body > :not([data-preview-chunk]), .article-body > [data-preview-chunk] > *"


def preview_body_html(qtbot, view: PreviewView) -> str:
    """The preview's body as HTML: a short body's DOM exactly; a long one's with its chunks
    (the preview's own layout aid) left out."""
    html = run_js(qtbot, view, "window.__articlePreview.bodyHtml()")
    if not run_js(qtbot, view, "!!document.querySelector('[data-preview-chunk]')"):
        assert run_js(qtbot, view, "document.querySelector('.article-body').innerHTML") == html
    return html


def file_drop(widget: QWidget, paths: list[Path], position: QPoint | None = None) -> bool:
    """Drag files over ``widget`` and drop them, as a file manager does.

    The drag events go to the top-level window, so Qt itself picks the widget under the
    pointer that accepts the drop, exactly as for a real drag. True if the drop was accepted.
    """
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    local = position if position is not None else widget.rect().center()
    top = widget.window()
    point = QPointF(widget.mapTo(top, local))
    handle = top.windowHandle()
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction | Qt.DropAction.LinkAction
    buttons = Qt.MouseButton.LeftButton
    modifiers = Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(point.toPoint(), actions, mime, buttons, modifiers)
    QApplication.sendEvent(handle, enter)
    move = QDragMoveEvent(point.toPoint(), actions, mime, buttons, modifiers)
    QApplication.sendEvent(handle, move)
    drop = QDropEvent(point, actions, mime, buttons, modifiers)
    QApplication.sendEvent(handle, drop)
    return drop.isAccepted()


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """The sample article and its images, copied where a test may change them."""
    folder = tmp_path / "article"
    (folder / "images").mkdir(parents=True)
    for image in (SAMPLE.parent / "images").iterdir():
        (folder / "images" / image.name).write_bytes(image.read_bytes())
    path = folder / SAMPLE.name
    path.write_bytes(SAMPLE.read_bytes())
    return path


def start_window(qtbot, settings: Settings) -> MainWindow:  # type: ignore[no-untyped-def]
    """A window as the application starts one (shown, on screen), for tests that start several."""
    window = MainWindow(settings, dialogs=AnsweredDialogs(DialogAnswers()))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def spell_underlined(document: QTextDocument) -> list[str]:
    """The words drawn with the spell-check underline, as the user sees them."""
    words = []
    block = document.firstBlock()
    while block.isValid():
        for span in block.layout().formats():
            if span.format.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline:
                words.append(block.text()[span.start:span.start + span.length])
        block = block.next()
    return words


LIBRARY_ARCHIVE = Path(__file__).parents[1] / "data" / "library"


@pytest.fixture
def library_file(tmp_path: Path) -> Path:
    """A library file holding the test archive's stories and feeds."""
    from editor.library.sources import index_paths
    from editor.library.sqlite import SqliteLibrary

    path = tmp_path / "library.sqlite3"
    store = SqliteLibrary(path)
    index_paths(store, [LIBRARY_ARCHIVE])
    store.close()
    return path
