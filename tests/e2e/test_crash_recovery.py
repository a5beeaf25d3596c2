"""Type into the real editor, kill it with SIGKILL, start again: the typed text comes back.

The first start is the real command (``python -m editor FILE``) in its own process; the test
hook ``ARTICLE_EDITOR_TEST_TYPE`` makes it type through real key events once its window runs.
The second start is the window in this process, where the test can answer the recovery dialog
and look at the restored tab.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings

from editor.recovery import RecoveryJournal
from editor.ui.main_window import MainWindow
from editor.ui.recovery import recovery_folder
from editor.ui.recovery_dialog import RecoveryDialog
from editor.ui.settings import APPLICATION, ORGANIZATION, Settings

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

ON_DISK = "---\ntitle: Before the crash\n---\nThe saved paragraph.\n"
TYPED = "Words typed just before the crash."
START_TIMEOUT = 60  # the first start of QtWebEngine can be slow on a busy machine
JOURNAL_TIMEOUT = 10  # once the text is typed, the journal is written within 5 s


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The user data location of both runs, with the real application's names."""
    folder = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    names = QCoreApplication.organizationName(), QCoreApplication.applicationName()
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    yield folder
    QCoreApplication.setOrganizationName(names[0])
    QCoreApplication.setApplicationName(names[1])


def start_editor(article: Path, tmp_path: Path, data_home: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update({
        "QT_QPA_PLATFORM": "offscreen",
        "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox",
        "XDG_DATA_HOME": str(data_home),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "ARTICLE_EDITOR_TEST_TYPE": TYPED,
    })
    log = (tmp_path / "editor.log").open("wb")
    return subprocess.Popen([sys.executable, "-m", "editor", str(article)], env=env,
                            stdout=log, stderr=subprocess.STDOUT)


def wait_for_journal(process: subprocess.Popen[bytes], tmp_path: Path) -> list:
    journal = RecoveryJournal(recovery_folder())
    deadline = time.monotonic() + START_TIMEOUT + JOURNAL_TIMEOUT
    while time.monotonic() < deadline:
        found = [entry for entry in journal.entries() if TYPED in entry.text]
        if found:
            return found
        if process.poll() is not None:
            log = (tmp_path / "editor.log").read_text("utf-8", "replace")
            pytest.fail(f"the editor exited with {process.returncode} before autosaving:\n{log}")
        time.sleep(0.1)
    pytest.fail("no journal entry appeared: " + (tmp_path / "editor.log").read_text("utf-8"))


def test_typed_text_survives_sigkill(qtbot, tmp_path, data_home, monkeypatch):
    article = tmp_path / "story.md"
    article.write_text(ON_DISK, encoding="utf-8")

    process = start_editor(article, tmp_path, data_home)
    try:
        [entry] = wait_for_journal(process, tmp_path)
        assert process.poll() is None  # still running: the journal was written while it ran
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert entry.path == article
    assert entry.writer.pid == process.pid
    assert article.read_text("utf-8") == ON_DISK  # the crash left the file as it was

    # The second start: the window offers what the killed one left.
    window = MainWindow(Settings(QSettings(str(tmp_path / "second.ini"),
                                           QSettings.Format.IniFormat)))
    try:
        window.show()
        qtbot.waitExposed(window)
        check_second_start(window, article, monkeypatch)
    finally:
        for document in window.documents():
            document.mark_saved()
        window.close()
        window.deleteLater()  # its preview pages go before the application does
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def check_second_start(window: MainWindow, article: Path,
                       monkeypatch: pytest.MonkeyPatch) -> None:
    offered: list[RecoveryDialog] = []
    listed: dict = {}

    def answer(dialog: RecoveryDialog) -> bool:
        offered.append(dialog)
        listed["names"] = [item.display_name for item in dialog.entries()]
        listed["paths"] = [item.path for item in dialog.entries()]
        listed["row"] = dialog.list.item(0).text()
        listed["preview"] = dialog.preview_text()
        dialog.restore_button.click()
        return True

    monkeypatch.setattr(window.dialogs, "exec_dialog", answer)
    [document] = window.workspace.offer_recovery()
    assert len(offered) == 1
    assert listed["names"] == ["story.md"]
    assert listed["paths"] == [article]
    assert str(article) in listed["row"] and "Last change" in listed["row"]
    assert f"+{TYPED}" in listed["preview"]
    assert document.path == article
    assert document.body() == f"The saved paragraph.\n{TYPED}"
    assert document.metadata().title == "Before the crash"
    assert document.is_modified()
    assert window.tabs.tabText(0) == "story.md •"

    # Saving the recovered text writes it and leaves nothing to recover.
    assert window.workspace.save_document(document)
    window.workspace.autosave.wait()
    assert article.read_text("utf-8") == ON_DISK + TYPED
    assert RecoveryJournal(recovery_folder()).entries() == []


def test_sigterm_ends_the_editor_cleanly_keeping_the_journal_and_the_tabs(
    tmp_path, data_home
):
    article = tmp_path / "story.md"
    article.write_text(ON_DISK, encoding="utf-8")
    process = start_editor(article, tmp_path, data_home)
    try:
        wait_for_journal(process, tmp_path)  # the window runs and has unsaved text
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    log = (tmp_path / "editor.log").read_text("utf-8", "replace")
    assert process.returncode == 0, log  # handled: not killed by the signal
    [entry] = RecoveryJournal(recovery_folder()).entries()  # kept for the next start
    assert TYPED in entry.text
    config = (tmp_path / "config" / ORGANIZATION / f"{APPLICATION}.conf").read_text("utf-8")
    session = config.split("[session]", 1)[1]  # the tabs, reopened at the next start
    assert f"files={article}" in session.split("\n[", 1)[0]
