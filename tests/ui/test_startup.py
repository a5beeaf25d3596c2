"""Start-up and many tabs: the first screen before the rest, one renderer, one dictionary."""

from __future__ import annotations

import importlib
import linecache
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from editor.render import BodyRenderer
from editor.spelling import SpellChecker, word_list_for
from editor.ui import first_screen, preload
from editor.ui.app import BackgroundImport, has_graphics_card, lighten_pyside_import_hook
from editor.ui.panels import checks as checks_panel
from editor.ui.panels import library as library_panel
from editor.ui.preview import PreviewPage, PreviewView
from editor.ui.spelling import WordListLoader

from .conftest import (
    BODY_BLOCKS,
    OFFSCREEN_NOISE,
    run_js,
    run_json,
    start_window,
    write_article,
)

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

# Far more than renders in one slice: the page must load before the body is all rendered.
LONG_BODY = "\n\n".join(
    f"## Part {n}\n\n" + " ".join(f"Sentence {n}.{k} of a long article, told slowly."
                                  for k in range(12)) for n in range(600)) + "\n\nThe very end.\n"
BLOCKS_IN_PAGE = f"document.querySelectorAll('{BODY_BLOCKS}').length"
LAST_BLOCK_TEXT = f"Array.from(document.querySelectorAll('{BODY_BLOCKS}')).pop().textContent"


def test_a_long_article_loads_with_its_first_screen_and_the_rest_follows(
    qtbot, window, tmp_path: Path, monkeypatch
) -> None:
    loaded: list[int] = []
    on_init = PreviewView._on_init

    def page_ready(view: PreviewView, page: PreviewPage) -> None:
        loaded.append(len(view._shown))  # what the page was given, before any patch
        on_init(view, page)

    monkeypatch.setattr(PreviewView, "_on_init", page_ready)
    window.workspace.open_paths([write_article(tmp_path, "long.md", LONG_BODY)])
    tab = window.current_tab()
    view = tab.preview
    qtbot.waitUntil(lambda: bool(loaded), timeout=15000)
    assert 0 < loaded[0] < 1200  # the first screenful, not an empty page, not all of it
    assert run_json(qtbot, view, "document.documentElement.scrollHeight >= innerHeight")
    qtbot.waitUntil(tab.preview_is_current, timeout=20000)
    assert run_js(qtbot, view, BLOCKS_IN_PAGE) == len(tab._body) == 1201
    assert run_js(qtbot, view, LAST_BLOCK_TEXT) == "The very end."


def test_the_first_article_s_page_loads_while_the_window_is_built(
    qtbot, window, tmp_path: Path
) -> None:
    path = write_article(tmp_path, "long.md", LONG_BODY)
    first = preload.read_first_article(path)  # in the import thread, at start-up
    assert first is not None and first.body is None  # its first screen only
    page = preload.load_first_page(first)
    assert page is not None
    qtbot.waitUntil(lambda: page.load_result is True, timeout=15000)  # loaded, no tab yet

    window.workspace.open_paths([path])
    tab = window.current_tab()
    assert tab.preview.page() is page  # the tab took it rather than loading its own
    qtbot.waitUntil(tab.preview_is_current, timeout=20000)
    assert run_js(qtbot, tab.preview, BLOCKS_IN_PAGE) == len(tab._body) == 1201
    assert run_js(qtbot, tab.preview, LAST_BLOCK_TEXT) == "The very end."
    assert run_js(qtbot, tab.preview, "document.querySelector('h1').textContent") == "A title"


def test_no_more_than_the_first_screen_is_rendered_before_the_page_loads() -> None:
    paragraphs = [f"Paragraph {n} of a long article, told slowly." for n in range(2000)]
    text = "\n\n".join(paragraphs) + "\n\n```python\nprint('far below')\n```\n"
    renderer = BodyRenderer()
    assert preload.render_first_screen(renderer, text) is None  # not the whole body
    rendered = [block.text for block in renderer.rendered_so_far()]
    # It stops at the first block that fills the screen, not at the end of a time slice.
    assert sum(map(len, rendered[:-1])) < preload.FIRST_SCREEN_CHARACTERS
    assert sum(map(len, rendered)) >= preload.FIRST_SCREEN_CHARACTERS


