"""Spell checking: the dictionaries, what is never checked, the article's own words."""

from __future__ import annotations

import statistics
import threading
import time
import tracemalloc
from pathlib import Path

import pytest
import spylls.hunspell
from spylls.hunspell import Dictionary

from editor.fileformat import dump_markdown, parse_markdown
from editor.model import Article
from editor.spelling import (
    HunspellWordList,
    PackagedWordList,
    SpellChecker,
    UnknownLanguageError,
    add_personal_word,
    article_terms,
    checker_for,
    find_hunspell,
    ignored_words,
    read_hunspell,
    read_personal_words,
    with_ignored_word,
    word_list_for,
)


@pytest.fixture(scope="module")
def english() -> PackagedWordList:
    return PackagedWordList("en")


def flagged(checker: SpellChecker, body: str) -> list[str]:
    return [m.word for m in checker.check_body(body)]


def test_misspellings_are_found_with_their_place_and_suggestions(english) -> None:
    checker = SpellChecker(english)
    found = list(checker.check_body("The council met.\nThey will recieve the goverment report."))
    assert [(m.word, m.line, m.column) for m in found] == [
        ("recieve", 2, 11), ("goverment", 2, 23)]
    assert checker.suggest("recieve")[0] == "receive"
    assert checker.suggest("Goverment")[0] == "Government"


@pytest.mark.parametrize("language, word, wrong", [
    ("es", "gobierno", "gobiermo"),
    ("fr", "gouvernement", "gouvernemant"),
    ("de", "Regierung", "Regirung"),
    ("pt", "governo", "goverrno"),
])
def test_shipped_dictionaries_cover_the_newsroom_languages(language, word, wrong) -> None:
    checker = SpellChecker(PackagedWordList(language))
    assert flagged(checker, f"{word} {wrong}") == [wrong]
    assert word.lower() in [s.lower() for s in checker.suggest(wrong)]


def test_what_is_not_prose_is_never_flagged(english) -> None:
    body = (
        "Visit https://exampel.com/pagez or www.exampel.org, write to jdoe@exampel.com.\n"
        "A [link text](https://foo.invalid/qwzx) and `qwzx_code` and [INTERNAL_LINK] and TK.\n"
        "NATO and UNHCR, COVID19, 3rd, iPhone and McDonald stay; <span class=\"qwzx\">ok</span>\n"
        "## Heading {#qwzx-id}\n"
        "[ref]: https://qwzx.invalid\n"
        "```\n"
        "def qwzx(): pass\n"
        "```\n"
        "But qwzx here is flagged."
    )
    assert flagged(SpellChecker(english), body) == ["qwzx"]


def test_possessives_and_curly_apostrophes_are_words(english) -> None:
    assert flagged(SpellChecker(english), "The mayor’s plan, the city's budget, don’t worry.") == []


def test_front_matter_names_tags_and_ignores_are_allowed(english) -> None:
    article = Article(author="Ana Qwzxira", keyword="Blorvik bridge", tags=["Zarnovia"],
                      extra={"spelling_ignore": ["Frobnitz"]})
    checker = SpellChecker(english, article_terms(article))
    body = "Ana Qwzxira writes that Blorvik and Zarnovia agree; Frobnitz too, but not Plimzor."
    assert flagged(checker, body) == ["Plimzor"]


def test_ignore_in_this_article_round_trips_through_the_file() -> None:
    article = parse_markdown("---\ntitle: T\ncustom: kept\n---\nBody Plimzor.\n")
    article.extra = with_ignored_word(article, "Plimzor")
    text = dump_markdown(article)
    again = parse_markdown(text)
    assert ignored_words(again) == ["Plimzor"]
    assert again.extra["custom"] == "kept"
    assert "spelling_ignore:" in text
    assert flagged(checker_for(again), again.body) == []


def test_personal_word_list_is_a_plain_file(tmp_path: Path, english) -> None:
    path = tmp_path / "data" / "dictionary.txt"
    assert read_personal_words(path) == frozenset()
    add_personal_word(path, "Plimzor")
    add_personal_word(path, "Plimzor")
    add_personal_word(path, "Qwzx")
    assert path.read_text(encoding="utf-8") == "Plimzor\nQwzx\n"
    checker = SpellChecker(english, read_personal_words(path))
    assert flagged(checker, "Plimzor and qwzx and Blorvik.") == ["Blorvik"]


def test_lines_are_cached_by_text(english) -> None:
    checker = SpellChecker(english)
    first = checker.line_spans("An unchanged line with a mispeled word.")
    assert checker.line_spans("An unchanged line with a mispeled word.") is first


def test_metadata_text_spans(english) -> None:
    checker = SpellChecker(english)
    assert checker.check_text("Council aproves bridge") == [(8, 15)]


def test_system_hunspell_dictionary_is_preferred(tmp_path: Path) -> None:
    (tmp_path / "xx_YY.aff").write_text("SET UTF-8\nTRY esianrtolcdugmphbyfvkwzESIANRTOLCDUGMPHBYFVKWZ'\n"
                                        "SFX S Y 1\nSFX S 0 s .\n", encoding="utf-8")
    (tmp_path / "xx_YY.dic").write_text("3\nbridge/S\ncouncil/S\nvote\n", encoding="utf-8")
    assert find_hunspell("xx-YY", (tmp_path,)) == tmp_path / "xx_YY.dic"
    words = word_list_for("xx-YY", (tmp_path,))
    assert isinstance(words, HunspellWordList)
    checker = SpellChecker(words)
    assert flagged(checker, "bridges councils vote brigde") == ["brigde"]
    assert checker.suggest("brigde")[0] == "bridge"


