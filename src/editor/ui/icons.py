"""Icons: the desktop's icon theme where it has the icon, our bundled set everywhere else.

On a Linux desktop the toolbar and menus then look like the applications beside them; where
the theme lacks an icon (or there is no theme: Windows, macOS, a bare X session) the icon
comes from the Lucide set shipped in ``resources/icons/lucide`` (ISC licence, beside it),
drawn in the palette's text colour so it suits a light and a dark desktop alike.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtCore import QByteArray, QRect, QSize, Qt
from PySide6.QtGui import (
    QGuiApplication,
    QIcon,
    QIconEngine,
    QImage,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QStyleOption

APP_ICON = "article-editor"
# freedesktop icon name → the bundled Lucide icon drawn when the theme has none
BUNDLED = {
    "document-new": "file-plus",
    "document-open": "folder-open",
    "document-save": "save",
    "document-save-as": "save-all",
    "document-export": "file-output",
    "text-html": "code",
    "window-close": "x",
    "application-exit": "log-out",
    "edit-undo": "undo-2",
    "edit-redo": "redo-2",
    "edit-cut": "scissors",
    "edit-copy": "copy",
    "edit-paste": "clipboard-paste",
    "edit-select-all": "text-select",
    "edit-find": "search",
    "edit-find-replace": "replace",
    "format-text-bold": "bold",
    "format-text-italic": "italic",
    "insert-link": "link",
    "format-text-heading": "heading",
    "insert-placeholder": "brackets",
    "document-properties": "panel-top",
    "view-preview": "eye",
    "zoom-in": "zoom-in",
    "zoom-out": "zoom-out",
    "zoom-original": "scan-search",
    "preferences-desktop-font": "a-large-small",
    "help-keyboard-shortcuts": "keyboard",
    "help-contents": "book-open",
    "help-about": "info",
}


def themed_icon(name: str) -> QIcon:
    """The icon called ``name`` in the desktop's theme, else the bundled one (else none)."""
    if not name:
        return QIcon()
    if QIcon.hasThemeIcon(name):
        return QIcon.fromTheme(name)
    bundled = BUNDLED.get(name)
    return bundled_icon(bundled) if bundled else QIcon()


def bundled_icon(name: str) -> QIcon:
    """A Lucide icon from ``resources/icons/lucide``, in the application palette's text colour."""
    palette = QGuiApplication.palette()
    return QIcon(_bundled_icon(name, palette.color(QPalette.ColorRole.ButtonText).name()))


@cache
def _bundled_icon(name: str, colour: str) -> QIcon:
    source = resources.files("editor.resources").joinpath(f"icons/lucide/{name}.svg")
    svg = source.read_text("utf-8").replace("currentColor", colour)
    return QIcon(SvgIconEngine(svg.encode("utf-8")))  # the icon owns its engine


class SvgIconEngine(QIconEngine):
    """Draws an SVG at each size (and device pixel ratio) it is asked for, when first asked.

    Rendered ahead at six sizes, the window's 45 icons took 15-25 ms of the start-up; most of
    those sizes were never shown. A state other than normal (disabled…) is the style's version
    of the normal pixmap, as Qt makes it for pixmap icons.
    """

    def __init__(self, svg: bytes) -> None:
        super().__init__()
        self._svg = svg
        self._renderer: QSvgRenderer | None = None
        self._pixmaps: dict[tuple[int, int, float, QIcon.Mode], QPixmap] = {}

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State,
                     scale: float) -> QPixmap:
        key = (size.width(), size.height(), scale, mode)
        pixmap = self._pixmaps.get(key)
        if pixmap is None:
            pixmap = self._render(size, scale) if mode == QIcon.Mode.Normal else (
                QApplication.style().generatedIconPixmap(
                    mode, self.scaledPixmap(size, QIcon.Mode.Normal, state, scale),
                    QStyleOption()))
            self._pixmaps[key] = pixmap
        return pixmap

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode,
              state: QIcon.State) -> None:
        scale = painter.device().devicePixelRatioF() if painter.device() else 1.0
        painter.drawPixmap(rect, self.scaledPixmap(rect.size(), mode, state, scale))

    def clone(self) -> QIconEngine:
        return SvgIconEngine(self._svg)

    def _render(self, size: QSize, scale: float) -> QPixmap:
        if self._renderer is None:
            self._renderer = QSvgRenderer(QByteArray(self._svg))
        image = QImage(size * scale, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._renderer.render(painter)
        painter.end()
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(scale)
        return pixmap


def application_icon() -> QIcon:
    """The editor's own icon, for its windows, from the PNGs rendered of its SVG."""
    folder = resources.files("editor.resources").joinpath("icons/app")
    icon = QIcon()
    for size in (16, 22, 24, 32, 48, 64, 128, 256, 512):
        icon.addFile(str(folder.joinpath(f"{APP_ICON}-{size}.png")), QSize(size, size))
    return icon
