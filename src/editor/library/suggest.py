"""Ranking the library's stories for an article: one list per link placeholder, and cards.

For each ``[INTERNAL_LINK]`` (and ``[EXTERNAL_LINK]``) the words around it are weighted by how
close they are — the anchor text written just before the token above its sentence, the
sentence above its paragraph, the paragraph above the article's headline, keyword and tags —
and the rarest of them ask the store for candidates. The candidates are then re-scored with
the same rules on any backend: full-text relevance, the share of the weighted words in the
story's title and tags, phrases shared with the title, closeness to the whole article, and
recency. The article itself and stories published after it are never offered.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

from editor.library.sources import article_date_and_url
from editor.library.store import StoryStore
from editor.library.story import Match, Story, content_words
from editor.model import Article
from editor.placeholders import Placeholder, PlaceholderKind, find_placeholders

LINK_KINDS = (PlaceholderKind.INTERNAL_LINK, PlaceholderKind.EXTERNAL_LINK)
ANCHOR_WORDS = 5
FOLLOWING_WORDS = 3  # the words right after the token ("the [INTERNAL_LINK] statement")
BODY_WORDS = 40  # the body's most frequent words, for related cards
_LINK_URL_RE = re.compile(r"\]\(\s*<?([^)\s>]+)|<(https?://[^>\s]+)>|^\s*\[[^\]]+\]:\s*<?(\S+?)>?\s*$",
                          re.MULTILINE)
_CLAUSE_END_RE = re.compile(r"[.!?;:()\[\]\"“”—–]|\s-\s")
_SENTENCE_RE = re.compile(r"(?<=[.!?…])[\"'”’)]?\s+(?=\S)")


@dataclass(frozen=True)
class Weights:
    """How much each kind of evidence counts; tuned on ``bench/library_ranking.py``."""

    anchor: float = 4.0  # the words just before the token
    sentence: float = 2.0
    paragraph: float = 1.0
    following: float = 2.0  # the words right after the token, within its clause
    article: float = 0.6  # headline, keyword, tags
    lookup_terms: int = 24  # the heaviest words whose frequency is looked up
    query_terms: int = 8  # the rarest of those, sent to the store
    pool: int = 40  # candidates re-scored
    relevance: float = 2.0  # the store's full-text score, the best candidate's being 1
    title: float = 3.0  # weighted share of the query words in the story's title
    tags: float = 0.3
    phrase: float = 1.0  # two words in a row shared with the title (by their weight)
    anchor_relevance: float = 1.0  # the store's score for the anchor words alone
    context: float = 0.4  # the store's score for the whole article's words
    recency: float = 0.05  # newer stories first among equals (a year ago counts half)


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class Suggestion:
    """A story offered for a placeholder or a card, with its score and why it matched."""

    story: Story
    score: float
    why: str


@dataclass(frozen=True)
class PlaceholderSuggestions:
    placeholder: Placeholder
    anchor: str  # anchor text written just before the token ("" when it stands alone)
    suggestions: list[Suggestion]


@dataclass
class ArticleSuggestions:
    placeholders: list[PlaceholderSuggestions] = field(default_factory=list)
    related: list[Suggestion] = field(default_factory=list)


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A plural folded to its singular, enough to match "bridges" with "bridge"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@functools.lru_cache(maxsize=65536)
def _variants(base: str) -> tuple[str, ...]:
    """The forms of a stem the index may hold: singular and plural."""
    if base.endswith("y"):
        return (base, base + "s", base[:-1] + "ies")
    if base.endswith(("s", "x", "ch", "sh")):
        return (base, base + "es")
    return (base, base + "s")


class Suggester:
    """Suggestions from one store for one article at a time; remembers word frequencies."""

    def __init__(self, store: StoryStore, weights: Weights = DEFAULT_WEIGHTS) -> None:
        self.store = store
        self.weights = weights
        self._frequencies: dict[str, int] = {}
        self._total = max(1, store.count())
        self._story_word_cache: dict[int, tuple[list[str], set[str], set[str]]] = {}

    # --- the article -------------------------------------------------------------------------

    def suggest(self, article: Article, path: Path | None = None, limit: int = 5,
                kinds: Sequence[PlaceholderKind] = LINK_KINDS) -> ArticleSuggestions:
        """Suggestions for every link placeholder of ``article``, and for its related cards."""
        own = _Own.of(article, path)
        article_weights = self._article_words(article)
        placeholders = [(placeholder, *self._placeholder_words(article.body, placeholder,
                                                               article_weights))
                        for placeholder in find_placeholders(article.body)
                        if placeholder.kind in kinds]
        related_weights = self._related_words(article, article_weights)
        # Every word whose frequency the ranking will need, asked for at once.
        self._look_up([article_weights, related_weights,
                       *(weighted for _, _, weighted, _ in placeholders),
                       *(dict.fromkeys(_stems(content_words(anchor)), 1.0)
                         for _, anchor, _, _ in placeholders)])
        context = self._relevance_by_id(article_weights, own, article.date, pool=100)
        result = ArticleSuggestions()
        for placeholder, anchor, weighted, phrases in placeholders:
            suggestions = self._rank(weighted, anchor, own, article.date, context, limit,
                                     external=placeholder.kind is PlaceholderKind.EXTERNAL_LINK,
                                     context_phrases=phrases)
            result.placeholders.append(PlaceholderSuggestions(placeholder, anchor, suggestions))
        result.related = self.related(article, path, limit, _own=own,
                                      _article_weights=article_weights,
                                      _related_weights=related_weights)
        return result

    def for_placeholder(self, article: Article, placeholder: Placeholder,
                        path: Path | None = None, limit: int = 5) -> PlaceholderSuggestions:
        own = _Own.of(article, path)
        article_weights = self._article_words(article)
        context = self._relevance_by_id(article_weights, own, article.date, pool=100)
        anchor, weighted, phrases = self._placeholder_words(article.body, placeholder,
                                                            article_weights)
        return PlaceholderSuggestions(placeholder, anchor, self._rank(
            weighted, anchor, own, article.date, context, limit,
            external=placeholder.kind is PlaceholderKind.EXTERNAL_LINK, context_phrases=phrases))

    def related(self, article: Article, path: Path | None = None, limit: int = 5, *,
                _own: _Own | None = None, _article_weights: dict[str, float] | None = None,
                _related_weights: dict[str, float] | None = None) -> list[Suggestion]:
        """Stories for the related block: none already linked in the body or carded."""
        own = _own or _Own.of(article, path)
        weighted = _related_weights or self._related_words(
            article, _article_weights or self._article_words(article))
        taken = linked_urls(article.body) | {card.url for card in article.related if card.url}
        taken_titles = {card.title.casefold() for card in article.related if card.title}
        ranked = self._rank(weighted, "", own, article.date, {}, limit + len(taken) + 5,
                            external=False,
                            context_phrases=_bigrams(_stems(content_words(article.title))))
        return [suggestion for suggestion in ranked
                if suggestion.story.url not in taken
                and suggestion.story.title.casefold() not in taken_titles][:limit]

    # --- words and their weights --------------------------------------------------------------

    def _article_words(self, article: Article) -> dict[str, float]:
        weighted: dict[str, float] = {}
        text = " ".join((article.title, article.keyword, " ".join(article.tags)))
        for word in _stems(content_words(text)):
            weighted[word] = self.weights.article
        return weighted

    def _related_words(self, article: Article, article_weights: dict[str, float]
                       ) -> dict[str, float]:
        """The article's words with the body's most frequent ones, for related cards."""
        weighted = dict(article_weights)
        frequent = Counter(_stems(content_words(article.body))).most_common(BODY_WORDS)
        top = frequent[0][1] if frequent else 1
        for word, count in frequent:
            weighted[word] = weighted.get(word, 0.0) + self.weights.paragraph * count / top
        return weighted

    def _placeholder_words(self, body: str, placeholder: Placeholder,
                           article_weights: dict[str, float]
                           ) -> tuple[str, dict[str, float], set[tuple[str, str]]]:
        paragraph, offset = _paragraph(body, placeholder.start)
        at = placeholder.start - offset
        end = placeholder.end - offset
        sentence = _sentence(paragraph, at, end)
        anchor = _anchor(paragraph[:at])
        weighted = dict(article_weights)
        following = " ".join(_CLAUSE_END_RE.split(paragraph[end:].lstrip(), maxsplit=1)[0]
                             .split()[:FOLLOWING_WORDS])
        for text, weight in ((paragraph[:at] + " " + paragraph[end:], self.weights.paragraph),
                             (sentence, self.weights.sentence),
                             (anchor, self.weights.anchor),
                             (following, self.weights.following)):
            for word in _stems(content_words(_without_placeholders(text))):
                weighted[word] = weighted.get(word, 0.0) + weight
        phrases = _bigrams(_stems(content_words(_without_placeholders(sentence))))
        return anchor, weighted, phrases

    def _heaviest(self, weighted: dict[str, float]) -> list[str]:
        """The words whose frequency is looked up: the heaviest (the longest among equals)."""
        return sorted(weighted, key=lambda word: (weighted[word], len(word)),
                      reverse=True)[: self.weights.lookup_terms]

    def _look_up(self, weighted: Iterable[dict[str, float]]) -> None:
        """Fetch, in one request to the store, the frequencies the heaviest words of each of
        ``weighted`` need and are not yet known (every form of each word)."""
        missing = list(dict.fromkeys(
            form for words in weighted for base in self._heaviest(words)
            for form in _variants(base) if form not in self._frequencies))
        if missing:
            self._frequencies.update(self.store.document_frequencies(missing))

    def _idf(self, stems: Iterable[str]) -> dict[str, float]:
        stems = list(stems)
        self._look_up([dict.fromkeys(stems, 1.0)])
        idf = {}
        for base in stems:
            frequency = self._frequency(base)
            idf[base] = math.log(1 + (self._total - frequency + 0.5) / (frequency + 0.5)) \
                if frequency else 0.0
        return idf

    # --- candidates and their scores ----------------------------------------------------------

    def _query(self, weighted: dict[str, float]) -> tuple[list[str], dict[str, float]]:
        """The store's query (the heaviest rare words, in every form the store holds).

        Only the heaviest words are looked up (frequencies cost a lookup each); words in
        most stories of a large library say little and make the query slow, so they are left
        out of it (they still count in the title's share).
        """
        idf = self._idf(self._heaviest(weighted))
        importance = {word: weighted[word] * value for word, value in idf.items() if value}
        common = max(200, self._total // 500)
        chosen = sorted((word for word in importance
                         if self._frequency(word) <= common),
                        key=importance.__getitem__, reverse=True)[: self.weights.query_terms]
        forms = [form for base in chosen for form in _variants(base) if self._frequencies[form]]
        return forms, importance

    def _frequency(self, base: str) -> int:
        return max(self._frequencies[form] for form in _variants(base))

    def _relevance_by_id(self, weighted: dict[str, float], own: _Own, date: str,
                         pool: int) -> dict[int, float]:
        forms, _ = self._query(weighted)
        matches = self.store.match_any(forms, limit=pool, published_by=date,
                                       exclude_keys=own.keys)
        best = max((match.relevance for match in matches), default=0.0) or 1.0
        return {match.id: match.relevance / best for match in matches}

    def _story_words(self, match: Match) -> tuple[list[str], set[str], set[str]]:
        """A story's title words in order, as a set, and its tag words (kept per story)."""
        known = self._story_word_cache.get(match.id)
        if known is None:
            title = _stems(content_words(match.story.title))
            tags = set(_stems(content_words(" ".join(match.story.tags))))
            known = self._story_word_cache[match.id] = (title, set(title), tags)
        return known

    def _rank(self, weighted: dict[str, float], anchor: str, own: _Own, date: str,
              context: dict[int, float], limit: int, external: bool,
              context_phrases: AbstractSet[tuple[str, str]] = frozenset()) -> list[Suggestion]:
        forms, importance = self._query(weighted)
        if not forms:
            return []
        matches = self.store.match_any(forms, limit=self.weights.pool, published_by=date,
                                       exclude_keys=own.keys)
        relevance = {match.id: match.relevance for match in matches}
        anchor_stems = _stems(content_words(anchor))
        anchor_relevance: dict[int, float] = {}
        if anchor_stems and self.weights.anchor_relevance:
            # The anchor alone, as a query of its own: the words a link is written on.
            anchor_forms, _ = self._query(dict.fromkeys(anchor_stems, 1.0))
            anchor_matches = self.store.match_any(anchor_forms, limit=self.weights.pool // 2,
                                                  published_by=date, exclude_keys=own.keys)
            top = max((match.relevance for match in anchor_matches), default=0.0) or 1.0
            anchor_relevance = {match.id: match.relevance / top for match in anchor_matches}
            known = {match.id for match in matches}
            matches += [match for match in anchor_matches if match.id not in known]
        matches = [match for match in matches if not own.is_own(match.story)]
        if external:
            matches = [match for match in matches if match.story.external] or matches
        best = max(relevance.values(), default=0.0) or 1.0
        total = sum(importance.values()) or 1.0
        anchor_phrases = _bigrams(anchor_stems)
        phrases = anchor_phrases | context_phrases
        newest = max((match.story.date for match in matches), default="")
        scored = []
        w = self.weights
        for match in matches:
            story = match.story
            title_stems, title_words, tag_words = self._story_words(match)
            in_title = [word for word in importance if word in title_words]
            in_tags = [word for word in importance if word in tag_words]
            shared_phrases = _bigrams(title_stems) & phrases
            phrase_weight = sum(importance.get(a, 0.0) + importance.get(b, 0.0)
                                for a, b in shared_phrases) / total
            score = (w.relevance * relevance.get(match.id, 0.0) / best
                     + w.anchor_relevance * anchor_relevance.get(match.id, 0.0)
                     + w.title * sum(importance[word] for word in in_title) / total
                     * _title_focus(len(title_words))
                     + w.tags * sum(importance[word] for word in in_tags) / total
                     + w.phrase * phrase_weight
                     + w.context * context.get(match.id, 0.0)
                     + w.recency * _recency(story.date, newest))
            scored.append((score, match, in_title, in_tags, shared_phrases))
        scored.sort(key=lambda item: item[0], reverse=True)
        return [Suggestion(match.story, round(score, 4), _why(match, in_title, in_tags, phrases,
                                                             importance))
                for score, match, in_title, in_tags, phrases in scored[:limit]]


@dataclass(frozen=True)
class _Own:
    """What identifies the article itself, so that it is never suggested to itself."""

    keys: tuple[str, ...]
    source: str | None
    title: str

    @classmethod
    def of(cls, article: Article, path: Path | None) -> _Own:
        _, url = article_date_and_url(article, path)
        keys = (url,) if url else ()
        source = str(Path(path).absolute()) if path is not None else None
        return cls(keys, source, article.title.strip().casefold())

    def is_own(self, story: Story) -> bool:
        return (bool(self.source) and story.source == self.source) or (
            bool(self.title) and story.title.strip().casefold() == self.title)


def linked_urls(body: str) -> set[str]:
    """The URLs the body already links to (inline links, autolinks, reference definitions)."""
    return {next(group for group in match.groups() if group)
            for match in _LINK_URL_RE.finditer(body)}


def _stems(words: Iterable[str]) -> list[str]:
    return [stem(word) for word in words]


def _bigrams(stems: Sequence[str]) -> set[tuple[str, str]]:
    return set(itertools.pairwise(stems))


def _title_focus(title_words: int) -> float:
    """A word in a short title says more about the story than one in a long title."""
    return 1.0 if title_words <= 6 else 6 / title_words


def _recency(date: str, newest: str) -> float:
    if not date or not newest:
        return 0.0
    try:
        days = (int(newest[:4]) - int(date[:4])) * 365 + (int(newest[5:7]) - int(date[5:7])) * 30
    except ValueError:
        return 0.0
    return 1.0 / (1.0 + max(0, days) / 365)


def _why(match: Match, in_title: list[str], in_tags: list[str],
         phrases: set[tuple[str, str]], importance: dict[str, float]) -> str:
    parts = []
    if phrases:
        parts.append("phrase " + ", ".join(f"“{a} {b}”" for a, b in sorted(phrases)[:2])
                     + " in the title")
    if in_title:
        parts.append("title: " + ", ".join(sorted(in_title, key=importance.__getitem__,
                                                  reverse=True)[:4]))
    if in_tags:
        parts.append("tags: " + ", ".join(in_tags[:3]))
    if not parts:
        text_words = set(_stems(content_words(match.story.text[:4000])))
        shared = sorted((word for word in importance if word in text_words),
                        key=importance.__getitem__, reverse=True)[:5]
        parts.append("shared words: " + ", ".join(shared) if shared else "text matches")
    return "; ".join(parts)


def _paragraph(body: str, position: int) -> tuple[str, int]:
    start = body.rfind("\n\n", 0, position)
    start = 0 if start < 0 else start + 2
    end = body.find("\n\n", position)
    end = len(body) if end < 0 else end
    return body[start:end], start


def _sentence(paragraph: str, start: int, end: int) -> str:
    before = _SENTENCE_RE.split(paragraph[:start])[-1]
    after = _SENTENCE_RE.split(paragraph[end:], maxsplit=1)[0]
    return before + " " + after


def _anchor(before: str) -> str:
    """The words just before the token, within its clause: what a link would be written on."""
    clause = _CLAUSE_END_RE.split(before.rstrip())[-1]
    words = clause.split()
    return " ".join(words[-ANCHOR_WORDS:]) if words else ""


def _without_placeholders(text: str) -> str:
    return re.sub(r"\[[A-Z][A-Z0-9_]*(?::[^\]]*)?\]", " ", text)
