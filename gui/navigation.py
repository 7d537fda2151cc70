"""The sidebar on the left of the main window: the pages' navigation and the Import button.

Wide, it shows each page's icon and name (190 px, wider when a big font needs
it); narrow (:meth:`Sidebar.set_compact`), only the icons, and the Import
button only its icon and "▾". The items keep their text either way (a delegate
leaves it out of the painting), so their accessible names, tooltips, and the
keyboard (arrows, typing a page's first letter) work the same in both.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from afterword.gui.icons import icon
from afterword.gui.import_menu import IMPORT_TEXT, import_button
from afterword.gui.theme import menu_button_text, navigation_style, sidebar_color

if TYPE_CHECKING:
    from afterword.gui.main_window import MainWindow

logger = logging.getLogger(__name__)

# The sidebar's width with names, unless a big font needs more.
NAV_WIDTH = 190
# Its width with icons only, unless the Import button needs more.
COMPACT_WIDTH = 64
ICON_SIZE = QSize(20, 20)
ITEM_HEIGHT = 36
# Around an item's text and icon: the list's padding (8 px a side), an item's
# (6 px a side), the gap between icon and text, and a little air.
ITEM_EXTRA = 2 * 8 + 2 * 6 + 8 + 12
# The Import button sits this much narrower than the sidebar.
BUTTON_INSET = 24


class _IconsOnly(QStyledItemDelegate):
    """Paints an item's icon alone, centred, while the sidebar is compact."""

    def __init__(self, sidebar: Sidebar) -> None:
        super().__init__(sidebar.nav)
        self._sidebar = sidebar

    def initStyleOption(  # noqa: N802
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        if self._sidebar.compact:
            option.text = ""  # type: ignore[attr-defined]
            option.features &= ~QStyleOptionViewItem.ViewItemFeature.HasDisplay  # type: ignore[attr-defined]
            # Above its (empty) text, the style centres the icon across the item.
            option.decorationPosition = QStyleOptionViewItem.Position.Top  # type: ignore[attr-defined]


class Sidebar(QWidget):
    """The navigation list over the Import button, on the sidebar's colour."""

    def __init__(self, window: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navigation_panel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.compact = False
        self.nav = QListWidget(self)
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName("Navigation")
        self.nav.setIconSize(ICON_SIZE)
        self.nav.setSpacing(1)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setItemDelegate(_IconsOnly(self))
        self.import_button: QToolButton = import_button(window)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 12)
        layout.setSpacing(0)
        layout.addWidget(self.nav, 1)
        layout.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.restyle()
        self._fit()

    def add_page(self, title: str, icon_name: str, tooltip: str, key: str) -> QListWidgetItem:
        item = QListWidgetItem(icon(icon_name), title, self.nav)
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setToolTip(tooltip)
        self._fit()
        return item

    def set_compact(self, compact: bool) -> None:
        """Icons only (``compact``), or icons and names."""
        if compact != self.compact:
            self.compact = compact
            self.restyle()
            self._fit()

    def _names_width(self) -> int:
        """The width the longest page name needs beside its icon."""
        metrics = self.nav.fontMetrics()
        names = [self.nav.item(row).text() for row in range(self.nav.count())]
        widest = max((metrics.horizontalAdvance(name) for name in names), default=0)
        return widest + ICON_SIZE.width() + ITEM_EXTRA

    def _fit(self) -> None:
        """Size the list, its items and the button for the current mode and font."""
        button = self.import_button
        if self.compact:
            button.setText("▾")
            width = max(COMPACT_WIDTH, button.sizeHint().width() + 16)
            button.setFixedWidth(button.sizeHint().width())
        else:
            menu_button_text(button, IMPORT_TEXT)
            width = max(NAV_WIDTH, self._names_width(), button.sizeHint().width() + BUTTON_INSET)
            button.setFixedWidth(width - BUTTON_INSET)
        self.setFixedWidth(width)
        height = max(ITEM_HEIGHT, self.nav.fontMetrics().height() + 12)
        for row in range(self.nav.count()):
            self.nav.item(row).setSizeHint(QSize(width - BUTTON_INSET, height))
        self.nav.doItemsLayout()
        self.nav.viewport().update()

    def restyle(self) -> None:
        """The colours, from the window's palette (light or dark); not the sidebar's
        own, which its style sheet has already coloured."""
        palette = self.window().palette()
        self.nav.setStyleSheet(navigation_style(palette, compact=self.compact))
        self.setStyleSheet(f"#navigation_panel {{ background: {sidebar_color(palette).name()}; }}")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.FontChange and self.layout() is not None:
            self._fit()
        super().changeEvent(event)
