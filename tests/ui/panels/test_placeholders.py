"""The Placeholders panel: the list, jumping, resolving one, resolving all of a kind."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from editor.model import RelatedCard
from editor.placeholders import Placeholder, PlaceholderKind, find_placeholders
from editor.ui.panels import placeholders
from editor.ui.panels.placeholders import PlaceholdersModel, PlaceholdersPanel
from editor.ui.panels.resolve_dialog import ResolveAnswer, ResolveChoice, ResolveDialog

from .conftest import OFFSCREEN_NOISE

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

SEED = Path(__file__).resolve().parents[2] / "data" / "import" / "seed_iraq.txt"

BODY = (
    "Costs rose sharply. [INTERNAL_LINK]\n\n"
    "See the report [EXTERNAL_LINK] for more.\n\n"
    "[IMAGE: chart of turnout]\n\n"
    "Turnout was TK percent. Quote [QUOTE_NEEDED] here. [INTERNAL_LINK]\n"
)
CARDS = [RelatedCard(title="Budget explained", url="https://news.example/budget"),
         RelatedCard(title="Draft card")]


@pytest.fixture
def panel(make_tab, host):  # type: ignore[no-untyped-def]
    tab = make_tab(BODY, related=list(CARDS))
    dock = PlaceholdersPanel()
    dock.set_document(tab.document)
    host(dock, tab)
    dock.tab = tab
    return dock


def answers(*given: ResolveAnswer):  # type: ignore[no-untyped-def]
    """A stand-in for the form: gives the answers in turn and records what it was asked."""
    asked: list[tuple[Placeholder, list[RelatedCard], bool]] = []
    queue = list(given)

    def ask(placeholder: Placeholder, body: str, cards: list[RelatedCard],
            more: bool) -> ResolveAnswer:
        asked.append((placeholder, cards, more))
        return queue.pop(0)

    ask.asked = asked  # type: ignore[attr-defined]
    return ask


def test_lists_every_placeholder_with_kind_line_and_context(panel: PlaceholdersPanel) -> None:
    assert panel.windowTitle() == "Placeholders"
    assert panel.objectName() == "PlaceholdersPanel"
    assert panel.rows() == [
        ("Internal link", "1", "Costs rose sharply."),
        ("External link", "3", "See the report"),
        ("Image", "5", ""),
        ("TK (to come)", "7", "Turnout was"),
        ("[QUOTE_NEEDED]", "7", "Quote"),
        ("Internal link", "7", "Quote [QUOTE_NEEDED] here."),
    ]
    assert panel.remaining_count() == 6
    assert panel.count_label.text() == "6 placeholders left"
    assert "[EXTERNAL_LINK]" in panel.model.index(1, 0).data(Qt.ItemDataRole.ToolTipRole)


def test_click_and_enter_jump_to_the_placeholder(qtbot, panel: PlaceholdersPanel) -> None:  # type: ignore[no-untyped-def]
    rect = panel.view.visualRect(panel.model.index(1, 2))
    with qtbot.waitSignal(panel.jump_requested) as jump:
        qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert jump.args == [BODY.index("[EXTERNAL_LINK]")]
    panel.view.setFocus()
    panel.view.setCurrentIndex(panel.model.index(2, 0))
    with qtbot.waitSignal(panel.jump_requested) as jump:
        qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert jump.args == [BODY.index("[IMAGE:")]


def test_resolve_one_with_a_link_in_one_undoable_step(qtbot, panel: PlaceholdersPanel) -> None:  # type: ignore[no-untyped-def]
    ask = answers(ResolveAnswer(ResolveChoice.RESOLVE, "https://example.org/report",
                                "the annual report"))
    panel.ask_resolution = ask
    panel.view.setCurrentIndex(panel.model.index(1, 0))
    with qtbot.waitSignal(panel.count_changed) as counted:
        qtbot.mouseClick(panel.resolve_button, Qt.MouseButton.LeftButton)
    assert counted.args == [5]
    assert "See the report [the annual report](https://example.org/report) for more." in (
        panel.tab.body)
    assert ask.asked[0][0].kind is PlaceholderKind.EXTERNAL_LINK
    assert [card.title for card in ask.asked[0][1]] == ["Budget explained", "Draft card"]
    assert panel.remaining_count() == 5
    assert "External link" not in [row[0] for row in panel.rows()]
    panel.tab.undo()
    assert panel.tab.body == BODY
    qtbot.waitUntil(lambda: panel.remaining_count() == 6, timeout=1000)


def test_image_resolves_to_an_image_reference(panel: PlaceholdersPanel) -> None:
    panel.ask_resolution = answers(ResolveAnswer(ResolveChoice.RESOLVE, "images/turnout.png"))
    panel.view.setCurrentIndex(panel.model.index(2, 0))
    panel.resolve_selected()
    assert "![chart of turnout](images/turnout.png)" in panel.tab.body


def test_cancel_leaves_the_text_alone(panel: PlaceholdersPanel) -> None:
    panel.ask_resolution = answers(ResolveAnswer(ResolveChoice.STOP))
    panel.view.setCurrentIndex(panel.model.index(0, 0))
    panel.resolve_selected()
    assert panel.tab.body == BODY and panel.tab.document.undo_stack.count() == 0


def test_resolve_all_of_a_kind_in_turn_with_skip(qtbot, panel: PlaceholdersPanel) -> None:  # type: ignore[no-untyped-def]
    index = panel.kind_box.findData(PlaceholderKind.INTERNAL_LINK)
    panel.kind_box.setCurrentIndex(index)
    assert panel.kind_box.currentText() == "Internal link (2)"
    ask = answers(
        ResolveAnswer(ResolveChoice.RESOLVE, "https://news.example/budget", "Budget explained"),
        ResolveAnswer(ResolveChoice.RESOLVE, "/quotes", "more quotes"),
    )
    panel.ask_resolution = ask
    jumps: list[int] = []
    panel.jump_requested.connect(jumps.append)
    qtbot.mouseClick(panel.resolve_all_button, Qt.MouseButton.LeftButton)
    assert [asked[2] for asked in ask.asked] == [True, False]  # "more to come" then the last
    assert panel.tab.body.startswith(
        "Costs rose sharply. [Budget explained](https://news.example/budget)\n")
    assert panel.tab.body.endswith("here. [more quotes](/quotes)\n")
    assert len(jumps) == 2
    assert panel.remaining_count() == 4
    assert panel.kind_box.findData(PlaceholderKind.INTERNAL_LINK) == -1
    panel.tab.undo()
    assert panel.tab.body.count("[INTERNAL_LINK]") == 1  # each resolution is its own step

    panel.tab.undo()
    skip_then_stop = answers(ResolveAnswer(ResolveChoice.SKIP),
                             ResolveAnswer(ResolveChoice.RESOLVE, "/b", "B"))
    panel.ask_resolution = skip_then_stop
    assert panel.resolve_all(PlaceholderKind.INTERNAL_LINK) == 1
    assert panel.tab.body.startswith("Costs rose sharply. [INTERNAL_LINK]")
    assert panel.tab.body.endswith("[B](/b)\n")


def test_follows_the_current_tab_and_reports_the_count(qtbot, make_tab,  # type: ignore[no-untyped-def]
                                                       panel: PlaceholdersPanel) -> None:
    other = make_tab("All done here.\n")
    with qtbot.waitSignal(panel.count_changed) as counted:
        panel.set_document(other.document)
    assert counted.args == [0]
    assert panel.rows() == [] and panel.count_label.text() == "No placeholders left"
    assert not panel.resolve_all_button.isEnabled()
    other.editor.setFocus()
    qtbot.keyClicks(other.editor, "TK ")
    qtbot.waitUntil(lambda: panel.remaining_count() == 1, timeout=2000)
    assert panel.rows()[0][0] == "TK (to come)"


def test_the_export_check_sees_the_same_list(panel: PlaceholdersPanel) -> None:
    assert [p.start for p in find_placeholders(panel.tab.document.article().body)] == [
        panel.model.index(row, 0).data(panel.model.PlaceholderRole).start
        for row in range(panel.model.rowCount())]


# -- the form ------------------------------------------------------------------------------
def test_form_offers_related_cards_and_validates_the_url(qtbot) -> None:  # type: ignore[no-untyped-def]
    placeholder = find_placeholders(BODY)[0]
    dialog = ResolveDialog(placeholder, BODY, CARDS, allow_skip=True)
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()  # no URL yet
    assert dialog.problem_label.text() == ""  # but no error before the user acts
    qtbot.keyClicks(dialog.url_edit, "javascript:alert(1)")
    assert not dialog.ok_button.isEnabled() and "javascript" in dialog.problem_label.text()
    dialog.url_edit.clear()
    qtbot.keyClicks(dialog.url_edit, "www.example.com/story")
    assert "https://" in dialog.problem_label.text()
    dialog.card_box.setCurrentIndex(1)
    assert dialog.url_edit.text() == "https://news.example/budget"
    assert dialog.text_edit.text() == "Budget explained"
    assert dialog.ok_button.isEnabled()
    assert dialog.result_label.text() == (
        "Becomes: [Budget explained](https://news.example/budget)")
    dialog.ok_button.click()
    assert dialog.answer() == ResolveAnswer(
        ResolveChoice.RESOLVE, "https://news.example/budget", "Budget explained")


def test_form_skip_and_image_defaults(qtbot) -> None:  # type: ignore[no-untyped-def]
    image = find_placeholders(BODY)[2]
    dialog = ResolveDialog(image, BODY, [], allow_skip=True)
    qtbot.addWidget(dialog)
    assert dialog.text_edit.text() == "chart of turnout"
    dialog.url_edit.setText("images/c.png")
    assert dialog.result_label.text() == "Becomes: ![chart of turnout](images/c.png)"
    assert dialog.skip_button is not None
    dialog.skip_button.click()
    assert dialog.answer().choice is ResolveChoice.SKIP


def test_form_through_the_panel_never_hangs(qtbot, panel: PlaceholdersPanel) -> None:  # type: ignore[no-untyped-def]
    """The real dialog, answered as a user would while it is open."""

    def answer_the_form() -> None:
        dialog = panel.findChild(ResolveDialog)
        assert dialog is not None and dialog.isVisible()
        dialog.url_edit.setText("https://example.org/x")
        dialog.text_edit.setText("X")
        dialog.ok_button.click()

    panel.view.setCurrentIndex(panel.model.index(0, 0))
    QTimer.singleShot(50, answer_the_form)
    panel.resolve_selected()
    assert panel.tab.body.startswith("Costs rose sharply. [X](https://example.org/x)\n")


def test_seed_sample_shows_its_two_internal_links(qtbot, make_tab) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("editor.importers.plaintext")
    from editor.files import load_article

    article = load_article(SEED)
    tab = make_tab(article.body)
    dock = PlaceholdersPanel()
    qtbot.addWidget(dock)
    dock.set_document(tab.document)
    assert [row[0] for row in dock.rows()].count("Internal link") == 2
    assert dock.remaining_count() == 2


def test_resolving_just_after_typing_resolves_the_placeholder_as_it_is_now(  # type: ignore[no-untyped-def]
        qtbot, make_tab, host) -> None:
    # Long enough to be analysed after a pause in typing: the rows are a revision behind.
    filler = "Filler words for a long report. " * 2200
    tab = make_tab(filler + "\n\n" + BODY)
    dock = PlaceholdersPanel()
    dock.set_document(tab.document)
    host(dock, tab)
    dock.ask_resolution = answers(ResolveAnswer(ResolveChoice.RESOLVE, "https://example.org/r",
                                                "the report"))
    dock.view.setCurrentIndex(dock.model.index(1, 0))  # [EXTERNAL_LINK]
    tab.set_cursor(0)
    qtbot.keyClicks(tab.editor, "New ")
    qtbot.mouseClick(dock.resolve_button, Qt.MouseButton.LeftButton)
    assert tab.body == "New " + filler + "\n\n" + BODY.replace(
        "[EXTERNAL_LINK]", "[the report](https://example.org/r)")
    assert dock.remaining_count() == 5


def test_a_refresh_signals_only_the_rows_that_show_something_new(make_tab, host) -> None:  # type: ignore[no-untyped-def]
    # Each signal makes the list measure its columns again, over every row.
    tab = make_tab("\n\n".join(f"Paragraph {n} needs a link. [INTERNAL_LINK]" for n in range(100)))
    dock = PlaceholdersPanel()
    dock.set_document(tab.document)
    host(dock, tab)
    signals: list[tuple[int, int]] = []
    dock.model.dataChanged.connect(
        lambda top, bottom, _roles: signals.append((top.row(), bottom.row())))
    kinds = dock.kind_box.itemText(0)

    end_of_first = tab.body.index("\n")
    tab.document.replace_body_range(end_of_first, end_of_first, " More.")  # the rest move on
    dock.refresh_now()
    assert signals == []
    assert dock.model.placeholders[1].start == tab.body.index("[INTERNAL_LINK]", end_of_first)

    position = tab.body.index("Paragraph 5 ")
    tab.document.replace_body_range(position, position, "New sentence. ")  # one row's context
    dock.refresh_now()
    assert signals == [(5, 5)]
    assert dock.rows()[5] == ("Internal link", "11", "Paragraph 5 needs a link.")
    assert dock.kind_box.itemText(0) == kinds == "Internal link (100)"


def test_after_an_edit_moves_every_row_the_list_measures_a_few_rows_not_all(  # type: ignore[no-untyped-def]
    make_tab, host, monkeypatch
) -> None:
    # Qt's fit to contents asked the model for every row's data each time the rows changed:
    # 44 ms with 200 placeholders after each edit above them, all their lines having moved.
    asked: list[int] = []

    class CountingModel(PlaceholdersModel):
        def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
            asked.append(index.row())
            return super().data(index, role)

    monkeypatch.setattr(placeholders, "PlaceholdersModel", CountingModel)
    body = "\n\n".join(f"Paragraph {n} needs a link. [INTERNAL_LINK]" for n in range(600))
    tab = make_tab(body + "\n\nAnd at the very end [AWAITING_THE_MINISTER_S_REPLY].\n")
    dock = PlaceholdersPanel()
    dock.set_document(tab.document)
    host(dock, tab)
    QApplication.processEvents()
    asked.clear()
    tab.document.replace_body_range(0, 0, "A new first line.\n\n")  # every row moves down
    dock.refresh_now()
    QApplication.processEvents()  # the list lays itself out and paints
    assert len(set(asked)) < 60  # the rows in view and one for each width, of 601
    assert dock.rows()[-1][1] == "1203"

    # Yet the columns fit their widest text, however far down it is.
    view, header = dock.view, dock.view.header()
    for row, column in ((600, PlaceholdersModel.KIND), (600, PlaceholdersModel.LINE),
                        (0, PlaceholdersModel.KIND)):
        needed = view.sizeHintForIndex(dock.model.index(row, column)).width()
        assert header.sectionSize(column) >= needed > 0


# -- picking the anchor among the sentence's words ---------------------------------------------
SEED_LIKE = ("A bottomless pit, both in terms of resources and human lives. [INTERNAL_LINK]\n\n"
             "More here. [INTERNAL_LINK]\n")


def test_the_words_before_the_link_are_proposed_and_others_can_be_selected(qtbot) -> None:  # type: ignore[no-untyped-def]
    token = find_placeholders(SEED_LIKE)[0]
    dialog = ResolveDialog(token, SEED_LIKE, [])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.sentence_edit.text() == "A bottomless pit, both in terms of resources and human lives."
    assert dialog.sentence_edit.selectedText() == "resources and human lives"
    assert dialog.text_edit.text() == "resources and human lives"
    assert dialog.problem_label.text() == ""
    qtbot.keyClicks(dialog.url_edit, "https://news.example/cost")
    assert dialog.result_label.text() == (
        "Becomes: A bottomless pit, both in terms of "
        "[resources and human lives](https://news.example/cost).")
    # Select "human lives" with the mouse-free way a user has: Shift+arrows from the end.
    dialog.sentence_edit.setFocus()
    qtbot.keyClick(dialog.sentence_edit, Qt.Key.Key_End)
    qtbot.keyClick(dialog.sentence_edit, Qt.Key.Key_Left)
    for _ in range(len("human lives")):
        qtbot.keyClick(dialog.sentence_edit, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert dialog.text_edit.text() == "human lives"
    dialog.ok_button.click()
    start = SEED_LIKE.index("human lives")
    assert dialog.answer() == ResolveAnswer(ResolveChoice.RESOLVE, "https://news.example/cost",
                                            "human lives", (start, start + len("human lives")))


def test_an_empty_anchor_is_refused_once_the_user_clears_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    token = find_placeholders(SEED_LIKE)[0]
    dialog = ResolveDialog(token, SEED_LIKE, [])
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.url_edit, "https://news.example/cost")
    dialog.text_edit.selectAll()
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Delete)
    assert not dialog.ok_button.isEnabled()
    assert "anchor text" in dialog.problem_label.text()
    qtbot.keyClicks(dialog.text_edit, "the cost")
    assert dialog.result_label.text() == "Becomes: [the cost](https://news.example/cost)"


def test_resolving_links_the_words_and_selects_the_next_row(qtbot, make_tab, host) -> None:  # type: ignore[no-untyped-def]
    tab = make_tab(SEED_LIKE)
    dock = PlaceholdersPanel()
    dock.set_document(tab.document)
    host(dock, tab)

    def answer_the_form() -> None:
        dialog = dock.findChild(ResolveDialog)
        assert dialog is not None and dialog.problem_label.text() == ""
        qtbot.keyClicks(dialog.url_edit, "https://news.example/cost")
        dialog.ok_button.click()

    dock.view.setCurrentIndex(dock.model.index(0, 0))
    QTimer.singleShot(50, answer_the_form)
    qtbot.mouseClick(dock.resolve_button, Qt.MouseButton.LeftButton)
    assert tab.body.startswith("A bottomless pit, both in terms of "
                               "[resources and human lives](https://news.example/cost).\n")
    assert dock.view.currentIndex().row() == 0 and dock.rows() == [
        ("Internal link", "3", "More here.")]
    assert dock.resolve_button.isEnabled()  # Resolve… goes on with the next one


def test_the_image_form_is_wide_enough_and_browses_for_the_file(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog

    (tmp_path / "images").mkdir()
    photo = tmp_path / "images" / "chart.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n")
    image = find_placeholders(BODY)[2]
    dialog = ResolveDialog(image, BODY, [], base_dir=tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.width() >= 500
    assert dialog.url_edit.width() >= 250
    qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
    chooser = dialog.findChild(QFileDialog, "imageChooser")
    assert chooser is not None and chooser.isVisible()
    chooser.selectFile(str(photo))
    chooser.accept()
    assert dialog.url_edit.text() == "images/chart.png"
    assert dialog.result_label.text() == "Becomes: ![chart of turnout](images/chart.png)"
