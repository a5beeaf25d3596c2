"""Keeps one :class:`~editor.analysis.Analysis` per document revision, off the main thread when long.

A short body is analysed on the main thread a moment after each change (typing a few keys
quickly costs one analysis), once the keystroke's preview patch and repaint are done. A long
body is analysed once its tab has shown its first screen and after each pause in typing, in a
worker process (a thread would hold the window's interpreter lock), from a snapshot of the
text; a result that comes back for a revision the document has since left is dropped. Readers
get :meth:`DocumentAnalysis.latest` (perhaps a revision behind, with its
:attr:`~DocumentAnalysis.revision`) and the ``updated`` signal; an action about to edit the
text asks :meth:`DocumentAnalysis.current`, which catches up at once.
"""

from __future__ import annotations

import dataclasses
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from editor import worker_process
from editor.analysis import Analysis, BodyAnalysis, analyze, analyze_body_for_window, with_metadata
from editor.ui.first_screen import after_first_screen
from editor.ui.main_thread import deliver, prepare_relay

if TYPE_CHECKING:
    from editor.ui.document import ArticleDocument

# Above this many characters (some 3,000 words) the body is analysed in the worker process,
# after a pause in typing; below, at once (a few milliseconds per analysis).
LARGE_BODY_CHARS = 20_000
PAUSE_MS = 250
# A short body's analysis waits this long: at once, it ran between the editor's repaint and
# the preview's answer to the keystroke's patch, and held up both (5–15 ms at 1,000 words).
SHORT_PAUSE_MS = 40
WORKER = "analysis"


def wait_for_worker() -> None:
    """Wait until the worker has finished what it was given; its results are then queued
    for the main thread's event loop."""
    worker_process.wait_until_idle(WORKER)


@dataclass
class _Request:
    """A body analysis asked of the worker, for one revision."""

    revision: int
    body: str
    future: Future[BodyAnalysis] | None = None
    cancelled: bool = False


class DocumentAnalysis(QObject):
    """The analysis of one :class:`ArticleDocument`, kept current as it changes."""

    updated = Signal(object)  # Analysis: a newer revision has been analysed

    def __init__(self, document: ArticleDocument) -> None:
        super().__init__(document)
        prepare_relay()
        self._document = document
        self._request: _Request | None = None
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self._start)
        document.changed.connect(self._on_changed)
        article = document.article()
        if len(article.body) <= LARGE_BODY_CHARS:
            self._latest = analyze(article)
            self._revision = document.revision
            return
        # A long body is analysed in the worker from the start: here it held up the opening
        # tab (30 ms at 100,000 words, before its first screen). Until the answer comes, the
        # analysis is of the metadata alone; the worker waits for the first screen too.
        self._latest = analyze(dataclasses.replace(article, body=""))
        self._revision = -1
        if not after_first_screen(self, self._start):
            self._timer.start(0)

    @property
    def revision(self) -> int:
        """The document revision :meth:`latest` was computed on."""
        return self._revision

    def latest(self) -> Analysis:
        """The newest analysis there is; it may be a revision behind the document."""
        return self._latest

    def is_current(self) -> bool:
        return self._revision == self._document.revision

    def is_analysing(self) -> bool:
        """Is a newer revision being analysed on the worker thread?"""
        return self._request is not None

    def current(self) -> Analysis:
        """The analysis of the document as it is now, computed here and now if need be."""
        if not self.is_current():
            self._timer.stop()
            self._cancel()
            self._store(self._document.revision, analyze(self._document.article(), self._latest))
        return self._latest

    # -- internals -----------------------------------------------------------------------
    def _on_changed(self) -> None:
        self._cancel()
        long = self._document.text_document.characterCount() > LARGE_BODY_CHARS
        self._timer.start(PAUSE_MS if long else SHORT_PAUSE_MS)

    def _start(self) -> None:
        if self.is_current():
            return
        article = self._document.article()
        if (len(article.body) <= LARGE_BODY_CHARS
                or article.body == self._latest.body_analysis.body):
            self.current()  # short, or only the metadata changed: cheap enough here
            return
        request = _Request(self._document.revision, article.body)
        self._request = request
        future = worker_process.submit(WORKER, analyze_body_for_window, article.body)
        request.future = future
        future.add_done_callback(
            lambda done: deliver(self, lambda: self._on_computed(request, done)))

    def _cancel(self) -> None:
        if self._request is not None:
            self._request.cancelled = True
            if self._request.future is not None:
                self._request.future.cancel()  # not started yet: never will
            self._request = None

    def _on_computed(self, request: _Request, future: Future[BodyAnalysis]) -> None:
        if request is self._request:
            self._request = None
        if future.cancelled() or request.cancelled or self.is_current():
            return  # caught up meanwhile (current())
        if request.revision != self._document.revision:
            return  # stale: the document has moved on, a newer request follows
        try:
            computed = future.result()
        except BrokenProcessPool:  # the process died (killed, out of memory): analyse here
            self.current()  # the next request starts a new process
            return
        body_analysis = dataclasses.replace(computed, body=request.body)
        self._store(request.revision, with_metadata(body_analysis, self._document.metadata()))

    def _store(self, revision: int, analysis: Analysis) -> None:
        self._revision = revision
        self._latest = analysis
        self.updated.emit(analysis)
