"""The checklist's Qt model: group headers and items as one flat list.

Rows wrap their text, so the list measures every row it holds before it can
show any. A long list (Today with years of history) therefore holds its
first screenfuls at once and the rest as the person scrolls or jumps to an
item further down (Qt's ``canFetchMore``/``fetchMore``); what the page
reads from it (:meth:`ChecklistModel.items`) is always every item.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from afterword.core.checklist.items import ChecklistItem, ItemState
from afterword.gui.widgets.checklist.text import Groups, due_text

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1  # the ChecklistItem (None on a group header)
DUE_TEXT_ROLE = Qt.ItemDataRole.UserRole + 2
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 3
# Rows held at first (many screenfuls) and added at each fetch.
FIRST_ROWS = 60
MORE_ROWS = 100


@dataclass(frozen=True)
class _Row:
    header: str
    item: ChecklistItem | None
    due: str = ""


class ChecklistModel(QAbstractListModel):
    """Group headers and items as one flat list (headers are disabled rows)."""

    # (item, checked): the person clicked the box; the view decides what it means.
    check_requested = Signal(object, bool)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[_Row] = []  # every row; the first ``_held`` are in the model
        self._held = 0

    def set_groups(self, groups: Groups, now: datetime) -> None:
        self.beginResetModel()
        self._rows = []
        for title, items in groups:
            self._rows.append(_Row(header=f"{title} ({len(items)})", item=None))
            self._rows.extend(_Row(header="", item=i, due=due_text(i, now)) for i in items)
        self._held = min(len(self._rows), FIRST_ROWS)
        self.endResetModel()

    def items(self) -> list[ChecklistItem]:
        """Every item, also those not yet fetched into the view."""
        return [row.item for row in self._rows if row.item is not None]

    def row_of(self, key: str) -> int:
        """The row showing the item with ``key`` (fetched into the view if need be), or -1."""
        for number, row in enumerate(self._rows):
            if row.item is not None and row.item.key == key:
                if number >= self._held:
                    self._hold(number + 1)
                return number
        return -1

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._held

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        return not parent.isValid() and self._held < len(self._rows)

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        if not parent.isValid():
            self._hold(self._held + MORE_ROWS)

    def _hold(self, count: int) -> None:
        count = min(count, len(self._rows))
        if count > self._held:
            self.beginInsertRows(QModelIndex(), self._held, count - 1)
            self._held = count
            self.endInsertRows()

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        item = self._rows[index.row()].item
        if item is None:
            return Qt.ItemFlag.NoItemFlags  # headers are skipped by keyboard navigation
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not item.done_automatically:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        item = row.item
        if role == ITEM_ROLE:
            return item
        if item is None:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return row.header
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return item.title
        if role == DETAIL_ROLE:
            return item.detail
        if role == DUE_TEXT_ROLE:
            return row.due
        if role == Qt.ItemDataRole.CheckStateRole:
            done = item.state == ItemState.DONE
            return Qt.CheckState.Checked if done else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{item.title}\n{item.detail}\n{row.due}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{item.title}. {item.detail}. {row.due}."
        return None

    def setData(  # noqa: N802
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = 0
    ) -> bool:
        item = self._rows[index.row()].item
        if role != Qt.ItemDataRole.CheckStateRole or item is None:
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        self.check_requested.emit(item, checked)
        return True
