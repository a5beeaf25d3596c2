"""The editor ended without its Quit: the desktop session logs out, or SIGTERM arrives.

Neither asks about unsaved articles, so both journal every unsaved text (offered back at the
next start) and remember the open tabs. A Python signal handler only runs when Python code
runs, which inside Qt's event loop may be never: the signal's number is written to a socket
(``signal.set_wakeup_fd``) that Qt's loop watches, and the flush runs there, on the main
thread, like any other event.
"""

from __future__ import annotations

import signal
import socket
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier
from PySide6.QtGui import QGuiApplication, QSessionManager


class SessionEnd(QObject):
    """Runs ``flush`` at logout and on SIGTERM; after SIGTERM, ``leave`` (the application
    exits with status 0 unless a caller, such as a test in a shared application, says else)."""

    def __init__(self, app: QGuiApplication, flush: Callable[[], None],
                 leave: Callable[[], None] | None = None) -> None:
        super().__init__(app)
        self._flush = flush
        self._leave = leave or (lambda: app.exit(0))
        app.commitDataRequest.connect(self.commit_data)
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        # The wake-up byte is only written while a Python handler is set; the work is done
        # in the event loop, so the handler itself has nothing left to do.
        self._previous_handler = signal.signal(signal.SIGTERM, lambda _number, _frame: None)
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_wakeup)

    def uninstall(self) -> None:
        """Put the previous SIGTERM handling back (tests; a second window)."""
        self._notifier.setEnabled(False)
        signal.set_wakeup_fd(self._previous_fd)
        signal.signal(signal.SIGTERM, self._previous_handler)
        self._reader.close()
        self._writer.close()

    def commit_data(self, _manager: QSessionManager | None) -> None:
        """At logout (``commitDataRequest``): flush; the session manager ends the process."""
        self._flush()

    def _on_wakeup(self) -> None:
        try:
            numbers = self._reader.recv(512)
        except BlockingIOError:
            return
        if signal.SIGTERM in numbers:
            self._flush()
            self._leave()
