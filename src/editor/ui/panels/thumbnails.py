"""Small pictures of a card's image: the file itself when it is local, a stand-in otherwise.

Nothing is fetched from the network: a web image shows as a stand-in marked "web".
"""

from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QUrl
from PySide6.QtGui import QColor, QImageReader, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

THUMBNAIL_SIZE = 48
_cache: dict[tuple[str, float, int], QPixmap] = {}


def local_image_path(source: str, base_dir: Path | None) -> Path | None:
    """The file a card's image refers to, if it is a local path (relative to the article)."""
    source = source.strip()
    if not source or "://" in source or source.startswith(("data:", "//")):
        return None
    path = Path(QUrl(source).toLocalFile()) if source.startswith("file:") else Path(source)
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    return path


def thumbnail(source: str, base_dir: Path | None, size: int = THUMBNAIL_SIZE) -> QPixmap:
    """A ``size``-pixel square picture for the image ``source``."""
    path = local_image_path(source, base_dir)
    if path is not None and path.is_file():
        try:
            mtime = path.stat().st_mtime
        except OSError:
            mtime = 0.0
        key = (str(path), mtime, size)
        cached = _cache.get(key)
        if cached is not None:
            return cached
        reader = QImageReader(str(path))
        reader.setAutoTransform(True)
        original = reader.size()
        if original.isValid() and not original.isEmpty():
            reader.setScaledSize(original.scaled(QSize(size, size),
                                                 Qt.AspectRatioMode.KeepAspectRatio))
        image = reader.read()
        if not image.isNull():
            pixmap = _framed(QPixmap.fromImage(image), size)
            if len(_cache) > 256:
                _cache.clear()
            _cache[key] = pixmap
            return pixmap
        return stand_in(size, "?")
    if not source.strip():
        return stand_in(size, "")
    if path is not None:  # a local path that is not there
        return stand_in(size, "?")
    return stand_in(size, "web")


def _framed(picture: QPixmap, size: int) -> QPixmap:
    result = QPixmap(size, size)
    result.fill(Qt.GlobalColor.transparent)
    painter = QPainter(result)
    painter.drawPixmap((size - picture.width()) // 2, (size - picture.height()) // 2, picture)
    painter.end()
    return result


@functools.lru_cache(maxsize=16)
def stand_in(size: int, label: str) -> QPixmap:
    """A neutral picture frame with a hill and sun; ``label`` ("web", "?") written under it.

    Made once per size and label: the same picture is the same pixmap (cheap to compare).
    """
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    frame = QRectF(1.5, 1.5, size - 3, size - 3)
    painter.setPen(QPen(QColor("#9aa0a6"), 1.2))
    painter.setBrush(QColor("#eceff1"))
    painter.drawRoundedRect(frame, 4, 4)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#b0bec5"))
    hill = QPainterPath()
    hill.addPolygon(QPolygonF([QPointF(size * 0.15, size * 0.72), QPointF(size * 0.42, size * 0.4),
                               QPointF(size * 0.6, size * 0.6), QPointF(size * 0.72, size * 0.5),
                               QPointF(size * 0.88, size * 0.72)]))
    painter.drawPath(hill)
    painter.drawEllipse(QPointF(size * 0.7, size * 0.3), size * 0.08, size * 0.08)
    if label:
        painter.setPen(QColor("#455a64"))
        font = painter.font()
        font.setPixelSize(max(8, size // 5))
        painter.setFont(font)
        painter.drawText(QRectF(0, size * 0.72, size, size * 0.26),
                         Qt.AlignmentFlag.AlignCenter, label)
    painter.end()
    return pixmap
