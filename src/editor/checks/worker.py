"""The checks in a worker process (:mod:`editor.worker_process`): a thread running them over
100,000 words held the window's interpreter lock and stalled it for half a second at a time.

Every family but spelling: the window's own spell checker already knows every line of the
body (it underlines them), so the dock asks it for those findings, and this process holds
no second copy of a dictionary (with one, a Hunspell one and its checkers' caches, the
process measured 152 MB PSS, without 92 MB, and 36 MB with textstat's syllables from a
compact table: bench/tabs.py).
Findings come back without the fixes' functions (they do not cross processes): each fix is
:class:`Recheck`, which finds its finding again in the article it is applied to and makes
that finding's change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from concurrent.futures import Future

from editor import worker_process
from editor.checks import Change, Family, Finding, Fix, run_checks
from editor.model import Article

WORKER = "checks"


def submit_checks(article: Article,
                  families: Iterable[Family] | None = None) -> Future[list[Finding]]:
    """:func:`run_checks` on ``article`` in the checks' worker process, every family asked
    for but spelling (which needs a dictionary: the window has its own)."""
    wanted = tuple(family for family in (Family if families is None else families)
                   if family is not Family.SPELLING)
    return worker_process.submit(WORKER, _check, article, wanted)


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
def _check(article: Article, families: tuple[Family, ...]) -> list[Finding]:
    findings = run_checks(article, families=families, with_suggestions=False)
    return [portable(finding) for finding in findings]
