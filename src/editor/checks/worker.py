"""The checks in a worker process (:mod:`editor.worker_process`): a thread running them over
100,000 words held the window's interpreter lock and stalled it for half a second at a time.

The process keeps its dictionaries and spell checkers between requests, so a revision
re-checks only the lines that changed. Findings come back without the fixes' functions (they
do not cross processes): each fix is :class:`Recheck`, which finds its finding again in the
article it is applied to and makes that finding's change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from concurrent.futures import Future

from editor import worker_process
from editor.checks import Change, Family, Finding, Fix, run_checks
from editor.errors import ArticleError
from editor.model import Article
from editor.spelling import SpellChecker, WordList, word_list_for


def submit_checks(article: Article, *, lang: str | None, allowed: Iterable[str] = (),
                  families: Iterable[Family] | None = None) -> Future[list[Finding]]:
    """:func:`run_checks` on ``article`` in the checks' worker process, spelling in ``lang``
    (None: no spelling) with the ``allowed`` words; the findings have no suggestions."""
    return worker_process.submit("checks", _check, article, lang, frozenset(allowed),
                                 None if families is None else tuple(families))


@dataclasses.dataclass(frozen=True)
class Recheck:
    """A fix's change, made by checking the article again for the finding it belongs to."""

    family: Family
    id: str
    line: int | None
    column: int | None
    field: str | None

    def __call__(self, article: Article) -> Change:
        for finding in run_checks(article, families=[self.family], with_suggestions=False):
            if (finding.fix is not None and (finding.id, finding.line, finding.column,
                                             finding.field)
                    == (self.id, self.line, self.column, self.field)):
                return finding.fix.make(article)
        return Change()  # the article no longer has the finding: nothing to fix


def portable(finding: Finding) -> Finding:
    """``finding`` with a fix that can cross processes."""
    if finding.fix is None:
        return finding
    recheck = Recheck(finding.family, finding.id, finding.line, finding.column, finding.field)
    return dataclasses.replace(finding, fix=Fix(finding.fix.label, recheck))


# -- in the worker process -------------------------------------------------------------------
_word_lists: dict[str, WordList | None] = {}
_checkers: dict[tuple[str, frozenset[str]], SpellChecker] = {}


def _checker(lang: str, allowed: frozenset[str]) -> SpellChecker | None:
    if lang not in _word_lists:
        try:
            _word_lists[lang] = word_list_for(lang)
        except ArticleError:
            _word_lists[lang] = None
    words = _word_lists[lang]
    if words is None:
        return None
    key = (lang, allowed)
    if key not in _checkers:
        if len(_checkers) > 4:  # the words allowed keep changing: keep a few checkers only
            _checkers.clear()
        _checkers[key] = SpellChecker(words, allowed)
    return _checkers[key]


def _check(article: Article, lang: str | None, allowed: frozenset[str],
           families: tuple[Family, ...] | None) -> list[Finding]:
    checker = _checker(lang, allowed) if lang is not None else None
    findings = run_checks(article, spelling=checker, families=families, with_suggestions=False)
    return [portable(finding) for finding in findings]
