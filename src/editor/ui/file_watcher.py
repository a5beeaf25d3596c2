"""Files changed or deleted on disk by another program while they are open.

:class:`FileWatcher` notices: it watches each open file and its folder (an atomic save by
another program, or by us, renames a new file over the old one, and a watch on the old file
is lost with it), waits for a burst of events to settle, and compares the file with what it
last knew to be on disk, so that our own saves and mere touches are not reported.

:class:`ExternalChanges` reacts, for the workspace: with no unsaved edits the file is reloaded
and the cursor stays where it was; with unsaved edits the user is asked (reload, keep mine, or
compare the two, through the dialogs object); a deleted file keeps its text in the tab, marked
unsaved.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.errors import ArticleError, EncodingError
from editor.fileformat import dump_markdown
from editor.files import MAX_FILE_BYTES, load_article, read_text_file
from editor.model import Article
from editor.ui.dialogs import Dialogs, ExternalChoice
from editor.ui.document import ArticleDocument

SETTLE_MS = 150  # events of one save by another program arrive as a burst


@dataclass
class _DiskState:
    path: Path
    signature: tuple[int, int, int] | None  # (mtime_ns, size, inode); None: the file is gone
    digest: str | None  # of the bytes last known on disk


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)


def _digest(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            return hashlib.sha256(handle.read(MAX_FILE_BYTES + 1)).hexdigest()
    except OSError:
        return None


class FileWatcher(QObject):
    """Reports when an open document's file holds other bytes than it knew, or is gone."""

    changed_on_disk = Signal(object)  # ArticleDocument
    deleted_on_disk = Signal(object)  # ArticleDocument
    checked = Signal()  # a burst of file events was compared with the files (tests wait on it)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._on_file_event)
        self._watcher.directoryChanged.connect(self._on_folder_event)
        self._states: dict[ArticleDocument, _DiskState] = {}
        self._pending: set[ArticleDocument] = set()
        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settle.timeout.connect(self.check_pending)

    def watch(self, document: ArticleDocument) -> None:
        """Watch the document's file from now on, taking what is on disk now as known.

        Called again after our own save (or Save As), a reload, or "keep mine".
        """
        old = self._states.pop(document, None)
        path = document.path
        if path is None:
            self._unwatch(old)
            return
        path = Path(path)
        self._states[document] = _DiskState(path, _signature(path), _digest(path))
        self._pending.discard(document)
        if old is not None and old.path != path:
            self._unwatch(old)
        self._add_watches(path)

    acknowledge = watch

    def forget(self, document: ArticleDocument) -> None:
        self._pending.discard(document)
        self._unwatch(self._states.pop(document, None))

    def is_watching(self, document: ArticleDocument) -> bool:
        return document in self._states

    def watched_paths(self) -> list[str]:
        return self._watcher.files() + self._watcher.directories()

    def check_pending(self) -> None:
        pending, self._pending = self._pending, set()
        for document in pending:
            self.check(document)
        self.checked.emit()

    def check(self, document: ArticleDocument) -> None:
        """Compare the file with what was known, and report a difference once."""
        state = self._states.get(document)
        if state is None:
            return
        signature = _signature(state.path)
        if signature is None:
            if state.signature is not None:
                state.signature = None
                self.deleted_on_disk.emit(document)
            return
        self._add_watches(state.path)  # a file renamed over ours is a new file to watch
        if signature == state.signature:
            return
        digest = _digest(state.path)
        state.signature = signature
        if digest == state.digest:
            return  # touched, or our own save: the same bytes
        state.digest = digest
        self.changed_on_disk.emit(document)

    # -- internals -------------------------------------------------------------------------------
    def _on_file_event(self, path: str) -> None:
        self._schedule(lambda state: str(state.path) == path)

    def _on_folder_event(self, folder: str) -> None:
        self._schedule(lambda state: str(state.path.parent) == folder)

    def _schedule(self, matches) -> None:  # type: ignore[no-untyped-def]
        for document, state in self._states.items():
            if matches(state):
                self._pending.add(document)
        if self._pending:
            self._settle.start()

    def _add_watches(self, path: Path) -> None:
        watched_files = set(self._watcher.files())
        watched_folders = set(self._watcher.directories())
        if str(path) not in watched_files and path.is_file():
            self._watcher.addPath(str(path))
        folder = path.parent
        if str(folder) not in watched_folders and folder.is_dir():
            self._watcher.addPath(str(folder))

    def _unwatch(self, state: _DiskState | None) -> None:
        if state is None:
            return
        still_used = {other.path for other in self._states.values()}
        folders_used = {path.parent for path in still_used}
        if state.path not in still_used and str(state.path) in self._watcher.files():
            self._watcher.removePath(str(state.path))
        folder = state.path.parent
        if folder not in folders_used and str(folder) in self._watcher.directories():
            self._watcher.removePath(str(folder))


