"""Starts the editor window."""

from __future__ import annotations

import gc
import importlib
import os
import sys
import threading
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QObject

# Every preview page in one renderer process: Chromium starts one per page otherwise, each
# with its own copy of the renderer's fixed costs (ten 20k-word tabs: 302 MB of QtWebEngine
# processes, 271 MB with one renderer; bench/tabs.py). The previews are our own pages without
# scripts, so the isolation a browser wants between sites buys nothing here.
RENDERER_FLAGS = ("--renderer-process-limit=1",)
# Without a graphics card: Chromium's software compositor, and Qt Quick's software renderer for
# the view that shows its frames (see has_graphics_card).
SOFTWARE_RENDERING_FLAGS = ("--disable-gpu",)
SOFTWARE_RENDERING_ENVIRONMENT = {
    "QT_QUICK_BACKEND": "software",
    # On X11 Qt would still load OpenGL (and so Mesa's emulation) for the window itself.
    "QT_XCB_GL_INTEGRATION": "none",
}
HEADLESS_PLATFORMS = ("offscreen", "minimal")
# Qt's raster engine hands every fill of 96 rows or more to a pool of threads and waits for
# them. With QtWebEngine's renderer and our workers on the cores, the window's thread then
# waited for those threads to be scheduled: 15-25 ms of some 50-ms stalls after typing,
# measured with perf (bench/ui_latency.py typing). Filled on the window's own thread instead.
QT_ENVIRONMENT = {"QT_NO_GUI_THREADPOOL": "1"}


def has_graphics_card(render_nodes: Path = Path("/dev/dri")) -> bool:
    """Whether OpenGL would run on a graphics card.

    On Linux without a DRM render node (a virtual machine, a container, Xvfb) or on a headless
    platform, Mesa emulates OpenGL on the CPU (llvmpipe): the window's process then maps some
    57 MB of LLVM and its software driver (bench/tabs.py), and every frame of the preview is
    composited through that emulation. Elsewhere (Windows, macOS) there is always a GPU path.
    """
    if os.environ.get("QT_QPA_PLATFORM", "").split(":")[0] in HEADLESS_PLATFORMS:
        return False
    if not sys.platform.startswith("linux"):
        return True
    return any(render_nodes.glob("renderD*"))


def prepare_environment() -> None:
    """What QtWebEngine needs before the QApplication exists (it reads its flags once)."""
    from PySide6.QtCore import QCoreApplication, Qt

    for name, value in QT_ENVIRONMENT.items():
        os.environ.setdefault(name, value)  # a user's own choice wins
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "").split()
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--no-sandbox" not in flags:
        # Chromium refuses to start its sandbox as root (containers, CI).
        flags.append("--no-sandbox")
    wanted = list(RENDERER_FLAGS)
    if has_graphics_card():
        # QtWebEngine's frames reach the window as OpenGL textures shared between contexts.
        if QCoreApplication.instance() is None:  # (only settable before the application)
            QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    else:  # and no OpenGL context at all: the shared one made Mesa load its emulation
        wanted.extend(SOFTWARE_RENDERING_FLAGS)
        for name, value in SOFTWARE_RENDERING_ENVIRONMENT.items():
            os.environ.setdefault(name, value)  # a user's own choice wins
    names = {flag.split("=", 1)[0] for flag in flags}
    flags.extend(flag for flag in wanted if flag.split("=", 1)[0] not in names)
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = " ".join(flags)


def lighten_pyside_import_hook() -> None:
    """Let PySide6's import hook read each module's file without keeping its text.

    Once shiboken6 is imported, its hook asks of every module imported whether it uses
    PySide6, by searching the module's source got with ``inspect.getsource``: 27 ms of
    start-up for the window's 252 modules, and every line of them kept in ``linecache`` for
    the life of the process (5 MB that emptying the cache does not give back). The file's
    bytes give the same answer in a tenth of the time. Where PySide6 has no such function
    any more, nothing changes.
    """
    import shiboken6  # noqa: F401 - installs the hook (shibokensupport.feature)

    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "reads_bytes", False):
        return

    def uses_pyside(module: object) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                return b"PySide6" in Path(path).read_bytes()
            except OSError:
                pass
        return bool(original(module))

    uses_pyside.reads_bytes = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[union-attr]


