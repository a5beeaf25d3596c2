"""Fixtures shared by the test suites."""

from __future__ import annotations

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


@pytest.fixture
def seed_sample_path() -> Path:
    """The seed article (shared/samples/000_2dd85b087d873d94.txt)."""
    return shared_sample(SEED_SAMPLE_NAME)
