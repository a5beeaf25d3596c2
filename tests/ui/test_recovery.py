"""Autosave and recovery in the window: the journal follows typing, saving clears it, restore works."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from editor.fileformat import dump_markdown
from editor.model import Article
from editor.recovery import ProcessStamp, RecoveryJournal
from editor.ui.dialogs import SaveChoice
from editor.ui.document import ArticleDocument
from editor.ui.main_window import MainWindow
from editor.ui.recovery import AutosaveController, recovery_folder
from editor.ui.recovery_dialog import RecoveryChoice, RecoveryDialog

from .conftest import OFFSCREEN_NOISE

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def entries() -> list:
    return RecoveryJournal(recovery_folder()).entries()


def write_article(folder: Path, name: str = "story.md", body: str = "The first line.\n") -> Path:
    path = folder / name
    path.write_text(f"---\ntitle: A story\n---\n{body}", encoding="utf-8")
    return path


def crashed_run_journal() -> RecoveryJournal:
    """The journal as an editor that has since been killed wrote it."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return RecoveryJournal(recovery_folder(),
                           stamp=ProcessStamp(process.pid, None, ProcessStamp.current().boot))


def type_at_end(qtbot, window: MainWindow, text: str) -> None:
    editor = window.current_editor()
    qtbot.keyClick(editor, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, text)


# -- autosave ---------------------------------------------------------------------------------

def test_journal_is_in_the_user_data_location(user_data_home: Path) -> None:
    assert recovery_folder().is_relative_to(user_data_home)
    assert recovery_folder().name == "recovery"


def test_typing_writes_the_journal_within_five_seconds(window, qtbot, tmp_path):
    path = write_article(tmp_path)
    window.workspace.open_paths([path])
    type_at_end(qtbot, window, "Typed words.")
    typed_at = time.monotonic()
    # Off the typing path: the keystrokes only started a timer.
    assert entries() == []
    assert window.workspace.autosave.is_pending(window.current_document())
    qtbot.waitUntil(lambda: len(entries()) == 1, timeout=5000)
    assert time.monotonic() - typed_at < 5
    [entry] = entries()
    assert entry.path == path
    assert entry.display_name == "story.md"
    assert entry.text == "---\ntitle: A story\n---\nThe first line.\nTyped words."
    assert path.read_text("utf-8").endswith("The first line.\n")  # the file is not touched


def test_untitled_tabs_are_journalled_too(window, qtbot):
    window.workspace.new_document()
    qtbot.keyClicks(window.current_editor(), "Never saved.")
    qtbot.waitUntil(lambda: len(entries()) == 1, timeout=5000)
    assert entries()[0].path is None
    assert entries()[0].text == "Never saved."


def test_metadata_edits_are_journalled(window, qtbot, tmp_path):
    window.workspace.open_paths([write_article(tmp_path)])
    window.current_document().update_metadata(title="A new headline")
    qtbot.waitUntil(lambda: len(entries()) == 1, timeout=5000)
    assert "title: A new headline" in entries()[0].text


def test_one_entry_per_tab(window, qtbot, tmp_path):
    window.workspace.open_paths([write_article(tmp_path, "a.md"), write_article(tmp_path, "b.md")])
    for index in range(2):
        window.tabs.setCurrentIndex(index)
        type_at_end(qtbot, window, f" edit {index}")
    qtbot.waitUntil(lambda: len(entries()) == 2, timeout=5000)
    assert sorted(entry.display_name for entry in entries()) == ["a.md", "b.md"]


def test_saving_removes_the_entry(window, qtbot, tmp_path):
    window.workspace.open_paths([write_article(tmp_path)])
    type_at_end(qtbot, window, " more")
    qtbot.waitUntil(lambda: len(entries()) == 1, timeout=5000)
    assert window.workspace.save_document(window.current_document())
    window.workspace.autosave.wait()
    assert entries() == []


def test_saving_before_the_timer_fires_leaves_no_entry(window, qtbot, tmp_path):
    window.workspace.open_paths([write_article(tmp_path)])
    type_at_end(qtbot, window, " more")
    assert window.workspace.autosave.is_pending(window.current_document())
    assert window.workspace.save_document(window.current_document())
    assert not window.workspace.autosave.is_pending(window.current_document())  # no write will come
    window.workspace.autosave.wait()
    assert entries() == []


def test_undo_back_to_the_saved_text_removes_the_entry(window, qtbot, tmp_path):
    window.workspace.open_paths([write_article(tmp_path)])
    type_at_end(qtbot, window, " more")
    qtbot.waitUntil(lambda: len(entries()) == 1, timeout=5000)
    window.undo_group.undo()
    assert not window.current_document().is_modified()
    window.workspace.autosave.wait()
    assert entries() == []


