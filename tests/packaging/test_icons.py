"""The app icon in every format a desktop asks for, and the small UI icons."""

from __future__ import annotations

import re
from pathlib import Path

import make_icons
import pytest
from PySide6.QtGui import QColor, QImage, QImageReader, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from afterword.core.storage.paths import APP_ID, resource

UI_ICONS = (
    "today",
    "applications",
    "contacts",
    "outbox",
    "settings",
    "add",
    "edit",
    "delete",
    "search",
    "done",
    "dismiss",
    "snooze",
    "send",
    "mail",
    "print",
)
LIGHT_BACKGROUND = QColor("#ffffff")
DARK_BACKGROUND = QColor("#1e1e1e")
# WCAG 2.1 minimum contrast for graphical objects a user needs to see.
MIN_CONTRAST = 3.0


def _luminance(color: QColor) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(color.redF())
        + 0.7152 * linear(color.greenF())
        + 0.0722 * linear(color.blueF())
    )


def _contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _same_pixels(a: QImage, b: QImage, tolerance: int = 2) -> bool:
    """Equal sizes and every channel of every pixel within ``tolerance``."""
    if a.size() != b.size():
        return False
    # Keep the converted images alive while their pixels are read.
    a = a.convertToFormat(QImage.Format.Format_ARGB32)
    b = b.convertToFormat(QImage.Format.Format_ARGB32)
    first, second = bytes(a.constBits()), bytes(b.constBits())
    return (
        first == second or max(abs(x - y) for x, y in zip(first, second, strict=True)) <= tolerance
    )


def _frames(path: Path) -> list[QImage]:
    reader = QImageReader(str(path))
    frames = []
    for index in range(reader.imageCount()):
        reader.jumpToImage(index)
        frames.append(reader.read())
    return frames


@pytest.mark.parametrize("name", UI_ICONS)
def test_ui_icon_is_a_24px_line_icon_visible_on_light_and_dark(
    qapp: QApplication, name: str
) -> None:
    path = resource("icons", "ui", f"{name}.svg")
    text = path.read_text(encoding="utf-8")
    renderer = QSvgRenderer(str(path))
    assert renderer.isValid()
    assert renderer.viewBox().getRect() == (0, 0, 24, 24)
    # A fixed colour, so the icon looks the same whatever palette Qt applies.
    assert "currentColor" not in text
    colours = set(re.findall(r'(?:stroke|fill)="(#[0-9a-fA-F]{6})"', text))
    assert colours, "the icon draws nothing visible"
    for colour in map(QColor, colours):
        assert _contrast(colour, LIGHT_BACKGROUND) >= MIN_CONTRAST, colour.name()
        assert _contrast(colour, DARK_BACKGROUND) >= MIN_CONTRAST, colour.name()
    image = QImage(24, 24, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    painted = sum(1 for y in range(24) for x in range(24) if image.pixelColor(x, y).alpha())
    assert painted > 20, "the icon is (nearly) empty at 24 px"


def test_committed_icon_rasters_match_the_svg(qapp: QApplication, tmp_path: Path) -> None:
    # A changed SVG without re-running packaging/make_icons.py fails here.
    written = make_icons.generate(make_icons.MASTER_SVG, tmp_path)
    committed = make_icons.ICONS_DIR
    for fresh in written:
        relative = fresh.relative_to(tmp_path)
        shipped = committed / relative
        assert shipped.is_file(), f"{relative} is missing: run packaging/make_icons.py"
        if fresh.suffix == ".png":
            assert _same_pixels(QImage(str(fresh)), QImage(str(shipped))), relative


def test_png_icons_exist_at_every_hicolor_size(qapp: QApplication) -> None:
    for size in make_icons.HICOLOR_SIZES:
        image = QImage(str(resource("icons", "hicolor", f"{size}x{size}", "apps", f"{APP_ID}.png")))
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel()
        # Transparent corners: the rounded tile, not a square on a white ground.
        assert image.pixelColor(0, 0).alpha() == 0


def test_ico_holds_every_windows_size_and_matches_the_pngs(qapp: QApplication) -> None:
    frames = _frames(resource("icons", f"{APP_ID}.ico"))
    sizes = [frame.width() for frame in frames]
    assert sizes == [*make_icons.ICO_BITMAP_SIZES, *make_icons.ICO_PNG_SIZES]
    for frame in frames:
        png = QImage(
            str(
                resource(
                    "icons", "hicolor", f"{frame.width()}x{frame.width()}", "apps", f"{APP_ID}.png"
                )
            )
        )
        # Bitmaps are stored bottom-up: an upside-down icon fails here.
        assert _same_pixels(frame, png), frame.width()


def test_icns_holds_every_macos_size(qapp: QApplication) -> None:
    frames = _frames(resource("icons", f"{APP_ID}.icns"))
    assert sorted({frame.width() for frame in frames}) == [16, 32, 64, 128, 256, 512, 1024]
    assert all(frame.width() == frame.height() for frame in frames)
    largest = max(frames, key=QImage.width)
    assert largest.pixelColor(512, 512).alpha() == 255
