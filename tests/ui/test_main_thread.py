"""Worker results reach the window's thread, and never a receiver the window has deleted."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtCore import QObject

from editor.ui.main_thread import deliver, prepare_relay


def from_worker(receiver: QObject, call) -> None:  # type: ignore[no-untyped-def]
    worker = threading.Thread(target=deliver, args=(receiver, call))
    worker.start()
    worker.join()


def test_a_result_runs_on_the_windows_thread(qtbot):
    prepare_relay()
    receiver = QObject()
    threads: list[threading.Thread] = []
    from_worker(receiver, lambda: threads.append(threading.current_thread()))
    qtbot.waitUntil(lambda: threads == [threading.main_thread()])


def test_a_result_for_a_receiver_deleted_meanwhile_is_dropped(qtbot):
    prepare_relay()
    gone, alive = QObject(), QObject()
    calls: list[str] = []
    from_worker(gone, lambda: calls.append("gone"))
    shiboken6.delete(gone)  # the window closed the panel while its worker finished
    from_worker(alive, lambda: calls.append("alive"))  # queued behind the first
    qtbot.waitUntil(lambda: calls == ["alive"])
