"""The library every library test runs on, once per backend: an SQLite file, and a fresh schema
on the test PostgreSQL server (``server_schema`` in tests/conftest.py; without a server that half
skips). Also the archive the sample article links into.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from editor.library.sources import index_paths
from editor.library.sqlite import SqliteLibrary
from editor.library.store import StoryStore

ARCHIVE = Path(__file__).parents[2] / "data" / "library"
SAMPLE = Path(__file__).parents[3] / "resources" / "samples" / "harbour-bridge.md"


@pytest.fixture(params=["sqlite", "postgres"])
def library(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoryStore]:
    store: StoryStore
    if request.param == "sqlite":
        store = SqliteLibrary(tmp_path / "library.sqlite3")
    else:
        from editor.library.postgres import PostgresLibrary

        store = PostgresLibrary(request.getfixturevalue("server_schema"))
    yield store
    store.close()


@pytest.fixture
def archive_library(library: StoryStore) -> StoryStore:
    index_paths(library, [ARCHIVE])
    return library
