"""The library every library test runs on, once per backend: an SQLite file, and a fresh schema
on the PostgreSQL server named by $ARTICLE_EDITOR_TEST_POSTGRES (tests/pg_server.sh starts a
throwaway one; without it the server half skips). Also the archive the sample article links into.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from editor.library.sources import index_paths
from editor.library.sqlite import SqliteLibrary
from editor.library.store import StoryStore

ARCHIVE = Path(__file__).parents[2] / "data" / "library"
SAMPLE = Path(__file__).parents[3] / "resources" / "samples" / "harbour-bridge.md"
SERVER_ENVIRONMENT = "ARTICLE_EDITOR_TEST_POSTGRES"


@pytest.fixture
def server_schema() -> Iterator[str]:
    """A URL whose connections use a schema of their own on the test server, dropped after."""
    server = os.environ.get(SERVER_ENVIRONMENT)
    if not server:
        pytest.skip(f"no PostgreSQL server: set ${SERVER_ENVIRONMENT} (tests/pg_server.sh)")
    import psycopg

    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
        admin.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in server else "?"
    yield f"{server}{separator}options={quote(f'-csearch_path={schema},public')}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA {schema} CASCADE")


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
