"""The article model: metadata, Markdown body, related-story cards and unknown front matter."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from slugify import slugify

DEFAULT_RELATED_HEADING = "Don't Miss"
WORDS_PER_MINUTE = 230


@dataclass
class RelatedCard:
    """One story in the related block ("Don't Miss")."""

    title: str = ""
    url: str = ""
    image: str = ""
    image_alt: str = ""
    teaser: str = ""

    def to_dict(self) -> dict[str, str]:
        """The card as front matter: empty fields are left out."""
        return {key: value for key, value in dataclasses.asdict(self).items() if value}


@dataclass
class Article:
    """One article as the editor holds it.

    ``body`` is Markdown with ``\\n`` line endings whatever the file used; ``newline`` and
    ``bom`` remember the file's own so that saving gives back the same bytes. ``extra`` holds
    front-matter keys the editor does not know, in their order. ``key_order`` and
    ``key_aliases`` remember how the file spelled the known keys (``authors`` for ``author``…).
    """

    title: str = ""
    dek: str = ""
    author: str = ""
    date: str = ""
    slug: str = ""
    keyword: str = ""
    description: str = ""
    tags: list[str] = field(default_factory=list)
    image: str = ""
    image_alt: str = ""
    image_caption: str = ""
    related_heading: str = DEFAULT_RELATED_HEADING
    related: list[RelatedCard] = field(default_factory=list)
    body: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    lang: str = "en"
    # How the file was written; not article content.
    newline: str = "\n"
    bom: bool = False
    key_order: list[str] = field(default_factory=list)
    key_aliases: dict[str, str] = field(default_factory=dict)
    # The front-matter block exactly as read (fences included), reused on save while the
    # metadata is unchanged so that an untouched file keeps its bytes, comments and quoting.
    source_header: str | None = None
    # Recoverable oddities met while loading ("title was a number"), for the UI to show.
    warnings: list[str] = field(default_factory=list)

    def missing_metadata(self) -> list[str]:
        """Fields a desk editor expects before publishing."""
        return [name for name in ("title", "author", "date") if not getattr(self, name)]

    def copy(self) -> Article:
        return dataclasses.replace(
            self,
            tags=list(self.tags),
            related=[dataclasses.replace(card) for card in self.related],
            extra=dict(self.extra),
            key_order=list(self.key_order),
            key_aliases=dict(self.key_aliases),
            warnings=list(self.warnings),
        )


# A run of non-space characters holding at least one letter or digit.
_WORD_RE = re.compile(r"(?<!\S)(?=\S*?[^\W_])\S+")


def reading_minutes(words: int) -> int:
    """Minutes a reader needs for ``words``: at least one for any text at all."""
    return max(1, round(words / WORDS_PER_MINUTE)) if words else 0


def count_words(text: str) -> int:
    """Words as a reader counts them: Markdown punctuation alone is not a word."""
    return len(_WORD_RE.findall(text))


def trim_text(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, ending in "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: max(1, limit - 1)]
    if " " in cut and not text[len(cut)].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + "…"


def proposed_slug(headline: str) -> str:
    """The URL name a headline gives: lower case ASCII words joined by hyphens, at most ~60
    characters (whole words), "" for an empty headline."""
    return slugify(headline, max_length=60, word_boundary=True)
