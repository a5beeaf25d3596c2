"""Worker results reach the window's thread, and never a receiver the window has deleted; a
call scheduled before the repaint runs ahead of it."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

from editor.ui.main_thread import BeforeRepaint, deliver, prepare_relay


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


class PaintRecorder(QWidget):
    def __init__(self, order: list[str]) -> None:
        super().__init__()
        self.order = order

    def paintEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.order.append("painted")


def test_before_repaint_runs_ahead_of_a_pending_repaint_and_a_zero_timer(qtbot):
    order: list[str] = []
    widget = PaintRecorder(order)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: "painted" in order)
    order.clear()
    soon = BeforeRepaint(lambda: order.append("called"), widget)
    widget.update()  # as an edit asks the editor to repaint
    timer = QTimer(widget, singleShot=True, interval=0)  # as the refresh was scheduled before
    timer.timeout.connect(lambda: order.append("timer"))
    timer.start()
    soon.start()
    qtbot.waitUntil(lambda: "painted" in order and "timer" in order)
    assert order.index("called") < order.index("painted")
    assert order.index("called") < order.index("timer")


def test_before_repaint_calls_once_however_often_started_and_not_when_stopped(qtbot):
    owner = QObject()
    calls: list[int] = []
    soon = BeforeRepaint(lambda: calls.append(1), owner)
    soon.start()
    soon.start()
    assert soon.isActive()
    qtbot.wait(20)
    assert calls == [1] and not soon.isActive()
    soon.start()
    soon.stop()
    assert not soon.isActive()
    qtbot.wait(20)
    assert calls == [1]
    soon.stop()
    soon.start()  # started again after a stop while its event was on the way
    qtbot.wait(20)
    assert calls == [1, 1]
