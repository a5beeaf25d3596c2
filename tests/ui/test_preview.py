"""The live preview: the export's page, patched block by block, read back from its DOM."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QUrl
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from editor.export import ExportOptions, Theme, render_page
from editor.model import Article
from editor.render import BodyRenderer, RawHtml, RenderedBody
from editor.ui import preview as preview_module
from editor.ui.actions import Action
from editor.ui.preview import PreviewView, diff_blocks

from .conftest import (
    BODY_BLOCKS,
    OFFSCREEN_NOISE,
    SAMPLE,
    preview_body_html,
    run_js,
    run_json,
    wait_preview_ready,
)

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def export_body_html(article: Article) -> str:
    """The inside of ``.article-body`` as the export writes it."""
    page = render_page(article, ExportOptions())
    match = re.search(r'<div class="article-body">(.*?)</div>\n\s*(?:<aside|</article>)', page,
                      re.DOTALL)
    assert match is not None
    return match.group(1)


def open_article(window, tmp_path: Path, text: str, name: str = "a.md"):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    window.workspace.open_paths([path])
    tab = window.current_tab()
    return tab


def wait_body(qtbot, view: PreviewView, expected: str) -> None:
    qtbot.waitUntil(lambda: preview_body_html(qtbot, view) == expected, timeout=5000)


LONG = "---\ntitle: Long read\n---\n" + "\n\n".join(
    f"## Section {n}\n\nParagraph {n} with some words that fill a line or two of the preview "
    f"page so that it scrolls." for n in range(60)) + "\n"


# -- the diff -------------------------------------------------------------------------------
def test_diff_blocks_finds_the_one_changed_range():
    assert diff_blocks(["a", "b", "c"], ["a", "b", "c"]) is None
    patch = diff_blocks(["a", "b", "c"], ["a", "X", "c"])
    assert (patch.start, patch.removed, patch.inserted) == (1, 1, ("X",))
    patch = diff_blocks(["a", "b"], ["a", "b", "c"])
    assert (patch.start, patch.removed, patch.inserted) == (2, 0, ("c",))
    patch = diff_blocks(["a", "b", "b"], ["a", "b"])
    assert (patch.start, patch.removed, patch.inserted) == (2, 1, ())
    patch = diff_blocks([], ["a"])
    assert (patch.start, patch.removed, patch.inserted) == (0, 0, ("a",))


# -- the page is the export's ---------------------------------------------------------------
def test_the_preview_shows_the_export_html(window, qtbot, sample_copy):
    window.workspace.open_paths([sample_copy])
    view = window.current_tab().preview
    wait_preview_ready(qtbot, view)
    article = window.current_document().article()
    assert preview_body_html(qtbot, view) == export_body_html(article)
    assert run_js(qtbot, view, "document.querySelector('h1.headline').textContent") == \
        article.title
    assert run_js(qtbot, view, "document.querySelectorAll('aside.related li.card').length") == 2
    # the featured image loads from the article's folder
    qtbot.waitUntil(lambda: run_js(
        qtbot, view, "document.querySelector('figure.featured img').naturalWidth") > 0)


def test_typing_patches_the_changed_block_only(window, qtbot, tmp_path):
    tab = open_article(window, tmp_path, "First paragraph.\n\nSecond paragraph.\n\n"
                                         "Third paragraph.\n")
    view = tab.preview
    wait_preview_ready(qtbot, view)
    # Mark the nodes (a property, not in the HTML): a reload or a full re-render would lose the marks.
    run_js(qtbot, view, "document.querySelectorAll('.article-body > p').forEach("
                        "(p, i) => { p.mark = String(i); }); true")
    editor = tab.editor
    editor.go_to_position(len("First paragraph.\n\nSecond"))
    qtbot.keyClicks(editor, " edited")
    expected = "<p>First paragraph.</p>\n<p>Second edited paragraph.</p>\n<p>Third paragraph.</p>"
    qtbot.waitUntil(lambda: run_json(
        qtbot, view, "Array.from(document.querySelectorAll('.article-body > p'))"
                     ".map(p => [p.textContent, p.mark || null])") == [
        ["First paragraph.", "0"], ["Second edited paragraph.", None],
        ["Third paragraph.", "2"]])
    assert preview_body_html(qtbot, view) == "\n" + expected + "\n"
    assert preview_body_html(qtbot, view) == export_body_html(tab.document.article())


def test_a_keystroke_patches_and_follows_the_cursor_in_one_call_to_the_page(
        window, qtbot, tmp_path):
    """Each call to the page is a round trip to its process: one per keystroke, not three."""
    tab = open_article(window, tmp_path, LONG)
    view = tab.preview
    wait_preview_ready(qtbot, view)
    editor = tab.editor
    with qtbot.waitSignal(view.revealed):
        editor.go_to_line(editor.document().blockCount() - 2)
    qtbot.wait(100)  # the page settled
    calls: list[str] = []
    view.patched.connect(lambda: calls.append("patched"))
    view.revealed.connect(lambda _scrolled: calls.append("revealed"))
    with qtbot.waitSignal(view.patched):
        qtbot.keyClick(editor, Qt.Key.Key_X)
    qtbot.wait(100)  # a reveal asked for separately would have answered by now
    assert calls == ["patched", "revealed"]


def test_blocks_split_and_merge_as_the_writer_types(window, qtbot, tmp_path):
    tab = open_article(window, tmp_path, "One two.\n")
    view = tab.preview
    wait_preview_ready(qtbot, view)
    editor = tab.editor
    editor.go_to_position(len("One"))
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    wait_body(qtbot, view, export_body_html(tab.document.article()))
    assert run_js(qtbot, view, "document.querySelectorAll('.article-body > p').length") == 2
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    wait_body(qtbot, view, "\n<p>One two.</p>\n")
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    wait_body(qtbot, view, export_body_html(tab.document.article()))
    editor.insertPlainText("# Heading\n\n- a\n- b\n\n```python\nx = 1\n```\n")
    wait_body(qtbot, view, export_body_html(tab.document.article()))
    assert run_js(qtbot, view, "!!document.querySelector('.article-body .codehilite')")


def test_metadata_edits_patch_the_header_and_related_block(window, qtbot, sample_copy):
    window.workspace.open_paths([sample_copy])
    tab = window.current_tab()
    view = tab.preview
    wait_preview_ready(qtbot, view)
    headline = tab.form.fields["title"]
    headline.selectAll()
    qtbot.keyClicks(headline, "Bridge approved")
    qtbot.waitUntil(lambda: run_js(
        qtbot, view, "document.querySelector('h1.headline').textContent") == "Bridge approved")
    tab.document.set_related([])
    qtbot.waitUntil(lambda: run_js(qtbot, view, "!document.querySelector('aside.related')"))
    tab.document.undo_stack.undo()
    qtbot.waitUntil(lambda: run_js(
        qtbot, view, "document.querySelectorAll('aside.related li.card').length") == 2)


def test_front_matter_typed_into_the_body_never_shows(window, qtbot, tmp_path):
    tab = open_article(window, tmp_path, "Text.\n")
    view = tab.preview
    wait_preview_ready(qtbot, view)
    editor = tab.editor
    editor.go_to_position(0)
    editor.insertPlainText("---\ntitle: Hidden\n---\n")  # pasted
    wait_body(qtbot, view, "\n<p>Text.</p>\n")
    # One rule for the preview and the export.
    assert export_body_html(window.current_document().article()) == "\n<p>Text.</p>\n"


# -- the preview's own script ---------------------------------------------------------------
@pytest.mark.qt_log_ignore("Preview script error")
def test_an_error_in_the_preview_script_is_a_qt_warning_that_fails_tests(qtbot, qtlog):
    view = PreviewView()
    qtbot.addWidget(view)
    view.show()  # a view holds a page while it is shown
    view.load_article(Article(title="Broken"), RenderedBody(()), None, ExportOptions())
    wait_preview_ready(qtbot, view)
    view.run_in_preview("__articlePreview.noSuchFunction(1)")  # a deliberately broken call

    def reported() -> bool:
        return any("Preview script error" in record.message and "noSuchFunction" in record.message
                   for record in qtlog.records)

    qtbot.waitUntil(reported, timeout=5000)
    [record] = [r for r in qtlog.records if "Preview script error" in r.message]
    assert record.type_name == "QtWarningMsg"  # what qt_log_level_fail = WARNING fails on


# -- safety ---------------------------------------------------------------------------------
def test_scripts_and_event_handlers_of_the_draft_never_run(qtbot):
    body = ('<script>document.title = "ran"</script>\n\n'
            '<p id="p" onclick="document.title = \'clicked\'">Click me</p>\n\n'
            '<img src="x" onerror="document.title = \'error\'">\n')
    article = Article(title="Safe", body=body)
    options = ExportOptions(raw_html=RawHtml.KEEP)
    view = PreviewView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    view.load_article(article, BodyRenderer(RawHtml.KEEP).render(body), None, options)
    wait_preview_ready(qtbot, view)  # the script and the image's error had their chance
    assert run_js(qtbot, view, "!!document.querySelector('.article-body script')")
    # A listener of ours, after the paragraph's own in the same dispatch, proves the click.
    run_js(qtbot, view, "window.clicks = 0; document.addEventListener('click', "
                        "() => { window.clicks += 1; }); true")
    rect = run_json(qtbot, view, "__articlePreview.blockRect(1)")
    QTest.mouseClick(view.focusProxy(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0),
                     QPoint(int(rect[0]) + 5, int(rect[1]) + 5))
    qtbot.waitUntil(lambda: run_js(qtbot, view, "window.clicks") == 1)
    assert run_js(qtbot, view, "document.title") == "Safe"


def test_a_link_click_opens_the_browser_not_the_preview(window, qtbot, tmp_path, monkeypatch):
    opened: list[QUrl] = []
    monkeypatch.setattr(window, "open_link", opened.append)
    tab = open_article(window, tmp_path, "[The council](https://example.com/council) voted.\n")
    view = tab.preview
    wait_preview_ready(qtbot, view)
    before = view.url()
    rect = run_json(qtbot, view, "(() => { const r = document.querySelector('.article-body a')"
                                 ".getBoundingClientRect(); return [r.left, r.top]; })()")
    run_js(qtbot, view, "document.querySelector('.article-body a').scrollIntoView(); true")
    rect = run_json(qtbot, view, "(() => { const r = document.querySelector('.article-body a')"
                                 ".getBoundingClientRect(); return [r.left, r.top]; })()")
    QTest.mouseClick(view.focusProxy(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0),
                     QPoint(int(rect[0]) + 3, int(rect[1]) + 3))
    qtbot.waitUntil(lambda: bool(opened))
    assert opened == [QUrl("https://example.com/council")]
    # The navigation was refused where the click was reported; a round trip to the page
    # after it finds the same document.
    assert run_js(qtbot, view, "!!document.querySelector('.article-body a')")
    assert view.url() == before


# -- following each other -------------------------------------------------------------------
def test_the_preview_follows_the_cursor_and_keeps_its_place_otherwise(window, qtbot, tmp_path):
    tab = open_article(window, tmp_path, LONG)
    view = tab.preview
    wait_preview_ready(qtbot, view)
    assert run_js(qtbot, view, "window.scrollY") == 0
    editor = tab.editor
    last_line = editor.document().blockCount() - 2
    editor.go_to_line(last_line)
    qtbot.waitUntil(lambda: run_js(qtbot, view, "window.scrollY") > 1000)
    index = tab.block_index_for_line(last_line)
    top, height = run_json(qtbot, view, f"__articlePreview.blockRect({index})")[1::2]
    viewport = run_js(qtbot, view, "window.innerHeight")
    assert top >= 0 and top + height <= viewport
    # Typing there patches the page without moving it.
    scroll = run_js(qtbot, view, "window.scrollY")
    with qtbot.waitSignal(view.patched):  # the cursor's reveal was asked for before it
        qtbot.keyClicks(editor, " more")
    assert run_js(qtbot, view, "window.scrollY") == scroll
    # A block already on screen does not scroll the page.
    with qtbot.waitSignal(view.revealed) as reveal:
        editor.go_to_line(editor.textCursor().blockNumber() - 2)
    assert reveal.args == [False]
    assert run_js(qtbot, view, "window.scrollY") == scroll


def test_a_click_in_the_preview_moves_the_editor_cursor(window, qtbot, tmp_path):
    tab = open_article(window, tmp_path, LONG)
    view = tab.preview
    wait_preview_ready(qtbot, view)
    block = 7  # "Paragraph 3 …"
    rect = run_json(qtbot, view, f"__articlePreview.blockRect({block})")
    if rect[1] > run_js(qtbot, view, "window.innerHeight") - 10:
        run_js(qtbot, view, f"__articlePreview.reveal({block})")
        rect = run_json(qtbot, view, f"__articlePreview.blockRect({block})")
    QTest.mouseClick(view.focusProxy(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0),
                     QPoint(int(rect[0]) + 10, int(rect[1]) + 5))
    editor = tab.editor
    qtbot.waitUntil(lambda: editor.textCursor().block().text().startswith("Paragraph 3 "))
    assert editor.textCursor().positionInBlock() == 0


# -- big pages, themes ----------------------------------------------------------------------
def test_a_page_above_the_sethtml_limit_loads_and_patches(window, qtbot, tmp_path):
    paragraph = "Words of a very long article that goes on and on. " * 20
    text = "---\ntitle: Huge\n---\n" + "\n\n".join(
        f"{paragraph}{n}" for n in range(1500)) + "\n"
    tab = open_article(window, tmp_path, text)
    view = tab.preview
    assert len(render_page(tab.document.article())) > 1_500_000
    wait_preview_ready(qtbot, view, timeout=30000)
    # The first render of a long article arrives in slices, as patches to a small page.
    qtbot.waitUntil(lambda: run_js(
        qtbot, view, "document.querySelectorAll('.article-body p').length") == 1500,
        timeout=30000)
    # Loading it again (a theme or folder change) has every block ready: one big page.
    tab.load_preview()
    wait_preview_ready(qtbot, view, timeout=30000)
    assert view.url().isLocalFile()
    assert run_js(qtbot, view, "document.querySelectorAll('.article-body p').length") == 1500
    editor = tab.editor
    editor.go_to_position(0)
    qtbot.keyClicks(editor, "Start ")
    qtbot.waitUntil(lambda: run_js(
        qtbot, view, "document.querySelector('.article-body p').textContent.slice(0, 11)")
        == "Start Words")


def test_the_preview_theme_follows_the_setting(window, qtbot, tmp_path):
    tab = open_article(window, tmp_path, "Text.\n")
    view = tab.preview
    wait_preview_ready(qtbot, view)
    assert run_js(qtbot, view, "document.documentElement.getAttribute('data-theme')") is None \
        or run_js(qtbot, view, "document.documentElement.getAttribute('data-theme')") == ""
    window.actions[Action.THEME_DARK].trigger()
    qtbot.waitUntil(lambda: run_js(
        qtbot, view, "document.documentElement.getAttribute('data-theme')") == "dark")
    assert window.settings.preview_theme is Theme.DARK


def test_toggling_the_preview_hides_it(window, qtbot, tmp_path):
    tab = open_article(window, tmp_path, "Text.\n")
    assert tab.preview.isVisible()
    qtbot.keyClick(tab.editor, Qt.Key.Key_P,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert not tab.preview.isVisible()
    assert not window.settings.preview_visible


def test_parse_then_preview_round_trip_for_the_seed_sample(window, qtbot, seed_sample_path):
    window.workspace.open_paths([seed_sample_path])
    tab = window.current_tab()
    view = tab.preview
    wait_preview_ready(qtbot, view)
    assert preview_body_html(qtbot, view) == export_body_html(tab.document.article())


def test_a_changed_reference_re_renders_every_block_without_blocking(window, qtbot, tmp_path):
    text = "\n\n".join(f"Paragraph {n} cites [the report][r]." for n in range(400))
    tab = open_article(window, tmp_path, text + "\n\n[r]: https://example.com/old\n")
    view = tab.preview
    wait_preview_ready(qtbot, view)
    editor = tab.editor
    document = editor.document()
    cursor = document.find("old")
    editor.setTextCursor(cursor)
    qtbot.keyClicks(editor, "new")
    qtbot.waitUntil(lambda: run_js(
        qtbot, view, "(links => links.length === 400 && links.every("
                     "a => a.getAttribute('href') === 'https://example.com/new'))("
                     "Array.from(document.querySelectorAll('.article-body a')))"), timeout=10000)
    assert preview_body_html(qtbot, view) == export_body_html(tab.document.article())


def test_save_as_in_the_same_folder_does_not_reload_the_preview(window, qtbot, answers, tmp_path):
    tab = open_article(window, tmp_path, "Text.\n")
    view = tab.preview
    wait_preview_ready(qtbot, view)
    run_js(qtbot, view, "document.querySelector('.article-body p').mark = 1; true")
    answers.save_path = tmp_path / "renamed.md"
    window.actions[Action.SAVE_AS].trigger()
    assert window.tabs.tabText(0) == "renamed.md"
    assert view.is_ready()  # a reload would have begun within Save As (path_changed)
    assert run_js(qtbot, view, "document.querySelector('.article-body p').mark") == 1


def test_a_full_re_render_is_spread_over_turns_and_ends_equal_to_the_export(window, qtbot, tmp_path):
    text = "\n\n".join(f"Paragraph {n} cites [the report][r] with *some* emphasis." for n in range(600))
    tab = open_article(window, tmp_path, text + "\n\n[r]: https://example.com/v1\n")
    qtbot.waitUntil(tab.preview_is_current, timeout=15000)
    cursor = tab.editor.document().find("v1")
    cursor.clearSelection()
    tab.editor.setTextCursor(cursor)
    qtbot.keyClicks(tab.editor, "2")  # a new reference: every block renders again
    turns = 0
    while not tab.preview_is_current():  # one pass of the event loop at a time
        assert turns < 1000
        QApplication.processEvents()
        turns += 1
    assert turns >= 3  # the window went on handling events between the slices
    qtbot.waitUntil(lambda: run_js(
        qtbot, tab.preview, "document.querySelector('.article-body a').getAttribute('href')")
        == "https://example.com/v12", timeout=5000)
    assert preview_body_html(qtbot, tab.preview) == export_body_html(tab.document.article())


def test_an_edit_s_own_render_turn_is_shorter_than_the_turns_continuing_it(
        window, qtbot, tmp_path, monkeypatch):
    """The edit's turn runs right after the key event, before the repaint: one stall with
    them. A render it does not finish goes on in the timer's longer turns."""
    from editor.render import BodyRenderer
    from editor.ui import editor_tab

    text = "\n\n".join(f"Paragraph {n} cites [the report][r] with *some* emphasis." for n in range(600))
    tab = open_article(window, tmp_path, text + "\n\n[r]: https://example.com/v1\n")
    qtbot.waitUntil(tab.preview_is_current, timeout=15000)
    slices: list[float] = []
    render_until = BodyRenderer.render_until
    monkeypatch.setattr(BodyRenderer, "render_until", lambda renderer, text, deadline, *rest: (
        slices.append(deadline - time.perf_counter()), render_until(renderer, text, deadline, *rest))[1])
    cursor = tab.editor.document().find("v1")
    cursor.clearSelection()
    tab.editor.setTextCursor(cursor)
    qtbot.keyClicks(tab.editor, "2")  # a new reference: every block renders again
    qtbot.waitUntil(tab.preview_is_current, timeout=15000)
    assert len(slices) >= 2
    assert slices[0] <= editor_tab.EDIT_SLICE_SECONDS
    assert all(editor_tab.EDIT_SLICE_SECONDS < left <= editor_tab.RENDER_SLICE_SECONDS
               for left in slices[1:])


