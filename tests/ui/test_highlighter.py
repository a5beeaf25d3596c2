"""Markdown colouring of the body."""

from __future__ import annotations

from PySide6.QtGui import QFont, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QPlainTextDocumentLayout

from editor.ui.highlighter import LIGHT, BlockState, MarkdownHighlighter


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
