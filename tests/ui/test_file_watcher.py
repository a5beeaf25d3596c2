"""Files changed or deleted by another program while open: reload, ask, or keep the text."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from editor.ui.dialogs import ExternalChoice
from editor.ui.file_watcher import CompareDialog
from editor.ui.main_window import MainWindow

from .conftest import OFFSCREEN_NOISE

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

ORIGINAL = "---\ntitle: Watched\n---\nFirst paragraph of the story.\n\nSecond paragraph.\n"
CHANGED = ("---\ntitle: Watched, edited elsewhere\n---\nFirst paragraph of the story.\n\n"
           "Second paragraph, rewritten by a colleague.\n\nA third one.\n")


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "watched.md"
    path.write_text(ORIGINAL, encoding="utf-8")
    return path


class Questions:
    """The "changed on disk" questions asked, answered with the choices a test queued."""

    def __init__(self) -> None:
        self.choices: list[ExternalChoice] = []
        self.questions: list[str] = []

    def append(self, choice: ExternalChoice) -> None:
        self.choices.append(choice)

    def __call__(self, document) -> ExternalChoice:  # type: ignore[no-untyped-def]
        self.questions.append(document.display_name)
        return self.choices.pop(0)


@pytest.fixture
def asked(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> Questions:
    questions = Questions()
    monkeypatch.setattr(window.dialogs, "ask_external_change", questions)
    return questions


def write_elsewhere(path: Path, text: str) -> None:
    """Another program saves in place (truncate and write)."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write(text)


def write_elsewhere_atomically(path: Path, text: str) -> None:
    """Another program saves as careful editors do: a new file renamed over the old one."""
    temp = path.with_name(path.name + ".new")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def events_checked(qtbot, window: MainWindow, folder: Path) -> None:
    """Wait until the watcher has checked every file event so far.

    A file made in the watched folder is one more event, queued behind the others; the check
    it starts sees them all.
    """
    with qtbot.waitSignal(window.workspace.file_watcher.checked, timeout=5000):
        (folder / "sentinel.txt").write_text(str(os.urandom(8)), encoding="utf-8")


def open_story(window: MainWindow, story: Path):  # type: ignore[no-untyped-def]
    [document] = window.workspace.open_paths([story])
    assert window.workspace.file_watcher.is_watching(document)
    return document


def test_change_with_no_unsaved_edits_reloads_keeping_the_cursor(window, qtbot, story):
    document = open_story(window, story)
    editor = window.current_editor()
    cursor = editor.textCursor()
    cursor.setPosition(12)
    editor.setTextCursor(cursor)
    write_elsewhere(story, CHANGED)
    qtbot.waitUntil(lambda: "rewritten by a colleague" in document.body(), timeout=5000)
    assert document.metadata().title == "Watched, edited elsewhere"
    assert window.current_editor().textCursor().position() == 12
    assert not document.is_modified()
    assert "Reloaded watched.md" in window.statusBar().currentMessage()


def test_atomic_saves_by_another_program_are_noticed_every_time(window, qtbot, story):
    document = open_story(window, story)
    write_elsewhere_atomically(story, CHANGED)
    qtbot.waitUntil(lambda: "A third one." in document.body(), timeout=5000)
    # The watch on the replaced file was lost with it; the window watches the new one.
    write_elsewhere_atomically(story, ORIGINAL + "\nFourth change.\n")
    qtbot.waitUntil(lambda: "Fourth change." in document.body(), timeout=5000)
    assert not document.is_modified()


def test_our_own_save_is_not_reported_and_later_changes_still_are(window, qtbot, story, asked):
    document = open_story(window, story)
    qtbot.keyClick(window.current_editor(), Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.current_editor(), "Mine.")
    assert window.workspace.save_document(document)
    events_checked(qtbot, window, story.parent)  # the watcher's events for our save
    assert asked.questions == []
    assert "Reloaded" not in window.statusBar().currentMessage()
    assert document.body().endswith("Mine.")
    write_elsewhere(story, CHANGED)
    qtbot.waitUntil(lambda: "A third one." in document.body(), timeout=5000)
    assert asked.questions == []  # no unsaved edits: reloaded without asking


