"""After a crash: what the journal kept, shown with a preview of the difference, to restore.

:class:`RecoveryDialog` only shows the entries and records the choice; the dialogs object
asks with it (:meth:`editor.ui.dialogs.Dialogs.ask_recovery`) and the workspace restores what
was chosen at start (:meth:`editor.ui.workspace.Workspace.offer_recovery`).
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from editor.recovery import RecoveryEntry


class RecoveryChoice(Enum):
    RESTORE = "restore"
    DISCARD = "discard"
    LATER = "later"  # keep the entries; they are offered again at the next start


def describe_time(entry: RecoveryEntry) -> str:
    return entry.saved_at.astimezone().strftime("%d %b %Y, %H:%M:%S")


class RecoveryDialog(QDialog):
    """The entries, each checked for restoring; a diff preview of the one selected."""

    def __init__(self, entries: list[RecoveryEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryDialog")
        self.setWindowTitle("Recover Unsaved Work")
        self.resize(900, 560)
        self._entries = list(entries)
        self._choice = RecoveryChoice.LATER

        intro = QLabel(
            "Article Editor did not close properly last time. These articles had changes that "
            "were not saved. Restore opens them in tabs, marked unsaved; Discard forgets them."
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("recoveryList")
        for entry in self._entries:
            where = str(entry.path) if entry.path is not None else "never saved"
            item = QListWidgetItem(f"{entry.display_name}\n{where}\nLast change {describe_time(entry)}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setToolTip(where)
            self.list.addItem(item)
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("recoveryPreview")
        self.preview.setReadOnly(True)
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.preview.setFont(QFont(fixed))
        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(self.preview)
        splitter.setSizes([300, 600])

        buttons = QDialogButtonBox()
        self.restore_button = QPushButton("Restore")
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setDefault(True)
        self.discard_button = QPushButton("Discard")
        self.discard_button.setObjectName("discardButton")
        self.later_button = QPushButton("Decide Later")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.later_button, QDialogButtonBox.ButtonRole.RejectRole)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)

        self.restore_button.clicked.connect(self.restore)
        self.discard_button.clicked.connect(self.discard)
        self.later_button.clicked.connect(self.reject)
        self.list.currentRowChanged.connect(self._show_preview)
        self.list.itemChanged.connect(self._update_buttons)
        if self._entries:
            self.list.setCurrentRow(0)

    # -- what the user chose -------------------------------------------------------------------
    def choice(self) -> RecoveryChoice:
        return self._choice

    def entries(self) -> list[RecoveryEntry]:
        return list(self._entries)

    def checked_entries(self) -> list[RecoveryEntry]:
        return [entry for row, entry in enumerate(self._entries)
                if self.list.item(row).checkState() == Qt.CheckState.Checked]

    def preview_text(self) -> str:
        return self.preview.toPlainText()

    def restore(self) -> None:
        self._choice = RecoveryChoice.RESTORE
        self.accept()

    def discard(self) -> None:
        self._choice = RecoveryChoice.DISCARD
        self.accept()

    # -- internals -----------------------------------------------------------------------------
    def _show_preview(self, row: int) -> None:
        if 0 <= row < len(self._entries):
            self.preview.setPlainText(self._entries[row].diff_preview(max_lines=400))
        else:
            self.preview.clear()

    def _update_buttons(self) -> None:
        any_checked = bool(self.checked_entries())
        self.restore_button.setEnabled(any_checked)
        self.discard_button.setEnabled(any_checked)
