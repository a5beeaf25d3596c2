"""Every way of opening a file survives hostile files: a clear message, no crash, and the
article already open (with unsaved edits) is left exactly as it was."""

from __future__ import annotations

import codecs
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from editor.ui.main_window import MainWindow

from .conftest import OFFSCREEN_NOISE, file_drop, write_article

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

RUNNING_AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@dataclass(frozen=True)
class Hostile:
    """A hostile file: how to make it, and words the message must hold."""

    name: str
    make: Callable[[Path], None]
    message: tuple[str, ...]


def _bytes(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def _huge(path: Path) -> None:
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # 50 MB (sparse: quick to make)


def _folder(path: Path) -> None:
    path.mkdir()


def _broken_link(path: Path) -> None:
    path.symlink_to(path.with_name("deleted-long-ago.md"))


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _nothing(path: Path) -> None:
    pass


def _laughs(path: Path) -> None:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    path.write_text("---\n" + "\n".join(lines) + "\n---\nx\n", encoding="utf-8")


HOSTILE = [
    Hostile("image.md", _bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16), ("binary",)),
    Hostile("nul.md", _bytes(b"Some text\x00with a NUL\n"), ("binary",)),
    Hostile("huge.md", _huge, ("50 MB", "up to 8 MB")),
    Hostile("bad-yaml.md", _bytes(b"---\ntitle: [unclosed\nauthor: X\n---\nBody\n"),
            ("bad-yaml.md:3", "not valid YAML")),
    Hostile("unclosed.md", _bytes(b"---\ntitle: Never closed\nBody\n"), ("never closed",)),
    Hostile("list-front-matter.md", _bytes(b"---\n- a\n- b\n---\nBody\n"), ("mapping",)),
    Hostile("related-string.md", _bytes(b"---\ntitle: T\nrelated: just a string\n---\nB\n"),
            ("related-string.md:3", "'related'", "list of cards")),
    Hostile("tags-mapping.md", _bytes(b"---\ntags: {a: 1}\n---\nB\n"), ("'tags'",)),
    Hostile("loop.md", _bytes(b"---\nloop: &a [*a]\n---\nB\n"), ("refers to itself",)),
    Hostile("laughs.md", _laughs, ("too large",)),
    Hostile("python-tag.md", _bytes(b"---\na: !!python/object/apply:os.system [ls]\n---\nB\n"),
            ("not valid YAML",)),
    Hostile("folder.md", _folder, ("folder",)),
    Hostile("broken-link.md", _broken_link, ("link", "no longer exists")),
    Hostile("missing.md", _nothing, ("no such file",)),
    Hostile("report.pdf", _bytes(b"%PDF-1.7\n"), ("not an article file",)),
    Hostile("archive.zip", _bytes(b"PK\x03\x04" + bytes(100)), ("not an article file",)),
    Hostile("damaged.docx", _bytes(b"PK\x03\x04" + bytes(100)), ("Word document is damaged",)),
    Hostile("pipe.md", _fifo, ("not a regular file",)),
]


