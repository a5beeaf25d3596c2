"""End-to-end tests start the real command as a subprocess; the crash-recovery test then
starts the window a second time in this process to look at what it offers."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from qt_setup import warm_up_web_engine  # sets Qt up before any QApplication exists


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start Chromium once before the tests, unless tests/ui/conftest.py has done it.

    Its first start logs OpenGL and Vulkan probes as Qt warnings, which would fail the
    first test that shows a preview (qt_log_level_fail).
    """
    if QApplication.instance() is None:
        warm_up_web_engine()