def test_closing_a_tab_without_saving_discards_the_entry(window, qtbot, answers, tmp_path):
    window.workspace.open_paths([write_article(tmp_path)])
    type_at_end(qtbot, window, " more")
    qtbot.waitUntil(lambda: len(entries()) == 1, timeout=5000)
    answers.unsaved_choice = SaveChoice.DISCARD
    assert window.close_tab(0)
    window.workspace.autosave.wait()
    assert entries() == []


def test_cancelled_close_keeps_the_entry(window, qtbot, answers, tmp_path):
    window.workspace.open_paths([write_article(tmp_path)])
    type_at_end(qtbot, window, " more")
    qtbot.waitUntil(lambda: len(entries()) == 1, timeout=5000)
    answers.unsaved_choice = SaveChoice.CANCEL
    assert not window.close_tab(0)
    window.workspace.autosave.wait()
    assert len(entries()) == 1


def test_quitting_cleanly_leaves_nothing_to_recover(window, qtbot, answers, tmp_path):
    window.workspace.open_paths([write_article(tmp_path)])
    type_at_end(qtbot, window, " more")
    qtbot.waitUntil(lambda: len(entries()) == 1, timeout=5000)
    answers.unsaved_choice = SaveChoice.DISCARD
    assert window.close()
    assert entries() == []


def test_typing_without_a_pause_is_still_journalled(qtbot):
    # Short intervals keep the test quick; the window uses 1.5 s and 4.5 s.
    controller = AutosaveController(RecoveryJournal(recovery_folder()), idle_ms=300,
                                    max_wait_ms=800)
    document = ArticleDocument()
    controller.watch(document)
    started = time.monotonic()
    written_while_typing = False
    while time.monotonic() - started < 2.0:
        document.replace_body_range(len(document.body()), len(document.body()), "x")
        qtbot.wait(100)  # never the 300 ms pause the idle timer waits for
        controller.wait()
        if entries():
            written_while_typing = True
            break
    assert written_while_typing
    controller.forget(document)
    controller.shutdown()


def test_autosave_failure_is_reported_in_the_status_bar(window, qtbot, user_data_home):
    folder = recovery_folder()
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("a file where the journal folder should be")
    window.workspace.new_document()
    qtbot.keyClicks(window.current_editor(), "Words")
    qtbot.waitUntil(lambda: "Autosave failed" in window.statusBar().currentMessage(),
                    timeout=5000)
    assert "recovery folder" in window.statusBar().currentMessage()


