"""Results from worker threads, handed to the window's thread for receivers that may be gone.

A signal emitted from a worker on a QObject the window has deleted meanwhile crashes the
process: the C++ object can be freed between any check and the emit. So workers send results
through one relay that lives as long as the application; on the window's thread the receiver is
looked at, and called only if it is still there.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, Signal


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
