"""An application's detail pane on the Applications page: its fields, who you know
at the company, its interviews with their buttons, and its checklist.

The header says the status; "Write a note ▾" (:mod:`afterword.gui.pages.application_note`)
and "People you know (n)…" sit under it, with the banner that says who you know
at the company of a new application or which outcome was just recorded. The
button rows wrap onto more rows in a narrow pane
(:class:`afterword.gui.widgets.flow_layout.FlowLayout`) rather than cut labels off.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from afterword.core.applications import get_application
from afterword.core.checklist.service import checklist_for_application
from afterword.core.interviews import list_interviews
from afterword.core.people import CompanyPerson, people_at_company
from afterword.core.storage.records import ApplicationRecord
from afterword.core.storage.values import DECIDED_STATUSES
from afterword.gui.context import AppContext
from afterword.gui.dialogs.company_people import (
    CompanyPeopleDialog,
    offer_text,
    people_button_text,
)
from afterword.gui.dialogs.interview_form import interview_summary
from afterword.gui.icons import icon
from afterword.gui.models.applications_model import STATUS_LABELS
from afterword.gui.pages.application_note import NoteButton
from afterword.gui.widgets.checklist.text import day_text
from afterword.gui.widgets.checklist.view import ChecklistView
from afterword.gui.widgets.flow_layout import flow_row
from afterword.gui.widgets.record_detail import Details, RecordDetail

if TYPE_CHECKING:
    from afterword.core.storage.db import Database

logger = logging.getLogger(__name__)


def load_application(
    db: Database, application_id: int, now: datetime
) -> Details[ApplicationRecord]:
    return Details(
        get_application(db, application_id),
        list_interviews(db, application_id),
        checklist_for_application(db, application_id, now),
    )


class ApplicationDetail(RecordDetail[ApplicationRecord]):
    """The selected application: its fields, its interviews, its checklist."""

    noun = "application"
    prompt = "Select an application to see its interviews and checklist."
    new_interview_requested = Signal()
    edit_interview_requested = Signal(int)
    delete_interview_requested = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.title = self.heading
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.subtitle.setAccessibleName("Status")
        self.posting = QLabel()
        self.posting.setTextFormat(Qt.TextFormat.RichText)
        self.posting.setOpenExternalLinks(False)
        self.posting.linkActivated.connect(lambda url: QDesktopServices.openUrl(QUrl(url)))
        self.posting.setAccessibleName("Job posting")
        # A long address wraps after its slashes (see fill) instead of widening the pane.
        self.posting.setWordWrap(True)
        self.edit_button.setToolTip("Edit the application (Enter in the table)")

        # The heading has the pane's whole width, so it wraps only when it must.
        status_lines = QVBoxLayout()
        status_lines.setSpacing(2)
        status_lines.addWidget(self.subtitle)
        status_lines.addWidget(self.posting)
        status_row = QHBoxLayout()
        status_row.addLayout(status_lines, 1)
        status_row.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        # After withdrawing or an offer: a note to someone met there.
        self.note_button = NoteButton(context)
        # Who you know at the company, across applications (hidden when nobody).
        self.people_button = QPushButton()
        self.people_button.setAccessibleName("People you know there")
        self.people_button.hide()
        self.people_button.clicked.connect(self.show_company_people)
        self.offer_people_for: int | None = None  # a new application: say who you know
        # Who you know there (for a new application), or the outcome just recorded.
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.banner.setMargin(6)
        self.banner.setAccessibleName("What changed")
        self.banner.hide()
        header = QVBoxLayout()
        header.setSpacing(4)
        header.addWidget(self.title)
        header.addLayout(status_row)
        header.addLayout(flow_row(self.note_button, self.people_button))
        header.addWidget(self.banner)

        self.details = QFormLayout()
        self.details.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.details.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.why = self.add_value(self.details, "Why I’m interested")
        self.next_steps = self.add_value(self.details, "Next steps")
        self.decision = self.add_value(self.details, "Decision expected", "Decision expected by")
        self.notes = self.add_value(self.details, "Notes")
        # What the job posting said (saved from the posting or a spreadsheet).
        self.location = self.add_value(self.details, "Location")
        self.salary = self.add_value(self.details, "Salary")
        self.date_posted = self.add_value(self.details, "Posted", "Date posted")
        self.description = self.add_value(self.details, "Job description")
        details_widget = QWidget()
        details_widget.setLayout(self.details)
        details_scroll = QScrollArea()
        details_scroll.setWidgetResizable(True)
        details_scroll.setFrameShape(QFrame.Shape.NoFrame)
        details_scroll.setWidget(details_widget)
        details_box = QGroupBox("Details")
        QVBoxLayout(details_box).addWidget(details_scroll)

        interviews_box = QGroupBox("Interviews")
        self.interview_list = QListWidget()
        self.interview_list.setAccessibleName("Interviews")
        self.interview_list.setWordWrap(True)
        self.interview_list.setAlternatingRowColors(True)
        self.interview_list.itemActivated.connect(lambda _item: self._edit_current_interview())
        self.interview_list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.add_interview_button = QPushButton(icon("add"), "Add interview…")
        self.add_interview_button.setAccessibleName("Add interview")
        self.add_interview_button.clicked.connect(self.new_interview_requested)
        self.edit_interview_button = QPushButton(icon("edit"), "Edit…")
        self.edit_interview_button.setAccessibleName("Edit interview")
        self.edit_interview_button.setToolTip("Edit the interview; record what happened after it")
        self.edit_interview_button.clicked.connect(self._edit_current_interview)
        self.delete_interview_button = QPushButton(icon("delete"), "Delete")
        self.delete_interview_button.setAccessibleName("Delete interview")
        self.delete_interview_button.clicked.connect(self._delete_current_interview)
        self.calendar_button = QPushButton(icon("today"), "Add to calendar…")
        self.calendar_button.setAccessibleName("Add interview to calendar")
        self.calendar_button.setToolTip("Save the interview as an .ics file, with a reminder")
        self.calendar_button.clicked.connect(self._add_current_to_calendar)
        self.prepare_button = QPushButton("Before you go in…")
        self.prepare_button.setAccessibleName("Before you go in")
        self.prepare_button.setToolTip(
            "The people you will meet, your reason, what to ask at the end: print it or send it"
        )
        self.prepare_button.clicked.connect(self._prepare_current_interview)
        interviews_layout = QVBoxLayout(interviews_box)
        # Wrapped onto more rows in a narrow pane, never squeezed until cut off.
        interviews_layout.addLayout(
            flow_row(
                self.add_interview_button,
                self.edit_interview_button,
                self.delete_interview_button,
                self.calendar_button,
                self.prepare_button,
            )
        )
        interviews_layout.addWidget(self.interview_list)

        checklist_box = QGroupBox("Checklist")
        # Icons only: in the narrow detail pane the labels were squeezed to "Ma…ne".
        self.checklist = ChecklistView(context, checklist_box, compact=True)
        # An application without interviews or a decision date has no steps yet:
        # say where they come from instead of an empty list.
        self.checklist_empty = QLabel(
            "Nothing to do yet. The steps appear here once you add an interview "
            "or record when they expect to decide.",
            checklist_box,
        )
        self.checklist_empty.setWordWrap(True)
        self.checklist_empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.checklist_empty.setAccessibleName("No checklist yet")
        checklist_layout = QVBoxLayout(checklist_box)
        checklist_layout.addWidget(self.checklist_empty)
        checklist_layout.addWidget(self.checklist)

        self.sections = QSplitter(Qt.Orientation.Vertical)
        self.sections.setChildrenCollapsible(False)
        for box in (details_box, interviews_box, checklist_box):
            self.sections.addWidget(box)
        self.sections.setStretchFactor(0, 3)
        self.sections.setStretchFactor(1, 2)
        self.sections.setStretchFactor(2, 4)
        self.sections.setSizes([170, 120, 400])

        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.sections, 1)
        self._update_buttons()

    # -- content ------------------------------------------------------------------------------

    def fetch(self, record_id: int) -> Callable[[], Details[ApplicationRecord]]:
        return partial(load_application, self.context.db, record_id, self.context.now())

    def fill(self, loaded: Details[ApplicationRecord]) -> None:
        record = loaded.record
        if self.record is None or self.record.id != record.id:
            self.banner.hide()
        now = self.context.now()
        self.title.setText(f"{record.role} at {record.company}")
        status = STATUS_LABELS[record.status]
        if record.decided_at is not None and record.status in DECIDED_STATUSES:
            decided = record.decided_at.astimezone(now.tzinfo).date()
            status = f"{status} ({day_text(decided, now.date())})"
        interested = "" if record.still_interested else " · no longer interested"
        self.subtitle.setText(f"Status: {status}{interested}")
        if record.posting_url:
            link = record.posting_url.replace("&", "&amp;").replace('"', "&quot;")
            text = record.posting_url.replace("&", "&amp;").replace("<", "&lt;")
            text = text.replace("/", "/\u200b")  # a zero-width space: a place to wrap
            self.posting.setText(f'<a href="{link}">{text}</a>')
            self.posting.setToolTip("Open the job posting in the browser")
        self.posting.setVisible(bool(record.posting_url))
        self.why.setText(record.why_interested or "Not written yet: the thank-you notes use it.")
        self.next_steps.setText(record.next_steps or "Not recorded yet.")
        self.decision.setText(
            day_text(record.decision_expected, now.date())
            if record.decision_expected
            else "Not known yet."
        )
        self.notes.setText(record.notes or "—")
        posted = day_text(record.date_posted, now.date()) if record.date_posted else ""
        for label, value in (
            (self.location, record.location),
            (self.salary, record.salary),
            (self.date_posted, posted),
            (self.description, record.description),
        ):
            label.setText(value)
            self.details.setRowVisible(label, bool(value))  # only what the posting said

        current = self.interview_list.currentRow()
        self.interview_list.clear()
        for interview in loaded.interviews:
            item = QListWidgetItem(interview_summary(interview, now))
            item.setData(Qt.ItemDataRole.UserRole, interview.id)
            self.interview_list.addItem(item)
        if not loaded.interviews:
            empty = QListWidgetItem("No interviews yet. Add one when you are invited.")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.interview_list.addItem(empty)
        elif 0 <= current < len(loaded.interviews):
            self.interview_list.setCurrentRow(current)
        self.checklist.set_items(loaded.items)
        self.checklist_empty.setVisible(not loaded.items)
        self.checklist.setVisible(bool(loaded.items))
        self.note_button.show_for(record, loaded.interviews)
        self._update_buttons()
        self.context.ops.read(
            f"company-people-{id(self)}",
            people_at_company,
            self.context.db,
            record.company,
            now=now,
            on_success=partial(self._people_arrived, record),
        )

    def _people_arrived(self, record: ApplicationRecord, people: list[CompanyPerson]) -> None:
        if self.record is None or self.record.id != record.id:
            return  # another application is shown by now
        self.people_button.setText(people_button_text(people))
        self.people_button.setToolTip(f"Everyone you know at {record.company}, and where you met")
        self.people_button.setVisible(bool(people))
        if self.offer_people_for == record.id:
            self.offer_people_for = None
            if people:
                self.show_banner(offer_text(record.company, people))

    def show_company_people(self) -> CompanyPeopleDialog | None:
        if self.record is None:
            return None
        dialog = CompanyPeopleDialog(self.context, self.record.company, self)
        dialog.show()
        return dialog

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()

    # -- interviews ---------------------------------------------------------------------------

    def current_interview_id(self) -> int | None:
        item = self.interview_list.currentItem()
        if item is None:
            return None
        value = item.data(Qt.ItemDataRole.UserRole)
        return int(value) if value is not None else None

    def _update_buttons(self) -> None:
        selected = self.current_interview_id() is not None
        self.edit_interview_button.setEnabled(selected)
        self.delete_interview_button.setEnabled(selected)
        self.calendar_button.setEnabled(selected)
        self.prepare_button.setEnabled(selected)

    def _edit_current_interview(self) -> None:
        interview_id = self.current_interview_id()
        if interview_id is not None:
            self.edit_interview_requested.emit(interview_id)

    def _add_current_to_calendar(self) -> None:
        interview_id = self.current_interview_id()
        if interview_id is not None:
            from afterword.gui.calendar_export import add_to_calendar

            add_to_calendar(self.context, interview_id, self)

    def _prepare_current_interview(self) -> None:
        interview_id = self.current_interview_id()
        if interview_id is not None:
            from afterword.gui.dialogs.prep_sheet import open_prep_sheet

            open_prep_sheet(self.context, interview_id, self)

    def _delete_current_interview(self) -> None:
        interview_id = self.current_interview_id()
        if interview_id is not None:
            self.delete_interview_requested.emit(interview_id)
