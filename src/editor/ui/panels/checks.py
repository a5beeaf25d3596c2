"""The Checks dock: the copy desk's findings for the current article, grouped by family.

The findings are :func:`editor.checks.run_checks` — the list ``article-editor check`` prints
and the export's checklist shows. They are worked out in a worker process (a thread would
share the window's interpreter lock), but for spelling, which the tab's own spell checker
answers from the lines it has checked for its underlines (in slices, in the window's
thread); until the tab's dictionary is loaded there are no spelling findings. A result that
arrives after the text changed again is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.checks import Change, Family, Finding, Severity
from editor.checks.worker import submit_checks
from editor.spelling import SpellChecker
from editor.ui.document import ArticleDocument
from editor.ui.first_screen import after_first_screen
from editor.ui.main_thread import deliver, prepare_relay
from editor.ui.panels.base import DocumentDock
from editor.ui.spelling import SpellingFindings
from editor.ui.tree_items import children, top_level_items

_FINDING_ROLE = Qt.ItemDataRole.UserRole + 1
# Rows shown per family: a 100,000-word report can have hundreds of long sentences.
ROWS_PER_FAMILY = 60

_ICONS = {
    Severity.BLOCKER: QStyle.StandardPixmap.SP_MessageBoxCritical,
    Severity.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
    Severity.NOTE: QStyle.StandardPixmap.SP_MessageBoxInformation,
}


def apply_change(document: ArticleDocument, change: Change, label: str) -> None:
    """Make a fix's change as one undo step: body edits in one edit block, or one metadata edit."""
    if change.body_edits:
        cursor = QTextCursor(document.text_document)
        cursor.beginEditBlock()
        for edit in sorted(change.body_edits, key=lambda edit: edit.start, reverse=True):
            cursor.setPosition(edit.start)
            cursor.setPosition(edit.end, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(edit.text)
        cursor.endEditBlock()
    if change.fields:
        document.update_metadata(label, **dict(change.fields))


def body_position(body: str, line: int, column: int) -> int:
    """The character offset of a 1-based line and column."""
    position = 0
    for _ in range(line - 1):
        found = body.find("\n", position)
        if found < 0:
            return len(body)
        position = found + 1
    return min(position + column - 1, len(body))


class ChecksPanel(DocumentDock):
    """Findings by family with counts; click to jump, Fix to apply where a fix exists."""

    field_requested = Signal(str)  # a metadata field to show (``title``, ``related[0].url``)
    blockers_changed = Signal(object)  # the number of blockers, or None with no document
    # The checks read the article itself, not the analysis, and their spelling half runs on
    # the window's thread, a slice per turn: at once, it fell among the next keystroke's patch.
    waits_for_pause = True

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Checks", "ChecksPanel", parent)
        prepare_relay()
        # Which spell checker the current document uses (the window knows its tabs).
        self.spell_checker_for: Callable[[ArticleDocument], SpellChecker | None] = \
            lambda _document: None
        self.findings: list[Finding] = []
        self._revision = 0
        self._retried = False  # a check whose process died was given again
        self._shown_once = False
        self._pending: Future[list[Finding]] | None = None
        # The two halves of one revision's findings: the worker's, and spelling (None while
        # either is still being worked out).
        self._checked: list[Finding] | None = None
        self._spelled: list[Finding] | None = None
        self._spelling = SpellingFindings(self)
        self._spelling.found.connect(self._on_spelled)

        self.summary = QLabel()
        self.summary.setObjectName("checksSummary")
        self.tree = QTreeWidget()
        self.tree.setObjectName("checksTree")
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(True)
        self.tree.setWordWrap(True)
        self.fix_button = QPushButton("Fix")
        self.fix_button.setObjectName("checksFix")
        self.fix_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.fix_button)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self.setWidget(body)

        self.tree.itemClicked.connect(self._on_clicked)
        self.tree.currentItemChanged.connect(self._update_fix_button)
        self.fix_button.clicked.connect(self.fix_current)
        # Shown (opened, or its tab brought forward): check everything once its list is visible.
        self.visibilityChanged.connect(
            lambda visible: QTimer.singleShot(0, self, self.refresh_now) if visible else None)

    def is_shown(self) -> bool:
        """Whether the user can see the list (not closed, not behind another tabbed dock)."""
        return self.widget().isVisible()

    # -- checking --------------------------------------------------------------------------
    def refresh(self) -> None:
        if after_first_screen(self, self.refresh):  # its worker process would slow the start
            return
        self._revision += 1
        document = self.document()
        if document is None:
            self._spelling.cancel()
            self._show([])
            return
        # Always in a worker: the first readability score loads a pronouncing dictionary
        # (seconds), and a long article's checks take longer than a frame. Out of sight, only
        # what the status bar counts (blockers: completeness) is checked, without spelling.
        families = None if self.is_shown() else [Family.COMPLETENESS]
        checker = self.spell_checker_for(document) if families is None else None
        if self._pending is not None:
            self._pending.cancel()  # not started yet: its revision is stale already
        revision = self._revision
        article = document.article()
        self._checked = None  # before submitting: a done future delivers at once
        if checker is None:
            self._spelling.cancel()
            self._spelled = []
        else:
            self._spelled = None
            self._spelling.start(revision, article, checker)
        future = submit_checks(article, families)
        self._pending = future
        future.add_done_callback(lambda done: self._deliver(revision, done))

    def refresh_now(self) -> None:
        """Check again at once. The checks read the article, not its analysis: the docks' own
        refresh_now would first analyse a long body that changed since its last analysis, on
        the window's thread (34 ms at 100,000 words, each time a new spell checker arrived
        while the user typed, or a fix was applied)."""
        self._timer.stop()
        self.refresh()

    def _deliver(self, revision: int, future: Future[list[Finding]]) -> None:
        """In the executor's thread: hand the findings to the window's thread (unless the dock
        was closed meanwhile)."""
        if future.cancelled():
            return
        try:
            findings = future.result()
        except BrokenProcessPool:  # the process died (killed, out of memory)
            deliver(self, lambda: self._on_worker_lost(revision))
            return
        deliver(self, lambda: self._on_checked(revision, findings))

    def _on_worker_lost(self, revision: int) -> None:
        """Check again in a new process, once: a check that ends its process every time
        leaves the findings as they were rather than start process after process."""
        if revision == self._revision and not self._retried:
            self._retried = True
            self.refresh()

    def _on_checked(self, revision: int, findings: list[Finding]) -> None:
        if revision == self._revision:
            self._retried = False
            self._checked = findings
            self._show_when_complete()

    def _on_spelled(self, revision: int, findings: list[Finding]) -> None:
        if revision == self._revision:
            self._spelled = findings
            self._show_when_complete()

    def _show_when_complete(self) -> None:
        if self._checked is not None and self._spelled is not None:
            # Sorted as run_checks sorts them all (a stable sort, spelling last among equals).
            self._show(sorted(self._checked + self._spelled, key=Finding.sort_key))

    # -- showing ---------------------------------------------------------------------------
    def _show(self, findings: list[Finding]) -> None:
        # Most pauses in typing leave the findings as they were: rebuilding a long article's
        # rows then cost the window a dozen milliseconds for nothing.
        if findings != self.findings or not self._shown_once:
            self._fill_tree(findings)
        self._shown_once = True
        self.findings = findings
        blockers = sum(finding.severity is Severity.BLOCKER for finding in findings)
        self.summary.setText("No findings" if not findings else
                             f"{blockers} blocker(s), {len(findings) - blockers} other finding(s)")
        self._update_fix_button()
        self.blockers_changed.emit(None if self.document() is None else blockers)

    def _fill_tree(self, findings: list[Finding]) -> None:
        """The rows, grouped by family; a family the user collapsed stays collapsed."""
        collapsed = {group.data(0, _FINDING_ROLE) for group in top_level_items(self.tree)
                     if not group.isExpanded()}
        self.tree.clear()
        style = self.style()
        # One icon a severity: the style makes a new one each time it is asked (for 360 rows,
        # 8 ms of the 12 the rows took).
        icons = {severity: style.standardIcon(pixmap) for severity, pixmap in _ICONS.items()}
        by_family: dict[Family, list[Finding]] = {}
        for finding in findings:
            by_family.setdefault(finding.family, []).append(finding)
        for family in Family:
            members = by_family.get(family, [])
            if not members:
                continue
            group = QTreeWidgetItem([f"{family.label} ({len(members)})"])
            group.setData(0, _FINDING_ROLE, family.value)
            worst = min(members, key=lambda finding: finding.severity.rank).severity
            group.setIcon(0, icons[worst])
            for finding in members[:ROWS_PER_FAMILY]:
                item = QTreeWidgetItem([self._text(finding)])
                item.setIcon(0, icons[finding.severity])
                item.setToolTip(0, f"{finding.severity.value}: {finding.id}")
                item.setData(0, _FINDING_ROLE, finding)
                group.addChild(item)
            if len(members) > ROWS_PER_FAMILY:
                more = QTreeWidgetItem([f"… and {len(members) - ROWS_PER_FAMILY} more "
                                        "(article-editor check lists them all)"])
                group.addChild(more)
            self.tree.addTopLevelItem(group)
            group.setExpanded(family.value not in collapsed)

    @staticmethod
    def _text(finding: Finding) -> str:
        if finding.line is not None:
            return f"Line {finding.line}: {finding.message}"
        return finding.message

    def items(self) -> list[QTreeWidgetItem]:
        """The finding rows, in the order shown."""
        return [row for group in top_level_items(self.tree) for row in children(group)]

    def _update_fix_button(self) -> None:
        finding = self._current()
        self.fix_button.setEnabled(finding is not None and finding.fix is not None)
        self.fix_button.setText(finding.fix.label if finding and finding.fix else "Fix")

    def _current(self) -> Finding | None:
        item = self.tree.currentItem()
        value = item.data(0, _FINDING_ROLE) if item is not None else None
        return value if isinstance(value, Finding) else None

    # -- acting ----------------------------------------------------------------------------
    def _on_clicked(self, item: QTreeWidgetItem) -> None:
        finding = item.data(0, _FINDING_ROLE)
        document = self.document()
        if not isinstance(finding, Finding) or document is None:
            return
        if finding.line is not None:
            self.jump_requested.emit(body_position(document.body(), finding.line,
                                                   finding.column or 1))
        elif finding.field is not None:
            self.field_requested.emit(finding.field)

    def fix_current(self) -> None:
        """Apply the selected finding's fix as one undo step, then check again."""
        finding = self._current()
        document = self.document()
        if finding is None or finding.fix is None or document is None:
            return
        apply_change(document, finding.fix.make(document.article()), finding.fix.label)
        self.refresh_now()