def test_typing_in_an_annotated_article_keeps_the_preview_equal_to_the_export(
        window, qtbot, tmp_path):
    text = ("# Notes\n\n[TOC]\n\nA claim.[^a]\n\n## More\n\nAnother.[^b]\n\n"
            "[^a]: First note.\n\n[^b]: Second note.\n")
    tab = open_article(window, tmp_path, text)
    view = tab.preview
    wait_preview_ready(qtbot, view)
    editor = tab.editor
    editor.setTextCursor(editor.document().find("Another."))
    qtbot.keyClicks(editor, " And a third[^a] reference")
    expected = export_body_html(tab.document.article())
    assert 'id="fnref2:a"' in expected and '<div class="toc">' in expected
    wait_body(qtbot, view, expected)


def test_two_cards_on_the_exported_page_fill_the_row_without_an_empty_column(qtbot, tmp_path):
    from PySide6.QtWebEngineWidgets import QWebEngineView

    from editor.files import load_article

    page = tmp_path / "page.html"
    page.write_text(render_page(load_article(SAMPLE)), encoding="utf-8")
    view = QWebEngineView()
    qtbot.addWidget(view)
    view.resize(1280, 800)  # a desktop browser: the article column at its widest
    view.show()
    with qtbot.waitSignal(view.loadFinished, timeout=15000):
        view.load(QUrl.fromLocalFile(str(page)))
    results: list[object] = []
    view.page().runJavaScript(
        "JSON.stringify([document.querySelector('.cards').getBoundingClientRect().width,"
        " ...[...document.querySelectorAll('.cards li.card')]"
        ".map(card => card.getBoundingClientRect().width)])",
        0, results.append)
    qtbot.waitUntil(lambda: bool(results))
    row, *cards = json.loads(str(results[0]))
    assert len(cards) == 2
    assert all(width > 0.45 * row for width in cards), (row, cards)  # halves, not thirds


