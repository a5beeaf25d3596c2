"""A story in the library, and words as the library matches them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Words too common to say anything about which story a paragraph is about.
STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not now of off on once only or other our ours ourselves out over
own same she should so some such than that the their theirs them themselves then there these
they this those through to too under until up very was we were what when where which while who
whom why will with would you your yours yourself yourselves said says say one two new like
may might must shall us s t don didn isn wasn also get got make made use used using see
""".split())

_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_APOSTROPHE_RE = re.compile(r"['’]")


def words(text: str) -> list[str]:
    """Lower-case words of ``text`` in order, possessives folded ("harbour's" → "harbour")."""
    return [_APOSTROPHE_RE.split(word, maxsplit=1)[0] if "'" in word or "’" in word else word
            for word in _WORD_RE.findall(text.lower())]


def content_words(text: str) -> list[str]:
    """The words of ``text`` that carry meaning: no stop words, no single letters."""
    return [word for word in words(text) if len(word) > 1 and word not in STOPWORDS]


@dataclass
class Story:
    """One past story: what the dock shows, what a link or card needs, and what is matched.

    ``key`` identifies it across re-indexing: its URL, or its file when it has none.
    ``source`` is the file or feed it came from (None for stories added another way).
    """

    title: str
    url: str = ""
    date: str = ""  # ISO 8601 (YYYY-MM-DD…); "" when unknown
    author: str = ""
    section: str = ""
    tags: list[str] = field(default_factory=list)
    teaser: str = ""
    image: str = ""
    image_alt: str = ""
    text: str = ""
    source: str | None = None
    external: bool = False  # from an outside source: a candidate for [EXTERNAL_LINK]
    language: str = ""  # ISO 639-1 when known: a server library indexes it in that language

    @property
    def key(self) -> str:
        if self.url:
            return self.url
        return f"file:{self.source or ''}#{self.title}"


@dataclass(frozen=True)
class Match:
    """A story a query found, with the backend's full-text relevance (higher is better)."""

    id: int
    story: Story
    relevance: float