class JournalFailingOnce(RecoveryJournal):
    """A journal whose first write meets an error of a kind nobody expected."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.failures_left = 1

    def write(self, *args, **kwargs) -> Path:  # type: ignore[no-untyped-def]
        if self.failures_left:
            self.failures_left -= 1
            raise RuntimeError("the disk driver hiccupped")
        return super().write(*args, **kwargs)


def test_any_autosave_failure_is_reported_once_and_the_journal_keeps_working(qtbot):
    controller = AutosaveController(JournalFailingOnce(recovery_folder()), idle_ms=50,
                                    max_wait_ms=200)
    messages: list[str] = []
    controller.failed.connect(messages.append)
    document = ArticleDocument()
    controller.watch(document)
    with qtbot.waitSignal(controller.failed, timeout=5000):
        document.replace_body_range(0, 0, "First words.")
    assert messages == ["Autosave failed — unexpected error: RuntimeError: the disk driver hiccupped"]
    with qtbot.waitSignal(controller.entry_written, timeout=5000):
        document.replace_body_range(len(document.body()), len(document.body()), " More.")
    assert [entry.text for entry in entries()] == ["First words. More."]
    assert len(messages) == 1
    controller.forget(document)
    controller.shutdown()  # nothing left in the worker to surface at quit


# -- recovery ---------------------------------------------------------------------------------

def test_nothing_to_recover_shows_no_dialog(window):
    assert window.workspace.offer_recovery() == []


def test_own_entries_are_not_offered(window, qtbot):
    window.workspace.new_document()
    qtbot.keyClicks(window.current_editor(), "Mine, still open")
    qtbot.waitUntil(lambda: len(entries()) == 1, timeout=5000)
    assert window.workspace.offer_recovery() == []  # no dialog: answers.dialog is unset


def test_restore_opens_the_text_marked_unsaved(window, qtbot, answers, tmp_path):
    path = write_article(tmp_path, body="Saved text.\n")
    recovered = "---\ntitle: A story\n---\nSaved text.\nUnsaved sentence.\n"
    journal = crashed_run_journal()
    journal.write("crashedtab", path, "story.md", recovered)
    journal.write("untitledtab", None, "Untitled", "A draft never saved.\n")
    seen: dict = {}

    def restore(dialog: RecoveryDialog) -> bool:
        seen["names"] = [entry.display_name for entry in dialog.entries()]
        dialog.list.setCurrentRow(seen["names"].index("story.md"))
        seen["preview"] = dialog.preview_text()
        seen["items"] = [dialog.list.item(row).text() for row in range(dialog.list.count())]
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
        return dialog.result() == RecoveryDialog.DialogCode.Accepted

    answers.dialog = restore
    restored = window.workspace.offer_recovery()
    assert sorted(seen["names"]) == ["Untitled", "story.md"]
    assert "+Unsaved sentence." in seen["preview"]
    assert any(str(path) in item and "Last change" in item for item in seen["items"])
    assert len(restored) == 2
    by_name = {document.display_name: document for document in restored}
    story = by_name["story.md"]
    assert story.path == path
    assert story.body() == "Saved text.\nUnsaved sentence.\n"
    assert story.is_modified()
    assert "•" in window.tabs.tabText(window.tabs.indexOf(window.tab_for(story)))
    assert by_name["Untitled"].body() == "A draft never saved.\n"
    assert path.read_text("utf-8") == "---\ntitle: A story\n---\nSaved text.\n"
    # The recovered text is journalled again under the new tabs; the old entries are gone.
    window.workspace.autosave.wait()
    ids = {entry.entry_id for entry in entries()}
    assert ids == {window.workspace.autosave.entry_id(document) for document in restored}
    assert "crashedtab" not in ids
    # Saving it clears the journal.
    assert window.workspace.save_document(story)
    window.workspace.autosave.wait()
    assert path.read_text("utf-8") == recovered


def test_restore_only_the_checked_entries(window, answers):
    journal = crashed_run_journal()
    journal.write("one", None, "Untitled", "First draft\n")
    journal.write("two", None, "Untitled", "Second draft\n")

    def restore_first(dialog: RecoveryDialog) -> bool:
        dialog.list.item(1).setCheckState(Qt.CheckState.Unchecked)
        dialog.restore()
        return True

    answers.dialog = restore_first
    [document] = window.workspace.offer_recovery()
    assert document.body() == "First draft\n"


def test_discard_removes_the_entries(window, answers):
    crashed_run_journal().write("tab", None, "Untitled", "Not wanted\n")

    def discard(dialog: RecoveryDialog) -> bool:
        dialog.discard()
        return True

    answers.dialog = discard
    assert window.workspace.offer_recovery() == []
    assert window.documents() == []
    assert entries() == []


def test_decide_later_keeps_the_entries(window, answers):
    crashed_run_journal().write("tab", None, "Untitled", "Maybe later\n")

    def later(dialog: RecoveryDialog) -> bool:
        dialog.later_button.click()
        assert dialog.choice() is RecoveryChoice.LATER
        return False

    answers.dialog = later
    assert window.workspace.offer_recovery() == []
    assert len(entries()) == 1


def test_recovered_crlf_file_is_saved_with_crlf(window, answers, tmp_path):
    path = tmp_path / "windows.md"
    path.write_bytes(b"---\r\ntitle: T\r\n---\r\nLine\r\n")
    article = Article(title="T", body="Line\nRecovered line\n")
    crashed_run_journal().write("tab", path, "windows.md", dump_markdown(article), newline="\r\n")
    answers.dialog = lambda dialog: dialog.restore() or True
    [document] = window.workspace.offer_recovery()
    assert window.workspace.save_document(document)
    assert path.read_bytes() == b"---\r\ntitle: T\r\n---\r\nLine\r\nRecovered line\r\n"


def test_recovered_text_with_broken_front_matter_opens_whole(window, answers):
    text = "---\ntitle: [broken\n---\nBody kept\n"
    crashed_run_journal().write("tab", None, "Untitled", text)
    answers.dialog = lambda dialog: dialog.restore() or True
    [document] = window.workspace.offer_recovery()
    assert document.body() == text
    assert document.is_modified()
    assert "could not be read" in window.statusBar().currentMessage()


def test_restore_replaces_an_untouched_tab_of_the_same_file(window, answers, tmp_path):
    path = write_article(tmp_path, body="On disk.\n")
    window.workspace.open_paths([path])
    crashed_run_journal().write("tab", path, "story.md",
                                "---\ntitle: A story\n---\nOn disk.\nRecovered.\n")
    answers.dialog = lambda dialog: dialog.restore() or True
    [document] = window.workspace.offer_recovery()
    assert len(window.documents()) == 1
    assert document.body() == "On disk.\nRecovered.\n"
    assert document.is_modified()
