"""Render the application icon's PNG sizes from its SVG (run after changing the SVG; commit the PNGs).

Desktops that do not draw SVG icons, the hicolor theme's fixed-size folders and window
managers' small title-bar icons all want PNGs. Qt's SVG renderer (already a dependency) draws
them, so no other tool is needed:

    .venv/bin/python packaging/render_icons.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICON_FOLDER = Path(__file__).resolve().parents[1] / "resources" / "icons" / "app"
SVG = ICON_FOLDER / "article-editor.svg"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def render(svg: Path, size: int, output: Path) -> None:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    if not image.save(str(output), "PNG"):
        raise SystemExit(f"cannot write {output}")


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    for size in SIZES:
        output = ICON_FOLDER / f"article-editor-{size}.png"
        render(SVG, size, output)
        print(output.relative_to(ICON_FOLDER.parents[2]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
