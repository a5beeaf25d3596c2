"""End-to-end tests start the real command as a subprocess; the crash-recovery test then
starts the window a second time in this process to look at what it offers."""

from __future__ import annotations

import os
import time

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    _flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    if "--no-sandbox" not in _flags:
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = f"{_flags} --no-sandbox".strip()

from PySide6.QtCore import QCoreApplication, QEvent, Qt

if QCoreApplication.instance() is None:
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWebEngineWidgets import QWebEngineView  # noqa: F401 - before the app
from PySide6.QtWidgets import QApplication


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start Chromium once before the tests, unless tests/ui/conftest.py has done it.

    Its first start logs OpenGL and Vulkan probes as Qt warnings, which would fail the
    first test that shows a preview (qt_log_level_fail).
    """
    if QApplication.instance() is not None:
        return
    app = QApplication(["article-editor-tests"])
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
