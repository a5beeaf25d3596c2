"""Links: text that says nothing, empty text, the same URL twice, ``http:`` beside ``https:``, cards."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from editor.checks.base import Change, Family, Finding, Fix, Place, Severity, TextEdit
from editor.model import Article
from editor.syntax import CODE_SPAN_RE, lines_outside_fences

_LINK_RE = re.compile(r"(?<!!)\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_VAGUE_TEXTS = {"click here", "here", "this", "link", "this link", "read more", "more",
                "click", "go", "this page", "learn more"}


def _links(body: str) -> list[tuple[int, int, int, str, str]]:
    """``(line, column, body offset of the URL, text, URL)`` of every inline link."""
    found = []
    for number, offset, line in lines_outside_fences(body):
        if "](" not in line:
            continue
        code = [match.span() for match in CODE_SPAN_RE.finditer(line)]
        for match in _LINK_RE.finditer(line):
            if any(a <= match.start() < b for a, b in code):
                continue
            found.append((number, match.start() + 1, offset + match.start(2),
                          match.group(1), match.group(2)))
    return found


def check(article: Article) -> list[Finding]:
    findings: list[Finding] = []
    links = _links(article.body)
    seen: set[str] = set()
    secure_hosts = {urlsplit(url).netloc.lower() for *_, url in links if url.startswith("https:")}
    secure_hosts |= {urlsplit(card.url).netloc.lower() for card in article.related
                     if card.url.startswith("https:")}
    insecure: list[int] = []
    for number, column, url_offset, text, url in links:
        where: Place = {"line": number, "column": column}
        label = " ".join(text.split()).strip(" .:!").lower()
        if not label:
            findings.append(Finding("links.empty-text", Family.LINKS, Severity.WARNING,
                                    f"A link with no text ({url})", **where))
        elif label in _VAGUE_TEXTS:
            findings.append(Finding("links.vague-text", Family.LINKS, Severity.WARNING,
                                    f"The link text “{text}” says nothing about where it goes",
                                    **where))
        elif re.match(r"^(?:https?://|www\.)", label):
            findings.append(Finding("links.bare-url", Family.LINKS, Severity.NOTE,
                                    "The link text is a bare URL; say what the page is", **where))
        if url in seen:
            findings.append(Finding("links.duplicate-url", Family.LINKS, Severity.NOTE,
                                    f"{url} is linked more than once", **where))
        seen.add(url)
        if url.startswith("http:") and urlsplit(url).netloc.lower() in secure_hosts:
            insecure.append(url_offset)
            findings.append(Finding("links.insecure", Family.LINKS, Severity.WARNING,
                                    f"{url} is http: where the article links the site with https:",
                                    **where))
    if insecure:
        offsets = tuple(insecure)
        fix = Fix("Use https:", lambda _a: Change(body_edits=tuple(
            TextEdit(offset, offset + len("http:"), "https:") for offset in offsets)))
        findings = [
            Finding(f.id, f.family, f.severity, f.message, f.line, f.column, fix=fix)
            if f.id == "links.insecure" else f for f in findings
        ]
    for index, card in enumerate(article.related):
        if not card.url.strip():
            findings.append(Finding("links.card-url", Family.LINKS, Severity.WARNING,
                                    f"The related story “{card.title or index + 1}” has no URL",
                                    field=f"related[{index}].url"))
    return findings
