"""Resolving placeholders: the Markdown that replaces each kind, and the next one to do."""

from __future__ import annotations

import pytest

from editor.model import RelatedCard
from editor.placeholders import PlaceholderKind, find_placeholders
from editor.resolve import (
    anchor_sentence,
    default_anchor,
    next_unresolved,
    proposed_anchor,
    replacement_text,
    resolve,
    resolve_on_words,
    stands_alone,
)

BODY = (
    "Costs rose. [INTERNAL_LINK]\n\n"
    "See the report [EXTERNAL_LINK] for more.\n\n"
    "[IMAGE: chart of turnout]\n\n"
    "Turnout was TK percent. [INTERNAL_LINK]\n"
)


def test_link_becomes_a_markdown_link_in_place() -> None:
    first = find_placeholders(BODY)[0]
    resolution = resolve(first, "https://example.com/a b", "Costs [explained]")
    body = resolution.apply(BODY)
    assert body.startswith(
        "Costs rose. [Costs \\[explained\\]](https://example.com/a%20b)\n\n"
    )
    assert len(find_placeholders(body)) == len(find_placeholders(BODY)) - 1
    with pytest.raises(ValueError, match="anchor text"):
        replacement_text(first, "/local/path")  # a bare URL as the anchor reads badly
    with pytest.raises(ValueError):
        replacement_text(first, "", "anchor only")


def test_token_after_a_sentence_stands_alone_and_takes_the_card_title() -> None:
    internal, external, image, _tk, last = find_placeholders(BODY)
    assert stands_alone(BODY, internal) and stands_alone(BODY, last)
    assert stands_alone(BODY, image)
    assert not stands_alone(BODY, external)
    card = RelatedCard(title="Budget: the numbers", url="https://news.example/budget")
    assert default_anchor(BODY, internal, card) == "Budget: the numbers"
    assert default_anchor(BODY, external) == ""
    assert resolve(internal, card.url, default_anchor(BODY, internal, card)).text == (
        "[Budget: the numbers](https://news.example/budget)"
    )


def test_image_becomes_an_image_reference_with_the_description_as_alt() -> None:
    image = find_placeholders(BODY)[2]
    assert default_anchor(BODY, image) == "chart of turnout"
    assert replacement_text(image, "images/chart.png") == "![chart of turnout](images/chart.png)"
    assert replacement_text(image, "c.png", "Turnout chart") == "![Turnout chart](c.png)"
    with pytest.raises(ValueError):
        replacement_text(image, "")


def test_tk_is_replaced_by_text() -> None:
    tk = find_placeholders(BODY)[3]
    assert tk.kind is PlaceholderKind.TK
    assert resolve(tk, text="62").apply(BODY).count("Turnout was 62 percent.") == 1
    with pytest.raises(ValueError):
        replacement_text(tk)


def test_next_unresolved_by_kind_wraps_round() -> None:
    found = find_placeholders(BODY)
    internal, _external, _image, _tk, last = found
    assert next_unresolved(found, 0, PlaceholderKind.INTERNAL_LINK) is internal
    assert next_unresolved(found, internal.end, PlaceholderKind.INTERNAL_LINK) is last
    assert next_unresolved(found, last.end, PlaceholderKind.INTERNAL_LINK) is internal
    assert next_unresolved(found, 0, PlaceholderKind.TOKEN) is None
    assert next_unresolved([], 0) is None


SEED_LINE = ("Maintaining an occupation force is a bottomless pit, both in terms of resources "
             "and human lives. [INTERNAL_LINK]\n\nNext paragraph.\n")


def test_the_words_before_the_token_are_proposed_and_carry_the_link() -> None:
    token = find_placeholders(SEED_LINE)[0]
    start, sentence = anchor_sentence(SEED_LINE, token)
    assert sentence.startswith("Maintaining an occupation") and start == 0
    words = proposed_anchor(SEED_LINE, token)
    assert SEED_LINE[slice(*words)] == "resources and human lives"
    resolution = resolve_on_words(SEED_LINE, token, "https://news.example/cost", *words)
    assert resolution.apply(SEED_LINE) == (
        "Maintaining an occupation force is a bottomless pit, both in terms of "
        "[resources and human lives](https://news.example/cost).\n\nNext paragraph.\n")


def test_words_picked_inside_the_sentence_keep_the_rest_of_it() -> None:
    body = "Costs rose. The cost of the Iraq war grew [INTERNAL_LINK] again\n"
    token = find_placeholders(body)[0]
    assert anchor_sentence(body, token)[1] == "The cost of the Iraq war grew"
    start = body.index("the Iraq war")
    resolution = resolve_on_words(body, token, "/iraq", start, start + len("the Iraq war"))
    assert resolution.apply(body) == "Costs rose. The cost of [the Iraq war](/iraq) grew again\n"
    with pytest.raises(ValueError):
        resolve_on_words(body, token, "/iraq", start, start)  # no words: no anchor