def test_a_page_loaded_ahead_for_a_file_changed_since_is_not_shown(
    qtbot, window, tmp_path: Path
) -> None:
    path = write_article(tmp_path, "story.md", "What the file said at start-up.\n")
    first = preload.read_first_article(path)
    assert first is not None and first.body is not None  # short: rendered whole
    page = preload.load_first_page(first)
    assert page is not None
    write_article(tmp_path, "story.md", "What it says now.\n")

    window.workspace.open_paths([path])
    tab = window.current_tab()
    assert tab.preview.page() is not page
    qtbot.waitUntil(tab.preview_is_current, timeout=20000)
    assert run_js(qtbot, tab.preview, "document.querySelector('.article-body')"
                                      ".textContent.trim()") == "What it says now."


def test_start_up_on_one_file_loads_its_page_during_the_imports(
    qtbot, window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = []
    real_load = preload.load_first_page
    monkeypatch.setattr(preload, "load_first_page", lambda first: loaded.append(real_load(first)))
    path = write_article(tmp_path, "story.md", "A short story.\n")
    BackgroundImport(("editor.ui.main_window",), path).wait()
    assert len(loaded) == 1 and loaded[0] is not None
    window.workspace.open_paths([path])
    assert window.current_tab().preview.page() is loaded[0]

    # A file that cannot be read is no reason not to start: its tab says why, as always.
    BackgroundImport(("editor.ui.main_window",), tmp_path / "missing.md").wait()
    assert len(loaded) == 1

    # A thread done before wait() is called: its page still starts loading within wait().
    imports = BackgroundImport(("editor.ui.main_window",), path)
    time.sleep(2)  # no events let through meanwhile: what it delivered waits in the queue
    imports.wait()
    assert len(loaded) == 2 and loaded[1] is not None
    window.workspace.open_paths([write_article(tmp_path, "other.md", "Another story.\n")])


def test_a_hidden_tab_shows_edits_made_to_it_meanwhile(qtbot, window, tmp_path: Path) -> None:
    first, second = (write_article(tmp_path, f"{name}.md", f"The {name} story.\n")
                     for name in ("first", "second"))
    window.workspace.open_paths([first, second])
    hidden, shown = window.editor_tabs()
    qtbot.waitUntil(lambda: hidden.preview_is_current() and shown.preview_is_current(),
                    timeout=15000)
    assert window.current_tab() is shown
    cursor = hidden.document.text_document.find("story")  # e.g. a replace from a dock
    cursor.insertText("report")
    window.tabs.setCurrentWidget(hidden)
    qtbot.waitUntil(hidden.preview_is_current, timeout=5000)
    qtbot.waitUntil(lambda: "The first report." in run_js(
        qtbot, hidden.preview, "document.querySelector('.article-body').textContent"))


def test_ten_tabs_come_back_at_the_next_start_in_one_renderer(
    qtbot, settings, tmp_path: Path
) -> None:
    paths = [write_article(tmp_path, f"story-{n}.md", f"Story {n}, told briefly.\n")
             for n in range(10)]
    first = start_window(qtbot, settings)
    first.workspace.open_paths(paths)
    first.tabs.setCurrentIndex(7)
    first.close()

    second = start_window(qtbot, settings)
    second.workspace.restore_session()
    tabs = second.editor_tabs()
    assert [tab.document.path for tab in tabs] == paths
    assert second.current_tab() is tabs[7]
    qtbot.waitUntil(lambda: all(tab.preview_is_current() for tab in tabs), timeout=30000)
    for number, tab in enumerate(tabs):
        second.tabs.setCurrentWidget(tab)
        assert run_js(qtbot, tab.preview, "document.querySelector('.article-body')"
                                          ".textContent.trim()") == f"Story {number}, told briefly."
    # One page for the ten tabs' previews: the tab in front holds it.
    assert [tab for tab in tabs if tab.preview.has_page()] == [tabs[-1]]


def test_tabs_opened_together_share_one_dictionary(qtbot) -> None:
    word_list_for.cache_clear()
    loaders = [WordListLoader() for _ in range(3)]
    checkers: list[SpellChecker] = []
    for loader in loaders:
        loader.loaded.connect(lambda _lang, checker: checkers.append(checker))
    for loader in loaders:  # as three tabs opened at once do, each in its own thread
        loader.load("en", frozenset(), "Some words.\n")
    qtbot.waitUntil(lambda: len(checkers) == 3, timeout=30000)
    assert all(checker is not None for checker in checkers)
    assert len({id(checker.words) for checker in checkers}) == 1


def test_underlines_arriving_leave_the_preview_where_the_user_scrolled_it(
    qtbot, window, tmp_path: Path
) -> None:
    window.workspace.open_paths([write_article(tmp_path, "long.md", LONG_BODY)])
    tab = window.current_tab()
    view = tab.preview
    qtbot.waitUntil(tab.preview_is_current, timeout=20000)
    qtbot.waitUntil(lambda: tab.spell_checker is not None, timeout=30000)
    highlighter = tab.editor.highlighter
    qtbot.waitUntil(lambda: not highlighter.is_sweeping(), timeout=30000)
    run_js(qtbot, view, "window.scrollTo(0, 5000)")  # the user reads further down
    scrolled = -1.0  # the editor follows (scroll sync), and the page settles on a block

    def settled() -> bool:
        nonlocal scrolled
        before, scrolled = scrolled, run_js(qtbot, view, "window.scrollY")
        qtbot.wait(300)
        return scrolled == before

    qtbot.waitUntil(settled, timeout=10000)
    top_block = run_js(qtbot, view, "__articlePreview.topBlock()")
    assert top_block > 10
    patches = view.patch_count
    highlighter.set_spell_checker(SpellChecker(tab.spell_checker.words, frozenset({"Sentence"})))
    qtbot.waitUntil(lambda: not highlighter.is_sweeping(), timeout=30000)
    qtbot.wait(200)
    assert view.patch_count == patches  # nothing re-rendered: the text did not change
    # And the page did not jump back to the cursor (at the top): at most the editor's scroll
    # sync lines it up with the editor's top line again.
    assert abs(run_js(qtbot, view, "__articlePreview.topBlock()") - top_block) <= 1


@pytest.mark.parametrize(("panel", "submit_name"), [(checks_panel, "submit_checks"),
                                                     (library_panel, "submit_suggestions")])
def test_worker_processes_wait_for_the_first_screen(
    qtbot, window, tmp_path: Path, library_file: Path, monkeypatch, panel, submit_name: str
) -> None:
    monkeypatch.setattr(first_screen, "_waiting", [])  # as in a fresh start of the editor
    preview_ready_at_submit: list[bool] = []
    real_submit = getattr(panel, submit_name)

    def submit(*args, **kwargs):  # type: ignore[no-untyped-def]
        tab = window.current_tab()
        preview_ready_at_submit.append(tab is not None and tab.preview.is_ready())
        return real_submit(*args, **kwargs)

    monkeypatch.setattr(panel, submit_name, submit)
    if panel is library_panel:  # a library with stories to rank (an empty one needs no worker)
        window.library_panel.open_library_file(library_file)
    window.workspace.open_paths([write_article(tmp_path, "long.md", LONG_BODY)])
    qtbot.waitUntil(lambda: bool(preview_ready_at_submit), timeout=15000)
    assert preview_ready_at_submit[0]  # the worker process started after the article showed


def test_without_a_graphics_card_nothing_emulates_one(
    qtbot, window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    if sys.platform.startswith("linux"):
        assert not has_graphics_card(tmp_path)  # a machine with no DRM render node
        (tmp_path / "renderD128").touch()
    assert has_graphics_card(tmp_path)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert not has_graphics_card(tmp_path)

    # This session is headless: its preview is composited in software, so Mesa's emulation of
    # OpenGL on the CPU (llvmpipe, some 57 MB of LLVM) is never loaded into the window's process.
    window.workspace.open_paths([write_article(tmp_path, "story.md", "A short story.\n")])
    tab = window.current_tab()
    qtbot.waitUntil(tab.preview_is_current, timeout=20000)
    mapped = Path("/proc/self/maps").read_text() if Path("/proc/self/maps").exists() else ""
    assert "libLLVM" not in mapped and "swrast_dri" not in mapped


# A large translucent fill, then the names of the process's threads.
FILL_AND_LIST_THREADS = """
import os, sys
if sys.argv[1:] == ["as-the-editor"]:
    from editor.ui.app import prepare_environment
    prepare_environment()
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter
app = QGuiApplication([])
image = QImage(800, 800, QImage.Format.Format_ARGB32_Premultiplied)
painter = QPainter(image)
painter.fillRect(0, 0, 800, 800, QColor(10, 20, 30, 128))
painter.end()
print([open(f"/proc/self/task/{task}/comm").read().strip() for task in os.listdir("/proc/self/task")])
"""


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="threads listed by /proc")
def test_the_window_s_thread_paints_without_waiting_for_a_pool_of_threads() -> None:
    """Qt hands a large fill to a pool of threads and waits: with QtWebEngine's renderer and the
    workers on two cores, those waits were up to half of a 50-ms stall after typing."""
    environment = {name: value for name, value in os.environ.items()
                   if name != "QT_NO_GUI_THREADPOOL"} | {"QT_QPA_PLATFORM": "offscreen"}

    def threads(*arguments: str) -> str:
        return subprocess.run([sys.executable, "-c", FILL_AND_LIST_THREADS, *arguments],
                              env=environment, capture_output=True, text=True, check=True,
                              timeout=60).stdout

    assert "Thread (pooled)" in threads()  # Qt's own way
    assert "Thread (pooled)" not in threads("as-the-editor")


def test_what_waits_for_the_first_screen_runs_one_a_turn(qtbot, monkeypatch) -> None:
    from PySide6.QtCore import QObject

    monkeypatch.setattr(first_screen, "_waiting", [])  # as in a fresh start of the editor
    ran: list[str] = []
    owners = [QObject() for _ in range(4)]
    for name, owner in zip("abcd", owners, strict=True):
        assert first_screen.after_first_screen(owner, lambda name=name: ran.append(name))
    owners[2].deleteLater()  # gone by then: its callback is skipped
    qtbot.wait(10)
    first_screen.first_screen_shown()
    assert ran == ["a"]  # the others in later turns: no one long stall
    qtbot.waitUntil(lambda: ran == ["a", "b", "d"], timeout=2000)
    assert not first_screen.after_first_screen(owners[0], lambda: None)  # shown: go ahead


def test_pyside6s_import_hook_keeps_no_module_source_and_answers_as_before(
    monkeypatch, tmp_path: Path
) -> None:
    """PySide6's hook reads every module imported, to see whether it uses PySide6; read with
    ``inspect.getsource``, each module's text stayed in ``linecache`` (5 MB at start-up)."""
    feature = sys.modules["shibokensupport.feature"]
    lighten_pyside_import_hook()
    (tmp_path / "module_with_qt.py").write_text("from PySide6 import QtCore\n", "utf-8")
    (tmp_path / "module_without.py").write_text("VALUE = 1\n", "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("module_with_qt", "module_without"):
        # As PySide6's import hook does after each import. Whether an import statement
        # reaches that hook depends on which of PySide6's hooks is installed at the time
        # (threads importing at once swap it for another), so the test calls it itself.
        feature.feature_imported(importlib.import_module(name))
        assert str(tmp_path / f"{name}.py") not in linecache.cache
    assert feature.pyside_feature_dict["module_with_qt"] == 0  # a module using PySide6
    assert feature.pyside_feature_dict["module_without"] == -1  # one the hook ignores
