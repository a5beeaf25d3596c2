"""Fixtures shared by the test suites."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
# shared/ sits beside the repository: /work/shared here, a sibling folder in CI.
SHARED_SAMPLES = REPO_ROOT.parent / "shared" / "samples"
SEED_SAMPLE_NAME = "000_2dd85b087d873d94.txt"


def shared_sample(name: str) -> Path:
    """The path of a sample in shared/samples, skipping the test when it is not there."""
    path = SHARED_SAMPLES / name
    if not path.is_file():
        pytest.skip(f"shared sample {name} not found in {SHARED_SAMPLES}")
    return path


SEED_COPY = REPO_ROOT / "tests" / "data" / "import" / "seed_iraq.txt"


@pytest.fixture
def seed_sample_path() -> Path:
    """The seed article: the copy shipped in tests/data, so every clone runs these tests.

    ``test_seed_copy_matches_the_shared_sample`` keeps the copy equal to shared/samples.
    """
    return SEED_COPY


@pytest.fixture
def shared_seed_sample_path() -> Path:
    """The seed article as shared/samples holds it (skips where shared/ is absent)."""
    return shared_sample(SEED_SAMPLE_NAME)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave the bundle tests (minutes of building) out unless asked for with ``-m bundle``."""
    if "bundle" in (config.option.markexpr or ""):
        return
    bundle = [item for item in items if item.get_closest_marker("bundle")]
    if bundle:
        config.hook.pytest_deselected(items=bundle)
        items[:] = [item for item in items if not item.get_closest_marker("bundle")]


@pytest.fixture(scope="session", autouse=True)
def delete_widgets_before_qt_exits() -> Iterator[None]:
    """Leave Qt as the application does when it quits, so the process exits cleanly.

    Left to the interpreter's exit, QtWebEngine's default profile can go before a page that
    uses it, and clipboard data made in Python is deleted after Python is gone: either crashes
    the process after the last test and fails the run. Core tests never load Qt, so this does
    nothing for them.
    """
    yield
    widgets = sys.modules.get("PySide6.QtWidgets")
    application = widgets.QApplication.instance() if widgets is not None else None
    if application is None:
        return
    from PySide6.QtCore import QCoreApplication, QEvent

    from editor.ui.clipboard import release_clipboard

    release_clipboard()
    for widget in application.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    application.processEvents()


# The PostgreSQL server the library's server tests use: tests/pg_server.sh starts a throwaway one
# and exports its URL (and its folder, for the tests that stop and start it).
SERVER_ENVIRONMENT = "ARTICLE_EDITOR_TEST_POSTGRES"
PG_SERVER_SCRIPT = REPO_ROOT / "tests" / "pg_server.sh"


def _server_url() -> str:
    server = os.environ.get(SERVER_ENVIRONMENT)
    if not server:
        pytest.skip(f"no PostgreSQL server: set ${SERVER_ENVIRONMENT} (tests/pg_server.sh)")
    return server




@pytest.fixture
def server_url() -> str:
    """The test server's URL, skipping the test when there is none."""
    return _server_url()


@pytest.fixture
def pg_server() -> Iterator[Callable[[str], None]]:
    """Stops (``"pause"``) and starts again (``"resume"``) the test server; always left running."""
    folder = os.environ.get("PG_SERVER_DIR")
    if not folder or not os.environ.get(SERVER_ENVIRONMENT):
        pytest.skip("no PostgreSQL server of our own to stop (tests/pg_server.sh)")

    def control(command: str) -> None:
        subprocess.run([str(PG_SERVER_SCRIPT), command, folder], check=True, timeout=90)

    yield control
    control("resume")


@pytest.fixture
def server_schema() -> Iterator[str]:
    """A URL whose connections use a schema of their own on the test server, dropped after."""
    server = _server_url()
    import psycopg

    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
        admin.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in server else "?"
    yield f"{server}{separator}options={quote(f'-csearch_path={schema},public')}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA {schema} CASCADE")
