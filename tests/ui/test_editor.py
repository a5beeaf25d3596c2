"""The body editor as a writer uses it: smart lists and quotes, Tab, formatting, undo, drops."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from editor.model import Article
from editor.ui.document import ArticleDocument
from editor.ui.editor import BodyEditor
from editor.ui.undo_routing import route_menu_undo

from .conftest import OFFSCREEN_NOISE, file_drop

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


@pytest.fixture
def document() -> ArticleDocument:
    return ArticleDocument(Article(title="T", body=""))


@pytest.fixture
def editor(qtbot, document) -> BodyEditor:
    widget = BodyEditor()
    widget.bind(document.text_document, document.undo_stack)
    qtbot.addWidget(widget)
    widget.resize(600, 400)
    widget.show()
    widget.setFocus()
    return widget


def type_lines(qtbot, editor: BodyEditor, *lines: str) -> None:
    """Type each line and press Enter after all but the last."""
    for number, line in enumerate(lines):
        if number:
            qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.keyClicks(editor, line)


def test_enter_continues_bullet_numbered_task_and_quote(qtbot, editor, document):
    type_lines(qtbot, editor, "- apples", "pears")
    assert document.body() == "- apples\n- pears"
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    type_lines(qtbot, editor, "9. nine", "ten")
    assert document.body() == "9. nine\n10. ten"
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    type_lines(qtbot, editor, "- [x] done", "todo")
    assert document.body() == "- [x] done\n- [ ] todo"
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    type_lines(qtbot, editor, "> A quote", "goes on")
    assert document.body() == "> A quote\n> goes on"


def test_enter_on_an_empty_item_ends_the_list(qtbot, editor, document):
    type_lines(qtbot, editor, "- one", "")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "After")
    assert document.body() == "- one\nAfter"


def test_enter_before_the_marker_and_shift_enter_are_plain(qtbot, editor, document):
    qtbot.keyClicks(editor, "- item")
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(editor, "x")
    assert document.body() == "- item\nx"
    editor.go_to_position(0)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert document.body() == "\n- item\nx"


def test_tab_indents_list_items_and_shift_tab_outdents(qtbot, editor, document):
    type_lines(qtbot, editor, "- one", "two")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert document.body() == "- one\n    - two"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "three")
    assert document.body() == "- one\n    - two\n    - three"
    qtbot.keyClick(editor, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert document.body() == "- one\n    - two\n- three"
    document.undo_stack.undo()
    assert document.body() == "- one\n    - two\n    - three"


def test_undo_keys_and_menu_use_the_shared_history(qtbot, editor, document):
    qtbot.keyClicks(editor, "Hello")
    document.update_metadata(title="Changed")
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert document.metadata().title == "T"
    assert document.body() == "Hello"
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert document.body() == ""
    menu = route_menu_undo(editor.createStandardContextMenu(), document.undo_stack)
    redo = next(a for a in menu.actions() if a.objectName() == "edit-redo")
    assert redo.isEnabled()
    redo.trigger()
    assert document.body() == "Hello"
    editor.undo()  # the widget's own undo slot goes to the shared stack too
    assert document.body() == ""
    assert document.undo_stack.index() == 0
    menu.deleteLater()


def test_formatting_commands(qtbot, editor, document):
    qtbot.keyClicks(editor, "Storm hits coast")
    cursor = editor.textCursor()
    cursor.setPosition(6)
    cursor.setPosition(10, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    editor.toggle_wrap("**")
    assert document.body() == "Storm **hits** coast"
    editor.toggle_wrap("**")
    assert document.body() == "Storm hits coast"
    editor.insert_link()
    assert document.body() == "Storm [hits](https://) coast"
    assert editor.textCursor().selectedText() == "https://"
    qtbot.keyClicks(editor, "https://example.com")
    assert document.body() == "Storm [hits](https://example.com) coast"
    editor.set_heading(3)
    assert document.body() == "### Storm [hits](https://example.com) coast"
    editor.set_heading(1)
    assert document.body().startswith("# Storm")
    editor.set_heading(0)
    assert document.body().startswith("Storm")
    document.undo_stack.undo()
    assert document.body().startswith("# Storm")


def test_an_image_drop_inserts_a_relative_reference(qtbot, editor, document, tmp_path):
    (tmp_path / "images").mkdir()
    image = tmp_path / "images" / "city_hall-vote.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n")
    editor.base_dir = tmp_path
    qtbot.keyClicks(editor, "Lead paragraph.")
    end = editor.cursorRect().center() + QPoint(40, 0)
    assert file_drop(editor.viewport(), [image], end)
    assert document.body() == "Lead paragraph.\n\n![City hall vote](images/city_hall-vote.png)"
    document.undo_stack.undo()
    assert document.body() == "Lead paragraph."


def test_article_files_dropped_on_the_editor_are_handed_on(qtbot, editor, document, tmp_path):
    article = tmp_path / "other.md"
    article.write_text("x", encoding="utf-8")
    with qtbot.waitSignal(editor.files_dropped) as signal:
        file_drop(editor.viewport(), [article])
    assert signal.args == [[article]]
    assert document.body() == ""


def test_word_wrap_and_zoom(editor):
    editor.set_word_wrap(False)
    assert not editor.word_wrap()
    editor.set_editor_font("DejaVu Sans Mono", 12, 2)
    assert editor.font().pointSize() == 14


def test_placeholders_are_painted_as_chips(qtbot, editor, document):
    qtbot.keyClicks(editor, "Before [INTERNAL_LINK] after")
    image = editor.viewport().grab().toImage()
    rect = editor.cursorRect(_cursor_at(editor, 9))
    chip = image.pixelColor(rect.center().x(), rect.top() + 2)
    plain = image.pixelColor(editor.cursorRect(_cursor_at(editor, 2)).center().x(),
                             rect.top() + 2)
    assert chip != plain
    assert chip.red() > chip.blue()  # the warm chip colour behind the token


def _cursor_at(editor: BodyEditor, position: int) -> QTextCursor:
    cursor = editor.textCursor()
    cursor.setPosition(position)
    return cursor


def test_thousands_of_keystrokes_in_one_session(qtbot, document):
    """Thousands of edits through the Qt bindings: a leak per call would crash here."""
    from editor.export import ExportOptions
    from editor.ui.editor_tab import EditorTab

    tab = EditorTab(document, ExportOptions())
    qtbot.addWidget(tab)
    tab.show()
    editor = tab.editor
    editor.setFocus()
    words = "the council voted on tuesday night to fund the harbour bridge "
    for index in range(3000):
        character = words[index % len(words)]
        if index % 400 == 399:
            qtbot.keyClick(editor, Qt.Key.Key_Return)
            qtbot.keyClick(editor, Qt.Key.Key_Return)
        else:
            qtbot.keyClick(editor, character)
        if index % 50 == 0:
            QApplication.processEvents()
    QApplication.processEvents()
    assert len(document.body()) == 3000 + 7
    qtbot.waitUntil(lambda: tab.stats.words > 400)  # analysed a moment after the typing
    while document.undo_stack.canUndo():
        document.undo_stack.undo()
    assert document.body() == ""
    tab.close_tab()
