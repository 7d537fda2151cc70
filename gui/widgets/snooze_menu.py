"""The "Snooze" menu: 1 day, 3 days, 1 week, or a picked date.

A snooze ends at the start of the chosen day in the user's zone, so an item
snoozed "1 day" at 22:00 comes back on tomorrow's Today list, not at 22:00.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from afterword.gui.icons import icon
from afterword.gui.theme import menu_button_text

# (menu text, days from today)
PRESETS = (("1 day", 1), ("3 days", 3), ("1 week", 7))
MAX_SNOOZE_DAYS = 2 * 365


def start_of_day(day: date, now: datetime) -> datetime:
    """Midnight at the start of ``day`` in ``now``'s zone (aware)."""
    return datetime.combine(day, time(0), tzinfo=now.tzinfo)


def snooze_end(now: datetime, days: int) -> datetime:
    """When a snooze of ``days`` days started at ``now`` ends."""
    return start_of_day(now.date() + timedelta(days=days), now)


class SnoozeDateDialog(QDialog):
    """Pick the day an item should come back (tomorrow at the earliest)."""

    def __init__(self, now: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Snooze until")
        self._now = now
        tomorrow = now.date() + timedelta(days=1)
        self.calendar = QCalendarWidget(self)
        self.calendar.setAccessibleName("Day the item comes back")
        self.calendar.setGridVisible(False)
        self.calendar.setMinimumDate(QDate(tomorrow))
        self.calendar.setMaximumDate(QDate(now.date() + timedelta(days=MAX_SNOOZE_DAYS)))
        self.calendar.setSelectedDate(QDate(now.date() + timedelta(days=7)))
        self.calendar.activated.connect(self.accept)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Snooze")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("The item comes back on the morning of the day you pick.", self))
        layout.addWidget(self.calendar)
        layout.addWidget(buttons)

    def until(self) -> datetime:
        return start_of_day(self.calendar.selectedDate().toPython(), self._now)


class SnoozeMenu(QMenu):
    """Emits ``chosen(datetime)`` with the aware end of the snooze the person picked."""

    chosen = Signal(object)

    def __init__(self, clock: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__("Snooze", parent)
        self.setIcon(icon("snooze"))
        self._clock = clock
        for text, days in PRESETS:
            action = self.addAction(text)
            action.triggered.connect(
                lambda _checked=False, days=days: self.chosen.emit(snooze_end(self._clock(), days))
            )
        self.addSeparator()
        self.addAction("Pick a date…").triggered.connect(self.pick_date)
        self.dialog: SnoozeDateDialog | None = None

    def button(self, parent: QWidget) -> QToolButton:
        """A "Snooze ▾" button that opens this menu."""
        button = QToolButton(parent)
        menu_button_text(button, "Snooze")
        button.setIcon(icon("snooze"))
        button.setAccessibleName("Snooze")
        button.setToolTip("Bring the item back later")
        button.setMenu(self)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        return button

    def pick_date(self) -> None:
        """Open the date dialog (non-blocking; ``chosen`` fires when it is accepted)."""
        dialog = SnoozeDateDialog(self._clock(), self.parentWidget())
        dialog.accepted.connect(lambda: self.chosen.emit(dialog.until()))
        dialog.finished.connect(self._forget_dialog)
        self.dialog = dialog
        dialog.open()

    def _forget_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None
