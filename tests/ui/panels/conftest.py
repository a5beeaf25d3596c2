"""Fixtures for the side panels: a real document shown in a real body editor."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QPlainTextEdit

from editor.model import Article
from editor.ui import first_screen
from editor.ui.document import ArticleDocument


class Tab:
    """An open article as the panels see it: the document and the editor showing its body."""

    def __init__(self, document: ArticleDocument, editor: QPlainTextEdit) -> None:
        self.document = document
        self.editor = editor

    @property
    def body(self) -> str:
        return self.document.body()

    def undo(self) -> None:
        self.document.undo_stack.undo()

    def set_cursor(self, position: int) -> None:
        cursor = self.editor.textCursor()
        cursor.setPosition(position)
        self.editor.setTextCursor(cursor)


# The offscreen platform says so whenever a window with docks is shown; it is not ours to fix.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"


@pytest.fixture(autouse=True)
def first_screen_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    """These docks are hosted without the editor's tabs, whose first screen lets the docks'
    worker processes start (editor.ui.first_screen): as after start-up, they start at once."""
    monkeypatch.setattr(first_screen, "_waiting", None)


@pytest.fixture
def host(qtbot):  # type: ignore[no-untyped-def]
    """Shows a dock beside a tab's editor in a main window, as the application does."""
    windows: list[QMainWindow] = []

    def show(dock: QDockWidget, tab: Tab) -> QMainWindow:
        window = QMainWindow()
        windows.append(window)  # qtbot holds widgets weakly
        qtbot.addWidget(window)
        window.setCentralWidget(tab.editor)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        window.resize(1100, 700)
        window.show()
        qtbot.waitExposed(window)
        return window

    return show


@pytest.fixture
def make_tab(qtbot) -> Iterator[Callable[..., Tab]]:  # type: ignore[no-untyped-def]
    made: list[Tab] = []

    def make(body: str = "", **metadata: object) -> Tab:
        document = ArticleDocument(Article(body=body, **metadata))  # type: ignore[arg-type]
        editor = QPlainTextEdit()
        editor.setDocument(document.text_document)
        tab = Tab(document, editor)
        made.append(tab)
        # As a tab opens: a long body's first analysis comes from the worker process.
        qtbot.waitUntil(document.analysis.is_current, timeout=20000)
        return tab

    yield make
    # Deleted on the window's thread, as the workspace deletes a closed document: left to
    # Python's garbage collector, which may run on any thread, a document with a timer still
    # running (its analysis, a moment after an edit) is freed where Qt cannot stop that timer.
    for tab in made:
        tab.document.deleteLater()
