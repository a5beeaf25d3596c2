"""The next start reopens the last session; logout and SIGTERM journal the unsaved text."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from editor.recovery import RecoveryJournal
from editor.ui.actions import Action
from editor.ui.main_window import MainWindow
from editor.ui.recovery import recovery_folder
from editor.ui.session_end import SessionEnd

from .conftest import OFFSCREEN_NOISE, start_window, write_article

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def articles(folder: Path) -> list[Path]:
    return [write_article(folder, f"{name}.md", f"The {name} story, told at length.\n")
            for name in ("first", "second", "third")]


def put_cursor(window: MainWindow, index: int, position: int) -> None:
    window.tabs.setCurrentIndex(index)
    editor = window.current_editor()
    cursor = editor.textCursor()
    cursor.setPosition(position)
    editor.setTextCursor(cursor)


def test_the_next_start_reopens_the_tabs_the_tab_in_front_and_each_cursor(
    qtbot, settings, tmp_path
):
    paths = articles(tmp_path)
    first = start_window(qtbot, settings)
    first.workspace.open_paths(paths)
    put_cursor(first, 0, 4)
    put_cursor(first, 2, 9)
    put_cursor(first, 1, 12)  # the tab in front at quit
    first.close()

    second = start_window(qtbot, settings)
    restored = second.workspace.restore_session()
    assert [document.path for document in restored] == paths
    assert [second.tabs.tabText(index) for index in range(3)] == [p.name for p in paths]
    assert second.current_document().path == paths[1]
    positions = [tab.cursor_position() for tab in second.editor_tabs()]
    assert positions == [4, 12, 9]


def test_a_setting_turns_the_reopening_off(qtbot, settings, tmp_path):
    first = start_window(qtbot, settings)
    first.workspace.open_paths(articles(tmp_path))
    action = first.actions[Action.RESTORE_SESSION]
    assert action.isChecked()
    action.trigger()  # File > Reopen Articles at Start, unchecked
    first.close()

    second = start_window(qtbot, settings)
    assert not second.actions[Action.RESTORE_SESSION].isChecked()
    assert second.workspace.restore_session() == []
    assert second.documents() == []


def test_a_file_gone_since_is_left_out_with_a_note(qtbot, settings, tmp_path):
    paths = articles(tmp_path)
    first = start_window(qtbot, settings)
    first.workspace.open_paths(paths)
    first.close()
    paths[0].unlink()

    second = start_window(qtbot, settings)
    messages: list[str] = []
    second.workspace.message.connect(lambda text, _ms: messages.append(text))
    assert [document.path for document in second.workspace.restore_session()] == paths[1:]
    assert second.dialogs.answers.errors == []  # no dialog for a file of the last session
    assert "1 article(s) of the last session could not be reopened" in messages[0]
    assert str(paths[0]) in messages[0]


def test_sigterm_journals_the_unsaved_text_and_remembers_the_tabs(qtbot, settings, tmp_path):
    [path, *_] = articles(tmp_path)
    window = start_window(qtbot, settings)
    window.workspace.open_paths([path])
    editor = window.current_editor()
    qtbot.keyClick(editor, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, " Typed before the signal.")
    journal = RecoveryJournal(recovery_folder())
    # Only a timer is running: without the flush the text would be lost with the process.
    assert window.workspace.autosave.is_pending(window.current_document())
    assert journal.entries() == []
    # The application, shared by every test, stays; tests/e2e/test_session_end.py sees the
    # real editor exit.
    left: list[bool] = []
    session_end = SessionEnd(QApplication.instance(), window.end_session, lambda: left.append(True))
    try:
        os.kill(os.getpid(), signal.SIGTERM)
        qtbot.waitUntil(lambda: left == [True], timeout=5000)
        [entry] = journal.entries()
        assert entry.text.endswith("told at length.\n Typed before the signal.")
        assert settings.session.files == (path,)
    finally:
        session_end.uninstall()
        session_end.deleteLater()
    for document in window.documents():
        document.mark_saved()


def test_logout_journals_the_unsaved_text(qtbot, settings, tmp_path):
    [path, *_] = articles(tmp_path)
    window = start_window(qtbot, settings)
    window.workspace.open_paths([path])
    qtbot.keyClicks(window.current_editor(), "Logging out. ")
    app = QApplication.instance()
    session_end = SessionEnd(app, window.end_session)
    try:
        # What commitDataRequest calls at logout (a QSessionManager cannot be made in a test).
        session_end.commit_data(None)
        [entry] = RecoveryJournal(recovery_folder()).entries()
        assert "Logging out. " in entry.text
        assert settings.session.files == (path,)
    finally:
        session_end.uninstall()
        session_end.deleteLater()
    for document in window.documents():
        document.mark_saved()
