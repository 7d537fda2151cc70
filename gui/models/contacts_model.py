"""Contacts for the views: the Contacts table and the "pick a contact" list of a form.

Both read the same :class:`afterword.core.storage.records.ContactRecord` list that
:func:`afterword.core.contacts.list_contacts` returns (already filtered by the core's
search and ordered by name), so the table shows what the core matched.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from afterword.core.storage.records import ContactRecord
from afterword.gui.widgets.checklist.text import day_text

logger = logging.getLogger(__name__)

# The stay-in-touch presets, in days; anything else is "custom".
CADENCE_PRESETS: dict[int | None, str] = {
    None: "None",
    30: "Monthly",
    90: "Quarterly",
    180: "Twice a year",
}
CUSTOM_CADENCE = "Custom…"

ID_ROLE = Qt.ItemDataRole.UserRole + 1


def cadence_text(days: int | None) -> str:
    """ "Quarterly", "Every 45 days", or "" for none."""
    if days is None:
        return ""
    if days in CADENCE_PRESETS:
        return CADENCE_PRESETS[days]
    return f"Every {days} days"


def contact_label(contact: ContactRecord) -> str:
    """ "Anna Schmidt (Head of Engineering, Acme)": a name and what tells people apart."""
    about = ", ".join(part for part in (contact.title, contact.company) if part)
    about = about or contact.email
    return f"{contact.name} ({about})" if about else contact.name


class Column(enum.IntEnum):
    NAME = 0
    COMPANY = 1
    TITLE = 2
    EMAIL = 3
    STAY_IN_TOUCH = 4
    LAST_CONTACTED = 5


HEADERS = {
    Column.NAME: "Name",
    Column.COMPANY: "Company",
    Column.TITLE: "Title",
    Column.EMAIL: "Email",
    Column.STAY_IN_TOUCH: "Stay in touch",
    Column.LAST_CONTACTED: "Last contacted",
}


class ContactsModel(QAbstractTableModel):
    """The contacts the core returned, one per row."""

    def __init__(self, clock: Callable[[], datetime], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._rows: list[ContactRecord] = []

    def set_contacts(self, contacts: Sequence[ContactRecord]) -> None:
        self.beginResetModel()
        self._rows = list(contacts)
        self.endResetModel()

    def contact(self, row: int) -> ContactRecord:
        return self._rows[row]

    def row_of(self, contact_id: int) -> int:
        for number, contact in enumerate(self._rows):
            if contact.id == contact_id:
                return number
        return -1

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(Column)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        contact = self._rows[index.row()]
        if role == ID_ROLE:
            return contact.id
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        column = index.column()
        if column == Column.NAME:
            return contact.name
        if column == Column.COMPANY:
            return contact.company
        if column == Column.TITLE:
            return contact.title
        if column == Column.EMAIL:
            return contact.email
        if column == Column.STAY_IN_TOUCH:
            return cadence_text(contact.cadence_days)
        if contact.last_contacted_at is None:
            return ""
        now = self._clock()
        return day_text(contact.last_contacted_at.astimezone(now.tzinfo).date(), now.date())


class ContactChoicesModel(QAbstractListModel):
    """Contacts to pick from in a form, labelled so that two Annas can be told apart."""

    def __init__(self, contacts: Sequence[ContactRecord], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._contacts = list(contacts)
        self._labels = [contact_label(c) for c in self._contacts]

    def contact(self, row: int) -> ContactRecord:
        return self._contacts[row]

    def find(self, text: str) -> list[int]:
        """Rows whose label is ``text`` exactly, else the rows whose label contains it."""
        wanted = text.strip().casefold()
        if not wanted:
            return []
        exact = [n for n, label in enumerate(self._labels) if label.casefold() == wanted]
        if exact:
            return exact
        names = [n for n, c in enumerate(self._contacts) if c.name.casefold() == wanted]
        if names:
            return names
        return [n for n, label in enumerate(self._labels) if wanted in label.casefold()]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._contacts)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._labels[index.row()]
        if role == ID_ROLE:
            return self._contacts[index.row()].id
        return None
