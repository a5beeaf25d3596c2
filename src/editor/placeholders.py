"""Placeholders a writer leaves in a draft: ``[INTERNAL_LINK]``, ``[IMAGE: …]``, ``TK``…

One pattern serves both the finder (the panel, the status bar, the export check) and the
Markdown extension that draws them as marked elements in the page.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from xml.etree.ElementTree import Element

from markdown import Extension
from markdown.inlinepatterns import InlineProcessor

from editor.syntax import CODE_SPAN_RE


class PlaceholderKind(Enum):
    INTERNAL_LINK = "internal-link"
    EXTERNAL_LINK = "external-link"
    IMAGE = "image"
    TOKEN = "token"
    TK = "tk"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    PlaceholderKind.INTERNAL_LINK: "Internal link",
    PlaceholderKind.EXTERNAL_LINK: "External link",
    PlaceholderKind.IMAGE: "Image",
    PlaceholderKind.TOKEN: "Placeholder",
    PlaceholderKind.TK: "TK (to come)",
}

# Tokens Python-Markdown itself gives a meaning to: never placeholders.
_RESERVED_TOKENS = ("TOC",)

# ``[UPPER_CASE]`` (two characters at least; not a link's text, nor a reference definition's
# label followed by its URL),
# ``[IMAGE: description]``, or ``TK`` standing alone as a word.
_BRACKET_PATTERN = (
    r"\[(?:IMAGE:[^\]\n]*"
    rf"|(?!(?:{'|'.join(_RESERVED_TOKENS)})\])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*[A-Z0-9])\]"
    r"(?![(\[]|:[ \t]+\S+[ \t]*(?:\n|$))"
)
# The lookbehind after the literal lets the regex engine jump from "TK" to "TK".
_TK_PATTERN = r"TK(?<![\w\-]TK)(?![\w\-])"
PLACEHOLDER_PATTERN = f"{_BRACKET_PATTERN}|{_TK_PATTERN}"
PLACEHOLDER_RE = re.compile(PLACEHOLDER_PATTERN)
# Each alone starts with a literal, which a long body is searched for far faster.
_SEARCHES = (re.compile(_BRACKET_PATTERN), re.compile(_TK_PATTERN))
_SENTENCE_END_RE = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"'”’)]))\s+(?=\S)")
CONTEXT_CHARS = 140


def placeholder_kind(token: str) -> PlaceholderKind:
    if token == "TK":
        return PlaceholderKind.TK
    if token == "[INTERNAL_LINK]":
        return PlaceholderKind.INTERNAL_LINK
    if token == "[EXTERNAL_LINK]":
        return PlaceholderKind.EXTERNAL_LINK
    if token.startswith("[IMAGE:"):
        return PlaceholderKind.IMAGE
    return PlaceholderKind.TOKEN


@dataclass(frozen=True)
class Placeholder:
    """One placeholder in a body: where it is (1-based line and column) and what surrounds it."""

    kind: PlaceholderKind
    token: str
    line: int
    column: int
    start: int
    end: int
    context: str

    @property
    def description(self) -> str:
        """For ``[IMAGE: a chart of turnout]``, "a chart of turnout"; "" for other kinds."""
        if self.kind is PlaceholderKind.IMAGE:
            return self.token[len("[IMAGE:"):-1].strip()
        return ""


@functools.lru_cache(maxsize=8)
def find_placeholders(body: str) -> tuple[Placeholder, ...]:
    """Every placeholder in ``body`` in document order, leaving code blocks and spans alone.

    One search over the whole body, then each match is checked against the fenced code
    ranges and its own line's code spans. Cached by text: the status bar, the Placeholders
    panel and the export ask about the same body, which a long report makes worth sharing.
    """
    matches = sorted((match for search in _SEARCHES for match in search.finditer(body)),
                     key=lambda match: match.start())
    if not matches:
        return ()
    fenced = _fenced_ranges(body)
    fence_starts = [start for start, _ in fenced]
    found: list[Placeholder] = []
    line_number = 1
    counted_to = 0
    for match in matches:
        position = match.start()
        index = bisect.bisect_right(fence_starts, position) - 1
        if index >= 0 and position < fenced[index][1]:
            continue
        line_start = body.rfind("\n", 0, position) + 1
        line_end = body.find("\n", position)
        line = body[line_start:line_end if line_end >= 0 else len(body)]
        column = position - line_start
        if "`" in line and any(span.start() <= column < span.end()
                               for span in CODE_SPAN_RE.finditer(line)):
            continue
        line_number += body.count("\n", counted_to, position)
        counted_to = position
        token = match.group(0)
        found.append(
            Placeholder(
                kind=placeholder_kind(token),
                token=token,
                line=line_number,
                column=column + 1,
                start=position,
                end=match.end(),
                context=_context(line, column, column + len(token)),
            )
        )
    return tuple(found)


def locate_in_source(
    source: str, placeholders: Sequence[Placeholder]
) -> list[tuple[int, int]]:
    """1-based (line, column) of each placeholder in the text it was imported from.

    An import rewrites the text around placeholders but keeps the tokens, in order: the n-th
    token found in the article is the next occurrence of the same token in the source. A
    token the import changed keeps its place in the article.
    """
    locations: list[tuple[int, int]] = []
    searched_from = 0
    for placeholder in placeholders:
        position = source.find(placeholder.token, searched_from)
        if position < 0:
            locations.append((placeholder.line, placeholder.column))
            continue
        searched_from = position + len(placeholder.token)
        line = source.count("\n", 0, position) + 1
        locations.append((line, position - source.rfind("\n", 0, position)))
    return locations


_FENCE_LINE_RE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})(.*)$", re.MULTILINE)


def _fenced_ranges(body: str) -> list[tuple[int, int]]:
    """Character ranges of fenced code blocks, fences included, in order."""
    ranges: list[tuple[int, int]] = []
    opened: tuple[int, str] | None = None
    for match in _FENCE_LINE_RE.finditer(body):
        fence, rest = match.group(1), match.group(2)
        if opened is None:
            if "`" in fence and "`" in rest:
                continue  # an inline code span, not a fence
            opened = (match.start(), fence)
        elif fence[0] == opened[1][0] and len(fence) >= len(opened[1]) and not rest.strip():
            ranges.append((opened[0], match.end()))
            opened = None
    if opened is not None:
        ranges.append((opened[0], len(body)))
    return ranges


def _context(line: str, start: int, end: int) -> str:
    """The sentence before the placeholder, or the one after it when it opens its paragraph."""
    before = line[:start].strip(" \t#>-*•")
    if before.rstrip("0123456789.) ") == "":
        sentences = _SENTENCE_END_RE.split(line[end:].strip(), maxsplit=1)
    else:
        sentences = _SENTENCE_END_RE.split(before)
        sentences.reverse()
    text = " ".join(next((part for part in sentences if part.strip()), "").split())
    if len(text) > CONTEXT_CHARS:
        text = "…" + text[-(CONTEXT_CHARS - 1):].lstrip()
    return text


class _PlaceholderInline(InlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[Element, int, int]:
        token = m.group(0)
        element = Element("span")
        element.set("class", f"placeholder placeholder-{placeholder_kind(token).value}")
        element.set("title", f"Unresolved: {placeholder_kind(token).label}")
        element.text = token
        return element, m.start(0), m.end(0)


class PlaceholderExtension(Extension):
    """Draws placeholders as ``<span class="placeholder …">`` keeping their token text."""

    def extendMarkdown(self, md) -> None:
        # Above links (160) and references (170) so ``[INTERNAL_LINK]`` is never a link;
        # below code spans (190) so code keeps its text.
        md.inlinePatterns.register(_PlaceholderInline(PLACEHOLDER_PATTERN, md), "placeholder", 175)
