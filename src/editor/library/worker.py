"""Library suggestions in a worker process (:mod:`editor.worker_process`): ranking the stories
for a long article in a thread held the window's interpreter lock for tens of milliseconds at
a time, so the window stalled while typing paused.

The process keeps each library it was asked about open, with its ranking's word frequencies,
between requests. A server that is away closes its connection there and says so; the next
request opens it again.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from editor import worker_process
from editor.errors import ArticleError
from editor.library.store import LibraryUnavailableError, StoryStore, open_library
from editor.library.suggest import ArticleSuggestions, Suggester
from editor.model import Article

WORKER = "library"


@dataclass(frozen=True)
class SuggestionOutcome:
    """What a request for suggestions came to: the suggestions, or why there are none."""

    suggestions: ArticleSuggestions | None = None
    error: str = ""  # the library cannot be used for this article
    offline: str = ""  # a server library is away now: worth asking again later


def submit_suggestions(location: str, article: Article, path: Path | None, limit: int,
                       library_version: int) -> Future[SuggestionOutcome]:
    """Rank the stories of the library at ``location`` for ``article`` in the worker process.

    ``library_version`` moves on when the library's stories changed: the ranking then counts
    its word frequencies again.
    """
    return worker_process.submit(WORKER, _suggest, location, article, path, limit,
                                 library_version)


def close_library(location: str) -> None:
    """Let the worker process close the library at ``location`` (after what it was given)."""
    worker_process.submit(WORKER, _close, location)


# -- in the worker process -------------------------------------------------------------------
_libraries: dict[str, tuple[StoryStore, Suggester, int]] = {}


def _suggest(location: str, article: Article, path: Path | None, limit: int,
             library_version: int) -> SuggestionOutcome:
    try:
        entry = _libraries.get(location)
        if entry is None:
            store = open_library(location)
            entry = (store, Suggester(store), library_version)
        elif entry[2] != library_version:
            entry = (entry[0], Suggester(entry[0]), library_version)
        _libraries[location] = entry
        return SuggestionOutcome(entry[1].suggest(article, path, limit))
    except LibraryUnavailableError as error:
        _close(location)  # a new connection when the server is back
        return SuggestionOutcome(offline=error.message)
    except ArticleError as error:
        return SuggestionOutcome(error=str(error))


def _close(location: str) -> None:
    entry = _libraries.pop(location, None)
    if entry is not None:
        entry[0].close()
