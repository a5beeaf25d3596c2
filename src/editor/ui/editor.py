"""The Markdown body editor: smart lists and quotes, formatting commands, placeholder chips,
image drops, pasting rich text as Markdown, and Undo/Redo routed to the article's shared history."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QPoint, QRect, QRectF, QStandardPaths, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QImage,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
    QUndoStack,
)
from PySide6.QtWidgets import QApplication, QFrame, QInputDialog, QMenu, QPlainTextEdit, QWidget

from editor.importers.links import as_url
from editor.ui.drops import is_image, local_files
from editor.ui.highlighter import LIGHT, BlockState, MarkdownHighlighter, placeholder_spans
from editor.ui.spelling import LANGUAGES
from editor.ui.undo_routing import is_redo_key, is_undo_key, route_menu_undo

INDENT = "    "  # Python-Markdown nests lists by four spaces
_LIST_ITEM_RE = re.compile(r"^(\s*)([*+-]|(\d+)([.)]))(\s+)(\[[ xX]\]\s+)?")
_QUOTE_RE = re.compile(r"^(\s*(?:>[ \t]?)+)")
_HEADING_PREFIX_RE = re.compile(r"^\s{0,3}#{1,6}(?:[ \t]+|$)")


class BodyEditor(QPlainTextEdit):
    """Edits one article's body (its ArticleDocument's ``text_document``)."""

    files_dropped = Signal(list)  # article files dropped here: the window opens them
    add_to_dictionary = Signal(str)  # a word for the personal word list
    ignore_in_article = Signal(str)  # a word for the article's spelling_ignore list
    language_chosen = Signal(str)  # a language code for the article's ``lang``

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._undo_stack: QUndoStack | None = None
        self._highlighter: MarkdownHighlighter | None = None
        self._base_font_size = 11
        self._zoom = 0
        self.base_dir: Path | None = None  # the article's folder, for image references
        self.language = "en"  # the article's language, shown checked in the Language menu
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setTabChangesFocus(False)
        self.setCenterOnScroll(False)
        self.setCursorWidth(2)
        self.set_word_wrap(True)
        self.document().setDocumentMargin(16)

    # -- binding ---------------------------------------------------------------------------
    def bind(self, text_document: QTextDocument, undo_stack: QUndoStack) -> None:
        """Show ``text_document``; Undo and Redo go to ``undo_stack``."""
        self.setDocument(text_document)
        self._undo_stack = undo_stack
        self._highlighter = MarkdownHighlighter(text_document)

    @property
    def highlighter(self) -> MarkdownHighlighter | None:
        return self._highlighter

    @property
    def undo_stack(self) -> QUndoStack | None:
        return self._undo_stack

    def undo(self) -> None:  # QPlainTextEdit.undo would bypass the shared history
        if self._undo_stack is not None:
            self._undo_stack.undo()

    def redo(self) -> None:
        if self._undo_stack is not None:
            self._undo_stack.redo()

    # -- appearance ------------------------------------------------------------------------
    def set_editor_font(self, family: str, size: int, zoom: int = 0) -> None:
        self._base_font_size = size
        self._zoom = zoom
        font = QFont(family)
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(max(6, size + zoom))
        self.setFont(font)
        # An application style sheet would otherwise put its own font back on polish.
        self.setStyleSheet(f"QPlainTextEdit {{ font-family: '{family}'; "
                           f"font-size: {font.pointSize()}pt; }}")
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)

    def set_word_wrap(self, wrap: bool) -> None:
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth if wrap
                             else QPlainTextEdit.LineWrapMode.NoWrap)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)

    def word_wrap(self) -> bool:
        return self.lineWrapMode() != QPlainTextEdit.LineWrapMode.NoWrap

    # -- position --------------------------------------------------------------------------
    def line_and_column(self) -> tuple[int, int]:
        """The cursor's 1-based line and column, as the status bar shows them."""
        cursor = self.textCursor()
        return cursor.blockNumber() + 1, cursor.positionInBlock() + 1

    def go_to_position(self, position: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(max(0, min(position, self.document().characterCount() - 1)))
        self.setTextCursor(cursor)
        self.centerCursor()

    def go_to_line(self, line: int) -> None:
        """Put the cursor at the start of 0-based ``line`` and show it."""
        block = self.document().findBlockByNumber(max(0, line))
        if block.isValid():
            self.go_to_position(block.position())

    # -- keys ------------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and (is_undo_key(event) or is_redo_key(event))):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_undo_key(event):
            self.undo()
            return
        if is_redo_key(event):
            self.redo()
            return
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if modifiers == Qt.KeyboardModifier.NoModifier and self._continue_block():
                self.ensureCursorVisible()
                return
            if modifiers == Qt.KeyboardModifier.ShiftModifier:
                self.textCursor().insertText("\n")  # never a U+2028 line separator
                self.ensureCursorVisible()
                return
        if (key == Qt.Key.Key_Tab and modifiers == Qt.KeyboardModifier.NoModifier
                and self._indent_list(+1)):
            return
        if key == Qt.Key.Key_Backtab and self._indent_list(-1):
            return
        if key == Qt.Key.Key_V and modifiers == (Qt.KeyboardModifier.ControlModifier
                                                 | Qt.KeyboardModifier.ShiftModifier):
            self.paste_plain_text()
            return
        super().keyPressEvent(event)

    def _continue_block(self) -> bool:
        """Enter in a list item or quote starts the next one; in an empty one, ends the list."""
        cursor = self.textCursor()
        if cursor.hasSelection():
            return False
        line = cursor.block().text()
        column = cursor.positionInBlock()
        item = _LIST_ITEM_RE.match(line)
        quote = None if item else _QUOTE_RE.match(line)
        match = item or quote
        if match is None or column < match.end():
            return False
        cursor.beginEditBlock()
        if not line[match.end():].strip() and column == len(line):
            cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock,
                                QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
        else:
            if item:
                indent, marker, number, delimiter, space, task = item.groups()
                if number is not None:
                    marker = f"{int(number) + 1}{delimiter}"
                prefix = f"{indent}{marker}{space}{'[ ] ' if task else ''}"
            else:
                prefix = match.group(1)
            cursor.insertText("\n" + prefix)
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        return True

    def _indent_list(self, direction: int) -> bool:
        """Tab indents list items (all selected ones) by one level; Shift+Tab outdents."""
        cursor = self.textCursor()
        document = self.document()
        first = document.findBlock(cursor.selectionStart())
        last = document.findBlock(cursor.selectionEnd())
        blocks = []
        block = first
        while block.isValid():
            blocks.append(block)
            if block == last:
                break
            block = block.next()
        if not any(_LIST_ITEM_RE.match(b.text()) for b in blocks):
            return False
        edit = QTextCursor(document)
        edit.beginEditBlock()
        for block in blocks:
            text = block.text()
            if not _LIST_ITEM_RE.match(text):
                continue
            edit.setPosition(block.position())
            if direction > 0:
                edit.insertText(INDENT)
            else:
                remove = len(text) - len(text.lstrip(" "))
                remove = min(remove, len(INDENT))
                if text.startswith("\t"):
                    remove = 1
                edit.setPosition(block.position() + remove, QTextCursor.MoveMode.KeepAnchor)
                edit.removeSelectedText()
        edit.endEditBlock()
        return True

    # -- formatting commands ---------------------------------------------------------------
    def toggle_wrap(self, marker: str) -> None:
        """Bold (``**``) or italic (``*``): wrap the selection or word, or unwrap it."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            cursor.select(QTextCursor.SelectionType.WordUnderCursor)
            if not cursor.selectedText().strip() or not cursor.selectedText()[0].isalnum():
                cursor = self.textCursor()
        cursor.beginEditBlock()
        if cursor.hasSelection():
            start, end = cursor.selectionStart(), cursor.selectionEnd()
            text = cursor.selectedText()
            size = len(marker)
            full = self.toPlainText()
            if (text.startswith(marker) and text.endswith(marker) and len(text) >= 2 * size):
                cursor.insertText(text[size:-size])
                cursor.setPosition(start)
                cursor.setPosition(end - 2 * size, QTextCursor.MoveMode.KeepAnchor)
            elif full[max(0, start - size):start] == marker and full[end:end + size] == marker:
                cursor.setPosition(end)
                cursor.setPosition(end + size, QTextCursor.MoveMode.KeepAnchor)
                cursor.removeSelectedText()
                cursor.setPosition(start - size)
                cursor.setPosition(start, QTextCursor.MoveMode.KeepAnchor)
                cursor.removeSelectedText()
                cursor.setPosition(start - size)
                cursor.setPosition(end - size, QTextCursor.MoveMode.KeepAnchor)
            else:
                cursor.insertText(f"{marker}{text}{marker}")
                cursor.setPosition(start + size)
                cursor.setPosition(end + size, QTextCursor.MoveMode.KeepAnchor)
        else:
            cursor.insertText(marker * 2)
            cursor.setPosition(cursor.position() - len(marker))
        cursor.endEditBlock()
        self.setTextCursor(cursor)

    def insert_link(self, url: str = "https://") -> None:
        """``[selection](url)`` with the URL selected, ready to be typed over."""
        cursor = self.textCursor()
        text = cursor.selectedText() or "link text"
        had_selection = cursor.hasSelection()
        cursor.beginEditBlock()
        start = cursor.selectionStart()
        cursor.insertText(f"[{text}]({url})")
        cursor.endEditBlock()
        if had_selection:
            cursor.setPosition(start + len(text) + 3)
            cursor.setPosition(start + len(text) + 3 + len(url), QTextCursor.MoveMode.KeepAnchor)
        else:
            cursor.setPosition(start + 1)
            cursor.setPosition(start + 1 + len(text), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def set_heading(self, level: int) -> None:
        """Make the cursor's line a heading of ``level`` (0: plain text)."""
        cursor = self.textCursor()
        block = cursor.block()
        text = block.text()
        prefix = _HEADING_PREFIX_RE.match(text)
        old = prefix.end() if prefix else 0
        new = "#" * level + " " if level > 0 else ""
        column = cursor.positionInBlock()
        edit = QTextCursor(block)
        edit.beginEditBlock()
        edit.setPosition(block.position() + old, QTextCursor.MoveMode.KeepAnchor)
        edit.insertText(new)
        edit.endEditBlock()
        cursor.setPosition(block.position() + max(len(new), column - old + len(new)))
        self.setTextCursor(cursor)

    def insert_text(self, text: str) -> None:
        self.textCursor().insertText(text)

    # -- context menu ----------------------------------------------------------------------
    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.context_menu(event.pos())
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(event.globalPos())

    def context_menu(self, pos: QPoint) -> QMenu:
        """The standard menu, led by spelling suggestions when ``pos`` is on a misspelt word."""
        menu = route_menu_undo(self.createStandardContextMenu(pos), self._undo_stack)
        misspelt = self.misspelling_at(self.cursorForPosition(pos).position())
        if misspelt is not None and self._highlighter is not None:
            start, end, word = misspelt
            checker = self._highlighter.spell_checker
            first = menu.actions()[0]  # a standard context menu is never empty
            spelling: list[QAction] = []
            for suggestion in checker.suggest(word) if checker is not None else []:
                action = QAction(suggestion, menu)
                font = action.font()
                font.setBold(True)
                action.setFont(font)
                action.triggered.connect(
                    lambda _=False, s=start, e=end, text=suggestion: self._replace(s, e, text))
                spelling.append(action)
            if not spelling:
                none = QAction("(No suggestions)", menu)
                none.setEnabled(False)
                spelling.append(none)
            add = QAction(f"Add “{word}” to Dictionary", menu)
            add.triggered.connect(lambda: self.add_to_dictionary.emit(word))
            ignore = QAction("Ignore in This Article", menu)
            ignore.triggered.connect(lambda: self.ignore_in_article.emit(word))
            spelling += [add, ignore]
            menu.insertActions(first, spelling)
            menu.insertSeparator(first)
        menu.addSeparator()
        menu.addMenu(self.language_menu(menu))
        return menu

    def language_menu(self, parent: QWidget) -> QMenu:
        """Languages to check the article in; choosing one sets the article's ``lang``."""
        menu = QMenu("Language", parent)
        for code, name in LANGUAGES:
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(self.language.split("-")[0].lower() == code)
            action.triggered.connect(lambda _=False, c=code: self.language_chosen.emit(c))
        return menu

    def misspelling_at(self, position: int) -> tuple[int, int, str] | None:
        """``(start, end, word)`` of the underlined word at a document position, if any."""
        block = self.document().findBlock(position)
        column = position - block.position()
        for span in block.layout().formats():
            if (span.format.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline
                    and span.start <= column <= span.start + span.length):
                start = span.start
                end = span.start + span.length
                # Adjacent formats of one word may be split (bold inside a word): widen.
                text = block.text()
                while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "'’"):
                    start -= 1
                while end < len(text) and (text[end].isalnum() or text[end] in "'’"):
                    end += 1
                return block.position() + start, block.position() + end, text[start:end]
        return None

    def _replace(self, start: int, end: int, text: str) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(text)

    # -- drops -----------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_files(event.mimeData()):
            event.acceptProposedAction()
            return
        super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        files = local_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            if any(is_image(path) for path in files):
                self.setTextCursor(self.cursorForPosition(event.position().toPoint()))
            return
        super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        """Images become image references where they fall; other files open in tabs."""
        files = local_files(event.mimeData())
        if not files:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        images = [path for path in files if is_image(path)]
        others = [path for path in files if not is_image(path)]
        if images:
            cursor = self.cursorForPosition(event.position().toPoint())
            self.setTextCursor(cursor)
            self.insert_images(images)
        if others:
            self.files_dropped.emit(others)

    def insert_images(self, images: list[Path]) -> None:
        cursor = self.textCursor()
        references = [self.image_reference(path) for path in images]
        cursor.beginEditBlock()
        if cursor.positionInBlock() > 0:
            cursor.insertText("\n\n")
        cursor.insertText("\n\n".join(references))
        if not cursor.atBlockEnd() or cursor.block().next().isValid():
            cursor.insertText("\n\n")
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self.setFocus()

    # -- paste -----------------------------------------------------------------------------
    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasImage() or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        """Paste as Markdown: rich text by its structure, a web address over selected words as
        a link, an image as a file beside the article. Each paste is one undo step."""
        text = source.text() if source.hasText() else ""
        cursor = self.textCursor()
        url = as_url(text) if cursor.hasSelection() else None
        if url is not None and "\u2029" not in cursor.selectedText():
            self._insert_pasted(f"[{cursor.selectedText()}]({url})")
            return
        if source.hasImage() and not text.strip():
            image = source.imageData()
            if isinstance(image, QImage) and not image.isNull():
                self.paste_image(image)
            return
        # Text copied from this editor (or any Qt text field) is Markdown already; its HTML
        # flavour is Qt's rendering of the plain text, marked "qrichtext".
        html = source.html() if source.hasHtml() else ""
        if html and 'name="qrichtext"' not in html:
            # Imported here: BeautifulSoup and the HTML importer are a tenth of a second of
            # start-up that only a paste needs.
            from editor.importers.clipboard import html_to_markdown

            markdown = html_to_markdown(html)
            if markdown.strip():
                self._insert_pasted(markdown)
                return
        self._insert_pasted(text)

    def paste_plain_text(self) -> None:
        """Ctrl+Shift+V: the clipboard's plain text as it is, whatever else it carries."""
        text = QApplication.clipboard().text()
        if text:
            self._insert_pasted(text)

    def _insert_pasted(self, text: str) -> None:
        """Blocks pasted inside a line get blank lines around them; one undo step."""
        cursor = self.textCursor()
        cursor.beginEditBlock()
        cursor.removeSelectedText()
        if "\n\n" in text:
            if cursor.positionInBlock() > 0:
                text = "\n\n" + text
            if not cursor.atBlockEnd():
                text = text + "\n\n"
        cursor.insertText(text)
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def paste_image(self, image: QImage) -> Path | None:
        """Save a pasted image beside the article (``images/``) and insert a reference to it
        with the alt text the user gives; None if they cancel or it cannot be saved."""
        alt = self.ask_image_alt()
        if alt is None:
            return None
        folder = self.pasted_image_folder()
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = folder / f"pasted-{stamp}.png"
        number = 1
        while path.exists():
            number += 1
            path = folder / f"pasted-{stamp}-{number}.png"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        if not image.save(str(path)):  # PNG, by the name
            return None
        cursor = self.textCursor()
        cursor.beginEditBlock()
        if cursor.positionInBlock() > 0:
            cursor.insertText("\n\n")
        cursor.insertText(self.image_reference(path, alt))
        if not cursor.atBlockEnd():
            cursor.insertText("\n\n")
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        return path

    def pasted_image_folder(self) -> Path:
        """``images/`` beside the article; for an article never saved, the user's pictures."""
        if self.base_dir is not None:
            return self.base_dir / "images"
        pictures = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.PicturesLocation) or str(Path.home())
        return Path(pictures) / "Article Editor"

    def ask_image_alt(self) -> str | None:
        """The pasted image's alt text, asked of the user (tests replace this); None cancels."""
        text, accepted = QInputDialog.getText(
            self, "Pasted image", "Describe the image for readers who cannot see it (alt text):")
        return text.strip() if accepted else None

    def image_reference(self, path: Path, alt: str | None = None) -> str:
        """``![alt](src)``: the path relative to the article's folder when it lies below it."""
        source = path.as_posix()
        if self.base_dir is not None:
            try:
                relative = os.path.relpath(path, self.base_dir)
            except ValueError:
                relative = ""
            if relative and not relative.startswith(".."):
                source = Path(relative).as_posix()
        if alt is None:
            alt = re.sub(r"[-_]+", " ", path.stem).strip().capitalize()
        if " " in source or "(" in source or ")" in source:
            source = f"<{source}>"
        return f"![{alt}]({source})"

    # -- placeholder chips -----------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        self._paint_chips(event.rect())
        super().paintEvent(event)

    def _paint_chips(self, area: QRect) -> None:
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(LIGHT.chip_border), 1))
        painter.setBrush(QColor(LIGHT.chip_fill))
        offset = self.contentOffset()
        block = self.firstVisibleBlock()
        bottom = area.bottom()
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > bottom:
                break
            text = block.text()
            if block.isVisible() and ("[" in text or "TK" in text) and (
                block.previous().userState() not in (BlockState.FENCED_CODE,
                                                     BlockState.FRONT_MATTER)
                or not block.previous().isValid()
            ):
                layout = block.layout()
                for start, end in placeholder_spans(text):
                    first = layout.lineForTextPosition(start)
                    last = layout.lineForTextPosition(max(start, end - 1))
                    if not first.isValid() or not last.isValid():
                        continue
                    for number in range(first.lineNumber(), last.lineNumber() + 1):
                        line = layout.lineAt(number)
                        # cursorToX gives (x, position); PySide6's stub says only ``object``.
                        left = line.cursorToX(max(start, line.textStart()))[0]  # type: ignore[index]
                        right = line.cursorToX(  # type: ignore[index]
                            min(end, line.textStart() + line.textLength()))[0]
                        rect = QRectF(geometry.left() + left - 3, geometry.top() + line.y() + 1,
                                      right - left + 6, line.height() - 2)
                        painter.drawRoundedRect(rect, 4, 4)
            block = block.next()
        painter.end()