def freeze_startup_objects() -> None:
    """Keep what start-up built (modules, Qt wrappers, the window, the first tabs) out of full
    collections.

    Those objects live as long as the application, yet every full pass of Python's cyclic
    garbage collector walked them all: in a 100,000-word article such a pass paused typing
    for 15-25 ms every few dozen keystrokes; with them frozen it takes about 3 ms (bench/).
    Reference counting still frees anything frozen that is dropped.
    """
    gc.collect()
    gc.freeze()


def window_style() -> str:
    """The window's style sheet, its icon URLs pointing into the installed resources."""
    package = resources.files("editor.resources")
    icons = Path(str(package.joinpath("icons"))).as_posix()
    return package.joinpath("ui/window.qss").read_text("utf-8").replace("@ICONS@", icons)


# The window's modules, imported while QtWebEngine starts (BackgroundImport).
WINDOW_MODULES = ("editor.ui.main_window",)


def start_web_engine() -> QObject:
    """Start QtWebEngine now, in parallel with the window being built: returns a blank page.

    The browser context, the renderer process and its first page are most of a second of
    start-up that otherwise began only when the first tab's preview loaded its article. With one
    renderer for all pages (``RENDERER_FLAGS``), the first preview then loads into the renderer
    this blank page started; kept (by the window), it keeps that renderer running.
    """
    from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile

    page = QWebEnginePage(QWebEngineProfile.defaultProfile())
    page.setHtml("<!doctype html><title></title>")
    return page


class BackgroundImport:
    """Imports ``modules`` in a thread from now on, while the main thread starts QtWebEngine
    and then, in :meth:`wait`, keeps Chromium's tasks moving.

    Chromium's browser side runs its tasks on the main thread: while the main thread imported
    the window's modules (a third of a second), the renderer process waited between its steps.
    The modules create no Qt objects when imported, so a thread may import them.

    Given the ``first_article`` the window opens, the thread first reads it and renders its
    first screen, and the main thread starts loading its page then (:mod:`editor.ui.preload`).
    """

    def __init__(self, modules: tuple[str, ...], first_article: Path | None = None) -> None:
        from PySide6.QtCore import QEventLoop

        from editor.ui.main_thread import prepare_relay

        prepare_relay()
        self._finished = False  # set on the main thread, by what the thread delivers last
        self._failures: list[BaseException] = []
        self._loop = QEventLoop()
        threading.Thread(target=self._import, args=(modules, first_article),
                         name="import-window", daemon=True).start()

    def _import(self, modules: tuple[str, ...], first_article: Path | None) -> None:
        from editor.ui.main_thread import deliver

        try:
            if first_article is not None:
                from editor.ui.preload import load_first_page, read_first_article

                first = read_first_article(first_article)
                if first is not None:
                    deliver(self._loop, lambda: load_first_page(first))
            for module in modules:
                importlib.import_module(module)
        except BaseException as error:  # re-raised in the main thread by wait()
            self._failures.append(error)
        finally:
            deliver(self._loop, self._finish)  # after the first page's, if any

    def _finish(self) -> None:
        self._finished = True
        self._loop.quit()

    def wait(self) -> None:
        """Run the main thread's events until the thread is done.

        An event loop, not a loop of ``processEvents`` in Python: each time Python's main
        thread woke to poll, it waited for the interpreter lock the importing thread held (up
        to 5 ms, the switch interval), so Chromium's tasks (the first page's load among them)
        and the imports each waited for the other.
        """
        from PySide6.QtCore import QEventLoop

        if not self._finished:  # (events let through meanwhile may have delivered it already)
            self._loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        if self._failures:
            raise self._failures[0]


