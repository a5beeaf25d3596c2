"""Find and replace in the body."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from editor.model import Article
from editor.ui.document import ArticleDocument
from editor.ui.editor import BodyEditor
from editor.ui.find_bar import FindBar

from .conftest import OFFSCREEN_NOISE

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


@pytest.fixture
def setup(qtbot):  # type: ignore[no-untyped-def]
    document = ArticleDocument(Article(body="The Cat sat. the cat ran. Category.\n"))
    editor = BodyEditor()
    editor.bind(document.text_document, document.undo_stack)
    bar = FindBar()
    bar.set_editor(editor)
    for widget in (editor, bar):
        qtbot.addWidget(widget)
        widget.show()
    return document, editor, bar


def test_find_wraps_and_counts(qtbot, setup):
    document, editor, bar = setup
    bar.open_bar(replace=False)
    qtbot.keyClicks(bar.find_field, "cat")
    assert editor.textCursor().selectedText() == "Cat"
    assert bar.count_label.text() == "1 of 3"
    qtbot.keyClick(bar.find_field, Qt.Key.Key_Return)
    qtbot.keyClick(bar.find_field, Qt.Key.Key_Return)
    assert editor.textCursor().selectionStart() == document.body().index("Category")
    qtbot.keyClick(bar.find_field, Qt.Key.Key_Return)
    assert editor.textCursor().selectionStart() == 4  # wrapped around
    bar.words_box.setChecked(True)
    assert bar.count_label.text().endswith("2") or "of 2" in bar.count_label.text()


def test_case_sensitive_and_not_found(qtbot, setup):
    _document, _editor, bar = setup
    bar.open_bar(replace=False)
    bar.case_box.setChecked(True)
    qtbot.keyClicks(bar.find_field, "Dog")
    assert bar.count_label.text() == "No results"
    assert bar.find_field.property("notFound") is True


def test_replace_one_then_all_in_one_undo_step(qtbot, setup):
    document, _editor, bar = setup
    bar.open_bar(replace=True)
    assert bar.replace_field.isVisible()
    qtbot.keyClicks(bar.find_field, "cat")
    bar.words_box.setChecked(True)
    bar.find_field.setText("cat")
    bar.replace_field.setText("dog")
    qtbot.mouseClick(bar.replace_button, Qt.MouseButton.LeftButton)
    assert document.body() == "The dog sat. the cat ran. Category.\n"
    assert bar.replace_all() == 1
    assert document.body() == "The dog sat. the dog ran. Category.\n"
    document.undo_stack.undo()
    assert document.body() == "The dog sat. the cat ran. Category.\n"


def test_escape_closes_and_returns_to_the_text(qtbot, setup):
    _document, _editor, bar = setup
    bar.open_bar(replace=False)
    qtbot.keyClick(bar.find_field, Qt.Key.Key_Escape)
    assert not bar.isVisible()


def test_undo_of_replace_all_clears_the_replaced_count(qtbot, setup):
    document, _editor, bar = setup
    bar.open_bar(replace=True)
    qtbot.keyClicks(bar.find_field, "cat")
    qtbot.keyClicks(bar.replace_field, "dog")
    qtbot.mouseClick(bar.replace_all_button, Qt.MouseButton.LeftButton)
    assert bar.count_label.text() == "3 replaced"
    document.undo_stack.undo()
    assert document.body() == "The Cat sat. the cat ran. Category.\n"
    assert bar.count_label.text() == "3 found"


def test_the_fields_are_wide_enough_in_the_window(window, qtbot, tmp_path):
    from editor.ui.actions import Action

    from .conftest import write_article

    window.resize(1000, 700)  # a laptop's window, the docks open
    window.workspace.open_paths([write_article(tmp_path, "a.md", "Text.\n")])
    window.actions[Action.REPLACE].trigger()
    bar = window.current_tab().find_bar
    qtbot.waitUntil(bar.isVisible)
    for field in (bar.find_field, bar.replace_field):
        assert field.width() >= 25 * field.fontMetrics().averageCharWidth()
