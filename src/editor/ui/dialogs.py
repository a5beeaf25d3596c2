"""Every question the window asks the user, in one small object that tests replace.

:class:`Dialogs` is the only place that shows a modal dialog: the workspace, the file watcher
and the window ask through it, and a test hands the window a subclass with its own answers.
Dialogs built here (recovery, compare, export) run through :meth:`Dialogs.exec_dialog`, so a
test that answers ``exec_dialog`` drives the real dialog by clicking its buttons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QFileDialog, QFontDialog, QMessageBox, QWidget

from editor.checks import Finding
from editor.errors import ArticleError, EncodingError
from editor.export import ExportOptions, Theme
from editor.placeholders import Placeholder
from editor.recovery import RecoveryEntry
from editor.ui.checklist import ChecklistDialog
from editor.ui.document import ArticleDocument
from editor.ui.export_dialog import ExportDialog
from editor.ui.recovery_dialog import RecoveryChoice, RecoveryDialog

APP_TITLE = "Article Editor"


class SaveChoice(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"
    SAVE_ALL = "save all"  # this one and every other unsaved one (quitting)
    DISCARD_ALL = "discard all"


class ExternalChoice(Enum):
    RELOAD = "reload"  # take the file's text; the unsaved edits are dropped
    KEEP_MINE = "keep"  # keep the text in the tab; saving will overwrite the file
    COMPARE = "compare"  # show both, then choose


@dataclass(frozen=True)
class ExportRequest:
    """What the export dialog was accepted with."""

    output: Path
    options: ExportOptions
    allow_placeholders: bool
    exported_anyway: bool  # past blockers or placeholders, which the build log says


class Dialogs:
    """The questions asked of the user, each a modal dialog over ``parent``."""

    def __init__(self, parent: QWidget | None, open_filter: str = "All files (*)") -> None:
        self.parent = parent
        self.open_filter = open_filter

    # -- files ---------------------------------------------------------------------------------
    def ask_open_paths(self, folder: Path) -> list[Path]:
        names, _filter = QFileDialog.getOpenFileNames(self.parent, "Open articles", str(folder),
                                                      self.open_filter)
        return [Path(name) for name in names]

    def ask_save_path(self, proposed: Path) -> Path | None:
        name, _filter = QFileDialog.getSaveFileName(
            self.parent, "Save article as Markdown", str(proposed), "Markdown (*.md)")
        if not name:
            return None
        path = Path(name)
        return path if path.suffix else path.with_suffix(".md")

    def ask_unsaved_choice(self, document: ArticleDocument, others: int = 0) -> SaveChoice:
        """Save, discard or cancel; with ``others`` more unsaved, Save All and Discard All."""
        box = QMessageBox(QMessageBox.Icon.Warning, APP_TITLE,
                          f"Save the changes to “{document.display_name}” before closing?",
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self.parent)
        informative = "Your changes will be lost if you don't save them."
        save_all = discard_all = None
        if others:
            informative += (f" {others} other article{'s' if others != 1 else ''} "
                            f"{'have' if others != 1 else 'has'} unsaved changes too.")
            save_all = box.addButton("Save All", QMessageBox.ButtonRole.AcceptRole)
            discard_all = box.addButton("Discard All", QMessageBox.ButtonRole.DestructiveRole)
        box.setInformativeText(informative)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        clicked = box.clickedButton()
        box.deleteLater()
        if save_all is not None and clicked is save_all:
            return SaveChoice.SAVE_ALL
        if discard_all is not None and clicked is discard_all:
            return SaveChoice.DISCARD_ALL
        if answer == QMessageBox.StandardButton.Save:
            return SaveChoice.SAVE
        if answer == QMessageBox.StandardButton.Discard:
            return SaveChoice.DISCARD
        return SaveChoice.CANCEL

    def ask_legacy_encoding(self, path: Path, error: EncodingError) -> bool:
        answer = QMessageBox.question(
            self.parent, APP_TITLE,
            f"{error}\n\nOpen it as {error.fallback_encoding}? It will be saved as UTF-8.")
        return answer == QMessageBox.StandardButton.Yes

    def ask_save_failed(self, document: ArticleDocument, error: ArticleError) -> bool:
        """A save failed: say why and offer Save As. True if the user wants Save As."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Cannot Save the Article",
                          f"“{document.display_name}” was not saved.", parent=self.parent)
        box.setInformativeText(f"{error}\n\nYour text is still open, marked unsaved, and the "
                               "file on disk is unchanged. Save it somewhere else?")
        save_as = box.addButton("Save As…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(save_as)
        box.exec()
        chosen = box.clickedButton() is save_as
        box.deleteLater()
        return chosen

    def ask_external_change(self, document: ArticleDocument) -> ExternalChoice:
        """The file of a tab with unsaved edits changed on disk: reload, keep mine, compare?"""
        box = QMessageBox(QMessageBox.Icon.Warning, "File Changed on Disk",
                          f"“{document.display_name}” was changed by another program.",
                          parent=self.parent)
        box.setInformativeText("You have unsaved changes. Reload the file and lose them, or "
                               "keep your version (saving it will overwrite the other "
                               "program's)?")
        reload_button = box.addButton("Reload", QMessageBox.ButtonRole.DestructiveRole)
        keep_button = box.addButton("Keep Mine", QMessageBox.ButtonRole.RejectRole)
        compare_button = box.addButton("Compare…", QMessageBox.ButtonRole.ActionRole)
        box.setDefaultButton(keep_button)
        box.exec()
        clicked = box.clickedButton()
        box.deleteLater()
        if clicked is reload_button:
            return ExternalChoice.RELOAD
        if clicked is compare_button:
            return ExternalChoice.COMPARE
        return ExternalChoice.KEEP_MINE

    def ask_recovery(self, entries: list[RecoveryEntry]
                     ) -> tuple[RecoveryChoice, list[RecoveryEntry]]:
        """After a crash: which journal entries to restore or discard (LATER: none yet)."""
        dialog = RecoveryDialog(entries, self.parent)
        try:
            if not self.exec_dialog(dialog) or dialog.choice() is RecoveryChoice.LATER:
                return RecoveryChoice.LATER, []
            return dialog.choice(), dialog.checked_entries()
        finally:
            dialog.deleteLater()

    def ask_export(self, output: Path, placeholders: Sequence[Placeholder],
                   findings: Sequence[Finding] = ()) -> ExportRequest | None:
        """Where and how to export, with the pre-export checklist (``findings``) first."""
        dialog = ExportDialog(output, placeholders, Theme.AUTO, self.parent, findings=findings)
        try:
            if not self.exec_dialog(dialog):
                return None
            return ExportRequest(dialog.output_path(), dialog.options(),
                                 dialog.allow_placeholders(),
                                 bool(dialog.blockers) or dialog.allow_placeholders())
        finally:
            dialog.deleteLater()

    def ask_copy_anyway(self, findings: Sequence[Finding]) -> bool:
        """The pre-export checklist before Copy as HTML: True to copy all the same."""
        dialog = ChecklistDialog(findings, "Copy", self.parent)
        try:
            return self.exec_dialog(dialog)
        finally:
            dialog.deleteLater()

    def show_open_failures(self, failures: Sequence[str], opened: int) -> None:
        """One message for all the files of a drop or a command line that did not open.

        Each of ``failures`` names its file and the reason; four bad files of five make one
        message to read, not four to click away.
        """
        if len(failures) == 1:
            self.show_error("Cannot open the file", failures[0])
            return
        opened_note = f" ({opened} other file{'s' if opened != 1 else ''} opened)" if opened else ""
        self.show_error("Cannot open the files",
                        f"{len(failures)} files could not be opened{opened_note}:\n\n"
                        + "\n".join(f"• {failure}" for failure in failures))

    # -- view ----------------------------------------------------------------------------------
    def ask_font(self, current: QFont) -> QFont | None:
        ok, font = QFontDialog.getFont(current, self.parent, "Editor font")
        return font if ok else None

    # -- any dialog ----------------------------------------------------------------------------
    def show_error(self, title: str, message: str) -> None:
        QMessageBox.warning(self.parent, title, message)

    def exec_dialog(self, dialog: QDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted
