"""The Headings panel: the article's outline (H1–H4), and the actions that reshape it.

The tree is the outline of the document's shared analysis (one per revision); every action is
one of the core's text transforms applied to the document as a single undoable edit. Dragging a row moves its
whole section; where it lands (between siblings, or onto a heading) sets the new level.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QItemSelectionModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QBrush, QFont, QIcon, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from editor.outline import (
    OUTLINE_MAX_LEVEL,
    BodyEdit,
    HeadingCheck,
    Outline,
    Section,
    add_section_after,
    can_change_level,
    change_level,
    move_section,
    parse_outline,
    rename_heading,
)
from editor.ui.panels.base import DocumentDock

SECTION_MIME_TYPE = "application/x-article-editor-section"
_ROOT = QModelIndex()

ModelIndex = QModelIndex | QPersistentModelIndex


class HeadingsModel(QAbstractItemModel):
    """The outline as a two-column tree: heading title, and words in its own text.

    Rows are identified by the section's index in document order (the index's internal id),
    so a refresh that keeps the outline's shape updates rows in place and keeps the view's
    selection, expansion and any rename in progress.
    """

    TITLE, WORDS = range(2)
    SectionRole = Qt.ItemDataRole.UserRole + 1
    ChecksRole = Qt.ItemDataRole.UserRole + 2
    LevelRole = Qt.ItemDataRole.UserRole + 3

    rename_requested = Signal(int, str)  # section index, new title
    move_requested = Signal(int, int, int)  # section index, body position, new level

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._outline = Outline([], [], 0)
        self._current: int | None = None
        self._warning_icon: QIcon | None = None

    # -- content -------------------------------------------------------------------------
    @property
    def outline(self) -> Outline:
        return self._outline

    def set_outline(self, outline: Outline) -> bool:
        """Show ``outline``; True if the tree was rebuilt (its rows changed), False if updated."""
        old = self._outline
        same_shape = [(s.level, s.parent.index if s.parent else None) for s in old.sections] == [
            (s.level, s.parent.index if s.parent else None) for s in outline.sections
        ]
        if same_shape and old.sections:
            self._outline = outline
            # Only rows that show something new: each dataChanged makes the view measure the
            # Words column over every row, so one signal per section was quadratic (seconds
            # for a 100,000-word report on every pause in typing).
            changed = [new for before, new in zip(old.sections, outline.sections, strict=True)
                       if _shown(before) != _shown(new)]
            if len(changed) > _ROW_SIGNALS:  # one signal per group of siblings instead
                parents = {id(section.parent): section.parent for section in changed}
                for parent in parents.values():
                    siblings = parent.children if parent is not None else outline.roots
                    self.dataChanged.emit(self.index_of(siblings[0]),
                                          self.index_of(siblings[-1], self.WORDS))
                return False
            for section in changed:
                self.dataChanged.emit(self.index_of(section),
                                      self.index_of(section, self.WORDS))
            return False
        self.beginResetModel()
        self._outline = outline
        if self._current is not None and self._current >= len(outline.sections):
            self._current = None
        self.endResetModel()
        return True

    def set_current(self, section: Section | None) -> None:
        """Mark the section the editor's cursor is in."""
        number = section.index if section is not None else None
        if number == self._current:
            return
        previous, self._current = self._current, number
        for changed in (previous, number):
            if changed is not None and changed < len(self._outline.sections):
                found = self._outline.sections[changed]
                self.dataChanged.emit(self.index_of(found), self.index_of(found, self.WORDS))

    def current(self) -> Section | None:
        if self._current is None or self._current >= len(self._outline.sections):
            return None
        return self._outline.sections[self._current]

    def section(self, index: ModelIndex) -> Section | None:
        if not index.isValid() or index.internalId() >= len(self._outline.sections):
            return None
        return self._outline.sections[index.internalId()]

    def index_of(self, section: Section, column: int = 0) -> QModelIndex:
        return self.createIndex(self._outline.row_of(section), column, section.index)

    # -- QAbstractItemModel --------------------------------------------------------------
    def index(self, row: int, column: int, parent: ModelIndex = _ROOT) -> QModelIndex:
        siblings = self._children(parent)
        if siblings is None or not 0 <= row < len(siblings) or not 0 <= column < 2:
            return QModelIndex()
        return self.createIndex(row, column, siblings[row].index)

    def parent(self, index: ModelIndex | None = None):  # type: ignore[override]
        if index is None:  # QObject.parent()
            return super().parent()
        section = self.section(index)
        if section is None or section.parent is None:
            return QModelIndex()
        return self.index_of(section.parent)

    def rowCount(self, parent: ModelIndex = _ROOT) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        siblings = self._children(parent)
        return len(siblings) if siblings is not None else 0

    def columnCount(self, parent: ModelIndex = _ROOT) -> int:
        return 2

    def _children(self, parent: ModelIndex) -> list[Section] | None:
        if not parent.isValid():
            return self._outline.roots
        section = self.section(parent)
        return section.children if section is not None else None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ("Heading", "Words")[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        section = self.section(index)
        if section is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == self.TITLE:
                return section.title if role == Qt.ItemDataRole.EditRole else (
                    section.title or "(untitled)")
            return str(section.words)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"H{section.level} · line {section.line} · {section.words} words"
                     + (f" ({section.total_words} with subsections)"
                        if section.children else "")]
            lines += [f"⚠ {check.message}" for check in _ordered(section.checks)]
            return "\n".join(lines)
        if role == Qt.ItemDataRole.DecorationRole and column == self.TITLE and section.checks:
            return self._warning()
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.WORDS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and section.index == self._current:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and section.index == self._current:
            return QBrush(QPalette().color(QPalette.ColorRole.AlternateBase).darker(108))
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return "; ".join(check.message for check in _ordered(section.checks))
        if role == self.SectionRole:
            return section.index
        if role == self.ChecksRole:
            return frozenset(section.checks)
        if role == self.LevelRole:
            return section.level
        return None

    def _warning(self):  # type: ignore[no-untyped-def]
        if self._warning_icon is None:
            self._warning_icon = QApplication.style().standardIcon(
                QStyle.StandardPixmap.SP_MessageBoxWarning)
        return self._warning_icon

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        flags = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                 | Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled)
        if index.column() == self.TITLE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: ModelIndex, value: object,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        section = self.section(index)
        if section is None or role != Qt.ItemDataRole.EditRole or index.column() != self.TITLE:
            return False
        title = " ".join(str(value).split())
        if not title or title == section.title:
            return False
        self.rename_requested.emit(section.index, title)
        return True

    # -- drag and drop: a row carries its section; the drop becomes a move in the text -----
    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [SECTION_MIME_TYPE]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        mime = QMimeData()
        sections = [self.section(index) for index in indexes if index.isValid()]
        if sections and sections[0] is not None:
            mime.setData(SECTION_MIME_TYPE, QByteArray(str(sections[0].index).encode()))
        return mime

    def drop_target(self, mime: QMimeData, row: int,
                    parent: ModelIndex) -> tuple[Section, int, int] | None:
        """Where a dropped section would go: (section, body position, new level), or None."""
        if not mime.hasFormat(SECTION_MIME_TYPE):
            return None
        try:
            number = int(bytes(mime.data(SECTION_MIME_TYPE).data()).decode())
        except ValueError:
            return None
        if not 0 <= number < len(self._outline.sections):
            return None
        moved = self._outline.sections[number]
        target_parent = self.section(parent)
        ancestor = target_parent
        while ancestor is not None:  # never into its own subtree
            if ancestor is moved:
                return None
            ancestor = ancestor.parent
        siblings = target_parent.children if target_parent is not None else self._outline.roots
        if 0 <= row < len(siblings):
            position, level = siblings[row].start, siblings[row].level
        else:
            position = target_parent.end if target_parent is not None else self._outline.length
            if target_parent is not None:
                level = siblings[-1].level if siblings else target_parent.level + 1
            else:
                level = siblings[-1].level if siblings else moved.level
        depth = max(s.level for s in self._outline.sections
                    if moved.start <= s.start < moved.end) - moved.level
        if not 1 <= level <= OUTLINE_MAX_LEVEL or level + depth > OUTLINE_MAX_LEVEL:
            return None
        if moved.start <= position <= moved.end and level == moved.level:
            return None
        if moved.start < position < moved.end:
            return None
        return moved, position, level

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: ModelIndex) -> bool:
        return self.drop_target(data, row, parent) is not None

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: ModelIndex) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return True
        target = self.drop_target(data, row, parent)
        if target is None:
            return False
        moved, position, level = target
        self.move_requested.emit(moved.index, position, level)
        # The rows are rebuilt from the new text; the view must not remove the dragged row.
        return False


