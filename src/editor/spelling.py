"""Spell checking in the article's language, line by line, for the editor and the command line.

Dictionaries: a Hunspell ``.dic``/``.aff`` pair found on the system (read by ``spylls``) when
there is one for the language, otherwise the word-frequency lists ``pyspellchecker`` ships
(en, es, fr, de, pt, it, nl, ru…), so every supported language works after a plain install.

What is never checked: placeholders, URLs and e-mail addresses, link targets, HTML tags,
code spans and fenced code, heading attributes, words in ALL CAPS, with digits or with
capitals inside (``iPhone``), and the words the article itself allows — its author, focus
keyword and tags, its ``spelling_ignore`` list and the user's personal word list.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from editor.errors import ArticleError
from editor.model import Article
from editor.placeholders import PLACEHOLDER_RE
from editor.syntax import CODE_SPAN_RE, FENCE_RE

# The front-matter key holding the words "Ignore in this article" added, shared with colleagues.
IGNORE_KEY = "spelling_ignore"
PERSONAL_WORDS_FILE = "dictionary.txt"
SUGGESTION_LIMIT = 3
HUNSPELL_FOLDERS = (
    Path("/usr/share/hunspell"),
    Path("/usr/share/myspell"),
    Path("/usr/share/myspell/dicts"),
    Path("/Library/Spelling"),
    Path.home() / "Library" / "Spelling",
)

_WORD_RE = re.compile(r"\w+(?:['’]\w+)*")
# Stretches of a line that are not prose.
_SKIP_RES = (
    CODE_SPAN_RE,
    PLACEHOLDER_RE,
    re.compile(r"(?:https?|ftp)://\S+|www\.\S+"),
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    re.compile(r"\]\([^)]*\)"),  # a link's or image's target
    re.compile(r"</?[A-Za-z][^>\n]*>"),  # an HTML tag or an autolink
    re.compile(r"\{[:#.][^}\n]*\}"),  # an attribute list
    re.compile(r"\[\^[^\]\n]+\]"),  # a footnote reference
    re.compile(r"&#?\w+;"),  # an HTML entity
)
_REFERENCE_DEFINITION_RE = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]+\S")
_SKIP_HINTS = ("`", "[", "TK", "://", "www.", "@", "](", "<", "{", "&")


class UnknownLanguageError(ArticleError):
    """No dictionary, shipped or on the system, for the language asked for."""


class WordList(Protocol):
    """A dictionary: which words it knows and what it suggests for one it does not."""

    name: str

    def knows(self, word: str) -> bool: ...

    def suggest(self, word: str, limit: int = SUGGESTION_LIMIT) -> list[str]: ...


class PackagedWordList:
    """``pyspellchecker``'s word-frequency list: lower-case words, suggestions by edit distance."""

    def __init__(self, language: str) -> None:
        from spellchecker import SpellChecker

        self.name = f"{language} (pyspellchecker)"
        self._checker = SpellChecker(language=language, distance=2)
        self._words = self._checker.word_frequency.dictionary

    def knows(self, word: str) -> bool:
        return word.lower() in self._words

    def suggest(self, word: str, limit: int = SUGGESTION_LIMIT) -> list[str]:
        """Known words one edit away, and two edits away for words up to 12 letters when one
        edit finds nothing or the word is short; a word two edits away must be 100 times as
        common to rank above one a single edit away."""
        lower = word.lower()
        checker = self._checker
        near = set(checker.known(checker.edit_distance_1(lower)))
        far: set[str] = set()
        if len(lower) <= 12 and (not near or len(lower) <= 8):
            far = set(checker.known(checker.edit_distance_2(lower))) - near
        candidates = (near | far) - {lower}

        def rank(candidate: str) -> tuple[float, str]:
            weight = 1.0 if candidate in near else 0.01
            return (-checker.word_usage_frequency(candidate) * weight, candidate)

        return sorted(candidates, key=rank)[:limit]


class HunspellWordList:
    """A Hunspell dictionary from the system, with its affix rules.

    Suggestions come first from the shipped frequency list (milliseconds, ranked by how common
    a word is) kept to the words Hunspell knows; Hunspell's own suggestion search, which takes
    a fraction of a second a word in pure Python, is the fallback.
    """

    def __init__(self, dic_path: Path, language: str | None = None) -> None:
        self.name = f"{dic_path.stem} (Hunspell, {dic_path.parent})"
        self._dictionary = read_hunspell(dic_path.with_suffix(""))
        self._language = language

    def knows(self, word: str) -> bool:
        return bool(self._dictionary.lookup(word))

    @functools.cached_property
    def _frequencies(self) -> PackagedWordList | None:
        try:
            return PackagedWordList(self._language) if self._language else None
        except ValueError:
            return None

    def suggest(self, word: str, limit: int = SUGGESTION_LIMIT) -> list[str]:
        if self._frequencies is not None:
            quick = [s for s in self._frequencies.suggest(word, limit * 3) if self.knows(s)]
            if quick:
                return quick[:limit]
        found: list[str] = []
        for suggestion in self._dictionary.suggest(word):
            if suggestion not in found:
                found.append(suggestion)
            if len(found) == limit:
                break
        return found


