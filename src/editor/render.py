"""Markdown body to HTML, block by block, so that a keystroke re-renders one block only.

The body is cut into top-level blocks (paragraphs, headings, lists, fenced code…) at blank
lines. Each block is rendered on its own and cached by its text, so the live preview can swap
just the blocks that changed, and the export joins the very same blocks. What only the whole
document can resolve is worked out from the whole body and shared: reference-link
definitions, footnote numbers (the notes are listed after the last block, see
:mod:`editor.footnotes`), and the ``[TOC]`` block, built from the rendered headings.
"""

from __future__ import annotations

import bisect
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple
from urllib.parse import quote

import markdown
import nh3
from markdown.blockprocessors import ReferenceProcessor
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.codehilite import CodeHiliteExtension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension, slugify, unique
from markdown.treeprocessors import Treeprocessor

from editor.footnotes import (
    FootnoteReferenceExtension,
    Footnotes,
    collect_footnotes,
    footnote_list,
    is_definition_block,
    unique_reference_ids,
)
from editor.placeholders import PlaceholderExtension
from editor.syntax import FENCE_RE, LIST_ITEM_RE, SETEXT_UNDERLINE_RE

CODE_CSS_CLASS = "codehilite"


class RawHtml(Enum):
    """What happens to HTML written by hand in the body."""

    SANITIZE = "sanitize"  # safe tags kept; script, event handlers, javascript: URLs removed
    KEEP = "keep"  # passed through as written (still re-serialised to valid HTML)


@dataclass(frozen=True)
class SourceBlock:
    """Lines ``[start, end)`` of the body (0-based) that render as one unit.

    ``offset`` is the character position of ``text`` in the body.
    """

    start: int
    end: int
    text: str
    offset: int = 0


class RenderedBlock(NamedTuple):
    """One block as the preview shows it."""

    start: int
    end: int
    text: str
    html: str


_CODE_CLASS = f'class="{CODE_CSS_CLASS}"'


@dataclass(frozen=True)
class BlockChange:
    """Which blocks a render replaced: ``removed`` blocks of the render before it (its
    ``htmls`` list is ``before``) from ``start`` on became ``inserted`` blocks. The preview
    patches just those instead of comparing thousands of blocks."""

    before: list[str]
    start: int
    removed: int
    inserted: int


class RenderedBody:
    """The body's blocks as the preview shows them, held as columns (first lines, Markdown,
    HTML): a keystroke in a 100,000-word article makes the next body from the lists of the one
    before, without a Python object per block. ``change`` says which blocks differ from the
    render before, when the renderer knows."""

    __slots__ = ("_ends", "change", "has_code", "htmls", "starts", "texts")

    def __init__(self, blocks: Iterable[RenderedBlock] = ()) -> None:
        listed = list(blocks)
        self.starts = [block.start for block in listed]
        self.texts = [block.text for block in listed]
        self.htmls = [block.html for block in listed]
        self._ends: list[int] | None = [block.end for block in listed]
        self.has_code = any(_CODE_CLASS in html for html in self.htmls)
        self.change: BlockChange | None = None

    @classmethod
    def _of_columns(cls, starts: list[int], texts: list[str], htmls: list[str],
                    has_code: bool, change: BlockChange | None = None) -> RenderedBody:
        body = cls.__new__(cls)
        body.starts, body.texts, body.htmls = starts, texts, htmls
        body.has_code, body.change, body._ends = has_code, change, None
        return body

    def __len__(self) -> int:
        return len(self.htmls)

    def end(self, index: int) -> int:
        """The line after block ``index`` (its first line, for the footnotes after the last)."""
        if self._ends is not None:
            return self._ends[index]
        return _end_line(self.starts[index], self.texts[index])

    @property
    def blocks(self) -> tuple[RenderedBlock, ...]:
        return tuple(RenderedBlock(start, self.end(index), text, html) for index, (start, text, html)
                     in enumerate(zip(self.starts, self.texts, self.htmls, strict=True)))

    @property
    def html(self) -> str:
        return "\n".join(html for html in self.htmls if html)


def _end_line(start: int, text: str) -> int:
    """The line after a block of ``text`` starting at line ``start`` (a block's text runs from
    its first line to its last, blank lines inside included; the notes list has no text)."""
    return start + text.count("\n") + 1 if text else start


