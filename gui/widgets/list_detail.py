"""The parts the list pages are built from: the undo bar, the table's look, and
selecting a row without echo.

:class:`afterword.gui.widgets.list_page.ListDetailPage` puts them together.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QToolButton,
    QWidget,
)

from afterword.gui.icons import icon
from afterword.gui.models.records_model import RecordTableModel, Sizing

logger = logging.getLogger(__name__)

# A cell's margins on both sides and a little air between columns.
CELL_PADDING = 12
_RESIZE_MODES = {
    Sizing.FIXED: QHeaderView.ResizeMode.Fixed,
    Sizing.STRETCH: QHeaderView.ResizeMode.Stretch,
}


class UndoBar(QFrame):
    """The line under a list after a delete: what went, an Undo button, a close button."""

    undo_requested = Signal()

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(f"Last deleted {what}")
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.button = QPushButton("Undo")
        self.button.setAccessibleName("Undo the delete")
        self.button.setToolTip(f"Bring the {what} back (Ctrl+Z)")
        self.button.clicked.connect(self.undo_requested)
        close = QToolButton()
        close.setIcon(icon("dismiss"))
        close.setAutoRaise(True)
        close.setAccessibleName("Hide this message")
        close.setToolTip("Hide this message")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        layout.addWidget(close)
        self.hide()

    def deleted(self, label: str) -> None:
        self.label.setText(f"Deleted “{label}”. You can undo this until you close Afterword.")
        self.button.setEnabled(True)
        self.show()

    def restored(self, label: str) -> None:
        self.label.setText(f"“{label}” is back.")
        self.button.setEnabled(False)
        self.show()


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
