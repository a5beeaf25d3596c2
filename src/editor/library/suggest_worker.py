"""The library's suggestions in a worker process (:mod:`editor.worker_process`), so that ranking
stories for a long article never holds the window's interpreter lock.

The process keeps one connection and one :class:`Suggester` per library between requests.
"""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

from editor import worker_process
from editor.errors import ArticleError
from editor.library.store import StoryStore, open_library
from editor.library.suggest import ArticleSuggestions, Suggester
from editor.model import Article

WORKER = "library"


def submit_suggestions(location: str, article: Article, path: Path | None,
                       limit: int) -> Future[ArticleSuggestions | str]:
    """The suggestions for ``article`` from the library at ``location``, or why there are none."""
    return worker_process.submit(WORKER, _suggest, location, article, path, limit)


def library_changed(location: str) -> None:
    """Stories were added: the next suggestions count them (and their words) again."""
    worker_process.submit(WORKER, _forget_suggester, location)


def close(location: str) -> None:
    """Close the worker's connection to the library (the window is going)."""
    worker_process.submit(WORKER, _close, location).result()


# -- in the worker process -------------------------------------------------------------------
_stores: dict[str, StoryStore] = {}
_suggesters: dict[str, Suggester] = {}


def _suggest(location: str, article: Article, path: Path | None,
             limit: int) -> ArticleSuggestions | str:
    try:
        if location not in _stores:
            _stores[location] = open_library(location)
        if location not in _suggesters:
            _suggesters[location] = Suggester(_stores[location])
        return _suggesters[location].suggest(article, path, limit)
    except ArticleError as error:
        return str(error)


def _forget_suggester(location: str) -> None:
    _suggesters.pop(location, None)  # the story count and word frequencies have changed


def _close(location: str) -> None:
    _suggesters.pop(location, None)
    store = _stores.pop(location, None)
    if store is not None:
        store.close()
