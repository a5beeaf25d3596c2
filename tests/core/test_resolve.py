"""Resolving placeholders: the Markdown that replaces each kind, and the next one to do."""

from __future__ import annotations

import pytest

from editor.model import RelatedCard
from editor.placeholders import PlaceholderKind, find_placeholders
from editor.resolve import (
    default_anchor,
    next_unresolved,
    replacement_text,
    resolve,
    resolve_with_card,
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
    assert replacement_text(first, "/local/path") == "[/local/path](/local/path)"
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
    assert resolve_with_card(internal, card).text == (
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
