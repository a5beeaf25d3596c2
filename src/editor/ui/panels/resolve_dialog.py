"""The small form that resolves one placeholder: a link, an image, or the missing text."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.model import RelatedCard
from editor.placeholders import Placeholder, PlaceholderKind
from editor.resolve import LINK_KINDS, default_anchor, replacement_text, stands_alone
from editor.ui.panels.validation import url_problem


class ResolveChoice(Enum):
    RESOLVE = "resolve"
    SKIP = "skip"  # leave this one, go on to the next
    STOP = "stop"


@dataclass(frozen=True)
class ResolveAnswer:
    """What the writer gave for one placeholder."""

    choice: ResolveChoice
    url: str = ""
    text: str = ""


SKIP_RESULT = 2


class ResolveDialog(QDialog):
    """Asks for a URL and anchor text (or an image source and alt text, or plain text).

    For links, one of the article's related stories can be picked: its URL and title fill
    the fields. The Markdown that will replace the token is shown as it is typed.
    """

    def __init__(self, placeholder: Placeholder, body: str, cards: list[RelatedCard],
                 allow_skip: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ResolveDialog")
        self.placeholder = placeholder
        self._cards = [card for card in cards if card.url or card.title]
        kind = placeholder.kind
        self.setWindowTitle(f"Resolve {placeholder.token}")

        context = QLabel(f"Line {placeholder.line}: “{placeholder.context}”"
                         if placeholder.context else f"Line {placeholder.line}")
        context.setWordWrap(True)
        context.setObjectName("context")

        self.card_box = QComboBox()
        self.card_box.setObjectName("relatedStory")
        self.card_box.addItem("— type a link below —")
        for card in self._cards:
            label = card.title or card.url
            self.card_box.addItem(label if card.url else f"{label} (no URL yet)")
        self.card_box.currentIndexChanged.connect(self._pick_card)

        self.url_edit = QLineEdit()
        self.url_edit.setObjectName("url")
        self.text_edit = QLineEdit()
        self.text_edit.setObjectName("text")
        self.text_edit.setText(default_anchor(body, placeholder))

        form = QFormLayout()
        if kind in LINK_KINDS:
            self.url_edit.setPlaceholderText("https://… or /path/to/story")
            self.text_edit.setPlaceholderText(
                "the story's title" if stands_alone(body, placeholder) else "the linked words")
            if self._cards:
                form.addRow("Related &story:", self.card_box)
            form.addRow("&URL:", self.url_edit)
            form.addRow("&Anchor text:", self.text_edit)
        elif kind is PlaceholderKind.IMAGE:
            self.url_edit.setPlaceholderText("images/photo.jpg or https://…")
            form.addRow("Image &source:", self.url_edit)
            form.addRow("&Alt text:", self.text_edit)
        else:
            self.text_edit.setPlaceholderText("what goes in its place")
            self.url_edit.setPlaceholderText("optional: makes the text a link")
            form.addRow("&Text:", self.text_edit)
            form.addRow("&URL:", self.url_edit)

        self.result_label = QLabel()
        self.result_label.setObjectName("result")
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)
        self.result_label.setWordWrap(True)
        self.result_label.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.problem_label = QLabel()
        self.problem_label.setObjectName("problem")
        self.problem_label.setStyleSheet("color: #b3261e;")
        self.problem_label.setWordWrap(True)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Resolve")
        self.skip_button: QPushButton | None = None
        if allow_skip:
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Stop")
            self.skip_button = self.buttons.addButton(
                "Skip", QDialogButtonBox.ButtonRole.ActionRole)
            self.skip_button.clicked.connect(lambda: self.done(SKIP_RESULT))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(context)
        layout.addLayout(form)
        layout.addWidget(self.result_label)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)

        self.url_edit.textChanged.connect(self._validate)
        self.text_edit.textChanged.connect(self._validate)
        self._validate()
        (self.url_edit if kind in LINK_KINDS or kind is PlaceholderKind.IMAGE
         else self.text_edit).setFocus()

    def _pick_card(self, row: int) -> None:
        if row <= 0:
            return
        card = self._cards[row - 1]
        self.url_edit.setText(card.url)
        self.text_edit.setText(card.title)

    def problem(self) -> str | None:
        """Why the form cannot be accepted yet, or None."""
        issue = url_problem(self.url_edit.text())
        if issue:
            return issue
        try:
            replacement_text(self.placeholder, self.url_edit.text(), self.text_edit.text())
        except ValueError as error:
            return str(error).capitalize()
        return None

    def _validate(self) -> None:
        issue = self.problem()
        self.ok_button.setEnabled(issue is None)
        self.problem_label.setText(issue or "")
        self.result_label.setText(
            "" if issue else "Becomes: " + replacement_text(
                self.placeholder, self.url_edit.text(), self.text_edit.text()))

    def answer(self, result: int | None = None) -> ResolveAnswer:
        result = self.result() if result is None else result
        if result == QDialog.DialogCode.Accepted and self.problem() is None:
            return ResolveAnswer(ResolveChoice.RESOLVE, self.url_edit.text().strip(),
                                 self.text_edit.text().strip())
        if result == SKIP_RESULT:
            return ResolveAnswer(ResolveChoice.SKIP)
        return ResolveAnswer(ResolveChoice.STOP)
