"""Draws the app icon with Qt (no image editor, no hand-made binaries): resources/icons/kwc-desktop.png
(512 px) and .ico (Windows). PyInstaller turns the PNG into .icns on macOS (with Pillow).
Usage: QT_QPA_PLATFORM=offscreen python scripts/make_icons.py
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    unit = size / 16
    path = QPainterPath()
    path.addRoundedRect(QRectF(unit, unit, 14 * unit, 14 * unit), 3 * unit, 3 * unit)
    painter.fillPath(path, QColor("#1f5fa8"))
    # A checklist: two ticked lines and an arrow towards the new contract party.
    pen = QPen(QColor("white"), 1.1 * unit, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    for row in (4.5, 8.0):
        painter.drawPolyline([QPointF(3.5 * unit, row * unit), QPointF(4.6 * unit, (row + 1.1) * unit),
                              QPointF(6.6 * unit, (row - 1.0) * unit)])
        painter.drawLine(QPointF(8.2 * unit, row * unit), QPointF(12.5 * unit, row * unit))
    painter.drawLine(QPointF(3.8 * unit, 12.0 * unit), QPointF(11.6 * unit, 12.0 * unit))
    painter.drawPolyline([QPointF(10.0 * unit, 10.6 * unit), QPointF(12.2 * unit, 12.0 * unit),
                          QPointF(10.0 * unit, 13.4 * unit)])
    painter.end()
    return image


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication([])
    OUT.mkdir(parents=True, exist_ok=True)
    draw(512).save(str(OUT / "kwc-desktop.png"))
    draw(256).save(str(OUT / "kwc-desktop.ico"))
    print(f"wrote {OUT / 'kwc-desktop.png'} and .ico")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