def _ordered(checks: set[HeadingCheck]) -> list[HeadingCheck]:
    return [check for check in HeadingCheck if check in checks]


# Above this many changed rows, set_outline signals whole groups of siblings instead.
_ROW_SIGNALS = 8
# Room either side of a number in the Words column.
_CELL_MARGIN = 8


def _shown(section: Section) -> tuple[object, ...]:
    """What a row shows of its section (text, tooltip, icon): a row changes when this does."""
    return (section.title, section.level, section.line, section.words, section.total_words,
            frozenset(section.checks))


class HeadingsView(QTreeView):
    """The outline tree: Enter jumps to a heading, as a click does."""

    jump_to = Signal(QModelIndex)

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and self.state() != QAbstractItemView.State.EditingState
                and self.currentIndex().isValid()):
            self.jump_to.emit(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)


class HeadingsPanel(DocumentDock):
    """The dock showing the outline of the current tab's body."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Headings", "HeadingsPanel", parent)
        self.model = HeadingsModel(self)
        self.model.rename_requested.connect(self._rename)
        self.model.move_requested.connect(self._move)
        self._cursor_position = 0
        self._revision = -1  # of the document, that the rows show

        self.view = HeadingsView()
        self.view.setObjectName("HeadingsTree")
        self.view.setModel(self.model)
        self.view.setHeaderHidden(False)
        self.view.setUniformRowHeights(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDropIndicatorShown(True)
        self.view.setAccessibleName("Outline of the article's headings")
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(HeadingsModel.TITLE, QHeaderView.ResizeMode.Stretch)
        # Sized from the largest count on each refresh (_fit_words_column): sized to its
        # contents, the column was measured over every row at each change of a row.
        header.setSectionResizeMode(HeadingsModel.WORDS, QHeaderView.ResizeMode.Fixed)
        self.view.selectionModel().currentChanged.connect(self._update_actions)
        self.view.clicked.connect(self._jump_keeping_focus)
        self.view.jump_to.connect(self._jump_to_index)

        self.toolbar = QToolBar("Heading actions")
        self.toolbar.setObjectName("HeadingsToolbar")
        # Arrows for the four moves keep the bar narrow; a button without an icon shows its text.
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        arrow = QStyle.StandardPixmap
        self.promote_action = self._action("Promote", "Alt+Left",
                                           "Promote: raise the heading and its subsections a level",
                                           lambda: self.change_level(-1), arrow.SP_ArrowLeft)
        self.demote_action = self._action("Demote", "Alt+Right",
                                          "Demote: lower the heading and its subsections a level",
                                          lambda: self.change_level(1), arrow.SP_ArrowRight)
        self.move_up_action = self._action("Up", "Alt+Up", "Move the section before the previous",
                                           lambda: self.move_by(-1), arrow.SP_ArrowUp)
        self.move_down_action = self._action("Down", "Alt+Down", "Move the section after the next",
                                             lambda: self.move_by(1), arrow.SP_ArrowDown)
        self.rename_action = self._action("Rename", QKeySequence(Qt.Key.Key_F2),
                                          "Rename the heading", self.start_rename, toolbar=False)
        self.toolbar.addSeparator()
        self.add_action = self._action("Add section", "Ctrl+Shift+H",
                                       "Add a section after the current one", self.add_section)

        container = QWidget()
        layout = QVBoxLayout(container)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.view)
        self.setWidget(container)
        self.refresh()

    def _action(self, text: str, shortcut: str | QKeySequence, tip: str,
                slot: Callable[[], None], icon: QStyle.StandardPixmap | None = None,
                toolbar: bool = True) -> QAction:
        action = QAction(text, self)
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        keys = QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({keys})")
        action.triggered.connect(slot)
        self.addAction(action)
        if toolbar:
            self.toolbar.addAction(action)
        return action

    # -- following the document and the cursor ------------------------------------------
    def refresh(self) -> None:
        document = self.document()
        if document is not None:
            analysis = document.analysis
            outline, self._revision = analysis.latest().outline, analysis.revision
        else:
            outline, self._revision = parse_outline(""), -1
        if self.model.set_outline(outline):  # rows kept in place keep their expansion
            self.view.expandAll()
        self._fit_words_column()
        self._mark_current()
        self._update_actions()

    def _fit_words_column(self) -> None:
        widest = max((section.words for section in self.model.outline.sections), default=0)
        header = self.view.header()
        metrics = header.fontMetrics()
        width = max(metrics.horizontalAdvance(f"{widest}0"), metrics.horizontalAdvance("Words")
                    ) + 2 * _CELL_MARGIN
        if header.sectionSize(HeadingsModel.WORDS) != width:
            header.resizeSection(HeadingsModel.WORDS, width)

    def set_cursor_position(self, position: int) -> None:
        """The editor's cursor moved: highlight the section it is in."""
        self._cursor_position = position
        self._mark_current()
        self._update_actions()

    def _mark_current(self) -> None:
        section = self.model.outline.section_at(self._cursor_position)
        self.model.set_current(section)
        if section is None and not self.view.hasFocus():
            # In the introduction: no section is the cursor's, none stays highlighted.
            self.view.selectionModel().clear()
        if section is not None and not self.view.hasFocus():
            index = self.model.index_of(section)
            if self.view.currentIndex() != index:
                self.view.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
            self.view.scrollTo(index)

    def current_section(self) -> Section | None:
        """The section the actions apply to: the selected row, else the cursor's section."""
        section = self.model.section(self.view.currentIndex())
        return section if section is not None else self.model.current()

    def _update_actions(self) -> None:
        section = self.current_section()
        outline = self.model.outline
        has_document = self.document() is not None
        self.promote_action.setEnabled(
            section is not None and can_change_level(outline, section, -1))
        self.demote_action.setEnabled(
            section is not None and can_change_level(outline, section, 1))
        self.rename_action.setEnabled(section is not None)
        self.move_up_action.setEnabled(section is not None and self._sibling(section, -1)
                                       is not None)
        self.move_down_action.setEnabled(section is not None and self._sibling(section, 1)
                                         is not None)
        self.add_action.setEnabled(has_document)

    def _sibling(self, section: Section, step: int) -> Section | None:
        siblings = section.parent.children if section.parent else self.model.outline.roots
        row = self.model.outline.row_of(section) + step
        return siblings[row] if 0 <= row < len(siblings) else None

    def _jump_keeping_focus(self, index: QModelIndex) -> None:
        """A click shows the section in the editor and leaves the keys with the panel, so
        the moves its buttons advertise (Alt+Up/Down…) apply to the clicked heading."""
        self._jump_to_index(index)
        self.view.setFocus()

    def _jump_to_index(self, index: QModelIndex) -> None:
        section = self.model.section(index)
        if section is not None:
            self.jump_requested.emit(section.start)

    # -- actions -------------------------------------------------------------------------
    def _catch_up(self) -> bool:
        """Make the rows show the text as it is now; False if they were behind it.

        An action works out its edit from a row's offsets: on rows a revision behind (typing
        within the pause before a refresh) they would land in the wrong place.
        """
        document = self.document()
        if document is None or self._revision == document.revision:
            return True
        self.refresh_now()
        return False

    def _apply(self, edit: BodyEdit, label: str) -> None:
        document = self.document()
        if document is None:
            return
        document.replace_body_range(edit.start, edit.end, edit.text, label)
        self._cursor_position = edit.selection[0]
        self._catch_up()
        section = self.model.outline.section_at(edit.selection[0])
        if section is not None:
            self.view.setCurrentIndex(self.model.index_of(section))
        self.jump_requested.emit(edit.selection[0])

    def _section_by_index(self, number: int) -> Section | None:
        sections = self.model.outline.sections
        return sections[number] if 0 <= number < len(sections) else None

    def _as_now(self, section: Section | None) -> Section | None:
        """``section`` in the outline of the text as it is now; None if it is gone.

        Rows a revision behind are caught up first; the section is then the one heading of the
        same level and title (by its place when there are several).
        """
        if section is None or self._catch_up():
            return section
        same = [s for s in self.model.outline.sections
                if (s.level, s.title) == (section.level, section.title)]
        found = same[0] if len(same) == 1 else self._section_by_index(section.index)
        if found is None or found not in same:
            return None
        self.view.setCurrentIndex(self.model.index_of(found))
        return found

    def _rename(self, number: int, title: str) -> None:
        document, section = self.document(), self._as_now(self._section_by_index(number))
        if document is not None and section is not None:
            self._apply(rename_heading(document.body(), section, title), "Rename Heading")

    def _move(self, number: int, position: int, level: int) -> None:
        document, section = self.document(), self._section_by_index(number)
        if document is None or section is None or not self._catch_up():
            return  # a drop aimed at rows that no longer match the text is not guessed at
        edit = move_section(document.body(), section, position, level)
        if edit is not None:
            self._apply(edit, "Move Section")

    def start_rename(self) -> None:
        section = self._as_now(self.current_section())
        if section is not None:
            index = self.model.index_of(section)
            self.view.setCurrentIndex(index)
            self.view.setFocus()
            self.view.edit(index)

    def change_level(self, delta: int) -> None:
        document, section = self.document(), self._as_now(self.current_section())
        if document is None or section is None:
            return
        if not can_change_level(self.model.outline, section, delta):
            return
        self._apply(change_level(document.body(), section, delta),
                    "Promote Section" if delta < 0 else "Demote Section")

    def move_by(self, step: int) -> None:
        """Move the current section before the previous sibling or after the next one."""
        document, section = self.document(), self._as_now(self.current_section())
        if document is None or section is None:
            return
        sibling = self._sibling(section, step)
        if sibling is None:
            return
        position = sibling.start if step < 0 else sibling.end
        edit = move_section(document.body(), section, position)
        if edit is not None:
            self._apply(edit, "Move Section")

    def add_section(self) -> None:
        """A new section after the current one; its title opens for renaming."""
        document, current = self.document(), self.current_section()
        if document is None:
            return
        after = self._as_now(current)
        if current is not None and after is None:
            return  # the section it was to follow is gone
        edit = add_section_after(document.body(), after)
        self._apply(edit, "Add Section")
        section = self.model.outline.section_at(edit.selection[0])
        if section is not None:
            index = self.model.index_of(section)
            self.view.setCurrentIndex(index)
            self.view.setFocus()
            self.view.edit(index)

    def rows(self) -> list[tuple[int, str, int, list[str]]]:
        """What the panel shows, row by row: (level, title, words, check messages)."""
        return [(s.level, s.title, s.words, [c.message for c in _ordered(s.checks)])
                for s in self.model.outline.sections]
