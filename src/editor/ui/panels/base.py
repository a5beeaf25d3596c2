"""The bases of the side docks: every dock, the docks that follow the current document
(refreshed after a pause in typing), and the docks that do not (a story library).

The window adds every registered dock (:mod:`editor.ui.docks`) and wires it by its base.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import QDockWidget, QWidget

from editor.ui.document import ArticleDocument

REFRESH_DELAY_MS = 200
# A dock with heavy work of its own (the checks, the library's suggestions) waits for a
# longer pause over a long body: begun just after its analysis, that work fell among the
# next keystroke's patch and repaint (at 100,000 words the suggestions took 76 ms of a core
# a keystroke; waiting took its keystroke-to-preview p95 from 16–19 ms to 10.5–15).
LONG_BODY_CHARS = 60_000
LONG_BODY_DELAY_MS = 1500
PREFERRED_WIDTH = 340


class Dock(QDockWidget):
    """A side dock of the window, with a View-menu toggle; its objectName keys saved layouts."""

    def __init__(self, title: str, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName(object_name)

    def shut_down(self) -> None:
        """The window is going: stop any background work (most docks have none)."""

    def sizeHint(self) -> QSize:
        """Wide enough for a heading or a sentence of context beside the editor."""
        hint = super().sizeHint()
        return QSize(max(hint.width(), PREFERRED_WIDTH), hint.height())


class WorkspaceDock(Dock):
    """A dock that does not follow the current document; it asks the workspace to open files."""

    open_requested = Signal(list)  # paths to open, each in its tab


class DocumentDock(Dock):
    """A dock that shows something of one :class:`ArticleDocument` and keeps it current.

    A panel that shows the body's structure follows the document's shared analysis
    (:attr:`ArticleDocument.analysis`), which already waits for a pause in typing, and refreshes
    when a new revision has been analysed. A panel that shows metadata refreshes after a short
    single-shot timer. Subclasses implement :meth:`refresh` and say which of the document's
    signals concern them (:meth:`_signals`).
    """

    jump_requested = Signal(int)  # a body character position to show in the editor

    follows_body = True  # refresh on each new analysis, or on ``metadata_changed`` only
    # Refresh after a pause of its own once an analysis arrives (longer for a long body), not
    # at once: for a dock whose refresh starts heavy work.
    waits_for_pause = False

    def __init__(self, title: str, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(title, object_name, parent)
        self._document: ArticleDocument | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)

    def document(self) -> ArticleDocument | None:
        return self._document

    def set_document(self, document: ArticleDocument | None) -> None:
        """Show ``document`` (the current tab's), or nothing."""
        if document is self._document:
            return
        if self._document is not None:
            for signal, slot in self._signals(self._document):
                signal.disconnect(slot)
            self._document.destroyed.disconnect(self._on_document_destroyed)
        self._document = document
        if document is not None:
            for signal, slot in self._signals(document):
                signal.connect(slot)
            document.destroyed.connect(self._on_document_destroyed)
        self._timer.stop()
        self.refresh()

    def _signals(self, document: ArticleDocument) -> list[tuple[SignalInstance, Callable[..., None]]]:
        """The document's signals this panel follows, each with what it calls."""
        if self.follows_body:
            return [(document.analysis.updated, self._on_analysis_updated)]
        return [(document.metadata_changed, self._schedule_refresh)]

    def _on_document_destroyed(self) -> None:
        self._document = None
        self._timer.stop()
        self.refresh()

    def _on_analysis_updated(self, _analysis: object) -> None:
        # Even when the text has changed again meanwhile: that revision's analysis is under way
        # and refreshes the panel in turn. (Analysing it here, as refresh_now does, took 34 ms
        # of the window's thread at 100,000 words, each time typing resumed as one arrived.)
        if self.waits_for_pause:
            self._schedule_refresh()
            return
        self._timer.stop()
        self.refresh()

    def _schedule_refresh(self) -> None:
        document = self._document
        long_body = (self.waits_for_pause and document is not None
                     and document.text_document.characterCount() > LONG_BODY_CHARS)
        self._timer.setInterval(LONG_BODY_DELAY_MS if long_body else REFRESH_DELAY_MS)
        self._timer.start()

    def refresh_now(self) -> None:
        """Bring the panel up to date at once (after an edit the panel made itself)."""
        self._timer.stop()
        document = self._document
        if self.follows_body and document is not None and not document.analysis.is_current():
            document.analysis.current()  # analysed here and now; its signal refreshes the panel
        else:
            self.refresh()

    def set_cursor_position(self, position: int) -> None:
        """The editor's cursor moved to body character ``position``; most docks ignore it."""

    def refresh(self) -> None:
        raise NotImplementedError
