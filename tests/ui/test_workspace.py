"""The file life cycle as a user drives it (editor.ui.workspace): open, save, close, export.

Saving failures, hostile files, changes on disk and recovery have files of their own.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from editor.files import load_article
from editor.ui.actions import Action
from editor.ui.dialogs import SaveChoice

from .conftest import OFFSCREEN_NOISE, tab_texts, write_article

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


# -- opening -------------------------------------------------------------------------------
def test_file_open_takes_several_files(window, qtbot, answers, tmp_path):
    answers.open_paths = [write_article(tmp_path, "a.md", "A.\n"),
                          write_article(tmp_path, "b.md", "B.\n")]
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert tab_texts(window) == ["a.md", "b.md"]


def test_an_open_file_switches_to_its_tab(window, tmp_path):
    a = write_article(tmp_path, "a.md", "A.\n")
    window.workspace.open_paths([a, write_article(tmp_path, "b.md", "B.\n")])
    window.workspace.open_paths([tmp_path / "." / "a.md"])
    assert tab_texts(window) == ["a.md", "b.md"]
    assert window.tabs.currentIndex() == 0


def test_an_unreadable_file_shows_a_message_and_changes_nothing(window, answers, tmp_path):
    window.workspace.open_paths([write_article(tmp_path, "a.md", "A.\n")])
    binary = tmp_path / "photo.md"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    broken = tmp_path / "broken.md"
    broken.write_text("---\ntitle: [unclosed\n---\nText\n", encoding="utf-8")
    window.workspace.open_paths([binary, tmp_path / "missing.md", broken, tmp_path / "notes.docx"])
    assert tab_texts(window) == ["a.md"]
    [(_title, message)] = answers.errors  # one summary, each file on a line of its own
    lines = [line for line in message.splitlines() if line.startswith("• ")]
    assert len(lines) == 4
    assert "binary" in lines[0]
    assert "missing.md" in lines[1]


def test_legacy_encoding_opens_after_the_user_agrees(window, answers, tmp_path):
    path = tmp_path / "legacy.md"
    path.write_bytes("Caf\u00e9 au lait.\n".encode("cp1252"))
    window.workspace.open_paths([path])
    assert tab_texts(window) == []
    answers.legacy_encoding = True
    window.workspace.open_paths([path])
    assert tab_texts(window) == ["legacy.md"]
    assert window.current_document().body().startswith("Café")


def test_plain_text_is_imported_and_save_as_proposes_markdown(window, answers, tmp_path):
    source = tmp_path / "wire.txt"
    source.write_text("Storm closes the harbour\n\nBy Ana Ruiz\n\nThe harbour closed on "
                      "Monday as the storm arrived.\n\nShips waited outside.\n",
                      encoding="utf-8")
    window.workspace.open_paths([source])
    document = window.current_document()
    assert tab_texts(window) == ["wire.txt"]  # untouched: nothing to ask about at quit
    assert not document.is_modified() and not window.isWindowModified()
    assert document.metadata().title == "Storm closes the harbour"
    # The slug (here proposed from the headline) names the Markdown file.
    proposed = tmp_path / "storm-closes-the-harbour.md"
    assert window.workspace.proposed_save_path(document) == proposed
    asked: list[object] = []
    answers.save_path = tmp_path / "wire.md"
    window.workspace.dialogs.ask_save_path = lambda path: asked.append(path) or answers.save_path
    window.actions[Action.SAVE].trigger()
    assert asked == [proposed]  # Save still asks where the Markdown goes
    assert tab_texts(window) == ["wire.md"]
    assert load_article(tmp_path / "wire.md").slug == "storm-closes-the-harbour"  # filled in
    saved = load_article(tmp_path / "wire.md")
    assert saved.title == "Storm closes the harbour"
    assert "Ships waited outside." in saved.body
    assert source.read_text(encoding="utf-8").startswith("Storm closes")


def test_an_untouched_import_quits_without_a_question(window, answers, tmp_path):
    source = tmp_path / "wire.txt"
    source.write_text("Storm closes the harbour\n\nShips waited outside.\n", encoding="utf-8")
    window.workspace.open_paths([source])
    window.actions[Action.QUIT].trigger()
    assert answers.unsaved_asked == [] and not window.isVisible()


def test_a_slug_names_the_file_of_a_new_article(window, tmp_path):
    document = window.workspace.new_document()
    window.current_tab().form.edit_field("title", "Überfall auf die Bank – 3 Festnahmen")
    assert window.workspace.proposed_save_path(document).name == (
        "uberfall-auf-die-bank-3-festnahmen.md")
    window.current_tab().form.edit_field("slug", "bank-raid")
    assert window.workspace.proposed_save_path(document).name == "bank-raid.md"


# -- saving --------------------------------------------------------------------------------
def test_save_keeps_unknown_keys_and_clears_the_mark(window, qtbot, tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: T\ncustom_key: kept\n---\nBody.\n", encoding="utf-8")
    window.workspace.open_paths([path])
    window.current_tab().form.edit_field("author", "Jo Reporter")
    assert tab_texts(window) == ["a.md •"]
    qtbot.keyClick(window.current_editor(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert tab_texts(window) == ["a.md"]
    text = path.read_text(encoding="utf-8")
    assert "custom_key: kept" in text and "author: Jo Reporter" in text


# -- closing -------------------------------------------------------------------------------
def test_closing_an_unsaved_tab_asks_and_cancel_keeps_it(window, qtbot, answers, tmp_path):
    window.workspace.open_paths([write_article(tmp_path, "a.md", "A.\n")])
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
    window.workspace.open_paths([path])
    editor = window.current_editor()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, "Added.")
    answers.unsaved_choice = SaveChoice.SAVE
    assert window.close_tab(0)
    assert load_article(path).body == "A.\nAdded."


def test_quit_with_unsaved_changes_can_be_cancelled(window, qtbot, answers, tmp_path):
    window.workspace.open_paths([write_article(tmp_path, "a.md", "A.\n"),
                       write_article(tmp_path, "b.md", "B.\n")])
    qtbot.keyClicks(window.current_editor(), "x")
    answers.unsaved_choice = SaveChoice.CANCEL
    window.actions[Action.QUIT].trigger()
    assert window.isVisible()
    assert answers.unsaved_asked == ["b.md"]
    answers.unsaved_choice = SaveChoice.DISCARD
    window.actions[Action.QUIT].trigger()
    assert not window.isVisible()


def test_quit_asks_about_the_current_tab_first_and_offers_save_all(window, qtbot, answers,
                                                                   tmp_path):
    paths = [write_article(tmp_path, name, "Text.\n") for name in ("a.md", "b.md", "c.md")]
    window.workspace.open_paths(paths)
    for index in range(3):
        window.tabs.setCurrentIndex(index)
        qtbot.keyClicks(window.current_editor(), "x")
    window.tabs.setCurrentIndex(1)
    answers.unsaved_choice = SaveChoice.CANCEL
    window.actions[Action.QUIT].trigger()
    assert answers.unsaved_asked == ["b.md"] and answers.unsaved_others == [2]
    answers.unsaved_choice = SaveChoice.SAVE_ALL
    window.actions[Action.QUIT].trigger()
    assert answers.unsaved_asked == ["b.md", "b.md"]  # one question for all three
    assert not window.isVisible()
    assert all(path.read_text(encoding="utf-8").endswith("xText.\n") for path in paths)


def test_quit_with_discard_all_asks_once(window, qtbot, answers, tmp_path):
    paths = [write_article(tmp_path, name, "Text.\n") for name in ("a.md", "b.md")]
    window.workspace.open_paths(paths)
    for index in range(2):
        window.tabs.setCurrentIndex(index)
        qtbot.keyClicks(window.current_editor(), "x")
    answers.unsaved_choice = SaveChoice.DISCARD_ALL
    window.actions[Action.QUIT].trigger()
    assert answers.unsaved_asked == ["b.md"] and not window.isVisible()
    assert all(path.read_text(encoding="utf-8").endswith("\nText.\n") for path in paths)


def test_the_real_quit_question_offers_save_all_only_for_several(window, qtbot, tmp_path):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    from editor.ui.dialogs import Dialogs

    document = window.workspace.new_document()
    seen: list[list[str]] = []

    def answer() -> None:
        box = next(w for w in QApplication.topLevelWidgets()
                   if isinstance(w, QMessageBox) and w.isVisible())
        seen.append([button.text().replace("&", "") for button in box.buttons()])
        box.button(QMessageBox.StandardButton.Cancel).click()

    real = Dialogs(window)
    for others in (0, 2):
        QTimer.singleShot(100, answer)
        assert real.ask_unsaved_choice(document, others) is SaveChoice.CANCEL
    assert "Save All" not in seen[0] and "Discard All" not in seen[0]
    assert "Save All" in seen[1] and "Discard All" in seen[1]


# -- export --------------------------------------------------------------------------------
def test_export_lists_placeholders_and_needs_a_confirmation(window, qtbot, answers,
                                                            sample_copy):
    window.workspace.open_paths([sample_copy])
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
    # The status bar says so and offers what comes next.
    bar = window.status_bar
    assert bar.export_note.isVisible() and bar.export_label.text() == "Exported page.html"
    opened: list[object] = []
    bar.open_url.disconnect()  # the desktop's browser is not started by a test
    bar.open_url.connect(lambda url: opened.append(url.toLocalFile()))
    qtbot.mouseClick(bar.open_page_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(bar.show_folder_button, Qt.MouseButton.LeftButton)
    assert opened == [str(output), str(output.parent)]


def test_copy_as_html_puts_the_fragment_on_the_clipboard(window, answers, tmp_path):
    window.workspace.open_paths([write_article(tmp_path, "a.md", "Hello **there**.\n")])
    # No byline or date: the checklist asks first (tests/ui/test_checks.py covers it).
    answers.dialog = lambda dialog: dialog.anyway_box.setChecked(True) or True
    window.actions[Action.COPY_HTML].trigger()
    mime = QApplication.clipboard().mimeData()
    assert "<p>Hello <strong>there</strong>.</p>" in mime.html()
    assert "<p>Hello <strong>there</strong>.</p>" in mime.text()
    assert "<html" not in mime.text()


def test_the_export_dialog_and_the_placeholders_panel_number_lines_as_the_editor(
        window, qtbot, answers, sample_copy):
    from editor.ui.panels.placeholders import PlaceholdersPanel

    window.workspace.open_paths([sample_copy])
    panel = window.findChild(PlaceholdersPanel)
    qtbot.waitUntil(lambda: panel.rows() != [])
    panel_lines = [int(row[1]) for row in panel.rows()]
    shown: dict = {}

    def look(dialog) -> bool:  # type: ignore[no-untyped-def]
        shown["lines"] = [int(dialog.placeholder_list.item(i).text().split(":")[0].split()[1])
                          for i in range(dialog.placeholder_list.count())]
        return False

    answers.dialog = look
    window.actions[Action.EXPORT_HTML].trigger()
    assert shown["lines"] == panel_lines
    # …and the editor's status bar says the same line where the first one is.
    panel.view.setCurrentIndex(panel.model.index(0, 0))
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.status_bar.position_label.text().startswith(
        f"Ln {panel_lines[0]},"))
