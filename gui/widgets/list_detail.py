"""The parts the list pages are built from: the table's look, and selecting a
row without echo.

:class:`afterword.gui.widgets.list_page.ListDetailPage` puts them together.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableView,
)

from afterword.gui.models.records_model import RecordTableModel, Sizing

logger = logging.getLogger(__name__)

# A cell's margins on both sides and a little air between columns.
CELL_PADDING = 12
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