def test_touch_without_a_change_is_ignored(window, qtbot, story, asked):
    document = open_story(window, story)
    qtbot.keyClicks(window.current_editor(), "Unsaved ")
    os.utime(story, None)
    write_elsewhere(story, ORIGINAL)  # the same bytes again
    events_checked(qtbot, window, story.parent)
    assert asked.questions == []
    assert document.body().startswith("Unsaved ")


def test_change_with_unsaved_edits_asks_and_keep_mine_keeps_them(window, qtbot, story, asked):
    document = open_story(window, story)
    qtbot.keyClicks(window.current_editor(), "My unsaved words. ")
    asked.append(ExternalChoice.KEEP_MINE)
    write_elsewhere(story, CHANGED)
    qtbot.waitUntil(lambda: asked.questions == ["watched.md"], timeout=5000)
    assert document.body().startswith("My unsaved words. First paragraph")
    assert document.is_modified()
    assert "Kept your version" in window.statusBar().currentMessage()
    events_checked(qtbot, window, story.parent)
    assert asked.questions == ["watched.md"]  # asked once, not again for the same change


def test_change_with_unsaved_edits_reload_takes_the_file(window, qtbot, story, asked):
    document = open_story(window, story)
    qtbot.keyClicks(window.current_editor(), "My unsaved words. ")
    asked.append(ExternalChoice.RELOAD)
    write_elsewhere(story, CHANGED)
    qtbot.waitUntil(lambda: "A third one." in document.body(), timeout=5000)
    assert not document.body().startswith("My unsaved words.")
    assert not document.is_modified()


def test_compare_shows_both_versions_then_reloads(window, qtbot, answers, story, asked):
    document = open_story(window, story)
    qtbot.keyClicks(window.current_editor(), "My unsaved words. ")
    asked.append(ExternalChoice.COMPARE)
    shown: list[str] = []

    def compare(dialog: CompareDialog) -> bool:
        shown.append(dialog.diff_text())
        qtbot.mouseClick(dialog.reload_button, Qt.MouseButton.LeftButton)
        return True

    answers.dialog = compare
    write_elsewhere(story, CHANGED)
    qtbot.waitUntil(lambda: "A third one." in document.body(), timeout=5000)
    [diff] = shown
    assert "+My unsaved words. First paragraph of the story." in diff
    assert "-Second paragraph, rewritten by a colleague." in diff
    assert "(on disk)" in diff and "(yours, unsaved)" in diff


def test_compare_then_keep_mine(window, qtbot, answers, story, asked):
    document = open_story(window, story)
    qtbot.keyClicks(window.current_editor(), "Mine. ")
    asked.append(ExternalChoice.COMPARE)
    answers.dialog = lambda dialog: dialog.keep_button.click() or False
    write_elsewhere(story, CHANGED)
    qtbot.waitUntil(lambda: asked.questions == ["watched.md"], timeout=5000)
    events_checked(qtbot, window, story.parent)
    assert document.body().startswith("Mine. ")
    assert document.is_modified()


def test_deleted_file_keeps_its_text_marked_unsaved(window, qtbot, story, answers):
    document = open_story(window, story)
    body = document.body()
    story.unlink()
    qtbot.waitUntil(document.is_modified, timeout=5000)
    assert document.body() == body
    assert "deleted or moved" in window.statusBar().currentMessage()
    assert answers.errors == []
    tab_text = window.tabs.tabText(window.tabs.indexOf(window.tab_for(document)))
    assert "•" in tab_text
    # Saving writes it again, and the file is watched again.
    assert window.workspace.save_document(document)
    assert story.read_text("utf-8") == ORIGINAL
    write_elsewhere(story, CHANGED)
    qtbot.waitUntil(lambda: "A third one." in document.body(), timeout=5000)