def test_a_language_without_a_dictionary_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(UnknownLanguageError, match="'qq'"):
        word_list_for("qq", (tmp_path,))


class CountingWords:
    """A dictionary that counts the words it is asked about (the real one answers)."""

    def __init__(self, words: PackagedWordList) -> None:
        self.name = words.name
        self._words = words
        self.asked: list[str] = []

    def knows(self, word: str) -> bool:
        self.asked.append(word)
        return self._words.knows(word)

    def suggest(self, word: str, limit: int = 3) -> list[str]:
        return self._words.suggest(word, limit)


ALLOWING_BODY = ("The Blorvik plan and the Zarnovian delegation.\n\n"
                 "Blorvik's mayor spoke; the council will recieve it.\n\n"
                 "A plain line of known words.\n")


@pytest.mark.parametrize(("before", "after"), [
    ((), ("Blorvik",)),  # Add to Dictionary
    (("Zarnovian",), ("Zarnovian", "blorvik", "recieve")),  # several words, another case
    (("Blorvik", "Zarnovian"), ("Zarnovian",)),  # a word no longer allowed (an undo)
    (("Blorvik",), ("Blorvi",)),  # the author's name being typed
])
def test_a_checker_allowing_other_words_finds_what_a_new_one_finds(english, before, after) -> None:
    checker = SpellChecker(english, before)
    list(checker.check_body(ALLOWING_BODY))
    derived = checker.allowing(after)

    assert derived.allowed == frozenset(after)
    assert flagged(derived, ALLOWING_BODY) == flagged(SpellChecker(english, after), ALLOWING_BODY)


def test_a_checker_allowing_an_added_word_asks_the_dictionary_only_about_lines_it_may_clear(
        english) -> None:
    words = CountingWords(english)
    checker = SpellChecker(words)
    list(checker.check_body(ALLOWING_BODY))
    words.asked.clear()

    derived = checker.allowing(["Blorvik"])

    assert flagged(derived, ALLOWING_BODY) == ["Zarnovian", "recieve"]
    assert "Zarnovian" not in words.asked and "plain" not in words.asked  # kept from before


# Hunspell dictionaries: the en_US one spylls ships (with a REP table, compound rules and
# "ph:" data), and the system's where there is one.
SHIPPED_EN_US = Path(spylls.hunspell.__file__).parent / "data" / "en" / "en_US"
HUNSPELL_DICTIONARIES = [SHIPPED_EN_US, *(path.with_suffix("") for path in
                                          [find_hunspell("en_US")] if path is not None)]


def lookup_sample(path: Path) -> list[str]:
    """Words of the .dic (every 40th stem) in forms that take spylls through its affixes,
    capitalisations (ALL CAPS looks words up in its lower-case index) and misspellings."""
    stems = [line.split("/")[0].split()[0]
             for line in path.with_suffix(".dic").read_text(encoding="utf-8").splitlines()[1::40]
             if line.strip()]
    forms = []
    for stem in stems:
        forms += [stem, stem + "s", stem + "ed", stem + "ing", stem + "'s", stem.capitalize(),
                  stem.upper(), stem[1:2] + stem[:1] + stem[2:]]
    return forms


@pytest.mark.parametrize("path", HUNSPELL_DICTIONARIES,
                         ids=lambda path: "spylls's" if path == SHIPPED_EN_US else "system's")
def test_a_dictionary_read_compactly_answers_as_spylls_own_reading(path: Path) -> None:
    own = Dictionary.from_files(str(path))
    compact = read_hunspell(path)
    forms = lookup_sample(path)
    known = [form for form in forms if own.lookup(form)]
    assert [form for form in forms if compact.lookup(form)] == known
    assert 0.2 * len(forms) < len(known) < 0.8 * len(forms)
    assert compact.aff.REP == own.aff.REP  # "ph:" data adds to it
    for misspelt in ["recieve", "THIER", "concensus"]:
        assert list(compact.suggest(misspelt)) == list(own.suggest(misspelt)), misspelt


def test_a_dictionary_read_compactly_holds_half_the_memory() -> None:
    held = []
    for read in (lambda: Dictionary.from_files(str(SHIPPED_EN_US)),
                 lambda: read_hunspell(SHIPPED_EN_US)):
        tracemalloc.start()
        dictionary = read()
        held.append(tracemalloc.get_traced_memory()[0])
        tracemalloc.stop()
        del dictionary
    spylls_own, compact = held
    assert compact < 0.55 * spylls_own  # 36 MB against 18 MB when measured


def test_reading_a_dictionary_in_a_thread_leaves_the_main_thread_the_interpreter_lock() -> None:
    """The window's thread lets go of the lock at every call into Qt; against a reader that
    never paused, it waited the 5 ms switch interval to get it back each time, and a frame of
    twenty such calls took 70-90 ms (1.5 ms with the reader's pauses)."""
    reader = threading.Thread(target=read_hunspell, args=(SHIPPED_EN_US,))
    frames = []
    reader.start()
    while reader.is_alive():
        start = time.perf_counter()
        for _ in range(20):
            time.sleep(0)  # lets go of the lock, as a call into Qt does
        frames.append(time.perf_counter() - start)
    assert statistics.median(frames) < 0.020
