"""The table model the list pages share: one record per row, one column per enum member.

A table's columns are a :class:`TableColumn` enum: each member is a column's
number with its heading and how wide it starts. :class:`RecordTableModel`
holds the rows shown (anything with an ``id``: the core's records or rows
made from them) and answers Qt's questions about them; a subclass says what
a cell shows (:meth:`RecordTableModel.cell_text`) and, if it wants, in which
colour (:meth:`RecordTableModel.cell_foreground`).
How the rows are chosen and ordered stays with the subclass: the
applications table filters and sorts in memory, the contacts table shows
what the core's search returned.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

logger = logging.getLogger(__name__)

# The role under which every row answers its record's id.
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class HasId(Protocol):
    @property
    def id(self) -> int: ...


R = TypeVar("R", bound=HasId)


class Sizing(enum.Enum):
    """How a column's width follows the table's."""

    INTERACTIVE = "interactive"  # starts wide enough for its sample; the person may resize it
    FIXED = "fixed"  # its sample is as wide as it ever needs to be
    STRETCH = "stretch"  # takes what the others leave


class TableColumn(enum.IntEnum):
    """A column: ``NAME = number, heading, sample, sizing``.

    The column starts wide enough for ``sample``, a typical value (the font
    decides how wide that is); subclasses list the members in column order.
    """

    heading: str
    sample: str
    sizing: Sizing

    def __new__(
        cls, number: int, heading: str, sample: str = "", sizing: Sizing = Sizing.INTERACTIVE
    ) -> TableColumn:
        column = int.__new__(cls, number)
        column._value_ = number
        column.heading = heading
        column.sample = sample
        column.sizing = sizing
        return column


class RecordTableModel(QAbstractTableModel, Generic[R]):
    """The records in :attr:`shown`, one per row, under the ``columns`` of a table."""

    def __init__(
        self,
        columns: type[TableColumn],
        clock: Callable[[], datetime],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._clock = clock
        self.shown: list[R] = []

    # -- for subclasses ------------------------------------------------------------------

    def cell_text(self, record: R, column: int, *, tooltip: bool) -> str:
        """What ``record`` shows in ``column`` (``tooltip``: the longer text on hover)."""
        raise NotImplementedError

    def cell_foreground(self, record: R, column: int) -> QColor | None:
        """A colour for the cell's text, or None for the usual one."""
        return None

    def show_rows(self, rows: Sequence[R]) -> None:
        """Show ``rows`` (a reset: the view repaints only what is visible)."""
        self.beginResetModel()
        self.shown = list(rows)
        self.endResetModel()

    def now(self) -> datetime:
        return self._clock()

    # -- rows ------------------------------------------------------------------------------

    def record(self, row: int) -> R:
        return self.shown[row]

    def record_id(self, row: int) -> int:
        return self.shown[row].id

    def row_of(self, record_id: int) -> int:
        """The row showing ``record_id``, or -1 when it is filtered out or gone."""
        for number, record in enumerate(self.shown):
            if record.id == record_id:
                return number
        return -1

    # -- Qt model interface ------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.shown)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].heading
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        record = self.shown[index.row()]
        if role == ID_ROLE:
            return record.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.cell_text(
                record, index.column(), tooltip=role == Qt.ItemDataRole.ToolTipRole
            )
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.cell_foreground(record, index.column())
        return None
