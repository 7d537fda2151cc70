"""The interview form: when and where, who was in it, and what happened after.

Its "After the interview" part edits the application's next steps and
decision date and the interview's outcome, so step 1 of the playbook (ask
about next steps and the time frame) is recorded right where the interview
is. Every core check runs before anything is written, so a save writes all
parts (interview and people, application, outcome) or, on a problem, none.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from dataclasses import replace
from datetime import datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo, available_timezones

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from afterword.core.applications import validate_application as check_application
from afterword.core.errors import EditConflictError, ValidationError
from afterword.core.interviews import (
    MAX_DURATION_MINUTES,
    duration_between,
    save_interview_with_application,
    validate_interview,
    validate_participants,
)
from afterword.core.storage.records import (
    ApplicationFields,
    ApplicationRecord,
    InterviewFields,
    InterviewRecord,
    editable,
)
from afterword.core.storage.validation import (
    URL_LIMIT,
    long_text,
    positive_int,
    single_line,
    time_zone,
)
from afterword.core.storage.values import InterviewFormat, InterviewOutcome, ParticipantRole
from afterword.gui.context import AppContext, system_zone
from afterword.gui.dialogs.edit_conflict import offer_reload
from afterword.gui.dialogs.interview_edit import (
    InterviewEdit,
    InterviewShown,
    People,
    interview_edit,
    load_interview_edit,
)
from afterword.gui.dialogs.interview_people import ParticipantRow
from afterword.gui.dialogs.interview_people_section import PeopleSection
from afterword.gui.forms import (
    FormDialog,
    TextBox,
    add_field_row,
    fill_combo,
    form_layout,
    select_data,
)
from afterword.gui.widgets.checklist.text import day_text
from afterword.gui.widgets.date_fields import OptionalDateEdit, aware, utc_wall_edit, wall_clock

logger = logging.getLogger(__name__)

FORMAT_LABELS = {
    InterviewFormat.VIDEO: "Video call",
    InterviewFormat.PHONE: "Phone",
    InterviewFormat.ONSITE: "On-site",
}
OUTCOME_LABELS: dict[InterviewOutcome | None, str] = {
    None: "Not known yet",
    InterviewOutcome.ADVANCED: "Advanced to the next round",
    InterviewOutcome.OFFER: "Offer",
    InterviewOutcome.REJECTED: "Rejected",
    InterviewOutcome.WITHDRAWN: "I withdrew",
}
# The outcome inside a sentence ("Outcome: you withdrew"): the form's "I withdrew"
# is what the person picks, not what the app says back.
OUTCOME_WORDS: dict[InterviewOutcome, str] = {
    InterviewOutcome.ADVANCED: "advanced to the next round",
    InterviewOutcome.OFFER: "offer",
    InterviewOutcome.REJECTED: "rejected",
    InterviewOutcome.WITHDRAWN: "you withdrew",
}
DATE_TIME_FORMAT = "ddd d MMM yyyy  HH:mm"
REJECTION_NOTE = (
    "Saving records the rejection and closes the application. Its checklist then "
    "suggests what to do next: ask for feedback, say you are still interested, ask "
    "about referrals to other openings, and stay in touch. The reply goes to whoever "
    "told you. Thank-yous not yet sent become optional: send one anyway, or dismiss "
    "them all at once (Shift+Delete on the checklist)."
)


def interview_when(interview: InterviewRecord, now: datetime) -> str:
    """ "Thu 12 Mar, 14:00–15:00 (Europe/London)": in the interview's own zone."""
    start = interview.starts_at.astimezone(ZoneInfo(interview.timezone))
    end = start + timedelta(minutes=interview.duration_minutes)
    return f"{day_text(start.date(), now.date())}, {start:%H:%M}–{end:%H:%M} ({interview.timezone})"


