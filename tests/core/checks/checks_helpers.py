"""Helpers for the checks' tests: a complete, clean article to spoil one thing at a time."""

from __future__ import annotations

from editor.checks import Family, Finding, run_checks
from editor.model import Article

CLEAN_BODY = """The harbour bridge vote ended a decade of delays on Tuesday. The council chose a design.

## Why the harbour bridge matters

Commuters will save twenty minutes a day. Shops in the old port expect more visitors.
Read [the council's report](https://example.com/report) for the figures.
"""


def clean_article(**changes: object) -> Article:
    article = Article(
        title="Council approves the harbour bridge after ten years",
        author="Maria Lopez", date="2025-10-01", slug="harbour-bridge-approved",
        keyword="harbour bridge",
        description=("The council voted to fund the harbour bridge, ending ten years of delays. "
                     "What it costs, who pays, and what the port district fears."),
        image="lead.jpg", image_alt="The bridge at dusk", body=CLEAN_BODY,
    )
    for name, value in changes.items():
        setattr(article, name, value)
    return article


def ids(article: Article, family: Family) -> list[str]:
    return [finding.id for finding in run_checks(article, families=[family])]


def found(article: Article, family: Family, check_id: str) -> list[Finding]:
    return [f for f in run_checks(article, families=[family]) if f.id == check_id]


