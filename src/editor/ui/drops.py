"""What a drag carries: local files, and which of them are images."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QDragMoveEvent

# Images the window takes by their name (drops, the card form, thumbnails); the export tells them
# by their content.
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif", ".bmp")


def local_files(mime: QMimeData | None) -> list[Path]:
    """The local files a drag carries, in order; [] for text or remote URLs."""
    if mime is None or not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


def is_image(path: Path) -> bool:
    return path.suffix.lower() in IMAGE_SUFFIXES


def accept_file_drag(event: QDragMoveEvent) -> bool:
    """Accept a drag entering or moving over a widget when it carries local files."""
    if local_files(event.mimeData()):
        event.acceptProposedAction()
        return True
    return False
