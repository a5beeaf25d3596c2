"""The one-folder bundle for people without Python: built by the README's command, run headless.

Marked ``bundle``: the main run leaves these out (tests/conftest.py); ``.ci/run`` runs them as
a step of their own with ``pytest -m bundle``. Building takes about a minute and a half on two
cores.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.bundle

ROOT = Path(__file__).resolve().parents[2]
PROGRAM = ROOT / "dist" / "article-editor" / (
    "article-editor.exe" if sys.platform == "win32" else "article-editor")
SAMPLE = ROOT / "resources" / "samples" / "harbour-bridge.md"


@pytest.fixture(scope="module")
def bundle() -> Path:
    """The bundle, freshly built with ``bash packaging/build-bundle.sh``."""
    shutil.rmtree(ROOT / "dist" / "article-editor", ignore_errors=True)
    started = time.monotonic()
    result = subprocess.run(["bash", str(ROOT / "packaging" / "build-bundle.sh")], cwd=ROOT,
                            capture_output=True, text=True, timeout=1800, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    print(f"\nbundle built in {time.monotonic() - started:.0f} s: {result.stdout.strip()}")
    assert PROGRAM.is_file()
    return PROGRAM


def without_python(tmp_path: Path) -> dict[str, str]:
    """An environment that offers no Python of ours: no virtual environment, no PYTHONPATH."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}}
    env["PATH"] = os.pathsep.join(part for part in env.get("PATH", "").split(os.pathsep)
                                  if ".venv" not in part)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    return env


@pytest.fixture
def article(tmp_path: Path) -> Path:
    folder = tmp_path / "article"
    shutil.copytree(SAMPLE.parent, folder)
    return folder / SAMPLE.name


def test_the_bundle_exports_the_sample_article(bundle: Path, article: Path, tmp_path: Path) -> None:
    output = tmp_path / "page" / "harbour-bridge.html"
    result = subprocess.run(
        [str(bundle), "export", str(article), "-o", str(output), "--allow-placeholders"],
        cwd=tmp_path, env=without_python(tmp_path), capture_output=True, text=True,
        timeout=120, check=False)

    assert result.returncode == 0, result.stderr
    page = output.read_text("utf-8")
    assert "<h1 class=\"headline\">City council approves harbour bridge" in page
    assert "--accent: #b3261e" in page  # the article CSS, read from the bundled resources
    assert (output.parent / "images" / "harbour.svg").is_file()


def test_the_bundle_starts_the_window_offscreen_and_quits_cleanly(
    bundle: Path, article: Path, tmp_path: Path,
) -> None:
    env = without_python(tmp_path)
    env["ARTICLE_EDITOR_QUIT_WHEN_READY"] = "90"  # quit once the preview shows the article
    started = time.monotonic()
    result = subprocess.run([str(bundle), str(article)], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=180, check=False)
    elapsed = time.monotonic() - started

    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert result.stdout.splitlines()[-1] == "ready"
    print(f"\nbundle: start to preview ready and quit in {elapsed:.1f} s")


def test_the_bundle_installs_a_launcher_that_starts_itself(bundle: Path, tmp_path: Path) -> None:
    env = without_python(tmp_path)
    result = subprocess.run([str(bundle), "--install-desktop"], env=env, capture_output=True,
                            text=True, timeout=60, check=False)

    assert result.returncode == 0, result.stderr
    launcher = tmp_path / "data" / "applications" / "article-editor.desktop"
    assert f"\nExec={bundle} %F\n" in launcher.read_text("utf-8")
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(launcher)], capture_output=True,
                               text=True, check=False)
        assert check.returncode == 0, check.stdout + check.stderr


def test_the_bundle_adds_to_and_searches_a_postgresql_library(
    bundle: Path, article: Path, tmp_path: Path, server_schema: str,
) -> None:
    """psycopg and its libpq travel in the bundle: a newsroom's shared library works from it."""
    env = without_python(tmp_path)

    def library(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(bundle), "library", *args, "--library", server_schema],
                              env=env, capture_output=True, text=True, timeout=120, check=False)

    added = library("add", str(article.parent))
    assert added.returncode == 0, added.stderr
    found = library("search", "harbour bridge", "--json")
    assert found.returncode == 0, found.stderr
    assert any(match["title"].startswith("City council approves harbour bridge")
               for match in json.loads(found.stdout))
