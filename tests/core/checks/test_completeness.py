"""Completeness: what an article cannot go out without."""

from __future__ import annotations

import pytest
from checks_helpers import clean_article, found, ids

from editor.checks import Family, Severity


def test_a_complete_article_has_no_completeness_findings() -> None:
    assert ids(clean_article(), Family.COMPLETENESS) == []


@pytest.mark.parametrize("field, check_id, severity", [
    ("title", "completeness.headline", Severity.BLOCKER),
    ("author", "completeness.byline", Severity.BLOCKER),
    ("date", "completeness.date", Severity.BLOCKER),
    ("description", "completeness.description", Severity.WARNING),
    ("image_alt", "completeness.image-alt", Severity.BLOCKER),
])
def test_missing_fields_are_flagged_at_their_field(field, check_id, severity) -> None:
    [finding] = found(clean_article(**{field: ""}), Family.COMPLETENESS, check_id)
    assert (finding.field, finding.severity) == (field, severity)


def test_body_images_without_alt_text() -> None:
    body = "Intro.\n\n![](chart.png)\n\n![A chart](ok.png) <img src=x.png>\n"
    findings = found(clean_article(body=body), Family.COMPLETENESS, "completeness.body-image-alt")
    assert [(f.line, f.column) for f in findings] == [(3, 1), (5, 20)]


def test_placeholders_are_blockers_at_their_place() -> None:
    body = "Intro.\n\nThe mayor said [QUOTE_NEEDED] and TK.\n\n`[NOT_ONE]`\n"
    findings = found(clean_article(body=body), Family.COMPLETENESS, "completeness.placeholder")
    assert [(f.line, f.column, f.severity) for f in findings] == [
        (3, 16, Severity.BLOCKER), (3, 35, Severity.BLOCKER)]
