"""Small shared look-and-feel helpers: page titles and the navigation's colours.

Colours are derived from the current palette (light or dark, whatever the
system uses) rather than fixed, so the app follows the system's theme.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QLabel, QToolButton, QWidget

TITLE_SCALE = 1.6
HEADLINE_SCALE = 1.4


def scaled_font(widget: QWidget, scale: float, *, bold: bool = True) -> QFont:
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    return font


def page_title(text: str, parent: QWidget) -> QLabel:
    """The big bold title at the top of a page."""
    label = QLabel(text, parent)
    label.setFont(scaled_font(parent, TITLE_SCALE))
    label.setAccessibleName(text)
    return label


def menu_button_text(button: QToolButton, text: str) -> None:
    """Label a menu button "text ▾", without the style's own menu indicator.

    Fusion draws that indicator in the button's bottom corner, where it
    overlaps the frame or looks cut off; an arrow in the text reads better.
    """
    button.setText(f"{text} ▾")
    button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0; }")


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def _rgba(color: QColor, alpha: float) -> str:
    return f"rgba({color.red()}, {color.green()}, {color.blue()}, {alpha})"


def sidebar_color(palette: QPalette) -> QColor:
    """The sidebar's colour: a shade off the window colour."""
    window = palette.color(QPalette.ColorRole.Window)
    return window.lighter(125) if is_dark(palette) else window.darker(104)


def navigation_style(palette: QPalette, *, compact: bool = False) -> str:
    """A sidebar a shade off the window colour, with a soft rounded selection.

    ``compact`` (icons only): the icon, drawn at the top of an item's padding, sits
    lower by the 2 px that centre it.
    """
    padding = "6px 6px 2px" if compact else "4px 6px"
    sidebar = sidebar_color(palette)
    highlight = palette.color(QPalette.ColorRole.Highlight)
    text = palette.color(QPalette.ColorRole.WindowText)
    return (
        f"QListWidget {{ background: {sidebar.name()}; border: none; padding: 10px 8px;"
        " outline: 0; }"
        f" QListWidget::item {{ color: {text.name()}; padding: {padding}; border-radius: 6px; }}"
        f" QListWidget::item:hover {{ background: {_rgba(highlight, 0.10)}; }}"
        f" QListWidget::item:selected {{ background: {_rgba(highlight, 0.24)};"
        f" color: {text.name()}; }}"
    )