def test_file_changed_into_something_unreadable_keeps_the_text(window, qtbot, story, answers):
    document = open_story(window, story)
    body = document.body()
    story.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    qtbot.waitUntil(lambda: bool(answers.errors), timeout=5000)
    [(title, message)] = answers.errors
    assert title == "Cannot reload the file"
    assert "binary" in message and "Your text is kept" in message
    assert document.body() == body
    assert document.is_modified()


def test_file_changed_to_broken_front_matter_keeps_the_text(window, qtbot, story, answers):
    document = open_story(window, story)
    write_elsewhere(story, "---\ntitle: [unclosed\n---\nBody\n")
    qtbot.waitUntil(lambda: bool(answers.errors), timeout=5000)
    assert "watched.md:2" in answers.errors[0][1]
    assert document.body() == "First paragraph of the story.\n\nSecond paragraph.\n"
    assert document.is_modified()


def turn_into_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


# The file becomes something the editor cannot open, and what the user is told about it.
UNREADABLE = {
    "binary": (lambda path: path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8),
               "binary file"),
    "invalid UTF-8": (lambda path: path.write_bytes("---\ntitle: Café\n---\nNaïve\n".encode("cp1252")),
                      "not valid UTF-8"),
    "a folder": (turn_into_folder, "this is a folder"),
    "broken front matter": (lambda path: write_elsewhere(path, "---\ntitle: [unclosed\n---\nBody\n"),
                            "watched.md:2"),
}


@pytest.mark.parametrize("change", UNREADABLE)
def test_unreadable_change_without_edits_says_why_and_keeps_the_text(window, qtbot, story,
                                                                       answers, change):
    document = open_story(window, story)
    body = document.body()
    make_unreadable, reason = UNREADABLE[change]
    make_unreadable(story)
    qtbot.waitUntil(lambda: bool(answers.errors), timeout=5000)
    [(title, message)] = answers.errors
    assert title == "Cannot reload the file"
    assert reason in message and "Your text is kept" in message
    assert window.current_editor().toPlainText() == body
    assert document.is_modified()


@pytest.mark.parametrize("change", UNREADABLE)
def test_unreadable_change_with_edits_compares_says_why_and_keeps_the_text(
        window, qtbot, story, answers, asked, change):
    document = open_story(window, story)
    qtbot.keyClicks(window.current_editor(), "My unsaved words. ")
    body = document.body()
    asked.append(ExternalChoice.COMPARE)
    shown: list[str] = []

    def compare_then_reload(dialog: CompareDialog) -> bool:
        shown.append(dialog.diff_text())
        qtbot.mouseClick(dialog.reload_button, Qt.MouseButton.LeftButton)
        return True

    answers.dialog = compare_then_reload
    make_unreadable, reason = UNREADABLE[change]
    make_unreadable(story)
    qtbot.waitUntil(lambda: bool(answers.errors), timeout=5000)
    [diff] = shown
    if change == "broken front matter":  # readable text: the two versions are compared
        assert "+My unsaved words. First paragraph of the story." in diff
    else:  # the whole message, naming the file, where the disk version would be
        assert f"(the file cannot be read: {story}" in diff and reason in diff
    [(title, message)] = answers.errors
    assert title == "Cannot reload the file" and reason in message
    assert window.current_editor().toPlainText() == body
    assert document.is_modified()


def test_only_the_changed_tab_is_touched(window, qtbot, story, tmp_path):
    other_path = tmp_path / "other.md"
    other_path.write_text("Other article.\n", encoding="utf-8")
    document = open_story(window, story)
    [other] = window.workspace.open_paths([other_path])
    write_elsewhere(story, CHANGED)
    qtbot.waitUntil(lambda: "A third one." in document.body(), timeout=5000)
    assert other.body() == "Other article.\n"
    assert not other.is_modified()


def test_closed_tabs_are_no_longer_watched(window, story):
    open_story(window, story)
    assert str(story) in window.workspace.file_watcher.watched_paths()
    window.close_tab(0)
    assert window.workspace.file_watcher.watched_paths() == []
