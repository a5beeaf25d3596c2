"""The body's outline: its H1–H4 headings as a tree of sections, checks on them, and edits.

A *section* is a heading and everything after it up to the next heading of the same or a
higher level, so it holds its subsections. The Headings panel shows this tree; its actions
(rename, promote/demote, move, add) are the pure text transforms here, each giving one
:class:`BodyEdit` that the UI applies as a single undoable replacement.

Headings are ATX (``## Title``) or setext (a line underlined with ``===`` or ``---``), read
as Python-Markdown reads them, and never inside fenced code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from editor.model import count_words
from editor.syntax import FENCE_RE, SETEXT_UNDERLINE_RE

OUTLINE_MAX_LEVEL = 4
DEFAULT_SECTION_TITLE = "New section"

_ATX_RE = re.compile(r"^(?P<indent>[ ]{0,3})(?P<hashes>#{1,6})(?:[ \t]+|$)")
_ATX_CLOSE_RE = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_QUOTE_RE = re.compile(r"^[ ]{0,3}>")


class HeadingCheck(Enum):
    """What a desk editor would flag on a heading."""

    SKIPPED_LEVEL = "skipped-level"  # an H2 followed by an H4
    EMPTY_SECTION = "empty-section"  # a heading with neither text nor subsections
    DUPLICATE = "duplicate"  # the same title as another heading

    @property
    def message(self) -> str:
        return _CHECK_MESSAGES[self]


_CHECK_MESSAGES = {
    HeadingCheck.SKIPPED_LEVEL: "Skips a heading level",
    HeadingCheck.EMPTY_SECTION: "Empty section",
    HeadingCheck.DUPLICATE: "Same title as another heading",
}


class HeadingStyle(Enum):
    ATX = "atx"
    SETEXT = "setext"


@dataclass(eq=False)
class Section:
    """One heading and the text it governs.

    Offsets are character positions in the body: ``start`` is where the heading line begins,
    ``end`` where the section (subsections included) ends, ``heading_end`` the end of the
    heading's last line (the underline for setext), ``title_start``/``title_end`` the title
    text itself. ``line`` is 1-based. ``words`` counts the section's own text up to its first
    subsection; ``total_words`` includes the subsections.
    """

    level: int
    title: str
    line: int
    start: int
    end: int
    heading_end: int
    title_start: int
    title_end: int
    style: HeadingStyle
    index: int  # position among all outline headings, in document order
    words: int = 0
    total_words: int = 0
    checks: set[HeadingCheck] = field(default_factory=set)
    children: list[Section] = field(default_factory=list)
    parent: Section | None = field(default=None, repr=False)


@dataclass
class Outline:
    """The sections of one body: ``roots`` as a tree, ``sections`` flat in document order."""

    roots: list[Section]
    sections: list[Section]
    length: int = 0  # of the body

    def section_at(self, position: int) -> Section | None:
        """The innermost section whose text holds ``position`` (None before the first)."""
        found = None
        for section in self.sections:
            if section.start > position:
                break
            if position < section.end or (position == section.end == self.length):
                found = section
        return found

    def row_of(self, section: Section) -> int:
        siblings = section.parent.children if section.parent is not None else self.roots
        return next(i for i, candidate in enumerate(siblings) if candidate is section)


@dataclass(frozen=True)
class _Heading:
    level: int
    title: str
    line: int
    start: int
    heading_end: int
    title_start: int
    title_end: int
    style: HeadingStyle


@dataclass(frozen=True)
class BodyEdit:
    """Replace characters ``[start, end)`` of the body with ``text``.

    ``selection`` (anchor, position) is where the cursor goes in the body after the edit.
    """

    start: int
    end: int
    text: str
    selection: tuple[int, int]

    def apply(self, body: str) -> str:
        return body[: self.start] + self.text + body[self.end:]


def _headings(body: str) -> list[_Heading]:
    """Every heading, levels 1–6, in document order, outside fenced code."""
    found: list[_Heading] = []
    fence: str | None = None
    lines = body.split("\n")
    offsets = []
    offset = 0
    for line in lines:
        offsets.append(offset)
        offset += len(line) + 1
    previous_is_text = False
    opens_block = True  # the next line starts a block (after a blank line, a heading, code)
    for number, line in enumerate(lines):
        start = offsets[number]
        fence_match = FENCE_RE.match(line)
        if fence is not None:
            if (fence_match and fence_match.group(1)[0] == fence[0]
                    and len(fence_match.group(1)) >= len(fence) and not line.strip(" `~")):
                fence = None
            previous_is_text = False
            opens_block = True
            continue
        if fence_match and not ("`" in fence_match.group(1)
                                and "`" in line[fence_match.end():]):
            fence = fence_match.group(1)
            previous_is_text = False
            opens_block = True
            continue
        atx = _ATX_RE.match(line)
        if atx:
            rest_start = atx.end()
            rest = line[rest_start:]
            close = _ATX_CLOSE_RE.search(rest)
            title_end_in_rest = close.start() if close else len(rest.rstrip(" \t"))
            raw_title = rest[:title_end_in_rest]
            found.append(_Heading(
                level=len(atx.group("hashes")),
                title=raw_title.strip(),
                line=number + 1,
                start=start,
                heading_end=start + len(line),
                title_start=start + rest_start,
                title_end=start + rest_start + len(raw_title.rstrip(" \t")),
                style=HeadingStyle.ATX,
            ))
            previous_is_text = False
            opens_block = True
            continue
        setext = SETEXT_UNDERLINE_RE.match(line)
        if setext and previous_is_text and number > 0:
            title_line = lines[number - 1]
            title_start = offsets[number - 1] + (len(title_line) - len(title_line.lstrip()))
            found.append(_Heading(
                level=1 if setext.group(1)[0] == "=" else 2,
                title=title_line.strip(),
                line=number,
                start=offsets[number - 1],
                heading_end=start + len(line),
                title_start=title_start,
                title_end=offsets[number - 1] + len(title_line.rstrip()),
                style=HeadingStyle.SETEXT,
            ))
            previous_is_text = False
            opens_block = True
            continue
        # Python-Markdown underlines only a line that opens its block
        previous_is_text = (bool(line.strip()) and opens_block
                            and not line.startswith(("    ", "\t")))
        opens_block = not line.strip()
    return found


def parse_outline(body: str) -> Outline:
    """The H1–H4 sections of ``body`` as a tree, with word counts and checks."""
    headings = [h for h in _headings(body) if h.level <= OUTLINE_MAX_LEVEL]
    sections: list[Section] = []
    for index, heading in enumerate(headings):
        sections.append(Section(
            level=heading.level,
            title=heading.title,
            line=heading.line,
            start=heading.start,
            end=len(body),
            heading_end=heading.heading_end,
            title_start=heading.title_start,
            title_end=heading.title_end,
            style=heading.style,
            index=index,
        ))
    roots: list[Section] = []
    stack: list[Section] = []
    for index, section in enumerate(sections):
        own_end = sections[index + 1].start if index + 1 < len(sections) else len(body)
        section.words = count_words(body[section.heading_end:own_end])
        while stack and stack[-1].level >= section.level:
            stack.pop().end = section.start
        if stack:
            section.parent = stack[-1]
            stack[-1].children.append(section)
        else:
            roots.append(section)
        stack.append(section)
    for section in reversed(sections):
        section.total_words = section.words + sum(child.total_words for child in section.children)
    _check(sections)
    return Outline(roots, sections, len(body))


def _title_key(title: str) -> str:
    return " ".join(title.casefold().split()).rstrip(":.?!")


def _check(sections: list[Section]) -> None:
    by_title: dict[str, list[Section]] = {}
    previous: Section | None = None
    for section in sections:
        if previous is not None and section.level > previous.level + 1:
            section.checks.add(HeadingCheck.SKIPPED_LEVEL)
        if section.words == 0 and not section.children:
            section.checks.add(HeadingCheck.EMPTY_SECTION)
        if section.title:
            by_title.setdefault(_title_key(section.title), []).append(section)
        previous = section
    for same in by_title.values():
        if len(same) > 1:
            for section in same:
                section.checks.add(HeadingCheck.DUPLICATE)


# -- edits -----------------------------------------------------------------------------------
def _minimal_edit(old: str, new: str, selection: tuple[int, int]) -> BodyEdit:
    """The smallest single replacement that turns ``old`` into ``new``."""
    limit = min(len(old), len(new))
    prefix = 0
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while (suffix < limit - prefix
           and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]):
        suffix += 1
    return BodyEdit(prefix, len(old) - suffix, new[prefix:len(new) - suffix], selection)


def _clean_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise ValueError("a heading needs a title")
    return title


def rename_heading(body: str, section: Section, title: str) -> BodyEdit:
    """Rewrite the heading's title in place, keeping its level and style.

    The new title is selected afterwards. Raises ValueError for an empty title.
    """
    title = _clean_title(title)
    if section.style is HeadingStyle.ATX and title.endswith("#"):
        title = title[:-1] + "\\#"
    start = section.title_start
    if section.style is HeadingStyle.ATX and section.title_start == section.title_end:
        # "##" alone: the title needs its space after the hashes
        prefix = "" if body[start - 1:start] in (" ", "\t") else " "
        return BodyEdit(start, section.title_end, prefix + title,
                        (start + len(prefix), start + len(prefix) + len(title)))
    return BodyEdit(start, section.title_end, title, (start, start + len(title)))


def _heading_line(level: int, title: str) -> str:
    return f"{'#' * level} {title}".rstrip()


def _shift_levels(body: str, start: int, end: int, delta: int) -> str:
    """``body[start:end]`` with every heading in it (levels 1–6) moved by ``delta`` levels."""
    text = body[start:end]
    if delta == 0:
        return text
    pieces: list[str] = []
    cursor = 0
    for heading in _headings(text):
        level = heading.level + delta
        pieces.append(text[cursor:heading.start])
        title = text[heading.title_start:heading.title_end]
        if heading.style is HeadingStyle.SETEXT and level <= 2:
            underline = ("=" if level == 1 else "-") * max(3, len(title))
            pieces.append(text[heading.start:heading.title_end] + "\n" + underline)
        elif heading.style is HeadingStyle.SETEXT:
            pieces.append(_heading_line(level, title))
        else:
            line = text[heading.start:heading.heading_end]
            match = _ATX_RE.match(line)
            assert match is not None
            hashes_start = heading.start + match.start("hashes")
            pieces.append(text[heading.start:hashes_start] + "#" * level
                          + text[hashes_start + heading.level:heading.heading_end])
        cursor = heading.heading_end
    pieces.append(text[cursor:])
    return "".join(pieces)


def can_change_level(outline: Outline, section: Section, delta: int) -> bool:
    """Would every heading of the section stay within H1–H4 after moving ``delta`` levels?"""
    levels = [s.level for s in outline.sections if section.start <= s.start < section.end]
    return bool(levels) and delta != 0 and all(
        1 <= level + delta <= OUTLINE_MAX_LEVEL for level in levels
    )


def change_level(body: str, section: Section, delta: int) -> BodyEdit:
    """Promote (``delta`` < 0) or demote (> 0) the heading and all its subsections.

    Raises ValueError when a heading would leave H1–H4. The cursor is put on the heading.
    """
    levels = [h.level for h in _headings(body[section.start:section.end])]
    if delta == 0 or not levels or not all(1 <= level + delta <= 6 for level in levels) or not (
        1 <= section.level + delta <= OUTLINE_MAX_LEVEL
    ) or any(level <= OUTLINE_MAX_LEVEL < level + delta for level in levels):
        raise ValueError("the heading cannot move that many levels")
    new_text = _shift_levels(body, section.start, section.end, delta)
    new_body = body[:section.start] + new_text + body[section.end:]
    return _minimal_edit(body, new_body, (section.start, section.start))


def move_section(body: str, section: Section, position: int,
                 level: int | None = None) -> BodyEdit | None:
    """Move the whole section (its subsections too) so that it starts at ``position``.

    ``position`` is an offset in the current body where a section starts, or the end of the
    body. With ``level`` the moved headings shift so that the section's heading gets that
    level. Sections are kept apart by a blank line. None when nothing would change.
    """
    delta = 0 if level is None else level - section.level
    if section.start <= position <= section.end:
        if delta == 0:
            return None
        return change_level(body, section, delta)
    chunk = _shift_levels(body, section.start, section.end, delta).rstrip("\n")
    rest = body[:section.start] + body[section.end:]
    if position > section.end:
        position -= section.end - section.start
    before, after = rest[:position].rstrip("\n"), rest[position:].lstrip("\n")
    final_newline = "\n" if body.endswith("\n") else ""
    head = before + "\n\n" if before else ""
    moved_start = len(head)
    tail = "\n\n" + after if after.strip() else final_newline
    new_body = head + chunk + tail
    new_body = new_body.rstrip("\n") + final_newline if new_body.strip() else new_body
    return _minimal_edit(body, new_body, (moved_start, moved_start))


def add_section_after(body: str, section: Section | None, title: str = DEFAULT_SECTION_TITLE,
                      level: int | None = None) -> BodyEdit:
    """A new heading after ``section`` (after its subsections), or at the end of the body.

    The level is the section's own unless given; the new title is selected so that typing
    replaces it.
    """
    title = _clean_title(title)
    if level is None:
        level = section.level if section is not None else 2
    position = section.end if section is not None else len(body)
    before, after = body[:position], body[position:]
    core = before.rstrip("\n")
    separator = "\n\n" if core else ""
    heading = _heading_line(level, title)
    start = len(core)
    if after.strip():
        replacement = separator + heading + "\n\n"
        end = position + (len(after) - len(after.lstrip("\n")))
    else:
        replacement = separator + heading + "\n"
        end = len(body)
    title_start = start + len(separator) + level + 1
    return BodyEdit(start, end, replacement, (title_start, title_start + len(title)))
