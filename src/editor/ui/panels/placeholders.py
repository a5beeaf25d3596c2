"""The Placeholders panel: what is still to be filled in, in document order, and resolving it.

The list is the document's shared analysis (:func:`editor.placeholders.find_placeholders`, the
same list the export checks before it writes a page), so the count here is the count the export
will refuse on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from editor.model import RelatedCard
from editor.placeholders import Placeholder, PlaceholderKind
from editor.resolve import Resolution, next_unresolved, resolve, resolve_on_words
from editor.ui.panels.base import DocumentDock
from editor.ui.panels.resolve_dialog import ResolveAnswer, ResolveChoice, ResolveDialog

ModelIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

# (placeholder, body, related cards, more to come) -> the writer's answer
AskResolution = Callable[[Placeholder, str, list[RelatedCard], bool], ResolveAnswer]


def kind_text(item: Placeholder) -> str:
    """What the first column says: the token a writer made up, else the kind's name."""
    return item.token if item.kind is PlaceholderKind.TOKEN else item.kind.label


class PlaceholdersModel(QAbstractTableModel):
    """One row per placeholder: what it is, its line, and the sentence around it."""

    KIND, LINE, CONTEXT = range(3)
    PlaceholderRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[Placeholder] = []

    @property
    def placeholders(self) -> list[Placeholder]:
        return list(self._items)

    def set_placeholders(self, items: Sequence[Placeholder]) -> None:
        if [(p.kind, p.token) for p in items] == [(p.kind, p.token) for p in self._items] \
                and items:
            # Same rows: update in place, keep the selection, and signal only the rows that
            # show something new (each signal makes the view measure its columns again).
            old, self._items = self._items, list(items)
            changed = [row for row, (before, now) in enumerate(zip(old, items, strict=True))
                       if (before.line, before.column, before.context)
                       != (now.line, now.column, now.context)]
            if changed:
                self.dataChanged.emit(self.index(changed[0], 0), self.index(changed[-1], 2))
            return
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def placeholder(self, index: ModelIndex) -> Placeholder | None:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        return self._items[index.row()]

    def rowCount(self, parent: ModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: ModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ("Placeholder", "Line", "Context")[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        item = self.placeholder(index)
        if item is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.KIND:
                return kind_text(item)
            if column == self.LINE:
                return str(item.line)
            return item.context
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{item.token} — {item.kind.label}, line {item.line}, column {item.column}" + (
                f"\n“{item.context}”" if item.context else "")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.LINE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.PlaceholderRole:
            return item
        return None


class PlaceholdersView(QTreeView):
    """Enter jumps to the placeholder, as a click does."""

    jump_to = Signal(QModelIndex)

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.jump_to.emit(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)


class PlaceholdersPanel(DocumentDock):
    """Every placeholder of the current tab, jump to it, resolve it."""

    count_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Placeholders", "PlaceholdersPanel", parent)
        self.model = PlaceholdersModel(self)
        self._count = -1
        self._revision = -1  # of the document, that the rows show
        self._resolved_to = 0  # where the last resolution's text ends
        # Replaced in tests: how the panel asks the writer for a resolution.
        self.ask_resolution: AskResolution = self._ask_with_dialog
        # Stories the library suggests for a placeholder, offered before the related cards
        # (the window wires it to the Library dock).
        self.suggested_cards: Callable[[Placeholder], list[RelatedCard]] = lambda _: []

        self.count_label = QLabel()
        self.count_label.setObjectName("placeholderCount")

        self.view = PlaceholdersView()
        self.view.setObjectName("PlaceholdersList")
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAccessibleName("Unresolved placeholders")
        # The context is the sentence leading up to the placeholder: keep its end in view.
        self.view.setTextElideMode(Qt.TextElideMode.ElideLeft)
        header = self.view.header()
        header.setStretchLastSection(True)
        for column in (PlaceholdersModel.KIND, PlaceholdersModel.LINE):  # see _fit_columns
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        self.view.clicked.connect(self._jump_to_index)
        self.view.jump_to.connect(self._jump_to_index)
        self.view.doubleClicked.connect(lambda index: self.resolve_selected())
        self.view.selectionModel().currentChanged.connect(self._update_actions)

        self.resolve_button = QPushButton("&Resolve…")
        self.resolve_button.setObjectName("resolveButton")
        self.resolve_button.setToolTip("Replace the selected placeholder with a link or text")
        self.resolve_button.clicked.connect(self.resolve_selected)
        self.kind_box = QComboBox()
        self.kind_box.setObjectName("kindBox")
        self.kind_box.setToolTip("Which kind of placeholder to resolve in turn")
        self.resolve_all_button = QPushButton("Resolve &all")
        self.resolve_all_button.setObjectName("resolveAllButton")
        self.resolve_all_button.setToolTip(
            "Resolve every placeholder of the chosen kind, one after another")
        self.resolve_all_button.clicked.connect(lambda: self.resolve_all(self.selected_kind()))

        top = QHBoxLayout()
        top.addWidget(self.count_label, 1)
        top.addWidget(self.resolve_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.kind_box, 1)
        bottom.addWidget(self.resolve_all_button)
        container = QWidget()
        layout = QVBoxLayout(container)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.view)
        layout.addLayout(bottom)
        self.setWidget(container)
        self.refresh()

    # -- following the document ----------------------------------------------------------
    def refresh(self) -> None:
        document = self.document()
        found: Sequence[Placeholder] = ()
        self._revision = -1
        if document is not None:
            found, self._revision = document.analysis.latest().placeholders, document.analysis.revision
        self.model.set_placeholders(found)
        self._fit_columns(found)
        self._update_kinds(found)
        count = len(found)
        if document is None:
            self.count_label.setText("No article open")
        elif count == 0:
            self.count_label.setText("No placeholders left")
        else:
            self.count_label.setText(f"{count} placeholder{'s' if count != 1 else ''} left")
        if count != self._count:
            self._count = count
            self.count_changed.emit(count)
        self._update_actions()

    def _fit_columns(self, found: Sequence[Placeholder]) -> None:
        """The kind and line columns as wide as their widest text, measured on one row for
        each kind's text and on the row with the highest line number.

        Qt's fit to contents measured every row, asking the model for each one's data, every
        time the rows changed: after an edit all the line numbers below it move, and with
        200 placeholders that took 44 ms of the pause after typing.
        """
        kinds: dict[str, int] = {}
        for row, item in enumerate(found):
            kinds.setdefault(kind_text(item), row)
        last = max(range(len(found)), key=lambda row: found[row].line, default=None)
        header = self.view.header()
        for column, rows in ((PlaceholdersModel.KIND, list(kinds.values())),
                             (PlaceholdersModel.LINE, [] if last is None else [last])):
            width = max([header.sectionSizeHint(column)]
                        + [self.view.sizeHintForIndex(self.model.index(row, column)).width()
                           for row in rows])
            if header.sectionSize(column) != width:
                header.resizeSection(column, width)

    def remaining_count(self) -> int:
        """Placeholders still in the body (as of the last refresh)."""
        return max(self._count, 0)

    def _update_kinds(self, found: Sequence[Placeholder]) -> None:
        counts: dict[PlaceholderKind, int] = {}
        for item in found:
            counts[item.kind] = counts.get(item.kind, 0) + 1
        entries = [(f"{kind.label} ({counts[kind]})", kind)
                   for kind in PlaceholderKind if kind in counts]
        shown = [(self.kind_box.itemText(i), self.kind_box.itemData(i))
                 for i in range(self.kind_box.count())]
        if entries == shown:
            return
        current = self.kind_box.currentData()
        self.kind_box.blockSignals(True)
        self.kind_box.clear()
        for text, kind in entries:
            self.kind_box.addItem(text, kind)
        position = self.kind_box.findData(current)
        self.kind_box.setCurrentIndex(max(position, 0))
        self.kind_box.blockSignals(False)

    def _update_actions(self) -> None:
        self.resolve_button.setEnabled(self.model.placeholder(self.view.currentIndex()) is not None)
        self.resolve_all_button.setEnabled(self.kind_box.count() > 0)
        self.kind_box.setEnabled(self.kind_box.count() > 0)

    def selected_kind(self) -> PlaceholderKind | None:
        return self.kind_box.currentData()

    def _jump_to_index(self, index: QModelIndex) -> None:
        item = self.model.placeholder(index)
        if item is not None:
            self.jump_requested.emit(item.start)

    def rows(self) -> list[tuple[str, str, str]]:
        """The rows as shown: (placeholder, line, context)."""
        return [tuple(self.model.index(row, column).data() for column in range(3))  # type: ignore[misc]
                for row in range(self.model.rowCount())]

    # -- resolving -------------------------------------------------------------------------
    def _ask_with_dialog(self, placeholder: Placeholder, body: str, cards: list[RelatedCard],
                         more: bool) -> ResolveAnswer:
        document = self.document()
        folder = document.path.parent if document is not None and document.path else None
        dialog = ResolveDialog(placeholder, body, cards, allow_skip=more, parent=self,
                               base_dir=folder)
        try:
            return dialog.answer(dialog.exec())
        finally:
            dialog.deleteLater()

    def _resolve_one(self, placeholder: Placeholder, more: bool) -> ResolveAnswer | None:
        """Show the placeholder, ask, and apply the answer as one undoable edit."""
        document = self.document()
        if document is None:
            return None
        self.jump_requested.emit(placeholder.start)
        cards = [*self.suggested_cards(placeholder), *document.metadata().related]
        answer = self.ask_resolution(placeholder, document.body(), cards, more)
        if answer.choice is ResolveChoice.RESOLVE:
            body = document.body()
            # the text may have changed while the form was open
            if body[placeholder.start:placeholder.end] != placeholder.token:
                return ResolveAnswer(ResolveChoice.STOP)
            try:
                resolution = _resolution(body, placeholder, answer)
            except ValueError:
                return ResolveAnswer(ResolveChoice.SKIP)
            document.replace_body_range(resolution.start, resolution.end, resolution.text,
                                        _UNDO_LABELS.get(placeholder.kind, "Resolve Placeholder"))
            self._resolved_to = resolution.start + len(resolution.text)
            self.refresh_now()
        return answer

    def resolve_selected(self) -> None:
        item = self.model.placeholder(self.view.currentIndex())
        if item is not None:
            item = self._as_now(item)
        if item is None:
            return
        answer = self._resolve_one(item, more=False)
        if answer is not None and answer.choice is ResolveChoice.RESOLVE:
            self._select_next(self._resolved_to)

    def _select_next(self, position: int) -> None:
        """Select the next unresolved row, so that Resolve… goes on from there."""
        following = next_unresolved(self.model.placeholders, position)
        if following is not None:
            row = self.model.placeholders.index(following)
            self.view.setCurrentIndex(self.model.index(row, 0))
        self._update_actions()

    def _as_now(self, item: Placeholder) -> Placeholder | None:
        """``item`` where it is in the text as it is now, if the rows were a revision behind.

        It is the same placeholder if it is the same occurrence of the same token (the third
        ``[INTERNAL_LINK]``); None when that is gone.
        """
        document = self.document()
        if document is None or self._revision == document.revision:
            return item
        shown = self.model.placeholders
        occurrence = sum(1 for p in shown if p.token == item.token and p.start < item.start)
        self.refresh_now()
        same = [p for p in self.model.placeholders if p.token == item.token]
        if len(same) != sum(1 for p in shown if p.token == item.token):
            return None  # one was added or removed: which is which is a guess
        found = same[occurrence]
        self.view.setCurrentIndex(self.model.index(self.model.placeholders.index(found), 0))
        return found

    def resolve_all(self, kind: PlaceholderKind | None = None) -> int:
        """Resolve the placeholders of ``kind`` in turn, from the top; returns how many."""
        document = self.document()
        if document is None:
            return 0
        position, resolved = 0, 0
        while True:
            found = [p for p in document.analysis.current().placeholders if p.start >= position]
            item = next_unresolved(found, position, kind)
            if item is None:
                break
            more = sum(1 for p in found if kind is None or p.kind is kind) > 1
            answer = self._resolve_one(item, more)
            if answer is None or answer.choice is ResolveChoice.STOP:
                break
            if answer.choice is ResolveChoice.SKIP:
                position = item.end
            else:
                resolved += 1
                position = self._resolved_to
        return resolved


_UNDO_LABELS = {
    PlaceholderKind.INTERNAL_LINK: "Resolve Link",
    PlaceholderKind.EXTERNAL_LINK: "Resolve Link",
    PlaceholderKind.IMAGE: "Resolve Image",
}


def _resolution(body: str, placeholder: Placeholder, answer: ResolveAnswer) -> Resolution:
    if answer.words is not None:
        return resolve_on_words(body, placeholder, answer.url, *answer.words)
    return resolve(placeholder, answer.url, answer.text)

