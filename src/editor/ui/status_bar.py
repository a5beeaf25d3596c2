"""The status bar: the current article's blockers, words, reading time, placeholders left and cursor
position, beside the transient messages (saved, exported, reloaded…)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from editor.ui.editor_tab import BodyStats


class StatusBar(QStatusBar):
    """Shows what the window hands it; it reads no document itself."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
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

    def clear_document(self) -> None:
        """No article is open: nothing to count."""
        for label in self._labels():
            label.setText("")

    def _labels(self) -> tuple[QLabel, ...]:
        return (self.blockers_label, self.words_label, self.reading_label,
                self.placeholders_label, self.position_label)
