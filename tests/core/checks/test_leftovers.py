"""Leftovers of scraping and pasting, each with its fix."""

from __future__ import annotations

from checks_helpers import clean_article, found, ids

from editor.checks import Family, apply_change


def fix_all(article, check_id):
    for finding in reversed(found(article, Family.LEFTOVERS, check_id)):
        article = apply_change(article, finding.fix.make(article))
    return article


def test_clean_text_has_no_leftovers() -> None:
    assert ids(clean_article(), Family.LEFTOVERS) == []


def test_space_before_punctuation_where_a_link_was_cut() -> None:
    body = "A military presence in Iraq , which grew. Ends here .\n\n`code , kept`\n"
    article = clean_article(body=body)
    findings = found(article, Family.LEFTOVERS, "leftovers.space-before-punctuation")
    assert [(f.line, f.column) for f in findings] == [(1, 28), (1, 52)]
    assert fix_all(article, "leftovers.space-before-punctuation").body.startswith(
        "A military presence in Iraq, which grew. Ends here.\n")
    french = clean_article(body="Vraiment ? Oui ; non , bien.\n", lang="fr")
    assert len(found(french, Family.LEFTOVERS, "leftovers.space-before-punctuation")) == 1


def test_doubled_words_and_spaces() -> None:
    article = clean_article(body="The the council met  on Tuesday. He said that that was fine.\n")
    assert fix_all(fix_all(article, "leftovers.doubled-word"), "leftovers.doubled-space").body \
        == "The council met on Tuesday. He said that that was fine.\n"


def test_straight_quotes_beside_curly_ones() -> None:
    article = clean_article(body="He said “yes”. She said \"no\" and (\"maybe\").\n")
    [finding] = found(article, Family.LEFTOVERS, "leftovers.mixed-quotes")
    fixed = apply_change(article, finding.fix.make(article))
    assert fixed.body == "He said “yes”. She said “no” and (“maybe”).\n"
    assert ids(clean_article(body='All "straight" here.\n'), Family.LEFTOVERS) == []


def test_featured_alt_text_without_an_image() -> None:
    article = clean_article(image="")
    [finding] = found(article, Family.LEFTOVERS, "leftovers.orphan-image-alt")
    assert apply_change(article, finding.fix.make(article)).image_alt == ""
