"""Starts the editor window."""

from __future__ import annotations

import gc
import os
import sys
from importlib import resources
from pathlib import Path


def prepare_environment() -> None:
    """What QtWebEngine needs before the QApplication exists."""
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--no-sandbox" not in flags:
        # Chromium refuses to start its sandbox as root (containers, CI).
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = f"{flags} --no-sandbox".strip()


def freeze_startup_objects() -> None:
    """Keep what start-up built (modules, Qt wrappers, the window) out of full collections.

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


def run(paths: list[str]) -> int:
    prepare_environment()
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QApplication

    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    from PySide6 import QtWebEngineWidgets  # noqa: F401 - must load before the application

    from editor.ui.settings import APPLICATION, ORGANIZATION

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(
        [sys.argv[0] if sys.argv else "article-editor"])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    app.setDesktopFileName("article-editor")
    app.setStyle("Fusion")
    app.setStyleSheet(window_style())

    from editor.ui.clipboard import release_clipboard
    from editor.ui.main_window import MainWindow

    app.aboutToQuit.connect(release_clipboard)
    window = MainWindow()
    freeze_startup_objects()
    window.show()
    window.workspace.offer_recovery()  # after a crash: the unsaved work the last run left
    window.workspace.open_paths([path for path in paths])
    if TEST_TYPE_VARIABLE in os.environ:
        _type_for_tests(window, os.environ[TEST_TYPE_VARIABLE])
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
