"""What the Qt test suites (tests/ui, tests/e2e) do before any test: one place for both.

Import this module before PySide6 is imported anywhere in the test process.
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from editor.ui.app import prepare_environment

prepare_environment()  # QtWebEngine's sandbox cannot run as root (CI)

from PySide6.QtCore import QCoreApplication, QEvent  # noqa: E402
from PySide6.QtWebEngineCore import QWebEnginePage  # noqa: E402
from PySide6.QtWebEngineWidgets import QWebEngineView  # noqa: E402, F401 - before the app
from PySide6.QtWidgets import QApplication  # noqa: E402


def warm_up_web_engine() -> None:
    """Start Chromium once, outside any test.

    Its first start probes OpenGL and Vulkan, which the offscreen platform lacks, and logs
    that as Qt warnings. Starting it here keeps those one-time environment messages out of the
    tests, whose own Qt warnings still fail them (qt_log_level_fail).
    """
    app = QApplication.instance() or QApplication(["article-editor-tests"])
    page = QWebEnginePage()
    done: list[bool] = []
    page.loadFinished.connect(done.append)
    page.setHtml("<p>warm-up</p>")
    deadline = time.monotonic() + 20
    while not done and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)
    page.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
