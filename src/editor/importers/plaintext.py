"""Plain-text articles, as a site's text export gives them, read back into structured articles.

A text export has lost its markup but kept its shape: the headline on the first line, a byline,
paragraphs between blank lines, section headings as short lines standing alone, bullets as "•"
lines, the featured image's alt text as a stray line after the lead, and a trailing block of
related stories ("Don't Miss"). The importer reads that shape back in two steps: each line is
classified on its own (:func:`classify_line`), then the assembler walks the classified lines and
takes, in turn, the head (headline, dek, byline), the related trailer and the body's blocks.

The author's words are kept as written: lines are only stripped of trailing whitespace and
indentation, and the few line starts that Markdown would misread are escaped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum, auto

from editor.model import Article, RelatedCard


class LineKind(Enum):
    """What a line is on its own, before its neighbours are looked at."""

    BLANK = auto()
    TEXT = auto()
    BULLET = auto()
    NUMBERED = auto()
    QUOTE = auto()
    MARKDOWN_HEADING = auto()
    SEPARATOR = auto()


class BlockKind(Enum):
    """What a run of lines becomes in the Markdown body."""

    PARAGRAPH = auto()
    HEADING = auto()
    LIST = auto()
    QUOTE = auto()
    SEPARATOR = auto()


@dataclass(frozen=True)
class Line:
    """One classified line: ``text`` is its content without indentation or marker.

    ``marker`` is a numbered item's number or a Markdown heading's hashes.
    """

    kind: LineKind
    text: str
    indented: bool = False
    marker: str = ""


@dataclass
class Block:
    """A run of body lines of one kind; ``alone`` when blank lines surround it entirely."""

    kind: BlockKind
    lines: list[Line] = field(default_factory=list)
    alone: bool = False


@dataclass(frozen=True)
class Byline:
    """What a byline line says; either part may be empty."""

    author: str
    date: str


# --- line classifier ------------------------------------------------------------------------

_SEPARATOR = re.compile(r"^\s*([*\-_=~#•])(?:\s*\1){2,}\s*$")
_MARKDOWN_HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>\S.*)$")
_BULLET = re.compile(r"^\s*[•◦▪‣*+\-]\s+(?P<text>\S.*)$")
# Three digits at most: "1984. That year…" opens a sentence, not a list.
_NUMBERED = re.compile(r"^\s*(?P<number>\d{1,3})[.)]\s+(?P<text>\S.*)$")
_QUOTED = re.compile(r'^[“"«„].*[”"»“][.!?]?$')


def classify_line(raw: str) -> Line:
    """Classify one line without looking at its neighbours."""
    stripped = raw.strip()
    if not stripped:
        return Line(LineKind.BLANK, "")
    indented = raw[:1].isspace()
    if _SEPARATOR.match(raw):
        return Line(LineKind.SEPARATOR, stripped, indented)
    if match := _MARKDOWN_HEADING.match(stripped):
        return Line(LineKind.MARKDOWN_HEADING, match["text"].rstrip(), indented, match["hashes"])
    if match := _NUMBERED.match(raw):
        return Line(LineKind.NUMBERED, match["text"].rstrip(), indented, match["number"])
    if match := _BULLET.match(raw):
        return Line(LineKind.BULLET, match["text"].rstrip(), indented)
    if indented and _QUOTED.match(stripped):
        return Line(LineKind.QUOTE, stripped, indented)
    return Line(LineKind.TEXT, stripped, indented)


# --- dates and bylines ----------------------------------------------------------------------

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?"
_ORDINAL = r"(?:st|nd|rd|th)?"
_DATE = re.compile(
    rf"\b(?:{_WEEKDAY},?\s+)?(?:"
    rf"(?P<month_a>{_MONTH})\.?\s+(?P<day_a>\d{{1,2}}){_ORDINAL},?\s+(?P<year_a>\d{{4}})"
    rf"|(?P<day_b>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?(?P<month_b>{_MONTH})\.?,?\s+(?P<year_b>\d{{4}})"
    r"|(?P<year_c>\d{4})-(?P<month_c>\d{2})-(?P<day_c>\d{2})"
    r")\b",
    re.IGNORECASE,
)
# Numeric dates with slashes are left alone: 03/04/2024 is March in one country, April in another.

_BY = re.compile(r"(?:^|(?<=[\s·•|,]))by\s+", re.IGNORECASE)
_DATE_LEAD = re.compile(
    r"^(?:first\s+|last\s+)?(?:published|updated|posted|modified)(?:\s+on)?\b\s*:?\s*",
    re.IGNORECASE,
)
_AUTHOR_END = re.compile(r"\s*(?:·|•|\||\s[—–-]\s)")
_AUTHOR_TRAIL = re.compile(
    r"(?:[\s,;·•|—–-]+|\b(?:on|published|updated|posted)\b)+$", re.IGNORECASE
)
# What may follow a date on a dateline: "10:30", "at 9 a.m.", "10:30 EDT", "08:00 GMT+1".
_TIME_AFTER_DATE = re.compile(
    r"^[\s,·•|—–-]*(?:at\s+)?\d{1,2}(?:[:.]\d{2})?\s*(?:[aApP]\.?[mM]\.?)?"
    r"\s*(?:[A-Z]{2,5}(?:[+-]\d{1,2})?)?$"
)
_MAX_AUTHOR_WORDS = 10
_MAX_BYLINE_CHARS = 160


def _find_date(text: str) -> tuple[re.Match[str], str] | None:
    """The first real calendar date in ``text`` and its ISO form."""
    for match in _DATE.finditer(text):
        if match["year_c"]:
            year, month, day = int(match["year_c"]), int(match["month_c"]), int(match["day_c"])
        else:
            year = int(match["year_a"] or match["year_b"])
            month = _MONTHS[(match["month_a"] or match["month_b"]).lower()]
            day = int(match["day_a"] or match["day_b"])
        try:
            return match, dt.date(year, month, day).isoformat()
        except ValueError:
            continue
    return None


def parse_date(text: str) -> str:
    """The first date written in ``text`` ("October 1, 2025", "1 Oct 2025"…) as ``YYYY-MM-DD``.

    Empty when there is none, so that a missing date stays visibly missing.
    """
    found = _find_date(text)
    return found[1] if found else ""


def parse_byline(line: str) -> Byline | None:
    """Read a byline or dateline ("by NAME · DATE", "Published DATE by NAME", a bare date).

    None when the line is not one: "By the time troops left, …" opens a paragraph, so the
    author part must read like a name (capitalised, a few words) and a byline is no sentence.
    """
    text = line.strip()
    if not text or len(text) > _MAX_BYLINE_CHARS or text[-1] in "!?":
        return None
    found = _find_date(text)
    date_match, date = found if found else (None, "")
    by = _BY.search(text)
    starts_by = by is not None and by.start() == 0
    starts_dated = _DATE_LEAD.match(text) is not None
    only_date = (
        date_match is not None
        and date_match.start() == 0
        and (date_match.end() == len(text) or _TIME_AFTER_DATE.match(text[date_match.end():]))
    )
    if not (starts_by or (starts_dated and (date or by)) or only_date):
        return None
    if not date and text.endswith("."):
        return None
    author = ""
    if by is not None:
        start = by.end()
        if date_match is not None and date_match.start() >= start:
            author = text[start:date_match.start()]
        else:
            end = _AUTHOR_END.search(text, start)
            author = text[start:end.start() if end else len(text)]
        author = _AUTHOR_TRAIL.sub("", author).strip()
        if author and (not author[0].isupper() or len(author.split()) > _MAX_AUTHOR_WORDS):
            return None
    return Byline(author, date)


# --- the related-stories trailer ------------------------------------------------------------

_RELATED_HEADING = re.compile(
    r"^(?:don['’‘`]?t\s+miss(?:\s+this)?"
    r"|related(?:\s+(?:stories|articles|news|reading|coverage|content|posts))?"
    r"|read\s+(?:also|more|next)|also\s+read|see\s+also|further\s+reading"
    r"|more\s+(?:stories|news)|more\s+from\s+\S.{0,60}"
    r"|you\s+(?:may|might)\s+also\s+like|recommended(?:\s+(?:for\s+you|reading))?"
    r")\s*:?$",
    re.IGNORECASE,
)
_TEASER_ENDINGS = ("…", "...")


def is_related_heading(text: str) -> bool:
    """Whether ``text`` is the heading of a related-stories block ("Don't Miss", "Read also")."""
    return _RELATED_HEADING.match(text.strip()) is not None


def _find_trailer(lines: Sequence[Line], start: int) -> int | None:
    """Index of the related block's heading: a heading line after a blank line (or the head)."""
    for index in range(start, len(lines)):
        line = lines[index]
        if line.kind not in (LineKind.TEXT, LineKind.MARKDOWN_HEADING):
            continue
        text = line.text
        after_break = index == start or lines[index - 1].kind is LineKind.BLANK
        if after_break and is_related_heading(text):
            return index
    return None


