"""A layout that places its widgets in a row and wraps them onto more rows when the
row is too narrow, so a row of buttons is never squeezed until their labels are cut off.

Used for the button rows of narrow detail panes (an application's interview
buttons): at the window's minimum size they take two or three rows, at a
comfortable width one. The layout reports its height for a given width
(``heightForWidth``), and its minimum height is what its rows need at the width
it was last given: a splitter, which knows nothing of heights for widths, then
makes room for the rows instead of laying the next widget over them.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QStyle, QWidget

logger = logging.getLogger(__name__)

# Between items when the style does not say (Fusion's own spacing).
DEFAULT_SPACING = 6


class FlowLayout(QLayout):
    """Items left to right at their size hints, wrapping to a new row when one is full."""

    def __init__(self, parent: QWidget | None = None, *, spacing: int = -1) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._width = 0  # the width last laid out in (0: not yet)
        self._height = 0  # the height the rows took there
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    # -- QLayout's item list ------------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    # -- sizes ----------------------------------------------------------------------------------

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def sizeHint(self) -> QSize:  # noqa: N802
        """Everything on one row."""
        shown = self._shown()
        width = sum(item.sizeHint().width() for item in shown)
        width += self.horizontal_spacing() * max(len(shown) - 1, 0)
        height = max((item.sizeHint().height() for item in shown), default=0)
        return self._with_margins(QSize(width, height))

    def minimumSize(self) -> QSize:  # noqa: N802
        """As narrow as the widest item, whole; as tall as the rows at the last width."""
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.sizeHint())
        size = self._with_margins(size)
        if self._width:
            size.setHeight(max(size.height(), self.heightForWidth(self._width)))
        return size

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        height = self._arrange(rect, move=True)
        self._width = rect.width()
        if height != self._height:
            # Rows came or went: the minimum height changed, the widgets around make room.
            self._height = height
            self.invalidate()

    # -- arranging --------------------------------------------------------------------------------

    def horizontal_spacing(self) -> int:
        if self._spacing >= 0:
            return self._spacing
        return self._style_spacing(Qt.Orientation.Horizontal)

    def vertical_spacing(self) -> int:
        if self._spacing >= 0:
            return self._spacing
        return self._style_spacing(Qt.Orientation.Vertical)

    def _style_spacing(self, orientation: Qt.Orientation) -> int:
        # As a box layout does: the style's layout spacing.
        widget = self.parentWidget()
        if widget is None:
            return DEFAULT_SPACING
        metric = (
            QStyle.PixelMetric.PM_LayoutHorizontalSpacing
            if orientation == Qt.Orientation.Horizontal
            else QStyle.PixelMetric.PM_LayoutVerticalSpacing
        )
        spacing = widget.style().pixelMetric(metric, None, widget)
        return spacing if spacing >= 0 else DEFAULT_SPACING

    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _with_margins(self, size: QSize) -> QSize:
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        """Place the items in ``rect`` (when ``move``); the height they need either way."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, row_height = area.x(), area.y(), 0
        across, down = self.horizontal_spacing(), self.vertical_spacing()
        for item in self._shown():
            hint = item.sizeHint()
            if x > area.x() and x + hint.width() > area.right() + 1:
                x, y, row_height = area.x(), y + row_height + down, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + across
            row_height = max(row_height, hint.height())
        return y + row_height - rect.y() + margins.bottom()


def flow_row(*widgets: QWidget, spacing: int = -1) -> FlowLayout:
    """A :class:`FlowLayout` holding ``widgets`` in order."""
    layout = FlowLayout(spacing=spacing)
    for widget in widgets:
        layout.addWidget(widget)
    return layout