# A .dic file is read this many lines at a time (some 5 ms), each slice made compact at once;
# off the main thread the reader then pauses (see read_hunspell).
DIC_LINES_PER_SLICE = 1000
READ_PAUSE_SECONDS = 0.004


def read_hunspell(path: Path) -> Any:  # a spylls.hunspell.Dictionary
    """spylls' ``Dictionary.from_files(path)`` in half the memory, with the same answers.

    spylls gives each of a dictionary's 79,000 words (en_US) a set of its flags, a dict of its
    data tags, a list of its alternative spellings, and a list in each of its two indexes:
    57 MB of objects (62 MB of the process), of which those sets took 18, the empty dicts and
    lists 9, the indexes' lists 14. Here words with the same flags share one set (spylls never
    changes one), words without data or alternative spellings share one empty dict and tuple,
    and the index of stems holds tuples: 27 MB (32 MB of the process). Each slice of the file
    is made compact as soon as spylls has read it, so that the next slice reuses the memory
    its discarded objects took: made compact after the whole file was read, the process kept
    all 62 MB (Python keeps freed small objects' memory for its own later use).

    Off the main thread (the window reads dictionaries in a thread while the user may type)
    the reader pauses after each slice. Python threads share one interpreter lock, and each
    time the window's thread let go of it, as every call into Qt does, it waited up to the
    5 ms switch interval to get it back from a reader that never paused: a frame of twenty
    such calls took 55-100 ms while a dictionary was read, 10-16 ms with the pauses. Reading
    takes 0.8 s instead of 0.35 s, off the window's thread.
    """
    from spylls.hunspell import Dictionary, readers
    from spylls.hunspell.data.dic import Dic
    from spylls.hunspell.readers.file_reader import FileReader

    pause = READ_PAUSE_SECONDS if threading.current_thread() is not threading.main_thread() else 0
    aff, context = readers.read_aff(FileReader(f"{path}.aff"))
    words = Dic(words=[])
    index: dict[str, tuple[Any, ...]] = {}
    # spylls' own lists: it files every all-lower-case word under each of its letters there
    # too (it hands Dic.append the word where a list of forms is meant), and looking up a word
    # in ALL CAPS reads those; kept as they are, so that answers stay spylls' own.
    lowercase_index: dict[str, list[Any]] = {}
    flag_sets: dict[tuple[str, ...], set[str]] = {}  # by the order a set gives its flags in
    no_data: dict[str, list[str]] = {}
    lines = FileReader(f"{path}.dic", encoding=context.encoding)
    try:
        while part := list(itertools.islice(lines, DIC_LINES_PER_SLICE)):
            read = readers.read_dic(iter(part), aff=aff, context=context)  # also adds to aff.REP
            for word in read.words:
                word.flags = flag_sets.setdefault(tuple(word.flags), word.flags)
                word.data = word.data or no_data
                word.alt_spellings = word.alt_spellings or ()
                words.words.append(word)
            for stem, homonyms in read.index.items():
                known = index.get(stem)
                index[stem] = tuple(homonyms) if known is None else (*known, *homonyms)
            for lower, homonyms in read.lowercase_index.items():
                listed = lowercase_index.setdefault(lower, homonyms)
                if listed is not homonyms:
                    listed.extend(homonyms)
            if pause:
                time.sleep(pause)
    finally:
        lines.io.close()
    words.index, words.lowercase_index = index, lowercase_index
    return Dictionary(aff, words)


def base_language(lang: str) -> str:
    """``en`` for ``en-GB``, ``pt`` for ``pt_BR``."""
    return re.split(r"[-_]", lang.strip().lower(), maxsplit=1)[0] or "en"


def find_hunspell(lang: str, folders: Sequence[Path] = HUNSPELL_FOLDERS) -> Path | None:
    """The system's ``.dic`` for ``lang`` (its region first: ``en_GB`` for ``en-GB``)."""
    base = base_language(lang)
    region = lang.replace("-", "_")
    for folder in folders:
        if not folder.is_dir():
            continue
        exact = [folder / f"{region}.dic", folder / f"{base}.dic"]
        others = sorted(folder.glob(f"{base}_*.dic"))
        for candidate in [*exact, *others]:
            if candidate.is_file() and candidate.with_suffix(".aff").is_file():
                return candidate
    return None


