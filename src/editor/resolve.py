"""Resolving a placeholder: the Markdown that replaces it, and which one to resolve next.

``[INTERNAL_LINK]`` and ``[EXTERNAL_LINK]`` become ``[anchor](url)``; ``[IMAGE: …]`` becomes
``![alt](src)`` with the description as the default alt text; ``TK`` and other tokens become
the text the writer gives (or a link when a URL is given too). The Placeholders panel and the
export flow use these so that a resolution reads the same wherever it was made.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from editor.model import RelatedCard
from editor.placeholders import Placeholder, PlaceholderKind

LINK_KINDS = frozenset({PlaceholderKind.INTERNAL_LINK, PlaceholderKind.EXTERNAL_LINK})
_SENTENCE_END = (".", "!", "?", "…", ":", ";", '."', ".”", ".’", "?”", "!”")
_SENTENCE_BREAK_RE = re.compile(r"[.!?…][\"'”’)]*\s+")
_DESTINATION_ESCAPES = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E"}


@dataclass(frozen=True)
class Resolution:
    """Replace ``placeholder`` (characters ``[start, end)`` of the body) with ``text``."""

    start: int
    end: int
    text: str

    def apply(self, body: str) -> str:
        return body[: self.start] + self.text + body[self.end:]


def escape_link_text(text: str) -> str:
    """Text as it may stand between ``[`` and ``]`` of a Markdown link."""
    text = " ".join(text.split())
    return re.sub(r"([\[\]\\])", r"\\\1", text)


def link_destination(url: str) -> str:
    """A URL as it may stand between the parentheses of a Markdown link."""
    url = url.strip()
    return "".join(_DESTINATION_ESCAPES.get(ch, ch) for ch in url)


def stands_alone(body: str, placeholder: Placeholder) -> bool:
    """Does the token follow a finished sentence (or open its line), not a phrase it could link?

    "…human lives. [INTERNAL_LINK]" stands alone: the link needs anchor text of its own,
    such as the related story's title.
    """
    line_start = body.rfind("\n", 0, placeholder.start) + 1
    before = body[line_start:placeholder.start].rstrip()
    return not before.strip(" \t#>-*•") or before.endswith(_SENTENCE_END)


def default_anchor(body: str, placeholder: Placeholder, card: RelatedCard | None = None) -> str:
    """The anchor text to offer: a picked story's title, or the image's description."""
    if placeholder.kind is PlaceholderKind.IMAGE:
        return placeholder.description
    if card is not None and card.title:
        return card.title
    return ""


def anchor_sentence(body: str, placeholder: Placeholder) -> tuple[int, str]:
    """The sentence whose words may carry a link: its body offset and its text.

    The sentence just before the token (the one it follows on its line), or the line's
    text before the token when no sentence ends there. Scraped copy puts ``[INTERNAL_LINK]``
    after the words that should carry the link, so those are the ones offered.
    """
    line_start = body.rfind("\n", 0, placeholder.start) + 1
    before = body[line_start:placeholder.start].rstrip()
    start = 0
    for match in _SENTENCE_BREAK_RE.finditer(before):
        if match.end() < len(before):
            start = match.end()
    return line_start + start, before[start:]


def proposed_anchor(body: str, placeholder: Placeholder, words: int = 4) -> tuple[int, int]:
    """Body offsets of the words just before the token, up to ``words`` of them within their
    clause (a comma, colon or dash ends it), without the sentence's closing punctuation.

    (start, start) when there are none.
    """
    sentence_start, sentence = anchor_sentence(body, placeholder)
    text = sentence.rstrip().rstrip(".!?…:;\"'”’)").rstrip()
    clause_start = max(text.rfind(mark) for mark in (",", ";", ":", " – ", " — ", "(")) + 1
    found = list(re.finditer(r"\S+", text[clause_start:]))[-words:]
    if not found:
        return sentence_start + len(text), sentence_start + len(text)
    return (sentence_start + clause_start + found[0].start(),
            sentence_start + clause_start + found[-1].end())


def resolve_on_words(body: str, placeholder: Placeholder, url: str, start: int,
                     end: int) -> Resolution:
    """Link the body's own words ``[start, end)`` (before the token) and drop the token.

    "…and human lives. [INTERNAL_LINK]" with "human lives" picked becomes
    "…and [human lives](url)." Raises ValueError as :func:`replacement_text` does.
    """
    if not start < end <= placeholder.start:
        raise ValueError("pick words before the placeholder")
    link = replacement_text(placeholder, url, body[start:end])
    between = body[end:placeholder.start].rstrip()
    return Resolution(start, placeholder.end, link + between)


def replacement_text(placeholder: Placeholder, url: str = "", text: str = "") -> str:
    """The Markdown that takes the token's place.

    For links ``text`` is the anchor (required: a bare URL reads badly); for ``[IMAGE: …]`` ``url``
    is the image source and ``text`` the alt text (the description when empty); for other
    tokens ``text`` replaces the token, linked to ``url`` when one is given.
    Raises ValueError when there is nothing to put in the token's place.
    """
    url = url.strip()
    text = " ".join(text.split())
    if placeholder.kind is PlaceholderKind.IMAGE:
        if not url:
            raise ValueError("an image needs a source (a path or URL)")
        alt = text or placeholder.description
        return f"![{escape_link_text(alt)}]({link_destination(url)})"
    if placeholder.kind in LINK_KINDS:
        if not url:
            raise ValueError("a link needs a URL")
        if not text:
            raise ValueError("a link needs anchor text: pick words of the sentence or type them")
        return f"[{escape_link_text(text)}]({link_destination(url)})"
    if url:
        return f"[{escape_link_text(text or url)}]({link_destination(url)})"
    if not text:
        raise ValueError("give the text that replaces the placeholder")
    return text


def resolve(placeholder: Placeholder, url: str = "", text: str = "") -> Resolution:
    """The edit that resolves ``placeholder`` (see :func:`replacement_text`)."""
    return Resolution(placeholder.start, placeholder.end,
                      replacement_text(placeholder, url, text))


def next_unresolved(placeholders: Sequence[Placeholder], position: int = 0,
                    kind: PlaceholderKind | None = None) -> Placeholder | None:
    """The first placeholder (of ``kind``, if given) at or after ``position``, wrapping round.

    ``position`` is a body offset, typically where the last resolution's text ended.
    """
    candidates = [p for p in placeholders if kind is None or p.kind is kind]
    for placeholder in candidates:
        if placeholder.start >= position:
            return placeholder
    return candidates[0] if candidates else None
