"""Buttons in two columns of equal width, or in one when the columns would not fit.

The settings' "Your data" buttons stand in a grid; with a big font, two columns
of their labels are wider than a narrow window, and the page would scroll
sideways. This grid is as narrow as its widest button, and lays the buttons
out in one column below the width two columns need.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

logger = logging.getLogger(__name__)


class ButtonGrid(QWidget):
    """``buttons`` row by row in ``columns`` columns, or in one when narrow."""

    def __init__(self, buttons: list[QPushButton], columns: int = 2) -> None:
        super().__init__()
        self._buttons = buttons
        self._columns = columns
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.shown_columns = 0
        self._place(columns)

    def _place(self, columns: int) -> None:
        if columns == self.shown_columns:
            return
        self.shown_columns = columns
        for button in self._buttons:
            self.grid.removeWidget(button)
        for index, button in enumerate(self._buttons):
            self.grid.addWidget(button, index // columns, index % columns)
        for column in range(self._columns):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

    def _widest(self) -> int:
        return max((button.sizeHint().width() for button in self._buttons), default=0)

    def _width_for(self, columns: int) -> int:
        spacing = max(self.grid.horizontalSpacing(), 0)
        return self._widest() * columns + spacing * (columns - 1)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        # As narrow as one column: narrower than two, the buttons take one.
        return QSize(self._width_for(1), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        wide = event.size().width() >= self._width_for(self._columns)
        self._place(self._columns if wide else 1)
