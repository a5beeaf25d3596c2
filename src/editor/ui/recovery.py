"""Autosave: each tab's unsaved text goes to the recovery journal shortly after typing stops.

Per open document, a keystroke only restarts a timer. When typing pauses (or, while typing
goes on without a pause, a few seconds after the first unsaved change), a snapshot of the
article is handed to a single worker thread that writes the journal entry; writes and removals
run there one after another, in the order they were asked for, so a removal after a save can
never be overtaken by an older write. A clean save, returning to the saved text by undo, or
closing a tab (after saving or discarding) removes the entry.

The journal itself is :mod:`editor.recovery`; the window offers orphaned entries at start
(:mod:`editor.ui.recovery_dialog`).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QTimer, Signal

from editor.errors import ArticleError
from editor.fileformat import dump_markdown
from editor.model import Article
from editor.recovery import RecoveryEntry, RecoveryJournal, new_entry_id
from editor.ui.document import ArticleDocument

# A pause this long in typing writes the entry...
AUTOSAVE_IDLE_MS = 1500
# ...and while typing goes on without such a pause, the entry is written this long after the
# first unsaved change: either way the journal is at most 5 s behind the last keystroke.
AUTOSAVE_MAX_WAIT_MS = 4500


def recovery_folder() -> Path:
    """The journal folder: ``recovery`` in the user's data location (XDG_DATA_HOME on Linux)."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base) / "recovery"


@dataclass(frozen=True)
class _Snapshot:
    """What one journal write needs, taken in the window's thread: plain data only."""

    entry_id: str
    path: Path | None
    display_name: str
    article: Article


