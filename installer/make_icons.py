"""Draw the app icon with QPainter and write resources/icons/{app.png, app.ico, app.icns}.

Run once after changing the drawing: `QT_QPA_PLATFORM=offscreen .venv/bin/python installer/make_icons.py`.
The outputs are committed, so builds need no image tools; ICO and ICNS are written here by hand
(PNG-compressed entries, plus classic bitmaps for the small ICO sizes that old shells prefer).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QGuiApplication, QImage, QLinearGradient, QPainter, QPainterPath, QPen  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS PNG entry types: (type, pixel size)
ICNS_TYPES = (("icp4", 16), ("icp5", 32), ("icp6", 64), ("ic07", 128), ("ic08", 256), ("ic09", 512),
              ("ic10", 1024), ("ic11", 32), ("ic12", 64), ("ic13", 256), ("ic14", 512))


def draw(size: int) -> QImage:
    """A green rounded square with a white speech bubble holding a handset-like 'help' mark."""
    img = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 64.0
    grad = QLinearGradient(0, 0, 0, size)
    grad.setColorAt(0, QColor("#1f9d55"))
    grad.setColorAt(1, QColor("#14673a"))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(grad)
    p.drawRoundedRect(QRectF(2 * s, 2 * s, 60 * s, 60 * s), 13 * s, 13 * s)

    bubble = QPainterPath()
    bubble.addRoundedRect(QRectF(11 * s, 12 * s, 42 * s, 31 * s), 9 * s, 9 * s)
    tail = QPainterPath()
    tail.moveTo(QPointF(20 * s, 40 * s))
    tail.lineTo(QPointF(16 * s, 53 * s))
    tail.lineTo(QPointF(31 * s, 41 * s))
    tail.closeSubpath()
    p.setBrush(QColor("white"))
    p.drawPath(bubble.united(tail))

    # Three dots: "someone is talking to you".
    p.setBrush(QColor("#1f9d55"))
    for cx in (22, 32, 42):
        p.drawEllipse(QPointF(cx * s, 27.5 * s), 3.6 * s, 3.6 * s)
    if size >= 48:  # a thin outline keeps the bubble crisp on light backgrounds
        p.setPen(QPen(QColor(0, 0, 0, 40), max(1.0, s * 0.6)))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(QRectF(2 * s, 2 * s, 60 * s, 60 * s), 13 * s, 13 * s)
    p.end()
    return img


def png_bytes(img: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    return bytes(data.data())


def dib_bytes(img: QImage) -> bytes:
    """A 32-bit BITMAPINFOHEADER icon image (bottom-up BGRA plus an all-zero AND mask)."""
    img = img.convertToFormat(QImage.Format.Format_ARGB32)
    w, h = img.width(), img.height()
    header = struct.pack("<IiiHHIIiiII", 40, w, h * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    rows = []
    for y in range(h - 1, -1, -1):
        line = img.constScanLine(y)
        rows.append(bytes(line)[: w * 4])  # ARGB32 is BGRA in memory on little-endian
    mask_row = ((w + 31) // 32) * 4
    return header + b"".join(rows) + b"\0" * (mask_row * h)


def write_ico(path: Path) -> None:
    entries = []
    for size in ICO_SIZES:
        img = draw(size)
        entries.append((size, png_bytes(img) if size >= 256 else dib_bytes(img)))
    offset = 6 + 16 * len(entries)
    head = struct.pack("<HHH", 0, 1, len(entries))
    directory, blobs = b"", b""
    for size, blob in entries:
        dim = 0 if size >= 256 else size
        directory += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset + len(blobs))
        blobs += blob
    path.write_bytes(head + directory + blobs)


def write_icns(path: Path) -> None:
    body = b""
    for kind, size in ICNS_TYPES:
        blob = png_bytes(draw(size))
        body += kind.encode("ascii") + struct.pack(">I", 8 + len(blob)) + blob
    path.write_bytes(b"icns" + struct.pack(">I", 8 + len(body)) + body)


def main() -> int:
    QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    draw(256).save(str(OUT / "app.png"), "PNG")
    write_ico(OUT / "app.ico")
    write_icns(OUT / "app.icns")
    for name in ("app.png", "app.ico", "app.icns"):
        print(OUT / name, (OUT / name).stat().st_size, "bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