_ATX_HEADING_RE = re.compile(r"^[ ]{0,3}(#{1,6})(?:[ \t]|$)")
_HEADING_RE = re.compile(r'<h([1-6])[^>]*\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.DOTALL)
TAG_RE = re.compile(r"<[^>]+>")
TOC_MARKER = "[TOC]"
_HEADING_ID_RE = re.compile(r'(<h[1-6][^>]*\bid=")([^"]+)(")')
_IMG_SRC_RE = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]*)(")')


_BLANK_LINES_RE = re.compile(r"\n(?:[ \t]*\n)+")


def split_blocks(body: str) -> list[SourceBlock]:
    """Cut ``body`` into top-level blocks at blank lines outside fenced code.

    A list whose items are parted by blank lines, and indented continuation lines, stay with
    the block before them, as Markdown reads them. Blank-line runs are found by one regular
    expression and only chunks holding a fence are looked at line by line, which keeps this
    fast enough to run on every keystroke of a 100,000-word article.
    """
    # Each range: [first line, end line (exclusive), first character, end character].
    ranges: list[list[int]] = []
    line = 0
    position = 0
    open_fence: str | None = None
    for separator in [*_BLANK_LINES_RE.finditer(body), None]:
        chunk_end = separator.start() if separator is not None else len(body)
        start_position = position
        start = line
        newlines = body.count("\n", position, chunk_end)
        end = line + newlines + 1
        if separator is not None:
            line = end + separator.group().count("\n") - 1
            position = separator.end()
        text = body[start_position:chunk_end]
        if not text.strip():
            continue
        if text[0] == "\n":  # the body opens with blank lines
            stripped = text.lstrip("\n \t")
            start = end - stripped.count("\n") - 1
            start_position = chunk_end - len(stripped)
            text = stripped
        if open_fence is not None:  # blank lines inside a fence belong to it
            ranges[-1][1], ranges[-1][3] = end, chunk_end
            open_fence = _fence_state(text, open_fence)
            continue
        if ranges and _continues(body, ranges[-1][2], text):
            ranges[-1][1], ranges[-1][3] = end, chunk_end
        else:
            ranges.append([start, end, start_position, chunk_end])
        if "```" in text or "~~~" in text:
            open_fence = _fence_state(text, None)
    return [SourceBlock(start, end, body[first:last], first) for start, end, first, last in ranges]


def resplit_blocks(old_body: str, offsets: list[int], starts: list[int], texts: list[str],
                   body: str) -> list[SourceBlock]:
    """``split_blocks(body)``, given the blocks of ``old_body`` as columns: each one's offset,
    first line and text.

    Only the blocks around the edit are split again; the blocks before it are reused as they
    are and those after it shifted, so a keystroke costs the same in a short article and in a
    100,000-word report. Near a code fence, or where the edit could join neighbouring blocks,
    it falls back to splitting everything.
    """
    region = _edit_region(old_body, offsets, starts, texts, body)
    if region is None:
        return split_blocks(body)
    first, after, shift, line_shift = region.first, region.after, region.shift, region.line_shift
    return [
        *(SourceBlock(start, _end_line(start, text), text, offset)
          for offset, start, text in zip(offsets[:first], starts[:first], texts[:first],
                                         strict=True)),
        *region.middle,
        *(SourceBlock(start + line_shift, _end_line(start + line_shift, text), text,
                      offset + shift)
          for offset, start, text in zip(offsets[after:], starts[after:], texts[after:],
                                         strict=True)),
    ]


@dataclass(frozen=True)
class _EditRegion:
    """Old blocks ``[first, after)`` are new blocks ``middle``; the blocks after them moved by
    ``shift`` characters and ``line_shift`` lines."""

    first: int
    after: int
    middle: list[SourceBlock]
    shift: int
    line_shift: int


def _edit_region(old_body: str, offsets: list[int], starts: list[int], texts: list[str],
                 body: str, unchanged: tuple[int, int] | None = None) -> _EditRegion | None:
    """The blocks of ``old_body`` (by their offsets, first lines and texts) that the edit
    turning it into ``body`` touched, split again; None where only splitting everything is
    safe (where the edit opens or closes a code fence, or could join neighbouring blocks).

    ``unchanged``, when the caller knows it: how many characters at the start and at the end
    the edit left as they were (at most), which spares comparing the two bodies.
    """
    if not offsets or not old_body:
        return None
    if unchanged is None:
        prefix = _common_prefix_length(old_body, body)
        suffix = _common_suffix_length(old_body, body, min(len(old_body), len(body)) - prefix)
    else:
        prefix, suffix = unchanged
    old_edit_end = len(old_body) - suffix
    first = max(0, bisect.bisect_right(offsets, prefix) - 2)
    after = min(len(offsets), bisect.bisect_right(offsets, old_edit_end) + 1)
    # From the top when the edit reaches the first block: blank lines may precede it.
    region_start = offsets[first] if first else 0
    old_region_end = offsets[after] if after < len(offsets) else len(old_body)
    shift = len(body) - len(old_body)
    region_end = old_region_end + shift
    region = body[region_start:region_end]
    if ("```" in region or "~~~" in region) and _fence_lines(region) != _fence_lines(
            old_body[region_start:old_region_end]):
        return None  # a fence opened or closed: what follows may be code now, or no more
    line_shift = region.count("\n") - old_body.count("\n", region_start, old_region_end)
    start_line = starts[first] if first else 0
    middle = [
        SourceBlock(block.start + start_line, block.end + start_line, block.text,
                    block.offset + region_start)
        for block in split_blocks(region)
    ]
    if first > 0 and middle and _continues(body, offsets[first - 1], middle[0].text):
        return None
    if after < len(offsets) and middle and _continues(body, middle[-1].offset, texts[after]):
        return None
    return _EditRegion(first, after, middle, shift, line_shift)


def _common_prefix_length(a: str, b: str) -> int:
    """How many leading characters ``a`` and ``b`` share, by bisection on slice equality."""
    low, high = 0, min(len(a), len(b))
    if a[:high] == b[:high]:
        return high
    while low < high:  # a[:low] == b[:low] and a[:high] != b[:high]
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix_length(a: str, b: str, limit: int) -> int:
    """How many trailing characters ``a`` and ``b`` share, at most ``limit``."""
    low, high = 0, limit
    if high and a[len(a) - high:] == b[len(b) - high:]:
        return high
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle:len(a) - low] == b[len(b) - middle:len(b) - low]:
            low = middle
        else:
            high = middle - 1
    return low


