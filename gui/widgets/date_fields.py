"""Date and time fields for the forms: wall-clock times read in a chosen zone, and a
date that may be unknown."""

from __future__ import annotations

import logging
from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QDateTime, QTime, QTimeZone, Signal
from PySide6.QtWidgets import QCheckBox, QDateEdit, QDateTimeEdit, QHBoxLayout, QWidget

logger = logging.getLogger(__name__)


def _zone(zone: str | tzinfo) -> tzinfo:
    return ZoneInfo(zone) if isinstance(zone, str) else zone


def wall_clock(moment: datetime, zone: str | tzinfo) -> QDateTime:
    """``moment`` as the wall-clock time in ``zone``, for a date-time edit kept in UTC.

    The edit holds plain wall-clock values (its own zone is UTC, which has no
    gaps), and the chosen IANA zone gives them their meaning.
    """
    local = moment.astimezone(_zone(zone))
    return QDateTime(
        QDate(local.year, local.month, local.day),
        QTime(local.hour, local.minute),
        QTimeZone.utc(),
    )


def aware(value: QDateTime, zone: str | tzinfo) -> datetime:
    """The wall-clock ``value`` read in ``zone`` (an IANA id or a tzinfo), as an aware datetime."""
    day, time = value.date(), value.time()
    return datetime(
        day.year(), day.month(), day.day(), time.hour(), time.minute(), tzinfo=_zone(zone)
    )


def utc_wall_edit(edit: QDateTimeEdit | QDateEdit) -> None:
    """Make ``edit`` hold wall-clock values with no daylight-saving gaps (see wall_clock)."""
    edit.setTimeZone(QTimeZone.utc())


class OptionalDateEdit(QWidget):
    """A date that may be unknown: a check box "Known" enabling a calendar date edit."""

    changed = Signal()

    def __init__(self, label: str, default: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.known = QCheckBox("Known")
        self.known.setAccessibleName(f"{label} is known")
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("ddd d MMM yyyy")
        self.edit.setDate(QDate(default.year, default.month, default.day))
        self.edit.setAccessibleName(label)
        self.edit.setEnabled(False)
        row.addWidget(self.known)
        row.addWidget(self.edit, 1)
        self.setFocusProxy(self.known)
        self.known.toggled.connect(self.edit.setEnabled)
        self.known.toggled.connect(self.changed)
        self.edit.dateChanged.connect(self.changed)

    def value(self) -> date | None:
        if not self.known.isChecked():
            return None
        return self.edit.date().toPython()

    def set_value(self, value: date | None) -> None:
        self.known.setChecked(value is not None)
        if value is not None:
            self.edit.setDate(QDate(value.year, value.month, value.day))
