"""The outline: headings as a section tree, checks on them, and the text edits on sections."""

from __future__ import annotations

import pytest

from editor.outline import (
    HeadingCheck,
    HeadingStyle,
    add_section_after,
    can_change_level,
    change_level,
    move_section,
    parse_outline,
    rename_heading,
)

BODY = """Lead paragraph of five words.

## First section

One two three.

### A subsection

Four five.

## Second section

Six seven eight nine.
"""


def titles(body: str) -> list[tuple[int, str]]:
    return [(s.level, s.title) for s in parse_outline(body).sections]


def test_sections_form_a_tree_with_offsets_and_words() -> None:
    outline = parse_outline(BODY)
    first, sub, second = outline.sections
    assert [s.title for s in outline.roots] == ["First section", "Second section"]
    assert first.children == [sub] and sub.parent is first
    assert (first.level, first.line, sub.line, second.line) == (2, 3, 7, 11)
    assert BODY[first.start:first.end].startswith("## First section")
    assert BODY[first.start:first.end].endswith("Four five.\n\n")
    assert BODY[second.start:second.end] == "## Second section\n\nSix seven eight nine.\n"
    assert BODY[first.title_start:first.title_end] == "First section"
    assert (first.words, first.total_words, sub.words, second.words) == (3, 5, 2, 4)
    assert not any(s.checks for s in outline.sections)


def test_setext_and_closing_hashes_and_code_fences() -> None:
    body = "Title\n=====\n\n```\n# not a heading\n```\n\nSub ##\n---\n\n## Closed ##\ntext\n"
    outline = parse_outline(body)
    assert [(s.level, s.title, s.style) for s in outline.sections] == [
        (1, "Title", HeadingStyle.SETEXT),
        (2, "Sub ##", HeadingStyle.SETEXT),
        (2, "Closed", HeadingStyle.ATX),
    ]
    closed = outline.sections[2]
    assert body[closed.title_start:closed.title_end] == "Closed"


def test_only_a_line_opening_its_block_is_underlined_and_h5_stays_in_the_text() -> None:
    body = "line one\nline two\n---\n\n## A\n\n##### deep\n\nwords here\n"
    outline = parse_outline(body)
    assert titles(body) == [(2, "A")]
    assert outline.sections[0].words == 3  # "deep words here"


def test_checks_skipped_empty_duplicate() -> None:
    body = "## Intro\n\ntext\n\n#### Deep\n\nmore\n\n## Empty\n\n## intro\n\nend\n"
    checks = [s.checks for s in parse_outline(body).sections]
    assert checks == [
        {HeadingCheck.DUPLICATE},
        {HeadingCheck.SKIPPED_LEVEL},
        {HeadingCheck.EMPTY_SECTION},
        {HeadingCheck.DUPLICATE},
    ]
    assert HeadingCheck.SKIPPED_LEVEL.message


def test_section_at_gives_the_innermost_section() -> None:
    outline = parse_outline(BODY)
    first, sub, second = outline.sections
    assert outline.section_at(0) is None
    assert outline.section_at(first.start) is first
    assert outline.section_at(sub.start + 3) is sub
    assert outline.section_at(sub.end - 1) is sub
    assert outline.section_at(second.start) is second
    assert outline.section_at(len(BODY)) is second


def test_rename_rewrites_only_the_title() -> None:
    outline = parse_outline(BODY)
    edit = rename_heading(BODY, outline.sections[1], "  Better   name ")
    body = edit.apply(BODY)
    assert "### Better name\n" in body and body.replace("Better name", "A subsection") == BODY
    assert body[edit.selection[0]:edit.selection[1]] == "Better name"
    with pytest.raises(ValueError):
        rename_heading(BODY, outline.sections[1], "   ")
    closed = "## Old ##\n"
    assert rename_heading(closed, parse_outline(closed).sections[0], "New").apply(closed) == (
        "## New ##\n"
    )


def test_change_level_moves_subsections_too() -> None:
    outline = parse_outline(BODY)
    edit = change_level(BODY, outline.sections[0], 1)
    body = edit.apply(BODY)
    assert titles(body) == [(3, "First section"), (4, "A subsection"), (2, "Second section")]
    assert "One two three." in body and len(body) == len(BODY) + 2
    # the edit touches the heading lines only, not the whole section
    assert edit.end - edit.start < len(BODY[outline.sections[0].start:outline.sections[0].end])
    assert not can_change_level(outline, outline.sections[0], 2)
    with pytest.raises(ValueError):
        change_level(BODY, outline.sections[0], 2)  # the H3 would become an H5
    with pytest.raises(ValueError):
        change_level(BODY, outline.sections[2], -2)


def test_change_level_of_setext_heading() -> None:
    body = "Title\n-----\n\ntext\n"
    section = parse_outline(body).sections[0]
    assert change_level(body, section, -1).apply(body) == "Title\n=====\n\ntext\n"
    assert change_level(body, section, 1).apply(body) == "### Title\n\ntext\n"


def test_move_section_before_another_carries_subsections() -> None:
    outline = parse_outline(BODY)
    first, _sub, second = outline.sections
    edit = move_section(BODY, second, first.start)
    assert edit is not None
    body = edit.apply(BODY)
    assert titles(body) == [(2, "Second section"), (2, "First section"), (3, "A subsection")]
    assert body.startswith("Lead paragraph of five words.\n\n## Second section\n\n")
    assert body.endswith("Four five.\n")
    assert sorted(body.split()) == sorted(BODY.split())
    assert body[edit.selection[0]:].startswith("## Second section")


def test_move_section_to_the_end_and_with_a_new_level() -> None:
    outline = parse_outline(BODY)
    first = outline.sections[0]
    body = move_section(BODY, first, len(BODY)).apply(BODY)
    assert titles(body) == [(2, "Second section"), (2, "First section"), (3, "A subsection")]
    assert body.endswith("Four five.\n") and "\n\n\n" not in body
    sub = outline.sections[1]
    body = move_section(BODY, sub, len(BODY), level=2).apply(BODY)
    assert titles(body) == [(2, "First section"), (2, "Second section"), (2, "A subsection")]
    assert move_section(BODY, first, first.start) is None
    assert move_section(BODY, first, first.end) is None


def test_add_section_after_current_selects_the_title() -> None:
    outline = parse_outline(BODY)
    edit = add_section_after(BODY, outline.sections[0])
    body = edit.apply(BODY)
    assert titles(body) == [
        (2, "First section"), (3, "A subsection"), (2, "New section"), (2, "Second section"),
    ]
    assert "Four five.\n\n## New section\n\n## Second section" in body
    assert body[edit.selection[0]:edit.selection[1]] == "New section"
    at_end = add_section_after(BODY, outline.sections[2], "Last").apply(BODY)
    assert at_end.endswith("nine.\n\n## Last\n")
    empty = add_section_after("", None, "Only")
    assert empty.apply("") == "## Only\n"