@functools.lru_cache(maxsize=8)
def word_list_for(lang: str, folders: tuple[Path, ...] = HUNSPELL_FOLDERS) -> WordList:
    """The dictionary for an article's ``lang``: the system's Hunspell one, else the shipped one."""
    dic_path = find_hunspell(lang, folders)
    if dic_path is not None:
        try:
            return HunspellWordList(dic_path, base_language(lang))
        except (OSError, ValueError, UnicodeDecodeError):
            pass  # an unreadable system dictionary: the shipped one still works
    base = base_language(lang)
    try:
        return PackagedWordList(base)
    except ValueError as error:
        raise UnknownLanguageError(f"no spelling dictionary for language {lang!r}") from error


def personal_words_path(data_folder: Path) -> Path:
    return data_folder / PERSONAL_WORDS_FILE


def default_data_folder() -> Path:
    """The user's data folder as the window finds it (XDG on Linux), for the command line."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "ArticleEditor" / "Article Editor"


def read_personal_words(path: Path) -> frozenset[str]:
    """The personal word list: one word a line, ``#`` comments; a missing file is empty."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return frozenset()
    return frozenset(line.strip() for line in text.splitlines()
                     if line.strip() and not line.lstrip().startswith("#"))


def add_personal_word(path: Path, word: str) -> None:
    """Append ``word`` to the personal word list, creating the file and its folder."""
    if word in read_personal_words(path):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    separator = "" if not existing or existing.endswith("\n") else "\n"
    with path.open("a", encoding="utf-8") as file:
        file.write(f"{separator}{word}\n")


def ignored_words(article: Article) -> list[str]:
    """The article's own "Ignore in this article" words (``spelling_ignore`` in the front matter)."""
    value = article.extra.get(IGNORE_KEY)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(item) for item in value if item is not None]
    return []


def with_ignored_word(article: Article, word: str) -> dict[str, object]:
    """The article's ``extra`` with ``word`` added to its ignore list (for one metadata edit)."""
    extra = dict(article.extra)
    words = ignored_words(article)
    if word not in words:
        words.append(word)
    extra[IGNORE_KEY] = words
    return extra


def article_terms(article: Article) -> set[str]:
    """Words the article's own front matter vouches for: author, focus keyword, tags, ignores."""
    terms: set[str] = set()
    for text in (article.author, article.keyword, *article.tags, *ignored_words(article)):
        terms.update(_WORD_RE.findall(text))
    return terms


@dataclass(frozen=True)
class Misspelling:
    """One unknown word: 1-based ``line``, 0-based ``start``/``end`` columns in that line."""

    word: str
    line: int
    start: int
    end: int

    @property
    def column(self) -> int:
        return self.start + 1


