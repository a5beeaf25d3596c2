"""The Related stories panel: the "Don't Miss" block as a list of cards.

The cards live in the article's front matter; every change here (add, edit, delete,
duplicate, reorder, the block's heading) is one :meth:`ArticleDocument.set_related` call, so
one undo step, and the preview, which follows the document, shows it at once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QUrl,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QAction, QFont, QFontMetrics, QIcon, QKeySequence, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor.analysis import card_problems
from editor.model import DEFAULT_RELATED_HEADING, RelatedCard, trim_text
from editor.spelling import SpellChecker
from editor.ui.document import ArticleDocument
from editor.ui.field_spelling import FieldSpelling
from editor.ui.panels.base import DocumentDock
from editor.ui.panels.card_dialog import CardDialog, relative_to
from editor.ui.panels.library import card_from_mime
from editor.ui.panels.thumbnails import THUMBNAIL_SIZE, thumbnail
from editor.ui.panels.validation import is_web_url, looks_like_image

CARD_MIME_TYPE = "application/x-article-editor-card"
DEFAULT_TEASER_LENGTH = 120
ModelIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

# (card to edit, window title) -> the edited card, or None when cancelled
EditCard = Callable[[RelatedCard, str], RelatedCard | None]


class CardsModel(QAbstractListModel):
    """The cards, one row each; the text shown is the title and the trimmed teaser."""

    CardRole = Qt.ItemDataRole.UserRole + 1
    TeaserRole = Qt.ItemDataRole.UserRole + 2
    ProblemRole = Qt.ItemDataRole.UserRole + 3
    UrlRole = Qt.ItemDataRole.UserRole + 4  # where the card links to, shown under its title

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cards: list[RelatedCard] = []
        # One picture per card, made when the cards or the folder change: painting never
        # touches the disk (a stat per card per paint before).
        self._thumbnails: list[QPixmap] = []
        self.teaser_length = DEFAULT_TEASER_LENGTH
        self.base_dir: Path | None = None

    def cards(self) -> list[RelatedCard]:
        return [dataclasses.replace(card) for card in self._cards]

    def set_cards(self, cards: list[RelatedCard], base_dir: Path | None = None) -> None:
        """Show ``cards``, their images found relative to ``base_dir`` (the article's folder).

        Each image file is looked at once here (its thumbnail is cached by path and
        modification time), not on every paint.
        """
        thumbnails = [thumbnail(card.image, base_dir) for card in cards]
        if cards == self._cards and base_dir == self.base_dir and all(
                new.cacheKey() == old.cacheKey()
                for new, old in zip(thumbnails, self._thumbnails, strict=True)):
            return
        self.base_dir = base_dir
        if len(cards) == len(self._cards) and cards:
            self._cards = [dataclasses.replace(card) for card in cards]
            self._thumbnails = thumbnails
            self.dataChanged.emit(self.index(0), self.index(len(cards) - 1))
            return
        self.beginResetModel()
        self._cards = [dataclasses.replace(card) for card in cards]
        self._thumbnails = thumbnails
        self.endResetModel()

    def refresh_all(self) -> None:
        if self._cards:
            self.dataChanged.emit(self.index(0), self.index(len(self._cards) - 1))

    def card(self, index: ModelIndex) -> RelatedCard | None:
        if not index.isValid() or not 0 <= index.row() < len(self._cards):
            return None
        return self._cards[index.row()]

    def rowCount(self, parent: ModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._cards)

    def teaser(self, card: RelatedCard) -> str:
        return trim_text(card.teaser, self.teaser_length) if card.teaser else ""

    def problem(self, card: RelatedCard) -> str:
        problems = card_problems(card)
        return problems[0].message if problems else ""

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        card = self.card(index)
        if card is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return "\n".join(part for part in (card.title or "(untitled)", self.teaser(card))
                             if part)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [card.title, card.url or "No URL yet"]
            if card.image:
                lines.append(f"Image: {card.image}")
                lines.append(f"Alt text: {card.image_alt}" if card.image_alt
                             else "⚠ The image has no alt text")
            return "\n".join(line for line in lines if line)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._thumbnails[index.row()]
        if role == self.UrlRole:
            return card.url or "No URL yet"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{card.title}. {card.url or 'No URL yet'}. {self.teaser(card)}"
        if role == self.CardRole:
            return dataclasses.replace(card)
        if role == self.TeaserRole:
            return self.teaser(card)
        if role == self.ProblemRole:
            return self.problem(card)
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled)

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def mimeTypes(self) -> list[str]:
        return [CARD_MIME_TYPE, "text/uri-list", "text/plain"]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        mime = QMimeData()
        rows = sorted({index.row() for index in indexes if index.isValid()})
        if rows:
            mime.setData(CARD_MIME_TYPE, QByteArray(str(rows[0]).encode()))
            card = self._cards[rows[0]]
            mime.setText(card.url or card.title)
        return mime


def card_row(mime: QMimeData) -> int | None:
    """The row a card dragged within the list came from."""
    if not mime.hasFormat(CARD_MIME_TYPE):
        return None
    try:
        return int(bytes(mime.data(CARD_MIME_TYPE).data()).decode())
    except ValueError:
        return None


class CardDelegate(QStyledItemDelegate):
    """A card as a row: thumbnail, title in bold, the trimmed teaser, and any problem."""

    PADDING = 6

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        width = max(160, option.rect.width() or 260)
        text_width = width - THUMBNAIL_SIZE - 3 * self.PADDING
        bold = QFont(option.font)
        bold.setBold(True)
        height = QFontMetrics(bold).boundingRect(
            QRect(0, 0, text_width, 1000), Qt.TextFlag.TextWordWrap,
            index.data(Qt.ItemDataRole.DisplayRole).split("\n")[0]).height()
        teaser = index.data(CardsModel.TeaserRole)
        small = QFont(option.font)
        small.setPointSizeF(max(6.0, option.font.pointSizeF() * 0.9))
        height += QFontMetrics(small).height() + 2  # the URL, on one line
        if teaser:
            height += QFontMetrics(small).boundingRect(
                QRect(0, 0, text_width, 1000), Qt.TextFlag.TextWordWrap, teaser).height() + 2
        if index.data(CardsModel.ProblemRole):
            height += QFontMetrics(small).height() + 2
        return QSize(width, max(THUMBNAIL_SIZE, height) + 2 * self.PADDING)

    def paint(self, painter, option: QStyleOptionViewItem, index: ModelIndex) -> None:  # type: ignore[no-untyped-def]
        style = option.widget.style() if option.widget else None
        background = QStyleOptionViewItem(option)
        self.initStyleOption(background, index)
        background.text = ""
        background.icon = QIcon()
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, background, painter,
                              option.widget)
        painter.save()
        rect = option.rect.adjusted(self.PADDING, self.PADDING, -self.PADDING, -self.PADDING)
        pixmap = index.data(Qt.ItemDataRole.DecorationRole)
        if pixmap is not None:
            painter.drawPixmap(rect.left(), rect.top(), pixmap)
        text_rect = rect.adjusted(THUMBNAIL_SIZE + self.PADDING, 0, 0, 0)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = (QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        painter.setPen(option.palette.color(role))
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        title = index.data(Qt.ItemDataRole.DisplayRole).split("\n")[0]
        used = painter.boundingRect(text_rect, Qt.TextFlag.TextWordWrap, title)
        painter.drawText(text_rect, Qt.TextFlag.TextWordWrap, title)
        top = used.bottom() + 2
        small = QFont(option.font)
        small.setPointSizeF(max(6.0, option.font.pointSizeF() * 0.9))
        painter.setFont(small)
        url = QFontMetrics(small).elidedText(index.data(CardsModel.UrlRole),
                                             Qt.TextElideMode.ElideMiddle, text_rect.width())
        if not selected:
            painter.setPen(option.palette.color(QPalette.ColorRole.Link))
        painter.drawText(QRect(text_rect.left(), top, text_rect.width(),
                               QFontMetrics(small).height()), Qt.AlignmentFlag.AlignLeft, url)
        top += QFontMetrics(small).height() + 2
        painter.setPen(option.palette.color(role))
        teaser = index.data(CardsModel.TeaserRole)
        if teaser:
            teaser_rect = QRect(text_rect.left(), top, text_rect.width(), rect.bottom() - top)
            if not selected:
                painter.setPen(option.palette.color(QPalette.ColorRole.PlaceholderText))
            used = painter.boundingRect(teaser_rect, Qt.TextFlag.TextWordWrap, teaser)
            painter.drawText(teaser_rect, Qt.TextFlag.TextWordWrap, teaser)
            top = used.bottom() + 2
        problem = index.data(CardsModel.ProblemRole)
        if problem:
            painter.setPen(option.palette.color(role) if selected else Qt.GlobalColor.darkRed)
            painter.drawText(QRect(text_rect.left(), top, text_rect.width(),
                                   rect.bottom() - top + self.PADDING),
                             Qt.AlignmentFlag.AlignLeft, f"⚠ {problem}")
        painter.restore()


class CardListView(QListView):
    """The card list: drag a card to reorder; drop a link or an image to start a new card."""

    move_requested = Signal(int, int)  # from row, to row (before the card now at that row)
    external_drop = Signal(QMimeData)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setWordWrap(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(False)

    def _accepts(self, mime: QMimeData) -> bool:
        return card_row(mime) is not None or new_card_from_mime(mime, None) is not None

    def dragEnterEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if card_row(event.mimeData()) is not None:
            super().dragEnterEvent(event)
            event.acceptProposedAction()
        elif self._accepts(event.mimeData()):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if card_row(event.mimeData()) is not None:
            super().dragMoveEvent(event)
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        elif self._accepts(event.mimeData()):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def drop_row(self, y: int) -> int:
        """The row a card dropped at height ``y`` goes before."""
        index = self.indexAt(QPoint(4, y))
        if not index.isValid():
            return self.model().rowCount()
        rect = self.visualRect(index)
        return index.row() + (1 if y > rect.center().y() else 0)

    def dropEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        mime = event.mimeData()
        source = card_row(mime)
        if source is not None:
            target = self.drop_row(int(event.position().y()))
            # Copy, so that the view does not remove the dragged row itself afterwards.
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            self.move_requested.emit(source, target)
        elif self._accepts(mime):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            self.external_drop.emit(mime)
        else:
            event.ignore()
        self.setState(QAbstractItemView.State.NoState)
        self.viewport().update()


class _DropArea(QWidget):
    """The rest of the panel takes the same drops as the list."""

    dropped = Signal(QMimeData)

    def __init__(self) -> None:
        super().__init__()
        self.setAcceptDrops(True)

    def dragEnterEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if new_card_from_mime(event.mimeData(), None) is not None:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if new_card_from_mime(event.mimeData(), None) is not None:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            self.dropped.emit(event.mimeData())
        else:
            event.ignore()


def new_card_from_mime(mime: QMimeData, base_dir: Path | None) -> RelatedCard | None:
    """A card started from a dropped web link or image file; None if nothing usable."""
    story = card_from_mime(mime)  # a story dragged from the Library dock: a whole card
    if story is not None:
        return story
    urls = [url for url in mime.urls() if url.isValid()] if mime.hasUrls() else []
    text = mime.text().strip() if mime.hasText() else ""
    if not urls and text and "\n" not in text and is_web_url(text):
        urls = [QUrl(text)]
    for url in urls:
        if url.isLocalFile():
            path = url.toLocalFile()
            if looks_like_image(path):
                return RelatedCard(image=relative_to(Path(path), base_dir))
            continue
        address = url.toString()
        if not is_web_url(address):
            continue
        if looks_like_image(url.path()):
            return RelatedCard(image=address)
        title = text if text and not is_web_url(text) and "\n" not in text else ""
        return RelatedCard(title=title, url=address)
    return None


class RelatedPanel(DocumentDock):
    """The current tab's related-story cards and the block's heading."""

    follows_body = False
    # From a card's spell check: the word goes in the personal dictionary, or the article's list.
    add_to_dictionary = Signal(str)
    ignore_in_article = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Related stories", "RelatedPanel", parent)
        self.model = CardsModel(self)
        # Which spell checker the current document uses (the window knows its tabs).
        self.spell_checker_for: Callable[[ArticleDocument], SpellChecker | None] = \
            lambda _document: None
        # Replaced in tests: how the panel asks the writer to fill in a card.
        self.edit_card: EditCard = self._edit_with_dialog

        self.heading_edit = QLineEdit()
        self.heading_edit.setObjectName("relatedHeading")
        self.heading_edit.setPlaceholderText(DEFAULT_RELATED_HEADING)
        self.heading_edit.setToolTip("The heading of the related block on the page")
        self.heading_edit.editingFinished.connect(self._commit_heading)
        self._heading_of: ArticleDocument | None = None  # whose heading the field shows

        self.view = CardListView()
        self.view.setObjectName("RelatedCards")
        self.view.setModel(self.model)
        self.view.setItemDelegate(CardDelegate(self.view))
        self.view.setAccessibleName("Related story cards")
        self.view.move_requested.connect(self.move_card)
        self.view.external_drop.connect(self.start_card_from_drop)
        self.view.doubleClicked.connect(lambda index: self.edit_selected())
        self.view.selectionModel().currentChanged.connect(self._update_actions)

        self.hint_label = QLabel("Drop a link or an image here to start a card.")
        self.hint_label.setObjectName("dropHint")
        self.hint_label.setWordWrap(True)
        self.hint_label.setEnabled(False)

        self.add_action = self._action("Add", "Insert", "Add a card", self.add_card)
        self.edit_action = self._action("Edit", "F2", "Edit the selected card",
                                        self.edit_selected)
        self.duplicate_action = self._action("Duplicate", "Ctrl+D", "Duplicate the selected card",
                                             self.duplicate_selected)
        self.delete_action = self._action("Delete", "Delete", "Delete the selected card",
                                          self.delete_selected)
        self.move_up_action = self._action("Up", "Alt+Up", "Move the card up",
                                           lambda: self._move_selected(-1))
        self.move_down_action = self._action("Down", "Alt+Down", "Move the card down",
                                             lambda: self._move_selected(1))
        buttons = QHBoxLayout()
        self.buttons: dict[str, QToolButton] = {}
        for action in (self.add_action, self.edit_action, self.duplicate_action,
                       self.delete_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setObjectName(f"{action.text().lower()}Button")
            self.buttons[action.text()] = button
            buttons.addWidget(button)
        buttons.addStretch(1)

        heading_row = QFormLayout()
        heading_row.addRow("&Heading:", self.heading_edit)
        container = _DropArea()
        container.dropped.connect(self.start_card_from_drop)
        layout = QVBoxLayout(container)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(heading_row)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.hint_label)
        self.setWidget(container)
        self.refresh()

    def _action(self, text: str, shortcut: str, tip: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({keys})")
        action.triggered.connect(slot)
        # Card actions act on the list's selection, so their keys work in the list only.
        (self.addAction if text == "Add" else self.view.addAction)(action)
        return action

    # -- settings ----------------------------------------------------------------------------
    def teaser_length(self) -> int:
        return self.model.teaser_length

    def set_teaser_length(self, length: int) -> None:
        """How many characters of a teaser the cards show before "…"."""
        self.model.teaser_length = max(10, length)
        self.model.refresh_all()
        self.view.doItemsLayout()

    # -- following the document ------------------------------------------------------------
    def set_document(self, document: ArticleDocument | None) -> None:
        if document is not self.document():
            self._commit_heading()  # an edit belongs to the document it started in
        super().set_document(document)

    def _signals(self, document: ArticleDocument) -> list[tuple[SignalInstance, Callable[..., None]]]:
        # Saved to another folder: the cards' images are found from there now.
        return [*super()._signals(document), (document.path_changed, self._schedule_refresh)]

    def refresh(self) -> None:
        document = self.document()
        metadata = document.metadata() if document is not None else None
        where = (document.path or document.imported_from) if document is not None else None
        self.model.set_cards(metadata.related if metadata is not None else [],
                             where.parent if where is not None else None)
        if not self.heading_edit.hasFocus() or document is not self._heading_of:
            self.heading_edit.setText(metadata.related_heading if metadata is not None else "")
            self._heading_of = document
        self.heading_edit.setEnabled(document is not None)
        self.setEnabled(True)
        self._update_actions()

    def _update_actions(self) -> None:
        has_document = self.document() is not None
        selected = self.selected_row() is not None
        self.add_action.setEnabled(has_document)
        for action in (self.edit_action, self.duplicate_action, self.delete_action,
                       self.move_up_action, self.move_down_action):
            action.setEnabled(has_document and selected)

    def cards(self) -> list[RelatedCard]:
        return self.model.cards()

    def selected_row(self) -> int | None:
        index = self.view.currentIndex()
        return index.row() if index.isValid() else None

    def rows(self) -> list[str]:
        """The cards as shown: title and trimmed teaser."""
        return [self.model.index(row).data() for row in range(self.model.rowCount())]

    # -- changing the cards ----------------------------------------------------------------
    def _set_cards(self, cards: list[RelatedCard], label: str, select: int | None) -> None:
        document = self.document()
        if document is None:
            return
        document.set_related(cards, label=label)
        self.refresh_now()
        if select is not None and 0 <= select < self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(select))

    def _commit_heading(self) -> None:
        document = self.document()
        if document is None or document is not self._heading_of:
            return
        heading = " ".join(self.heading_edit.text().split())
        metadata = document.metadata()
        if heading != metadata.related_heading:
            document.set_related(metadata.related, heading=heading,
                                 label="Rename the related block")

    def card_dialog(self, card: RelatedCard, title: str) -> CardDialog:
        """The card form, its title, alt text and teaser spell-checked like the article."""
        dialog = CardDialog(card, self.model.base_dir, title, self)
        document = self.document()
        checker = self.spell_checker_for(document) if document is not None else None
        if checker is not None:
            spelling = FieldSpelling(dialog.spelled_fields(), dialog.set_field, lambda: None,
                                     dialog, names=CardDialog.SPELLED_FIELDS)
            spelling.set_checker(checker)
            spelling.add_to_dictionary.connect(self.add_to_dictionary)
            spelling.ignore_in_article.connect(self.ignore_in_article)
        return dialog

    def _edit_with_dialog(self, card: RelatedCard, title: str) -> RelatedCard | None:
        dialog = self.card_dialog(card, title)
        try:
            return dialog.card() if dialog.exec() == CardDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def add_card(self, card: RelatedCard | None = None) -> None:
        """Open the form for a new card (prefilled with ``card``); add it at the end."""
        if self.document() is None:
            return
        result = self.edit_card(card or RelatedCard(), "New related story")
        if result is not None:
            cards = [*self.cards(), result]
            self._set_cards(cards, "Add a related story", len(cards) - 1)

    def edit_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        cards = self.cards()
        result = self.edit_card(cards[row], "Edit related story")
        if result is not None and result != cards[row]:
            cards[row] = result
            self._set_cards(cards, "Edit a related story", row)

    def duplicate_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        cards = self.cards()
        cards.insert(row + 1, dataclasses.replace(cards[row]))
        self._set_cards(cards, "Duplicate a related story", row + 1)

    def delete_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        cards = self.cards()
        del cards[row]
        self._set_cards(cards, "Delete a related story", min(row, len(cards) - 1))

    def move_card(self, source: int, target: int) -> None:
        """Move the card at ``source`` to stand before the card now at ``target``."""
        cards = self.cards()
        if not 0 <= source < len(cards) or target in (source, source + 1):
            return
        target = max(0, min(target, len(cards)))
        card = cards.pop(source)
        if target > source:
            target -= 1
        cards.insert(target, card)
        self._set_cards(cards, "Reorder related stories", target)

    def _move_selected(self, step: int) -> None:
        row = self.selected_row()
        if row is not None:
            self.move_card(row, row + (2 if step > 0 else -1))

    def start_card_from_drop(self, mime: QMimeData) -> bool:
        """A link or image dropped on the panel: open the form with it filled in."""
        card = new_card_from_mime(mime, self.model.base_dir)
        if card is None or self.document() is None:
            return False
        if card_from_mime(mime) is not None:  # a library story is complete: no form
            cards = [*self.cards(), card]
            self._set_cards(cards, "Add a related story", len(cards) - 1)
            return True
        self.add_card(card)
        return True