def _parse_cards(lines: Sequence[Line]) -> list[RelatedCard]:
    """Cards from the trailer's lines: ``[alt]``, title, teaser ending in "…".

    Blank lines are no guide (an export may glue one card's teaser to the next card's alt
    line), so the teaser anchors each card: the line before it is the title, the one before
    that the image's alt text. Lines left over without a teaser become title-only cards.
    """
    cards: list[RelatedCard] = []
    pending: list[str] = []
    for line in lines:
        if line.kind in (LineKind.BLANK, LineKind.SEPARATOR):
            continue
        entry = line.text
        if not entry.endswith(_TEASER_ENDINGS):
            pending.append(entry)
            continue
        if not pending:
            cards.append(RelatedCard(teaser=entry))
            continue
        *earlier, title = pending
        alt = earlier.pop() if earlier else ""
        cards.extend(RelatedCard(title=text) for text in earlier)
        cards.append(RelatedCard(title=title, image_alt=alt, teaser=entry))
        pending = []
    cards.extend(RelatedCard(title=text) for text in pending)
    return cards


# --- the head: headline, dek, byline --------------------------------------------------------

_MAX_META_LINES = 3


def _next_content(lines: Sequence[Line], start: int) -> int | None:
    for index in range(start, len(lines)):
        if lines[index].kind is not LineKind.BLANK:
            return index
    return None


