"""Markdown colouring of the body."""

from __future__ import annotations

from PySide6.QtGui import QFont, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QPlainTextDocumentLayout, QPlainTextEdit

from editor.spelling import SpellChecker, word_list_for
from editor.ui.highlighter import LIGHT, BlockState, MarkdownHighlighter

from .conftest import spell_underlined


def highlighted(text: str) -> tuple[QTextDocument, MarkdownHighlighter]:
    document = QTextDocument()
    document.setDocumentLayout(QPlainTextDocumentLayout(document))
    highlighter = MarkdownHighlighter(document)
    document.setPlainText(text)
    highlighter.rehighlight()
    return document, highlighter


def format_at(document: QTextDocument, line: int, column: int):  # type: ignore[no-untyped-def]
    block = document.findBlockByNumber(line)
    for fmt in block.layout().formats():
        if fmt.start <= column < fmt.start + fmt.length:
            return QTextCharFormat(fmt.format)  # a copy: the range is a temporary
    return None


def test_headings_emphasis_links_code_quotes_lists(qapp):
    document, _ = highlighted(
        "## Heading\n**bold** and *it*\n[text](https://x.y)\n`code`\n> quote\n- item\n")
    assert format_at(document, 0, 4).fontWeight() == QFont.Weight.Bold
    assert format_at(document, 0, 0).foreground().color().name() == LIGHT.marker
    assert format_at(document, 1, 3).fontWeight() == QFont.Weight.Bold
    assert format_at(document, 1, 14).fontItalic()
    assert format_at(document, 2, 2).fontUnderline()
    assert format_at(document, 2, 10).foreground().color().name() == LIGHT.url
    assert format_at(document, 3, 2).foreground().color().name() == LIGHT.code
    assert format_at(document, 4, 3).fontItalic()
    assert format_at(document, 5, 0).foreground().color().name() == LIGHT.list_marker


def test_placeholders_fenced_code_and_front_matter(qapp):
    document, _ = highlighted(
        "---\ntitle: x\n---\nSee [INTERNAL_LINK] and TK.\n```\n[NOT_ONE]\n```\nafter\n")
    assert document.findBlockByNumber(0).userState() == BlockState.FRONT_MATTER
    assert document.findBlockByNumber(2).userState() == BlockState.NORMAL
    assert format_at(document, 1, 0).foreground().color().name() == LIGHT.front_matter
    assert format_at(document, 3, 6).foreground().color().name() == LIGHT.placeholder
    assert format_at(document, 3, 24).foreground().color().name() == LIGHT.placeholder
    assert document.findBlockByNumber(5).userState() == BlockState.FENCED_CODE
    assert format_at(document, 5, 2).foreground().color().name() == LIGHT.code
    assert format_at(document, 7, 1) is None


def _laid_out_lines(document: QTextDocument) -> int:
    block, count = document.firstBlock(), 0
    while block.isValid():
        count += block.layout().lineCount() > 0
        block = block.next()
    return count


def test_a_new_spell_checker_underlines_every_line_but_lays_out_only_those_shown(qtbot):
    """Lines off screen are never laid out by the sweep (7 MB kept for 20,000 words)."""
    document = QTextDocument()
    document.setDocumentLayout(QPlainTextDocumentLayout(document))
    document.setPlainText("\n\n".join(f"Paragraph {n} tells of the port and a misspeled word."
                                      for n in range(600)))
    highlighter = MarkdownHighlighter(document)
    view = QPlainTextEdit()
    view.setDocument(document)
    view.resize(600, 300)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    words = word_list_for("en")

    highlighter.set_spell_checker(SpellChecker(words))
    qtbot.waitUntil(lambda: not highlighter.is_sweeping(), timeout=20000)
    assert spell_underlined(document) == ["misspeled"] * 600
    qtbot.wait(50)  # painted
    assert 0 < _laid_out_lines(document) < 60  # those on screen, not all 1,199

    highlighter.set_spell_checker(SpellChecker(words, ["misspeled"]))
    qtbot.waitUntil(lambda: not highlighter.is_sweeping(), timeout=20000)
    assert spell_underlined(document) == []
    assert _laid_out_lines(document) < 60
