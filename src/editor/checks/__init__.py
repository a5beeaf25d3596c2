"""The copy desk's checks: one module per family, each giving :class:`Finding` objects.

``run_checks(article)`` is what the command line, the Checks dock and the pre-export
checklist call; every family is a pure function of the article (and, for spelling, a checker).
"""

from __future__ import annotations

from collections.abc import Iterable

from editor.checks.base import (
    Change,
    Family,
    Finding,
    Fix,
    Severity,
    TextEdit,
    apply_change,
    blockers,
)
from editor.model import Article
from editor.spelling import SpellChecker

__all__ = [
    "Change", "Family", "Finding", "Fix", "Severity", "TextEdit", "apply_change", "blockers",
    "run_checks",
]


def run_checks(article: Article, *, spelling: SpellChecker | None = None,
               families: Iterable[Family] | None = None,
               with_suggestions: bool = True) -> list[Finding]:
    """Every finding for ``article``, blockers first, then by place.

    Spelling runs only when a ``spelling`` checker is given (its dictionary and allowed words
    are the caller's: the window's personal list, the command line's ``--lang``).
    """
    from editor.checks import completeness, leftovers, links, readability, seo, structure
    from editor.checks import spelling as spelling_family

    wanted = set(families) if families is not None else set(Family)
    runners = {
        Family.COMPLETENESS: completeness.check,
        Family.STRUCTURE: structure.check,
        Family.SEO: seo.check,
        Family.READABILITY: readability.check,
        Family.LEFTOVERS: leftovers.check,
        Family.LINKS: links.check,
    }
    findings: list[Finding] = []
    for family, runner in runners.items():
        if family in wanted:
            findings.extend(runner(article))
    if spelling is not None and Family.SPELLING in wanted:
        findings.extend(spelling_family.check(article, spelling, with_suggestions=with_suggestions))
    return sorted(findings, key=Finding.sort_key)
