"""What an article cannot go out without: headline, byline, date, alt text, no placeholders."""

from __future__ import annotations

import re

from editor.checks.base import Family, Finding, Severity
from editor.model import Article
from editor.placeholders import find_placeholders
from editor.syntax import lines_outside_fences

_IMAGE_RE = re.compile(r"!\[([^\]\n]*)\]\(")
_HTML_IMAGE_RE = re.compile(r"<img\b(?![^>]*\balt=)[^>]*>", re.IGNORECASE)

_REQUIRED = (
    ("title", "completeness.headline", Severity.BLOCKER, "The article has no headline"),
    ("author", "completeness.byline", Severity.BLOCKER, "The article has no byline (author)"),
    ("date", "completeness.date", Severity.BLOCKER, "The article has no date"),
    ("description", "completeness.description", Severity.WARNING,
     "The article has no meta description"),
)


def check(article: Article) -> list[Finding]:
    findings = [
        Finding(check_id, Family.COMPLETENESS, severity, message, field=name)
        for name, check_id, severity, message in _REQUIRED
        if not str(getattr(article, name)).strip()
    ]
    if article.image and not article.image_alt.strip():
        findings.append(Finding("completeness.image-alt", Family.COMPLETENESS, Severity.BLOCKER,
                                "The featured image has no alt text", field="image_alt"))
    for number, _, line in lines_outside_fences(article.body):
        if "![" not in line and "<img" not in line.lower():
            continue
        for match in _IMAGE_RE.finditer(line):
            if not match.group(1).strip():
                findings.append(Finding("completeness.body-image-alt", Family.COMPLETENESS,
                                        Severity.WARNING, "An image in the text has no alt text",
                                        line=number, column=match.start() + 1))
        for match in _HTML_IMAGE_RE.finditer(line):
            findings.append(Finding("completeness.body-image-alt", Family.COMPLETENESS,
                                    Severity.WARNING, "An image in the text has no alt text",
                                    line=number, column=match.start() + 1))
    for placeholder in find_placeholders(article.body):
        findings.append(Finding("completeness.placeholder", Family.COMPLETENESS, Severity.BLOCKER,
                                f"Unresolved placeholder {placeholder.token}",
                                line=placeholder.line, column=placeholder.column))
    return findings
