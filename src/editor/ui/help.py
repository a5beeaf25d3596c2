"""The Help menu: About, Keyboard Shortcuts and the Markdown Guide.

The shortcut list is read from the window's actions when it opens, never kept by hand, so a
shortcut added or changed anywhere shows up here as it is.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

import markdown
import pygments
import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor import __version__
from editor.fileformat import parse_markdown
from editor.ui.document import ArticleDocument
from editor.ui.icons import application_icon
from editor.ui.tree_items import children, top_level_items

if TYPE_CHECKING:
    from editor.ui.dialogs import Dialogs
    from editor.ui.workspace import Workspace

APP_NAME = "Article Editor"
GUIDE = "samples/markdown-guide.md"
OTHER_GROUP = "Other"


def versions() -> list[tuple[str, str]]:
    """The versions a bug report needs: the editor's and those of what draws and renders it."""
    return [
        (APP_NAME, __version__),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("Python-Markdown", markdown.__version__),
        ("Pygments", pygments.__version__),
        ("Python", platform.python_version()),
    ]


class AboutDialog(QDialog):
    """Help > About: what the editor is, and the versions of it and its libraries."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(f"About {APP_NAME}")
        icon = QLabel()
        icon.setPixmap(application_icon().pixmap(64, 64))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        title = QLabel(f"<b style='font-size:16pt'>{APP_NAME}</b> {__version__}")
        title.setObjectName("aboutTitle")
        blurb = QLabel("Write news articles in Markdown, see the page live as readers will, "
                       "and export publication-ready HTML.")
        blurb.setWordWrap(True)
        table = QFormLayout()
        self.version_labels: dict[str, QLabel] = {}
        for name, version in versions():
            label = QLabel(version)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.version_labels[name] = label
            table.addRow(f"{name}:", label)
        licence = QLabel("MIT licence. Icons: Lucide (ISC licence).")
        licence.setObjectName("aboutLicence")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        text = QVBoxLayout()
        text.addWidget(title)
        text.addWidget(blurb)
        text.addLayout(table)
        text.addWidget(licence)
        row = QHBoxLayout()
        row.addWidget(icon)
        row.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)


@dataclass(frozen=True)
class ShortcutEntry:
    group: str  # the menu it is in
    command: str
    keys: str  # as the platform writes them, several separated by commas


def shortcut_entries(window: QMainWindow) -> list[ShortcutEntry]:
    """Every action of ``window`` that has a shortcut, grouped by the menu it sits in."""
    entries: list[ShortcutEntry] = []
    seen: set[int] = set()

    def add(action: QAction, group: str) -> None:
        if id(action) in seen:
            return
        seen.add(id(action))
        keys = ", ".join(sequence.toString(QKeySequence.SequenceFormat.NativeText)
                         for sequence in action.shortcuts() if is_typed(sequence))
        if keys:
            entries.append(ShortcutEntry(group, _plain(action.text()), keys))

    def walk(menu: QMenu, group: str) -> None:
        for action in menu.actions():
            submenu = action.menu()
            if isinstance(submenu, QMenu):
                walk(submenu, group)
            elif not action.isSeparator():
                add(action, group)

    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            walk(menu, _plain(menu.title()))
    for action in window.findChildren(QAction):  # panels' and the window's own shortcuts
        add(action, OTHER_GROUP)
    return entries


def is_typed(sequence: QKeySequence) -> bool:
    """False for the dedicated Save, Copy, Zoom… keys of some keyboards, which Qt's standard
    shortcuts include but nobody needs explained; True for what is typed (Ctrl+S, F1)."""
    return not sequence.isEmpty() and sequence[0].key().value < Qt.Key.Key_Back.value  # type: ignore[index]  # PySide6's stub lacks QKeySequence.__getitem__


def _plain(text: str) -> str:
    """A menu text as a sentence: no mnemonic ampersands, no trailing ellipsis."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("….").strip()


class ShortcutsDialog(QDialog):
    """Help > Keyboard Shortcuts: every shortcut of the window, with a filter."""

    def __init__(self, entries: list[ShortcutEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard Shortcuts")
        self.filter = QLineEdit()
        self.filter.setObjectName("shortcutsFilter")
        self.filter.setPlaceholderText("Filter by command or key")
        self.filter.setClearButtonEnabled(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("shortcutsTree")
        self.tree.setHeaderLabels(["Command", "Shortcut"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        groups: dict[str, QTreeWidgetItem] = {}
        for entry in entries:
            group = groups.get(entry.group)
            if group is None:
                group = groups[entry.group] = QTreeWidgetItem(self.tree, [entry.group])
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                group.setFirstColumnSpanned(True)
            QTreeWidgetItem(group, [entry.command, entry.keys])
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self.resize(480, 560)
        self.filter.textChanged.connect(self._apply_filter)

    def visible_rows(self) -> list[tuple[str, str]]:
        """(command, shortcut) of each row the filter leaves, in order."""
        return [(child.text(0), child.text(1)) for _group, children in self._groups()
                for child in children if not child.isHidden()]

    def _groups(self) -> list[tuple[QTreeWidgetItem, list[QTreeWidgetItem]]]:
        """Each group row with its command rows."""
        return [(group, children(group)) for group in top_level_items(self.tree)]

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for group, rows in self._groups():
            shown = 0
            for child in rows:
                match = not needle or any(needle in child.text(column).casefold()
                                          for column in (0, 1))
                child.setHidden(not match)
                shown += match
            group.setHidden(shown == 0)


def show_about(dialogs: Dialogs) -> None:
    dialog = AboutDialog(dialogs.parent)
    dialogs.exec_dialog(dialog)  # the one door for modal dialogs
    dialog.deleteLater()


def show_shortcuts(window: QMainWindow, dialogs: Dialogs) -> None:
    dialog = ShortcutsDialog(shortcut_entries(window), window)
    dialogs.exec_dialog(dialog)  # the one door for modal dialogs
    dialog.deleteLater()


def open_markdown_guide(workspace: Workspace) -> ArticleDocument:
    """The shipped guide in a new tab, as an untitled copy: saving never touches the original."""
    text = resources.files("editor.resources").joinpath(GUIDE).read_text("utf-8")
    document = ArticleDocument(parse_markdown(text))
    workspace.add_document(document)
    return document
