"""The Library dock: search as you type, suggestions for the article, taking and dragging them."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QTreeWidgetItem, QWidget

from editor.files import load_article
from editor.library.sources import index_paths
from editor.library.sqlite import SqliteLibrary
from editor.placeholders import PlaceholderKind
from editor.ui.panels.library import LibraryPanel
from editor.ui.panels.placeholders import PlaceholdersPanel
from editor.ui.panels.related import RelatedPanel
from editor.ui.panels.resolve_dialog import ResolveAnswer, ResolveChoice

from ..conftest import LIBRARY_ARCHIVE as ARCHIVE
from .conftest import OFFSCREEN_NOISE

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

ROOT = Path(__file__).parents[3]
SAMPLE = ROOT / "resources" / "samples" / "harbour-bridge.md"
TIMELINE = "Timeline: the harbour bridge, from first sketch to council vote"


@pytest.fixture
def panel(qtbot, library_file: Path):  # type: ignore[no-untyped-def]
    dock = LibraryPanel(location=library_file)
    qtbot.addWidget(dock)
    yield dock
    dock.shut_down()


@pytest.fixture
def sample_tab(make_tab):  # type: ignore[no-untyped-def]
    article = load_article(SAMPLE)
    fields = {name: getattr(article, name) for name in ("title", "date", "keyword", "tags",
                                                       "related")}
    return make_tab(article.body, **fields)


def item_titled(tree, title: str) -> QTreeWidgetItem:  # type: ignore[no-untyped-def]
    for item in _items(tree):
        story = item.data(0, Qt.ItemDataRole.UserRole + 1)
        if story is not None and story.title == title:
            return item
    raise AssertionError(f"{title!r} is not shown")


def _items(tree):  # type: ignore[no-untyped-def]
    for row in range(tree.topLevelItemCount()):
        parent = tree.topLevelItem(row)
        yield parent
        for index in range(parent.childCount()):
            yield parent.child(index)


def show_suggestions(qtbot, panel: LibraryPanel, tab) -> None:  # type: ignore[no-untyped-def]
    panel.set_document(tab.document)
    qtbot.waitUntil(panel.suggestions_ready, timeout=10000)


def drop(widget: QWidget, mime, pos: QPoint) -> bool:  # type: ignore[no-untyped-def]
    """Drag ``mime`` over ``widget`` and drop it at ``pos``, as the window system would."""
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    args = (actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(pos, *args)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    QApplication.sendEvent(widget, QDragMoveEvent(pos, *args))
    event = QDropEvent(QPointF(pos), *args)
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


def test_search_as_you_type_shows_matching_stories_and_the_count(
        qtbot, panel: LibraryPanel) -> None:  # type: ignore[no-untyped-def]
    assert panel.count_label.text() == "10 stories in the library"
    panel.tabs.setCurrentIndex(1)
    qtbot.keyClicks(panel.search_field, "budget ann")
    qtbot.waitUntil(lambda: panel.result_titles() != [], timeout=3000)
    assert panel.result_titles()[0] == "Council budget annex explained"
    item = panel.results.topLevelItem(0)
    assert "2025-02-10" in item.text(0)
    panel.search_field.clear()
    qtbot.keyClicks(panel.search_field, "ferry")
    qtbot.waitUntil(lambda: panel.result_titles() == [
        "Ferry operators warn bridge tolls will cost them passengers"], timeout=3000)


def test_suggestions_are_grouped_by_placeholder_with_cards(
        qtbot, panel: LibraryPanel, sample_tab) -> None:  # type: ignore[no-untyped-def]
    show_suggestions(qtbot, panel, sample_tab)
    groups = panel.suggestion_groups()
    labels = [label for label, _ in groups]
    assert labels[0].startswith("Internal link, line 3")
    assert labels[1].startswith("External link, line 19")
    assert labels[2].startswith("Internal link, line 49")
    assert labels[3] == "Related cards"
    assert groups[2][1][0] == TIMELINE
    assert groups[1][1][0] == "Council budget annex explained"
    assert "Harbour bridge construction begins" not in {t for _, ts in groups for t in ts}
    assert "Why: " in item_titled(panel.suggestions, TIMELINE).toolTip(0)


def test_suggestions_are_ranked_in_a_worker_process_not_a_thread_of_the_window(
        qtbot, panel: LibraryPanel, sample_tab, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import threading

    from editor.library import suggest

    ranked_here: list[str] = []
    original = suggest.Suggester.suggest

    def watched(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        ranked_here.append(threading.current_thread().name)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(suggest.Suggester, "suggest", watched)  # in this process only
    show_suggestions(qtbot, panel, sample_tab)
    assert panel.suggestion_groups()[2][1][0] == TIMELINE
    assert ranked_here == []  # the window's process never held the interpreter lock for it


def test_a_long_article_is_ranked_after_a_longer_pause_than_its_analysis(
        qtbot, panel: LibraryPanel, make_tab) -> None:  # type: ignore[no-untyped-def]
    """Ranking a long article keeps the library's worker busy: not just as the next keystroke
    comes. A short article's suggestions follow its analysis after the docks' short pause."""
    from editor.ui.panels.base import LONG_BODY_CHARS, LONG_BODY_DELAY_MS, REFRESH_DELAY_MS

    paragraph = "The harbour bridge vote ended a decade of delays in the port district.\n\n"
    asked: list[float] = []
    real_refresh = panel.refresh
    panel.refresh = lambda: (asked.append(time.monotonic()), real_refresh())
    try:
        for body, pause_ms in ((paragraph * 3 + "[INTERNAL_LINK]\n", REFRESH_DELAY_MS),
                               (paragraph * (LONG_BODY_CHARS // len(paragraph) + 10)
                                + "[INTERNAL_LINK]\n", LONG_BODY_DELAY_MS)):
            tab = make_tab(body)
            show_suggestions(qtbot, panel, tab)
            analysis = tab.document.analysis
            asked.clear()
            with qtbot.waitSignal(analysis.updated, timeout=20000):
                tab.editor.textCursor().insertText("Harbour ")
            arrived = time.monotonic()
            QApplication.processEvents()
            assert asked == []  # not in the turn the analysis arrived
            qtbot.waitUntil(lambda: bool(asked), timeout=10000)
            assert asked[0] - arrived >= 0.9 * pause_ms / 1000
            qtbot.waitUntil(panel.suggestions_ready, timeout=10000)
    finally:
        del panel.refresh


def test_enter_on_a_suggestion_resolves_its_placeholder_in_one_undo_step(
        qtbot, panel: LibraryPanel, sample_tab) -> None:  # type: ignore[no-untyped-def]
    show_suggestions(qtbot, panel, sample_tab)
    before = sample_tab.body
    timeline_group = panel.suggestions.topLevelItem(2)
    panel.suggestions.setFocus()
    panel.suggestions.setCurrentItem(timeline_group.child(0))
    qtbot.keyClick(panel.suggestions, Qt.Key.Key_Return)
    expected = ("see our timeline [Timeline: the harbour bridge, from first sketch to council "
                "vote](https://example.com/news/harbour-bridge-timeline).")
    assert expected in sample_tab.body
    assert sample_tab.body.count("[INTERNAL_LINK]") == 1  # the other one is untouched
    sample_tab.undo()
    assert sample_tab.body == before
    # The suggestions follow the text: that placeholder is gone after the edit.
    sample_tab.document.undo_stack.redo()
    qtbot.waitUntil(lambda: panel.suggestions_ready() and len(panel.suggestion_groups()) == 3,
                    timeout=10000)


def test_double_clicking_a_card_suggestion_adds_a_filled_card(
        qtbot, host, panel: LibraryPanel, sample_tab) -> None:  # type: ignore[no-untyped-def]
    host(panel, sample_tab)
    show_suggestions(qtbot, panel, sample_tab)
    cards_group = panel.suggestions.topLevelItem(3)
    item = cards_group.child(0)
    story = item.data(0, Qt.ItemDataRole.UserRole + 1)
    panel.suggestions.scrollToItem(item)
    rect = panel.suggestions.visualItemRect(item)
    # A double-click, as the window system delivers one: a click, then the second press.
    qtbot.mouseClick(panel.suggestions.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.suggestions.viewport(), Qt.MouseButton.LeftButton,
                      pos=rect.center())
    cards = sample_tab.document.metadata().related
    assert len(cards) == 3
    assert (cards[-1].title, cards[-1].url, cards[-1].teaser) == (
        story.title, story.url, story.teaser)
    sample_tab.undo()
    assert len(sample_tab.document.metadata().related) == 2


def test_a_story_dragged_onto_the_body_becomes_a_link_where_it_falls(
        qtbot, host, panel: LibraryPanel, sample_tab) -> None:  # type: ignore[no-untyped-def]
    host(panel, sample_tab)
    panel.tabs.setCurrentIndex(1)
    panel.search_field.setText("port rents")
    panel.search_now()
    item = item_titled(panel.results, "Rents in the old port district have tripled since 2010")
    mime = panel.results.mimeData([item])
    editor = sample_tab.editor
    cursor = editor.textCursor()
    cursor.setPosition(0)
    editor.setTextCursor(cursor)
    point = editor.cursorRect(cursor).center()
    assert drop(editor.viewport(), mime, point)
    assert sample_tab.body.startswith(
        "[Rents in the old port district have tripled since 2010]"
        "(https://example.com/news/port-rents)The city council")
    sample_tab.undo()
    assert sample_tab.body.startswith("The city council")


def test_a_story_dragged_onto_the_related_panel_becomes_a_card(
        qtbot, host, panel: LibraryPanel, sample_tab) -> None:  # type: ignore[no-untyped-def]
    related = RelatedPanel()
    window = host(related, sample_tab)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, panel)
    related.set_document(sample_tab.document)
    panel.search_field.setText("regional transport fund")
    panel.search_now()
    item = item_titled(panel.results,
                       "Regional transport fund promises 150 million for harbour crossing")
    mime = panel.results.mimeData([item])
    assert drop(related.view.viewport(), mime, related.view.viewport().rect().center())
    card = sample_tab.document.metadata().related[-1]
    assert (card.title, card.url) == (
        "Regional transport fund promises 150 million for harbour crossing",
        "https://example.com/news/regional-transport-fund")
    sample_tab.undo()
    assert len(sample_tab.document.metadata().related) == 2


def test_adding_a_folder_runs_in_the_background_and_lists_skipped_files(
        qtbot, tmp_path: Path, sample_tab) -> None:  # type: ignore[no-untyped-def]
    dock = LibraryPanel(location=tmp_path / "empty.sqlite3")
    qtbot.addWidget(dock)
    try:
        assert dock.count_label.text() == "0 stories in the library"
        folder = tmp_path / "archive"
        shutil.copytree(ARCHIVE, folder)
        with qtbot.waitSignal(dock.indexing_finished, timeout=20000):
            assert dock.add_paths([folder])
            assert dock.is_indexing() and not dock.rebuild_action.isEnabled()
        assert dock.count_label.text() == "10 stories in the library"
        assert "skipped 3 unreadable file(s)" in dock.status_label.text()
        assert "front matter is not valid YAML" in dock.status_label.toolTip()
        assert dock.progress.isHidden() and dock.rebuild_action.isEnabled()
        with qtbot.waitSignal(dock.indexing_finished, timeout=20000):
            dock.rebuild()
        assert dock.count_label.text() == "10 stories in the library"
    finally:
        dock.shut_down()


def test_cancel_stops_indexing_and_keeps_what_was_added(
        qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(400):
        (folder / f"story-{number}.md").write_text(
            f"---\ntitle: Story {number}\n---\nText of story {number}.\n", "utf-8")
    dock = LibraryPanel(location=tmp_path / "lib.sqlite3")
    qtbot.addWidget(dock)
    try:
        with qtbot.waitSignal(dock.indexing_finished, timeout=30000) as finished:
            dock.add_paths([folder])
            qtbot.waitUntil(lambda: dock.progress.value() > 0, timeout=10000)
            qtbot.mouseClick(dock.cancel_button, Qt.MouseButton.LeftButton)
        report = finished.args[0]
        assert report.cancelled
        assert "(cancelled)" in dock.status_label.text()
        assert 0 < dock.store.count() < 400
    finally:
        dock.shut_down()


def test_a_damaged_library_is_replaced_and_said_so(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "lib.sqlite3"
    path.write_text("not a database at all", "utf-8")
    dock = LibraryPanel(location=path)
    qtbot.addWidget(dock)
    try:
        assert "moved to lib.sqlite3.unusable-" in dock.status_label.text()
        assert dock.count_label.text() == "0 stories in the library"
    finally:
        dock.shut_down()


@pytest.fixture
def library_in_environment(monkeypatch: pytest.MonkeyPatch, library_file: Path) -> Path:
    monkeypatch.setenv("ARTICLE_EDITOR_LIBRARY", str(library_file))
    return library_file


def test_the_window_has_the_dock_following_the_current_tab_and_a_library_menu(
        qtbot, library_in_environment: Path, window) -> None:  # type: ignore[no-untyped-def]
    dock = window.library_panel
    assert dock.location == str(library_in_environment)
    menus = {action.text(): action.menu() for action in window.menuBar().actions()}
    assert [a.text() for a in menus["&Library"].actions()] == [
        "Add &Folder…", "Add Feed &File…", "&Rebuild", "&Choose Library File…"]
    assert dock.toggleViewAction() in window.view_menu.actions()
    window.workspace.open_paths([SAMPLE])
    qtbot.waitUntil(lambda: dock.suggestions_ready() and len(dock.suggestion_groups()) == 4,
                    timeout=15000)
    assert dock.suggestion_groups()[2][1][0] == TIMELINE


def test_the_resolve_dialog_offers_the_librarys_suggestions_first(
        qtbot, panel: LibraryPanel, sample_tab) -> None:  # type: ignore[no-untyped-def]
    placeholders = PlaceholdersPanel()
    qtbot.addWidget(placeholders)
    placeholders.suggested_cards = panel.stories_for  # as the window wires them
    offered: list[list[str]] = []

    def ask(placeholder, body, cards, more):  # type: ignore[no-untyped-def]
        offered.append([card.title for card in cards])
        return ResolveAnswer(ResolveChoice.SKIP)

    placeholders.ask_resolution = ask
    placeholders.set_document(sample_tab.document)
    show_suggestions(qtbot, panel, sample_tab)
    placeholders.resolve_all(PlaceholderKind.INTERNAL_LINK)
    assert len(offered) == 2
    timeline_offers = offered[1]
    assert timeline_offers[0] == TIMELINE
    assert timeline_offers[-2:] == [  # the article's own cards come after
        "How the port district changed in twenty years",
        "Explainer: what a 'design-build' contract means for taxpayers"]
    placeholders.set_document(None)


def test_a_server_library_goes_offline_and_comes_back_without_holding_up_the_window(
        qtbot, server_schema: str, pg_server, monkeypatch, sample_tab) -> None:  # type: ignore[no-untyped-def]
    from editor.library.postgres import PostgresLibrary
    from editor.ui.panels import library as library_module

    monkeypatch.setattr(library_module, "RETRY_INTERVAL_MS", 200)
    store = PostgresLibrary(server_schema)
    index_paths(store, [ARCHIVE])
    store.close()
    dock = LibraryPanel(location=server_schema)
    qtbot.addWidget(dock)
    try:
        qtbot.waitUntil(lambda: dock.count_label.text() == "10 stories in the library",
                        timeout=10000)
        show_suggestions(qtbot, dock, sample_tab)
        assert TIMELINE in dict(dock.suggestion_groups())["Related cards"]

        pg_server("pause")
        qtbot.keyClicks(dock.search_field, "ferry")  # typing goes on while the server is away
        assert dock.search_field.text() == "ferry"
        qtbot.waitUntil(dock.is_offline, timeout=10000)
        assert dock.count_label.text() == "Library offline — retrying"
        assert dock.status_label.text().startswith("Library offline — retrying: ")
        assert "editor@" not in dock.status_label.text()

        pg_server("resume")
        qtbot.waitUntil(lambda: not dock.is_offline() and dock.result_titles() != [],
                        timeout=20000)
        assert dock.count_label.text() == "10 stories in the library"
        assert "ferry" in " ".join(dock.result_titles()).lower()
        dock.refresh()
        qtbot.waitUntil(dock.suggestions_ready, timeout=10000)
        assert TIMELINE in dict(dock.suggestion_groups())["Related cards"]
    finally:
        dock.shut_down()


def test_a_server_that_cannot_be_reached_leaves_the_dock_offline_and_retrying(
        qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from editor.ui.panels import library as library_module

    monkeypatch.setattr(library_module, "RETRY_INTERVAL_MS", 100)
    dock = LibraryPanel(location=f"postgresql://editor:s3cret@/library?host={tmp_path}&port=5")
    qtbot.addWidget(dock)
    try:
        assert dock.count_label.text() == "Connecting to the library…"  # not waited for
        qtbot.waitUntil(dock.is_offline, timeout=10000)
        assert dock.count_label.text() == "Library offline — retrying"
        assert "s3cret" not in dock.status_label.text()
        assert str(tmp_path) in dock.status_label.text()  # the reason: no server there
        qtbot.keyClicks(dock.search_field, "harbour")
        assert dock.result_titles() == []
        qtbot.wait(300)  # a few retries, still offline, nothing shown twice
        assert dock.is_offline() and dock.status_label.text().count("retrying") == 1
    finally:
        dock.shut_down()
def test_choosing_a_library_file_reopens_the_dock_there_and_is_remembered(
        qtbot, library_file: Path, settings, tmp_path: Path, user_data_home: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from editor.ui.main_window import MainWindow

    monkeypatch.delenv("ARTICLE_EDITOR_LIBRARY", raising=False)
    window = MainWindow(settings)
    qtbot.addWidget(window)
    dock = window.library_panel
    assert dock.location == str(user_data_home / "ArticleEditor" / "Article Editor" /
                                "library.sqlite3")
    assert dock.count_label.text() == "0 stories in the library"
    dock.ask_library_file = lambda: library_file
    choose = next(action for action in window.library_menu.actions()
                  if action.text() == "&Choose Library File…")
    choose.trigger()
    assert dock.location == str(library_file)
    assert dock.count_label.text() == f"{SqliteLibrary(library_file).count()} stories in the library"
    qtbot.keyClicks(dock.search_field, "bridge")
    qtbot.waitUntil(lambda: TIMELINE in dock.result_titles(), timeout=5000)
    assert settings.library_location == str(library_file)
    window.close()

    # The next window opens there; $ARTICLE_EDITOR_LIBRARY, then --library, win for a run.
    again = MainWindow(settings)
    qtbot.addWidget(again)
    assert again.library_panel.location == str(library_file)
    again.close()
    monkeypatch.setenv("ARTICLE_EDITOR_LIBRARY", str(tmp_path / "from-environment.sqlite3"))
    from_environment = MainWindow(settings)
    qtbot.addWidget(from_environment)
    assert from_environment.library_panel.location == str(tmp_path / "from-environment.sqlite3")
    from_environment.close()
    for_a_run = MainWindow(settings, library=tmp_path / "for-a-run.sqlite3")
    qtbot.addWidget(for_a_run)
    assert for_a_run.library_panel.location == str(tmp_path / "for-a-run.sqlite3")
    for_a_run.close()
    assert settings.library_location == str(library_file)


def test_a_new_article_in_a_watched_folder_is_found_without_adding_it_again(
        qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "archive"
    shutil.copytree(ARCHIVE, folder)
    dock = LibraryPanel(location=tmp_path / "lib.sqlite3")
    qtbot.addWidget(dock)
    try:
        with qtbot.waitSignal(dock.indexing_finished, timeout=20000):
            dock.add_paths([folder])
        assert dock.count_label.text() == "10 stories in the library"
        qtbot.waitUntil(lambda: str(folder / "archive" / "2024") in dock.watched_paths(), timeout=5000)

        story = folder / "archive" / "2024" / "2024-11-02-ferry-timetable.md"
        story.write_text("---\ntitle: Night ferries return to the inner harbour\n"
                         "date: 2024-11-02\nurl: https://example.com/ferries\n---\n"
                         "The ferry timetable adds late crossings.\n", "utf-8")
        qtbot.waitUntil(lambda: dock.count_label.text() == "11 stories in the library",
                        timeout=15000)
        assert dock.progress.isHidden()  # caught up in the background, unannounced
        qtbot.keyClicks(dock.search_field, "night ferr")
        qtbot.waitUntil(lambda: dock.result_titles() == [
            "Night ferries return to the inner harbour"], timeout=5000)

        # A folder made inside is watched from then on; a removed file's story goes.
        (folder / "archive" / "2025").mkdir()
        qtbot.waitUntil(lambda: str(folder / "archive" / "2025") in dock.watched_paths(), timeout=15000)
        story.unlink()
        qtbot.waitUntil(lambda: dock.count_label.text() == "10 stories in the library",
                        timeout=15000)
    finally:
        dock.shut_down()


def test_the_sweep_reads_a_file_rewritten_in_place(
        qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "archive"
    shutil.copytree(ARCHIVE / "archive" / "2024", folder)
    dock = LibraryPanel(location=tmp_path / "lib.sqlite3")
    qtbot.addWidget(dock)
    try:
        with qtbot.waitSignal(dock.indexing_finished, timeout=20000):
            dock.add_paths([folder])
        article = next(folder.glob("*.md"))
        with article.open("a", encoding="utf-8") as file:  # in place: no folder event
            file.write("\nA zeppelin was seen over the harbour.\n")
        with qtbot.waitSignal(dock.indexing_finished, timeout=20000):
            dock.sweep_watched()
        qtbot.keyClicks(dock.search_field, "zeppelin")
        qtbot.waitUntil(lambda: len(dock.result_titles()) == 1, timeout=5000)
    finally:
        dock.shut_down()


def test_an_empty_library_says_so_without_starting_a_worker_process(
        qtbot, tmp_path: Path, sample_tab) -> None:  # type: ignore[no-untyped-def]
    from editor import worker_process
    from editor.library.worker import WORKER
    from editor.ui.panels.library import EMPTY_LIBRARY, EMPTY_LIBRARY_HINT

    worker_process.shut_down(WORKER)
    dock = LibraryPanel(location=tmp_path / "empty.sqlite3")
    qtbot.addWidget(dock)
    try:
        assert dock.count_label.text() == "0 stories in the library"
        show_suggestions(qtbot, dock, sample_tab)
        assert dock.suggestion_groups() == [(EMPTY_LIBRARY, [])]
        assert dock.suggestions.topLevelItem(0).child(0).text(0) == EMPTY_LIBRARY_HINT
        assert WORKER not in worker_process._workers  # nothing to rank: no process (20 MB)

        with qtbot.waitSignal(dock.indexing_finished, timeout=20000):
            assert dock.add_paths([ARCHIVE])
        qtbot.waitUntil(lambda: dock.suggestions_ready()
                        and TIMELINE in dict(dock.suggestion_groups()).get("Related cards", []),
                        timeout=20000)
    finally:
        dock.shut_down()
