"""Work that waits until the first article shows: the first screen is what a user waits for.

At start-up the window, its first tab and QtWebEngine's processes share two cores with
whatever else starts; a worker process started meanwhile (the copy desk's checks) delayed the
article's first screen. Such work asks :func:`after_first_screen`; the first tab whose preview
shows its article (or gives up waiting) calls :func:`first_screen_shown`.
"""

from __future__ import annotations

from collections.abc import Callable

_waiting: list[Callable[[], None]] | None = []


def after_first_screen(callback: Callable[[], None]) -> bool:
    """Run ``callback`` once the first screen is shown. False: it is, go ahead now."""
    if _waiting is None:
        return False
    if callback not in _waiting:  # asked again meanwhile: once is enough
        _waiting.append(callback)
    return True


def first_screen_shown() -> None:
    global _waiting
    waiting, _waiting = _waiting, None
    for callback in waiting or ():
        callback()
