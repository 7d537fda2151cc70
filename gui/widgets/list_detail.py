"""The list-and-detail screen shape the Applications and Contacts pages share.

Both pages show a searchable table on the left (a bar with the search box, "New…"
and "Delete…", the undo bar, and the table or an empty-state note in a stack) and
the selected row's detail on the right, under a title row with a count. These
helpers build those parts the same way for both, from the widgets and callbacks
each page owns; what differs between the pages (texts, columns, sizes, what a
delete means) stays in the page and is passed in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping

from PySide6.QtCore import QAbstractItemModel, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from afterword.gui.forms import UndoBar
from afterword.gui.theme import page_title

logger = logging.getLogger(__name__)

# A cell's margins on both sides and a little air between columns.
CELL_PADDING = 12
# The gap between the table and the detail pane (the splitter's handle).
SPLIT_GAP = 12


def fit_columns(table: QTableView, fits: Mapping[int, str]) -> None:
    """Make each column in ``fits`` start wide enough for its sample text."""
    metrics = table.fontMetrics()
    header = table.horizontalHeader()
    for column, sample in fits.items():
        header.resizeSection(column, metrics.horizontalAdvance(sample) + CELL_PADDING)


def setup_table(
    table: QTableView,
    model: QAbstractItemModel,
    *,
    name: str,
    header_name: str,
    fixed_columns: Iterable[int],
    stretch_column: int,
    fits: Mapping[int, str],
) -> None:
    """Give ``table`` the list look: whole-row single selection, plain rows, sized columns.

    ``fixed_columns`` never need more than their fit; ``stretch_column`` takes what is left.
    """
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
    header.setAccessibleName(header_name)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for column in fixed_columns:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
    header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    fit_columns(table, fits)


def empty_stack(table: QTableView, empty_text: str) -> tuple[QStackedWidget, QLabel]:
    """The table (page 0) or, when there is nothing at all, a centred note (page 1)."""
    empty = QLabel(empty_text)
    empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
    empty.setWordWrap(True)
    stack = QStackedWidget()
    stack.addWidget(table)
    stack.addWidget(empty)
    return stack, empty


def list_side(
    *,
    search: QLineEdit,
    new_button: QPushButton,
    delete_button: QPushButton,
    undo_bar: UndoBar,
    table_stack: QStackedWidget,
    table: QTableView,
    delete_text: str,
    on_delete: Callable[[], None],
    on_undo: Callable[[], None],
) -> tuple[QWidget, QAction]:
    """The left side: the search bar row, the undo bar and the table stack.

    Also adds the Delete key on the table (the action named ``delete_text``) and
    Ctrl+Z anywhere in the list side ("Undo delete"; the detail's checklist has its
    own Ctrl+Z). Returns the side and its undo action.
    """
    bar = QHBoxLayout()
    bar.addWidget(search, 1)
    bar.addWidget(new_button)
    bar.addWidget(delete_button)
    left = QWidget()
    left_layout = QVBoxLayout(left)
    left_layout.setContentsMargins(0, 0, 0, 0)
    left_layout.addLayout(bar)
    left_layout.addWidget(undo_bar)
    left_layout.addWidget(table_stack, 1)

    undo_action = QAction("Undo delete", left)
    undo_action.setShortcut(QKeySequence.StandardKey.Undo)
    undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    undo_action.triggered.connect(on_undo)
    left.addAction(undo_action)
    delete_action = QAction(delete_text, table)
    delete_action.setShortcut(QKeySequence.StandardKey.Delete)
    delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    delete_action.triggered.connect(on_delete)
    table.addAction(delete_action)
    return left, undo_action


def lay_out_page(
    page: QWidget,
    *,
    title: str,
    count: QLabel,
    left: QWidget,
    detail: QWidget,
    sizes: tuple[int, int],
) -> QSplitter:
    """Put the title row (title, count) over the list side and the detail; return the splitter.

    The list gets three fifths of any width added later and neither side collapses;
    ``sizes`` are the two sides' starting widths.
    """
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.setChildrenCollapsible(False)
    splitter.setHandleWidth(SPLIT_GAP)
    splitter.addWidget(left)
    splitter.addWidget(detail)
    splitter.setStretchFactor(0, 3)
    splitter.setStretchFactor(1, 2)
    splitter.setSizes(list(sizes))

    title_row = QHBoxLayout()
    title_row.addWidget(page_title(title, page))
    title_row.addStretch(1)
    title_row.addWidget(count, 0, Qt.AlignmentFlag.AlignBottom)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(24, 18, 24, 18)
    layout.setSpacing(12)
    layout.addLayout(title_row)
    layout.addWidget(splitter, 1)
    return splitter


def set_list_tab_order(
    search: QLineEdit, new_button: QPushButton, delete_button: QPushButton, table: QTableView
) -> None:
    """Tab goes from the search box through the bar's buttons to the table."""
    QWidget.setTabOrder(search, new_button)
    QWidget.setTabOrder(new_button, delete_button)
    QWidget.setTabOrder(delete_button, table)


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
