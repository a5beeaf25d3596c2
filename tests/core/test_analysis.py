"""The shared analysis: one pass over an article gives what the status bar and panels show."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.analysis import Analysis, CardProblem, analyze, analyze_body, card_problems
from editor.model import Article, RelatedCard, count_words
from editor.outline import parse_outline
from editor.placeholders import find_placeholders

BODY = """Lead paragraph, with [INTERNAL_LINK] in it.

## First section

One two three TK.

Setext heading
--------------

```python
# not a heading, [NOT_A_PLACEHOLDER]
```

#### Deep ####

Last words.
"""


def test_words_placeholders_and_outline_of_a_body() -> None:
    analysis = analyze(Article(body=BODY))

    assert analysis.words == count_words(BODY)
    assert analysis.reading_minutes == 1
    assert [p.token for p in analysis.placeholders] == ["[INTERNAL_LINK]", "TK"]
    assert analysis.placeholders == find_placeholders(BODY)
    assert [(s.level, s.title) for s in analysis.outline.sections] == [
        (2, "First section"), (2, "Setext heading"), (4, "Deep")]


def test_an_empty_article() -> None:
    analysis = analyze(Article())

    assert (analysis.words, analysis.reading_minutes, analysis.placeholders) == (0, 0, ())
    assert analysis.outline.sections == []
    assert analysis.card_problems == ()


# Lines that make headings, fences and paragraphs in every combination the outline reads.
_LINES = st.sampled_from([
    "", "", "## Title words", "# One", "#### Four ####", "##### Five is text", "Setext title",
    "======", "------", "```", "~~~", "    indented code", "plain words here", "- a list item",
    "> quoted words", "TK and [INTERNAL_LINK]", "#", "##   ", "a-b c_d 12", "`code` [LINK]",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINES, max_size=30), st.booleans())
def test_words_counted_by_sections_equal_one_count_of_the_whole_body(
        lines: list[str], final_newline: bool) -> None:
    body = "\n".join(lines) + ("\n" if final_newline else "")

    assert analyze_body(body).words == count_words(body)


def test_a_front_matter_block_pasted_into_the_body_is_not_counted_and_offsets_still_hold() -> None:
    body = "---\ntitle: [NOT_ONE] five words in here\n---\nTwo words [INTERNAL_LINK]\n\n## Heading\n"

    analysis = analyze_body(body)

    assert analysis.words == 4  # "Two words [INTERNAL_LINK]" and the heading
    [placeholder] = analysis.placeholders
    assert body[placeholder.start:placeholder.end] == "[INTERNAL_LINK]"
    [section] = analysis.outline.sections
    assert body[section.title_start:section.title_end] == "Heading"


def test_card_problems_in_card_order() -> None:
    cards = [
        RelatedCard(title="Fine", url="https://example.com/a"),
        RelatedCard(title="No link"),
        RelatedCard(title="Picture", image="a.jpg"),
    ]

    analysis = analyze(Article(related=cards))

    assert analysis.card_problems == (
        (), (CardProblem.NO_URL,), (CardProblem.NO_ALT_TEXT, CardProblem.NO_URL))
    assert card_problems(cards[2])[0].message == "No alt text for the image"


def test_a_metadata_change_reuses_what_was_derived_from_the_body() -> None:
    article = Article(body=BODY)
    before = analyze(article)

    changed = dataclasses.replace(article, related=[RelatedCard(title="New")])
    after = analyze(changed, before)
    edited = analyze(dataclasses.replace(article, body=BODY + "More.\n"), before)

    assert after.body_analysis is before.body_analysis
    assert after.card_problems == ((CardProblem.NO_URL,),)
    assert edited.body_analysis is not before.body_analysis
    assert edited.words == before.words + 1


def test_an_analysis_cannot_be_changed_by_a_reader() -> None:
    analysis = analyze(Article(body=BODY))

    with pytest.raises(dataclasses.FrozenInstanceError):
        analysis.body_analysis = analyze_body("")  # type: ignore[misc]
    assert isinstance(analysis, Analysis)
    assert analysis.outline.sections[0].title == parse_outline(BODY).sections[0].title
