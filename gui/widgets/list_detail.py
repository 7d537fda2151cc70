"""The parts the list pages are built from: the bar above the table, the table's
look, and selecting a row without echo.

:class:`afterword.gui.widgets.list_page.ListDetailPage` puts them together.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QWidget,
)

from afterword.gui.models.records_model import RecordTableModel, Sizing
from afterword.gui.widgets.flow_layout import flow_row

logger = logging.getLogger(__name__)

# A cell's margins on both sides and a little air between columns.
CELL_PADDING = 12
# The search box is never narrower than this many average characters (and its icons).
SEARCH_CHARS = 14
SEARCH_ICONS = 48
_RESIZE_MODES = {
    Sizing.FIXED: QHeaderView.ResizeMode.Fixed,
    Sizing.STRETCH: QHeaderView.ResizeMode.Stretch,
}


def setup_table(table: QTableView, model: RecordTableModel[Any], name: str) -> None:
    """Give ``table`` the list look: whole-row single selection, plain rows, and
    columns sized as their :class:`afterword.gui.models.records_model.TableColumn` says."""
    table.setModel(model)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setShowGrid(False)
    table.verticalHeader().hide()
    # Fixed row heights: the view never measures every row.
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 12)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setAccessibleName("Columns")
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    metrics = table.fontMetrics()
    for column in model.columns:
        if column.sizing is not Sizing.INTERACTIVE:
            header.setSectionResizeMode(column, _RESIZE_MODES[column.sizing])
        if column.sample:
            header.resizeSection(column, metrics.horizontalAdvance(column.sample) + CELL_PADDING)


def select_index(table: QTableView, index: QModelIndex) -> None:
    """Make ``index``'s row current and selected, and show it, without a selection signal.

    The page already knows the row it asked for, so its own "current row" handler
    must not run again (it would restart the detail's delay).
    """
    selection = table.selectionModel()
    selection.blockSignals(True)
    selection.setCurrentIndex(
        index,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    selection.blockSignals(False)
    table.viewport().update()
    table.scrollTo(index)


class ListBar(QWidget):
    """The search box beside the buttons ("New…", "Delete…"), or above them when the
    list is too narrow for the box at its minimum width and the buttons whole (and
    the buttons on two rows when even they do not fit on one)."""

    def __init__(self, search: QLineEdit, *buttons: QWidget) -> None:
        super().__init__()
        self.search = search
        # The buttons wrap too, when even one row of them is wider than the list.
        self.buttons = flow_row(*buttons)
        self._button_widgets = buttons
        self.rows = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.addWidget(search, 1)
        self.rows.addLayout(self.buttons)
        self._fit_search()

    @property
    def wrapped(self) -> bool:
        """True when the search box is on a row of its own."""
        return self.rows.direction() == QBoxLayout.Direction.TopToBottom

    def _fit_search(self) -> None:
        metrics = self.search.fontMetrics()
        self.search.setMinimumWidth(metrics.averageCharWidth() * SEARCH_CHARS + SEARCH_ICONS)

    def _one_row_width(self) -> int:
        spacing = max(self.rows.spacing(), 0)
        return self.search.minimumWidth() + spacing + self.buttons.sizeHint().width()

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        # As narrow as the wrapped bar: the list may be made that narrow, and wraps it.
        widest = max((button.sizeHint().width() for button in self._button_widgets), default=0)
        width = max(self.search.minimumWidth(), widest)
        return QSize(width, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._place(event.size().width())

    def _place(self, width: int) -> None:
        wrap = width < self._one_row_width()
        if wrap != self.wrapped:
            self.rows.setDirection(
                QBoxLayout.Direction.TopToBottom if wrap else QBoxLayout.Direction.LeftToRight
            )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.FontChange:
            self._fit_search()
            self._place(self.width())
        super().changeEvent(event)
