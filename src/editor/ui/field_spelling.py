"""Spell check in the metadata form's text fields: underlines and right-click suggestions.

A QLineEdit has no character formats of its own; an input-method event carrying only
text-format attributes is the way Qt lets a program draw them (the same path an input method
uses for its pre-edit underline), and it leaves the text and its undo history alone. The
headline wraps over lines (a QPlainTextEdit): there the underlines are extra selections.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QInputMethodEvent,
    QTextCharFormat,
    QTextCursor,
    QUndoStack,
)
from PySide6.QtWidgets import QLineEdit, QMenu, QPlainTextEdit, QTextEdit

from editor.spelling import SpellChecker
from editor.ui.highlighter import LIGHT
from editor.ui.undo_routing import route_menu_undo

# The fields whose words readers see (card titles and teasers are checked in the Checks dock).
CHECKED_FIELDS = ("title", "dek", "description", "image_alt", "image_caption")


TextField = QLineEdit | QPlainTextEdit


def show_underlines(field: TextField, spans: list[tuple[int, int]]) -> None:
    """Draw the spell-check underline under ``spans`` of ``field`` (none: clear them)."""
    char_format = QTextCharFormat()
    char_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
    char_format.setUnderlineColor(QColor(LIGHT.misspelling))
    if isinstance(field, QPlainTextEdit):
        selections = []
        for start, end in spans:
            selection = QTextEdit.ExtraSelection()
            selection.cursor = QTextCursor(field.document())  # type: ignore[misc]  # a plain field
            selection.cursor.setPosition(start)
            selection.cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            selection.format = char_format  # type: ignore[misc]  # PySide6's stub: read-only
            selections.append(selection)
        field.setExtraSelections(selections)
        return
    cursor = field.cursorPosition()
    attributes = [QInputMethodEvent.Attribute(QInputMethodEvent.AttributeType.TextFormat,
                                              start - cursor, end - start, char_format)
                  for start, end in spans]
    QCoreApplication.sendEvent(field, QInputMethodEvent("", attributes))


class FieldSpelling(QObject):
    """Keeps the form's text fields underlined and offers suggestions on a right click."""

    add_to_dictionary = Signal(str)
    ignore_in_article = Signal(str)

    def __init__(self, fields: Mapping[str, TextField], replace: Callable[[str, str], None],
                 stack_provider: Callable[[], QUndoStack | None],
                 parent: QObject | None = None, names: Sequence[str] = CHECKED_FIELDS) -> None:
        """``names``: which of ``fields`` to check. ``stack_provider``: the article's undo
        history for the menu's Undo/Redo, or None where the fields keep their own (a dialog)."""
        super().__init__(parent)
        self._fields = {name: fields[name] for name in names if name in fields}
        self._replace = replace
        self._stack_provider = stack_provider
        self.checker: SpellChecker | None = None
        self._viewports: dict[QObject, QPlainTextEdit] = {}
        for field in self._fields.values():
            field.textChanged.connect(lambda *_text, f=field: self._underline(f))
            field.installEventFilter(self)  # after the undo router: this filter runs first
            if isinstance(field, QPlainTextEdit):  # its right clicks arrive at its viewport
                self._viewports[field.viewport()] = field
                field.viewport().installEventFilter(self)

    def set_checker(self, checker: SpellChecker | None) -> None:
        self.checker = checker
        for field in self._fields.values():
            self._underline(field)

    def misspelt_spans(self, field: TextField) -> list[tuple[int, int]]:
        text = field.text() if isinstance(field, QLineEdit) else field.toPlainText()
        return self.checker.check_text(text) if self.checker is not None else []

    def _underline(self, field: TextField) -> None:
        show_underlines(field, self.misspelt_spans(field))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        field: QObject = self._viewports.get(watched, watched)
        if (event.type() == QEvent.Type.ContextMenu and isinstance(event, QContextMenuEvent)
                and isinstance(field, (QLineEdit, QPlainTextEdit))):
            position = (field.cursorPositionAt(event.pos()) if isinstance(field, QLineEdit)
                        else field.cursorForPosition(event.pos()).position())
            menu = self.context_menu(field, position)
            if menu is not None:
                menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                menu.popup(event.globalPos())
                return True
        return super().eventFilter(watched, event)

    def context_menu(self, field: TextField, position: int) -> QMenu | None:
        """Suggestions and the dictionary entries for the word at ``position``, if misspelt."""
        span = next(((start, end) for start, end in self.misspelt_spans(field)
                     if start <= position <= end), None)
        if span is None or self.checker is None:
            return None
        name = next(key for key, value in self._fields.items() if value is field)
        text = field.text() if isinstance(field, QLineEdit) else field.toPlainText()
        word = text[span[0]:span[1]]
        menu = field.createStandardContextMenu()
        stack = self._stack_provider()
        if stack is not None:
            route_menu_undo(menu, stack)
        first = menu.actions()[0]  # a standard context menu is never empty
        entries: list[QAction] = []
        for suggestion in self.checker.suggest(word):
            action = QAction(suggestion, menu)
            fixed = text[:span[0]] + suggestion + text[span[1]:]
            action.triggered.connect(lambda _=False, value=fixed: self._replace(name, value))
            entries.append(action)
        add = QAction(f"Add “{word}” to Dictionary", menu)
        add.triggered.connect(lambda: self.add_to_dictionary.emit(word))
        ignore = QAction("Ignore in This Article", menu)
        ignore.triggered.connect(lambda: self.ignore_in_article.emit(word))
        menu.insertActions(first, [*entries, add, ignore])
        menu.insertSeparator(first)
        return menu