def run(paths: list[str], library: str | None = None) -> int:
    from editor.ui.single_instance import hand_over, serve_window

    if hand_over(paths):  # the editor already runs: it opens the files and comes to the front
        return 0
    lighten_pyside_import_hook()
    prepare_environment()
    from PySide6 import QtWebEngineWidgets  # noqa: F401 - must load before the application
    from PySide6.QtWidgets import QApplication

    from editor import APPLICATION, ORGANIZATION

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(
        [sys.argv[0] if sys.argv else "article-editor"])
    app.setOrganizationName(ORGANIZATION)  # before QtWebEngine: its profile's folders
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    app.setDesktopFileName("article-editor")
    # The window's modules (a third of a second, a third of it the export's) import while
    # Chromium starts its processes; started on one file, that article's page loads meanwhile.
    imports = BackgroundImport(WINDOW_MODULES, Path(paths[0]) if len(paths) == 1 else None)
    web_engine = start_web_engine()
    app.setStyle("Fusion")
    app.setStyleSheet(window_style())
    imports.wait()
    from editor.ui.clipboard import release_clipboard
    from editor.ui.first_screen import after_first_screen
    from editor.ui.main_window import MainWindow

    app.aboutToQuit.connect(release_clipboard)
    window = MainWindow(library=library, docks_later=True)
    web_engine.setParent(window)
    serve_window(window, window.workspace.open_paths)
    window.show()
    window.workspace.offer_recovery()  # after a crash: the unsaved work the last run left
    if not paths:  # started on files: those; started alone: where the last session left off
        window.workspace.restore_session()
    window.workspace.open_paths([path for path in paths])
    # The side docks, then a full collection (20 ms or more): after the first screen, which
    # the user waits for.
    for after_first in (window.build_docks, freeze_startup_objects):
        if not window.editor_tabs() or not after_first_screen(window, after_first):
            after_first()
    from editor.ui.session_end import SessionEnd

    SessionEnd(app, window.end_session)
    if TEST_TYPE_VARIABLE in os.environ:
        _type_for_tests(window, os.environ[TEST_TYPE_VARIABLE])
    if QUIT_WHEN_READY_VARIABLE in os.environ:
        _quit_when_ready(window, float(os.environ[QUIT_WHEN_READY_VARIABLE] or 60))
    return app.exec()


# Test-only hook (tests/e2e/test_crash_recovery.py): type this text into the editor through
# real key events once the window runs, as a user would, so a test can kill the process.
TEST_TYPE_VARIABLE = "ARTICLE_EDITOR_TEST_TYPE"


def _type_for_tests(window, text: str) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest

    def type_text() -> None:
        if window.current_editor() is None:
            window.workspace.new_document()
        editor = window.current_editor()
        QTest.keyClick(editor, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClicks(editor, text)

    QTimer.singleShot(0, type_text)


# Smoke-test hook (tests/e2e/test_bundle.py, a packager's check): once the first tab's preview
# shows its article, print "ready" and quit as a user would (exit status 0); if that has not
# happened after the given number of seconds, quit with status 1. Nothing is left waiting, so
# a headless run (QT_QPA_PLATFORM=offscreen) proves the window, QtWebEngine and our resources
# all work where the program is installed.
QUIT_WHEN_READY_VARIABLE = "ARTICLE_EDITOR_QUIT_WHEN_READY"


def _quit_when_ready(window, seconds: float) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def finish(status: int, message: str) -> None:
        print(message, flush=True)
        window.close()
        QApplication.exit(status)

    def check() -> None:
        tab = window.current_tab()
        if tab is None or tab.preview_is_current():
            finish(0, "ready")

    QTimer.singleShot(int(seconds * 1000), lambda: finish(1, f"not ready after {seconds:g} s"))
    tab = window.current_tab()
    if tab is None:
        QTimer.singleShot(0, check)
    else:
        tab.preview.ready.connect(check)
        tab.preview.patched.connect(check)
