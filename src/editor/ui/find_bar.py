"""The find/replace bar under the body editor."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QWidget,
)


class FindBar(QWidget):
    """Finds and replaces in one text editor; Escape closes it and returns to the text."""

    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self._editor: QPlainTextEdit | None = None
        self.find_field = QLineEdit(placeholderText="Find")
        self.find_field.setClearButtonEnabled(True)
        self.replace_field = QLineEdit(placeholderText="Replace with")
        # Wide enough for a phrase, however narrow the editor's column is.
        for field in (self.find_field, self.replace_field):
            field.setMinimumWidth(field.fontMetrics().averageCharWidth() * 30)
        self._replaced_shown = False  # "N replaced" is on show until the text changes again
        self.case_box = QCheckBox("Match case")
        self.words_box = QCheckBox("Whole words")
        self.count_label = QLabel()
        self.count_label.setObjectName("findCount")
        self.count_label.setMinimumWidth(90)
        self.previous_button = QPushButton("Previous")
        self.next_button = QPushButton("Next")
        self.replace_button = QPushButton("Replace")
        self.replace_all_button = QPushButton("Replace All")
        self.close_button = QToolButton(autoRaise=True)
        self.close_button.setText("✕")
        self.close_button.setToolTip("Close (Esc)")

        layout = QGridLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setHorizontalSpacing(6)
        layout.setVerticalSpacing(4)
        layout.addWidget(self.find_field, 0, 0)
        layout.addWidget(self.previous_button, 0, 1)
        layout.addWidget(self.next_button, 0, 2)
        layout.addWidget(self.case_box, 0, 3)
        layout.addWidget(self.words_box, 0, 4)
        layout.addWidget(self.count_label, 0, 5)
        layout.addWidget(self.close_button, 0, 6)
        layout.addWidget(self.replace_field, 1, 0)
        layout.addWidget(self.replace_button, 1, 1)
        layout.addWidget(self.replace_all_button, 1, 2)
        layout.setColumnStretch(0, 1)

        self.find_field.textChanged.connect(self._on_text_changed)
        self.find_field.returnPressed.connect(self.find_next)
        self.replace_field.returnPressed.connect(self.replace)
        self.next_button.clicked.connect(self.find_next)
        self.previous_button.clicked.connect(self.find_previous)
        self.replace_button.clicked.connect(self.replace)
        self.replace_all_button.clicked.connect(self.replace_all)
        self.close_button.clicked.connect(self.close_bar)
        self.case_box.toggled.connect(self._update_count)
        self.words_box.toggled.connect(self._update_count)
        self.hide()

    def set_editor(self, editor: QPlainTextEdit) -> None:
        self._editor = editor
        editor.document().contentsChanged.connect(self._on_contents_changed)

    def _on_contents_changed(self) -> None:
        """Undo of a Replace All (or any edit after it) makes "N replaced" untrue: recount."""
        if self._replaced_shown:
            self._replaced_shown = False
            self._update_count()

    def open_bar(self, replace: bool) -> None:
        """Show the bar (with the replace row when ``replace``), seeded with the selection."""
        if self._editor is not None:
            selected = self._editor.textCursor().selectedText()
            if selected and "\u2029" not in selected:
                self.find_field.setText(selected)
        for widget in (self.replace_field, self.replace_button, self.replace_all_button):
            widget.setVisible(replace)
        self.show()
        field = self.replace_field if replace and self.find_field.text() else self.find_field
        field.setFocus()
        field.selectAll()
        self._update_count()

    def close_bar(self) -> None:
        self.hide()
        if self._editor is not None:
            self._editor.setFocus()
        self.closed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
            return
        super().keyPressEvent(event)

    # -- searching -------------------------------------------------------------------------
    def _flags(self, backward: bool = False) -> QTextDocument.FindFlag:
        flags = QTextDocument.FindFlag(0)
        if self.case_box.isChecked():
            flags |= QTextDocument.FindFlag.FindCaseSensitively
        if self.words_box.isChecked():
            flags |= QTextDocument.FindFlag.FindWholeWords
        if backward:
            flags |= QTextDocument.FindFlag.FindBackward
        return flags

    def _on_text_changed(self) -> None:
        if self._editor is not None and self.find_field.text():
            cursor = self._editor.textCursor()
            cursor.setPosition(cursor.selectionStart())
            self._editor.setTextCursor(cursor)
            self.find_next()
        self._update_count()

    def find_next(self) -> bool:
        return self._find(backward=False)

    def find_previous(self) -> bool:
        return self._find(backward=True)

    def _find(self, backward: bool) -> bool:
        editor = self._editor
        needle = self.find_field.text()
        if editor is None or not needle:
            return False
        document = editor.document()
        found = document.find(needle, editor.textCursor(), self._flags(backward))
        if found.isNull():  # wrap around
            start = QTextCursor(document)
            if backward:
                start.movePosition(QTextCursor.MoveOperation.End)
            found = document.find(needle, start, self._flags(backward))
        if found.isNull():
            self.find_field.setProperty("notFound", True)
            self._restyle()
            return False
        self.find_field.setProperty("notFound", False)
        self._restyle()
        editor.setTextCursor(found)
        editor.ensureCursorVisible()
        self._update_count()
        return True

    def _matches(self, selection: QTextCursor) -> bool:
        needle = self.find_field.text()
        text = selection.selectedText()
        if self.case_box.isChecked():
            return text == needle
        return text.casefold() == needle.casefold()

    def replace(self) -> None:
        """Replace the current match (if the selection is one), then find the next."""
        editor = self._editor
        if editor is None or not self.find_field.text():
            return
        cursor = editor.textCursor()
        if cursor.hasSelection() and self._matches(cursor):
            cursor.insertText(self.replace_field.text())
            editor.setTextCursor(cursor)
        self.find_next()

    def replace_all(self) -> int:
        """Replace every match as one undoable edit; returns how many were replaced."""
        editor = self._editor
        needle = self.find_field.text()
        if editor is None or not needle:
            return 0
        document = editor.document()
        cursor = QTextCursor(document)
        count = 0
        edit = QTextCursor(document)
        edit.beginEditBlock()
        while True:
            cursor = document.find(needle, cursor, self._flags())
            if cursor.isNull():
                break
            cursor.insertText(self.replace_field.text())
            count += 1
        edit.endEditBlock()
        self._update_count()
        self.count_label.setText(f"{count} replaced")
        self._replaced_shown = True
        return count

    def _update_count(self) -> None:
        editor = self._editor
        needle = self.find_field.text()
        if editor is None or not needle or not self.isVisible():
            self.count_label.setText("")
            return
        document = editor.document()
        cursor = QTextCursor(document)
        total = 0
        current = 0
        position = editor.textCursor().selectionStart()
        while total < 10000:
            cursor = document.find(needle, cursor, self._flags())
            if cursor.isNull():
                break
            total += 1
            if cursor.selectionStart() == position:
                current = total
        if total == 0:
            self.count_label.setText("No results")
        elif current:
            self.count_label.setText(f"{current} of {total}")
        else:
            self.count_label.setText(f"{total} found")

    def _restyle(self) -> None:
        self.find_field.style().unpolish(self.find_field)
        self.find_field.style().polish(self.find_field)
