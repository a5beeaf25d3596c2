"""The side docks come from the registry (editor.ui.docks), wired by their base class."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel, QWidget

from editor.ui import docks, first_screen
from editor.ui.docks import DOCKS, DockEntry, DocumentDock, WorkspaceDock
from editor.ui.first_screen import after_first_screen
from editor.ui.main_window import MainWindow
from editor.ui.settings import Settings

from .conftest import OFFSCREEN_NOISE, tab_texts, write_article

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


class ShelfDock(WorkspaceDock):
    """A dock of the kind the story library will be: it shows files, not the current one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Shelf", "ShelfDock", parent)
        self.setWidget(QLabel("Stories on the shelf"))


def test_every_registered_dock_is_on_the_right_with_its_view_toggle(window):
    names = [dock.objectName() for dock in window.docks]
    # Saved layouts use these names.
    assert names == ["HeadingsPanel", "PlaceholdersPanel", "RelatedPanel", "ChecksPanel",
                     "LibraryPanel"]
    assert [type(dock) for dock in window.docks] == [entry.dock_class for entry in DOCKS]
    for dock in window.docks:
        assert window.dockWidgetArea(dock) == Qt.DockWidgetArea.RightDockWidgetArea
        assert dock.toggleViewAction() in window.view_menu.actions()


def test_a_dock_hidden_from_the_view_menu_stays_hidden_in_the_next_window(qtbot, tmp_path):
    store = str(tmp_path / "layout.ini")
    first = MainWindow(Settings(QSettings(store, QSettings.Format.IniFormat)))
    qtbot.addWidget(first)
    first.show()
    related = first.findChild(QWidget, "RelatedPanel")
    related.toggleViewAction().trigger()
    assert not related.isVisible()
    first.close()
    second = MainWindow(Settings(QSettings(store, QSettings.Format.IniFormat)))
    qtbot.addWidget(second)
    second.show()
    assert not second.findChild(QWidget, "RelatedPanel").isVisible()
    assert second.findChild(QWidget, "HeadingsPanel").isVisible()
    second.close()


def test_docks_built_once_the_first_article_shows_follow_it_where_the_user_left_them(
    qtbot, tmp_path, monkeypatch
):
    store = str(tmp_path / "layout.ini")
    first = MainWindow(Settings(QSettings(store, QSettings.Format.IniFormat)))
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.findChild(QWidget, "RelatedPanel").toggleViewAction().trigger()
    first.close()

    monkeypatch.setattr(first_screen, "_waiting", [])  # as in a fresh start of the editor
    # As the application starts it: the docks wait for the first screen.
    window = MainWindow(Settings(QSettings(store, QSettings.Format.IniFormat)), docks_later=True)
    qtbot.addWidget(window)
    window.show()
    assert window.docks == [] and window.findChild(QWidget, "HeadingsPanel") is None
    assert after_first_screen(window, window.build_docks)
    window.workspace.open_paths([write_article(
        tmp_path, "story.md", "## Who voted\n\nThe council voted TK.\n\n## What next\n\nA vote.\n")])
    assert window.docks == []
    qtbot.waitUntil(lambda: bool(window.docks), timeout=15000)
    assert window.current_tab().preview.is_ready()  # built after the article showed

    following = [dock for dock in window.docks if isinstance(dock, DocumentDock)]
    assert following and all(dock.document() is window.current_document() for dock in following)
    headings = window.findChild(QWidget, "HeadingsPanel")
    qtbot.waitUntil(lambda: headings.model.rowCount() == 2, timeout=5000)
    assert headings.model.index(0, 0).data() == "Who voted"
    assert headings.isVisible() and not window.findChild(QWidget, "RelatedPanel").isVisible()
    assert window.library_menu.menuAction() in window.menuBar().actions()
    qtbot.waitUntil(lambda: window.status_bar.blockers_label.text() != "", timeout=20000)
    window.build_docks()  # again: nothing more
    assert len(window.findChildren(DocumentDock)) == len(following)
    window.close()

    # Without a saved layout, the docks take their first shares of the column, as when built
    # with the window.
    fresh = MainWindow(Settings(QSettings(str(tmp_path / "fresh.ini"),
                                          QSettings.Format.IniFormat)), docks_later=True)
    qtbot.addWidget(fresh)
    fresh.resize(1400, 900)
    fresh.show()
    qtbot.waitExposed(fresh)
    fresh.build_docks()
    heights = {name: fresh.findChild(QWidget, name).height()
               for name in ("HeadingsPanel", "PlaceholdersPanel", "RelatedPanel")}
    assert heights["RelatedPanel"] > heights["HeadingsPanel"] > heights["PlaceholdersPanel"] > 0
    fresh.close()


def test_docks_waiting_for_a_first_article_closed_before_it_showed_are_built_all_the_same(
    qtbot, settings, tmp_path, monkeypatch
):
    monkeypatch.setattr(first_screen, "_waiting", [])  # as in a fresh start of the editor
    window = MainWindow(settings, docks_later=True)
    qtbot.addWidget(window)
    window.show()
    assert after_first_screen(window, window.build_docks)
    window.workspace.open_paths([write_article(tmp_path, "wrong.md", "Not this one.\n")])
    window.close_tab(0)  # at once, before its preview showed the article
    qtbot.waitUntil(lambda: bool(window.docks), timeout=5000)  # the Library dock, for one
    window.close()


def test_a_dock_that_does_not_follow_the_document_opens_files(qtbot, settings, tmp_path,
                                                             monkeypatch):
    monkeypatch.setattr(docks, "DOCKS", (*DOCKS, DockEntry(ShelfDock, 150)))
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    shelf = window.findChild(ShelfDock)
    assert shelf is not None and shelf.toggleViewAction() in window.view_menu.actions()
    assert window.dockWidgetArea(shelf) == Qt.DockWidgetArea.RightDockWidgetArea
    shelf.open_requested.emit([write_article(tmp_path, "from-shelf.md", "Shelved.\n")])
    assert tab_texts(window) == ["from-shelf.md"]
    following = [dock for dock in window.docks if isinstance(dock, DocumentDock)]
    assert all(dock.document() is window.current_document() for dock in following)
    window.close()
