"""The window as a user drives it: tabs, drops, shortcuts, one history, view settings.

Opening, saving, closing and exporting files: test_workspace.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt

from editor.ui.actions import Action
from editor.ui.main_window import MainWindow
from editor.ui.settings import Settings

from .conftest import OFFSCREEN_NOISE, SAMPLE, file_drop, tab_texts, write_article

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


# -- tabs and titles ------------------------------------------------------------------------
def test_command_line_paths_open_in_tabs_named_after_the_files(window, tmp_path):
    first = write_article(tmp_path, "first.md", "One.\n")
    second = write_article(tmp_path, "second.md", "Two.\n")
    window.workspace.open_paths([str(first), str(second)])
    assert tab_texts(window) == ["first.md", "second.md"]
    assert window.windowTitle() == "second.md[*] — Article Editor"
    assert not window.isWindowModified()


def test_typing_marks_the_tab_and_title_unsaved(window, qtbot, tmp_path):
    window.workspace.open_paths([write_article(tmp_path, "story.md", "Text.\n")])
    editor = window.current_editor()
    qtbot.keyClicks(editor, "New words ")
    assert tab_texts(window) == ["story.md •"]
    assert window.isWindowModified()
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert tab_texts(window) == ["story.md"]
    assert not window.isWindowModified()


def test_new_opens_an_untitled_tab_and_the_welcome_page_returns_when_all_close(window, qtbot):
    assert window.stack.currentWidget() is window.welcome
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert tab_texts(window) == ["Untitled"]
    assert window.stack.currentWidget() is window.tabs
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert tab_texts(window) == []
    assert window.stack.currentWidget() is window.welcome


def test_current_document_changed_reports_the_tab_the_user_sees(window, tmp_path):
    seen = []
    window.current_document_changed.connect(seen.append)
    window.workspace.open_paths([write_article(tmp_path, "a.md", "A.\n"),
                       write_article(tmp_path, "b.md", "B.\n")])
    assert seen[-1] is window.current_document()
    assert window.current_document().display_name == "b.md"
    window.tabs.setCurrentIndex(0)
    assert seen[-1].display_name == "a.md"
    window.close_tab(0)
    window.close_tab(0)
    assert seen[-1] is None


def test_reveal_position_moves_the_cursor(window, qtbot, tmp_path):
    window.workspace.open_paths([write_article(tmp_path, "a.md", "First line.\n\nSecond line.\n")])
    window.reveal_position(13)
    assert window.current_editor().textCursor().position() == 13
    qtbot.waitUntil(lambda: window.status_bar.position_label.text() == "Ln 3, Col 1")


# -- opening --------------------------------------------------------------------------------
def test_open_recent_lists_and_reopens_files(window, tmp_path):
    path = write_article(tmp_path, "recent.md", "R.\n")
    window.workspace.open_paths([path])
    window.close_tab(0)
    window.recent_menu.aboutToShow.emit()
    entries = [action for action in window.recent_menu.actions() if action.data()]
    assert [Path(action.data()) for action in entries] == [path]
    entries[0].trigger()
    assert tab_texts(window) == ["recent.md"]


# -- drops ----------------------------------------------------------------------------------
def test_files_dropped_anywhere_open_in_their_own_tabs(window, qtbot, tmp_path):
    paths = [write_article(tmp_path, f"{name}.md", f"{name}.\n") for name in "abcde"]
    file_drop(window.welcome, paths[:2])
    assert tab_texts(window) == ["a.md", "b.md"]
    tab = window.current_tab()
    body_before = tab.document.body()
    file_drop(tab.editor.viewport(), [paths[2]])
    file_drop(tab.form, [paths[3]])
    file_drop(window.tabs.tabBar(), [paths[4]])
    assert tab_texts(window) == ["a.md", "b.md", "c.md", "d.md", "e.md"]
    assert tab.document.body() == body_before  # no path was typed into the editor
    assert not tab.document.is_modified()


def test_files_dropped_on_the_preview_open(window, qtbot, tmp_path):
    window.workspace.open_paths([write_article(tmp_path, "a.md", "A.\n")])
    preview = window.current_tab().preview
    file_drop(preview, [write_article(tmp_path, "b.md", "B.\n")])
    assert tab_texts(window) == ["a.md", "b.md"]


def test_an_image_dropped_on_the_body_inserts_a_reference(window, qtbot, sample_copy):
    window.workspace.open_paths([sample_copy])
    tab = window.current_tab()
    editor = tab.editor
    editor.go_to_position(0)
    image = sample_copy.parent / "images" / "port.svg"
    top_left = editor.cursorRect(editor.textCursor()).topLeft() + QPoint(1, 1)
    file_drop(editor.viewport(), [image], top_left)
    assert tab.document.body().startswith("![Port](images/port.svg)\n\n")
    assert tab_texts(window) == ["harbour-bridge.md •"]


# -- one history ----------------------------------------------------------------------------
def test_ctrl_z_undoes_the_last_change_wherever_it_was_made(window, qtbot, tmp_path):
    window.workspace.open_paths([write_article(tmp_path, "a.md", "Body.\n", title="Old")])
    tab = window.current_tab()
    headline = tab.form.fields["title"]
    headline.setFocus()
    headline.end(False)
    qtbot.keyClicks(headline, " headline")
    assert tab.document.metadata().title == "Old headline"
    editor = tab.editor
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, "More body.")
    assert tab.document.body() == "Body.\nMore body."
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert tab.document.body() == "Body.\n"
    assert tab.document.metadata().title == "Old headline"
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert tab.document.metadata().title == "Old"
    assert headline.text() == "Old"
    qtbot.keyClick(headline, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert headline.text() == "Old headline"
    qtbot.keyClick(headline, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert tab.document.body() == "Body.\nMore body."
    window.actions[Action.UNDO].trigger()
    assert tab.document.body() == "Body.\n"
    assert not window.actions[Action.REDO].text().endswith("Redo")


# -- formatting from the menus and toolbar --------------------------------------------------
def test_format_shortcuts_edit_the_body(window, qtbot, tmp_path):
    window.workspace.open_paths([write_article(tmp_path, "a.md", "Storm hits coast\n")])
    editor = window.current_editor()
    editor.go_to_position(0)
    qtbot.keyClick(editor, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_document().body() == "## Storm hits coast\n"
    editor.go_to_position(4)
    qtbot.keyClick(editor, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert window.current_document().body() == "## **Storm** hits coast\n"
    window.actions[Action.PARAGRAPH].trigger()
    window.actions[Action.INSERT_INTERNAL_LINK].trigger()
    assert "[INTERNAL_LINK]" in window.current_document().body()
    assert not window.current_document().body().startswith("#")
    qtbot.waitUntil(lambda: window.status_bar.placeholders_label.text() == "1 placeholder left")


def test_find_and_replace_from_the_keyboard(window, qtbot, tmp_path):
    window.workspace.open_paths([write_article(tmp_path, "a.md", "cat and cat and cat\n")])
    tab = window.current_tab()
    qtbot.keyClick(tab.editor, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert tab.find_bar.isVisible()
    tab.find_bar.find_field.setText("cat")
    tab.find_bar.replace_field.setText("dog")
    qtbot.mouseClick(tab.find_bar.replace_all_button, Qt.MouseButton.LeftButton)
    assert tab.document.body() == "dog and dog and dog\n"
    qtbot.keyClick(tab.find_bar.find_field, Qt.Key.Key_Escape)
    assert not tab.find_bar.isVisible()
    qtbot.keyClick(tab.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert tab.document.body() == "cat and cat and cat\n"


# -- settings -------------------------------------------------------------------------------
def test_settings_outlive_the_window(qtbot, tmp_path, monkeypatch):
    store = str(tmp_path / "kept.ini")
    first = MainWindow(Settings(QSettings(store, QSettings.Format.IniFormat)))
    qtbot.addWidget(first)
    first.show()
    path = write_article(tmp_path, "a.md", "A.\n")
    first.workspace.open_paths([path])
    first.actions[Action.ZOOM_IN].trigger()
    first.actions[Action.THEME_DARK].trigger()
    first.actions[Action.WORD_WRAP].trigger()
    first.close()
    second = MainWindow(Settings(QSettings(store, QSettings.Format.IniFormat)))
    qtbot.addWidget(second)
    assert second.settings.zoom == 1
    assert second.actions[Action.THEME_DARK].isChecked()
    assert not second.actions[Action.WORD_WRAP].isChecked()
    assert second.settings.recent_files == [path]
    second.workspace.open_paths([path])
    editor = second.current_editor()
    assert editor.font().pointSize() == second.settings.font_size + 1
    assert not editor.word_wrap()


def test_sample_opens_with_its_metadata_in_the_form(window):
    window.workspace.open_paths([SAMPLE])
    form = window.current_tab().form
    assert form.fields["title"].text().startswith("City council approves")
    assert form.fields["tags"].text() == "city hall, transport, infrastructure"
    assert form.description_counter.text().endswith("/160")


def test_editor_font_and_zoom_shortcuts(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtGui import QFont

    window.workspace.open_paths([write_article(tmp_path, "a.md", "A.\n")])
    monkeypatch.setattr(window.dialogs, "ask_font", lambda current: QFont("Liberation Mono", 14))
    window.actions[Action.EDITOR_FONT].trigger()
    editor = window.current_editor()
    assert window.settings.font_family == "Liberation Mono"
    assert editor.font().family() == "Liberation Mono"
    assert editor.font().pointSize() == 14
    qtbot.keyClick(editor, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert editor.font().pointSize() == 15
    assert window.current_tab().preview.zoomFactor() == pytest.approx(1.1)
    qtbot.keyClick(editor, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert editor.font().pointSize() == 14


def test_typing_undoes_by_word_groups_with_labels_that_say_what(window, qtbot, tmp_path):
    from editor.ui.document import TYPING_PAUSE_MS

    window.workspace.open_paths([write_article(tmp_path, "a.md", "")])
    editor = window.current_editor()
    editor.setFocus()
    qtbot.keyClicks(editor, "First words typed")
    qtbot.wait(TYPING_PAUSE_MS + 300)  # a pause
    qtbot.keyClicks(editor, " then more")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # a new line
    qtbot.keyClicks(editor, "Next line")
    document = window.current_document()
    assert document.body() == "First words typed then more\nNext line"
    assert window.actions[Action.UNDO].text() == "&Undo Typing"
    window.actions[Action.UNDO].trigger()
    assert document.body() == "First words typed then more\n"
    window.actions[Action.UNDO].trigger()  # the words and the new line that ended them
    assert document.body() == "First words typed"
    window.actions[Action.UNDO].trigger()
    assert document.body() == ""
    window.actions[Action.REDO].trigger()
    window.actions[Action.REDO].trigger()
    assert document.body() == "First words typed then more\n"
    # Moving the cursor starts a new step too.
    editor.moveCursor(editor.textCursor().MoveOperation.Start)
    qtbot.keyClicks(editor, "A ")
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, "end")
    window.actions[Action.UNDO].trigger()
    assert document.body() == "A First words typed then more\n"


def test_undo_names_a_section_move_and_a_resolved_link(window, qtbot, tmp_path):
    from editor.ui.panels.headings import HeadingsPanel
    from editor.ui.panels.placeholders import PlaceholdersPanel
    from editor.ui.panels.resolve_dialog import ResolveAnswer, ResolveChoice

    body = "Intro [INTERNAL_LINK].\n\n## A\n\nOne.\n\n## B\n\nTwo.\n"
    window.workspace.open_paths([write_article(tmp_path, "a.md", body)])
    headings = window.findChild(HeadingsPanel)
    qtbot.waitUntil(lambda: len(headings.rows()) == 2)
    headings.view.setCurrentIndex(headings.model.index(0, 0))
    headings.move_down_action.trigger()
    assert window.actions[Action.UNDO].text() == "&Undo Move Section"
    placeholders = window.findChild(PlaceholdersPanel)
    placeholders.ask_resolution = lambda *_: ResolveAnswer(ResolveChoice.RESOLVE, "/a", "Intro")
    placeholders.view.setCurrentIndex(placeholders.model.index(0, 0))
    placeholders.resolve_selected()
    assert window.actions[Action.UNDO].text() == "&Undo Resolve Link"
    qtbot.keyClicks(window.current_editor(), "x")
    assert window.actions[Action.UNDO].text() == "&Undo Typing"
    window.actions[Action.UNDO].trigger()
    assert window.actions[Action.UNDO].text() == "&Undo Resolve Link"  # typing was its own step
