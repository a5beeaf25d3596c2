"""The checks in the worker process: the same findings as in this one, fixes that still work."""

from __future__ import annotations

import multiprocessing

from editor.checks import run_checks
from editor.checks.worker import submit_checks
from editor.model import Article
from editor.spelling import checker_for

ARTICLE = Article(
    title="Harbour bridge opens",
    lang="en",
    body="The the bridge opens today , after \"years\" of work.\n\nTK: quote from the mayr.\n",
)


def _comparable(findings):  # type: ignore[no-untyped-def]
    return [(f.id, f.severity, f.message, f.line, f.column, f.field, f.fix and f.fix.label)
            for f in findings]


def test_the_worker_finds_what_run_checks_finds_in_another_process() -> None:
    here = run_checks(ARTICLE, spelling=checker_for(ARTICLE, ["Harbour"]), with_suggestions=False)
    there = submit_checks(ARTICLE, lang="en", allowed=["Harbour"]).result(timeout=120)

    assert _comparable(there) == _comparable(here)
    assert any(finding.id == "spelling" for finding in there)
    assert multiprocessing.active_children()


def test_a_fix_from_the_worker_makes_the_same_change() -> None:
    here = run_checks(ARTICLE, with_suggestions=False)
    there = submit_checks(ARTICLE, lang=None).result(timeout=120)
    fixed = [(mine, theirs) for mine, theirs in zip(here, there, strict=True) if mine.fix]

    assert fixed
    for mine, theirs in fixed:
        assert theirs.fix is not None and mine.fix is not None
        assert theirs.fix.make(ARTICLE) == mine.fix.make(ARTICLE)


def test_without_spelling_or_for_an_unknown_language_no_word_is_flagged() -> None:
    for lang in (None, "xx-unknown"):
        findings = submit_checks(ARTICLE, lang=lang).result(timeout=120)
        assert not any(finding.id == "spelling" for finding in findings)
