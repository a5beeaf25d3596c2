"""Pasting into the body as a writer does, with Ctrl+V and Ctrl+Shift+V: rich text from
Chrome, Firefox, Word and Google Docs as clean Markdown in one undo step, a web address over
selected words as a link, an image saved beside the article."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QColor, QImage, QTextCursor
from PySide6.QtWidgets import QApplication

from editor.model import Article
from editor.ui.document import ArticleDocument
from editor.ui.editor import BodyEditor

from .conftest import OFFSCREEN_NOISE

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
CLIPS = Path(__file__).resolve().parents[1] / "data" / "clipboard"
CONTROL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def document() -> ArticleDocument:
    return ArticleDocument(Article(title="T", body="First paragraph.\n"))


@pytest.fixture
def editor(qtbot, document: ArticleDocument, tmp_path: Path) -> BodyEditor:  # type: ignore[no-untyped-def]
    widget = BodyEditor()
    widget.bind(document.text_document, document.undo_stack)
    widget.base_dir = tmp_path
    qtbot.addWidget(widget)
    widget.resize(600, 400)
    widget.show()
    widget.setFocus()
    widget.moveCursor(QTextCursor.MoveOperation.End)
    return widget


def put_on_clipboard(html: str | None = None, text: str | None = None,
                     image: QImage | None = None) -> None:
    """What an application puts on the clipboard when the user copies."""
    mime = QMimeData()
    if html is not None:
        mime.setHtml(html)
    if text is not None:
        mime.setText(text)
    if image is not None:
        mime.setImageData(image)
    QApplication.clipboard().setMimeData(mime)


def paste(qtbot, editor: BodyEditor, *, plain: bool = False) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(editor, Qt.Key.Key_V, CONTROL | SHIFT if plain else CONTROL)


@pytest.mark.parametrize(("clip", "plain_text", "expected"), [
    ("chrome.html", "What the deal says\nThe agreement has three parts…",
     "## What the deal says\n\nThe agreement has **three parts**, according to the "
     "[union's statement](https://example.org/union/statement?id=7).\n\n- a 6 percent raise "
     "over two years;\n- new shift patterns.\n\n> We held the line, and it paid off."),
    ("firefox.html", "The numbers\nYear\tRaise…",
     "### The numbers\n\n| Year | Raise |\n| --- | --- |\n| 2024 | 3% |\n| 2025 | 3% |\n\n"
     "Figures: [port authority](https://stats.example/ports).\n\n1. Vote on Wednesday\n"
     "2. Return on Thursday"),
    ("word.html", "Ferry fares to rise\nThe company said…",
     "## Ferry fares to rise\n\nThe company said on **Monday** that fares will rise *from "
     "April*, in a [statement](https://ferries.example/news?lang=en).\n\n- Adult returns\n"
     "    - peak season\n- Cars\n\n1. Book online\n2. Print the ticket"),
    ("google_docs.html", "Budget talks stall\nThe council's budget talks…",
     "# Budget talks stall\n\nThe council's **budget talks** stalled on *Tuesday*, see "
     "[the budget papers](https://example.org/budget?page=2).\n\n- Schools\n    - primary\n"
     "- Roads"),
])
def test_rich_text_pastes_as_clean_markdown_in_one_undo_step(
    qtbot, editor: BodyEditor, document: ArticleDocument, clip: str, plain_text: str,
    expected: str,
) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    put_on_clipboard((CLIPS / clip).read_text("utf-8"), plain_text)
    paste(qtbot, editor)
    assert document.body() == f"First paragraph.\n\n{expected}"
    assert "docs-internal-guid" not in document.body() and "utm_" not in document.body()
    document.undo_stack.undo()
    assert document.body() == "First paragraph.\n\n"


def test_a_phrase_pasted_inside_a_sentence_stays_in_it(qtbot, editor, document) -> None:  # type: ignore[no-untyped-def]
    cursor = editor.textCursor()
    cursor.setPosition(len("First "))
    editor.setTextCursor(cursor)
    put_on_clipboard((CLIPS / "chrome_windows.html").read_text("utf-8"), "Ships waited…")
    paste(qtbot, editor)
    assert document.body() == (
        "First Ships waited *nine days* outside the harbour, "
        "[port data](https://news.example/port?ref=home) shows.paragraph.\n")


def test_ctrl_shift_v_pastes_plain_text(qtbot, editor, document) -> None:  # type: ignore[no-untyped-def]
    put_on_clipboard("<p><b>Bold</b> words</p>", " Bold words *as typed*")
    paste(qtbot, editor, plain=True)
    assert document.body() == "First paragraph.\n Bold words *as typed*"
    document.undo_stack.undo()
    assert document.body() == "First paragraph.\n"


def test_text_copied_in_the_editor_pastes_back_as_written(qtbot, editor, document) -> None:  # type: ignore[no-untyped-def]
    document.text_document.setPlainText("Some **bold** and a_b.\n")
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_C, CONTROL)
    editor.moveCursor(QTextCursor.MoveOperation.End)
    paste(qtbot, editor)
    assert document.body() == "Some **bold** and a_b.\nSome **bold** and a_b.\n"


def test_a_url_pasted_over_selected_words_makes_a_link(qtbot, editor, document) -> None:  # type: ignore[no-untyped-def]
    cursor = editor.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(len("First"), QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    put_on_clipboard(text="https://example.org/first?utm_source=x&fbclid=y")
    paste(qtbot, editor)
    assert document.body() == "[First](https://example.org/first) paragraph.\n"
    document.undo_stack.undo()
    assert document.body() == "First paragraph.\n"


def test_a_pasted_image_is_saved_beside_the_article_with_its_alt_text(
    qtbot, editor, document, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    asked: list[bool] = []
    monkeypatch.setattr(editor, "ask_image_alt",
                        lambda: asked.append(True) or "Chart of ferry fares since 2015")
    image = QImage(40, 20, QImage.Format.Format_RGB32)
    image.fill(QColor("teal"))
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    put_on_clipboard(image=image)
    paste(qtbot, editor)
    assert asked == [True]
    [saved] = (tmp_path / "images").iterdir()
    assert QImage(str(saved)).size() == image.size()
    assert document.body() == (
        f"First paragraph.\n\n![Chart of ferry fares since 2015](images/{saved.name})")


def test_cancelling_the_alt_text_pastes_nothing(qtbot, editor, document, tmp_path,
                                               monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(editor, "ask_image_alt", lambda: None)
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    put_on_clipboard(image=image)
    paste(qtbot, editor)
    assert document.body() == "First paragraph.\n"
    assert not (tmp_path / "images").exists()
