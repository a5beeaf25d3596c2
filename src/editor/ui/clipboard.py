"""The clipboard, with the care PySide6 needs around data that outlives the interpreter."""

from __future__ import annotations

from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QApplication


def copy_html(html: str, text: str) -> None:
    """Put ``html`` on the clipboard as rich text, with ``text`` for plain-text targets."""
    mime = QMimeData()
    mime.setHtml(html)
    mime.setText(text)
    QApplication.clipboard().setMimeData(mime)


def release_clipboard() -> None:
    """Before Qt exits, swap what is on the clipboard for plain text Qt makes itself.

    Clipboard data that has a Python wrapper (made in Python, or only read from Python) is
    deleted by the platform clipboard after the interpreter has finished, and the wrapper's
    clean-up then crashes the process (PySide6 6.11). Text set with ``setText`` has no wrapper.
    A rich-text flavour we put there is lost only after quitting. What another program put on
    the clipboard is left alone (the offscreen platform used by tests cannot tell owners).
    """
    clipboard = QApplication.clipboard()
    if not clipboard.ownsClipboard() and QApplication.platformName() != "offscreen":
        return
    text = clipboard.text()
    if text:
        clipboard.setText(text)
    else:
        clipboard.clear()
