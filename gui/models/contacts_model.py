"""Contacts for the views: the Contacts table and the "pick a contact" list of a form.

Both read the same :class:`afterword.core.storage.records.ContactRecord` list that
:func:`afterword.core.contacts.list_contacts` returns (already filtered by the core's
search and ordered by name), so the table shows what the core matched.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from afterword.core.storage.records import ContactRecord
from afterword.gui.models.records_model import ID_ROLE, RecordTableModel, Sizing, TableColumn
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


class Column(TableColumn):
    NAME = 0, "Name", "Hannah Lindqvist"
    COMPANY = 1, "Company", "Maple & Pine Software"
    TITLE = 2, "Title", "Principal Engineer"
    # "Email" takes what is left; cadence and date never need more.
    EMAIL = 3, "Email", "", Sizing.STRETCH
    STAY_IN_TOUCH = 4, "Stay in touch", "Stay in touch", Sizing.FIXED
    LAST_CONTACTED = 5, "Last contacted", "Last contacted", Sizing.FIXED


class ContactsModel(RecordTableModel[ContactRecord]):
    """The contacts the core returned, one per row."""

    def __init__(self, clock: Callable[[], datetime], parent: QObject | None = None) -> None:
        super().__init__(Column, clock, parent)

    def cell_text(self, record: ContactRecord, column: int, *, tooltip: bool) -> str:
        if column == Column.NAME:
            return record.name
        if column == Column.COMPANY:
            return record.company
        if column == Column.TITLE:
            return record.title
        if column == Column.EMAIL:
            return record.email
        if column == Column.STAY_IN_TOUCH:
            return cadence_text(record.cadence_days)
        if record.last_contacted_at is None:
            return ""
        now = self.now()
        return day_text(record.last_contacted_at.astimezone(now.tzinfo).date(), now.date())


class ContactChoicesModel(QAbstractListModel):
    """Contacts to pick from in a form, labelled so that two Annas can be told apart."""

    def __init__(
        self, contacts: Sequence[ContactRecord] = (), parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._contacts: list[ContactRecord] = []
        self._labels: list[str] = []
        self.set_contacts(contacts)

    def set_contacts(self, contacts: Sequence[ContactRecord]) -> None:
        """Offer ``contacts`` (they arrive from the core after the form opened)."""
        self.beginResetModel()
        self._contacts = list(contacts)
        self._labels = [contact_label(c) for c in self._contacts]
        self.endResetModel()

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
