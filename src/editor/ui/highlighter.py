"""Markdown colouring for the body editor: headings, emphasis, links, code, quotes, lists,
front matter and placeholders (which the editor also draws as chips behind the text)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from enum import IntEnum

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from editor.placeholders import PLACEHOLDER_RE
from editor.spelling import SpellChecker
from editor.syntax import CODE_SPAN_RE, FENCE_RE, SETEXT_UNDERLINE_RE


class BlockState(IntEnum):
    """What a line sits inside of, carried from line to line by the highlighter."""

    NORMAL = 0
    FENCED_CODE = 1
    FRONT_MATTER = 2


@dataclass(frozen=True)
class Palette:
    heading: str = "#1b3a6b"
    marker: str = "#9a9aa2"
    emphasis: str = "#1d1d1f"
    link: str = "#0b57a4"
    url: str = "#7a8594"
    code: str = "#8a3b12"
    code_background: str = "#f3f1ec"
    quote: str = "#4f6b4a"
    list_marker: str = "#b3261e"
    front_matter: str = "#6a5d8c"
    placeholder: str = "#6b4700"
    chip_fill: str = "#fff1c2"
    chip_border: str = "#e0b43a"
    misspelling: str = "#d0312d"


LIGHT = Palette()
# Redrawing every line for a new spell checker goes this long per turn of the event loop.
SWEEP_SLICE_SECONDS = 0.006

_HEADING_RE = re.compile(r"^(#{1,6})([ \t]+.*|$)")
_QUOTE_RE = re.compile(r"^[ ]{0,3}>.*")
_LIST_RE = re.compile(r"^[ \t]*([*+-]|\d+[.)])[ \t]+(\[[ xX]\][ \t]+)?")
_HR_RE = re.compile(r"^[ ]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_STRONG_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS_RE = re.compile(r"(?<![*_\w])([*_])(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![*_\w])")
_LINK_RE = re.compile(r"(!?\[)([^\]\n]*)(\]\()([^)\s]*(?:\s+\"[^\"]*\")?)(\))")
_REFERENCE_DEF_RE = re.compile(r"^[ ]{0,3}\[[^\]]+\]:[ \t]+\S+")
_AUTOLINK_RE = re.compile(r"<https?://[^>\s]+>|(?<![(<\w])https?://[^\s)>\]]+")


def _format(color: str, *, bold: bool = False, italic: bool = False,
            background: str | None = None, underline: bool = False,
            monospace: bool = False) -> QTextCharFormat:
    char_format = QTextCharFormat()
    char_format.setForeground(QColor(color))
    if bold:
        char_format.setFontWeight(QFont.Weight.Bold)
    if italic:
        char_format.setFontItalic(True)
    if background:
        char_format.setBackground(QColor(background))
    if underline:
        char_format.setFontUnderline(True)
    if monospace:
        char_format.setFontFixedPitch(True)
    return char_format


class MarkdownHighlighter(QSyntaxHighlighter):
    """Colours one line at a time; fenced code and front matter carry over as block state."""

    def __init__(self, document: QTextDocument, palette: Palette = LIGHT) -> None:
        super().__init__(document)
        self.palette = palette
        self.spell_checker: SpellChecker | None = None
        self._swept_checker: SpellChecker | None = None  # whose underlines the sweep replaces
        self._sweep_from = 0
        self._redraw_all = False  # lines off screen whose underlines change
        self._sweep_timer = QTimer(self, singleShot=True, interval=0)
        self._sweep_timer.timeout.connect(self._sweep)
        p = palette
        self.formats = {
            "heading": _format(p.heading, bold=True),
            "marker": _format(p.marker),
            "strong": _format(p.emphasis, bold=True),
            "emphasis": _format(p.emphasis, italic=True),
            "code": _format(p.code, background=p.code_background, monospace=True),
            "fence": _format(p.code, background=p.code_background),
            "link_text": _format(p.link, underline=True),
            "url": _format(p.url),
            "quote": _format(p.quote, italic=True),
            "list": _format(p.list_marker, bold=True),
            "front_matter": _format(p.front_matter),
            "front_key": _format(p.front_matter, bold=True),
            "placeholder": _format(p.placeholder, bold=True),
        }
        self._misspelling_format = QTextCharFormat()
        self._misspelling_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        self._misspelling_format.setUnderlineColor(QColor(p.misspelling))

    def highlightBlock(self, text: str) -> None:
        previous = self.previousBlockState()
        block_number = self.currentBlock().blockNumber()
        if previous == BlockState.FRONT_MATTER or (block_number == 0 and text.rstrip() == "---"):
            self._front_matter_line(text, opening=block_number == 0 and previous != 2)
            return
        if previous == BlockState.FENCED_CODE:
            self.setFormat(0, len(text), self.formats["fence"])
            self.setCurrentBlockState(
                BlockState.NORMAL if FENCE_RE.match(text) else BlockState.FENCED_CODE)
            return
        self.setCurrentBlockState(BlockState.NORMAL)
        if FENCE_RE.match(text):
            self.setFormat(0, len(text), self.formats["fence"])
            self.setCurrentBlockState(BlockState.FENCED_CODE)
            return
        self._line(text)
        if self.spell_checker is not None:
            for start, end in self.spell_checker.line_spans(text):
                self._merge(start, end - start, self._misspelling_format)

    def set_spell_checker(self, checker: SpellChecker | None) -> None:
        """Underline what ``checker`` flags (None: no spell check).

        Every line is checked a slice at a time, so that a long article never stalls the
        window. Lines already laid out (on screen, or shown before) are redrawn as they are
        checked; the others whose underlines change are redrawn together at the end, by one
        pass over the whole document. Redrawn one by one, each line would be laid out, which
        a line off screen never is otherwise: 7 MB for 20,000 words, kept for good, and most
        of the sweep's time.
        """
        if self._sweep_timer.isActive():  # an unfinished sweep: its old underlines remain
            self._redraw_all = True
        else:
            self._swept_checker = self.spell_checker
            self._redraw_all = False
        self.spell_checker = checker
        self._sweep_from = 0
        self._sweep_timer.start()

    def is_sweeping(self) -> bool:
        return self._sweep_timer.isActive()

    def _sweep(self) -> None:
        deadline = time.perf_counter() + SWEEP_SLICE_SECONDS
        block = self.document().findBlockByNumber(self._sweep_from)
        old, new = self._swept_checker, self.spell_checker
        while block.isValid() and time.perf_counter() < deadline:
            text = block.text()
            if (old.line_spans(text) if old else ()) != (new.line_spans(text) if new else ()):
                if block.layout().lineCount() > 0:
                    self.rehighlightBlock(block)
                else:
                    self._redraw_all = True
            block = block.next()
        if block.isValid():
            self._sweep_from = block.blockNumber()
            self._sweep_timer.start()
            return
        if self._redraw_all:
            self.rehighlight()  # 9 ms for 20,000 words, 41 for 100,000 (its lines checked)
        self._swept_checker = None

    def refresh_word(self, checker: SpellChecker, word: str) -> None:
        """A new checker that differs only by allowing ``word``: redraw only lines holding it."""
        self.spell_checker = checker
        block = self.document().firstBlock()
        while block.isValid():
            if word in block.text():
                self.rehighlightBlock(block)
            block = block.next()

    def is_misspelt(self, block_text: str, column: int) -> tuple[int, int] | None:
        """The span of the misspelt word at ``column`` of a line, if there is one there."""
        if self.spell_checker is None:
            return None
        return next(((start, end) for start, end in self.spell_checker.line_spans(block_text)
                     if start <= column <= end), None)

    def _front_matter_line(self, text: str, opening: bool) -> None:
        self.setFormat(0, len(text), self.formats["front_matter"])
        closing = not opening and text.rstrip() in ("---", "...")
        if not closing and not opening:
            key = re.match(r"^([\w-]+):", text)
            if key:
                self.setFormat(0, key.end(), self.formats["front_key"])
        self.setCurrentBlockState(BlockState.NORMAL if closing else BlockState.FRONT_MATTER)

    def _line(self, text: str) -> None:
        heading = _HEADING_RE.match(text)
        if heading:
            self.setFormat(0, len(text), self.formats["heading"])
            self.setFormat(0, len(heading.group(1)), self.formats["marker"])
        elif _HR_RE.match(text) or SETEXT_UNDERLINE_RE.match(text):
            self.setFormat(0, len(text), self.formats["marker"])
        elif _QUOTE_RE.match(text):
            self.setFormat(0, len(text), self.formats["quote"])
        elif _REFERENCE_DEF_RE.match(text):
            self.setFormat(0, len(text), self.formats["url"])
            return
        else:
            item = _LIST_RE.match(text)
            if item:
                self.setFormat(item.start(1), item.end() - item.start(1), self.formats["list"])
        self._inline(text)

    def _inline(self, text: str) -> None:
        if "*" in text or "_" in text:
            for match in _STRONG_RE.finditer(text):
                self._merge(match.start(), match.end() - match.start(), self.formats["strong"])
                self._marker(match.start(), len(match.group(1)))
                self._marker(match.end() - len(match.group(1)), len(match.group(1)))
            for match in _EMPHASIS_RE.finditer(text):
                self._merge(match.start(), match.end() - match.start(), self.formats["emphasis"])
        if "[" in text:
            for match in _LINK_RE.finditer(text):
                self.setFormat(match.start(2), len(match.group(2)), self.formats["link_text"])
                self._marker(match.start(1), len(match.group(1)))
                self._marker(match.start(3), len(match.group(3)))
                self.setFormat(match.start(4), len(match.group(4)), self.formats["url"])
                self._marker(match.start(5), 1)
        if "http" in text:
            for match in _AUTOLINK_RE.finditer(text):
                self.setFormat(match.start(), match.end() - match.start(), self.formats["url"])
        code_spans: list[tuple[int, int]] = []
        if "`" in text:
            for match in CODE_SPAN_RE.finditer(text):
                self.setFormat(match.start(), match.end() - match.start(), self.formats["code"])
                code_spans.append((match.start(), match.end()))
        if "[" in text or "TK" in text:
            for start, end in placeholder_spans(text):
                if not any(a <= start < b for a, b in code_spans):
                    self.setFormat(start, end - start, self.formats["placeholder"])

    def _marker(self, start: int, length: int) -> None:
        self.setFormat(start, length, self.formats["marker"])

    def _merge(self, start: int, length: int, extra: QTextCharFormat) -> None:
        for position in range(start, start + length):
            current = self.format(position)
            current.merge(extra)
            self.setFormat(position, 1, current)


def placeholder_spans(text: str) -> list[tuple[int, int]]:
    """Where placeholders stand in one line of the body: ``(start, end)`` pairs."""
    return [(match.start(), match.end()) for match in PLACEHOLDER_RE.finditer(text)]