class SpellChecker:
    """Checks lines against one dictionary plus the words allowed for one article.

    Results are kept by line text, so that a keystroke re-checks only the line it changed;
    build a new checker when the allowed words or the language change.
    """

    CACHE_LIMIT = 200_000

    def __init__(self, words: WordList, allowed: Iterable[str] = ()) -> None:
        self.words = words
        self.allowed = frozenset(allowed)
        self._allowed = {_normal(word).lower() for word in allowed}
        self._known: dict[str, bool] = {}
        self._lines: dict[str, tuple[tuple[int, int], ...]] = {}

    def allowing(self, allowed: Iterable[str]) -> SpellChecker:
        """A checker of the same dictionary for other allowed words. When they only add words
        (Add to Dictionary, Ignore in This Article) it keeps what this one worked out that an
        added word cannot change, so that the window re-checks only the lines it may clear."""
        checker = SpellChecker(self.words, allowed)
        added = checker._allowed - self._allowed
        if self._allowed - checker._allowed:
            return checker  # a word no longer allowed may be flagged again on any line

        def may_be_allowed(word: str) -> bool:  # (a word's forms checked are parts of it)
            lower = _normal(word).lower()
            return any(addition in lower for addition in added)

        checker._known = {word: known for word, known in self._known.items()
                          if known or not may_be_allowed(word)}
        checker._lines = {line: spans for line, spans in self._lines.items()
                          if not spans or not any(may_be_allowed(line[start:end])
                                                  for start, end in spans)}
        return checker

    def is_known(self, word: str) -> bool:
        word = _normal(word)
        known = self._known.get(word)
        if known is None:
            known = self._decide(word)
            if len(self._known) > self.CACHE_LIMIT:
                self._known.clear()
            self._known[word] = known
        return known

    def _decide(self, word: str) -> bool:
        if len(word) < 2 or _exempt(word):
            return True
        stripped = word.strip("'")
        for candidate in {word, stripped, _without_possessive(stripped)}:
            if not candidate or candidate.lower() in self._allowed:
                return True
            if self.words.knows(candidate):
                return True
            # A capitalised word at the start of a sentence, or an all-lower dictionary entry.
            if candidate[:1].isupper() and self.words.knows(candidate.lower()):
                return True
        return False

    def line_spans(self, line: str) -> tuple[tuple[int, int], ...]:
        """``(start, end)`` of every misspelt word in one line of prose (cached by text)."""
        spans = self._lines.get(line)
        if spans is None:
            spans = self._check_line(line)
            if len(self._lines) > self.CACHE_LIMIT:
                self._lines.clear()
            self._lines[line] = spans
        return spans

    def _check_line(self, line: str) -> tuple[tuple[int, int], ...]:
        if _REFERENCE_DEFINITION_RE.match(line):
            return ()
        skipped = _skipped_spans(line)
        found = []
        for match in _WORD_RE.finditer(line):
            start, end = match.span()
            if skipped and any(a <= start < b for a, b in skipped):
                continue
            if not self.is_known(match.group()):
                found.append((start, end))
        return tuple(found)

    def suggest(self, word: str, limit: int = SUGGESTION_LIMIT) -> list[str]:
        """Replacements for ``word``, most likely first, in the word's own capitalisation."""
        word = _normal(word)
        suggestions = self.words.suggest(word, limit)
        if word[:1].isupper():
            suggestions = [s[:1].upper() + s[1:] for s in suggestions]
        return suggestions

    def check_body(self, body: str) -> Iterator[Misspelling]:
        """Every misspelling in a Markdown body, skipping fenced code blocks."""
        for misspellings in self.check_body_by_line(body):
            yield from misspellings

    def check_body_by_line(self, body: str) -> Iterator[list[Misspelling]]:
        """:meth:`check_body` one line at a time (most lines: an empty list), so that the
        window can pause between lines for its other work."""
        for number, line, in_code in _prose_lines(body):
            spans = () if in_code else self.line_spans(line)
            yield ([Misspelling(line[start:end], number, start, end) for start, end in spans]
                   if spans else [])

    def check_lines(self, body: str) -> Iterator[int]:
        """Check (and cache) every prose line of a body, yielding after each line."""
        for number, line, in_code in _prose_lines(body):
            if not in_code:
                self.line_spans(line)
            yield number

    def check_text(self, text: str) -> list[tuple[int, int]]:
        """Misspelt words of one metadata field (a headline, a caption): ``(start, end)``."""
        return [span for line_start, line in _offsets(text)
                for span in ((line_start + a, line_start + b) for a, b in self.line_spans(line))]


def checker_for(article: Article, personal_words: Iterable[str] = (),
                lang: str | None = None) -> SpellChecker:
    """A checker for ``article`` in its language (or ``lang``) with every word it allows."""
    words = word_list_for(lang or article.lang or "en")
    return SpellChecker(words, [*article_terms(article), *personal_words])


def _normal(word: str) -> str:
    return word.replace("’", "'")


def _without_possessive(word: str) -> str:
    if word.lower().endswith("'s"):
        return word[:-2]
    return word


def _exempt(word: str) -> bool:
    """ALL CAPS, digits, underscores and inner capitals (``iPhone``, ``McDonald``) are not checked."""
    if any(char.isdigit() or char == "_" for char in word):
        return True
    letters = word.replace("'", "")
    if letters.isupper():
        return True
    return any(char.isupper() for char in letters[1:])


def _skipped_spans(line: str) -> list[tuple[int, int]]:
    if not any(hint in line for hint in _SKIP_HINTS):
        return []
    return [match.span() for pattern in _SKIP_RES for match in pattern.finditer(line)]


def _offsets(text: str) -> Iterator[tuple[int, str]]:
    position = 0
    for line in text.split("\n"):
        yield position, line
        position += len(line) + 1


def _prose_lines(body: str) -> Iterator[tuple[int, str, bool]]:
    """Each line of the body with its 1-based number and whether it is fenced code."""
    fence: str | None = None
    for number, line in enumerate(body.split("\n"), start=1):
        match = FENCE_RE.match(line)
        if fence is None:
            if match:
                fence = match.group(1)
                yield number, line, True
                continue
            yield number, line, False
        else:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            yield number, line, True
