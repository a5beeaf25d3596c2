"""The metadata form: bound to the article, one undo history, counters, date and image."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt

from editor.export import ExportOptions
from editor.model import Article
from editor.ui.document import ArticleDocument
from editor.ui.editor_tab import EditorTab
from editor.ui.metadata_form import MetadataForm

from .conftest import OFFSCREEN_NOISE, file_drop

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


@pytest.fixture
def tab(qtbot, tmp_path) -> EditorTab:
    document = ArticleDocument(Article(title="Old", body="Body.\n"), tmp_path / "a.md")
    widget = EditorTab(document, ExportOptions())
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    yield widget
    widget.close_tab()


def test_typing_in_a_field_is_one_undo_step(qtbot, tab):
    field = tab.form.fields["author"]
    field.setFocus()
    qtbot.keyClicks(field, "Maria Lopez")
    assert tab.document.metadata().author == "Maria Lopez"
    assert tab.document.undo_stack.count() == 1
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert tab.document.metadata().author == ""
    assert field.text() == ""


def test_tags_are_a_list(qtbot, tab):
    field = tab.form.fields["tags"]
    field.setFocus()
    qtbot.keyClicks(field, "politics, city hall, ")
    assert tab.document.metadata().tags == ["politics", "city hall"]
    assert field.text() == "politics, city hall, "  # the field keeps what the user typed


def test_description_counter_warns_past_the_limit(qtbot, tab):
    form = tab.form
    form.fields["description"].setFocus()
    qtbot.keyClicks(form.fields["description"], "x" * 12)
    assert form.description_counter.text() == "12/160"
    assert form.description_counter.property("over") is False
    form.edit_field("description", "y" * 170)
    assert form.description_counter.text() == "170/160"
    assert form.description_counter.property("over") is True


def test_the_date_picker_sets_an_iso_date(qtbot, tab):
    tab.form.calendar.clicked.emit(QDate(2025, 10, 1))
    assert tab.document.metadata().date == "2025-10-01"
    assert tab.form.fields["date"].text() == "2025-10-01"


def test_choosing_an_image_stores_a_path_relative_to_the_article(qtbot, tab, tmp_path,
                                                               monkeypatch):
    image = tmp_path / "images" / "lead.jpg"
    image.parent.mkdir()
    image.write_bytes(b"\xff\xd8\xff")
    monkeypatch.setattr(tab.form, "_ask_image_path", lambda: image)
    qtbot.mouseClick(tab.form.image_button, Qt.MouseButton.LeftButton)
    assert tab.document.metadata().image == "images/lead.jpg"


def test_an_image_dropped_on_the_form_becomes_the_featured_image(qtbot, tab, tmp_path):
    image = tmp_path / "photo.png"
    image.write_bytes(b"\x89PNG")
    file_drop(tab.form.fields["image_alt"], [image])
    assert tab.document.metadata().image == "photo.png"
    assert tab.form.fields["image"].text() == "photo.png"


def test_undo_elsewhere_shows_in_the_form(qtbot, tab):
    tab.document.update_metadata(title="New headline")
    assert tab.form.fields["title"].text() == "New headline"
    tab.document.undo_stack.undo()
    assert tab.form.fields["title"].text() == "Old"


def test_the_form_collapses_to_a_summary(qtbot, tab):
    form = tab.form
    qtbot.mouseClick(form.toggle_button, Qt.MouseButton.LeftButton)
    assert not form.body.isVisible()
    assert form.summary_label.isVisible()
    assert form.summary_label.text().startswith("Old")
    qtbot.mouseClick(form.toggle_button, Qt.MouseButton.LeftButton)
    assert form.body.isVisible()


def test_form_without_a_document(qtbot):
    form = MetadataForm()
    qtbot.addWidget(form)
    form.set_article(Article(title="T", tags=["a", "b"], date="2025-01-02"))
    assert form.fields["tags"].text() == "a, b"
    assert Path(form.fields["date"].text()).name == "2025-01-02"


def test_a_long_headline_wraps_and_shows_whole(qtbot, tab):
    headline = tab.form.fields["title"]
    text = ("Iraq: the United States announces the withdrawal of its troops after more than "
            "twenty years of occupation")
    assert len(text) > 100
    headline.setFocus()
    headline.selectAll()
    qtbot.keyClicks(headline, text)
    assert tab.document.metadata().title == text
    qtbot.waitUntil(lambda: headline.height() > 2 * headline.fontMetrics().lineSpacing())
    shown = headline.document().size()  # every line of it, nothing scrolled away
    assert headline.viewport().height() >= shown.height() * headline.fontMetrics().lineSpacing()
    qtbot.keyClick(headline, Qt.Key.Key_Return)  # Enter does not break a headline
    assert "\n" not in tab.document.metadata().title


def test_counters_say_the_limit_and_why(tab):
    assert "70 characters" in tab.form.headline_counter.toolTip()
    assert "cut off" in tab.form.headline_counter.toolTip()
    assert "160 characters" in tab.form.description_counter.toolTip()


def test_an_empty_slug_shows_the_one_proposed_from_the_headline(qtbot, tab):
    form = tab.form
    slug = form.fields["slug"]
    headline = form.fields["title"]
    headline.setFocus()
    headline.selectAll()
    qtbot.keyClicks(headline, "Cafe owners win 2m appeal")
    assert slug.placeholderText() == "cafe-owners-win-2m-appeal"  # shown while it is empty
    assert tab.document.metadata().slug == ""
    slug.setFocus()
    qtbot.keyClicks(slug, "appeal")  # it stays the user's to write
    assert tab.document.metadata().slug == "appeal"


def test_a_long_headline_opened_with_the_article_shows_whole(qtbot, tmp_path):
    title = ("The United States sets up camp in Iraq: mission accomplished or a retreat with "
             "its tail between its legs?")
    document = ArticleDocument(Article(title=title, body="Body.\n"), tmp_path / "a.md")
    widget = EditorTab(document, ExportOptions())
    qtbot.addWidget(widget)
    widget.resize(1100, 800)
    widget.show()
    qtbot.waitExposed(widget)
    headline = widget.form.fields["title"]
    lines = headline.document().size().height()
    assert lines >= 2
    qtbot.waitUntil(lambda: headline.viewport().height()
                    >= lines * headline.fontMetrics().lineSpacing())
    widget.close_tab()
