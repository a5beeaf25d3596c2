"""Copy as HTML must not crash the process when it exits (PySide6 clipboard ownership)."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
from PySide6.QtWidgets import QApplication
from editor.ui.clipboard import copy_html, release_clipboard
app = QApplication([])
app.aboutToQuit.connect(release_clipboard)
copy_html("<p><b>Bold</b> text</p>", "Bold text")
assert QApplication.clipboard().mimeData().html() == "<p><b>Bold</b> text</p>"
assert QApplication.clipboard().text() == "Bold text"
from PySide6.QtCore import QTimer
QTimer.singleShot(0, app.quit)
app.exec()
print("clipboard after quit:", QApplication.clipboard().text())
"""


def run(script: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, env=env)


def test_html_copied_then_quitting_exits_cleanly_and_keeps_the_text() -> None:
    # Without release_clipboard this process ends in a segmentation fault (exit status -11).
    result = run(SCRIPT)
    assert result.returncode == 0, result.stderr
    assert "clipboard after quit: Bold text" in result.stdout
