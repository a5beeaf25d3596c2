"""Export HTML…: the command line's options, and the placeholders left to confirm first."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.checks import Finding, Severity
from editor.export import ExportOptions, Theme
from editor.placeholders import Placeholder
from editor.render import RawHtml
from editor.ui.checklist import ChecklistList, checklist_findings


class ExportDialog(QDialog):
    """Asks where and how to export; with placeholders or other blockers left, export needs
    a confirmation. ``findings`` (the copy desk's checks) are listed first, blockers on top."""

    def __init__(self, output: Path, placeholders: Sequence[Placeholder], theme: Theme,
                 parent: QWidget | None = None, findings: Sequence[Finding] = ()) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export HTML")
        self.setMinimumWidth(560)
        self._theme = theme
        self.placeholders = placeholders

        self.path_field = QLineEdit(str(output))
        self.path_field.setObjectName("exportPath")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_field, 1)
        path_row.addWidget(browse)

        self.fragment_box = QCheckBox("Body and related block only (for pasting into a CMS)")
        self.embed_box = QCheckBox("Embed local images in the page (one self-contained file)")
        self.raw_html_box = QComboBox()
        self.raw_html_box.addItem("Sanitize: keep safe markup, remove scripts", RawHtml.SANITIZE)
        self.raw_html_box.addItem("Keep as written", RawHtml.KEEP)

        form = QFormLayout()
        form.addRow("Save to", path_row)
        form.addRow("", self.fragment_box)
        form.addRow("", self.embed_box)
        form.addRow("HTML in the text", self.raw_html_box)

        layout = QVBoxLayout(self)
        # Placeholders have their own list below; the rest of the checklist comes first.
        self.findings = [finding for finding in checklist_findings(findings)
                         if finding.id != "completeness.placeholder"]
        self.blockers = [f for f in self.findings if f.severity is Severity.BLOCKER]
        self.checklist = ChecklistList(self.findings)
        if self.findings:
            heading = QLabel(f"<b>Before you publish:</b> {len(self.blockers)} blocker(s), "
                             f"{len(self.findings) - len(self.blockers)} warning(s).")
            heading.setWordWrap(True)
            layout.addWidget(heading)
            layout.addWidget(self.checklist)
        else:
            self.checklist.hide()
        layout.addLayout(form)

        self.placeholder_list = QListWidget()
        self.placeholder_list.setObjectName("placeholderList")
        self.confirm_box = QCheckBox()
        self.confirm_box.setObjectName("confirmPlaceholders")
        if placeholders:
            warning = QLabel(f"<b>{len(placeholders)} placeholder(s) are not resolved.</b> "
                             "They will appear in the page as written.")
            warning.setWordWrap(True)
            layout.addWidget(warning)
            for placeholder in placeholders:
                line = placeholder.line  # the editor's own numbering, as in the Placeholders panel
                context = f" — {placeholder.context}" if placeholder.context else ""
                self.placeholder_list.addItem(
                    f"Line {line}: {placeholder.token}{context}")
            layout.addWidget(self.placeholder_list)
            self.confirm_box.setText("Export with the placeholders left in")
            layout.addWidget(self.confirm_box)
        else:
            self.placeholder_list.hide()
            self.confirm_box.hide()
        if self.blockers:
            self.confirm_box.setText("Export anyway" if not placeholders else
                                     "Export anyway, placeholders and blockers left in")
            self.confirm_box.show()
            layout.addWidget(self.confirm_box)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("Export",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.confirm_box.toggled.connect(self._update_button)
        self.path_field.textChanged.connect(self._update_button)
        self._update_button()

    def _update_button(self) -> None:
        confirmed = not (self.placeholders or self.blockers) or self.confirm_box.isChecked()
        self.export_button.setEnabled(confirmed and bool(self.path_field.text().strip()))

    def _browse(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(self, "Export HTML", self.path_field.text(),
                                                    "Web pages (*.html *.htm)")
        if name:
            self.path_field.setText(name)

    def output_path(self) -> Path:
        return Path(self.path_field.text().strip()).expanduser()

    def allow_placeholders(self) -> bool:
        return bool(self.placeholders) and self.confirm_box.isChecked()

    def options(self) -> ExportOptions:
        return ExportOptions(
            fragment=self.fragment_box.isChecked(),
            embed_images=self.embed_box.isChecked(),
            raw_html=self.raw_html_box.currentData(),
            theme=self._theme,
        )