@pytest.fixture
def other(window: MainWindow, qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    """An article already open, with unsaved edits, that nothing may disturb."""
    path = tmp_path / "already-open.md"
    path.write_text("---\ntitle: Open\n---\nOpen text.\n", encoding="utf-8")
    [document] = window.workspace.open_paths([path])
    qtbot.keyClicks(window.current_editor(), "Unsaved. ")
    return document


def assert_untouched(window: MainWindow, other) -> None:  # type: ignore[no-untyped-def]
    assert window.documents() == [other]
    assert window.current_document() is other
    assert other.body() == "Unsaved. Open text.\n"
    assert other.is_modified()
    assert other.metadata().title == "Open"


def make(hostile: Hostile, folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / hostile.name
    hostile.make(path)
    return path


@pytest.mark.parametrize("hostile", HOSTILE, ids=[h.name for h in HOSTILE])
def test_open_path_refuses_with_a_message(window, answers, other, tmp_path, hostile):
    path = make(hostile, tmp_path / "hostile")
    started = time.monotonic()
    assert window.workspace.open_path(path) is None
    assert time.monotonic() - started < 1.0  # refused at once: the window never freezes
    [(title, message)] = answers.errors
    assert title == "Cannot open the file"
    assert str(path) in message
    for words in hostile.message:
        assert words in message
    assert "Traceback" not in message
    assert_untouched(window, other)


@pytest.mark.parametrize("hostile", HOSTILE, ids=[h.name for h in HOSTILE])
def test_drop_refuses_with_a_message(window, answers, other, tmp_path, hostile):
    path = make(hostile, tmp_path / "hostile")
    file_drop(window.current_tab().editor.viewport(), [path])
    [(_title, message)] = answers.errors
    for words in hostile.message:
        assert words in message
    assert_untouched(window, other)


def test_command_line_open_of_many_files_opens_the_good_ones(window, answers, tmp_path):
    folder = tmp_path / "hostile"
    paths = [make(hostile, folder) for hostile in HOSTILE[:5]]
    good = folder / "good.md"
    good.write_text("Good.\n", encoding="utf-8")
    opened = window.workspace.open_paths([str(path) for path in [*paths, good]])
    assert [document.display_name for document in opened] == ["good.md"]
    [(title, message)] = answers.errors  # one summary, not five messages
    assert title == "Cannot open the files"
    assert "5 files could not be opened (1 other file opened)" in message
    for path in paths:
        assert str(path) in message


def test_dropping_five_files_of_which_four_are_unreadable_shows_one_summary(
    window, answers, other, tmp_path
):
    folder = tmp_path / "dropped"
    bad = [make(hostile, folder) for hostile in (HOSTILE[0], HOSTILE[1], HOSTILE[3], HOSTILE[4])]
    readable = write_article(folder, "readable.md", "Readable at last.\n", title="Readable")
    file_drop(window.current_tab().editor.viewport(), [bad[0], bad[1], readable, bad[2], bad[3]])
    assert window.current_tab().document.display_name == "readable.md"
    [(title, message)] = answers.errors
    assert title == "Cannot open the files"
    lines = [line for line in message.splitlines() if line.startswith("• ")]
    reasons = [line.removeprefix("• ") for line in lines]
    assert [reason.split(":")[0] for reason in reasons] == list(map(str, bad))
    assert "binary" in reasons[0] and "binary" in reasons[1]
    assert "not valid YAML" in reasons[2] and "never closed" in reasons[3]


def test_open_dialog_refuses_with_a_message(window, answers, other, tmp_path):
    answers.open_paths = [make(HOSTILE[0], tmp_path / "hostile")]
    window.workspace.open_with_dialog()
    assert "binary" in answers.errors[0][1]
    assert_untouched(window, other)


def test_recent_file_that_went_missing(window, answers, other, tmp_path):
    path = tmp_path / "gone.md"
    path.write_text("Soon gone.\n", encoding="utf-8")
    window.settings.add_recent_file(path)
    path.unlink()
    window.recent_menu.aboutToShow.emit()
    [action] = [action for action in window.recent_menu.actions() if action.data() == str(path)]
    action.trigger()
    assert "no such file" in answers.errors[0][1]
    assert path not in window.settings.recent_files
    assert_untouched(window, other)


@pytest.mark.skipif(RUNNING_AS_ROOT, reason="root reads any file whatever its permissions")
def test_file_without_permission(window, answers, other, tmp_path):
    path = tmp_path / "secret.md"
    path.write_text("Secret.\n", encoding="utf-8")
    path.chmod(0)
    try:
        assert window.workspace.open_path(path) is None
    finally:
        path.chmod(0o600)
    assert "permission" in answers.errors[0][1]
    assert_untouched(window, other)


# -- files that open, with a note ------------------------------------------------------------------

def test_invalid_utf8_declined_opens_nothing(window, answers, other, tmp_path):
    path = tmp_path / "legacy.md"
    path.write_bytes("---\ntitle: Café\n---\nNaïve text.\n".encode("cp1252"))
    answers.legacy_encoding = False
    assert window.workspace.open_path(path) is None
    assert answers.errors == []  # the user said no: nothing more to say
    assert_untouched(window, other)


def test_invalid_utf8_opens_as_cp1252_with_a_visible_note(window, answers, other, tmp_path,
                                                          monkeypatch):
    path = tmp_path / "legacy.md"
    path.write_bytes("---\ntitle: Café\n---\nNaïve text.\n".encode("cp1252"))
    asked: list = []

    def ask(asked_path, error):  # type: ignore[no-untyped-def]
        asked.append((asked_path, error.fallback_encoding, error.line))
        return True

    monkeypatch.setattr(window.dialogs, "ask_legacy_encoding", ask)
    document = window.workspace.open_path(path)
    assert asked == [(path, "cp1252", 2)]
    assert document.metadata().title == "Café"
    assert document.body() == "Naïve text.\n"
    assert "read as cp1252; it will be saved as UTF-8" in window.statusBar().currentMessage()
    assert other.body() == "Unsaved. Open text.\n"
    assert window.workspace.save_document(document)
    assert path.read_text("utf-8") == "---\ntitle: Café\n---\nNaïve text.\n"


def test_bom_and_crlf_open_and_save_as_they_were(window, other, tmp_path, qtbot):
    path = tmp_path / "windows.md"
    data = codecs.BOM_UTF8 + b"---\r\ntitle: Windows\r\n---\r\nLine one\r\nLine two\r\n"
    path.write_bytes(data)
    document = window.workspace.open_path(path)
    assert document.body() == "Line one\nLine two\n"
    assert window.workspace.save_document(document)
    assert path.read_bytes() == data
    qtbot.keyClick(window.current_editor(), Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.current_editor(), "Line three")
    assert window.workspace.save_document(document)
    assert path.read_bytes() == data + b"Line three"


def test_wrong_scalar_types_open_as_text_with_a_note(window, other, tmp_path):
    path = tmp_path / "numbers.md"
    path.write_text("---\ntitle: 1984\nauthor: 42\n---\nBody\n", encoding="utf-8")
    document = window.workspace.open_path(path)
    assert document.metadata().title == "1984"
    assert document.metadata().author == "42"
    assert "'title' was int; read as text" in window.statusBar().currentMessage()


def test_empty_file_opens(window, answers, other, tmp_path):
    path = tmp_path / "empty.md"
    path.write_bytes(b"")
    document = window.workspace.open_path(path)
    assert document is not None and document.body() == ""
    assert answers.errors == []
