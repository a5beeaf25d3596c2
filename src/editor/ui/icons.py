"""Icons: the desktop's icon theme where it has the icon, our bundled set everywhere else.

On a Linux desktop the toolbar and menus then look like the applications beside them; where
the theme lacks an icon (or there is no theme: Windows, macOS, a bare X session) the icon
comes from the Lucide set shipped in ``resources/icons/lucide`` (ISC licence, beside it),
drawn in the palette's text colour so it suits a light and a dark desktop alike.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QImage, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

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
_SIZES = (16, 18, 20, 24, 32, 48)


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
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    icon = QIcon()
    for size in _SIZES:
        image = QImage(QSize(size, size), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        icon.addPixmap(QPixmap.fromImage(image))
    return icon


def application_icon() -> QIcon:
    """The editor's own icon, for its windows, from the PNGs rendered of its SVG."""
    folder = resources.files("editor.resources").joinpath("icons/app")
    icon = QIcon()
    for size in (16, 22, 24, 32, 48, 64, 128, 256, 512):
        icon.addFile(str(folder.joinpath(f"{APP_ICON}-{size}.png")), QSize(size, size))
    return icon
