"""The storage interface every library backend offers, and where the default library lives.

The ranking (``suggest``), the indexer (``sources``), the dock and the command line speak only
to :class:`StoryStore`; SQLite (``sqlite``) is the one-person backend, and a shared server
backend implements the same methods. A backend does recall (full-text matching and its own
relevance score); the ranking re-scores what it returns with the same rules on any backend.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

import platformdirs

from editor.errors import ArticleError
from editor.library.story import Match, Story

LIBRARY_FILE_NAME = "library.sqlite3"


class LibraryError(ArticleError):
    """The library cannot be used as asked: not ours, damaged, too new, or not writable.

    ``str(error)`` is one line naming the library. ``moved_to`` is where a damaged or foreign
    file was moved before a new, empty library was made in its place (None otherwise).
    """

    def __init__(self, location: str | Path, message: str, moved_to: Path | None = None) -> None:
        self.location = str(location)
        self.message = message
        self.moved_to = moved_to
        super().__init__(f"{location}: {message}")


class LibraryUnavailableError(LibraryError):
    """A server library cannot be reached now (down, network gone, refused, too slow): worth
    trying again later, unlike a library that is damaged or not ours."""


def is_server_url(location: str) -> bool:
    """Whether ``location`` names a library on a PostgreSQL server rather than a file."""
    return location.startswith(("postgresql://", "postgres://"))


def redacted(text: str) -> str:
    """``text`` with the password of any connection URL or ``password=`` setting in it
    replaced by ``***``: what may be shown, logged or saved."""
    text = re.sub(r"(postgres(?:ql)?://[^:/@\s]*):[^@/\s]*@", r"\1:***@", text)
    return re.sub(r"(password=)[^&\s]*", r"\1***", text, flags=re.IGNORECASE)


def without_password(location: str) -> str:
    """A library location fit to be saved: any password taken out of the URL."""
    location = re.sub(r"(postgres(?:ql)?://[^:/@\s]*):[^@/\s]*@", r"\1@", location)
    return re.sub(r"[?&]password=[^&\s]*", "", location, flags=re.IGNORECASE)


def default_library_path() -> Path:
    """The library file in the user's data folder, beside the recovery journal."""
    return platformdirs.user_data_path("ArticleEditor", appauthor=False) / "Article Editor" / \
        LIBRARY_FILE_NAME


LIBRARY_ENVIRONMENT = "ARTICLE_EDITOR_LIBRARY"


def library_location(explicit: str | Path | None = None, chosen: str | Path | None = None) -> str:
    """Where the library is, first found: ``--library`` (for one run), $ARTICLE_EDITOR_LIBRARY,
    the file ``chosen`` in the window (Library > Choose Library File…), the data folder's."""
    if explicit:
        return str(explicit)
    return os.environ.get(LIBRARY_ENVIRONMENT) or str(chosen or default_library_path())


def open_library(location: str | Path | None = None, verify: bool = True) -> StoryStore:
    """The library at ``location`` (see :func:`library_location`): a ``postgresql://`` URL is
    a shared library on a server, anything else an SQLite file. ``verify`` checks the whole
    file for damage. The server backend (psycopg) is imported only when a URL asks for it."""
    where = library_location(location)
    if is_server_url(where):
        try:
            from editor.library.postgres import PostgresLibrary
        except ImportError as error:
            raise LibraryError(redacted(where), f"the PostgreSQL driver is missing ({error.name}):"
                               " pip install 'psycopg[binary]' psycopg-pool") from None
        return PostgresLibrary(where)
    if "://" in where:
        raise LibraryError(redacted(where), "a library is a file or a postgresql:// URL")
    from editor.library.sqlite import SqliteLibrary

    return SqliteLibrary(where, verify=verify)


# A file or feed (its path), its modification time (ns) and size, and the stories it holds.
SourceStories = tuple[str, int, int, Sequence[Story]]


class StoryStore(Protocol):
    """What the library keeps and finds. Stories are replaced per source, so re-adding a file
    or a feed is one call; a story's URL (its ``key``) is unique, so the same story reached
    twice is updated in place."""

    location: str

    def batch(self) -> AbstractContextManager[None]:
        """Group many writes into one transaction (adding a folder)."""
        ...

    def bulk(self, expected: int) -> AbstractContextManager[bool]:
        """Around an add of about ``expected`` stories (its batches inside, from this
        thread): a backend may load it another, faster way when it is large against the
        library, and gives whether it does. Then the stories show only when the block ends,
        all at once, and an error or a killed indexer leaves the library as it was before."""
        ...

    def replace_source(self, source: str, mtime_ns: int, size: int,
                       stories: Sequence[Story]) -> None:
        """The stories ``source`` holds now, replacing what it held before."""
        ...

    def replace_sources(self, sources: Sequence[SourceStories]) -> None:
        """:meth:`replace_source` for many files at once (for a server: one request)."""
        ...

    def add_root(self, path: str, permalink: str = "") -> None:
        """Remember a folder or file the user added (with its permalink rule) for Rebuild."""
        ...

    def roots(self) -> dict[str, str]:
        ...

    def source_states(self, under: str | None = None) -> dict[str, tuple[int, int]]:
        """Each indexed source (within folder ``under``) with its modification time and size."""
        ...

    def remove_sources(self, sources: Iterable[str]) -> int:
        """Drop these sources and their stories; returns how many stories went."""
        ...

    def add_stories(self, stories: Sequence[Story]) -> None:
        """Add or update stories that come from no file (``source`` None)."""
        ...

    def remove_story(self, key: str) -> bool:
        ...

    def count(self) -> int:
        ...

    def stories(self) -> Iterator[tuple[int, Story]]:
        ...

    def story(self, key: str) -> Story | None:
        ...

    def search(self, query: str, limit: int = 20) -> list[Match]:
        """Stories for words typed in a search field, the last word as a prefix, best first."""
        ...

    def match_any(self, terms: Sequence[str], *, limit: int, published_by: str = "",
                  exclude_keys: Iterable[str] = ()) -> list[Match]:
        """Stories holding any of ``terms`` (lower-case words), by full-text relevance with the
        title weighted above tags and tags above the text; none dated after ``published_by``
        (ISO date) when it is given, none whose key is in ``exclude_keys``."""
        ...

    def document_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        """How many stories hold each term (0 for none); the ranking favours rare words."""
        ...

    def close(self) -> None:
        ...
