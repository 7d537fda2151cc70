"""The preview of an imported calendar invite: every field editable before saving.

Shows what :func:`afterword.core.calendar.importing.plan_invite` found (the
application, start and end with their zone, the video link, the people) and
saves the edited :class:`InviteDraft` through ``context.ops``. A cancellation
shows the interview it cancels and a "Mark as cancelled" button instead.
Nothing is written until the person saves; a failure is shown in the dialog
and everything typed stays.
"""

from __future__ import annotations

import logging
from datetime import UTC, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from afterword.core.calendar.importing import (
    InviteDraft,
    InvitePersonDraft,
    InvitePlan,
    cancel_invite,
    default_draft,
    save_invite,
)
from afterword.core.calendar.links import service_name
from afterword.core.errors import ValidationError
from afterword.core.interviews import MAX_DURATION_MINUTES
from afterword.gui.context import AppContext
from afterword.gui.forms import TextBox, form_layout
from afterword.gui.lifetime import failure_if_alive, if_alive
from afterword.gui.validator import error_color
from afterword.gui.widgets.date_fields import aware, wall_clock
from afterword.gui.widgets.date_fields import utc_wall_edit as keep_wall_clock

logger = logging.getLogger(__name__)

DATE_TIME_FORMAT = "ddd d MMM yyyy  HH:mm"
SAVE_FAILED = "The invite could not be saved"
NEW_APPLICATION = None  # the data of the "New application" entry
_INCLUDE, _NAME, _EMAIL, _PART, _CONTACT = range(5)


@cache
def _zone_names() -> list[str]:
    # Reading the zone database's folder takes ~10 ms: once per run is enough.
    return sorted(available_timezones())


def _zone_name(context: AppContext) -> str:
    return str(getattr(context.now().tzinfo, "key", "UTC"))


