"""Fixtures shared by the test suites."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

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