def _meta_of(line: Line) -> Byline | None:
    return parse_byline(line.text) if line.kind is LineKind.TEXT else None


def _take_head(lines: Sequence[Line], article: Article) -> int:
    """Fill headline, dek, author and date; return where the body starts.

    The byline may follow the headline directly or come after one standfirst line, which is
    then the dek; a byline and a separate date line are both taken.
    """
    first = _next_content(lines, 0)
    if first is None:
        return len(lines)
    article.title = lines[first].text.strip()
    position = first + 1
    candidate = _next_content(lines, position)
    if candidate is None:
        return len(lines)
    if _meta_of(lines[candidate]) is None:
        following = _next_content(lines, candidate + 1)
        if (
            following is None
            or lines[candidate].kind is not LineKind.TEXT
            or _meta_of(lines[following]) is None
        ):
            return position
        article.dek = lines[candidate].text
        candidate = following
    for _ in range(_MAX_META_LINES):
        byline = _meta_of(lines[candidate])
        if byline is None:
            break
        article.author = article.author or byline.author
        article.date = article.date or byline.date
        position = candidate + 1
        following = _next_content(lines, position)
        if following is None:
            break
        candidate = following
    return position


# --- the body -------------------------------------------------------------------------------

_LIST_KINDS = (LineKind.BULLET, LineKind.NUMBERED)
_MAX_HEADING_WORDS = 14
_MAX_HEADING_CHARS = 100
_NOT_HEADING_ENDINGS = (".", "!", ":", ";", ",", "…", "—", "–", "-")
# A placeholder at the end ("…bad weather. TK") marks an unfinished sentence, not a title.
_ENDS_WITH_PLACEHOLDER = re.compile(r"(?:\bTK|\[[^\]]*\])$")
# "…weather. Then" ends a sentence inside the line; "U.S." and "Gov." do not.
_SENTENCE_BREAK = re.compile(r"[a-z]{3,}[.!]\s")


