"""Render Afterword's application icon from its SVG master into every raster format.

Writes, next to the master ``resources/icons/<APP_ID>.svg``:

- ``hicolor/<n>x<n>/apps/<APP_ID>.png`` for the freedesktop icon theme sizes,
- ``<APP_ID>.ico`` for Windows (32-bit bitmaps up to 64 px, PNG at 256 px, the
  layout Windows' own guidelines recommend and every ICO reader accepts),
- ``<APP_ID>.icns`` for macOS (PNG entries, readable since macOS 10.7).

The outputs are committed, so building the app never needs this script; run it
after changing the SVG::

    .venv/bin/python packaging/make_icons.py

Only Qt (already a dependency) is used: QSvgRenderer rasterizes, and the two
container formats are simple enough to write with :mod:`struct`.
"""

from __future__ import annotations

import argparse
import logging
import os
import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from afterword.core.storage.paths import APP_ID

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
ICONS_DIR = ROOT / "resources" / "icons"
MASTER_SVG = ICONS_DIR / f"{APP_ID}.svg"

# The hicolor sizes desktops look up first (Icon Theme Specification).
HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_BITMAP_SIZES = (16, 24, 32, 48, 64)
ICO_PNG_SIZES = (256,)
# ICNS entry types holding PNG data, with their pixel size (Apple Icon Image format).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),  # 16 pt @2x
    (b"icp6", 64),
    (b"ic12", 64),  # 32 pt @2x
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic13", 256),  # 128 pt @2x
    (b"ic09", 512),
    (b"ic14", 512),  # 256 pt @2x
    (b"ic10", 1024),  # 512 pt @2x
)


def render(svg: Path, size: int) -> QImage:
    """Rasterize ``svg`` into a transparent ``size`` x ``size`` image."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not an SVG file Qt can render")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError("Qt could not encode a PNG")
    buffer.close()
    return bytes(data.data())


def _ico_bitmap(image: QImage) -> bytes:
    """A 32-bit BGRA device-independent bitmap as ICO stores it (bottom-up, with AND mask)."""
    size = image.width()
    # Format_ARGB32 is B, G, R, A in memory on little-endian machines: the DIB order.
    argb = image.convertToFormat(QImage.Format.Format_ARGB32).flipped(Qt.Orientation.Vertical)
    if sys.byteorder != "little":
        raise RuntimeError("ICO writing assumes a little-endian machine")
    row_bytes = size * 4
    pixels = b"".join(bytes(argb.constScanLine(row))[:row_bytes] for row in range(size))
    # The AND mask is ignored for 32-bit images (alpha wins) but must be present:
    # 1 bit a pixel, rows padded to 4 bytes; all zero means "opaque where alpha says".
    mask_row = ((size + 31) // 32) * 4
    mask = bytes(mask_row * size)
    header = struct.pack(
        "<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, len(pixels) + len(mask), 0, 0, 0, 0
    )
    return header + pixels + mask


def ico_bytes(svg: Path) -> bytes:
    """An ICO file: bitmaps for the small sizes, PNG for 256 px."""
    entries: list[tuple[int, bytes]] = [(s, _ico_bitmap(render(svg, s))) for s in ICO_BITMAP_SIZES]
    entries += [(s, png_bytes(render(svg, s))) for s in ICO_PNG_SIZES]
    directory = struct.pack("<HHH", 0, 1, len(entries))
    offset = len(directory) + 16 * len(entries)
    body = b""
    for size, data in entries:
        # A width or height of 256 is written as 0 (the field is one byte).
        dim = 0 if size >= 256 else size
        directory += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
        body += data
    return directory + body


def icns_bytes(svg: Path) -> bytes:
    """An ICNS file with PNG entries from 16 to 1024 px."""
    rendered: dict[int, bytes] = {}
    body = b""
    for kind, size in ICNS_TYPES:
        if size not in rendered:
            rendered[size] = png_bytes(render(svg, size))
        data = rendered[size]
        body += kind + struct.pack(">I", 8 + len(data)) + data
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def generate(svg: Path, out_dir: Path) -> list[Path]:
    """Write every raster form of ``svg`` under ``out_dir``; return the files written."""
    written: list[Path] = []
    for size in HICOLOR_SIZES:
        target = out_dir / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(png_bytes(render(svg, size)))
        written.append(target)
    ico = out_dir / f"{APP_ID}.ico"
    ico.write_bytes(ico_bytes(svg))
    icns = out_dir / f"{APP_ID}.icns"
    icns.write_bytes(icns_bytes(svg))
    written += [ico, icns]
    for path in written:
        logger.info("wrote %s", path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--svg", type=Path, default=MASTER_SVG, help="the master SVG")
    parser.add_argument("--out", type=Path, default=ICONS_DIR, help="where to write")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    # QSvgRenderer needs a Gui application object; no window is ever shown.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication.instance() or QGuiApplication([])
    generate(args.svg, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
