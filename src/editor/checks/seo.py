"""Search: the focus keyword where readers and search engines look, and the lengths they show."""

from __future__ import annotations

import re
from typing import Unpack

from editor.checks.base import Change, Family, Finding, Fix, Place, Severity
from editor.model import Article, count_words, proposed_slug, trim_text
from editor.outline import parse_outline
from editor.syntax import lines_outside_fences

HEADLINE_MAX = 70
DESCRIPTION_MIN, DESCRIPTION_MAX = 120, 160
DENSITY_MIN, DENSITY_MAX = 0.5, 3.0
# Below this a single use swings the density past any range.
DENSITY_MIN_WORDS = 300
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_HEADING_OR_BLANK_RE = re.compile(r"^\s*(?:#|$|!\[|>|---|===)")


def _slug_fix(article: Article) -> Change:
    return Change(fields={"slug": proposed_slug(article.title)})  # the form's own proposal


def _description_fix(article: Article) -> Change:
    return Change(fields={"description": trim_text(article.description, DESCRIPTION_MAX)})


def _contains(text: str, keyword: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(keyword)}(?!\w)", text, re.IGNORECASE) is not None


def first_paragraph(body: str) -> tuple[int, str]:
    """The lead: the first paragraph of prose, with its first line number."""
    lines: list[str] = []
    start = 0
    for number, _, line in lines_outside_fences(body):
        if not lines and _HEADING_OR_BLANK_RE.match(line):
            continue
        if lines and not line.strip():
            break
        if not lines:
            start = number
        lines.append(line)
    return start, " ".join(lines)


def check(article: Article) -> list[Finding]:
    findings: list[Finding] = []
    title, description, keyword = article.title.strip(), article.description.strip(), \
        article.keyword.strip()
    if len(title) > HEADLINE_MAX:
        findings.append(Finding("seo.headline-length", Family.SEO, Severity.WARNING,
                                f"The headline has {len(title)} characters; keep it to "
                                f"{HEADLINE_MAX} so search results show it whole", field="title"))
    if description and not DESCRIPTION_MIN <= len(description) <= DESCRIPTION_MAX:
        fix = Fix("Trim at a word", _description_fix) if len(description) > DESCRIPTION_MAX else None
        findings.append(Finding("seo.description-length", Family.SEO, Severity.WARNING,
                                f"The description has {len(description)} characters; aim for "
                                f"{DESCRIPTION_MIN}–{DESCRIPTION_MAX}", field="description",
                                fix=fix))
    if title and (not article.slug or not _SLUG_RE.match(article.slug)):
        message = ("The article has no slug" if not article.slug
                   else "The slug is not lower-case words joined by hyphens")
        findings.append(Finding("seo.slug", Family.SEO, Severity.WARNING, message, field="slug",
                                fix=Fix("Make the slug from the headline", _slug_fix)))
    if not keyword:
        findings.append(Finding("seo.no-keyword", Family.SEO, Severity.NOTE,
                                "No focus keyword is set", field="keyword"))
        return findings
    findings.extend(_keyword_findings(article, keyword))
    return findings


def _keyword_findings(article: Article, keyword: str) -> list[Finding]:
    findings: list[Finding] = []

    def missing(check_id: str, where: str, **place: Unpack[Place]) -> None:
        findings.append(Finding(check_id, Family.SEO, Severity.WARNING,
                                f"The focus keyword “{keyword}” is not in {where}", **place))

    if not _contains(article.title, keyword):
        missing("seo.keyword-headline", "the headline", field="title")
    lead_line, lead = first_paragraph(article.body)
    if lead and not _contains(lead, keyword):
        missing("seo.keyword-lead", "the first paragraph", line=lead_line, column=1)
    if article.description and not _contains(article.description, keyword):
        missing("seo.keyword-description", "the description", field="description")
    if article.slug and proposed_slug(keyword) not in article.slug:
        missing("seo.keyword-slug", "the slug", field="slug")
    headings = [section.title for section in parse_outline(article.body).sections]
    if headings and not any(_contains(heading, keyword) for heading in headings):
        missing("seo.keyword-subheading", "any subheading", field="keyword")
    words = count_words(article.body)
    if words >= DENSITY_MIN_WORDS:
        uses = len(re.findall(rf"(?<!\w){re.escape(keyword)}(?!\w)", article.body, re.IGNORECASE))
        density = 100 * uses * len(keyword.split()) / words
        if not DENSITY_MIN <= density <= DENSITY_MAX:
            findings.append(Finding(
                "seo.keyword-density", Family.SEO, Severity.NOTE,
                f"The focus keyword makes {density:.1f} % of the words ({uses} uses in {words}); "
                f"aim for {DENSITY_MIN}–{DENSITY_MAX} %", field="keyword"))
    return findings
