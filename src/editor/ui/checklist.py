"""The pre-export checklist: blockers and warnings listed before a page leaves the editor."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from editor.checks import Finding, Severity


def checklist_findings(findings: Sequence[Finding]) -> list[Finding]:
    """What the checklist shows: blockers first, then warnings; notes stay in the Checks dock."""
    shown = [finding for finding in findings if finding.severity is not Severity.NOTE]
    return sorted(shown, key=Finding.sort_key)


class ChecklistList(QListWidget):
    """Findings one a line with their severity's icon and place."""

    def __init__(self, findings: Sequence[Finding], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checklist")
        style = self.style()
        icons = {Severity.BLOCKER: QStyle.StandardPixmap.SP_MessageBoxCritical,
                 Severity.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning}
        for finding in findings:
            # The editor's own line numbers, as the panels and the status bar count them.
            where = (f"Line {finding.line}: " if finding.line is not None
                     else f"{finding.field}: " if finding.field else "")
            item = QListWidgetItem(style.standardIcon(icons[finding.severity]),
                                   f"{where}{finding.message}")
            item.setToolTip(f"{finding.severity.value}: {finding.id}")
            self.addItem(item)


class ChecklistDialog(QDialog):
    """Before Copy as HTML: the checklist, and "Copy anyway" when a blocker is left."""

    def __init__(self, findings: Sequence[Finding], action: str = "Copy",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Before you publish")
        self.setMinimumWidth(520)
        self.findings = list(findings)
        blockers = sum(f.severity is Severity.BLOCKER for f in findings)
        layout = QVBoxLayout(self)
        summary = QLabel(f"<b>{blockers} blocker(s)</b> and {len(findings) - blockers} warning(s) "
                         "are left in this article.")
        summary.setWordWrap(True)
        layout.addWidget(summary)
        self.list = ChecklistList(findings)
        layout.addWidget(self.list)
        self.anyway_box = QCheckBox(f"{action} anyway")
        self.anyway_box.setObjectName("anywayBox")
        self.anyway_box.setVisible(blockers > 0)
        layout.addWidget(self.anyway_box)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.go_button = self.buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.anyway_box.toggled.connect(self._update_button)
        self._blockers = blockers
        self._update_button()

    def _update_button(self) -> None:
        self.go_button.setEnabled(self._blockers == 0 or self.anyway_box.isChecked())
