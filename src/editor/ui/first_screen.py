"""Work that waits until the first article shows: the first screen is what a user waits for.

At start-up the window, its first tab and QtWebEngine's processes share two cores with
whatever else starts; a worker process started meanwhile (the copy desk's checks) delayed the
article's first screen. Such work asks :func:`after_first_screen`; the first tab whose preview
shows its article (or gives up waiting) calls :func:`first_screen_shown`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from shiboken6 import isValid

_waiting: list[tuple[QObject, Callable[[], None]]] | None = []


def after_first_screen(owner: QObject, callback: Callable[[], None]) -> bool:
    """Run ``callback`` once the first screen is shown, unless ``owner`` is gone by then.

    False: it is shown, go ahead now.
    """
    if _waiting is None:
        return False
    if (owner, callback) not in _waiting:  # asked again meanwhile: once is enough
        _waiting.append((owner, callback))
    return True


def first_screen_shown() -> None:
    """Run what waited, one callback a turn of the event loop, in the order asked.

    Several start a worker process (each start 7-45 ms of the window's thread) or collect
    garbage (20 ms): run back to back, they made one long stall just as the article showed.
    """
    global _waiting
    waiting, _waiting = _waiting, None
    _run_one_a_turn(list(waiting or ()))


def _run_one_a_turn(waiting: list[tuple[QObject, Callable[[], None]]]) -> None:
    if not waiting:
        return
    (owner, callback), rest = waiting[0], waiting[1:]
    if isValid(owner):
        callback()
    if rest:
        QTimer.singleShot(0, lambda: _run_one_a_turn(rest))