class _JournalWriter(QObject):
    """Runs journal writes and removals in one worker thread, in order.

    Only the newest snapshot of an entry is written: an older one still queued is skipped.
    """

    written = Signal(str)  # entry id, emitted in the window's thread (queued)
    failed = Signal(str, str)  # entry id, message

    def __init__(self, journal: RecoveryJournal, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.journal = journal
        self._executor: ThreadPoolExecutor | None = None
        self._generation = itertools.count(1)
        self._latest: dict[str, int] = {}
        self._lock = threading.Lock()
        self._last: Future[None] | None = None

    def write(self, snapshot: _Snapshot) -> None:
        generation = self._next(snapshot.entry_id)
        self._submit(snapshot.entry_id, lambda: self._write(snapshot, generation))

    def remove(self, entry_id: str) -> None:
        self._next(entry_id)
        self._submit(entry_id, lambda: self._remove(entry_id))

    def wait(self, timeout: float = 10.0) -> None:
        """Block until everything asked so far is on disk (quitting, tests)."""
        last = self._last
        if last is not None:
            with suppress(TimeoutError):
                last.result(timeout)

    def shutdown(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None

    def _next(self, entry_id: str) -> int:
        with self._lock:
            generation = self._latest[entry_id] = next(self._generation)
        return generation

    def _submit(self, entry_id: str, job: Callable[[], None]) -> None:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="autosave")
        self._last = self._executor.submit(self._reporting_failures, entry_id, job)

    def _reporting_failures(self, entry_id: str, job: Callable[[], None]) -> None:
        """Run ``job``; any error it raises becomes a ``failed`` signal.

        An error left in the worker's future would never be seen (or surface only at quit):
        whatever its kind, the window hears of it and the next write is tried as usual.
        """
        try:
            job()
        except Exception as error:  # the worker's edge: every failure is reported, none kills it
            self.failed.emit(entry_id, f"unexpected error: {type(error).__name__}: {error}")

    def _write(self, snapshot: _Snapshot, generation: int) -> None:
        with self._lock:
            if self._latest.get(snapshot.entry_id) != generation:
                return  # a newer snapshot (or a removal) is queued behind this one
        article = snapshot.article
        try:
            self.journal.write(snapshot.entry_id, snapshot.path, snapshot.display_name,
                               dump_markdown(article), newline=article.newline, bom=article.bom)
        except (ArticleError, OSError) as error:
            self.failed.emit(snapshot.entry_id, str(error))
            return
        self.written.emit(snapshot.entry_id)

    def _remove(self, entry_id: str) -> None:
        try:
            self.journal.remove(entry_id)
        except OSError as error:
            self.failed.emit(entry_id, f"{self.journal.folder}: {error.strerror or error}")


@dataclass
class _Tracked:
    entry_id: str
    idle: QTimer
    max_wait: QTimer


class AutosaveController(QObject):
    """Keeps the journal entry of every watched document up to date."""

    entry_written = Signal(object)  # ArticleDocument whose entry is now on disk
    failed = Signal(str)  # a message for the status bar: the journal could not be written

    def __init__(self, journal: RecoveryJournal, parent: QObject | None = None, *,
                 idle_ms: int = AUTOSAVE_IDLE_MS, max_wait_ms: int = AUTOSAVE_MAX_WAIT_MS) -> None:
        super().__init__(parent)
        self.journal = journal
        self._idle_ms = idle_ms
        self._max_wait_ms = max_wait_ms
        self._tracked: dict[ArticleDocument, _Tracked] = {}
        self._writer = _JournalWriter(journal, self)
        self._writer.written.connect(self._on_written)
        self._writer.failed.connect(self._on_failed)
        self._last_failure = ""

    # -- the documents -----------------------------------------------------------------------
    def watch(self, document: ArticleDocument, entry_id: str | None = None) -> str:
        """Journal ``document`` from now on; returns its entry id."""
        tracked = self._tracked.get(document)
        if tracked is not None:
            return tracked.entry_id
        idle = QTimer(self, singleShot=True, interval=self._idle_ms)
        max_wait = QTimer(self, singleShot=True, interval=self._max_wait_ms)
        tracked = _Tracked(entry_id or new_entry_id(), idle, max_wait)
        self._tracked[document] = tracked
        idle.timeout.connect(lambda: self.write_now(document))
        max_wait.timeout.connect(lambda: self.write_now(document))
        document.changed.connect(lambda: self._on_changed(document))
        document.modified_changed.connect(lambda modified: self._on_modified(document, modified))
        document.path_changed.connect(lambda: self._on_changed(document))
        if document.is_modified():
            self._on_changed(document)
        return tracked.entry_id

    def forget(self, document: ArticleDocument) -> None:
        """The tab is closing, its text saved or discarded: its entry goes."""
        tracked = self._tracked.pop(document, None)
        if tracked is None:
            return
        for timer in (tracked.idle, tracked.max_wait):
            timer.stop()
            timer.deleteLater()
        self._writer.remove(tracked.entry_id)

    def on_saved(self, document: ArticleDocument) -> None:
        tracked = self._tracked.get(document)
        if tracked is not None:
            self._cancel(tracked)
            self._writer.remove(tracked.entry_id)

    def discard_all(self) -> None:
        """The window closes cleanly: every unsaved change was saved or discarded."""
        for document in list(self._tracked):
            self.forget(document)
        self._writer.wait()

    def shutdown(self) -> None:
        self._writer.wait()
        self._writer.shutdown()

    def entry_id(self, document: ArticleDocument) -> str | None:
        tracked = self._tracked.get(document)
        return tracked.entry_id if tracked is not None else None

    def is_pending(self, document: ArticleDocument) -> bool:
        """Is a journal write of ``document`` scheduled (a timer running)?"""
        tracked = self._tracked.get(document)
        return tracked is not None and (tracked.idle.isActive() or tracked.max_wait.isActive())

    def write_now(self, document: ArticleDocument) -> None:
        """Write the entry now (the timers call this; so may a caller that cannot wait)."""
        tracked = self._tracked.get(document)
        if tracked is None:
            return
        self._cancel(tracked)
        if not document.is_modified():
            self._writer.remove(tracked.entry_id)
            return
        self._writer.write(_Snapshot(tracked.entry_id, document.path, document.display_name,
                                     document.article()))

    def wait(self) -> None:
        """Block until every write asked for so far is done (tests, quitting)."""
        self._writer.wait()

    # -- reacting ----------------------------------------------------------------------------
    def _on_changed(self, document: ArticleDocument) -> None:
        # The typing path: restart one timer, start the other if it is not running.
        tracked = self._tracked.get(document)
        if tracked is None:
            return
        tracked.idle.start()
        if not tracked.max_wait.isActive():
            tracked.max_wait.start()

    def _on_modified(self, document: ArticleDocument, modified: bool) -> None:
        tracked = self._tracked.get(document)
        if tracked is None:
            return
        if modified:
            self._on_changed(document)
        else:  # saved, or undone back to the saved text: nothing to recover
            self._cancel(tracked)
            self._writer.remove(tracked.entry_id)

    def _cancel(self, tracked: _Tracked) -> None:
        tracked.idle.stop()
        tracked.max_wait.stop()

    def _on_written(self, entry_id: str) -> None:
        self._last_failure = ""
        for document, tracked in self._tracked.items():
            if tracked.entry_id == entry_id:
                self.entry_written.emit(document)
                return

    def _on_failed(self, _entry_id: str, message: str) -> None:
        if message != self._last_failure:  # once per reason, not on every pause in typing
            self._last_failure = message
            self.failed.emit(f"Autosave failed — {message}")


def adopt_entry(controller: AutosaveController, document: ArticleDocument,
                entry: RecoveryEntry) -> None:
    """A recovered document takes over its old entry: written anew under its own id first,
    then the old one is removed, so the text is on disk at every moment."""
    controller.write_now(document)
    controller.wait()
    entry_id = controller.entry_id(document)
    if entry_id != entry.entry_id and entry_id is not None and controller.journal.has_entry(entry_id):
        controller.journal.discard(entry)