def _fence_lines(text: str) -> list[str]:
    """The lines of ``text`` that open or close a code fence, in order."""
    if "```" not in text and "~~~" not in text:
        return []
    return [line for line in text.split("\n") if FENCE_RE.match(line)]


def _fence_state(text: str, fence: str | None) -> str | None:
    """The fence still open after ``text``, given the one open before it."""
    for line in text.split("\n"):
        match = FENCE_RE.match(line)
        if match is None:
            continue
        if fence is None:
            fence = match.group(1)
        elif match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
            fence = None
    return fence


def _continues(body: str, previous_start: int, text: str) -> bool:
    """Does ``text``, after blank lines, still belong to the block starting at ``previous_start``?"""
    if text[0] not in " \t-*+0123456789":
        return False
    first = body[previous_start:body.find("\n", previous_start)]
    if text.startswith(("    ", "\t")):
        return bool(LIST_ITEM_RE.match(first) or first.lstrip().startswith("[^"))
    return bool(LIST_ITEM_RE.match(first) and LIST_ITEM_RE.match(text))


_FIRST_STRUCTURE_RE = re.compile(r"^[ ]{0,3}(?:#{1,6}(?:[ \t]|$)|`{3,}|~{3,}|=+[ \t]*$|-+[ \t]*$)",
                                 re.MULTILINE)


def heading_offset(body: str) -> int:
    """How far to shift body headings so the first sits at h2, under the page's h1."""
    match = _FIRST_STRUCTURE_RE.search(body)
    if match is None:
        return 0
    line = match.group().lstrip(" ")
    if line.startswith("#"):
        return 2 - len(line) + len(line.lstrip("#"))
    # A fence or a possible setext underline first: read line by line from there.
    fence: str | None = None
    previous = body[:match.start()].rstrip("\n").rsplit("\n", 1)[-1] if match.start() else ""
    for line in body[match.start():].split("\n"):
        fence_match = FENCE_RE.match(line)
        if fence is not None:
            if fence_match and fence_match.group(1)[0] == fence[0]:
                fence = None
            continue
        if fence_match:
            fence = fence_match.group(1)
            continue
        heading = _ATX_HEADING_RE.match(line)
        if heading:
            return 2 - len(heading.group(1))
        setext = SETEXT_UNDERLINE_RE.match(line)
        if setext and previous.strip() and not LIST_ITEM_RE.match(previous):
            return 2 - (1 if setext.group(1)[0] == "=" else 2)
        previous = line
    return 0


def reference_definitions(body: str) -> dict[str, tuple[str, str | None]]:
    """The body's ``[id]: url "title"`` definitions, as Python-Markdown stores them."""
    references: dict[str, tuple[str, str | None]] = {}
    for match in ReferenceProcessor.RE.finditer(body):
        if match.group(1).startswith("^"):
            continue
        title = match.group(5) or match.group(6)
        references[match.group(1).strip().lower()] = (match.group(2).lstrip("<").rstrip(">"),
                                                      title)
    return references


