"""Spelling as findings: body places, metadata fields, suggestions."""

from __future__ import annotations

from checks_helpers import clean_article

from editor.checks import Family, run_checks
from editor.model import RelatedCard
from editor.spelling import PackagedWordList, SpellChecker, article_terms


def test_misspellings_in_body_and_fields_with_suggestions() -> None:
    article = clean_article(body="The council will recieve it.\n", dek="A goverment plan",
                            related=[RelatedCard(title="Bridgde news", url="https://x.example")])
    checker = SpellChecker(PackagedWordList("en"), article_terms(article))
    findings = run_checks(article, spelling=checker, families=[Family.SPELLING])
    assert [(f.line, f.column, f.field, f.suggestions[0]) for f in findings] == [
        (None, None, "dek", "government"), (None, None, "related[0].title", "Bridge"),
        (1, 18, None, "receive")]
    assert {f.id for f in findings} == {"spelling"}


def test_a_clean_article_has_no_spelling_findings() -> None:
    article = clean_article()
    checker = SpellChecker(PackagedWordList("en"), article_terms(article))
    assert run_checks(article, spelling=checker, families=[Family.SPELLING]) == []
