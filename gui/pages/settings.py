"""Settings: the follow-up delay, where the data and the log live, the version.

The page is a column of titled sections (:meth:`SettingsPage.add_section`).
``_build_sections`` lists them in order; the mail account section goes in
there, one line, after "Follow-ups".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from afterword.core import __version__
from afterword.core.errors import ValidationError
from afterword.core.settings import (
    FOLLOW_UP_BUSINESS_DAYS_RANGE,
    STAY_IN_TOUCH_DAYS_RANGE,
    get_rule_settings,
    get_stay_in_touch_days,
    set_follow_up_business_days,
    set_stay_in_touch_days,
)
from afterword.core.storage.changes import Changes, Kind
from afterword.core.storage.db import Database
from afterword.gui.context import AppContext
from afterword.gui.forms import Choice, ask_unsaved_changes
from afterword.gui.operations import show_failure
from afterword.gui.theme import page_title

logger = logging.getLogger(__name__)

# Typing "12" in the box passes through "1": save once the value settles.
SAVE_DELAY_MS = 400
# The key of the follow-up settings' reads: a newer one makes a running one stale.
FOLLOW_UPS_KEY = "settings-follow-ups"


def open_folder(folder: Path) -> bool:
    """Show ``folder`` in the system's file manager."""
    folder.mkdir(parents=True, exist_ok=True)
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def _path_label(path: Path, name: str, parent: QWidget) -> QLabel:
    label = QLabel(str(path), parent)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(name)
    label.setWordWrap(True)
    return label


@dataclass(frozen=True)
class FollowUpValues:
    """The follow-up settings as the database holds them."""

    business_days: int
    check_in_days: int


def read_follow_up_values(db: Database) -> FollowUpValues:
    """Runs off the GUI thread: the values :class:`FollowUpSection` shows."""
    return FollowUpValues(
        business_days=get_rule_settings(db).follow_up_business_days,
        check_in_days=get_stay_in_touch_days(db),
    )


class FollowUpSection(QWidget):
    """When a status follow-up is due, and how often to check in with people met in interviews.

    The stored values are read off the GUI thread (:meth:`load`); the section
    stays disabled until they first arrive, so nothing stale can be saved.
    A value the person changed and that is not stored yet is never replaced
    by a reload; the other one follows the database.
    """

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        # What the database holds, as last read or saved (None: not read yet).
        self._stored: FollowUpValues | None = None
        self.days = QSpinBox(self)
        self.days.setRange(
            FOLLOW_UP_BUSINESS_DAYS_RANGE.start, FOLLOW_UP_BUSINESS_DAYS_RANGE.stop - 1
        )
        self.days.setSuffix(" business days")
        self.days.setAccessibleName("Business days before a status follow-up")
        self.error = QLabel(self)
        self.error.setAccessibleName("Follow-up setting problem")
        self.error.hide()
        explanation = QLabel(
            "When an employer's decision date passes without news, a polite status check "
            "becomes due this many business days later (Saturdays and Sundays are skipped).",
            self,
        )
        explanation.setWordWrap(True)
        self.check_in_days = QSpinBox(self)
        self.check_in_days.setRange(
            STAY_IN_TOUCH_DAYS_RANGE.start, STAY_IN_TOUCH_DAYS_RANGE.stop - 1
        )
        self.check_in_days.setSuffix(" days")
        self.check_in_days.setAccessibleName("Days between check-ins with people you meet")
        check_in_explanation = QLabel(
            "People you add to an interview get their company and this stay-in-touch "
            "cadence, so Today reminds you to check in with them. You can change it per person.",
            self,
        )
        check_in_explanation.setWordWrap(True)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(explanation)
        form.addRow("&Follow up after:", self.days)
        form.addRow(check_in_explanation)
        form.addRow("Check &in every:", self.check_in_days)
        form.addRow(self.error)
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save)
        for spin in (self.days, self.check_in_days):
            spin.valueChanged.connect(lambda _value: self._save_timer.start())
        self.setEnabled(False)  # until the stored values arrive: nothing stale is saved
        context.ops.changed.connect(self._on_changed)
        self.load()

    def _boxes(self) -> tuple[tuple[QSpinBox, str, Callable[[Database, int], object]], ...]:
        """Each spin box, the :class:`FollowUpValues` field it shows and the call storing it."""
        return (
            (self.days, "business_days", set_follow_up_business_days),
            (self.check_in_days, "check_in_days", set_stay_in_touch_days),
        )

    def load(self) -> None:
        """Read the stored values off the GUI thread; :meth:`_loaded` shows them."""
        self._context.ops.read(
            FOLLOW_UPS_KEY, read_follow_up_values, self._context.db, on_success=self._loaded
        )

    def _loaded(self, stored: FollowUpValues) -> None:
        previous = self._stored
        for spin, name, _setter in self._boxes():
            # A box that differs from what was stored holds the person's change, not
            # saved yet (or being saved): it stays, and the save compares with ``stored``.
            if previous is None or spin.value() == getattr(previous, name):
                spin.blockSignals(True)
                spin.setValue(getattr(stored, name))
                spin.blockSignals(False)
        self._stored = stored
        self.setEnabled(True)

    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.touches(Kind.SETTINGS):
            self.load()

    def save(self) -> None:
        """Write what changed now, off the GUI thread (also called before the window closes).

        Compared with the values last read or saved, not with the database:
        nothing is read on the GUI thread.
        """
        self._save_timer.stop()
        if self._stored is None:
            return  # nothing shown yet, so nothing changed
        for spin, name, setter in self._boxes():
            if spin.value() != getattr(self._stored, name):
                self._write(setter, name, spin.value())

    def _write(self, setter: Callable[[Database, int], object], name: str, value: int) -> None:
        def saved(_result: object) -> None:
            self.error.hide()
            if self._stored is not None:
                self._stored = replace(self._stored, **{name: value})

        self._context.ops.write(
            setter,
            self._context.db,
            value,
            initiator=self,
            on_success=saved,
            on_failure=self._refused,
        )

    def _refused(self, error: BaseException) -> None:
        if not isinstance(error, ValidationError):
            show_failure(error, "The setting could not be saved")
            return
        self.error.setText(error.problem)
        self.error.show()

    def has_pending_save(self) -> bool:
        return self._save_timer.isActive()


