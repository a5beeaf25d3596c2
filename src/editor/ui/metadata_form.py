"""The collapsible metadata form above the body: headline, dek, byline, SEO fields, image."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QMimeData, QSize, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QIcon,
    QKeyEvent,
    QResizeEvent,
    QTextCursor,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QCalendarWidget,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from editor.export import DESCRIPTION_CHARS
from editor.model import Article, proposed_slug
from editor.ui.drops import accept_file_drag, is_image, local_files
from editor.ui.undo_routing import UndoRouter

HEADLINE_CHARS = 70
HEADLINE_TIP = (f"Search results and social cards show about {HEADLINE_CHARS} characters "
                "of a headline; the rest is cut off")
DESCRIPTION_TIP = (f"Search results show about {DESCRIPTION_CHARS} characters of the "
                   "description; the rest is cut off")
HEADLINE_MAX_LINES = 3


@dataclass(frozen=True)
class FieldSpec:
    name: str  # the Article attribute
    label: str
    placeholder: str = ""


FIELDS = (
    FieldSpec("title", "Headline", "What happened, in a few words"),
    FieldSpec("dek", "Dek", "The standfirst under the headline"),
    FieldSpec("author", "Author", "Byline, names separated by commas"),
    FieldSpec("date", "Date", "YYYY-MM-DD"),
    FieldSpec("slug", "Slug", "url-friendly-name"),
    FieldSpec("keyword", "Focus keyword", "The phrase readers search for"),
    FieldSpec("description", "Description", "Meta description for search results and shares"),
    FieldSpec("tags", "Tags", "Comma-separated: politics, city hall"),
    FieldSpec("image", "Featured image", "Choose or drop an image file"),
    FieldSpec("image_alt", "Alt text", "What the image shows, for readers who cannot see it"),
    FieldSpec("image_caption", "Caption", "Caption and credit"),
)
_LABELS = {spec.name: spec.label for spec in FIELDS}
# Each row of the form: a field, and the one beside it on a wide form.
_ROWS: tuple[tuple[str, str | None], ...] = (
    ("title", None), ("dek", None), ("author", "date"), ("slug", "keyword"),
    ("description", None), ("tags", None), ("image", "image_alt"), ("image_caption", None),
)
ONE_COLUMN_BELOW = 560  # px of form width: narrower, every field gets a row of its own


class HeadlineEdit(QPlainTextEdit):
    """A one-paragraph field that wraps over lines, so that a long headline shows whole.

    It answers as a QLineEdit does (``text``, ``setText``, ``textEdited``, the cursor) so the
    form treats every field alike. Enter does not break the headline; pasted lines are joined.
    """

    textEdited = Signal(str)  # noqa: N815 — QLineEdit's name, which the form relies on

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setUndoRedoEnabled(False)  # the article's one history undoes the headline
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._setting = False
        self.textChanged.connect(self._on_changed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self._fit_height()

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self._setting = True
        try:
            self.setPlainText(text)
        finally:
            self._setting = False

    def cursorPosition(self) -> int:
        return self.textCursor().position()

    def setCursorPosition(self, position: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(position)
        self.setTextCursor(cursor)

    def end(self, mark: bool) -> None:
        self.moveCursor(QTextCursor.MoveOperation.End,
                        QTextCursor.MoveMode.KeepAnchor if mark else QTextCursor.MoveMode.MoveAnchor)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.ignore()
            return
        super().keyPressEvent(event)

    def insertFromMimeData(self, source: QMimeData) -> None:
        self.insertPlainText(" ".join(source.text().split()))

    def _on_changed(self) -> None:
        if not self._setting:
            self.textEdited.emit(self.toPlainText())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()  # a new width wraps the headline over more or fewer lines

    def _fit_height(self) -> None:
        lines = max(1, min(HEADLINE_MAX_LINES, int(self.document().size().height())))
        margins = self.contentsMargins()
        height = (lines * self.fontMetrics().lineSpacing() + 2 * self.document().documentMargin()
                  + margins.top() + margins.bottom())
        self.setFixedHeight(int(height))

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.height())


def parse_tags(text: str) -> list[str]:
    return [tag.strip() for tag in text.split(",") if tag.strip()]


class MetadataForm(QWidget):
    """Shows the article's metadata and reports each edit as ``field_edited(name, value)``.

    The form never changes the article itself: the tab turns each edit into an undoable
    ``update_metadata`` call and shows the result back through ``set_article``.
    """

    field_edited = Signal(str, object)
    expanded_changed = Signal(bool)
    files_dropped = Signal(list)  # article files dropped on the form: the window opens them

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("metadataForm")
        self.setAcceptDrops(True)
        self.base_dir: Path | None = None
        self._stack: QUndoStack | None = None
        self._router = UndoRouter(lambda: self._stack, self)
        self.fields: dict[str, QLineEdit | HeadlineEdit] = {}

        self.toggle_button = QToolButton()
        self.toggle_button.setObjectName("formToggle")
        self.toggle_button.setCheckable(True)
        self.toggle_button.setChecked(True)
        self.toggle_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle_button.setArrowType(Qt.ArrowType.DownArrow)
        self.toggle_button.setText("Article details")
        self.toggle_button.setAutoRaise(True)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("formSummary")
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self.summary_label.setSizePolicy(QSizePolicy.Policy.Ignored,
                                         QSizePolicy.Policy.Preferred)

        header = QHBoxLayout()
        header.setContentsMargins(8, 4, 12, 4)
        header.addWidget(self.toggle_button)
        header.addWidget(self.summary_label, 1)
        header.addStretch(1)

        self.body = QFrame()
        self.body.setObjectName("formBody")
        grid = QGridLayout(self.body)
        grid.setContentsMargins(16, 4, 16, 12)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        for spec in FIELDS:
            field: QLineEdit | HeadlineEdit = HeadlineEdit() if spec.name == "title" else QLineEdit()
            field.setObjectName(f"field_{spec.name}")
            field.setPlaceholderText(spec.placeholder)
            field.setAccessibleName(spec.label)
            field.textEdited.connect(lambda text, name=spec.name: self._on_edited(name, text))
            field.setAcceptDrops(False)  # files dropped on a field go to the form
            self._router.watch(field)
            self.fields[spec.name] = field
        self.fields["title"].setObjectName("headlineField")

        self.date_button = QToolButton()
        self.date_button.setText("Pick")
        self.date_button.setIcon(QIcon(str(resources.files("editor.resources")
                                           .joinpath("icons/calendar.svg"))))
        self.date_button.setObjectName("dateButton")
        self.date_button.setToolTip("Pick a date")
        self.date_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(False)
        self.calendar.clicked.connect(self._on_date_picked)
        date_menu = QMenu(self.date_button)
        calendar_action = QWidgetAction(date_menu)
        calendar_action.setDefaultWidget(self.calendar)
        date_menu.addAction(calendar_action)
        date_menu.aboutToShow.connect(self._sync_calendar)
        self.date_button.setMenu(date_menu)
        self._date_menu = date_menu

        self.image_button = QPushButton("Choose…")
        self.image_button.setToolTip("Choose the featured image")
        self.image_button.clicked.connect(self._choose_image)
        self.description_counter = QLabel()
        self.description_counter.setObjectName("descriptionCounter")
        self.headline_counter = QLabel()
        self.headline_counter.setObjectName("headlineCounter")
        self.headline_counter.setToolTip(HEADLINE_TIP)
        self.description_counter.setToolTip(DESCRIPTION_TIP)
        self.fields["title"].textEdited.connect(self._propose_slug)

        def label(name: str) -> QLabel:
            widget = QLabel(_LABELS[name])
            widget.setBuddy(self.fields[name])
            widget.setObjectName("fieldLabel")
            return widget

        self._grid = grid
        self._labels = {spec.name: label(spec.name) for spec in FIELDS}
        date_box = QHBoxLayout()
        date_box.setSpacing(2)
        date_box.addWidget(self.fields["date"])
        date_box.addWidget(self.date_button)
        image_box = QHBoxLayout()
        image_box.setSpacing(4)
        image_box.addWidget(self.fields["image"], 1)
        image_box.addWidget(self.image_button)
        self._boxes = {"date": date_box, "image": image_box}
        self._one_column: bool | None = None
        self._lay_out_fields(one_column=True)  # the smallest; the first resize widens it

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.body)
        self.toggle_button.toggled.connect(self.set_expanded)
        self._update_counters()

    # -- layout ----------------------------------------------------------------------------
    def _lay_out_fields(self, one_column: bool) -> None:
        """Fields in pairs (author and date, slug and keyword, image and alt text) on a wide
        form; one under the other on a narrow one, where pairs would squeeze each field to a
        few characters (a small screen, or all docks open)."""
        if one_column == self._one_column:
            return
        self._one_column = one_column
        grid = self._grid
        for box in self._boxes.values():
            grid.removeItem(box)
            box.setParent(None)  # re-added below: a layout has one parent
        for index in reversed(range(grid.count())):
            item = grid.itemAt(index)
            widget = item.widget() if item is not None else None
            if widget is not None:
                grid.removeWidget(widget)
        row = 0
        for name, partner in _ROWS:
            grid.addWidget(self._labels[name], row, 0)
            span = 5 if name not in ("title", "description") else 4
            if partner is not None and not one_column:
                span = 1
            self._add_field(name, row, 1, span)
            if name == "title":
                grid.addWidget(self.headline_counter, row, 5)
            elif name == "description":
                grid.addWidget(self.description_counter, row, 5)
            if partner is not None:
                if one_column:
                    row += 1
                    grid.addWidget(self._labels[partner], row, 0)
                    self._add_field(partner, row, 1, 5)
                else:
                    grid.addWidget(self._labels[partner], row, 2)
                    self._add_field(partner, row, 3, 3)
            row += 1
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 0 if one_column else 2)

    def _add_field(self, name: str, row: int, column: int, span: int) -> None:
        box = self._boxes.get(name)
        if box is not None:
            self._grid.addLayout(box, row, column, 1, span)
        else:
            self._grid.addWidget(self.fields[name], row, column, 1, span)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._lay_out_fields(one_column=event.size().width() < ONE_COLUMN_BELOW)
        super().resizeEvent(event)

    # -- the file dialog (a seam tests replace) --------------------------------------------
    def _ask_image_path(self) -> Path | None:
        name, _filter = QFileDialog.getOpenFileName(
            self, "Choose the featured image", str(self.base_dir or Path.home()),
            "Images (*.png *.jpg *.jpeg *.gif *.webp *.svg *.avif)")
        return Path(name) if name else None

    # -- showing ---------------------------------------------------------------------------
    def set_undo_stack(self, stack: QUndoStack | None) -> None:
        self._stack = stack

    def set_article(self, article: Article) -> None:
        """Show ``article``'s metadata, leaving alone fields whose text already says it."""
        for spec in FIELDS:
            field = self.fields[spec.name]
            value = getattr(article, spec.name)
            if self._value(spec.name, field.text()) == value:
                continue
            text = ", ".join(value) if spec.name == "tags" else str(value)
            position = field.cursorPosition()
            field.setText(text)
            field.setCursorPosition(min(position, len(text)) if field.hasFocus() else 0)
        self._propose_slug(article.title)
        self._update_counters()
        self._update_summary(article)

    def is_expanded(self) -> bool:
        return self.body.isVisible() or (self.toggle_button.isChecked() and not self.isVisible())

    def set_expanded(self, expanded: bool) -> None:
        self.body.setVisible(expanded)
        self.summary_label.setVisible(not expanded)
        self.toggle_button.setArrowType(Qt.ArrowType.DownArrow if expanded
                                        else Qt.ArrowType.RightArrow)
        if self.toggle_button.isChecked() != expanded:
            self.toggle_button.setChecked(expanded)
        self.expanded_changed.emit(expanded)

    # -- editing ---------------------------------------------------------------------------
    @staticmethod
    def _value(name: str, text: str) -> Any:
        return parse_tags(text) if name == "tags" else text

    def _on_edited(self, name: str, text: str) -> None:
        self._update_counters()
        self.field_edited.emit(name, self._value(name, text))

    def edit_field(self, name: str, text: str) -> None:
        """Set a field as if the user had typed it."""
        self.fields[name].setText(text)
        self._on_edited(name, text)

    def _propose_slug(self, headline: str) -> None:
        """While the slug is empty it shows the headline's, in grey: Save As names the file
        with it and writes it in (see ``Workspace.save_document``); typing replaces it."""
        self.fields["slug"].setPlaceholderText(proposed_slug(headline) or "url-friendly-name")

    def _on_date_picked(self, date: QDate) -> None:
        self._date_menu.close()
        self.edit_field("date", date.toString("yyyy-MM-dd"))

    def _sync_calendar(self) -> None:
        try:
            day = dt.date.fromisoformat(self.fields["date"].text()[:10])
        except ValueError:
            day = dt.date.today()
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))

    def _choose_image(self) -> None:
        path = self._ask_image_path()
        if path is not None:
            self.set_image(path)

    def set_image(self, path: Path) -> None:
        source = path.as_posix()
        if self.base_dir is not None:
            relative = os.path.relpath(path, self.base_dir)
            if not relative.startswith(".."):
                source = Path(relative).as_posix()
        self.edit_field("image", source)

    def _update_counters(self) -> None:
        length = len(self.fields["description"].text())
        self.description_counter.setText(f"{length}/{DESCRIPTION_CHARS}")
        self.description_counter.setProperty("over", length > DESCRIPTION_CHARS)
        headline = len(self.fields["title"].text())
        self.headline_counter.setText(f"{headline}/{HEADLINE_CHARS}")
        self.headline_counter.setProperty("over", headline > HEADLINE_CHARS)
        for label in (self.description_counter, self.headline_counter):
            label.style().unpolish(label)
            label.style().polish(label)

    def _update_summary(self, article: Article) -> None:
        parts = [article.title or "No headline", article.author, article.date]
        self.summary_label.setText("  ·  ".join(part for part in parts if part))

    # -- drops -----------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        accept_file_drag(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        accept_file_drag(event)

    def dropEvent(self, event: QDropEvent) -> None:
        """An image becomes the featured image; article files open in tabs."""
        files = local_files(event.mimeData())
        if not files:
            return
        event.acceptProposedAction()
        images = [path for path in files if is_image(path)]
        if images:
            self.set_image(images[0])
        others = [path for path in files if not is_image(path)]
        if others:
            self.files_dropped.emit(others)