# -- scroll sync --------------------------------------------------------------------------------
def top_block(qtbot, view: PreviewView) -> int:
    return run_js(qtbot, view, "__articlePreview.topBlock()")


def wheel(widget, steps: int) -> None:  # type: ignore[no-untyped-def]
    """Turn the mouse wheel over ``widget`` (negative: down the page), as a user does."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent

    center = QPointF(widget.rect().center())
    event = QWheelEvent(center, QPointF(widget.mapToGlobal(center.toPoint())), QPoint(0, 0),
                        QPoint(0, 120 * steps), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_the_preview_scrolls_with_the_editor_and_back(window, qtbot, tmp_path):
    tab = open_article(window, tmp_path, LONG)
    view = tab.preview
    wait_preview_ready(qtbot, view)
    assert window.actions[Action.SCROLL_SYNC].isChecked()  # on by default
    editor = tab.editor
    with qtbot.waitSignal(view.scrolled_to_block):
        editor.verticalScrollBar().setValue(60)  # the user scrolls the editor
    expected = tab.block_index_for_line(tab.top_line())
    assert expected > 10 and top_block(qtbot, view) in (expected, expected + 1)
    # The user scrolls the preview: the editor follows.
    before = tab.top_line()
    # (Scrolled by script: a wheel event can reach the page before it takes input, and the
    # scroll it would start is the same page event the sync listens to.)
    run_js(qtbot, view, "window.scrollBy(0, 1500)")
    qtbot.waitUntil(lambda: tab.top_line() > before + 5, timeout=10000)
    shown = top_block(qtbot, view)
    assert abs(tab.block_index_for_line(tab.top_line()) - shown) <= 1
    # Switched off in the View menu (and remembered), the preview stays where it is.
    window.actions[Action.SCROLL_SYNC].trigger()
    assert window.settings.scroll_sync is False
    scroll = run_js(qtbot, view, "window.scrollY")
    editor.verticalScrollBar().setValue(0)
    # A sync would have sent its script before this one, which reads the page after it.
    assert run_js(qtbot, view, "window.scrollY") == scroll


def test_the_preview_comes_back_to_the_cursor_after_it_scrolled_away(window, qtbot, tmp_path):
    window.actions[Action.SCROLL_SYNC].setChecked(False)
    tab = open_article(window, tmp_path, LONG)
    view = tab.preview
    wait_preview_ready(qtbot, view)
    editor = tab.editor
    editor.go_to_line(2)  # "Paragraph 0", revealed: on screen
    qtbot.wait(100)
    run_js(qtbot, view, "window.scrollTo(0, 4000)")  # the page moved away (an undo elsewhere)
    with qtbot.waitSignal(view.revealed) as reveal:
        qtbot.keyClick(editor, Qt.Key.Key_End)  # the cursor moves within the same paragraph
    assert reveal.args == [True]
    index = tab.block_index_for_line(2)
    top, height = run_json(qtbot, view, f"__articlePreview.blockRect({index})")[1::2]
    assert top >= 0 and top + height <= run_js(qtbot, view, "window.innerHeight")


def test_the_preview_keeps_its_place_after_save_as_into_another_folder(window, qtbot, answers,
                                                                        tmp_path):
    tab = open_article(window, tmp_path, LONG)
    view = tab.preview
    wait_preview_ready(qtbot, view)
    tab.editor.verticalScrollBar().setValue(60)
    qtbot.waitUntil(lambda: run_js(qtbot, view, "window.scrollY") > 1000)
    other = tmp_path / "elsewhere"
    other.mkdir()
    answers.save_path = other / "a.md"
    window.actions[Action.SAVE_AS].trigger()
    assert window.current_document().path == other / "a.md"
    qtbot.waitUntil(view.is_ready, timeout=15000)
    expected = tab.block_index_for_line(tab.top_line())
    qtbot.waitUntil(lambda: top_block(qtbot, view) in (expected, expected + 1), timeout=5000)
    assert run_js(qtbot, view, "window.scrollY") > 1000


def test_random_edits_patch_the_preview_to_what_the_export_writes(window, qtbot, tmp_path):
    import random

    from PySide6.QtGui import QTextCursor

    text = "\n\n".join(
        f"## Part {n}\n\nParagraph {n} with *words*.\n\n- item {n}\n- item\n\n"
        + ("```python\nx = 1\n```" if n % 4 == 0 else f"> Quote {n}") for n in range(12)) + "\n"
    tab = open_article(window, tmp_path, text)
    view = tab.preview
    wait_preview_ready(qtbot, view)
    document = tab.editor.document()
    rng = random.Random(15)
    for step in range(40):
        cursor = QTextCursor(document)
        position = rng.randrange(document.characterCount() - 1)
        cursor.setPosition(position)
        cursor.setPosition(min(position + rng.randrange(4), document.characterCount() - 1),
                           QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(rng.choice(["x", " ", "\n", "\n\n", "## ", "- ", "`", "```\n", "*"]))
        if step % 8 == 7:
            wait_body(qtbot, view, export_body_html(tab.document.article()))
    wait_body(qtbot, view, export_body_html(tab.document.article()))


def test_the_tabs_share_one_page_and_a_tab_comes_back_with_what_changed_meanwhile(
    window, qtbot, tmp_path
):
    first = open_article(window, tmp_path, LONG.replace("Long read", "First"), "first.md")
    wait_preview_ready(qtbot, first.preview)
    first.editor.verticalScrollBar().setValue(60)  # the user reads further down
    page = first.preview.page()
    qtbot.waitUntil(lambda: page.scrollPosition().y() > 500, timeout=5000)  # as Qt knows it
    place = run_js(qtbot, first.preview, "window.scrollY")
    second = open_article(window, tmp_path, "The second story.\n", "second.md")
    wait_preview_ready(qtbot, second.preview)
    assert window.current_tab() is second
    # The second tab took the first one's page: one page, one article's worth of the renderer.
    assert second.preview.page() is page and not first.preview.has_page()
    assert run_js(qtbot, second.preview, "window.scrollY") == 0  # a new article: its top
    assert preview_body_html(qtbot, second.preview) == export_body_html(
        second.document.article())
    # Back in front, the first article is where its reader left it.
    window.tabs.setCurrentWidget(first)
    wait_preview_ready(qtbot, first.preview)
    assert first.preview.page() is page and not second.preview.has_page()
    assert run_js(qtbot, first.preview, "window.scrollY") == place
    assert run_js(qtbot, first.preview, "document.title") == "First"

    # What changes while a tab is behind (a headline, a paragraph) shows when it is in front.
    window.tabs.setCurrentWidget(second)
    wait_preview_ready(qtbot, second.preview)
    first.document.update_metadata("Edit headline", title="First, revised")
    cursor = QTextCursor(first.document.text_document)
    cursor.movePosition(QTextCursor.MoveOperation.End)
    cursor.insertText("\nA paragraph added while hidden.\n")
    qtbot.waitUntil(first.preview_is_current)  # rendered, kept for the page
    window.tabs.setCurrentWidget(first)
    wait_preview_ready(qtbot, first.preview)
    assert run_js(qtbot, first.preview, "document.querySelector('h1').textContent") == (
        "First, revised")
    assert run_js(qtbot, first.preview, "document.title") == "First, revised"
    assert preview_body_html(qtbot, first.preview) == export_body_html(first.document.article())

    # Closed, a tab leaves the page to the one shown next.
    first.document.mark_saved()
    assert window.close_tab(window.tabs.indexOf(first))
    assert window.current_tab() is second
    wait_preview_ready(qtbot, second.preview)
    assert second.preview.page() is page
    assert preview_body_html(qtbot, second.preview) == export_body_html(
        second.document.article())


def test_a_page_hidden_with_its_tab_in_front_freezes_and_wakes(
    window, qtbot, tmp_path, monkeypatch
):
    """The preview switched off in the View menu: its page stays, and freezes while hidden."""
    monkeypatch.setattr(preview_module, "FREEZE_HIDDEN_AFTER_MS", 50)
    tab = open_article(window, tmp_path, "The story.\n")
    wait_preview_ready(qtbot, tab.preview)
    tab.set_preview_visible(False)
    qtbot.waitUntil(tab.preview.is_frozen, timeout=5000)
    cursor = QTextCursor(tab.document.text_document)
    cursor.movePosition(QTextCursor.MoveOperation.End)
    cursor.insertText("\nA paragraph added while hidden.\n")
    tab.set_preview_visible(True)
    assert not tab.preview.is_frozen()
    wait_body(qtbot, tab.preview, export_body_html(tab.document.article()))


def test_a_keystroke_patch_leaves_for_the_page_before_the_editor_repaints(window, qtbot, tmp_path):
    """The page applies the patch while the editor paints the keystroke, not after it."""
    tab = open_article(window, tmp_path, LONG)
    view = tab.preview
    wait_preview_ready(qtbot, view)
    editor = tab.editor
    editor.go_to_line(4)
    qtbot.wait(200)  # settled: the cursor's move painted and revealed
    order: list[str] = []

    class PaintWatcher(QObject):
        def eventFilter(self, watched, event):  # type: ignore[no-untyped-def]
            if event.type() == QEvent.Type.Paint:
                order.append("editor painted")
            return False

    watcher = PaintWatcher()
    editor.viewport().installEventFilter(watcher)
    send_blocks = view._send_blocks
    view._send_blocks = lambda *args, **kwargs: (order.append("patch sent"),
                                                send_blocks(*args, **kwargs))
    try:
        with qtbot.waitSignal(view.patched):
            qtbot.keyClick(editor, Qt.Key.Key_X)
        qtbot.waitUntil(lambda: "editor painted" in order)
    finally:
        editor.viewport().removeEventFilter(watcher)
        del view._send_blocks
    assert order.index("patch sent") < order.index("editor painted")


# -- a long body in chunks -----------------------------------------------------------------
MIXED_BLOCKS = [
    "## Heading {n}", "Paragraph {n} with *emphasis*, `code` and a [link](https://example.com).",
    "> A quote, {n}.\n>\n> Its second paragraph.", "- item {n}\n- another\n\n    indented, {n}",
    "```python\nx = {n}\n```", "1. first {n}\n2. second", "<div class=\"box\"><p>Raw {n}</p></div>",
    "Paragraph {n}, a longer one that wraps over more than one line of the page at its width, "
    "so that heights differ from block to block.",
]


def mixed_body(blocks: int) -> str:
    return "\n\n".join(MIXED_BLOCKS[n % len(MIXED_BLOCKS)].format(n=n) for n in range(blocks))


# Each block's tag and box, whether the page keeps it in a chunk or not.
BLOCK_BOXES = (
    f"JSON.stringify(Array.from(document.querySelectorAll('{BODY_BLOCKS}')).map(e => {{"
    " const r = e.getBoundingClientRect(); return [e.tagName, Math.round(r.top + scrollY),"
    " Math.round(r.height), Math.round(r.left)]; }))")


def chunk_sizes(qtbot, view: PreviewView) -> list[int]:
    """How many nodes each chunk holds; fails if the body holds anything but chunks after
    its first "\\n"."""
    return run_json(qtbot, view, """(() => {
        const body = document.querySelector('.article-body');
        const rest = Array.from(body.childNodes).slice(1);
        if (!rest.every(n => n.nodeType === 1 && n.hasAttribute('data-preview-chunk'))) {
            return null;
        }
        return rest.map(n => n.childNodes.length); })()""")


def assert_laid_out_as_the_export(qtbot, preview: PreviewView, article: Article) -> None:
    """Every block of ``preview`` at the place and size the export gives it, once a reader
    has scrolled through the page (chunks out of view are laid out when they come near it;
    until then their height is a guess)."""
    from PySide6.QtWebEngineWidgets import QWebEngineView

    export = QWebEngineView()
    qtbot.addWidget(export)
    export.resize(preview.size())
    export.show()
    with qtbot.waitSignal(export.loadFinished, timeout=15000):
        export.setHtml(render_page(article, preview.options), QUrl("file:///"))
    results: list[object] = []
    export.page().runJavaScript(BLOCK_BOXES, 0, results.append)
    qtbot.waitUntil(lambda: bool(results))
    exported = json.loads(str(results[0]))
    height = run_js(qtbot, preview, "document.documentElement.scrollHeight")
    for top in range(0, int(height) + 700, 350):
        run_js(qtbot, preview, f"window.scrollTo(0, {top}); true")
        qtbot.wait(20)
    # Margins meet across the chunks as they do in the export.
    assert run_json(qtbot, preview, BLOCK_BOXES[len("JSON.stringify("):-1]) == exported


def test_a_long_body_sits_in_chunks_laid_out_exactly_as_the_export(qtbot):

    body = mixed_body(400)
    article = Article(title="Long", body=body)
    options = ExportOptions(raw_html=RawHtml.KEEP)
    preview = PreviewView()
    qtbot.addWidget(preview)
    preview.resize(900, 700)
    preview.show()
    preview.load_article(article, BodyRenderer(RawHtml.KEEP).render(body), None, options)
    wait_preview_ready(qtbot, preview)
    sizes = chunk_sizes(qtbot, preview)
    assert sizes and len(sizes) > 5 and max(sizes) <= 128  # in chunks, not one long list
    assert run_js(qtbot, preview, f"document.querySelectorAll('{BODY_BLOCKS}').length") == 400
    assert_laid_out_as_the_export(qtbot, preview, article)
    assert preview_body_html(qtbot, preview) == export_body_html(article)


def test_edits_anywhere_in_a_long_body_keep_its_chunks_whole(window, qtbot, tmp_path):
    import random

    tab = open_article(window, tmp_path, mixed_body(300) + "\n")
    view = tab.preview
    qtbot.waitUntil(tab.preview_is_current, timeout=15000)
    assert chunk_sizes(qtbot, view)
    document = tab.editor.document()
    rng = random.Random(7)
    many = "\n\n".join(f"Pasted {n}." for n in range(200)) + "\n\n"
    for step in range(30):
        cursor = QTextCursor(document)
        end = document.characterCount() - 1
        position = rng.randrange(end)
        cursor.setPosition(position)
        span = rng.choice([0, 2, 40, 2000, 8000])  # within a block, across chunks
        cursor.setPosition(min(position + span, end), QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(rng.choice(["x", "\n\n", "## ", "```\n", many, ""]))
        if step % 6 == 5:
            wait_body(qtbot, view, export_body_html(tab.document.article()))
            sizes = chunk_sizes(qtbot, view)
            assert sizes and all(0 < size <= 128 for size in sizes), sizes
    tab.editor.selectAll()  # the whole body at once, then a short one: still the export's
    tab.editor.textCursor().insertText(mixed_body(500))
    wait_body(qtbot, view, export_body_html(tab.document.article()))
    tab.editor.selectAll()
    tab.editor.textCursor().insertText("Short now.\n")
    wait_body(qtbot, view, export_body_html(tab.document.article()))


def test_tables_and_raw_html_where_chunks_meet_stand_where_the_export_puts_them(qtbot):
    """A table's margins stay its own; a <div>'s first paragraph brings its margin through
    the <div>, unless text stands before it."""
    kinds = ["| a | b |\n|---|---|\n| 1 | 2 |", "Paragraph {n}.", "<div>Text {n} <p>in</p></div>",
             "<div><p>First {n}</p></div>", "## Heading {n}"]
    body = "\n\n".join(kinds[n % len(kinds)].format(n=n) for n in range(300))
    article = Article(title="Mixed", body=body)
    preview = PreviewView()
    qtbot.addWidget(preview)
    preview.resize(900, 700)
    preview.show()
    options = ExportOptions(raw_html=RawHtml.KEEP)
    preview.load_article(article, BodyRenderer(RawHtml.KEEP).render(body), None, options)
    wait_preview_ready(qtbot, preview)
    assert len(chunk_sizes(qtbot, preview)) > 5
    assert_laid_out_as_the_export(qtbot, preview, article)


def test_edits_where_chunks_meet_keep_every_block_where_the_export_puts_it(
    window, qtbot, tmp_path
):
    tab = open_article(window, tmp_path, mixed_body(300) + "\n")
    view = tab.preview
    qtbot.waitUntil(tab.preview_is_current, timeout=15000)
    document = tab.editor.document()
    many = "\n\n".join(f"Pasted {n}." for n in range(150))
    # A chunk holds 32 of these blocks: blocks 32 and 64 open chunks, 63 closes one.
    for old, new in (("## Heading 32", "Plain now, 32."), ("## Heading 64", many),
                     ("Paragraph 63, a longer one", "## Paragraph 63, a heading now"),
                     ("Paragraph 95, a longer one", "```\ncode 95\n```\n\nParagraph 95")):
        cursor = document.find(old)
        assert not cursor.isNull(), old
        cursor.insertText(new)
        wait_body(qtbot, view, export_body_html(tab.document.article()))
    sizes = chunk_sizes(qtbot, view)
    assert sizes and len(sizes) > 10 and max(sizes) <= 128  # the paste split its chunk
    assert_laid_out_as_the_export(qtbot, view, tab.document.article())


def test_a_click_on_a_block_in_a_chunk_moves_the_editor_cursor(window, qtbot, tmp_path):
    tab = open_article(window, tmp_path, mixed_body(300) + "\n")
    view = tab.preview
    qtbot.waitUntil(tab.preview_is_current, timeout=15000)
    assert chunk_sizes(qtbot, view)
    block = 241  # "Paragraph 241 with *emphasis*…", in the fourth chunk
    run_js(qtbot, view, f"__articlePreview.reveal({block})")
    rect = run_json(qtbot, view, f"__articlePreview.blockRect({block})")
    assert run_js(qtbot, view, f"__articlePreview.blockAt({rect[0] + 10}, {rect[1] + 5})") == block
    QTest.mouseClick(view.focusProxy(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0),
                     QPoint(int(rect[0]) + 10, int(rect[1]) + 5))
    qtbot.waitUntil(lambda: tab.editor.textCursor().block().text().startswith("Paragraph 241 "))
    assert run_js(qtbot, view, "__articlePreview.topBlock()") in range(block - 10, block + 1)
