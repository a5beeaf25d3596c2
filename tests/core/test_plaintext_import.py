"""Plain-text import: each rule on a small text, then whole sample articles."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from editor.importers.plaintext import (
    Byline,
    LineKind,
    classify_line,
    is_related_heading,
    looks_like_heading,
    parse_byline,
    parse_date,
)
from editor.importers.plaintext import import_plain_text as imp
from editor.model import DEFAULT_RELATED_HEADING, RelatedCard

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "import"


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


# --- headline -------------------------------------------------------------------------------


def test_first_non_empty_line_is_the_headline_and_not_in_the_body() -> None:
    article = imp("\n\n  Storm hits the coast  \n\nThe storm arrived at dawn.\n")
    assert article.title == "Storm hits the coast"
    assert article.body == "The storm arrived at dawn.\n"


def test_empty_text_gives_an_empty_article() -> None:
    article = imp("")
    assert (article.title, article.body, article.related) == ("", "", [])


def test_headline_only() -> None:
    article = imp("Just a headline\n")
    assert article.title == "Just a headline"
    assert article.body == ""


def test_windows_line_endings_and_bom_are_tolerated() -> None:
    article = imp("\ufeffHeadline\r\n\r\nby Jo Park\r\n\r\nText.\r\n")
    assert (article.title, article.author, article.body) == ("Headline", "Jo Park", "Text.\n")


# --- byline and date ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "author", "date"),
    [
        ("by October 1, 2025", "", "2025-10-01"),
        ("by Maria Lopez · March 3, 2024", "Maria Lopez", "2024-03-03"),
        ("By Tom Hale", "Tom Hale", ""),
        ("By Jane Doe, Oct. 2, 2025", "Jane Doe", "2025-10-02"),
        ("BY JANE DOE | Published Sept. 9, 2024", "JANE DOE", "2024-09-09"),
        ("By Jane Doe on Wednesday, October 1, 2025", "Jane Doe", "2025-10-01"),
        ("By Jane Doe and John Roe, Staff Writers", "Jane Doe and John Roe, Staff Writers", ""),
        ("by Ana Ruiz — 14 March 2024, 10:30", "Ana Ruiz", "2024-03-14"),
        ("Published March 14, 2024 by Ana Ruiz", "Ana Ruiz", "2024-03-14"),
        ("Published on 1st of June 2023", "", "2023-06-01"),
        ("Updated: 2024-02-29 08:00", "", "2024-02-29"),
        ("October 1, 2025", "", "2025-10-01"),
        ("Oct 1, 2025 at 9:15 a.m.", "", "2025-10-01"),
        ("Wed 1 Oct 2025, 10:30 EDT", "", "2025-10-01"),
    ],
)
def test_byline_forms(line: str, author: str, date: str) -> None:
    assert parse_byline(line) == Byline(author, date)


@pytest.mark.parametrize(
    "line",
    [
        "By the time troops left, the city had fallen.",
        "by the end of October 1, 2025 the talks had stalled",
        "Published works are listed below.",
        "The vote was held on October 1, 2025.",
        "October 1, 2025 10 people died",
        "October 1, 2025 was a Wednesday",
        "By whom?",
        "",
    ],
)
def test_sentences_are_not_bylines(line: str) -> None:
    assert parse_byline(line) is None


def test_parse_date_rejects_impossible_dates_and_numeric_slashes() -> None:
    assert parse_date("February 30, 2024") == ""
    assert parse_date("03/04/2024") == ""
    assert parse_date("on 5 Dec 2022 at noon") == "2022-12-05"


def test_byline_goes_to_metadata_not_body() -> None:
    article = imp("Headline\n\nby October 1, 2025\n\nFirst paragraph.\n")
    assert (article.author, article.date) == ("", "2025-10-01")
    assert article.body == "First paragraph.\n"
    assert article.missing_metadata() == ["author"]


def test_byline_then_separate_date_line() -> None:
    article = imp("Headline\nBy Jo Park\nMarch 3, 2024\n\nText.\n")
    assert (article.author, article.date, article.body) == ("Jo Park", "2024-03-03", "Text.\n")


def test_line_between_headline_and_byline_is_the_dek() -> None:
    article = imp("Headline\n\nWhat it means for you\n\nBy Jo Park\n\nText.\n")
    assert article.dek == "What it means for you"
    assert article.author == "Jo Park"
    assert article.body == "Text.\n"


def test_no_byline_leaves_author_and_date_empty_and_keeps_the_lead() -> None:
    article = imp("Headline\n\nBy the time troops left, the city had fallen.\n\nMore.\n")
    assert (article.author, article.date, article.dek) == ("", "", "")
    assert article.body.startswith("By the time troops left")


# --- headings -------------------------------------------------------------------------------


def test_lone_short_unpunctuated_lines_become_headings() -> None:
    text = (
        "Headline\n\nLead paragraph.\n\nThe reality of rocket fire\n\nA paragraph.\n\n"
        "Real Success or Half-Truth?\n\nAnother paragraph.\n"
    )
    assert imp(text).body == (
        "Lead paragraph.\n\n## The reality of rocket fire\n\nA paragraph.\n\n"
        "## Real Success or Half-Truth?\n\nAnother paragraph.\n"
    )


@pytest.mark.parametrize(
    "text",
    [
        "It rained.",
        "This vacuum could be exploited by two actors:",
        "Analysts blamed bad weather. TK",
        "TK",
        "[IMAGE: chart of turnout]",
        "[INTERNAL_LINK]",
        "military presence in Iraq",
        "A national march in Peru brought together organizations…",
        "It rained all day. Then it stopped",
        "One " * 15,
    ],
)
def test_not_headings(text: str) -> None:
    assert not looks_like_heading(text.strip())


def test_heading_like_line_inside_a_paragraph_or_at_the_end_stays_text() -> None:
    text = "Headline\n\nLead.\n\nFirst line\nsecond line\n\nThe end of it\n"
    assert imp(text).body == "Lead.\n\nFirst line\nsecond line\n\nThe end of it\n"


def test_markdown_headings_in_the_text_are_kept() -> None:
    assert imp("Headline\n\nLead.\n\n### Already marked\n\nText.\n").body == (
        "Lead.\n\n### Already marked\n\nText.\n"
    )


# --- image alt line -------------------------------------------------------------------------


def test_lower_case_line_after_the_lead_is_the_image_alt() -> None:
    article = imp("Headline\n\nThe lead.\n\nmilitary presence in Iraq\n\nMore text.\n")
    assert article.image_alt == "military presence in Iraq"
    assert article.body == "The lead.\n\nMore text.\n"


def test_lower_case_line_elsewhere_stays_in_the_body() -> None:
    article = imp("Headline\n\nThe lead.\n\nSecond.\n\nand then some\n\nEnd.\n")
    assert article.image_alt == ""
    assert "and then some" in article.body


# --- lists ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "kind", "text"),
    [
        ("  • The remnants", LineKind.BULLET, "The remnants"),
        ("- dash item", LineKind.BULLET, "dash item"),
        ("* star item", LineKind.BULLET, "star item"),
        ("1. first", LineKind.NUMBERED, "first"),
        ("12) twelfth", LineKind.NUMBERED, "twelfth"),
        ("1984. That year", LineKind.TEXT, "1984. That year"),
        ("  “We will stay.”", LineKind.QUOTE, "“We will stay.”"),
        ('\t"We will stay"', LineKind.QUOTE, '"We will stay"'),
        ("“Not indented”", LineKind.TEXT, "“Not indented”"),
        ("* * *", LineKind.SEPARATOR, "* * *"),
        ("   ", LineKind.BLANK, ""),
    ],
)
def test_classify_line(raw: str, kind: LineKind, text: str) -> None:
    line = classify_line(raw)
    assert (line.kind, line.text) == (kind, text)


def test_bullets_become_one_markdown_list() -> None:
    text = "Headline\n\nTwo actors:\n\n  • The first.\n  • The second.\n\nAfter.\n"
    assert imp(text).body == "Two actors:\n\n- The first.\n- The second.\n\nAfter.\n"


def test_list_directly_under_its_introduction_is_split_from_it() -> None:
    text = "Headline\n\nTwo actors:\n- one\n- two\n"
    assert imp(text).body == "Two actors:\n\n- one\n- two\n"


def test_items_separated_by_blank_lines_stay_one_list() -> None:
    assert imp("Headline\n\nLead.\n\n1) one\n\n2) two\n\n3) three\n").body == (
        "Lead.\n\n1. one\n2. two\n3. three\n"
    )


def test_bullets_then_numbers_are_two_lists() -> None:
    assert imp("Headline\n\nLead.\n\n- a\n- b\n1. c\n").body == "Lead.\n\n- a\n- b\n\n1. c\n"


def test_wrapped_item_continues_under_its_item() -> None:
    assert imp("Headline\n\nLead.\n\n- a long item\n  that wraps\n- b\n").body == (
        "Lead.\n\n- a long item\n    that wraps\n- b\n"
    )


# --- quotes ---------------------------------------------------------------------------------


def test_indented_quoted_line_becomes_a_block_quote() -> None:
    text = "Headline\n\nLead.\n\n  “We will stay.”\n\nAfter.\n"
    assert imp(text).body == "Lead.\n\n> “We will stay.”\n\nAfter.\n"


def test_quote_keeps_its_attribution() -> None:
    text = 'Headline\n\nLead.\n\n  "We will stay."\n  — The minister\n'
    assert imp(text).body == 'Lead.\n\n> "We will stay."\n>\n> — The minister\n'


# --- placeholders and text kept as written -------------------------------------------------


def test_placeholders_stay_exactly_as_written() -> None:
    text = (
        "Headline\n\nLead [INTERNAL_LINK] and [EXTERNAL_LINK].\n\n[IMAGE: chart of turnout]\n\n"
        "Figures TK.\n\n[QUOTE_NEEDED]\n"
    )
    assert imp(text).body == (
        "Lead [INTERNAL_LINK] and [EXTERNAL_LINK].\n\n[IMAGE: chart of turnout]\n\n"
        "Figures TK.\n\n[QUOTE_NEEDED]\n"
    )


def test_space_before_punctuation_is_kept_and_trailing_space_stripped() -> None:
    assert imp("Headline\n\nThe presence in Iraq , which   \n").body == (
        "The presence in Iraq , which\n"
    )


def test_line_starts_markdown_would_misread_are_escaped() -> None:
    assert imp("Headline\n\n#Hashtag trends.\n\n1984. That year.\n\n> 5 people\n").body == (
        "\\#Hashtag trends.\n\n1984\\. That year.\n\n\\> 5 people\n"
    )


def test_indentation_is_dropped_so_nothing_becomes_code() -> None:
    assert imp("Headline\n\n        Indented paragraph.\n").body == "Indented paragraph.\n"


# --- related trailer ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "heading",
    [
        "Don't Miss", "Don’t Miss", "DON'T MISS", "Related stories", "Related", "Read also",
        "Read more", "More from The Desk", "You may also like", "Read also:",
    ],
)
def test_related_headings(heading: str) -> None:
    assert is_related_heading(heading)
    article = imp(f"Headline\n\nText.\n\n{heading}\n\nA title\nA teaser…\n")
    assert article.related_heading == heading
    assert article.related == [RelatedCard(title="A title", teaser="A teaser…")]
    assert article.body == "Text.\n"


def test_related_heading_is_not_found_inside_a_paragraph() -> None:
    assert not is_related_heading("Related reading of the report shows")
    article = imp("Headline\n\nText.\nRead more\nmore text.\n")
    assert article.related == []
    assert article.related_heading == DEFAULT_RELATED_HEADING


def test_cards_with_alt_title_teaser_and_glued_blank_lines() -> None:
    text = (
        "Headline\n\nText.\n\nDon't Miss\n\nalt one\n\nTitle one\n\nTeaser one…\nalt two\n\n"
        "Title two\n\nTeaser two..."
    )
    assert imp(text).related == [
        RelatedCard(title="Title one", image_alt="alt one", teaser="Teaser one…"),
        RelatedCard(title="Title two", image_alt="alt two", teaser="Teaser two..."),
    ]


def test_cards_without_teasers_are_title_only() -> None:
    assert imp("Headline\n\nText.\n\nRead also\n\n• First story\n• Second story\n").related == [
        RelatedCard(title="First story"),
        RelatedCard(title="Second story"),
    ]


def test_empty_trailer_keeps_its_heading() -> None:
    article = imp("Headline\n\nText.\n\nRelated stories\n")
    assert (article.related_heading, article.related, article.body) == (
        "Related stories", [], "Text.\n"
    )


# --- whole samples --------------------------------------------------------------------------

SEED_HEADINGS = [
    "## The official discourse and the reality of rocket fire",
    "## Chasing the Cat's Fifth Leg: Real Success or Half-Truth?",
    "## Iraq's Future: A Partner or a Board with New Rules?",
]


def check_seed(text: str) -> None:
    article = imp(text)
    body = article.body
    assert article.title == (
        "The United States sets up camp in Iraq: mission accomplished or a retreat with its "
        "tail between its legs?"
    )
    assert (article.author, article.date, article.dek) == ("", "2025-10-01", "")
    assert article.image_alt == "military presence in Iraq"
    assert [line for line in body.splitlines() if line.startswith("#")] == SEED_HEADINGS
    list_lines = [line for line in body.splitlines() if line.startswith("- ")]
    assert list_lines == [
        "- The remnants of the Islamic State, who might see an opportunity to regroup and "
        "return to the fray.",
        "- Pro-Iranian militias, which is the most likely option, to consolidate their power "
        "and influence within the Iraqi state apparatus itself.",
    ]
    assert "two actors:\n\n- The remnants" in body
    assert "apparatus itself.\n\nIn this latter scenario" in body
    assert body.count("[INTERNAL_LINK]") == 2
    assert article.related_heading == "Don't Miss"
    assert article.related == [
        RelatedCard(
            title="National march in Peru: chronology of incidents and public transport detours",
            image_alt="National march in Lima: protesters and PNP on Abancay Avenue",
            teaser="A national march in Peru brought together organizations…",
        ),
        RelatedCard(
            title="Felix Baumgartner: Records, Feats, and an Unexpected Death",
            image_alt="Felix Baumgartner jump stratosphere record speed free fall.",
            teaser="The Austrian who broke the barrier…",
        ),
    ]
    for absent in ("Don't Miss", "by October", "sets up camp", "military presence in Iraq\n",
                   "Felix", "National march"):
        assert absent not in body
    assert body.startswith("The Pentagon has just released")
    assert body.endswith("only time will tell.\n")
    assert "\n\n\n" not in body
    # The author's text is kept, stray spaces before punctuation included.
    assert "the military presence in Iraq , which" in body
    assert len(body.split("\n\n")) == 14  # 10 paragraphs, 3 headings, 1 list
    html = markdown.markdown(body)
    assert (html.count("<h2>"), html.count("<ul>"), html.count("<li>")) == (3, 1, 2)


def test_seed_sample() -> None:
    check_seed(sample("seed_iraq.txt"))


def test_seed_copy_matches_the_shared_sample(shared_seed_sample_path: Path) -> None:
    shared = shared_seed_sample_path
    assert shared.read_text(encoding="utf-8") == sample("seed_iraq.txt")
    check_seed(shared.read_text(encoding="utf-8"))


def test_sample_byline_with_dot_and_date() -> None:
    article = imp(sample("byline_dot_date.txt"))
    assert article.title == "City council approves new bike lanes after heated debate"
    assert (article.author, article.date) == ("Maria Lopez", "2024-03-03")
    assert article.image_alt == "cyclists on Main Street at rush hour"
    assert article.body == (
        "The city council voted 7–2 on Tuesday night to approve a network of protected bike "
        "lanes across the downtown core, ending months of debate that split neighbours and "
        "businesses. [EXTERNAL_LINK]\n"
        "\n"
        "Supporters packed the chamber. Opponents, many of them shop owners , warned that "
        "losing parking would cost them customers.\n"
        "\n"
        "> “We are building streets for the next fifty years, not the last fifty.”\n"
        ">\n"
        "> — Councillor Ana Ortiz\n"
        "\n"
        "## What the plan includes\n"
        "\n"
        "The approved plan has three phases:\n"
        "\n"
        "1. Main Street and Harbor Road, finished by autumn.\n"
        "2. The river crossings, in 2025.\n"
        "3. A link to the university campus.\n"
        "\n"
        "The total cost is estimated at $14 million. [INTERNAL_LINK]\n"
    )
    assert article.related_heading == "Related stories"
    assert article.related == [
        RelatedCard(
            title="Downtown parking: what changes on Monday",
            teaser="Drivers will lose 120 spaces but gain a new garage…",
        ),
        RelatedCard(
            title="Harbor Road reopens after six months of works",
            image_alt="A bike lane on Harbor Road at dusk",
            teaser="The road reopened on Friday with wider pavements...",
        ),
    ]


def test_sample_byline_name_only() -> None:
    article = imp(sample("byline_name_only.txt"))
    assert (article.author, article.date, article.image_alt) == ("Tom Hale", "", "")
    assert article.missing_metadata() == ["date"]
    assert article.body == (
        "Turnout in Sunday's regional elections fell to 48 percent, the lowest since 1995, "
        "according to preliminary figures from the electoral commission.\n"
        "\n"
        "[IMAGE: chart of turnout]\n"
        "\n"
        "Analysts blamed a short campaign and bad weather. TK\n"
        "\n"
        "## Why young voters stayed away\n"
        "\n"
        "Surveys before the vote pointed to three reasons:\n"
        "\n"
        "1. distrust of the main parties;\n"
        "2. a registration deadline moved forward by two weeks;\n"
        "3. exams at several universities on the same weekend.\n"
        "\n"
        "[QUOTE_NEEDED]\n"
        "\n"
        "The commission will publish final figures on Thursday.\n"
    )
    assert article.related_heading == "Read also"
    assert article.related == [
        RelatedCard(
            title="Polling stations: a map of the closures",
            teaser="Fourteen rural stations closed this year, forcing voters to travel…",
        )
    ]


def test_sample_without_byline_or_trailer() -> None:
    article = imp(sample("no_byline_no_trailer.txt"))
    assert article.title == "Ten years of the night train: a photo essay"
    assert (article.author, article.date, article.dek, article.image_alt) == ("", "", "", "")
    assert article.missing_metadata() == ["author", "date"]
    assert (article.related, article.related_heading) == ([], DEFAULT_RELATED_HEADING)
    assert article.body == (
        "The night train to the coast turns ten this summer. We rode it end to end,\n"
        "from the capital to the last stop by the sea.\n"
        "\n"
        "## Leaving the capital\n"
        "\n"
        "The train leaves at 22:10 from platform 4. Regulars bring their own kit:\n"
        "\n"
        "- earplugs\n"
        "- a blanket\n"
        "- a thermos of tea\n"
        "\n"
        "\\#TrainLife trended for a day when the line was nearly closed.\n"
        "\n"
        "2019\\. That was the year the ministry wanted to cut it.\n"
        "\n"
        "* * *\n"
        "\n"
        "## The last stop\n"
        "\n"
        "Most passengers are asleep by midnight. The guard walks the corridor twice an hour.\n"
    )


def test_sample_with_dek_and_more_from_trailer() -> None:
    article = imp(sample("dek_more_from.txt"))
    assert article.title == "Harbour strike ends after nine days"
    assert article.dek == "Dockworkers accept a 6 percent raise over two years"
    assert (article.author, article.date) == ("Ana Ruiz", "2024-03-14")
    assert article.body == (
        "Dockworkers voted on Wednesday to end a nine-day strike that left more than forty "
        "ships waiting outside the harbour.\n"
        "\n"
        "The deal, reached after talks overnight, gives workers a 6 percent raise over two "
        "years. [EXTERNAL_LINK]\n"
        "\n"
        "## What happens next\n"
        "\n"
        "Port officials expect the backlog to clear within a week.\n"
    )
    assert article.related_heading == "More from The Desk"
    assert article.related == [
        RelatedCard(
            title="Dockworkers: the long road to the strike",
            image_alt="dockworkers at the harbour gates at dawn",
            teaser="How a dispute over shift patterns grew into the longest stoppage in a "
            "decade…",
        ),
        RelatedCard(
            title="Shipping rates climb as ships wait",
            teaser="Freight costs on the route rose 12 percent during the strike…",
        ),
    ]


@pytest.mark.parametrize("name", sorted(path.name for path in SAMPLES.glob("*.txt")))
def test_samples_have_no_crlf_and_import_to_clean_markdown(name: str) -> None:
    text = sample(name)
    assert "\r" not in text
    body = imp(text).body
    assert "\n\n\n" not in body
    assert all(line == line.rstrip() for line in body.splitlines())


def test_load_article_opens_a_text_sample() -> None:
    from editor.files import load_article

    article = load_article(SAMPLES / "seed_iraq.txt")
    assert (article.date, article.image_alt) == ("2025-10-01", "military presence in Iraq")
    assert len(article.related) == 2
