"""Spell check in the window: underlines as you type, the right-click menu, the language."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QContextMenuEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QMenu

from editor.checks.spelling import check as check_spelling
from editor.files import load_article
from editor.model import Article, RelatedCard
from editor.spelling import SpellChecker, ignored_words, word_list_for
from editor.ui.highlighter import LIGHT
from editor.ui.panels.related import RelatedPanel
from editor.ui.spelling import SpellingFindings

from .conftest import OFFSCREEN_NOISE, spell_underlined

# The offscreen platform says these whenever a popup menu opens; not ours to fix.
POPUP_NOISE = ("This plugin does not support raise", "This plugin does not support grabbing")
pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE, *POPUP_NOISE)


def underlined_words(editor) -> list[str]:
    return spell_underlined(editor.document())


@pytest.fixture
def tab(qtbot, window, tmp_path: Path):
    path = tmp_path / "story.md"
    path.write_text("---\ntitle: Story\nauthor: Ana Plimzor\n---\nIntro.\n", encoding="utf-8")
    [document] = window.workspace.open_paths([path])
    tab = window.tab_for(document)
    qtbot.waitUntil(lambda: tab.spell_checker is not None, timeout=20000)
    return tab


def type_at_end(qtbot, editor, text: str) -> None:
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    for number, line in enumerate(text.split("\n")):
        if number:
            qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.keyClicks(editor, line)


def right_click_word(qtbot, editor, word: str) -> QMenu:
    position = editor.document().toPlainText().index(word) + 2
    cursor = QTextCursor(editor.document())
    cursor.setPosition(position)
    point = editor.cursorRect(cursor).center()
    # What a right click sends the widget under the pointer (offscreen Qt sends no
    # context-menu event for a synthetic click).
    QApplication.sendEvent(editor.viewport(), QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, point, editor.viewport().mapToGlobal(point)))
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    return QApplication.activePopupWidget()


def click_action(qtbot, menu: QMenu, text: str) -> None:
    action = next(a for a in menu.actions() if a.text() == text)
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())


def test_misspellings_are_underlined_as_you_type_but_not_names_or_code(qtbot, tab) -> None:
    type_at_end(qtbot, tab.editor, "\nPlimzor will recieve `qwzxcode` at https://qwzx.example now.")
    qtbot.waitUntil(lambda: underlined_words(tab.editor) == ["recieve"])


def test_right_click_replaces_with_a_suggestion_in_one_undo_step(qtbot, tab) -> None:
    type_at_end(qtbot, tab.editor, "\nWe will recieve it.")
    qtbot.waitUntil(lambda: underlined_words(tab.editor) == ["recieve"])
    menu = right_click_word(qtbot, tab.editor, "recieve")
    texts = [a.text() for a in menu.actions()]
    assert texts[0] == "receive"
    assert "Add “recieve” to Dictionary" in texts and "Ignore in This Article" in texts
    click_action(qtbot, menu, "receive")
    assert tab.document.body().endswith("We will receive it.")
    assert underlined_words(tab.editor) == []
    tab.document.undo_stack.undo()
    assert tab.document.body().endswith("We will recieve it.")


def test_ignore_in_this_article_goes_into_the_front_matter(qtbot, window, tab) -> None:
    type_at_end(qtbot, tab.editor, "\nThe Zarnovian delegation.")
    qtbot.waitUntil(lambda: underlined_words(tab.editor) == ["Zarnovian"])
    menu = right_click_word(qtbot, tab.editor, "Zarnovian")
    click_action(qtbot, menu, "Ignore in This Article")
    assert ignored_words(tab.document.metadata()) == ["Zarnovian"]
    qtbot.waitUntil(lambda: underlined_words(tab.editor) == [])
    assert tab.document.undo_stack.undoText() == "Ignore “Zarnovian” in this article"
    assert window.workspace.save_document(tab.document)
    assert ignored_words(load_article(tab.document.path)) == ["Zarnovian"]


def test_add_to_dictionary_writes_the_personal_word_list(qtbot, tab, user_data_home) -> None:
    type_at_end(qtbot, tab.editor, "\nThe Blorvik plan.")
    qtbot.waitUntil(lambda: underlined_words(tab.editor) == ["Blorvik"])
    menu = right_click_word(qtbot, tab.editor, "Blorvik")
    click_action(qtbot, menu, "Add “Blorvik” to Dictionary")
    qtbot.waitUntil(lambda: underlined_words(tab.editor) == [])
    [word_list] = user_data_home.rglob("dictionary.txt")
    assert word_list.read_text(encoding="utf-8") == "Blorvik\n"
    assert tab.document.metadata().extra == {}


def test_language_menu_sets_the_articles_lang(qtbot, tab) -> None:
    type_at_end(qtbot, tab.editor, "\nEl gobierno y el puente.")
    qtbot.waitUntil(lambda: "gobierno" in underlined_words(tab.editor))
    menu = right_click_word(qtbot, tab.editor, "gobierno")
    language = next(a for a in menu.actions() if a.text() == "Language").menu()
    next(a for a in language.actions() if a.text() == "Spanish").trigger()
    menu.close()
    assert tab.document.metadata().lang == "es"
    qtbot.waitUntil(lambda: "gobierno" not in underlined_words(tab.editor), timeout=20000)


def red_underline_pixels(field) -> int:
    """Reddish pixels in the field as drawn: the (antialiased) spell-check underline."""
    assert QColor(LIGHT.misspelling).red() > 200  # the underline is red; the text is not
    image = field.grab().toImage()
    count = 0
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            if pixel.red() > pixel.green() + 60 and pixel.red() > pixel.blue() + 60:
                count += 1
    return count


def test_form_fields_are_underlined_and_offer_suggestions(qtbot, tab) -> None:
    field = tab.form.fields["dek"]
    tab.form.set_expanded(True)
    field.setFocus()
    qtbot.keyClicks(field, "The council aproves")
    qtbot.waitUntil(lambda: red_underline_pixels(field) > 5)
    assert tab.field_spelling.misspelt_spans(field) == [(12, 19)]
    point = field.cursorRect().center()
    point.setX(field.cursorRect().center().x() - 20)  # on "aproves", just typed
    QApplication.sendEvent(field, QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, point, field.mapToGlobal(point)))
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    assert "approves" in [action.text() for action in menu.actions()[:3]]
    click_action(qtbot, menu, "approves")
    assert tab.document.metadata().dek == "The council approves"
    qtbot.waitUntil(lambda: red_underline_pixels(field) == 0)
    headline = tab.form.fields["title"]
    assert red_underline_pixels(headline) == 0 and headline.text() == "Story"


def test_the_headline_which_wraps_is_underlined_and_offers_suggestions(qtbot, tab) -> None:
    headline = tab.form.fields["title"]
    tab.form.set_expanded(True)
    headline.setFocus()
    qtbot.keyClick(headline, Qt.Key.Key_End)
    qtbot.keyClicks(headline, " aproves")
    qtbot.waitUntil(lambda: red_underline_pixels(headline) > 5)
    assert tab.field_spelling.misspelt_spans(headline) == [(6, 13)]
    point = headline.cursorRect().center()
    point.setX(point.x() - 20)  # on "aproves", just typed
    viewport = headline.viewport()  # where a right click on a multi-line field arrives
    QApplication.sendEvent(viewport, QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, point, viewport.mapToGlobal(point)))
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    click_action(qtbot, QApplication.activePopupWidget(), "approves")
    assert tab.document.metadata().title == "Story approves"
    qtbot.waitUntil(lambda: red_underline_pixels(headline) == 0)


def test_a_cards_title_and_teaser_are_spell_checked_in_its_form(qtbot, window, tab) -> None:
    related = window.dock(RelatedPanel)
    dialog = related.card_dialog(RelatedCard(title="Bridge aproved", teaser="A long debait."),
                                 "Related story")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: red_underline_pixels(dialog.title_edit) > 5)
    qtbot.waitUntil(lambda: red_underline_pixels(dialog.teaser_edit) > 5)
    assert red_underline_pixels(dialog.url_edit) == 0
    dialog.title_edit.setCursorPosition(len("Bridge apr"))
    point = dialog.title_edit.cursorRect().center()
    QApplication.sendEvent(dialog.title_edit, QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, point, dialog.title_edit.mapToGlobal(point)))
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    click_action(qtbot, QApplication.activePopupWidget(), "approved")
    assert dialog.card().title == "Bridge approved"
    assert tab.document.metadata().related == []  # the card is the dialog's until OK
    dialog.title_edit.undo()  # the field's own undo takes the suggestion back
    assert dialog.title_edit.text() == "Bridge aproved"


def test_a_loaded_dictionary_is_kept_out_of_full_garbage_collections(tab):
    # Walked by every full pass of the cyclic collector, a Hunspell dictionary's objects
    # paused the window for hundreds of milliseconds at a time while typing.
    checker = tab.spell_checker
    assert checker is not None
    held = {id(checker.words), id(vars(checker.words).get("_dictionary"))}
    assert not any(id(tracked) in held for tracked in gc.get_objects())


def test_spelling_findings_are_worked_out_between_other_events_for_the_newest_request(qtbot):
    # A checker that has checked no line yet (a new dictionary's) takes far longer than a
    # frame over a long body: the window's other events still run meanwhile.
    body = "\n\n".join(f"Paragraf {number}: the council will recieve the {number}th report."
                       for number in range(6000))
    article = Article(title="Council aproves", body=body)
    words = word_list_for("en")
    expected = check_spelling(article, SpellChecker(words), with_suggestions=False)
    finder = SpellingFindings()
    found: list[tuple[int, list]] = []
    finder.found.connect(lambda request, findings: found.append((request, findings)))
    ticks = []
    ticker = QTimer(interval=0)
    ticker.timeout.connect(lambda: ticks.append(1))
    ticker.start()
    checker = SpellChecker(words)
    finder.start(1, Article(body="An older revison."), checker)
    finder.start(2, article, checker)
    qtbot.waitUntil(lambda: bool(found), timeout=20000)
    ticker.stop()
    assert found == [(2, expected)] and len(expected) == 2 * 6000 + 1
    assert len(ticks) > 3


def test_a_tab_opened_behind_another_checks_its_spelling_without_being_shown(
    qtbot, window, tmp_path: Path, monkeypatch
):
    from editor.ui import editor_tab

    monkeypatch.setattr(editor_tab, "AFTER_FIRST_SCREEN_LATEST_MS", 600_000)  # no fallback
    behind, front = tmp_path / "behind.md", tmp_path / "front.md"
    behind.write_text("Teh council voted.\n", encoding="utf-8")
    front.write_text("The council voted.\n", encoding="utf-8")
    first, _second = window.workspace.open_paths([behind, front])
    tab = window.tab_for(first)
    assert window.current_tab() is not tab and not tab.preview.has_page()
    # Its preview shows nothing until the tab comes in front; its spell check does not wait.
    qtbot.waitUntil(lambda: underlined_words(tab.editor) == ["Teh"], timeout=15000)
