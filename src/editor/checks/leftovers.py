"""What scraping and pasting leave behind, each with its fix."""

from __future__ import annotations

import re

from editor.checks.base import Change, Family, Finding, Fix, Severity, TextEdit
from editor.model import Article
from editor.spelling import base_language
from editor.syntax import CODE_SPAN_RE, lines_outside_fences

# "in Iraq , which": the space a cut-out link or keyword leaves before the punctuation.
_SPACE_BEFORE_RE = re.compile(r"(?<=[\w\"”’)]) +([,.;:!?])(?=\s|$)")
_SPACE_BEFORE_FRENCH_RE = re.compile(r"(?<=[\w\"”’)]) +([,.])(?=\s|$)")
_DOUBLED_WORD_RE = re.compile(r"\b(\w+)(\s+)\1\b", re.IGNORECASE)
_DOUBLED_SPACE_RE = re.compile(r"(?<=\S)( {2,})(?=\S)")
_STRAIGHT_QUOTE_RE = re.compile(r"\"")
_URL_OR_TAG_RE = re.compile(r"\]\([^)]*\)|<[^>\n]+>|https?://\S+|\{[:#.][^}]*\}")
# Doubled on purpose in ordinary prose.
_DOUBLES_ALLOWED = {"had", "that", "is"}


def _delete(start: int, end: int) -> Fix:
    return Fix("Remove", lambda _article: Change(body_edits=(TextEdit(start, end, ""),)))


def _replace(label: str, start: int, end: int, text: str) -> Fix:
    return Fix(label, lambda _article: Change(body_edits=(TextEdit(start, end, text),)))


def _skipped(line: str) -> list[tuple[int, int]]:
    return [match.span() for pattern in (CODE_SPAN_RE, _URL_OR_TAG_RE)
            for match in pattern.finditer(line)]


def _inside(spans: list[tuple[int, int]], index: int) -> bool:
    return any(start <= index < end for start, end in spans)


def check(article: Article) -> list[Finding]:
    findings: list[Finding] = []
    french = base_language(article.lang or "en") == "fr"
    space_before = _SPACE_BEFORE_FRENCH_RE if french else _SPACE_BEFORE_RE
    straight: list[tuple[int, int, int]] = []  # (line, column, body offset)
    has_curly = False
    for number, offset, line in lines_outside_fences(article.body):
        skipped = _skipped(line)
        for match in space_before.finditer(line):
            if _inside(skipped, match.start()):
                continue
            findings.append(Finding(
                "leftovers.space-before-punctuation", Family.LEFTOVERS, Severity.WARNING,
                f"A space before “{match.group(1)}” (where a link or word was cut out?)",
                line=number, column=match.start() + 1,
                fix=_delete(offset + match.start(), offset + match.start(1))))
        for match in _DOUBLED_WORD_RE.finditer(line):
            word = match.group(1)
            if (_inside(skipped, match.start()) or word.lower() in _DOUBLES_ALLOWED
                    or word.isdigit()):
                continue
            findings.append(Finding(
                "leftovers.doubled-word", Family.LEFTOVERS, Severity.WARNING,
                f"“{word}” twice in a row", line=number, column=match.start() + 1,
                fix=_delete(offset + match.end(1), offset + match.end())))
        if "  " in line.strip():
            for match in _DOUBLED_SPACE_RE.finditer(line):
                if _inside(skipped, match.start()):
                    continue
                findings.append(Finding(
                    "leftovers.doubled-space", Family.LEFTOVERS, Severity.NOTE,
                    "Two or more spaces between words", line=number, column=match.start() + 1,
                    fix=_replace("Make it one space", offset + match.start(), offset + match.end(),
                                 " ")))
        if "“" in line or "”" in line:
            has_curly = True
        if '"' in line:
            straight.extend((number, match.start() + 1, offset + match.start())
                            for match in _STRAIGHT_QUOTE_RE.finditer(line)
                            if not _inside(skipped, match.start()))
    if has_curly and straight:
        number, column, _ = straight[0]
        positions = tuple(position for _, _, position in straight)
        findings.append(Finding(
            "leftovers.mixed-quotes", Family.LEFTOVERS, Severity.NOTE,
            f"Straight quotes (\") beside curly ones (“ ”): {len(straight)} straight",
            line=number, column=column,
            fix=Fix("Make them curly", lambda a: _curly_quotes(a.body, positions))))
    if article.image_alt.strip() and not article.image.strip():
        findings.append(Finding(
            "leftovers.orphan-image-alt", Family.LEFTOVERS, Severity.WARNING,
            "The featured image has alt text but there is no image", field="image_alt",
            fix=Fix("Clear the alt text", lambda _a: Change(fields={"image_alt": ""}))))
    return findings


def _curly_quotes(body: str, positions: tuple[int, ...]) -> Change:
    """Opening quotes after a space or an opening bracket, closing ones elsewhere."""
    edits = []
    for position in positions:
        before = body[position - 1] if position else " "
        edits.append(TextEdit(position, position + 1,
                              "“" if before.isspace() or before in "([{—–-" else "”"))
    return Change(body_edits=tuple(edits))