class InvitePreviewDialog(QDialog):
    """Preview and edit one invite; ``saved`` carries the interview record."""

    saved = Signal(object)

    def __init__(
        self, context: AppContext, plan: InvitePlan, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.plan = plan
        self.draft = default_draft(plan, zone=_zone_name(context))
        invite = plan.invite
        self.setWindowTitle("Cancelled interview" if invite.cancelled else "Import invite")
        self.setObjectName("invite_preview")
        self.setSizeGripEnabled(True)
        self.resize(720, 640)
        outer = QVBoxLayout(self)
        self.headline = QLabel(self._headline())
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.headline.setAccessibleName("What this import does")
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.headline.setFont(font)
        outer.addWidget(self.headline)
        self.notice = QLabel(self._notice())
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName("Please check")
        self.notice.setVisible(bool(self.notice.text()))
        outer.addWidget(self.notice)
        outer.addWidget(self._application_box())
        outer.addWidget(self._when_box())
        outer.addWidget(self._people_box(), 1)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setAccessibleName("Problem")
        self.error.setStyleSheet(f"color: {error_color(self.palette())};")
        self.error.hide()
        outer.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = QPushButton(
            "Mark as cancelled" if invite.cancelled else "Save interview"
        )
        self.save_button.setAccessibleName(self.save_button.text())
        self.save_button.setDefault(True)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        if plan.stale or (invite.cancelled and plan.interview_id is None):
            self.save_button.setEnabled(False)
        if invite.cancelled:
            for box in self.findChildren(QGroupBox):
                box.setEnabled(False)
        self._load()

    # -- building ------------------------------------------------------------------------------

    def _headline(self) -> str:
        plan, invite = self.plan, self.plan.invite
        title = invite.summary or "Untitled event"
        if invite.cancelled:
            if plan.interview_id is None:
                return f"“{title}” was cancelled, but it is not in Afterword: nothing to do."
            return f"“{title}” was cancelled. Mark the interview as cancelled?"
        if plan.stale:
            return (
                f"A newer version of “{title}” was imported already "
                f"(version {plan.stored_sequence}): nothing to change."
            )
        if plan.interview_id is not None:
            moved = ""
            if plan.stored_start is not None and plan.stored_start != self.draft.starts_at:
                zone = ZoneInfo(self.draft.timezone)
                before = plan.stored_start.astimezone(zone)
                after = self.draft.starts_at.astimezone(zone)
                moved = f" It moves from {before:%a %d %b %H:%M} to {after:%a %d %b %H:%M}."
            return f"Update the interview “{title}” (version {invite.sequence}).{moved}"
        return f"New interview from “{title}”."

    def _notice(self) -> str:
        invite = self.plan.invite
        if invite.all_day:
            return "This is an all-day event: set the time the interview starts."
        if invite.floating:
            return "The invite does not say its time zone: choose the zone it means."
        return ""

    def _application_box(self) -> QGroupBox:
        box = QGroupBox("Application")
        form = form_layout()
        box.setLayout(form)
        self.application = QComboBox()
        self.application.setAccessibleName("Application")
        self.application.addItem("New application", NEW_APPLICATION)
        for choice in self.plan.applications:
            self.application.addItem(choice.label, choice.id)
        self.company = QLineEdit()
        self.company.setAccessibleName("Company")
        self.role = QLineEdit()
        self.role.setAccessibleName("Role")
        form.addRow("&Belongs to", self.application)
        form.addRow("&Company", self.company)
        form.addRow("R&ole", self.role)
        self.application.currentIndexChanged.connect(self._new_application_fields)
        return box

    def _when_box(self) -> QGroupBox:
        box = QGroupBox("When and where")
        form = form_layout()
        box.setLayout(form)
        self.starts = QDateTimeEdit()
        self.starts.setAccessibleName("Starts")
        self.starts.setCalendarPopup(True)
        self.starts.setDisplayFormat(DATE_TIME_FORMAT)
        keep_wall_clock(self.starts)
        self.zone = QComboBox()
        self.zone.setAccessibleName("Time zone")
        self.zone.setEditable(True)
        self.zone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.zone.addItems(_zone_names())
        self.zone.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.zone.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.duration = QSpinBox()
        self.duration.setAccessibleName("Duration")
        self.duration.setRange(1, MAX_DURATION_MINUTES)
        self.duration.setSingleStep(15)
        self.duration.setSuffix(" min")
        self.ends = QLabel()
        self.ends.setAccessibleName("Ends")
        when = QHBoxLayout()
        when.addWidget(self.starts, 2)
        when.addWidget(self.zone, 2)
        length = QHBoxLayout()
        length.addWidget(self.duration)
        length.addWidget(self.ends, 1)
        self.round_name = QLineEdit()
        self.round_name.setAccessibleName("Round")
        self.location = QLineEdit()
        self.location.setAccessibleName("Place or link")
        self.video_link = QLineEdit()
        self.video_link.setAccessibleName("Video link")
        self.video_link.setPlaceholderText("No Teams, Zoom, Meet or Webex link found")
        self.service = QLabel()
        link = QHBoxLayout()
        link.addWidget(self.video_link, 1)
        link.addWidget(self.service)
        form.addRow(self._label("&Starts", self.starts), when)
        form.addRow(self._label("&Duration", self.duration), length)
        form.addRow("&Round", self.round_name)
        form.addRow("&Place", self.location)
        form.addRow(self._label("&Video link", self.video_link), link)
        self.starts.dateTimeChanged.connect(self._show_end)
        self.zone.currentTextChanged.connect(self._show_end)
        self.duration.valueChanged.connect(self._show_end)
        self.video_link.textChanged.connect(lambda text: self.service.setText(service_name(text)))
        return box

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        """A row label whose Alt+letter focuses ``buddy`` (rows holding a layout need one)."""
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def _people_box(self) -> QGroupBox:
        box = QGroupBox("People (become contacts; untick to leave someone out)")
        layout = QVBoxLayout(box)
        self.people = QTableWidget(0, 5)
        self.people.setAccessibleName("People")
        self.people.setHorizontalHeaderLabels(["", "Name", "Email", "Part", "Contact"])
        header = self.people.horizontalHeader()
        header.setSectionResizeMode(_INCLUDE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(_EMAIL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(_PART, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(_CONTACT, QHeaderView.ResizeMode.ResizeToContents)
        self.people.verticalHeader().hide()
        self.people.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        layout.addWidget(self.people)
        self.notes = TextBox("Interview notes", 2)
        notes_row = QHBoxLayout()
        notes_row.addWidget(QLabel("Notes"))
        notes_row.addWidget(self.notes, 1)
        layout.addLayout(notes_row)
        return box

    def _load(self) -> None:
        draft = self.draft
        index = self.application.findData(draft.application_id)
        self.application.setCurrentIndex(max(index, 0))
        self.company.setText(draft.company)
        self.role.setText(draft.role)
        self._new_application_fields()
        self.zone.setCurrentText(draft.timezone)
        self.starts.setDateTime(wall_clock(draft.starts_at, draft.timezone))
        self.duration.setValue(min(draft.duration_minutes, MAX_DURATION_MINUTES))
        self.round_name.setText(draft.round_name)
        self.location.setText(draft.location)
        self.video_link.setText(draft.video_link)
        for edit in (self.company, self.role, self.round_name, self.location, self.video_link):
            edit.setCursorPosition(0)  # long links show their start, not their end
        self.notes.setPlainText(draft.notes)
        for person in draft.people:
            self._add_person(person)
        self._show_end()

    def _add_person(self, person: InvitePersonDraft) -> None:
        row = self.people.rowCount()
        self.people.insertRow(row)
        include = QTableWidgetItem()
        include.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        include.setCheckState(Qt.CheckState.Checked)
        include.setData(Qt.ItemDataRole.UserRole, person)
        include.setData(Qt.ItemDataRole.AccessibleTextRole, f"Include {person.name}")
        self.people.setItem(row, _INCLUDE, include)
        self.people.setItem(row, _NAME, QTableWidgetItem(person.name))
        fixed = Qt.ItemFlag.ItemIsEnabled
        for column, text in (
            (_EMAIL, person.email),
            (_PART, "Recruiter (organizer)" if person.organizer else "Interviewer"),
            (_CONTACT, "Known contact" if person.contact_id else "New contact"),
        ):
            item = QTableWidgetItem(text)
            item.setFlags(fixed)
            self.people.setItem(row, column, item)

    # -- behaviour -----------------------------------------------------------------------------

    def _new_application_fields(self) -> None:
        new = self.application.currentData() is NEW_APPLICATION
        self.company.setEnabled(new)
        self.role.setEnabled(new)

    def _zone(self) -> ZoneInfo | None:
        try:
            return ZoneInfo(self.zone.currentText().strip())
        except (ValueError, KeyError, OSError):
            return None

    def _show_end(self) -> None:
        zone = self._zone()
        if zone is None:
            self.ends.setText("Unknown time zone")
            return
        starts = aware(self.starts.dateTime(), zone)
        # Added in UTC: across a daylight-saving change the wall clock is not the length.
        ends = (starts.astimezone(UTC) + timedelta(minutes=self.duration.value())).astimezone(zone)
        day = "" if ends.date() == starts.date() else f"{ends:%a %d %b} "
        self.ends.setText(f"ends {day}{ends:%H:%M} ({ends.tzname()})")

    def values(self) -> InviteDraft:
        """The draft as the dialog shows it now."""
        zone_name = self.zone.currentText().strip()
        zone = self._zone() or ZoneInfo("UTC")
        people = []
        for row in range(self.people.rowCount()):
            include = self.people.item(row, _INCLUDE)
            if include.checkState() != Qt.CheckState.Checked:
                continue
            person: InvitePersonDraft = include.data(Qt.ItemDataRole.UserRole)
            name = self.people.item(row, _NAME).text().strip()
            people.append(
                InvitePersonDraft(
                    name=name,
                    email=person.email,
                    organizer=person.organizer,
                    contact_id=person.contact_id,
                )
            )
        return InviteDraft(
            uid=self.draft.uid,
            sequence=self.draft.sequence,
            application_id=self.application.currentData(),
            company=self.company.text(),
            role=self.role.text(),
            starts_at=aware(self.starts.dateTime(), zone),
            timezone=zone_name,
            duration_minutes=self.duration.value(),
            round_name=self.round_name.text(),
            location=self.location.text(),
            video_link=self.video_link.text().strip(),
            notes=self.notes.text(),
            people=tuple(people),
        )

    def save(self) -> None:
        """Write through ``context.ops``; the dialog closes once it is saved."""
        self.error.hide()
        if self.plan.invite.cancelled:
            self.context.ops.write(
                cancel_invite,
                self.context.db,
                self.plan.invite,
                now=self.context.now(),
                initiator=self,
                on_success=if_alive(self, self._saved),
                on_failure=failure_if_alive(self, self._failed, SAVE_FAILED),
            )
        else:
            self.context.ops.write(
                save_invite,
                self.context.db,
                self.values(),
                now=self.context.now(),
                initiator=self,
                on_success=if_alive(self, self._saved),
                on_failure=failure_if_alive(self, self._failed, SAVE_FAILED),
            )
        self.save_button.setEnabled(False)

    def _saved(self, record: object) -> None:
        logger.info("Invite saved as interview %s", getattr(record, "id", "?"))
        self.saved.emit(record)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        logger.info("Invite not saved: %s", type(error).__name__)
        if isinstance(error, ValidationError):
            text = f"{error.field.replace('_', ' ').capitalize()}: {error.problem}"
        else:
            text = str(error)
        self.error.setText(f"Not saved. {text}")
        self.error.show()
