"""Settings → Reminders: which notifications, quiet hours, pause, start at login, digest.

Every change is saved a moment after it settles, through ``context.ops``.
The first line says whether desktop notifications work and, if not, why
(no session bus, no notification service): reminders then still show in the
window and the tray.

The stored choices are read off the GUI thread (:meth:`ReminderSection.load`);
the section stays disabled until they first arrive, and choices not saved yet
are never replaced by a reload.

Only what the person changed is saved as they set it: "Keep reminders running
when the window is closed" stays "not asked yet" (so the first close asks)
until they tick or untick it themselves. Quiet hours the core refuses (the
same start and end) are refused at their row, in the core's words; the
other choices, and a pause, are saved with the stored quiet hours meanwhile.
The morning digest needs a mail account to send from: without one the box
says so, and a digest that could not be sent says why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from functools import partial

from PySide6.QtCore import QTime, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from afterword.core.errors import ValidationError
from afterword.core.mail.accounts import get_mail_account
from afterword.core.reminders import autostart
from afterword.core.reminders.planning import pause_until_tomorrow
from afterword.core.reminders.settings import (
    LEAD_MINUTES_RANGE,
    NoticeKind,
    ReminderSettings,
    checked_settings,
    get_reminder_settings,
    save_reminder_settings,
)
from afterword.core.storage.changes import Changes, Kind
from afterword.core.storage.db import Database
from afterword.core.storage.paths import data_dir
from afterword.gui.context import AppContext
from afterword.gui.forms import error_color
from afterword.gui.operations import show_failure
from afterword.gui.reminders.service import current_service
from afterword.gui.widgets.flow_layout import flow_row
from afterword.gui.widgets.wrapping_check import WrappingCheckBox

logger = logging.getLogger(__name__)

SAVE_DELAY_MS = 400
# The key of the section's reads: a newer one makes a running one stale.
REMINDERS_KEY = "reminder-settings"
KIND_LABELS: dict[NoticeKind, str] = {
    NoticeKind.BEFORE_INTERVIEW: "Before an interview",
    NoticeKind.AFTER_INTERVIEW: "After an interview: send your thank-you notes",
    NoticeKind.OVERDUE: "When an item becomes overdue",
    NoticeKind.FOLLOW_UP_DUE: "When a status follow-up becomes due",
    NoticeKind.CHECK_INS: "Stay-in-touch check-ins (grouped, at most once a day)",
}


def _qtime(value: time | None, fallback: time) -> QTime:
    chosen = value or fallback
    return QTime(chosen.hour, chosen.minute)


def _time(value: QTime) -> time:
    return time(value.hour(), value.minute())


NO_ACCOUNT_FOR_DIGEST = (
    "The digest is sent to your own address: set up your mail account (above) first."
)


@dataclass(frozen=True)
class ReminderChoices:
    """What the section shows: the stored settings, whether Afterword starts at login,
    and whether there is a mail account to send the digest from."""

    settings: ReminderSettings
    starts_at_login: bool
    has_account: bool


def read_reminder_choices(db: Database) -> ReminderChoices:
    """Runs off the GUI thread (the login entry is a file, or a registry value on Windows)."""
    return ReminderChoices(
        get_reminder_settings(db), autostart.is_enabled(), get_mail_account(db) is not None
    )


def _problem_label(name: str, parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.hide()
    return label


class ReminderSection(QWidget):
    """The reminder settings (see the module docstring)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._settings = ReminderSettings()
        self._writing = 0  # this section's writes not finished yet
        self._has_account = True  # until the first read says otherwise
        # Whether the person ticked or unticked "keep running" since the last load.
        self._keep_running_chosen = False
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Notification status")
        self.kinds: dict[NoticeKind, QCheckBox] = {}
        form = QFormLayout(self)
        form.addRow(self.status)
        for kind, label in KIND_LABELS.items():
            box = WrappingCheckBox(label, self)
            self.kinds[kind] = box
            if kind == NoticeKind.BEFORE_INTERVIEW:
                self.lead = QSpinBox(self)
                self.lead.setRange(LEAD_MINUTES_RANGE.start, 240)
                self.lead.setSuffix(" minutes before")
                self.lead.setAccessibleName("Minutes before an interview")
                form.addRow(self._row(box, self.lead))
            else:
                form.addRow(box)
        self.quiet = QCheckBox("Quiet hours from", self)
        self.quiet_start = QTimeEdit(self)
        self.quiet_end = QTimeEdit(self)
        for edit, name in ((self.quiet_start, "Quiet from"), (self.quiet_end, "Quiet until")):
            edit.setDisplayFormat("HH:mm")
            edit.setAccessibleName(name)
        form.addRow(self._row(self.quiet, self.quiet_start, QLabel("to", self), self.quiet_end))
        self.quiet_problem = _problem_label("Quiet hours: problem", self)
        self.quiet_problem.setStyleSheet(f"color: {error_color(self.palette())};")
        form.addRow(self.quiet_problem)

        self.pause_state = QLabel(self)
        self.pause_hour = QPushButton("Pause for an hour", self)
        self.pause_tomorrow = QPushButton("Pause until tomorrow", self)
        self.resume = QPushButton("Resume", self)
        self.pause_hour.clicked.connect(lambda: self._pause(timedelta(hours=1)))
        self.pause_tomorrow.clicked.connect(lambda: self._pause(None))
        self.resume.clicked.connect(lambda: self._pause(timedelta(0)))
        # A row that wraps: with a big font the three buttons are wider than the page.
        pauses = QWidget(self)
        pauses.setLayout(
            flow_row(self.pause_hour, self.pause_tomorrow, self.resume, self.pause_state)
        )
        form.addRow(pauses)

        self.digest = WrappingCheckBox("Email me a morning digest of the day's items at", self)
        self.digest_at = QTimeEdit(self)
        self.digest_at.setDisplayFormat("HH:mm")
        self.digest_at.setAccessibleName("Digest time")
        form.addRow(self._row(self.digest, self.digest_at))
        self.digest_note = _problem_label("Morning digest: note", self)
        form.addRow(self.digest_note)
        self.keep_running = WrappingCheckBox(
            "Keep reminders running when the window is closed", self
        )
        self.keep_running.setToolTip(
            "Until you choose here, Afterword asks the first time you close its window."
        )
        form.addRow(self.keep_running)
        self.login = WrappingCheckBox("Start Afterword in the background when I log in", self)
        form.addRow(self.login)

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save)
        for box in (*self.kinds.values(), self.quiet, self.digest, self.keep_running):
            box.toggled.connect(self._changed)
        self.keep_running.toggled.connect(self._keep_running_toggled)
        for edit in (self.quiet_start, self.quiet_end, self.digest_at):
            edit.timeChanged.connect(self._changed)
        self.lead.valueChanged.connect(self._changed)
        self.login.toggled.connect(self._login_toggled)
        context.ops.changed.connect(self._on_changed)
        service = current_service()
        if service is not None:
            service.notifier.availability_changed.connect(lambda _p: self._show_status())
            service.digest_problem_changed.connect(self._show_digest_note)
        self._show_status()
        self.setEnabled(False)  # until the stored choices arrive: nothing stale is saved
        self.load()

    def _row(self, *widgets: QWidget) -> QWidget:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            layout.addWidget(widget)
        layout.addStretch(1)
        return row

    def _show_status(self) -> None:
        service = current_service()
        if service is None:
            text = "Reminders are not running in this window."
        elif service.notifier.available:
            text = "Desktop notifications are on."
        else:
            text = service.notifier.problem + " Reminders still show in Today and in the tray."
        self.status.setText(text)

    def load(self) -> None:
        """Read the stored choices off the GUI thread; :meth:`_loaded` shows them."""
        self._context.ops.read(
            REMINDERS_KEY, read_reminder_choices, self._context.db, on_success=self._loaded
        )

    def _loaded(self, choices: ReminderChoices) -> None:
        self.setEnabled(True)
        if self._writing:
            return  # read before this section's write finished: the reload after it follows
        settings = choices.settings
        self._settings = settings
        self._has_account = choices.has_account
        self._show_pause(settings.paused_until)
        if self.has_pending_save():
            self._show_digest_note()
            return  # the person's choices are saved in a moment, over what is stored now
        self._keep_running_chosen = False
        # Refused quiet hours stay on screen, with their message, until the person fixes them.
        keep_quiet = bool(self._quiet_problem())
        quiet_widgets = () if keep_quiet else (self.quiet, self.quiet_start, self.quiet_end)
        widgets: list[QWidget] = [
            *self.kinds.values(),
            *quiet_widgets,
            self.digest,
            self.digest_at,
            self.keep_running,
            self.lead,
            self.login,
        ]
        for widget in widgets:
            widget.blockSignals(True)
        for kind, box in self.kinds.items():
            box.setChecked(settings.wants(kind))
        self.lead.setValue(settings.minutes_before_interview)
        if not keep_quiet:
            self.quiet.setChecked(settings.quiet_start is not None)
            self.quiet_start.setTime(_qtime(settings.quiet_start, time(21)))
            self.quiet_end.setTime(_qtime(settings.quiet_end, time(8)))
        self.digest.setChecked(settings.digest_at is not None)
        self.digest_at.setTime(_qtime(settings.digest_at, time(7, 30)))
        self.keep_running.setChecked(bool(settings.keep_running_when_closed))
        self.login.setChecked(choices.starts_at_login)
        for widget in widgets:
            widget.blockSignals(False)
        self._show_digest_note()

    def _show_pause(self, until: datetime | None) -> None:
        now = self._context.now()
        if until is None or until <= now:
            self.pause_state.setText("")
            self.resume.setEnabled(False)
            return
        local = until.astimezone(now.tzinfo)
        self.pause_state.setText(f"Paused until {local:%a %H:%M}")
        self.resume.setEnabled(True)

    def values(self) -> ReminderSettings:
        """The settings to store: as the widgets show them, except what the person left alone.

        "Keep running" stays as stored (perhaps "not asked yet") unless the
        person changed it; refused quiet hours stay as stored.
        """
        quiet = self.quiet.isChecked()
        shown = replace(
            self._settings,
            enabled=frozenset(kind for kind, box in self.kinds.items() if box.isChecked()),
            minutes_before_interview=self.lead.value(),
            quiet_start=_time(self.quiet_start.time()) if quiet else None,
            quiet_end=_time(self.quiet_end.time()) if quiet else None,
            digest_at=_time(self.digest_at.time()) if self.digest.isChecked() else None,
        )
        if self._keep_running_chosen:
            shown = replace(shown, keep_running_when_closed=self.keep_running.isChecked())
        if self._quiet_problem():
            shown = replace(
                shown, quiet_start=self._settings.quiet_start, quiet_end=self._settings.quiet_end
            )
        return shown

    def _quiet_problem(self) -> str:
        """Why the quiet hours shown cannot be stored, in the core's words ("" if they can)."""
        if not self.quiet.isChecked():
            return ""
        try:
            checked_settings(
                replace(
                    self._settings,
                    quiet_start=_time(self.quiet_start.time()),
                    quiet_end=_time(self.quiet_end.time()),
                )
            )
        except ValidationError as exc:
            if exc.field == "quiet_hours":
                return exc.problem
        return ""

    def _changed(self, *_args: object) -> None:
        problem = self._quiet_problem()
        self.quiet_problem.setText(problem)
        self.quiet_problem.setVisible(bool(problem))
        self._show_digest_note()
        self._save_timer.start()

    def _keep_running_toggled(self, _on: bool) -> None:
        self._keep_running_chosen = True

    def _show_digest_note(self) -> None:
        """Without a mail account the digest cannot be sent: say so at the box."""
        service = current_service()
        failed = service.digest_problem if service is not None else ""
        worrying = bool(failed) or (not self._has_account and self.digest.isChecked())
        if failed:
            text = failed
        elif not self._has_account:
            text = NO_ACCOUNT_FOR_DIGEST
        else:
            text = ""
        # Off and nothing to send from: it cannot be switched on. On: it can be switched off.
        self.digest.setEnabled(self._has_account or self.digest.isChecked())
        self.digest_at.setEnabled(self._has_account or self.digest.isChecked())
        self.digest_note.setText(text)
        self.digest_note.setVisible(bool(text))
        color = f"color: {error_color(self.palette())};" if worrying else ""
        self.digest_note.setStyleSheet(color)
        self.digest_note.setProperty("problem", worrying)

    def has_pending_save(self) -> bool:
        return self._save_timer.isActive()

    def save(self) -> None:
        self._save_timer.stop()
        chosen = self.values()
        if chosen == self._settings:
            return
        self._settings = chosen
        self._write(partial(save_reminder_settings, self._context.db, chosen))

    def _pause(self, length: timedelta | None) -> None:
        now = self._context.now()
        until = pause_until_tomorrow(now) if length is None else (now + length if length else None)
        self._save_timer.stop()  # the pause saves the other choices too
        self._settings = replace(self.values(), paused_until=until)
        # "Paused until" shows once it is stored (the reload after the write).
        self._write(partial(save_reminder_settings, self._context.db, self._settings))

    def _login_toggled(self, on: bool) -> None:
        if on:
            folder = self._context.data_dir
            default = folder.resolve() == data_dir(None).resolve()
            command = autostart.launch_command(None if default else folder)
            self._write(partial(autostart.enable, command))
        else:
            self._write(autostart.disable)

    def _write(self, call: Callable[[], object]) -> None:
        """Run a write of this section, counted so that no load arriving meanwhile undoes it."""

        def finished(_result: object) -> None:
            self._writing -= 1

        def failed(error: BaseException) -> None:
            finished(None)
            if isinstance(error, ValidationError):
                # Not expected (the section checks first); said in words, no dialog.
                self.quiet_problem.setText(error.problem)
                self.quiet_problem.show()
            else:
                show_failure(error, "The reminder setting could not be saved")
            self.load()  # what is stored, not what failed to be

        self._writing += 1
        self._context.ops.write(call, initiator=self, on_success=finished, on_failure=failed)

    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        # Also after this section's own writes: the last read shows what was stored.
        # A mail account saved or removed changes what the digest can do.
        if changes.touches(Kind.SETTINGS, Kind.ACCOUNTS):
            self.load()
