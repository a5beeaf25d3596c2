"""Placeholders a writer leaves in a draft: ``[INTERNAL_LINK]``, ``[IMAGE: …]``, ``TK``…

One pattern serves both the finder (the panel, the status bar, the export check) and the
Markdown extension that draws them as marked elements in the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from xml.etree.ElementTree import Element

from markdown import Extension
from markdown.inlinepatterns import InlineProcessor


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
PLACEHOLDER_PATTERN = (
    r"\[(?:IMAGE:[^\]\n]*"
    rf"|(?!(?:{'|'.join(_RESERVED_TOKENS)})\])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*[A-Z0-9])\]"
    r"(?![(\[]|:[ \t]+\S+[ \t]*(?:\n|$))"
    r"|(?<![\w\-])TK(?![\w\-])"
)
PLACEHOLDER_RE = re.compile(PLACEHOLDER_PATTERN)
_FENCE_RE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
_CODE_SPAN_RE = re.compile(r"(`+)(?:.+?)\1")
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


def find_placeholders(body: str) -> list[Placeholder]:
    """Every placeholder in ``body`` in document order, leaving code blocks and spans alone."""
    found: list[Placeholder] = []
    offset = 0
    fence: str | None = None
    for number, line in enumerate(body.split("\n"), start=1):
        fence_match = _FENCE_RE.match(line)
        if fence is not None:
            if fence_match and fence_match.group(1)[0] == fence[0] and len(
                fence_match.group(1)
            ) >= len(fence) and not line.strip(" `~"):
                fence = None
        elif fence_match and not ("`" in fence_match.group(1) and "`" in line[fence_match.end():]):
            fence = fence_match.group(1)
        else:
            searchable = _CODE_SPAN_RE.sub(lambda m: " " * len(m.group(0)), line)
            for match in PLACEHOLDER_RE.finditer(searchable):
                token = match.group(0)
                found.append(
                    Placeholder(
                        kind=placeholder_kind(token),
                        token=token,
                        line=number,
                        column=match.start() + 1,
                        start=offset + match.start(),
                        end=offset + match.end(),
                        context=_context(line, match.start(), match.end()),
                    )
                )
        offset += len(line) + 1
    return found


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
