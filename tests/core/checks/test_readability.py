"""Readability: textstat's own figures, long sentences and paragraphs, passive voice."""

from __future__ import annotations

import textstat
from checks_helpers import clean_article, found, ids
from textstat.textstat import textstatistics

from editor.checks import Family
from editor.checks.readability import body_plain_text, score


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
