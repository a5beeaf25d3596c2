"""The checks in the worker process: the same findings as in this one, fixes that still work,
and no spelling dictionary of its own (the window's checker answers for spelling)."""

from __future__ import annotations

import multiprocessing
import sys

from editor import worker_process
from editor.checks import Family, run_checks
from editor.checks.worker import WORKER, submit_checks
from editor.model import Article

ARTICLE = Article(
    title="Harbour bridge opens",
    lang="en",
    body="The the bridge opens today , after \"years\" of work.\n\nTK: quote from the mayr.\n",
)
# Modules a spelling dictionary comes from (spylls reads Hunspell's, spellchecker ships lists).
DICTIONARY_MODULES = ("spylls", "spellchecker")


def _comparable(findings):  # type: ignore[no-untyped-def]
    return [(f.id, f.severity, f.message, f.line, f.column, f.field, f.fix and f.fix.label)
            for f in findings]


def dictionary_modules_loaded() -> list[str]:
    """In the worker process: which dictionary modules it has imported."""
    return sorted(name for name in sys.modules if name.split(".")[0] in DICTIONARY_MODULES)


def test_the_worker_finds_what_run_checks_finds_in_another_process() -> None:
    here = run_checks(ARTICLE, with_suggestions=False)
    there = submit_checks(ARTICLE).result(timeout=120)

    assert _comparable(there) == _comparable(here)
    assert multiprocessing.active_children()


def test_a_fix_from_the_worker_makes_the_same_change() -> None:
    here = run_checks(ARTICLE, with_suggestions=False)
    there = submit_checks(ARTICLE).result(timeout=120)
    fixed = [(mine, theirs) for mine, theirs in zip(here, there, strict=True) if mine.fix]

    assert fixed
    for mine, theirs in fixed:
        assert theirs.fix is not None and mine.fix is not None
        assert theirs.fix.make(ARTICLE) == mine.fix.make(ARTICLE)


def test_the_worker_never_loads_a_spelling_dictionary() -> None:
    findings = submit_checks(ARTICLE, families=list(Family)).result(timeout=120)

    assert findings and not any(finding.family is Family.SPELLING for finding in findings)
    assert worker_process.submit(WORKER, dictionary_modules_loaded).result(timeout=60) == []