# ==============================================================================================
# Reacting
# ==============================================================================================

class CompareDialog(QDialog):
    """Both versions as a diff: the file on disk against the text in the tab."""

    def __init__(self, name: str, disk_text: str, my_text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareDialog")
        self.setWindowTitle(f"Compare — {name}")
        self.resize(900, 600)
        self._choice = ExternalChoice.KEEP_MINE
        label = QLabel("Lines starting with − are only on disk; lines starting with + only "
                       "in your unsaved version.")
        label.setWordWrap(True)
        self.diff = QPlainTextEdit()
        self.diff.setObjectName("compareDiff")
        self.diff.setReadOnly(True)
        self.diff.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.diff.setFont(QFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)))
        lines = list(difflib.unified_diff(
            disk_text.splitlines(), my_text.splitlines(), fromfile=f"{name} (on disk)",
            tofile=f"{name} (yours, unsaved)", lineterm="", n=3))
        self.diff.setPlainText("\n".join(lines) if lines else "The two versions are the same.")
        buttons = QDialogButtonBox()
        self.reload_button = QPushButton("Reload from Disk")
        self.keep_button = QPushButton("Keep Mine")
        self.keep_button.setDefault(True)
        buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.reload_button.clicked.connect(self.choose_reload)
        self.keep_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.diff, 1)
        layout.addWidget(buttons)

    def choice(self) -> ExternalChoice:
        return self._choice

    def diff_text(self) -> str:
        return self.diff.toPlainText()

    def choose_reload(self) -> None:
        self._choice = ExternalChoice.RELOAD
        self.accept()


class ExternalChanges(QObject):
    """What is done when the watcher reports a change or a deletion.

    The questions go through ``dialogs``; ``replace_article`` puts the reloaded article in
    place (the workspace keeps the editor's cursor and scroll position); messages for the
    status bar are emitted as :attr:`message`.
    """

    message = Signal(str, int)  # text, milliseconds

    def __init__(self, watcher: FileWatcher, dialogs: Dialogs,
                 replace_article: Callable[[ArticleDocument, Article], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._watcher = watcher
        self._dialogs = dialogs
        self._replace_article = replace_article
        self._asking: set[ArticleDocument] = set()

    def on_changed(self, document: ArticleDocument) -> None:
        if document in self._asking:  # changed again while the question is open: one question
            return
        if not document.is_modified():
            self.reload(document)
            return
        self._asking.add(document)
        try:
            choice = self._dialogs.ask_external_change(document)
            if choice is ExternalChoice.COMPARE:
                choice = self.compare(document)
        finally:
            self._asking.discard(document)
        if choice is ExternalChoice.RELOAD:
            self.reload(document)
        else:
            self.message.emit(
                f"Kept your version of {document.display_name}; saving will replace the file "
                "on disk", 8000)

    def on_deleted(self, document: ArticleDocument) -> None:
        document.mark_modified()
        self.message.emit(
            f"{document.display_name} was deleted or moved on disk; its text is still here, "
            "marked unsaved — save to write it again", 10000)

    def compare(self, document: ArticleDocument) -> ExternalChoice:
        path = document.path
        try:
            disk_text = read_text_file(path).text if path is not None else ""
        except ArticleError as error:
            disk_text = f"(the file cannot be read: {error})"
        dialog = CompareDialog(document.display_name, disk_text, dump_markdown(document.article()),
                               self._dialogs.parent)
        try:
            accepted = self._dialogs.exec_dialog(dialog)
            return dialog.choice() if accepted else ExternalChoice.KEEP_MINE
        finally:
            dialog.deleteLater()

    def reload(self, document: ArticleDocument) -> bool:
        """Load the file again in place, the cursor and scroll position kept. False if it failed."""
        path = document.path
        if path is None:
            return False
        try:
            try:
                article = load_article(path)
            except EncodingError as error:
                if not self._dialogs.ask_legacy_encoding(path, error):
                    raise
                article = load_article(path, error.fallback_encoding)
        except ArticleError as error:
            document.mark_modified()
            self._dialogs.show_error(
                "Cannot reload the file",
                f"{error}\n\n“{document.display_name}” was changed on disk and can no longer be "
                "opened. Your text is kept in the tab, marked unsaved.")
            return False
        self._replace_article(document, article)
        self._watcher.acknowledge(document)
        message = f"Reloaded {document.display_name}: it was changed on disk"
        if article.warnings:
            message += " — " + "; ".join(article.warnings)
        self.message.emit(message, 8000)
        return True
