"""Checks on what a writer types into the panels' forms, worded for the writer."""

from __future__ import annotations

import re

from PySide6.QtCore import QUrl

from editor.ui.drops import IMAGE_SUFFIXES

_LOOKS_LIKE_HOST = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:[/?#:]|$)", re.I)


def url_problem(text: str) -> str | None:
    """What is wrong with ``text`` as a link target (an http(s) URL or a relative path).

    None when it will do, or when it is empty (whether a URL is required is the form's call).
    """
    text = text.strip()
    if not text:
        return None
    url = QUrl(text, QUrl.ParsingMode.StrictMode)
    if not url.isValid():
        return f"Not a valid address: {url.errorString() or 'check the characters'}"
    scheme = url.scheme().lower()
    if scheme in ("http", "https"):
        if not url.host():
            return "A web address needs a host, as in https://example.com/story"
        return None
    if scheme:
        return f"Use a web address (https://…) or a path, not a “{scheme}:” address"
    if _LOOKS_LIKE_HOST.match(text):
        return f"Add https:// in front: https://{text}"
    return None


def is_web_url(text: str) -> bool:
    url = QUrl(text.strip(), QUrl.ParsingMode.StrictMode)
    return url.isValid() and url.scheme().lower() in ("http", "https") and bool(url.host())


def looks_like_image(path: str) -> bool:
    return path.lower().split("?", 1)[0].endswith(IMAGE_SUFFIXES)
