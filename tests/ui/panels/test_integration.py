"""The three panels in the real window: docked, toggled from the View menu, following the
current tab, jumping in the editor, and changes reaching the preview."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDockWidget

from editor.model import RelatedCard
from editor.ui.main_window import MainWindow
from editor.ui.panels.headings import HeadingsPanel
from editor.ui.panels.placeholders import PlaceholdersPanel
from editor.ui.panels.related import RelatedPanel
from editor.ui.preview import PreviewView

from .conftest import OFFSCREEN_NOISE

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

SEED = Path(__file__).resolve().parents[2] / "data" / "import" / "seed_iraq.txt"


def docks(window: MainWindow) -> tuple[HeadingsPanel, PlaceholdersPanel, RelatedPanel]:
    headings = window.findChild(HeadingsPanel)
    placeholders = window.findChild(PlaceholdersPanel)
    related = window.findChild(RelatedPanel)
    assert headings is not None and placeholders is not None and related is not None
    return headings, placeholders, related


def preview_text(qtbot, view: PreviewView) -> str:  # type: ignore[no-untyped-def]
    results: list[Any] = []
    view.run_in_preview("document.body.innerText", results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    return str(results[0])


def test_seed_opens_with_its_headings_links_and_cards_in_the_docks(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("editor.importers.plaintext")
    window.workspace.open_paths([SEED])
    headings, placeholders, related = docks(window)
    for dock, title in ((headings, "Headings"), (placeholders, "Placeholders"),
                        (related, "Related stories")):
        assert dock.windowTitle() == title and dock.isVisible()
        assert window.dockWidgetArea(dock) == Qt.DockWidgetArea.RightDockWidgetArea
        assert dock.toggleViewAction() in window.view_menu.actions()
    assert [row[1] for row in headings.rows()] == [
        "The official discourse and the reality of rocket fire",
        "Chasing the Cat's Fifth Leg: Real Success or Half-Truth?",
        "Iraq's Future: A Partner or a Board with New Rules?",
    ]
    assert [row[0] for row in placeholders.rows()] == ["Internal link", "Internal link"]
    assert placeholders.remaining_count() == 2
    assert window.status_bar.placeholders_label.text() == "2 placeholders left"
    assert len(related.rows()) == 2


def test_click_on_a_heading_moves_the_editor_and_the_cursor_moves_the_highlight(  # type: ignore[no-untyped-def]
        window, qtbot) -> None:
    pytest.importorskip("editor.importers.plaintext")
    window.workspace.open_paths([SEED])
    headings, _placeholders, _related = docks(window)
    editor = window.current_editor()
    body = window.current_document().body()
    target = headings.model.index(1, 0)
    rect = headings.view.visualRect(target)
    qtbot.mouseClick(headings.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert editor.textCursor().position() == body.index("## Chasing the Cat")
    cursor = editor.textCursor()
    cursor.setPosition(body.index("The main risk"))
    editor.setTextCursor(cursor)
    current = headings.model.index(2, 0)
    qtbot.waitUntil(lambda: current.data(Qt.ItemDataRole.FontRole) is not None
                    and current.data(Qt.ItemDataRole.FontRole).bold())


def test_docks_hide_show_and_follow_the_current_tab(window, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    headings, placeholders, related = docks(window)
    assert headings.rows() == [] and placeholders.remaining_count() == 0
    story = tmp_path / "story.md"
    story.write_text("---\ntitle: Story\nrelated:\n  - title: One card\n---\n"
                     "## Only heading\n\nText TK.\n", encoding="utf-8")
    window.workspace.open_paths([story])
    assert [row[1] for row in headings.rows()] == ["Only heading"]
    assert placeholders.rows()[0][0] == "TK (to come)"
    assert related.rows() == ["One card"]
    window.workspace.new_document()
    assert headings.rows() == [] and related.rows() == []
    window.tabs.setCurrentIndex(0)
    assert [row[1] for row in headings.rows()] == ["Only heading"]
    toggle = related.toggleViewAction()
    toggle.trigger()
    assert not related.isVisible()
    toggle.trigger()
    assert related.isVisible()
    assert all(isinstance(dock, QDockWidget) and dock.objectName() for dock in docks(window))


def test_a_new_card_and_a_resolved_link_appear_in_the_preview(window, qtbot,  # type: ignore[no-untyped-def]
                                                            sample_copy) -> None:
    window.workspace.open_paths([sample_copy])
    _headings, placeholders, related = docks(window)
    tab = window.current_tab()
    qtbot.waitUntil(tab.preview.is_ready, timeout=15000)
    related.edit_card = lambda card, title: RelatedCard(
        title="Ferry fares frozen for a year", url="https://news.example/ferries")
    qtbot.mouseClick(related.buttons["Add"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Ferry fares frozen for a year" in preview_text(qtbot, tab.preview),
                    timeout=5000)
    window.current_document().undo_stack.undo()
    qtbot.waitUntil(
        lambda: "Ferry fares frozen for a year" not in preview_text(qtbot, tab.preview),
        timeout=5000)
    if placeholders.remaining_count():
        from editor.ui.panels.resolve_dialog import ResolveAnswer, ResolveChoice

        placeholders.ask_resolution = lambda *args: ResolveAnswer(
            ResolveChoice.RESOLVE, "https://news.example/linked", "a linked story")
        placeholders.view.setCurrentIndex(placeholders.model.index(0, 0))
        placeholders.resolve_selected()
        qtbot.waitUntil(lambda: "a linked story" in preview_text(qtbot, tab.preview),
                        timeout=5000)


def test_a_related_heading_edit_stays_with_the_article_it_was_made_in(  # type: ignore[no-untyped-def]
        window, qtbot, tmp_path) -> None:
    paths = []
    for name, heading in (("a.md", "Read more A"), ("b.md", "Read more B")):
        path = tmp_path / name
        path.write_text(f"---\ntitle: {name}\nrelated_heading: {heading}\n---\nBody.\n",
                        encoding="utf-8")
        paths.append(path)
    window.workspace.open_paths(paths)
    first, second = window.editor_tabs()
    window.tabs.setCurrentWidget(first)
    related = docks(window)[2]
    related.show()
    qtbot.mouseClick(related.heading_edit, Qt.MouseButton.LeftButton)
    related.heading_edit.setFocus()
    qtbot.waitUntil(related.heading_edit.hasFocus, timeout=2000)
    related.heading_edit.selectAll()
    qtbot.keyClicks(related.heading_edit, "Also in A")

    bar = window.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    assert window.current_tab() is second
    assert related.heading_edit.text() == "Read more B"
    qtbot.mouseClick(second.editor.viewport(), Qt.MouseButton.LeftButton)
    second.editor.setFocus()
    qtbot.waitUntil(lambda: not related.heading_edit.hasFocus(), timeout=2000)

    assert first.document.metadata().related_heading == "Also in A"
    assert second.document.metadata().related_heading == "Read more B"
    assert not second.document.is_modified()


def test_after_save_as_to_another_folder_card_thumbnails_come_from_there(  # type: ignore[no-untyped-def]
        window, qtbot, tmp_path, answers) -> None:
    from PySide6.QtGui import QColor, QImage

    before, after = tmp_path / "before", tmp_path / "after"
    for folder, color in ((before, "#ff0000"), (after, "#0000ff")):
        folder.mkdir()
        image = QImage(20, 20, QImage.Format.Format_RGB32)
        image.fill(QColor(color))
        assert image.save(str(folder / "pic.png"))
    path = before / "story.md"
    path.write_text("---\ntitle: Story\nrelated:\n  - {title: Card, url: /a, image: pic.png, "
                    "image_alt: A picture}\n---\nBody.\n", encoding="utf-8")
    window.workspace.open_paths([path])
    related = docks(window)[2]

    def thumbnail_color() -> str:
        pixmap = related.model.index(0).data(Qt.ItemDataRole.DecorationRole)
        return pixmap.toImage().pixelColor(pixmap.width() // 2, pixmap.height() // 2).name()

    assert thumbnail_color() == "#ff0000"
    answers.save_path = after / "story.md"
    assert window.workspace.save_document_as(window.current_document())
    qtbot.waitUntil(lambda: thumbnail_color() == "#0000ff", timeout=2000)


HEADED = ("Introduction words.\n\n## First\n\nOne.\n\n## Second\n\nTwo.\n")


def test_no_heading_stays_highlighted_while_the_cursor_is_in_the_introduction(
        window, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.md"
    path.write_text(HEADED, encoding="utf-8")
    window.workspace.open_paths([path])
    headings, _placeholders, _related = docks(window)
    tab = window.current_tab()
    tab.reveal_position(HEADED.index("Two."))
    qtbot.waitUntil(lambda: headings.view.selectionModel().selectedRows() != [])
    assert headings.view.currentIndex().data() == "Second"
    tab.reveal_position(3)  # back in the introduction
    qtbot.waitUntil(lambda: headings.view.selectionModel().selectedRows() == [])
    assert headings.model.current() is None


def test_alt_down_moves_the_heading_just_clicked(window, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.md"
    path.write_text(HEADED, encoding="utf-8")
    window.workspace.open_paths([path])
    headings, _placeholders, _related = docks(window)
    qtbot.waitUntil(lambda: len(headings.rows()) == 2)
    view = headings.view
    first = view.visualRect(headings.model.index(0, 0)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=first)
    assert window.current_tab().editor.textCursor().position() == HEADED.index("## First")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    body = window.current_document().body()
    assert body.index("## Second") < body.index("## First")
