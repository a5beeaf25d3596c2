"""``article-editor check``: real subprocesses, the line format, JSON, exit statuses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
SAMPLE = ROOT / "resources" / "samples" / "harbour-bridge.md"

pytestmark = pytest.mark.slow

CLEAN = """---
title: Council approves the harbour bridge after ten years
author: Maria Lopez
date: 2025-10-01
slug: harbour-bridge-approved
keyword: harbour bridge
description: >-
  The council voted to fund the harbour bridge, ending ten years of delays.
  What it costs, who pays, and what the port district fears.
---
The harbour bridge vote ended a decade of delays on Tuesday. The council chose a design.

## Why the harbour bridge matters

Commuters will save twenty minutes a day. Shops in the old port expect more visitors.
"""


def run(*args: str | Path, data: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_DATA_HOME": str(data)}
    return subprocess.run([sys.executable, "-m", "editor", "check", *map(str, args)],
                          capture_output=True, text=True, timeout=120, env=env)


def test_sample_lists_findings_in_file_lines_and_exits_1_on_blockers(tmp_path: Path) -> None:
    result = run(SAMPLE, data=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (f"{SAMPLE}:27:20: blocker: completeness.placeholder: "
                        "Unresolved placeholder [INTERNAL_LINK]")
    assert f"{SAMPLE}:39:7: warning: spelling: Unknown word “Ferreira”" in lines
    assert any(line.startswith(f"{SAMPLE}:3:1: warning: spelling: ") for line in lines)  # the dek
    assert result.stderr == ""


def test_clean_article_exits_0_and_personal_words_count(tmp_path: Path) -> None:
    article = tmp_path / "clean.md"
    article.write_text(CLEAN.replace("visitors.", "visitors from Zarnovia."), encoding="utf-8")
    result = run(article, data=tmp_path)
    assert result.returncode == 0
    assert "Zarnovia" in result.stdout
    folder = tmp_path / "ArticleEditor" / "Article Editor"
    folder.mkdir(parents=True)
    (folder / "dictionary.txt").write_text("Zarnovia\n", encoding="utf-8")
    result = run(article, data=tmp_path)
    assert "spelling" not in result.stdout and result.returncode == 0


def test_json_output_with_suggestions(tmp_path: Path) -> None:
    article = tmp_path / "typo.md"
    article.write_text(CLEAN.replace("expect more", "expect moer"), encoding="utf-8")
    result = run("--json", article, data=tmp_path)
    assert result.returncode == 0
    [report] = json.loads(result.stdout)
    assert report["file"] == str(article)
    [spelling] = [f for f in report["findings"] if f["id"] == "spelling"]
    assert spelling["severity"] == "warning" and spelling["line"] == 15
    assert spelling["column"] == 72 and spelling["field"] is None
    assert "more" in spelling["suggestions"][:3]
    assert set(spelling) == {"id", "severity", "message", "line", "column", "field", "fix",
                             "suggestions"}


def test_unreadable_file_exits_2_and_the_others_are_still_checked(tmp_path: Path) -> None:
    missing = tmp_path / "missing.md"
    result = run(missing, SAMPLE, data=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"article-editor: {missing}: no such file"]
    assert f"{SAMPLE}:27:20: blocker" in result.stdout


def test_lang_overrides_the_articles_language(tmp_path: Path) -> None:
    article = tmp_path / "es.md"
    article.write_text("---\ntitle: El puente\n---\nEl consejo del gobierno, hoy, sobre el puente.\n",
                       encoding="utf-8")
    english = run(article, data=tmp_path)
    spanish = run("--lang", "es", article, data=tmp_path)
    assert "spelling: Unknown word “consejo”" in english.stdout
    assert "spelling" not in spanish.stdout
    unknown = run("--lang", "qq", article, data=tmp_path)
    assert unknown.returncode == 2
    assert unknown.stderr == f"article-editor: {article}: no spelling dictionary for language 'qq'\n"
