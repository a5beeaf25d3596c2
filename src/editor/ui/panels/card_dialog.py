"""The form for one related-story card: title, URL, image with alt text, teaser."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.model import RelatedCard
from editor.ui.drops import IMAGE_SUFFIXES
from editor.ui.panels.thumbnails import THUMBNAIL_SIZE, thumbnail
from editor.ui.panels.validation import url_problem

ERROR_STYLE = "color: #b3261e;"
WARNING_STYLE = "color: #8a5300;"
MISSING_ALT = "Alt text is missing: describe the image for readers who cannot see it"


class CardDialog(QDialog):
    """Edits a copy of a card. The URL must parse (http, https or a relative path); a card
    needs a title; an image without alt text is flagged but may be saved."""

    # The fields whose words readers see, by the card's key (spell-checked when the panel can).
    SPELLED_FIELDS = ("title", "image_alt", "teaser")

    def __init__(self, card: RelatedCard, base_dir: Path | None = None,
                 title: str = "Related story", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CardDialog")
        self.setWindowTitle(title)
        self._base_dir = base_dir

        self.title_edit = QLineEdit(card.title)
        self.title_edit.setObjectName("title")
        self.url_edit = QLineEdit(card.url)
        self.url_edit.setObjectName("url")
        self.url_edit.setPlaceholderText("https://… or /path/to/story")
        self.image_edit = QLineEdit(card.image)
        self.image_edit.setObjectName("image")
        self.image_edit.setPlaceholderText("images/photo.jpg or https://…")
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self._browse_image)
        image_row = QHBoxLayout()
        image_row.addWidget(self.image_edit, 1)
        image_row.addWidget(browse)
        self.thumbnail_label = QLabel()
        self.thumbnail_label.setObjectName("thumbnail")
        self.thumbnail_label.setFixedSize(THUMBNAIL_SIZE * 2, THUMBNAIL_SIZE * 3 // 2)
        self.thumbnail_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.alt_edit = QLineEdit(card.image_alt)
        self.alt_edit.setObjectName("imageAlt")
        self.teaser_edit = QPlainTextEdit(card.teaser)
        self.teaser_edit.setObjectName("teaser")
        self.teaser_edit.setTabChangesFocus(True)
        self.teaser_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 5)

        self.url_problem_label = self._note("urlProblem", ERROR_STYLE)
        self.alt_problem_label = self._note("altProblem", WARNING_STYLE)
        self.title_problem_label = self._note("titleProblem", ERROR_STYLE)

        form = QFormLayout()
        form.addRow("&Title:", self.title_edit)
        form.addRow("", self.title_problem_label)
        form.addRow("&URL:", self.url_edit)
        form.addRow("", self.url_problem_label)
        image_label = QLabel("&Image:")  # a row of widgets takes no mnemonic: give the field it
        image_label.setBuddy(self.image_edit)
        form.addRow(image_label, image_row)
        form.addRow("", self.thumbnail_label)
        form.addRow("&Alt text:", self.alt_edit)
        form.addRow("", self.alt_problem_label)
        form.addRow("T&easer:", self.teaser_edit)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        for edit in (self.title_edit, self.url_edit, self.image_edit, self.alt_edit):
            edit.textChanged.connect(self._validate)
        self.image_edit.textChanged.connect(self._show_thumbnail)
        self._show_thumbnail()
        self._validate()
        self.resize(480, self.sizeHint().height())
        for edit in (self.title_edit, self.url_edit, self.image_edit, self.alt_edit):
            edit.setCursorPosition(0)  # a long title shows its beginning, not its end
        (self.title_edit if not card.title else self.url_edit).setFocus()

    def _note(self, name: str, style: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setStyleSheet(style)
        label.setWordWrap(True)
        label.hide()
        return label

    def _browse_image(self) -> None:
        suffixes = " ".join(f"*{suffix}" for suffix in IMAGE_SUFFIXES)
        path, _ = QFileDialog.getOpenFileName(self, "Choose an image", str(self._base_dir or ""),
                                              f"Images ({suffixes})")
        if path:
            self.image_edit.setText(relative_to(Path(path), self._base_dir))

    def _show_thumbnail(self) -> None:
        self.thumbnail_label.setPixmap(
            thumbnail(self.image_edit.text().strip(), self._base_dir, THUMBNAIL_SIZE * 3 // 2))
        self.thumbnail_label.setToolTip(self.image_edit.text())

    def problems(self) -> dict[str, str]:
        """What stops the card being saved (url, title) and what is only flagged (alt)."""
        found: dict[str, str] = {}
        if not self.title_edit.text().strip():
            found["title"] = "A card needs a title"
        issue = url_problem(self.url_edit.text())
        if issue:
            found["url"] = issue
        image_issue = url_problem(self.image_edit.text())
        if image_issue:
            found["image"] = image_issue
        if self.image_edit.text().strip() and not self.alt_edit.text().strip():
            found["alt"] = MISSING_ALT
        return found

    def _validate(self) -> None:
        found = self.problems()
        for key, label in (("url", self.url_problem_label), ("alt", self.alt_problem_label),
                           ("title", self.title_problem_label)):
            text = found.get(key, "")
            if key == "url" and not text:
                text = found.get("image", "")
            label.setText(text)
            label.setVisible(bool(text))
        # Only name the missing title once the writer has typed something elsewhere.
        if not self.title_edit.text().strip() and not self.url_edit.text().strip():
            self.title_problem_label.hide()
        self.alt_edit.setStyleSheet("border: 1px solid #c77700;" if "alt" in found else "")
        self.ok_button.setEnabled(not ({"url", "title", "image"} & set(found)))

    def spelled_fields(self) -> dict[str, QLineEdit | QPlainTextEdit]:
        return {"title": self.title_edit, "image_alt": self.alt_edit, "teaser": self.teaser_edit}

    def set_field(self, name: str, text: str) -> None:
        """Put a spelling suggestion in: the field's own undo takes it back."""
        field = self.spelled_fields()[name]
        if isinstance(field, QLineEdit):
            field.selectAll()
            field.insert(text)
        else:
            cursor = field.textCursor()
            cursor.select(QTextCursor.SelectionType.Document)
            cursor.insertText(text)

    def card(self) -> RelatedCard:
        return RelatedCard(
            title=" ".join(self.title_edit.text().split()),
            url=self.url_edit.text().strip(),
            image=self.image_edit.text().strip(),
            image_alt=" ".join(self.alt_edit.text().split()),
            teaser=self.teaser_edit.toPlainText().strip(),
        )


def relative_to(path: Path, base_dir: Path | None) -> str:
    """``path`` relative to the article's folder when it lies inside it, else absolute."""
    if base_dir is not None:
        try:
            return path.resolve().relative_to(base_dir.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)