def _chunks(lines: Sequence[Line]) -> list[list[Line]]:
    """Runs of non-blank lines."""
    chunks: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        if line.kind is LineKind.BLANK:
            if current:
                chunks.append(current)
            current = []
        else:
            current.append(line)
    if current:
        chunks.append(current)
    return chunks


def _blocks_of_chunk(chunk: list[Line]) -> list[Block]:
    """Split a run of lines where its kind changes: "two actors:" then its bullets."""
    blocks: list[Block] = []
    for line in chunk:
        current = blocks[-1] if blocks else None
        if line.kind in (LineKind.SEPARATOR, LineKind.MARKDOWN_HEADING):
            kind = BlockKind.SEPARATOR if line.kind is LineKind.SEPARATOR else BlockKind.HEADING
            blocks.append(Block(kind, [line]))
        elif line.kind in _LIST_KINDS:
            if current is not None and current.kind is BlockKind.LIST and _same_list(
                current, line
            ):
                current.lines.append(line)
            else:
                blocks.append(Block(BlockKind.LIST, [line]))
        elif line.kind is LineKind.QUOTE:
            blocks.append(Block(BlockKind.QUOTE, [line]))
        elif (
            current is not None
            and current.kind in (BlockKind.LIST, BlockKind.QUOTE)
            and line.indented
        ):
            current.lines.append(line)  # a wrapped item, or a quote's attribution
        elif current is not None and current.kind is BlockKind.PARAGRAPH:
            current.lines.append(line)
        else:
            blocks.append(Block(BlockKind.PARAGRAPH, [line]))
    if len(blocks) == 1:
        blocks[0].alone = True
    return blocks


def _same_list(block: Block, line: Line) -> bool:
    return block.lines[0].kind is line.kind


def _body_blocks(lines: Sequence[Line]) -> list[Block]:
    """The body's blocks, with list items split only by blank lines joined into one list."""
    blocks: list[Block] = []
    for chunk in _chunks(lines):
        for block in _blocks_of_chunk(chunk):
            previous = blocks[-1] if blocks else None
            if (
                previous is not None
                and previous.kind is BlockKind.LIST
                and block.kind is BlockKind.LIST
                and _same_list(previous, block.lines[0])
            ):
                previous.lines.extend(block.lines)
            else:
                blocks.append(block)
    return blocks


def _single_line(block: Block) -> str | None:
    """The text of a paragraph that is one line standing alone, else None."""
    if block.kind is BlockKind.PARAGRAPH and block.alone and len(block.lines) == 1:
        return block.lines[0].text
    return None


def _take_image_alt(blocks: list[Block]) -> str:
    """Remove and return the featured image's alt text: a lone lower-case line after the lead.

    Text exports drop the image but keep its alt attribute as a line of its own; a sentence
    or a heading would start with a capital, so the lower case gives it away.
    """
    lead = next(
        (index for index, block in enumerate(blocks) if block.kind is BlockKind.PARAGRAPH), None
    )
    if lead is None or lead + 1 >= len(blocks):
        return ""
    text = _single_line(blocks[lead + 1])
    if text is None or not text[0].islower():
        return ""
    del blocks[lead + 1]
    return text


