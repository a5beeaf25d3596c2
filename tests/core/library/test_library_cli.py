"""``article-editor library …`` run as a user runs it: a subprocess, its output and exit code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[3]
ARCHIVE = ROOT / "tests" / "data" / "library"
SAMPLE = ROOT / "resources" / "samples" / "harbour-bridge.md"

pytestmark = pytest.mark.slow


def run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "editor", "library", *map(str, args)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def test_add_search_and_suggest_as_json(tmp_path: Path) -> None:
    db = tmp_path / "lib.sqlite3"
    added = run("add", ARCHIVE, "--library", db)
    assert added.returncode == 0, added.stderr
    assert "Added 10 stories from 10 file(s)" in added.stdout
    assert "The library holds 10 stories." in added.stdout
    skipped = added.stderr.splitlines()
    assert len(skipped) == 3 and all(": skipped: " in line for line in skipped)
    assert "Traceback" not in added.stderr

    found = run("search", "budget annex", "--library", db, "--json")
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)[0] == {
        "title": "Council budget annex explained", "url": "https://example.com/news/budget-annex",
        "path": str(ARCHIVE / "archive" / "budget-page.html"), "date": "2025-02-10",
        "score": json.loads(found.stdout)[0]["score"]}

    suggested = run("suggest", SAMPLE, "--library", db, "--limit", "3", "--json")
    assert suggested.returncode == 0, suggested.stderr
    document = json.loads(suggested.stdout)
    assert set(document) == {"placeholders", "related"}
    assert [(p["token"], p["line"], p["column"]) for p in document["placeholders"]] == [
        ("[INTERNAL_LINK]", 27, 20), ("[EXTERNAL_LINK]", 43, 69), ("[INTERNAL_LINK]", 73, 55)]
    first = document["placeholders"][2]["suggestions"][0]
    assert set(first) == {"title", "url", "path", "date", "score", "why"}
    assert first["url"] == "https://example.com/news/harbour-bridge-timeline"
    assert all(len(p["suggestions"]) <= 3 for p in document["placeholders"])
    assert 0 < len(document["related"]) <= 3


def test_the_library_comes_from_the_environment_and_search_prints_text(tmp_path: Path) -> None:
    env = {"ARTICLE_EDITOR_LIBRARY": str(tmp_path / "env.sqlite3")}
    assert run("add", ARCHIVE / "feeds" / "rss.xml", env=env).returncode == 0
    found = run("search", "ferry", env=env)
    assert found.stdout.splitlines() == [
        "2025-07-15  Ferry operators warn bridge tolls will cost them passengers",
        "            https://example.com/news/ferry-operators-tolls",
    ]


@pytest.mark.parametrize("case", ["missing folder", "broken feed", "not ours", "bad rule",
                                  "bad limit", "missing article"])
def test_bad_input_gets_one_line_and_status_2(tmp_path: Path, case: str) -> None:
    db = tmp_path / "lib.sqlite3"
    if case == "missing folder":
        result = run("add", tmp_path / "nowhere", "--library", db)
        expected = f"article-editor: {tmp_path / 'nowhere'}: no such file or folder"
    elif case == "broken feed":
        result = run("add", ARCHIVE / "feeds" / "broken.rss", "--library", db)
        expected = (f"article-editor: {ARCHIVE / 'feeds' / 'broken.rss'}: skipped: a broken "
                    "feed (no element found)")
    elif case == "not ours":
        db.write_text("a spreadsheet, perhaps", "utf-8")
        result = run("search", "x", "--library", db)
        expected = (f"article-editor: {db}: this file is not a story library (not an SQLite "
                    f"database); it was moved to {db.name}.unusable-")
        assert len(list(tmp_path.glob("lib.sqlite3.unusable-*"))) == 1
        assert run("search", "x", "--library", db).returncode == 0  # rebuilt, usable
    elif case == "bad rule":
        result = run("add", ARCHIVE, "--library", db, "--permalink", "/:yr/:slug/")
        expected = "article-editor: /:yr/:slug/: not a permalink rule"
    elif case == "bad limit":
        result = run("search", "x", "--library", db, "--limit", "0")
        expected = "article-editor: --limit must be at least 1"
    else:
        result = run("suggest", tmp_path / "gone.md", "--library", db)
        expected = f"article-editor: {tmp_path / 'gone.md'}: no such file"
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(expected)
    assert "Traceback" not in result.stderr
