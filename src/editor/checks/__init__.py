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
    "build_log", "format_finding", "run_checks",
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


def format_finding(finding: Finding, source: str, first_body_line: int = 1) -> str:
    """``FILE:LINE:COL: SEVERITY: ID: MESSAGE`` — body lines shifted to the file's lines."""
    line = first_body_line + finding.line - 1 if finding.line is not None else 1
    where = f"{source}:{line}:{finding.column or 1}"
    field = f" [{finding.field}]" if finding.field and finding.line is None else ""
    return f"{where}: {finding.severity.value}: {finding.id}: {finding.message}{field}"


def build_log(findings: Iterable[Finding], *, source: str, page: str, first_body_line: int = 1,
              exported_anyway: bool = False) -> str:
    """The export's build log: what the checklist showed when the page was written."""
    shown = [finding for finding in findings if finding.severity is not Severity.NOTE]
    lines = [f"Exported {source} to {page}",
             f"Checklist: {len(blockers(shown))} blocker(s), "
             f"{len(shown) - len(blockers(shown))} warning(s)"]
    if exported_anyway:
        lines.append("Exported anyway, with the blockers below left in.")
    lines += [format_finding(finding, source, first_body_line)
              for finding in sorted(shown, key=Finding.sort_key)]
    return "\n".join(lines) + "\n"
