"""A library built from tests/data/library, the archive the sample article links into."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from editor.library.sources import index_paths
from editor.library.sqlite import SqliteLibrary

ARCHIVE = Path(__file__).parents[2] / "data" / "library"
SAMPLE = Path(__file__).parents[3] / "resources" / "samples" / "harbour-bridge.md"


@pytest.fixture
def library(tmp_path: Path) -> Iterator[SqliteLibrary]:
    store = SqliteLibrary(tmp_path / "library.sqlite3")
    yield store
    store.close()


@pytest.fixture
def archive_library(library: SqliteLibrary) -> SqliteLibrary:
    index_paths(library, [ARCHIVE])
    return library
