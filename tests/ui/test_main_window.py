"""The window as a user drives it: tabs, files, drops, shortcuts, closing, export, settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QApplication

from editor.files import load_article
from editor.ui.actions import Action
from editor.ui.main_window import MainWindow, SaveChoice
from editor.ui.settings import Settings

from .conftest import OFFSCREEN_NOISE, SAMPLE, file_drop

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def tab_texts(window: MainWindow) -> list[str]:
    return [window.tabs.tabText(index) for index in range(window.tabs.count())]


def write_article(folder: Path, name: str, body: str, title: str = "A title") -> Path:
    path = folder / name
    path.write_text(f"---\ntitle: {title}\n---\n{body}", encoding="utf-8")
    return path


# -- tabs and titles ------------------------------------------------------------------------
def test_command_line_paths_open_in_tabs_named_after_the_files(window, tmp_path):
    first = write_article(tmp_path, "first.md", "One.\n")
    second = write_article(tmp_path, "second.md", "Two.\n")
    window.open_paths([str(first), str(second)])
    assert tab_texts(window) == ["first.md", "second.md"]
    assert window.windowTitle() == "second.md[*] — Article Editor"
    assert not window.isWindowModified()


def test_typing_marks_the_tab_and_title_unsaved(window, qtbot, tmp_path):
    window.open_paths([write_article(tmp_path, "story.md", "Text.\n")])
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
    window.open_paths([write_article(tmp_path, "a.md", "A.\n"),
                       write_article(tmp_path, "b.md", "B.\n")])
    assert seen[-1] is window.current_document()
    assert window.current_document().display_name == "b.md"
    window.tabs.setCurrentIndex(0)
    assert seen[-1].display_name == "a.md"
    window.close_tab(0)
    window.close_tab(0)
    assert seen[-1] is None


def test_reveal_position_moves_the_cursor(window, tmp_path):
    window.open_paths([write_article(tmp_path, "a.md", "First line.\n\nSecond line.\n")])
    window.reveal_position(13)
    assert window.current_editor().textCursor().position() == 13
    assert window.position_label.text() == "Ln 3, Col 1"


# -- opening --------------------------------------------------------------------------------
def test_file_open_takes_several_files(window, qtbot, answers, tmp_path):
    answers.open_paths = [write_article(tmp_path, "a.md", "A.\n"),
                          write_article(tmp_path, "b.md", "B.\n")]
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert tab_texts(window) == ["a.md", "b.md"]


def test_an_open_file_switches_to_its_tab(window, tmp_path):
    a = write_article(tmp_path, "a.md", "A.\n")
    window.open_paths([a, write_article(tmp_path, "b.md", "B.\n")])
    window.open_paths([tmp_path / "." / "a.md"])
    assert tab_texts(window) == ["a.md", "b.md"]
    assert window.tabs.currentIndex() == 0


def test_an_unreadable_file_shows_a_message_and_changes_nothing(window, answers, tmp_path):
    window.open_paths([write_article(tmp_path, "a.md", "A.\n")])
    binary = tmp_path / "photo.md"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    broken = tmp_path / "broken.md"
    broken.write_text("---\ntitle: [unclosed\n---\nText\n", encoding="utf-8")
    window.open_paths([binary, tmp_path / "missing.md", broken, tmp_path / "notes.docx"])
    assert tab_texts(window) == ["a.md"]
    assert len(answers.errors) == 4
    assert "binary" in answers.errors[0][1]
    assert "missing.md" in answers.errors[1][1]


def test_legacy_encoding_opens_after_the_user_agrees(window, answers, tmp_path):
    path = tmp_path / "legacy.md"
    path.write_bytes("Caf\u00e9 au lait.\n".encode("cp1252"))
    window.open_paths([path])
    assert tab_texts(window) == []
    answers.legacy_encoding = True
    window.open_paths([path])
    assert tab_texts(window) == ["legacy.md"]
    assert window.current_document().body().startswith("Café")


def test_plain_text_is_imported_and_save_as_proposes_markdown(window, answers, tmp_path):
    source = tmp_path / "wire.txt"
    source.write_text("Storm closes the harbour\n\nBy Ana Ruiz\n\nThe harbour closed on "
                      "Monday as the storm arrived.\n\nShips waited outside.\n",
                      encoding="utf-8")
    window.open_paths([source])
    document = window.current_document()
    assert tab_texts(window) == ["wire.txt •"]
    assert document.metadata().title == "Storm closes the harbour"
    assert window.proposed_save_path(document) == tmp_path / "wire.md"
    answers.save_path = tmp_path / "wire.md"
    window.actions[Action.SAVE].trigger()
    assert tab_texts(window) == ["wire.md"]
    saved = load_article(tmp_path / "wire.md")
    assert saved.title == "Storm closes the harbour"
    assert "Ships waited outside." in saved.body
    assert source.read_text(encoding="utf-8").startswith("Storm closes")


def test_open_recent_lists_and_reopens_files(window, tmp_path):
    path = write_article(tmp_path, "recent.md", "R.\n")
    window.open_paths([path])
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
    window.open_paths([write_article(tmp_path, "a.md", "A.\n")])
    preview = window.current_tab().preview
    file_drop(preview, [write_article(tmp_path, "b.md", "B.\n")])
    assert tab_texts(window) == ["a.md", "b.md"]


def test_an_image_dropped_on_the_body_inserts_a_reference(window, qtbot, sample_copy):
    window.open_paths([sample_copy])
    tab = window.current_tab()
    editor = tab.editor
    editor.go_to_position(0)
    image = sample_copy.parent / "images" / "port.svg"
    top_left = editor.cursorRect(editor.textCursor()).topLeft() + QPoint(1, 1)
    file_drop(editor.viewport(), [image], top_left)
    assert tab.document.body().startswith("![Port](images/port.svg)\n\n")
    assert tab_texts(window) == ["harbour-bridge.md •"]


# -- closing --------------------------------------------------------------------------------
def test_closing_an_unsaved_tab_asks_and_cancel_keeps_it(window, qtbot, answers, tmp_path):
    window.open_paths([write_article(tmp_path, "a.md", "A.\n")])
    qtbot.keyClicks(window.current_editor(), "more ")
    answers.unsaved_choice = SaveChoice.CANCEL
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert answers.unsaved_asked == ["a.md"]
    assert tab_texts(window) == ["a.md •"]
    answers.unsaved_choice = SaveChoice.DISCARD
    window.close_tab(0)
    assert tab_texts(window) == []
    assert (tmp_path / "a.md").read_text(encoding="utf-8").endswith("\nA.\n")


def test_closing_with_save_writes_the_file(window, qtbot, answers, tmp_path):
    path = write_article(tmp_path, "a.md", "A.\n")
    window.open_paths([path])
    editor = window.current_editor()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, "Added.")
    answers.unsaved_choice = SaveChoice.SAVE
    assert window.close_tab(0)
    assert load_article(path).body == "A.\nAdded."


def test_quit_with_unsaved_changes_can_be_cancelled(window, qtbot, answers, tmp_path):
    window.open_paths([write_article(tmp_path, "a.md", "A.\n"),
                       write_article(tmp_path, "b.md", "B.\n")])
    qtbot.keyClicks(window.current_editor(), "x")
    answers.unsaved_choice = SaveChoice.CANCEL
    window.actions[Action.QUIT].trigger()
    assert window.isVisible()
    assert answers.unsaved_asked == ["b.md"]
    answers.unsaved_choice = SaveChoice.DISCARD
    window.actions[Action.QUIT].trigger()
    assert not window.isVisible()


def test_save_keeps_unknown_keys_and_clears_the_mark(window, qtbot, tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: T\ncustom_key: kept\n---\nBody.\n", encoding="utf-8")
    window.open_paths([path])
    window.current_tab().form.edit_field("author", "Jo Reporter")
    assert tab_texts(window) == ["a.md •"]
    qtbot.keyClick(window.current_editor(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert tab_texts(window) == ["a.md"]
    text = path.read_text(encoding="utf-8")
    assert "custom_key: kept" in text and "author: Jo Reporter" in text


# -- one history ----------------------------------------------------------------------------
def test_ctrl_z_undoes_the_last_change_wherever_it_was_made(window, qtbot, tmp_path):
    window.open_paths([write_article(tmp_path, "a.md", "Body.\n", title="Old")])
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
    window.open_paths([write_article(tmp_path, "a.md", "Storm hits coast\n")])
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
    qtbot.waitUntil(lambda: window.placeholders_label.text() == "1 placeholder left")


def test_status_bar_shows_words_reading_time_placeholders_and_position(window, tmp_path):
    window.open_paths([write_article(tmp_path, "a.md", "One two three [INTERNAL_LINK] TK\n")])
    assert window.words_label.text() == "5 words"
    assert window.reading_label.text() == "1 min read"
    assert window.placeholders_label.text() == "2 placeholders left"
    assert window.position_label.text() == "Ln 1, Col 1"


def test_find_and_replace_from_the_keyboard(window, qtbot, tmp_path):
    window.open_paths([write_article(tmp_path, "a.md", "cat and cat and cat\n")])
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


# -- export ---------------------------------------------------------------------------------
def test_export_lists_placeholders_and_needs_a_confirmation(window, answers, sample_copy):
    window.open_paths([sample_copy])
    output = sample_copy.parent / "out" / "page.html"
    shown = {}

    def fill(dialog) -> bool:  # type: ignore[no-untyped-def]
        shown["items"] = dialog.placeholder_list.count()
        shown["enabled_before"] = dialog.export_button.isEnabled()
        dialog.path_field.setText(str(output))
        dialog.confirm_box.setChecked(True)
        shown["enabled_after"] = dialog.export_button.isEnabled()
        return True

    answers.dialog = fill
    window.actions[Action.EXPORT_HTML].trigger()
    assert shown == {"items": 6, "enabled_before": False, "enabled_after": True}
    html = output.read_text(encoding="utf-8")
    assert "<h1 class=\"headline\">City council approves harbour bridge" in html
    assert (output.parent / "images" / "harbour.svg").is_file()


def test_copy_as_html_puts_the_fragment_on_the_clipboard(window, answers, tmp_path):
    window.open_paths([write_article(tmp_path, "a.md", "Hello **there**.\n")])
    # No byline or date: the checklist asks first (tests/ui/test_checks.py covers it).
    answers.dialog = lambda dialog: dialog.anyway_box.setChecked(True) or True
    window.actions[Action.COPY_HTML].trigger()
    mime = QApplication.clipboard().mimeData()
    assert "<p>Hello <strong>there</strong>.</p>" in mime.html()
    assert "<p>Hello <strong>there</strong>.</p>" in mime.text()
    assert "<html" not in mime.text()


# -- settings -------------------------------------------------------------------------------
def test_settings_outlive_the_window(qtbot, tmp_path, monkeypatch):
    store = str(tmp_path / "kept.ini")
    first = MainWindow(Settings(QSettings(store, QSettings.Format.IniFormat)))
    qtbot.addWidget(first)
    first.show()
    path = write_article(tmp_path, "a.md", "A.\n")
    first.open_paths([path])
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
    second.open_paths([path])
    editor = second.current_editor()
    assert editor.font().pointSize() == second.settings.font_size + 1
    assert not editor.word_wrap()


def test_sample_opens_with_its_metadata_in_the_form(window):
    window.open_paths([SAMPLE])
    form = window.current_tab().form
    assert form.fields["title"].text().startswith("City council approves")
    assert form.fields["tags"].text() == "city hall, transport, infrastructure"
    assert form.description_counter.text().endswith("/160")


def test_editor_font_and_zoom_shortcuts(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtGui import QFont

    window.open_paths([write_article(tmp_path, "a.md", "A.\n")])
    monkeypatch.setattr(window, "ask_font", lambda current: QFont("Liberation Mono", 14))
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