class _HeadingShift(Treeprocessor):
    def __init__(self, md: markdown.Markdown, offset: int) -> None:
        super().__init__(md)
        self.offset = offset

    def run(self, root):  # type: ignore[no-untyped-def]
        if self.offset == 0:
            return
        for element in root.iter():
            if len(element.tag) == 2 and element.tag[0] == "h" and element.tag[1] in "123456":
                level = min(6, max(2, int(element.tag[1]) + self.offset))
                element.tag = f"h{level}"


# Elements HTML5 calls obsolete: their content stays, the element goes.
_OBSOLETE_TAGS = frozenset({"acronym", "basefont", "big", "blink", "center", "dir", "font",
                            "marquee", "strike", "tt"})
_SAFE_TAGS = (nh3.ALLOWED_TAGS - _OBSOLETE_TAGS) | {
    "span", "div", "pre", "code", "sup", "sub", "figure", "figcaption", "hr", "table",
    "thead", "tbody", "tfoot", "tr", "th", "td", "img", "abbr", "dl", "dt", "dd", "details",
    "summary", "mark", "time", "kbd", "del", "ins", "s", "small", "cite", "q", "blockquote",
    "caption", "col", "colgroup", "section", "br", "picture", "source", "video", "audio",
}
_SAFE_ATTRIBUTES: dict[str, set[str]] = {
    tag: set(attributes) for tag, attributes in nh3.ALLOWED_ATTRIBUTES.items()
}
_SAFE_ATTRIBUTES.setdefault("*", set()).update({"class", "id", "title", "lang", "dir"})
for _tag, _attributes in {
    "a": {"href", "title", "hreflang", "name"},
    "img": {"src", "alt", "title", "width", "height", "loading", "srcset", "sizes"},
    "source": {"src", "srcset", "type", "media", "sizes"},
    "video": {"src", "poster", "controls", "width", "height"},
    "audio": {"src", "controls"},
    "th": {"style", "colspan", "rowspan", "scope"},
    "td": {"style", "colspan", "rowspan"},
    "time": {"datetime"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "abbr": {"title"},
    "del": {"datetime", "cite"},
    "ins": {"datetime", "cite"},
}.items():
    _SAFE_ATTRIBUTES.setdefault(_tag, set()).update(_attributes)
_SAFE_ATTRIBUTES.get("a", set()).discard("rel")
_URL_ATTRIBUTES = frozenset({"href", "src", "cite", "poster"})
_URL_SAFE_CHARS = "/:?#[]@!$&'()*+,;=%~-._"
_STRAY_PERCENT_RE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_IMG_WITHOUT_ALT_RE = re.compile(r"<img(?![^>]*\balt=)")


def encode_url(value: str) -> str:
    """Percent-encode what may not stand in a URL attribute (spaces, quotes, braces…).

    Template tags from other tools, such as ``{{ "/a/b/" | url }}``, survive as encoded text.
    """
    return quote(_STRAY_PERCENT_RE.sub("%25", value.strip()), safe=_URL_SAFE_CHARS)


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    if attribute in _URL_ATTRIBUTES:
        return encode_url(value)
    if attribute == "srcset":
        return ", ".join(
            " ".join([encode_url(part.split()[0]), *part.split()[1:]])
            for part in value.split(",") if part.strip()
        )
    return value


def clean_html(html: str, raw_html: RawHtml) -> str:
    """Re-serialise ``html`` as valid HTML; with SANITIZE drop what could run or track."""
    # Every image gets an alt attribute (empty when the writer gave none) so the page stays
    # valid; the checks flag the empty ones.
    return _IMG_WITHOUT_ALT_RE.sub('<img alt=""', _clean(html, raw_html))


def _clean(html: str, raw_html: RawHtml) -> str:
    if raw_html is RawHtml.SANITIZE:
        return nh3.clean(
            html,
            tags=_SAFE_TAGS,
            attributes=_SAFE_ATTRIBUTES,
            attribute_filter=_attribute_filter,
            link_rel=None,
            strip_comments=True,
        )
    return nh3.clean(
        html,
        tags=_SAFE_TAGS | {"script", "iframe", "style", "embed", "object", "form", "input",
                           "button", "noscript"},
        clean_content_tags=set(),
        attributes={"*": {"class", "id", "title", "lang", "dir", "style", "name", "type",
                          "value", "width", "height", "frameborder", "allowfullscreen",
                          "allow", "async", "charset", "action", "method", "data"},
                    **{tag: attrs - {"rel"} for tag, attrs in _SAFE_ATTRIBUTES.items()
                       if tag != "*"},
                    "iframe": {"src", "width", "height", "title", "loading"},
                    "script": {"src", "type", "async", "defer"}},
        attribute_filter=_attribute_filter,
        link_rel=None,
        url_schemes=nh3.ALLOWED_URL_SCHEMES | {"javascript"},
        strip_comments=False,
        generic_attribute_prefixes={"data-", "on", "aria-"},
    )


# A line that could underline a setext heading (a superset of what Python-Markdown reads),
# a quote's included ("> a" over "> -").
_UNDERLINE_LIKE_RE = re.compile(r"^[ \t>]*(?:=+|-+)[ \t]*$", re.MULTILINE)


# A paragraph of prose that no Markdown syntax, HTML or placeholder touches: each line starts
# with a letter or an opening quote and ends without a space (no list, quote, heading, code
# or line break), and no line holds a character Python-Markdown or the sanitiser would read
# or escape. Python-Markdown and nh3 turn it into exactly ``<p>text</p>``; most blocks of an
# article are such paragraphs, and skipping both for them halves a batch export.
_PLAIN_LINE = (
    r"(?:[^\W\d_]|[\"'(“‘])"
    r"[^\x00-\x1f\x7f-\xa0\\`*_\[\]<>&{}|~#^\u2028\u2029\ud800-\udfff\ufeff\ufff0-\uffff]*"
    r"(?<![ ])"
)
_PLAIN_PARAGRAPH_RE = re.compile(f"{_PLAIN_LINE}(?:\n{_PLAIN_LINE})*")
# An ATX heading of such prose: Python-Markdown gives it the ``toc`` extension's id for its text
# and our level shift, which :func:`_plain_heading` does without the parse (a third of a 1,000-word
# article's blocks that need more than the paragraph shortcut are headings).
_PLAIN_HEADING_RE = re.compile(f"(#{{1,6}})[ ]+({_PLAIN_LINE})")


def _may_hold_heading(text: str) -> bool:
    """Whether the ``toc`` extension could change how ``text`` renders.

    It only gives headings their ids and replaces a ``[TOC]`` paragraph; on any other block it
    still walks the tree and serialises an empty table of contents, a sixth of the render.
    """
    return "#" in text or TOC_MARKER in text or _UNDERLINE_LIKE_RE.search(text) is not None


def _new_markdown(offset: int, *, headings: bool = True) -> markdown.Markdown:
    """Python-Markdown as the body renders; without ``headings`` it leaves the ``toc`` out.

    Extensions are passed as objects: named by strings, Python-Markdown looks them up among the
    installed packages' entry points, a third of the first render at start-up.
    """
    md = markdown.Markdown(
        extensions=[
            TableExtension(),
            FootnoteReferenceExtension(),
            FencedCodeExtension(),
            CodeHiliteExtension(css_class=CODE_CSS_CLASS, guess_lang=False),
            *([TocExtension(permalink=False)] if headings else []),
            AttrListExtension(),
            SaneListExtension(),
            PlaceholderExtension(),
        ],
        output_format="html",
    )
    md.treeprocessors.register(_HeadingShift(md, offset), "heading_shift", 4)
    return md


@dataclass(frozen=True)
class _CachedBlock:
    html: str
    heading_ids: tuple[str, ...]  # the ids of the block's headings, for keeping them unique


@dataclass
class _StoppedRender:
    """A render that reached its deadline: everything it worked out, and the blocks it did."""

    body: str
    offset: int
    blocks: list[SourceBlock]
    references: dict[str, tuple[str, str | None]]
    references_key: int
    rendered: list[RenderedBlock]
    used_ids: set[str]
    ids_made_unique: bool
    notes: Footnotes | None
    reference_counts: dict[str, int]


@dataclass
class _LastRender:
    """The last complete render, as columns, and what it worked out from the whole body: the
    next keystroke re-renders only the blocks it changed and reuses the rest."""

    body: str
    offset: int
    references: dict[str, tuple[str, str | None]]
    references_key: int
    has_toc: bool
    offsets: list[int]  # of each source block (the footnotes list is not one)
    starts: list[int]
    texts: list[str]
    htmls: list[str]
    code_blocks: int  # how many of ``htmls`` hold highlighted code
    heading_ids: set[str] | None  # every heading id; None when some had to be made unique
    notes_html: str | None  # the footnotes listed after the last block
    shown: list[str]  # the ``htmls`` handed out (the footnotes list included)


# More changed blocks than this (a paste, a replace-all) render through the whole-body path,
# which spreads its work over turns of the event loop.
_LOCAL_EDIT_BLOCKS = 32


class BodyRenderer:
    """Renders bodies block by block, keeping the HTML of blocks it has seen before."""

    CACHE_SIZE = 20000

    def __init__(self, raw_html: RawHtml = RawHtml.SANITIZE) -> None:
        self.raw_html = raw_html
        self._markdown: dict[tuple[int, bool], markdown.Markdown] = {}
        self._cache: dict[tuple[str, int, int, int], _CachedBlock] = {}
        # The last body split (its text, and each block's offset, first line and text), so
        # the next split re-splits only around the edit.
        self._split: tuple[str, list[int], list[int], list[str]] = ("", [], [], [])
        # Where a render stopped at its deadline, so the next call resumes there.
        self._stopped: _StoppedRender | None = None
        self._last: _LastRender | None = None
        self._previous_body: str | None = None  # of the previous call

    def render(self, body: str) -> RenderedBody:
        """The body's blocks, rendered (or taken from the cache)."""
        rendered = self.render_until(body, None)
        assert rendered is not None
        return rendered

    def render_until(self, body: str, deadline: float | None,
                     unchanged: tuple[int, int] | None = None) -> RenderedBody | None:
        """Like :meth:`render`, but give up once ``time.perf_counter()`` passes ``deadline``.

        An edit that touches a few blocks and nothing the whole body shares (headings made
        unique, footnotes, reference definitions, a table of contents) re-renders those blocks
        only and takes the others from the last render, so a keystroke costs about the same in
        a short article and a 100,000-word report. Anything else walks every block (cached
        blocks are cheap); what was rendered stays cached, so calling again continues where
        this call stopped: a full re-render (a changed reference definition re-renders every
        block) can be spread over several turns of the event loop instead of freezing the
        window. Called again with the same body, it resumes at the block where it stopped
        instead of walking the blocks before it again (which made the first render of a
        100,000-word body quadratic).

        ``unchanged``, when the caller knows it (from the editor's change signals): at least how
        many characters at the start and at the end of ``body`` are as they were in the body
        of the previous call.
        """
        stopped, self._stopped = self._stopped, None
        previous, self._previous_body = self._previous_body, body
        if stopped is None and self._last is not None:
            if self._last.body == body:
                return self._body_of(self._last, BlockChange(self._last.shown, 0, 0, 0))
            if previous is not self._last.body:
                unchanged = None  # said of a body that was never rendered whole
            edited = self._render_edit(self._last, body, unchanged)
            if edited is not None:
                return edited
        if stopped is not None and stopped.body == body:
            offset, blocks = stopped.offset, stopped.blocks
            references, references_key = stopped.references, stopped.references_key
            rendered, used_ids = stopped.rendered, stopped.used_ids
            ids_made_unique = stopped.ids_made_unique
            notes, reference_counts = stopped.notes, stopped.reference_counts
        else:
            offset = heading_offset(body)
            blocks = self._split_blocks(body)
            references = reference_definitions(body) if "]:" in body else {}
            references_key = hash(tuple(sorted(references.items())))
            rendered = []
            used_ids = set()
            ids_made_unique = False
            notes = collect_footnotes(body) if "[^" in body else None
            reference_counts = {}
        cache = self._cache
        fresh = 0
        may_hold_toc = TOC_MARKER in body
        for index in range(len(rendered), len(blocks)):
            block = blocks[index]
            if (notes is not None and is_definition_block(block.text)) or (
                may_hold_toc and block.text.strip() == TOC_MARKER
            ):
                # A note shows in the list after the last block; the table of contents is
                # filled in once every heading is known.
                rendered.append(RenderedBlock(block.start, block.end, block.text, ""))
                continue
            key = (block.text, offset, references_key,
                   notes.key if notes is not None and "[^" in block.text else 0)
            cached = cache.get(key)
            if cached is None:
                # At least one block per call, so that repeated calls always finish.
                if fresh and deadline is not None and time.perf_counter() > deadline:
                    self._stopped = _StoppedRender(body, offset, blocks, references,
                                                   references_key, rendered, used_ids,
                                                   ids_made_unique, notes, reference_counts)
                    return None
                cached = self._render_block(key, references, notes)
                fresh += 1
            html = cached.html
            if cached.heading_ids:
                if used_ids.isdisjoint(cached.heading_ids):
                    used_ids.update(cached.heading_ids)
                else:
                    html = _unique_heading_ids(html, used_ids)
                    ids_made_unique = True
            if notes is not None and "fnref:" in html:
                html = unique_reference_ids(html, reference_counts)
            rendered.append(RenderedBlock(block.start, block.end, block.text, html))
        if may_hold_toc:
            _fill_tables_of_contents(rendered, self.raw_html)
        notes_html = None
        if notes is not None:
            contents = {}
            for name, text in notes.definitions:
                key = (text, offset, references_key, 0)
                note = cache.get(key) or self._render_block(key, references, None)
                contents[name] = note.html
            # Through the sanitiser like every block, so it is serialised the same way.
            notes_html = clean_html(footnote_list(notes, contents), self.raw_html)
        htmls = [block.html for block in rendered]
        offsets, starts, texts = self._split[1:]
        last = self._last = _LastRender(
            body, offset, references, references_key, may_hold_toc, offsets, starts, texts,
            htmls, sum(_CODE_CLASS in html for html in htmls),
            None if ids_made_unique else used_ids, notes_html, [])
        return self._body_of(last, None)

    def _split_blocks(self, body: str) -> list[SourceBlock]:
        """``split_blocks(body)``, re-splitting only around the edit since the last split."""
        blocks = resplit_blocks(*self._split, body)
        self._split = (body, [block.offset for block in blocks],
                       [block.start for block in blocks], [block.text for block in blocks])
        return blocks

    def _render_edit(self, last: _LastRender, body: str,
                     unchanged: tuple[int, int] | None) -> RenderedBody | None:
        """``body`` rendered from ``last`` by re-rendering only the blocks the edit changed;
        None when the edit reaches what the whole body shares."""
        if unchanged is not None:
            prefix = max(0, min(unchanged[0], len(last.body), len(body)))
            suffix = max(0, min(unchanged[1], len(last.body) - prefix, len(body) - prefix))
            unchanged = (prefix, suffix)
        region = _edit_region(last.body, last.offsets, last.starts, last.texts, body, unchanged)
        if region is None:
            return None
        first, after, middle = region.first, region.after, region.middle
        # Narrow the region to the blocks whose text changed.
        same_before = 0
        limit = min(after - first, len(middle))
        while same_before < limit and last.texts[first + same_before] == middle[same_before].text:
            same_before += 1
        same_after = 0
        while (same_after < limit - same_before
               and last.texts[after - 1 - same_after] == middle[-1 - same_after].text):
            same_after += 1
        start, end = first + same_before, after - same_after
        changed = middle[same_before:len(middle) - same_after]
        if len(changed) > _LOCAL_EDIT_BLOCKS:
            return None
        old_texts = last.texts[start:end]
        texts = [*old_texts, *(block.text for block in changed)]
        if any("[^" in text or "]:" in text or TOC_MARKER in text for text in texts):
            return None  # footnotes, reference definitions, a table of contents
        if heading_offset(body) != last.offset:  # (it may read the line before a heading)
            return None  # every heading moves to another level
        old_htmls = last.htmls[start:end]
        htmls = []
        ids: list[str] = []
        for block in changed:
            key = (block.text, last.offset, last.references_key, 0)
            cached = self._cache.get(key) or self._render_block(key, last.references, None)
            htmls.append(cached.html)
            ids.extend(cached.heading_ids)
        if any("fnref:" in html for html in (*old_htmls, *htmls)):
            return None
        old_ids = [match.group(2) for html in old_htmls if "<h" in html
                   for match in _HEADING_ID_RE.finditer(html)]
        heading_ids = last.heading_ids
        if old_ids or ids:
            if heading_ids is None or last.has_toc:
                return None  # other headings' ids, or the table of contents, may change
            others = heading_ids.difference(old_ids)
            if len(set(ids)) != len(ids) or not others.isdisjoint(ids):
                return None  # a new id that must be made unique
            heading_ids = others.union(ids)
        offsets, starts = last.offsets[after:], last.starts[after:]
        if region.shift:
            offsets = list(map(region.shift.__add__, offsets))
        if region.line_shift:
            starts = list(map(region.line_shift.__add__, starts))
        code = last.code_blocks + sum(_CODE_CLASS in html for html in htmls) - sum(
            _CODE_CLASS in html for html in old_htmls)
        edited = self._last = _LastRender(
            body, last.offset, last.references, last.references_key, last.has_toc,
            [*last.offsets[:first], *(block.offset for block in middle), *offsets],
            [*last.starts[:first], *(block.start for block in middle), *starts],
            last.texts[:start] + [block.text for block in changed] + last.texts[end:],
            last.htmls[:start] + htmls + last.htmls[end:],
            code, heading_ids, last.notes_html, [])
        self._split = (body, edited.offsets, edited.starts, edited.texts)
        return self._body_of(edited, BlockChange(last.shown, start, end - start, len(htmls)))

    @staticmethod
    def _body_of(last: _LastRender, change: BlockChange | None) -> RenderedBody:
        starts, texts, htmls = last.starts, last.texts, last.htmls
        if last.notes_html is not None:
            end = _end_line(starts[-1], texts[-1]) if starts else 0
            starts, texts, htmls = [*starts, end], [*texts, ""], [*htmls, last.notes_html]
        last.shown = htmls
        return RenderedBody._of_columns(starts, texts, htmls, last.code_blocks > 0, change)

    def rendered_so_far(self) -> tuple[RenderedBlock, ...]:
        """The first blocks of a :meth:`render_until` that ran out of time, in final form but
        for a ``[TOC]`` and the footnotes (filled in at the end): enough for a first screen."""
        return tuple(self._stopped.rendered) if self._stopped is not None else ()

    def _render_block(
        self, key: tuple[str, int, int, int], references: dict[str, tuple[str, str | None]],
        notes: Footnotes | None,
    ) -> _CachedBlock:
        text, offset = key[0], key[1]
        ids: tuple[str, ...] = ()
        plain = "TK" not in text  # else it may hold a placeholder
        heading = _PLAIN_HEADING_RE.fullmatch(text) if plain else None
        if heading is not None:
            html, anchor = _plain_heading(len(heading.group(1)), heading.group(2), offset)
            ids = (anchor,)
        elif plain and _PLAIN_PARAGRAPH_RE.fullmatch(text):
            html = f"<p>{text}</p>"
        else:
            html = clean_html(self._markdown_for(text, offset, references, notes).convert(text),
                              self.raw_html)
            if "<h" in html:
                ids = tuple(match.group(2) for match in _HEADING_ID_RE.finditer(html))
        if len(self._cache) >= self.CACHE_SIZE:
            self._cache.clear()  # rare: re-rendering what is on screen refills it
        cached = self._cache[key] = _CachedBlock(html, ids)
        return cached

    def _markdown_for(
        self, text: str, offset: int, references: dict[str, tuple[str, str | None]],
        notes: Footnotes | None,
    ) -> markdown.Markdown:
        """A Python-Markdown ready to convert ``text``: reset, with the body's shared state."""
        headings = _may_hold_heading(text)
        md = self._markdown.get((offset, headings))
        if md is None:
            md = self._markdown[offset, headings] = _new_markdown(offset, headings=headings)
        md.reset()
        md.references.update(references)
        md.footnote_numbers = notes.numbers if notes is not None else {}  # type: ignore[attr-defined]
        return md


def _plain_heading(level: int, title: str, offset: int) -> tuple[str, str]:
    """A plain-prose heading's HTML and id, as Python-Markdown, ``toc``, the shift and nh3 give."""
    if offset:
        level = min(6, max(2, level + offset))
    anchor = unique(slugify(title, "-"), set())
    return f'<h{level} id="{anchor}">{title}</h{level}>', anchor


def _fill_tables_of_contents(rendered: list[RenderedBlock], raw_html: RawHtml) -> None:
    """Give each ``[TOC]`` block the nested list of the body's headings, as the toc extension."""
    headings = [
        (int(match.group(1)), match.group(2), TAG_RE.sub("", match.group(3)).strip())
        for block in rendered if "<h" in block.html
        for match in _HEADING_RE.finditer(block.html)
    ]
    parts = ['<div class="toc">']
    depth: list[int] = []
    for level, anchor, title in headings:
        while depth and depth[-1] > level:
            parts.append("</li>\n</ul>")
            depth.pop()
        if depth and depth[-1] == level:
            parts.append("</li>")
        else:
            parts.append("<ul>")
            depth.append(level)
        parts.append(f'<li><a href="#{anchor}">{title}</a>')
    parts.extend("</li>\n</ul>" for _ in depth)
    parts.append("</div>")
    toc = clean_html("\n".join(parts), raw_html)
    for index, block in enumerate(rendered):
        if block.text.strip() == TOC_MARKER:
            rendered[index] = RenderedBlock(block.start, block.end, block.text, toc)


def _unique_heading_ids(html: str, used: set[str]) -> str:
    def replace(match: re.Match[str]) -> str:
        base = candidate = match.group(2)
        suffix = 1
        while candidate in used:
            candidate = f"{base}_{suffix}"
            suffix += 1
        used.add(candidate)
        return f"{match.group(1)}{candidate}{match.group(3)}"

    return _HEADING_ID_RE.sub(replace, html)


def rewrite_image_sources(html: str, rewrite) -> str:  # type: ignore[no-untyped-def]
    """Apply ``rewrite(src) -> src`` to every ``<img src>`` of HTML this module produced."""
    return _IMG_SRC_RE.sub(lambda m: f"{m.group(1)}{rewrite(m.group(2))}{m.group(3)}", html)


def render_markdown(body: str, raw_html: RawHtml = RawHtml.SANITIZE) -> str:
    """The body's HTML in one call, for callers that render once."""
    return BodyRenderer(raw_html).render(body).html
