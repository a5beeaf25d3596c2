"""A save that fails says why, offers Save As, keeps the text unsaved and the file untouched."""

from __future__ import annotations

import errno
import os
import shutil
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from editor.recovery import RecoveryJournal
from editor.ui.dialogs import SaveChoice
from editor.ui.main_window import MainWindow
from editor.ui.recovery import recovery_folder

from .conftest import OFFSCREEN_NOISE

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

ORIGINAL = "---\ntitle: Safe\n---\nThe saved text.\n"


class SaveFailures:
    """The save-failure question: records each message; answers Save As or not."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.save_as = False

    def __call__(self, document, error) -> bool:  # type: ignore[no-untyped-def]
        self.messages.append(str(error))
        return self.save_as


@pytest.fixture
def failures(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> SaveFailures:
    failures = SaveFailures()
    monkeypatch.setattr(window.dialogs, "ask_save_failed", failures)
    return failures


@pytest.fixture
def edited(window: MainWindow, qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    """An article in its own folder, open with an unsaved edit."""
    folder = tmp_path / "drafts"
    folder.mkdir()
    path = folder / "story.md"
    path.write_text(ORIGINAL, encoding="utf-8")
    [document] = window.workspace.open_paths([path])
    qtbot.keyClick(window.current_editor(), Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.current_editor(), "Unsaved sentence.")
    return document


def test_save_into_a_removed_folder(window, failures, edited):
    folder = edited.path.parent
    shutil.rmtree(folder)
    assert not window.workspace.save_document(edited)
    [message] = failures.messages
    assert str(edited.path) in message
    assert "folder no longer exists" in message
    assert edited.is_modified()
    assert edited.body().endswith("Unsaved sentence.")
    assert not folder.exists()  # nothing was written, not even the folder
    assert window.documents() == [edited]


def test_save_failure_offers_save_as(window, failures, answers, edited, tmp_path):
    shutil.rmtree(edited.path.parent)
    failures.save_as = True
    answers.save_path = tmp_path / "rescued.md"
    assert window.workspace.save_document(edited)
    assert not edited.is_modified()
    assert edited.path == tmp_path / "rescued.md"
    assert answers.save_path.read_text("utf-8").endswith("Unsaved sentence.")


def test_save_failure_then_save_as_cancelled_keeps_it_unsaved(window, failures, answers, edited):
    shutil.rmtree(edited.path.parent)
    failures.save_as = True
    answers.save_path = None  # the user cancels the file dialog
    assert not window.workspace.save_document(edited)
    assert edited.is_modified()


def test_save_onto_a_folder_fails_and_leaves_it(window, failures, edited, tmp_path):
    folder = tmp_path / "a-folder.md"
    folder.mkdir()
    assert not window.workspace.save_document(edited, folder)
    assert "folder" in failures.messages[0]
    assert folder.is_dir() and list(folder.iterdir()) == []
    assert edited.is_modified()
    assert edited.path.read_text("utf-8") == ORIGINAL


def test_disk_full_keeps_the_original(window, failures, edited, monkeypatch):
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:  # the other patches (the window's dialogs) stay
        patch.setattr(os, "fsync", full)
        assert not window.workspace.save_document(edited)
    assert "No space left on device" in failures.messages[0]
    assert edited.path.read_text("utf-8") == ORIGINAL
    assert [name.name for name in edited.path.parent.iterdir()] == ["story.md"]
    assert edited.is_modified()


def test_closing_with_save_that_fails_keeps_the_tab(window, failures, answers, edited):
    shutil.rmtree(edited.path.parent)
    answers.unsaved_choice = SaveChoice.SAVE
    assert not window.close_tab(0)
    assert window.documents() == [edited]
    assert edited.is_modified()


def test_quitting_with_save_that_fails_keeps_the_window(window, failures, answers, edited):
    shutil.rmtree(edited.path.parent)
    answers.unsaved_choice = SaveChoice.SAVE
    assert not window.close()
    assert window.isVisible()
    assert edited.is_modified()


def test_failed_save_keeps_the_journal_entry(window, qtbot, failures, edited):
    shutil.rmtree(edited.path.parent)
    assert not window.workspace.save_document(edited)
    qtbot.waitUntil(lambda: len(RecoveryJournal(recovery_folder()).entries()) == 1, timeout=5000)


def test_save_keeps_permissions(window, edited):
    edited.path.chmod(0o640)
    assert window.workspace.save_document(edited)
    assert stat.S_IMODE(edited.path.stat().st_mode) == 0o640
    assert edited.path.read_text("utf-8").endswith("Unsaved sentence.")