def looks_like_heading(text: str) -> bool:
    """A short line a section would be titled with: capitalised, no sentence punctuation.

    A question mark is allowed ("Real Success or Half-Truth?"); a line ending in a placeholder
    ("TK", "[IMAGE: …]"), a truncated teaser ("…") and two sentences are not headings.
    """
    if len(text) > _MAX_HEADING_CHARS or len(text.split()) > _MAX_HEADING_WORDS:
        return False
    if not (text[0].isupper() or text[0].isdigit()):
        return False
    return not (
        text.endswith(_NOT_HEADING_ENDINGS)
        or _ENDS_WITH_PLACEHOLDER.search(text)
        or _SENTENCE_BREAK.search(text)
    )


def _mark_headings(blocks: list[Block]) -> None:
    """Turn lone heading-like lines into headings; the last block has no section to title."""
    for block in blocks[:-1]:
        text = _single_line(block)
        if text is not None and not block.lines[0].indented and looks_like_heading(text):
            block.kind = BlockKind.HEADING


# --- Markdown output ------------------------------------------------------------------------

_MARKDOWN_LINE_START = re.compile(r"^(?:(?P<mark>[#>])|(?P<number>\d+)(?P<dot>[.)])(?=\s))")
_ATTRIBUTION_START = ("—", "―", "–")


def _escape_line_start(text: str) -> str:
    """Keep Markdown from reading "#hashtag", "> 5" or "1984. That…" as block markup."""
    match = _MARKDOWN_LINE_START.match(text)
    if match is None:
        return text
    if match["mark"]:
        return "\\" + text
    return f"{match['number']}\\{match['dot']}{text[match.end():]}"


def _render_block(block: Block) -> str:
    if block.kind is BlockKind.HEADING:
        line = block.lines[0]
        hashes = line.marker if line.kind is LineKind.MARKDOWN_HEADING else "##"
        return f"{hashes} {line.text}"
    if block.kind is BlockKind.SEPARATOR:
        return "* * *"
    if block.kind is BlockKind.LIST:
        return _render_list(block.lines)
    if block.kind is BlockKind.QUOTE:
        return _render_quote(block.lines)
    return "\n".join(_escape_line_start(line.text) for line in block.lines)


def _render_list(lines: Sequence[Line]) -> str:
    """Items as ``- `` or ``N. `` (the author's numbers); wrapped lines indented under them."""
    out: list[str] = []
    for line in lines:
        if line.kind is LineKind.BULLET:
            out.append(f"- {line.text}")
        elif line.kind is LineKind.NUMBERED:
            out.append(f"{line.marker}. {line.text}")
        else:
            out.append(f"    {line.text}")
    return "\n".join(out)


def _render_quote(lines: Sequence[Line]) -> str:
    """A block quote; an attribution ("— Name") gets a line of its own inside the quote."""
    out: list[str] = []
    for line in lines:
        if out and line.text.startswith(_ATTRIBUTION_START):
            out.append(">")
        out.append(f"> {line.text}")
    return "\n".join(out)


# --- the importer ---------------------------------------------------------------------------


def import_plain_text(text: str) -> Article:
    """Read a plain-text article export into an article with metadata, Markdown body and cards."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = [classify_line(raw) for raw in text.split("\n")]
    article = Article()
    body_start = _take_head(lines, article)
    trailer = _find_trailer(lines, body_start)
    body_end = len(lines) if trailer is None else trailer
    if trailer is not None:
        article.related_heading = lines[trailer].text
        article.related = _parse_cards(lines[trailer + 1:])
    blocks = _body_blocks(lines[body_start:body_end])
    _mark_headings(blocks)
    article.image_alt = _take_image_alt(blocks)
    body = "\n\n".join(_render_block(block) for block in blocks)
    article.body = f"{body}\n" if body else ""
    return article
