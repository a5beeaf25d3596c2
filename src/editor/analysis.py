"""What the editor knows about an article, derived once per revision and shared by every reader.

The status bar (words, reading time, placeholders left), the Headings panel (the outline), the
Placeholders panel and the Related stories panel (card problems) all read one
:class:`Analysis` instead of each scanning the body again. It is split into families: what
comes from the body (:class:`BodyAnalysis`) is reused as it is when only the metadata changed,
and what comes from the metadata (card problems) costs nothing to redo. A new family (spelling,
checks) is one more field and the function that fills it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from editor.fileformat import front_matter_length
from editor.model import Article, RelatedCard, count_words, reading_minutes
from editor.outline import Outline, parse_outline
from editor.placeholders import Placeholder, find_placeholders


class CardProblem(Enum):
    """What the Related stories panel warns about on a card."""

    NO_ALT_TEXT = "no-alt-text"
    NO_URL = "no-url"

    @property
    def message(self) -> str:
        return _CARD_MESSAGES[self]


_CARD_MESSAGES = {
    CardProblem.NO_ALT_TEXT: "No alt text for the image",
    CardProblem.NO_URL: "No URL yet",
}


def card_problems(card: RelatedCard) -> tuple[CardProblem, ...]:
    """The card's problems, the most pressing first."""
    found = []
    if card.image and not card.image_alt:
        found.append(CardProblem.NO_ALT_TEXT)
    if not card.url:
        found.append(CardProblem.NO_URL)
    return tuple(found)


@dataclass(frozen=True)
class BodyAnalysis:
    """Everything derived from the body text alone (positions are offsets in that text).

    The outline's sections are shared with every reader: treat them as read-only.
    """

    body: str
    words: int
    placeholders: tuple[Placeholder, ...]
    outline: Outline

    @property
    def reading_minutes(self) -> int:
        return reading_minutes(self.words)


@dataclass(frozen=True)
class Analysis:
    """One revision of an article as the window's parts see it."""

    body_analysis: BodyAnalysis
    card_problems: tuple[tuple[CardProblem, ...], ...]  # one entry per card, in card order

    @property
    def words(self) -> int:
        return self.body_analysis.words

    @property
    def reading_minutes(self) -> int:
        return self.body_analysis.reading_minutes

    @property
    def placeholders(self) -> tuple[Placeholder, ...]:
        return self.body_analysis.placeholders

    @property
    def outline(self) -> Outline:
        return self.body_analysis.outline


def analyze_body(body: str) -> BodyAnalysis:
    """Words, placeholders and outline of ``body``.

    A front-matter block pasted at the top is not body text, so it is blanked first; its
    characters become spaces, so that every offset still points into ``body``. Words are
    counted from the outline's own per-section counts, so the body is read for words once.
    """
    text = _blank_front_matter(body)
    outline = parse_outline(text)
    return BodyAnalysis(body, _words(text, outline), find_placeholders(text), outline)


def analyze_body_for_window(body: str) -> BodyAnalysis:
    """In the window's analysis worker process: :func:`analyze_body` without the body, which
    the window has already. Here in the core, so that the worker imports no Qt (7 MB)."""
    return replace(analyze_body(body), body="")


def analyze(article: Article, previous: Analysis | None = None) -> Analysis:
    """The analysis of ``article``; the body's part of ``previous`` is reused if the body is the same."""
    if previous is not None and previous.body_analysis.body == article.body:
        body_analysis = previous.body_analysis
    else:
        body_analysis = analyze_body(article.body)
    return with_metadata(body_analysis, article)


def with_metadata(body_analysis: BodyAnalysis, metadata: Article) -> Analysis:
    """The whole analysis from the body's part and the article's metadata (its body unused)."""
    return Analysis(body_analysis, tuple(card_problems(card) for card in metadata.related))


def _blank_front_matter(body: str) -> str:
    length = front_matter_length(body) if body.startswith("---") else 0
    if not length:
        return body
    head = "".join(character if character == "\n" else " " for character in body[:length])
    return head + body[length:]


def _words(text: str, outline: Outline) -> int:
    """All words of ``text``: before the first heading, in each heading, and in each section.

    Every piece starts and ends at a line boundary, where a word cannot be cut in two.
    """
    sections = outline.sections
    if not sections:
        return _count_in_paragraphs(text)
    words = _count_in_paragraphs(text[:sections[0].start])
    for section in sections:
        words += count_words(text[section.title_start:section.title_end]) + section.words
    return words


def _count_in_paragraphs(text: str) -> int:
    """``count_words`` a paragraph at a time: a long body without headings never holds the
    interpreter for one long scan (the analysis runs beside the window's own thread)."""
    return sum(count_words(paragraph) for paragraph in text.split("\n\n"))
