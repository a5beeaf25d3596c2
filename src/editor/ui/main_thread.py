"""Work scheduled on the window's thread.

Results from worker threads, handed over for receivers that may be gone: a signal emitted from a
worker on a QObject the window has deleted meanwhile crashes the process, since the C++ object
can be freed between any check and the emit. So workers send results through one relay that
lives as long as the application; on the window's thread the receiver is looked at, and called
only if it is still there.

And :class:`BeforeRepaint`, a call on the next turn that goes ahead of the window's repaint.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal


class _Relay(QObject):
    """Lives on the window's thread; a signal emitted from another thread reaches it queued."""

    delivered = Signal(object, object)  # weak reference to the receiver, what to call

    def __init__(self) -> None:
        super().__init__()
        self.delivered.connect(self._call)

    @staticmethod
    def _call(receiver_ref: weakref.ref[QObject], call: Callable[[], object]) -> None:
        receiver = receiver_ref()
        if receiver is not None and shiboken6.isValid(receiver):
            call()


_relay: _Relay | None = None


def prepare_relay() -> None:
    """Make the relay on the window's thread; call it there before any worker may deliver."""
    global _relay
    if _relay is None:
        _relay = _Relay()


def deliver(receiver: QObject, call: Callable[[], object]) -> None:
    """From any thread: run ``call`` on the window's thread if ``receiver`` still exists then."""
    if _relay is None:
        raise RuntimeError("prepare_relay() was not called on the window's thread")
    _relay.delivered.emit(weakref.ref(receiver), call)


class BeforeRepaint(QObject):
    """Calls ``call`` once on the next turn of the event loop, before the window repaints.

    A keystroke's preview patch is on its way sooner this way: Qt posts a widget's repaint at low
    priority and a 0-ms timer fires after it, so with a timer the page received the patch only
    once the editor had painted the keystroke (2–5 ms at 20,000 words). A posted event of normal
    priority is delivered first; the editor paints while the page applies the patch. Starting
    it again before it ran schedules one call; stopping it cancels the call.
    """

    _EVENT = QEvent.Type(QEvent.registerEventType())

    def __init__(self, call: Callable[[], object], parent: QObject) -> None:
        super().__init__(parent)
        self._call = call
        self._scheduled = False
        self._posted = False  # an event is on its way (a stopped one does nothing)

    def start(self) -> None:
        self._scheduled = True
        if not self._posted:
            self._posted = True
            QCoreApplication.postEvent(self, QEvent(self._EVENT))

    def stop(self) -> None:
        self._scheduled = False

    def isActive(self) -> bool:  # QTimer's name: the two are used side by side
        return self._scheduled

    def event(self, event: QEvent) -> bool:
        if event.type() != self._EVENT:
            return super().event(event)
        self._posted = False
        if self._scheduled:
            self._scheduled = False
            self._call()
        return True
