"""Starts the editor window."""

from __future__ import annotations


def run(paths: list[str]) -> int:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    raise SystemExit("the window is built in a later issue")
