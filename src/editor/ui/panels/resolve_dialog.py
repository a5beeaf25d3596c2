"""The small form that resolves one placeholder: a link, an image, or the missing text."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
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
from editor.placeholders import Placeholder, PlaceholderKind
from editor.resolve import (
    LINK_KINDS,
    anchor_sentence,
    default_anchor,
    proposed_anchor,
    replacement_text,
    resolve_on_words,
    stands_alone,
)
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
    # Body offsets of the sentence's own words that carry the link, when the writer picked
    # them (then ``text`` is those words); None when ``text`` takes the token's place.
    words: tuple[int, int] | None = None


SKIP_RESULT = 2
IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.gif *.webp *.svg *.avif)"


class SentenceView(QPlainTextEdit):
    """The quoted sentence, read-only and wrapped, whose words can be selected; the selection
    stays shown while the writer types the URL."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setTabChangesFocus(True)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)

    def text(self) -> str:
        return self.toPlainText()

    def selectedText(self) -> str:
        return self.textCursor().selectedText()

    def selectionStart(self) -> int:
        return self.textCursor().selectionStart()

    def setSelection(self, start: int, length: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(start + length, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def deselect(self) -> None:
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)


class ResolveDialog(QDialog):
    """Asks for a URL and anchor text (or an image source and alt text, or plain text).

    For links, the anchor is words of the quoted sentence (the ones just before the token
    are proposed; selecting others picks them) or words typed anew; one of the article's
    related stories can be picked too: its URL and title fill the fields. The Markdown that
    will replace the token is shown as it is typed; what is wrong shows once the writer acts.
    """

    def __init__(self, placeholder: Placeholder, body: str, cards: list[RelatedCard],
                 allow_skip: bool = False, parent: QWidget | None = None,
                 base_dir: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ResolveDialog")
        self.placeholder = placeholder
        self._body = body
        self._base_dir = base_dir
        self._touched = False  # errors show once the writer has typed or picked something
        self._words: tuple[int, int] | None = None
        self._sentence_start = 0
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
        self.sentence_edit = SentenceView()
        self.sentence_edit.setObjectName("sentence")
        self.sentence_edit.setToolTip("Select the words that should carry the link")
        self.browse_button = QPushButton("&Browse…")
        self.browse_button.setObjectName("browse")
        self.browse_button.clicked.connect(self.browse_for_image)

        form = QFormLayout()
        if kind in LINK_KINDS:
            self.url_edit.setPlaceholderText("https://… or /path/to/story")
            self.text_edit.setPlaceholderText(
                "the story's title" if stands_alone(body, placeholder) else "the linked words")
            self._sentence_start, sentence = anchor_sentence(body, placeholder)
            if self._cards:
                form.addRow("Related &story:", self.card_box)
            form.addRow("&URL:", self.url_edit)
            if sentence.strip():
                self.sentence_edit.setPlainText(sentence)
                context.setText(f"Line {placeholder.line}: select the words that carry the link")
                form.addRow("Link &words:", self.sentence_edit)
                start, end = proposed_anchor(body, placeholder)
                if end > start:
                    self._pick_words(start, end)
                    self.sentence_edit.setSelection(start - self._sentence_start, end - start)
                self.sentence_edit.selectionChanged.connect(self._words_selected)
            form.addRow("&Anchor text:", self.text_edit)
        elif kind is PlaceholderKind.IMAGE:
            self.url_edit.setPlaceholderText("images/photo.jpg or https://…")
            source = QHBoxLayout()
            source.addWidget(self.url_edit, 1)
            source.addWidget(self.browse_button)
            form.addRow("Image &source:", source)
            form.addRow("&Alt text:", self.text_edit)
            self.setMinimumWidth(520)  # the description and a path fit without scrolling
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
        self.url_edit.textEdited.connect(self._touch)
        self.text_edit.textEdited.connect(self._touch)
        self.text_edit.textChanged.connect(self._anchor_changed)
        self._validate()
        (self.url_edit if kind in LINK_KINDS or kind is PlaceholderKind.IMAGE
         else self.text_edit).setFocus()

    def _pick_card(self, row: int) -> None:
        if row <= 0:
            return
        card = self._cards[row - 1]
        self._touch()
        self._words = None
        self.url_edit.setText(card.url)
        self.text_edit.setText(card.title)

    def _touch(self) -> None:
        self._touched = True
        self._validate()

    def _pick_words(self, start: int, end: int) -> None:
        self._words = None  # the anchor is about to change to these words: not a typed one
        self.text_edit.setText(self._body[start:end])
        self._words = (start, end)

    def _words_selected(self) -> None:
        selected = self.sentence_edit.selectedText()
        if not selected.strip():
            return
        start = self._sentence_start + self.sentence_edit.selectionStart()
        self._touched = True
        self._pick_words(start, start + len(selected))
        self._validate()

    def _anchor_changed(self, text: str) -> None:
        """Words typed anew go where the token is; the sentence's words stay as they are."""
        if self._words is not None and text != self._body[slice(*self._words)]:
            self._words = None
            self.sentence_edit.deselect()
            self._validate()

    def browse_for_image(self) -> None:
        """Pick an image file; one beside the article is given as a relative path."""
        folder = str(self._base_dir or Path.home())
        chooser = QFileDialog(self, "Choose an image", folder, IMAGE_FILTER)
        chooser.setObjectName("imageChooser")
        chooser.setFileMode(QFileDialog.FileMode.ExistingFile)
        chooser.fileSelected.connect(self._image_chosen)
        chooser.finished.connect(chooser.deleteLater)
        chooser.open()

    def _image_chosen(self, name: str) -> None:
        path = Path(name)
        if self._base_dir is not None and path.is_relative_to(self._base_dir):
            path = path.relative_to(self._base_dir)
        self._touched = True
        self.url_edit.setText(path.as_posix())

    def _replacement(self) -> str:
        """The Markdown the answer gives; raises ValueError when there is none yet."""
        url, text = self.url_edit.text(), self.text_edit.text()
        if self._words is not None:
            resolution = resolve_on_words(self._body, self.placeholder, url, *self._words)
            return self._body[self._sentence_start:resolution.start] + resolution.text
        return replacement_text(self.placeholder, url, text)

    def problem(self) -> str | None:
        """Why the form cannot be accepted yet, or None."""
        issue = url_problem(self.url_edit.text())
        if issue:
            return issue
        try:
            self._replacement()
        except ValueError as error:
            return str(error).capitalize()
        return None

    def _validate(self) -> None:
        issue = self.problem()
        self.ok_button.setEnabled(issue is None)
        self.problem_label.setText(issue if issue and self._touched else "")
        self.result_label.setText("" if issue else "Becomes: " + self._replacement())

    def answer(self, result: int | None = None) -> ResolveAnswer:
        result = self.result() if result is None else result
        if result == QDialog.DialogCode.Accepted and self.problem() is None:
            return ResolveAnswer(ResolveChoice.RESOLVE, self.url_edit.text().strip(),
                                 self.text_edit.text().strip(), self._words)
        if result == SKIP_RESULT:
            return ResolveAnswer(ResolveChoice.SKIP)
        return ResolveAnswer(ResolveChoice.STOP)
