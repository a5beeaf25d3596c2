"""The status bar: the current article's blockers, words, reading time, placeholders left and cursor
position, beside the transient messages (saved, exported, reloaded…)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, QUrl, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStatusBar, QWidget

from editor.ui.editor_tab import BodyStats

EXPORT_NOTE_MS = 20000


class StatusBar(QStatusBar):
    """Shows what the window hands it; it reads no document itself."""

    open_url = Signal(QUrl)  # the user asked to see an exported page or its folder

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        # After an export: the message with what one does next (a plain message has no buttons).
        self.export_note = QWidget()
        self.export_note.setObjectName("exportNote")
        self.export_label = QLabel()
        self.open_page_button = QPushButton("Open in Browser")
        self.open_page_button.setObjectName("openInBrowser")
        self.show_folder_button = QPushButton("Show in Folder")
        self.show_folder_button.setObjectName("showInFolder")
        note = QHBoxLayout(self.export_note)
        note.setContentsMargins(4, 0, 4, 0)
        note.addWidget(self.export_label)
        for button in (self.open_page_button, self.show_folder_button):
            button.setFlat(True)
            note.addWidget(button)
        self.addWidget(self.export_note)
        self.export_note.hide()
        self._exported: Path | None = None
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.timeout.connect(self.export_note.hide)
        self.open_page_button.clicked.connect(
            lambda: self._open(self._exported))
        self.show_folder_button.clicked.connect(
            lambda: self._open(self._exported.parent if self._exported else None))
        self.messageChanged.connect(self._on_message_changed)
        self.words_label = QLabel()
        self.words_label.setObjectName("wordsLabel")
        self.reading_label = QLabel()
        self.reading_label.setObjectName("readingLabel")
        self.placeholders_label = QLabel()
        self.placeholders_label.setObjectName("placeholdersLabel")
        self.position_label = QLabel()
        self.position_label.setObjectName("positionLabel")
        self.blockers_label = QLabel()
        self.blockers_label.setObjectName("blockersLabel")
        for label in self._labels():
            self.addPermanentWidget(label)

    def show_stats(self, stats: BodyStats) -> None:
        self.words_label.setText(f"{stats.words:,} words")
        self.reading_label.setText(f"{stats.minutes} min read")
        count = stats.placeholders
        self.placeholders_label.setText(
            "No placeholders left" if count == 0
            else f"{count} placeholder{'s' if count != 1 else ''} left")
        self.placeholders_label.setProperty("pending", count > 0)  # styled in window.qss
        self.placeholders_label.style().unpolish(self.placeholders_label)
        self.placeholders_label.style().polish(self.placeholders_label)

    def show_blockers(self, count: int | None) -> None:
        """What stops the article going out, from the copy desk (None: not checked)."""
        self.blockers_label.setText("" if count is None else "No blockers" if count == 0 else
                                    f"{count} blocker{'s' if count != 1 else ''}")

    def show_position(self, line: int, column: int) -> None:
        self.position_label.setText(f"Ln {line}, Col {column}")

    def show_message(self, text: str, milliseconds: int) -> None:
        """A message that goes after ``milliseconds``; the labels stay."""
        self.showMessage(text, milliseconds)

    def show_export(self, page: Path, text: str) -> None:
        """Say the page was written, with buttons to open it or its folder."""
        self.clearMessage()
        self._exported = page
        self.export_label.setText(text)
        self.export_note.show()
        self._note_timer.start(EXPORT_NOTE_MS)

    def _on_message_changed(self, text: str) -> None:
        if text:  # a newer message: the export note is old news
            self.export_note.hide()

    def _open(self, path: Path | None) -> None:
        if path is not None:
            self.open_url.emit(QUrl.fromLocalFile(str(path)))

    def clear_document(self) -> None:
        """No article is open: nothing to count."""
        for label in self._labels():
            label.setText("")

    def _labels(self) -> tuple[QLabel, ...]:
        return (self.blockers_label, self.words_label, self.reading_label,
                self.placeholders_label, self.position_label)
