"""The Related stories panel: cards shown, added, edited, deleted, duplicated, reordered,
started from drops, and the block heading — each one undo step on the document."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDragMoveEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QWidget

from editor.model import RelatedCard
from editor.ui.panels.card_dialog import MISSING_ALT, CardDialog
from editor.ui.panels.related import RelatedPanel

from .conftest import OFFSCREEN_NOISE

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

SEED = Path(__file__).resolve().parents[2] / "data" / "import" / "seed_iraq.txt"

CARDS = [
    RelatedCard(title="Bridge reopens", url="https://news.example/bridge",
                teaser="The harbour bridge reopened on Monday after three weeks of repairs to "
                       "its deck, with traffic flowing freely by the evening rush."),
    RelatedCard(title="Ferry timetable", url="/ferries", image="images/ferry.png",
                image_alt="A ferry at the quay"),
    RelatedCard(title="Council vote", url="https://news.example/vote", image="images/v.png"),
]


@pytest.fixture
def panel(make_tab, host):  # type: ignore[no-untyped-def]
    tab = make_tab("Body.\n", related=list(CARDS), related_heading="Don't Miss")
    dock = RelatedPanel()
    dock.set_document(tab.document)
    host(dock, tab)
    dock.tab = tab
    return dock


def titles(dock: RelatedPanel) -> list[str]:
    return [row.split("\n")[0] for row in dock.rows()]


def saved_titles(dock: RelatedPanel) -> list[str]:
    return [card.title for card in dock.tab.document.metadata().related]


def select(dock: RelatedPanel, row: int) -> None:
    dock.view.setFocus()
    dock.view.setCurrentIndex(dock.model.index(row))


def drop(widget: QWidget, mime: QMimeData, pos: QPoint,
         action: Qt.DropAction = Qt.DropAction.CopyAction) -> bool:
    """Drag ``mime`` over ``widget`` and drop it at ``pos``, as the window system would."""
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    enter = QDragEnterEvent(pos, actions, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    enter.setDropAction(action)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    move = QDragMoveEvent(pos, actions, mime, Qt.MouseButton.LeftButton,
                          Qt.KeyboardModifier.NoModifier)
    move.setDropAction(action)
    QApplication.sendEvent(widget, move)
    event = QDropEvent(QPointF(pos), actions, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    event.setDropAction(action)
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


def form(*results: RelatedCard | None):  # type: ignore[no-untyped-def]
    """A stand-in for the card form: records the card it was given, returns the next result."""
    given: list[RelatedCard] = []
    queue = list(results)

    def edit(card: RelatedCard, title: str) -> RelatedCard | None:
        given.append(card)
        return queue.pop(0)

    edit.given = given  # type: ignore[attr-defined]
    return edit


def test_shows_cards_with_trimmed_teasers_and_the_heading(panel: RelatedPanel) -> None:
    assert panel.windowTitle() == "Related stories"
    assert panel.objectName() == "RelatedPanel"
    assert panel.heading_edit.text() == "Don't Miss"
    assert titles(panel) == ["Bridge reopens", "Ferry timetable", "Council vote"]
    teaser = panel.rows()[0].split("\n")[1]
    assert teaser.endswith("…") and len(teaser) <= 120
    panel.set_teaser_length(40)
    teaser = panel.rows()[0].split("\n")[1]
    assert teaser == "The harbour bridge reopened on Monday…"
    problem = panel.model.index(2).data(panel.model.ProblemRole)
    assert problem == "No alt text for the image"
    assert "no alt text" in panel.model.index(2).data(Qt.ItemDataRole.ToolTipRole)
    assert panel.model.index(0).data(panel.model.ProblemRole) == ""


def test_add_through_the_form_is_one_undo_step(qtbot, panel: RelatedPanel) -> None:  # type: ignore[no-untyped-def]
    new = RelatedCard(title="Tolls rise", url="https://news.example/tolls")
    edit = form(new)
    panel.edit_card = edit
    qtbot.mouseClick(panel.buttons["Add"], Qt.MouseButton.LeftButton)
    assert edit.given == [RelatedCard()]
    assert saved_titles(panel)[-1] == "Tolls rise"
    assert titles(panel)[-1] == "Tolls rise"
    assert panel.view.currentIndex().row() == 3
    panel.tab.undo()
    assert saved_titles(panel) == ["Bridge reopens", "Ferry timetable", "Council vote"]
    qtbot.waitUntil(lambda: len(panel.rows()) == 3, timeout=1000)


def test_cancelled_form_changes_nothing(qtbot, panel: RelatedPanel) -> None:  # type: ignore[no-untyped-def]
    panel.edit_card = form(None)
    qtbot.mouseClick(panel.buttons["Add"], Qt.MouseButton.LeftButton)
    assert panel.tab.document.undo_stack.count() == 0


def test_double_click_edits_the_card(qtbot, panel: RelatedPanel) -> None:  # type: ignore[no-untyped-def]
    edit = form(RelatedCard(title="Ferry timetable (new)", url="/ferries"))
    panel.edit_card = edit
    rect = panel.view.visualRect(panel.model.index(1))
    # QTest's double-click is the second click only; the first comes before it
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert edit.given[0].title == "Ferry timetable"
    assert titles(panel)[1] == "Ferry timetable (new)"
    panel.tab.undo()
    assert saved_titles(panel)[1] == "Ferry timetable"


def test_delete_key_and_duplicate_button(qtbot, panel: RelatedPanel) -> None:  # type: ignore[no-untyped-def]
    select(panel, 0)
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert saved_titles(panel) == ["Ferry timetable", "Council vote"]
    select(panel, 1)
    qtbot.mouseClick(panel.buttons["Duplicate"], Qt.MouseButton.LeftButton)
    assert saved_titles(panel) == ["Ferry timetable", "Council vote", "Council vote"]
    panel.tab.undo()
    panel.tab.undo()
    assert saved_titles(panel) == ["Bridge reopens", "Ferry timetable", "Council vote"]


def test_drag_to_reorder(qtbot, panel: RelatedPanel) -> None:  # type: ignore[no-untyped-def]
    mime = panel.model.mimeData([panel.model.index(0)])
    last = panel.view.visualRect(panel.model.index(2))
    assert drop(panel.view.viewport(), mime, QPoint(last.center().x(), last.bottom() - 2),
                Qt.DropAction.MoveAction)
    assert saved_titles(panel) == ["Ferry timetable", "Council vote", "Bridge reopens"]
    assert titles(panel) == ["Ferry timetable", "Council vote", "Bridge reopens"]
    mime = panel.model.mimeData([panel.model.index(2)])
    first = panel.view.visualRect(panel.model.index(0))
    drop(panel.view.viewport(), mime, QPoint(first.center().x(), first.top() + 2),
         Qt.DropAction.MoveAction)
    assert saved_titles(panel) == ["Bridge reopens", "Ferry timetable", "Council vote"]
    panel.tab.undo()
    assert saved_titles(panel) == ["Ferry timetable", "Council vote", "Bridge reopens"]


def test_keyboard_reorder(qtbot, panel: RelatedPanel) -> None:  # type: ignore[no-untyped-def]
    select(panel, 0)
    qtbot.keyClick(panel.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert saved_titles(panel) == ["Ferry timetable", "Bridge reopens", "Council vote"]
    assert panel.view.currentIndex().row() == 1


def test_dropping_a_link_starts_a_card(qtbot, panel: RelatedPanel) -> None:  # type: ignore[no-untyped-def]
    edit = form(RelatedCard(title="Dropped story", url="https://news.example/dropped"))
    panel.edit_card = edit
    mime = QMimeData()
    mime.setUrls([QUrl("https://news.example/dropped")])
    assert drop(panel.view.viewport(), mime, QPoint(10, 10))
    assert edit.given == [RelatedCard(url="https://news.example/dropped")]
    assert saved_titles(panel)[-1] == "Dropped story"
    rejected = QMimeData()
    rejected.setUrls([QUrl("ftp://example.com/file.txt")])
    assert not drop(panel.view.viewport(), rejected, QPoint(10, 10))


def test_dropping_an_image_file_on_the_panel_starts_a_card(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                         make_tab, host) -> None:
    article = tmp_path / "story.md"
    (tmp_path / "images").mkdir()
    image = tmp_path / "images" / "quay.png"
    picture = QImage(80, 60, QImage.Format.Format_RGB32)
    picture.fill(QColor("#ff0000"))
    assert picture.save(str(image))
    tab = make_tab("Body.\n")
    tab.document.set_path(article)
    dock = RelatedPanel()
    dock.set_document(tab.document)
    host(dock, tab)
    edit = form(RelatedCard(title="At the quay", image="images/quay.png", image_alt="The quay"))
    dock.edit_card = edit
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(image))])
    # dropped on the panel below the list, on the hint
    hint = dock.hint_label
    assert drop(dock.widget(), mime, hint.mapTo(dock.widget(), hint.rect().center()))
    assert edit.given == [RelatedCard(image="images/quay.png")]
    assert [c.image for c in tab.document.metadata().related] == ["images/quay.png"]
    thumb = dock.model.index(0).data(Qt.ItemDataRole.DecorationRole).toImage()
    assert QColor(thumb.pixel(thumb.width() // 2, thumb.height() // 2)) == QColor("#ff0000")


def test_block_heading_is_editable_and_undoable(qtbot, panel: RelatedPanel) -> None:  # type: ignore[no-untyped-def]
    panel.heading_edit.setFocus()
    panel.heading_edit.selectAll()
    qtbot.keyClicks(panel.heading_edit, "Read next")
    qtbot.keyClick(panel.heading_edit, Qt.Key.Key_Return)
    assert panel.tab.document.metadata().related_heading == "Read next"
    panel.tab.undo()
    assert panel.tab.document.metadata().related_heading == "Don't Miss"
    panel.view.setFocus()
    qtbot.waitUntil(lambda: panel.heading_edit.text() == "Don't Miss", timeout=1000)


def test_follows_the_document_and_the_current_tab(qtbot, make_tab, panel: RelatedPanel) -> None:  # type: ignore[no-untyped-def]
    panel.tab.document.set_related([RelatedCard(title="From elsewhere")])
    qtbot.waitUntil(lambda: titles(panel) == ["From elsewhere"], timeout=1000)
    other = make_tab("x\n")
    panel.set_document(other.document)
    assert panel.rows() == [] and panel.heading_edit.text() == "Don't Miss"
    panel.set_document(None)
    assert not panel.add_action.isEnabled() and not panel.heading_edit.isEnabled()


# -- the form ------------------------------------------------------------------------------
def test_card_form_validates_url_and_flags_missing_alt_text(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = CardDialog(RelatedCard(title="A story"))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.ok_button.isEnabled()
    dialog.url_edit.setText("https://exa mple.com/story")
    assert not dialog.ok_button.isEnabled()
    assert dialog.url_problem_label.isVisible() and dialog.url_problem_label.text()
    dialog.url_edit.setText("mailto:desk@example.com")
    assert not dialog.ok_button.isEnabled()
    dialog.url_edit.setText("/stories/a-story")
    assert dialog.ok_button.isEnabled() and not dialog.url_problem_label.isVisible()
    dialog.image_edit.setText("https://cdn.example/a.jpg")
    assert dialog.alt_problem_label.isVisible()
    assert dialog.alt_problem_label.text() == MISSING_ALT
    assert dialog.ok_button.isEnabled()  # flagged, not refused
    dialog.alt_edit.setText("Rescuers at the bridge")
    assert not dialog.alt_problem_label.isVisible()
    dialog.title_edit.clear()
    assert not dialog.ok_button.isEnabled()
    dialog.title_edit.setText("A story")
    dialog.teaser_edit.setPlainText("  The teaser. ")
    assert dialog.card() == RelatedCard(
        title="A story", url="/stories/a-story", image="https://cdn.example/a.jpg",
        image_alt="Rescuers at the bridge", teaser="The teaser.")


def test_the_real_form_through_the_panel(qtbot, panel: RelatedPanel) -> None:  # type: ignore[no-untyped-def]
    def fill_in() -> None:
        dialog = panel.findChild(CardDialog)
        assert dialog is not None and dialog.isVisible()
        dialog.title_edit.setText("Filled in")
        dialog.url_edit.setText("https://news.example/filled")
        dialog.ok_button.click()

    QTimer.singleShot(50, fill_in)
    qtbot.mouseClick(panel.buttons["Add"], Qt.MouseButton.LeftButton)
    assert saved_titles(panel)[-1] == "Filled in"


def test_seed_sample_shows_its_two_cards(qtbot, make_tab) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("editor.importers.plaintext")
    from editor.files import load_article

    article = load_article(SEED)
    tab = make_tab(article.body, related=article.related,
                   related_heading=article.related_heading)
    dock = RelatedPanel()
    qtbot.addWidget(dock)
    dock.set_document(tab.document)
    assert titles(dock) == [
        "National march in Peru: chronology of incidents and public transport detours",
        "Felix Baumgartner: Records, Feats, and an Unexpected Death",
    ]
    assert dock.heading_edit.text() == "Don't Miss"


def write_image(path: Path, color: str) -> None:
    image = QImage(20, 20, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    assert image.save(str(path))


def thumbnail_color(dock: RelatedPanel, row: int) -> str:
    pixmap = dock.model.index(row).data(Qt.ItemDataRole.DecorationRole)
    return pixmap.toImage().pixelColor(pixmap.width() // 2, pixmap.height() // 2).name()


def test_thumbnails_look_at_the_disk_once_per_refresh_not_per_paint(  # type: ignore[no-untyped-def]
        qtbot, make_tab, host, tmp_path: Path) -> None:
    write_image(tmp_path / "pic.png", "#ff0000")
    tab = make_tab("Body.\n", related=[RelatedCard(title="Card", url="/a", image="pic.png",
                                                   image_alt="A picture")])
    tab.document.set_path(tmp_path / "article.md")
    dock = RelatedPanel()
    dock.set_document(tab.document)
    host(dock, tab)
    assert thumbnail_color(dock, 0) == "#ff0000"

    write_image(tmp_path / "pic.png", "#0000ff")
    later = (tmp_path / "pic.png").stat().st_mtime + 5
    os.utime(tmp_path / "pic.png", (later, later))
    dock.view.viewport().grab()  # painting does not look at the file again
    assert thumbnail_color(dock, 0) == "#ff0000"

    cards = tab.document.metadata().related
    cards[0].title = "Card, renamed"
    tab.document.set_related(cards)  # a refresh does, and sees the new picture
    qtbot.waitUntil(lambda: thumbnail_color(dock, 0) == "#0000ff", timeout=2000)


def test_card_form_labels_and_a_long_title_shown_from_its_start(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel

    title = "Harbour bridge reopens after two years of repairs and a long dispute over costs"
    dialog = CardDialog(RelatedCard(title=title, url="https://news.example/bridge"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    labels = [label.text() for label in dialog.findChildren(QLabel)]
    assert "&Image:" in labels  # the mnemonic, drawn underlined, not a literal "&"
    image_label = next(label for label in dialog.findChildren(QLabel)
                       if label.text() == "&Image:")
    assert image_label.buddy() is dialog.image_edit
    assert dialog.title_edit.cursorPosition() == 0


def test_a_card_shows_its_url_in_the_panel(qtbot, panel: RelatedPanel) -> None:  # type: ignore[no-untyped-def]
    model = panel.model
    assert model.index(0).data(model.UrlRole).startswith("http")
    assert model.index(0).data(model.UrlRole) in model.index(0).data(
        Qt.ItemDataRole.AccessibleTextRole)
    panel.tab.document.set_related([RelatedCard(title="Draft")])
    qtbot.waitUntil(lambda: model.index(0).data(model.UrlRole) == "No URL yet")