class DataSection(QWidget):
    """Where Afterword keeps its files, with buttons to open them, and the version."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.open_data = QPushButton("Open folder", self)
        self.open_data.setAccessibleName("Open the data folder")
        self.open_data.clicked.connect(lambda: open_folder(context.data_dir))
        self.open_logs = QPushButton("Open folder", self)
        self.open_logs.setAccessibleName("Open the log folder")
        self.open_logs.clicked.connect(lambda: open_folder(context.log_file.parent))
        form.addRow(
            "Data folder:",
            self._row(_path_label(context.data_dir, "Data folder", self), self.open_data),
        )
        form.addRow(
            "Log file:", self._row(_path_label(context.log_file, "Log file", self), self.open_logs)
        )
        version = QLabel(f"Afterword {__version__}", self)
        version.setAccessibleName("Version")
        version.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("Version:", version)

    def _row(self, label: QLabel, button: QPushButton) -> QWidget:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label, 1)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        return row


class SettingsPage(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        title = page_title("Settings", self)

        content = QWidget(self)
        self.sections = QVBoxLayout(content)
        self.sections.setContentsMargins(0, 0, 12, 0)
        self.sections.setSpacing(18)
        self.sections.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(scroll, 1)
        self._build_sections()

    def _build_sections(self) -> None:
        self.follow_ups = FollowUpSection(self._context, self)
        self.add_section("Follow-ups", self.follow_ups)
        # Imported here, not at module level: the mail sections pull in the keyring
        # and SMTP code, which the first paint does not need.
        from afterword.gui.pages.mail_account import MailAccountSection
        from afterword.gui.pages.mail_incoming import IncomingMailSection
        from afterword.gui.pages.templates import TemplatesSection

        self.mail_account = MailAccountSection(self._context, self)
        self.add_section("Mail account", self.mail_account)
        self.incoming_mail = IncomingMailSection(self._context, self)
        self.add_section("Incoming mail: copy in Sent, replies", self.incoming_mail)
        self.templates = TemplatesSection(self._context, self)
        self.add_section("Message templates", self.templates)
        from afterword.gui.pages.reminder_settings import ReminderSection

        self.reminders = ReminderSection(self._context, self)
        self.add_section("Reminders", self.reminders)
        self.data = DataSection(self._context, self)
        self.add_section("Data and logs", self.data)
        from afterword.gui.pages.data_settings import DataSafetySection

        self.your_data = DataSafetySection(self._context, self)
        self.add_section("Your data", self.your_data)

    def add_section(self, title: str, widget: QWidget) -> QGroupBox:
        """Append a titled section (sections appear in the order they are added)."""
        box = QGroupBox(title, self)
        box.setAccessibleName(title)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(12, 12, 12, 12)
        inner.addWidget(widget)
        self.sections.insertWidget(self.sections.count() - 1, box)  # before the stretch
        return box

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        self.follow_ups.load()
        super().showEvent(event)

    def can_close(self) -> bool:
        """Nothing typed is lost: pending values are saved, an edited template is asked about.

        A pending value is written in the background (the app waits for running
        writes before it closes the database). A template to save keeps the window
        open until it is saved, then closes it.
        """
        if self.follow_ups.has_pending_save():
            self.follow_ups.save()
        if self.reminders.has_pending_save():
            self.reminders.save()
        if not self.templates.is_dirty():
            return True
        choice = ask_unsaved_changes(self, "the message template")
        if choice is Choice.SAVE:
            self.templates.save(then=self.window().close)
            return False
        return choice is Choice.DISCARD
