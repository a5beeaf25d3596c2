"""The bases of the side docks: every dock, the docks that follow the current document
(refreshed after a pause in typing), and the docks that do not (a story library).

The window adds every registered dock (:mod:`editor.ui.docks`) and wires it by its base.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtWidgets import QDockWidget, QWidget

from editor.ui.document import ArticleDocument

REFRESH_DELAY_MS = 200
PREFERRED_WIDTH = 340


class Dock(QDockWidget):
    """A side dock of the window, with a View-menu toggle; its objectName keys saved layouts."""

    def __init__(self, title: str, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName(object_name)

    def sizeHint(self) -> QSize:
        """Wide enough for a heading or a sentence of context beside the editor."""
        hint = super().sizeHint()
        return QSize(max(hint.width(), PREFERRED_WIDTH), hint.height())


class WorkspaceDock(Dock):
    """A dock that does not follow the current document; it asks the workspace to open files."""

    open_requested = Signal(list)  # paths to open, each in its tab


class DocumentDock(Dock):
    """A dock that shows something of one :class:`ArticleDocument` and keeps it current.

    Changes to the document restart a short single-shot timer, so a burst of typing costs one
    refresh after the burst instead of one per keystroke. Subclasses implement :meth:`refresh`
    and say which of the document's signals concern them.
    """

    jump_requested = Signal(int)  # a body character position to show in the editor

    follows_body = True  # refresh on ``changed`` (body and metadata) or ``metadata_changed`` only

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
            self._signal(self._document).disconnect(self._schedule_refresh)
            self._document.destroyed.disconnect(self._on_document_destroyed)
        self._document = document
        if document is not None:
            self._signal(document).connect(self._schedule_refresh)
            document.destroyed.connect(self._on_document_destroyed)
        self._timer.stop()
        self.refresh()

    def _signal(self, document: ArticleDocument):  # type: ignore[no-untyped-def]
        return document.changed if self.follows_body else document.metadata_changed

    def _on_document_destroyed(self) -> None:
        self._document = None
        self._timer.stop()
        self.refresh()

    def _schedule_refresh(self) -> None:
        self._timer.start()

    def refresh_now(self) -> None:
        """Bring the panel up to date at once (after an edit the panel made itself)."""
        self._timer.stop()
        self.refresh()

    def set_cursor_position(self, position: int) -> None:
        """The editor's cursor moved to body character ``position``; most docks ignore it."""

    def refresh(self) -> None:
        raise NotImplementedError
