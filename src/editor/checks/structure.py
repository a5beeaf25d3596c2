"""The outline as a reader meets it: the Headings panel's marks, the first heading, long sections."""

from __future__ import annotations

from editor.checks.base import Family, Finding, Place, Severity
from editor.model import Article
from editor.outline import HeadingCheck, parse_outline

SECTION_WORDS_LIMIT = 600
SECTION_LEVEL = 2  # the headline is the page's H1; sections start at H2

_IDS = {
    HeadingCheck.SKIPPED_LEVEL: "structure.skipped-level",
    HeadingCheck.EMPTY_SECTION: "structure.empty-section",
    HeadingCheck.DUPLICATE: "structure.duplicate-heading",
}


def check(article: Article) -> list[Finding]:
    outline = parse_outline(article.body)
    findings: list[Finding] = []
    for section in outline.sections:
        where: Place = {"line": section.line, "column": 1}
        for heading_check in sorted(section.checks, key=lambda c: c.value):
            findings.append(Finding(_IDS[heading_check], Family.STRUCTURE, Severity.WARNING,
                                    f"{heading_check.message}: “{section.title}”", **where))
        if section.words > SECTION_WORDS_LIMIT and not section.children:
            findings.append(Finding(
                "structure.long-section", Family.STRUCTURE, Severity.NOTE,
                f"“{section.title}” runs {section.words} words without a subheading",
                **where))
    if outline.sections and outline.sections[0].level != SECTION_LEVEL:
        first = outline.sections[0]
        findings.append(Finding(
            "structure.first-heading", Family.STRUCTURE, Severity.WARNING,
            f"The first heading is an H{first.level}; sections start at H{SECTION_LEVEL} "
            "(the headline is the page's H1)", line=first.line, column=1))
    return findings
