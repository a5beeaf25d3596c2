"""Undo and Redo from any text field go to the article's one history, never the field's own.

Text widgets (QLineEdit, QPlainTextEdit) carry their own undo: their shortcuts and context
menus would undo inside the widget and leave the article's ``undo_stack`` behind. An
:class:`UndoRouter` installed on them takes those keys and menu entries over.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt
from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import QLineEdit, QMenu, QWidget

_CTRL_Y = QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_Y)


def is_undo_key(event: QKeyEvent) -> bool:
    return event.matches(QKeySequence.StandardKey.Undo)


def is_redo_key(event: QKeyEvent) -> bool:
    return event.matches(QKeySequence.StandardKey.Redo) or event.keyCombination() == _CTRL_Y


def route_menu_undo(menu: QMenu, stack: QUndoStack | None) -> QMenu:
    """Point a standard context menu's Undo and Redo entries at ``stack``."""
    for action in menu.actions():
        name = action.objectName()
        if name not in ("edit-undo", "edit-redo"):
            continue
        action.triggered.disconnect()
        if stack is None:
            action.setEnabled(False)
        elif name == "edit-undo":
            action.setEnabled(stack.canUndo())
            action.triggered.connect(stack.undo)
        else:
            action.setEnabled(stack.canRedo())
            action.triggered.connect(stack.redo)
    return menu


class UndoRouter(QObject):
    """An event filter sending Undo/Redo keys and menu entries to the current stack."""

    def __init__(self, stack_provider: Callable[[], QUndoStack | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stack_provider = stack_provider

    def watch(self, widget: QWidget) -> None:
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if is_undo_key(event) or is_redo_key(event):
                event.accept()  # the key comes to us as a key press, not to a window shortcut
                return True
        elif kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if is_undo_key(event) or is_redo_key(event):
                stack = self._stack_provider()
                if stack is not None:
                    if is_undo_key(event):
                        stack.undo()
                    else:
                        stack.redo()
                return True
        elif (kind == QEvent.Type.ContextMenu and isinstance(watched, QLineEdit)
              and isinstance(event, QContextMenuEvent)):
            menu = route_menu_undo(watched.createStandardContextMenu(), self._stack_provider())
            menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            menu.popup(event.globalPos())
            return True
        return super().eventFilter(watched, event)