def interview_summary(interview: InterviewRecord, now: datetime) -> str:
    """Two lines for the interview list: when, round and format; who, and the outcome."""
    parts = [interview_when(interview, now)]
    if interview.cancelled:
        parts.insert(0, "Cancelled")
    if interview.round_name:
        parts.append(interview.round_name)
    parts.append(FORMAT_LABELS[interview.format])
    people = ", ".join(p.contact_name for p in interview.participants) or "nobody recorded"
    second = f"With {people}"
    if interview.outcome is not None:
        second += f" · Outcome: {OUTCOME_WORDS[interview.outcome]}"
    return " · ".join(parts) + "\n" + second


class InterviewForm(PeopleSection, FormDialog):
    """New interview for ``application`` (``interview`` None) or edit one."""

    def __init__(
        self,
        context: AppContext,
        application: ApplicationRecord,
        interview: InterviewRecord | None = None,
        parent: QWidget | None = None,
    ) -> None:
        what = f"the interview at {application.company}"
        super().__init__(context, what, parent)
        self.setWindowTitle(
            f"{'Edit' if interview else 'New'} interview: {application.role} at "
            f"{application.company}"
        )
        self.application = application
        self.interview = interview
        self.rows: list[ParticipantRow] = []
        self.resize(1040, 720)

        columns = QHBoxLayout()
        columns.setSpacing(16)
        self.body.addLayout(columns)
        left = QVBoxLayout()
        right = QVBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        left.addWidget(self._when_where())
        left.addWidget(self._after())
        left.addStretch(1)
        right.addWidget(self._people(), 1)

        self.validator.add_rule(lambda: validate_interview(self.interview_values()))
        self.validator.add_rule(lambda: validate_participants(self.participant_values()))
        self.validator.add_rule(lambda: check_application(self.application_values()))
        self._load(interview_edit(interview, application) if interview else None)
        self.ready()

    @property
    def record(self) -> InterviewEdit | None:
        """The interview (and application) as opened: what a stale save is merged against."""
        if self.interview is None:
            return None
        return interview_edit(self.interview, self.application)

    @record.setter
    def record(self, stored: InterviewEdit) -> None:
        self.interview = stored.interview
        self.application = stored.application

    # -- building --------------------------------------------------------------------------

    def _when_where(self) -> QGroupBox:
        box = QGroupBox("When and where")
        form = form_layout()
        box.setLayout(form)
        self.starts = QDateTimeEdit()
        self.starts.setCalendarPopup(True)
        self.starts.setDisplayFormat(DATE_TIME_FORMAT)
        utc_wall_edit(self.starts)
        self.zone = QComboBox()
        self.zone.setEditable(True)
        self.zone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.zone.addItems(sorted(available_timezones()))
        self.zone.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.zone.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.duration = QSpinBox()
        self.duration.setRange(1, MAX_DURATION_MINUTES)
        self.duration.setSingleStep(15)
        self.duration.setSuffix(" min")
        self.ends = QDateTimeEdit()
        self.ends.setCalendarPopup(True)
        self.ends.setDisplayFormat(DATE_TIME_FORMAT)
        utc_wall_edit(self.ends)
        self.round_name = QLineEdit()
        self.round_name.setPlaceholderText("e.g. First round, Technical, Final")
        self.format = QComboBox()
        fill_combo(self.format, FORMAT_LABELS)
        self.location = QLineEdit()
        self.location.setPlaceholderText("Address, or the video call link")
        self.notes = TextBox("Interview notes", 3)

        # Duration is the truth; the end follows it, and an end typed in sets it.
        self.starts.dateTimeChanged.connect(self._end_from_duration)
        self.duration.valueChanged.connect(self._end_from_duration)
        self.ends.dateTimeChanged.connect(self._duration_from_end)

        add = self.validator.add_row
        add(form, "starts_at", "&Starts", self.starts)
        add(form, "timezone", "Time &zone", self.zone, lambda: time_zone("timezone", self._zone()))
        add(
            form, "duration_minutes", "&Duration", self.duration,
            lambda: positive_int(
                "duration_minutes", self.duration.value(), maximum=MAX_DURATION_MINUTES
            ),
        )  # fmt: skip
        add(form, "ends_at", "&Ends", self.ends, self._check_end)
        add(
            form, "round_name", "&Round", self.round_name,
            lambda: single_line("round_name", self.round_name.text()),
        )  # fmt: skip
        add(form, "format", "&Format", self.format)
        add(
            form, "location", "&Place or link", self.location,
            lambda: single_line("location", self.location.text(), limit=URL_LIMIT),
        )  # fmt: skip
        add(
            form, "notes", "N&otes", self.notes,
            lambda: long_text("notes", self.notes.text()),
        )  # fmt: skip
        return box

    def _after(self) -> QGroupBox:
        box = QGroupBox("After the interview")
        form = form_layout()
        box.setLayout(form)
        self.next_steps = TextBox("Next steps", 2)
        self.next_steps.setPlaceholderText("What happens next, as they told you")
        today = self.context.now().date()
        self.decision_expected = OptionalDateEdit("Decision expected by", today)
        self.outcome = QComboBox()
        fill_combo(self.outcome, OUTCOME_LABELS)
        self.rejection_note = QLabel(REJECTION_NOTE)
        self.rejection_note.setWordWrap(True)
        self.rejection_note.setAccessibleName("What a rejection adds to the checklist")
        self.rejection_note.hide()
        self.outcome.currentIndexChanged.connect(self._show_rejection_note)

        add = self.validator.add_row
        add(
            form, "next_steps", "Ne&xt steps", self.next_steps,
            lambda: long_text("next_steps", self.next_steps.text()),
        )  # fmt: skip
        add(form, "decision_expected", "Decision e&xpected by", self.decision_expected)
        add(form, "outcome", "O&utcome", self.outcome)
        add(form, "outcome_from", "Who &told you", self._teller_combo())
        self._after_form = form
        add_field_row(form, self.rejection_note)
        return box

    # -- loading ---------------------------------------------------------------------------

    def _load(self, edit: InterviewEdit | None) -> None:
        with self.validator.suspend():
            if edit is None:
                tomorrow = self.context.now().date() + timedelta(days=1)
                zone = system_zone().key
                start = datetime.combine(tomorrow, time(10), tzinfo=system_zone())
                self.zone.setCurrentText(zone)
                self.starts.setDateTime(wall_clock(start, zone))
                self.duration.setValue(60)
                self.next_steps.setPlainText(self.application.next_steps)
                self.decision_expected.set_value(self.application.decision_expected)
            else:
                self.zone.setCurrentText(edit.timezone)
                self.starts.setDateTime(wall_clock(edit.starts_at, edit.timezone))
                self.duration.setValue(edit.duration_minutes)
                self.round_name.setText(edit.round_name)
                select_data(self.format, edit.format)
                self.location.setText(edit.location)
                self.notes.setPlainText(edit.notes)
                select_data(self.outcome, edit.outcome)
                self._load_people(edit.people)
                self.next_steps.setPlainText(edit.next_steps)
                self.decision_expected.set_value(edit.decision_expected)
            self._end_from_duration()
        self._show_rejection_note()

    def _load_people(self, people: People) -> None:
        """One row per person, replacing the rows there are (a reload rebuilds them)."""
        for row in list(self.rows):
            self.remove_row(row)
        for person, values in people:
            row = self._add_row(person, values.notes, values.role or ParticipantRole.INTERVIEWER)
            if values.linkedin_url is not None:
                row.linkedin.setText(values.linkedin_url)
            typed = values.new_contact
            if typed is not None and row.name and row.email and row.title:
                row.name.setText(typed.name)
                row.email.setText(typed.email)
                row.title.setText(typed.title)
                row.linkedin.setText(typed.linkedin_url)
            if values.delivered_outcome:
                self.set_teller(row)

    # -- values ----------------------------------------------------------------------------

    def _zone(self) -> str:
        return self.zone.currentText().strip()

    def _moment(self, edit: QDateTimeEdit) -> datetime | None:
        try:
            zone = time_zone("timezone", self._zone())
        except ValidationError:
            return None  # the time zone field shows the problem
        return aware(edit.dateTime(), zone)

    def _check_end(self) -> None:
        starts, ends = self._moment(self.starts), self._moment(self.ends)
        if starts is not None and ends is not None:
            duration_between(starts, ends)

    def _end_from_duration(self) -> None:
        ends = self.starts.dateTime().addSecs(self.duration.value() * 60)
        if ends != self.ends.dateTime():
            self.ends.blockSignals(True)
            self.ends.setDateTime(ends)
            self.ends.blockSignals(False)
            self.validator.revalidate()

    def _duration_from_end(self) -> None:
        starts, ends = self._moment(self.starts), self._moment(self.ends)
        if starts is None or ends is None:
            return
        try:
            minutes = duration_between(starts, ends)
        except ValidationError:
            return  # shown at the End field by its check
        self.duration.blockSignals(True)
        self.duration.setValue(minutes)
        self.duration.blockSignals(False)

    def _fields(self, starts_at: datetime) -> InterviewFields:
        outcome = self.outcome.currentData()
        return InterviewFields(
            application_id=self.application.id,
            starts_at=starts_at,
            timezone=self._zone(),
            duration_minutes=self.duration.value(),
            round_name=self.round_name.text(),
            format=InterviewFormat(self.format.currentData()),
            location=self.location.text(),
            notes=self.notes.text(),
            outcome=InterviewOutcome(outcome) if outcome else None,
        )

    def interview_values(self) -> InterviewFields:
        """The interview as typed; raises ``ValidationError`` for an unknown time zone."""
        zone = time_zone("timezone", self._zone())
        return self._fields(aware(self.starts.dateTime(), zone))

    def application_values(self) -> ApplicationFields:
        """The application as stored, with this form's next steps and decision date."""
        return replace(
            editable(self.application, ApplicationFields),
            next_steps=self.next_steps.text(),
            decision_expected=self.decision_expected.value(),
        )

    def values(self) -> InterviewEdit:
        """Everything the form edits, as typed (compared field by field on a reload)."""
        typed = self.interview_values()
        people = People(
            (row.person, value)
            for row, value in zip(self.rows, self.participant_values(), strict=True)
        )
        assert self.interview is not None  # only an edit can be stale
        return InterviewEdit(
            starts_at=typed.starts_at,
            timezone=typed.timezone,
            duration_minutes=typed.duration_minutes,
            round_name=typed.round_name,
            format=typed.format,
            location=typed.location,
            notes=typed.notes,
            outcome=typed.outcome,
            people=people,
            next_steps=self.next_steps.text(),
            decision_expected=self.decision_expected.value(),
            interview=self.interview,
            application=self.application,
        )

    def snapshot(self) -> Hashable:
        return (
            self.starts.dateTime().toString(Qt.DateFormat.ISODate),
            self.ends.dateTime().toString(Qt.DateFormat.ISODate),
            self._zone(),
            self.duration.value(),
            self.round_name.text(),
            self.format.currentData(),
            self.location.text(),
            self.notes.text(),
            tuple(row.values() for row in self.rows),
            self.next_steps.text(),
            self.decision_expected.value(),
            self.outcome.currentData(),
            self.outcome_from.currentIndex(),
        )

    def _show_rejection_note(self) -> None:
        rejected = self.outcome.currentData() == InterviewOutcome.REJECTED
        self.rejection_note.setVisible(rejected)
        # Who told you matters once there is an outcome (a rejection's reply goes to them).
        self._after_form.setRowVisible(self.outcome_from.parentWidget(), self._has_outcome())

    def _has_outcome(self) -> bool:
        return self.outcome.currentData() is not None

    # -- saving ----------------------------------------------------------------------------

    def core_write(self) -> Callable[[], InterviewRecord]:
        return partial(
            save_interview_with_application,
            self.context.db,
            self.interview_values(),
            self.participant_values(),
            next_steps=self.next_steps.text(),
            decision_expected=self.decision_expected.value(),
            now=self.context.now(),
            interview_id=self.interview.id if self.interview else None,
            expected_version=self.interview.version if self.interview else None,
        )

    def offer_reload(self, error: EditConflictError) -> bool:
        offer_reload(self, error, load_interview_edit, InterviewShown)
        return True
