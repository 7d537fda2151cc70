"""Applications: the table of every application and, beside it, the one selected.

The table (company, role, status, next interview, next due item) sorts on a
click on its header and filters as the person types in the search box; see
:mod:`afterword.gui.models.applications_model` for how 10,000 rows stay quick. The
detail pane shows the selected application's fields, its interviews and its
checklist, where items are checked, dismissed and snoozed in place.

New, edit and delete go through the forms in :mod:`afterword.gui.dialogs`; loading,
searching, the forms, delete and its undo work as on every list page (see
:mod:`afterword.gui.widgets.list_detail`).
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

from afterword.core.applications import (
    delete_application,
    get_application,
    list_applications,
    restore_application,
)
from afterword.core.checklist.items import ChecklistItem
from afterword.core.checklist.service import checklist_for_application, next_due_by_application
from afterword.core.interviews import delete_interview, list_interviews
from afterword.core.people import CompanyPerson, people_at_company
from afterword.core.storage.changes import Kind
from afterword.core.storage.records import ApplicationRecord, InterviewRecord
from afterword.core.storage.values import DECIDED_STATUSES
from afterword.gui.context import AppContext
from afterword.gui.dialogs.application_form import ApplicationForm
from afterword.gui.dialogs.company_people import CompanyPeopleDialog, offer_text
from afterword.gui.dialogs.interview_form import (
    OUTCOME_LABELS,
    InterviewForm,
    interview_summary,
    interview_when,
)
from afterword.gui.forms import FormDialog, confirm
from afterword.gui.icons import icon
from afterword.gui.models import settle_heap
from afterword.gui.models.applications_model import (
    STATUS_LABELS,
    ApplicationRow,
    ApplicationsModel,
    prepare_rows,
)
from afterword.gui.widgets.checklist.text import day_text
from afterword.gui.widgets.checklist.view import ChecklistView
from afterword.gui.widgets.list_page import FOLLOW_UP_KINDS, ListDetailPage
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


def load_rows(db: Database, now: datetime) -> list[ApplicationRow]:
    return prepare_rows(list_applications(db, now=now))


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
        self.edit_button.setToolTip("Edit the application (Enter in the table)")

        # The heading has the pane's whole width, so it wraps only when it must.
        status_lines = QVBoxLayout()
        status_lines.setSpacing(2)
        status_lines.addWidget(self.subtitle)
        status_lines.addWidget(self.posting)
        # Who you know at the company, across applications (hidden when nobody).
        self.people_button = QPushButton()
        self.people_button.setFlat(True)
        self.people_button.hide()
        self.people_button.clicked.connect(self.show_company_people)
        self.offer_people_for: int | None = None  # a new application: say who you know
        status_lines.addWidget(self.people_button, 0, Qt.AlignmentFlag.AlignLeft)
        status_row = QHBoxLayout()
        status_row.addLayout(status_lines, 1)
        status_row.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        header = QVBoxLayout()
        header.setSpacing(4)
        header.addWidget(self.title)
        header.addLayout(status_row)

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
        interview_buttons = QHBoxLayout()
        interview_buttons.addWidget(self.add_interview_button)
        interview_buttons.addWidget(self.edit_interview_button)
        interview_buttons.addWidget(self.delete_interview_button)
        self.calendar_button = QPushButton(icon("today"), "Add to calendar…")
        self.calendar_button.setAccessibleName("Add interview to calendar")
        self.calendar_button.setToolTip("Save the interview as an .ics file, with a reminder")
        self.calendar_button.clicked.connect(self._add_current_to_calendar)
        interview_buttons.addWidget(self.calendar_button)
        self.prepare_button = QPushButton("Before you go in…")
        self.prepare_button.setAccessibleName("Before you go in")
        self.prepare_button.setToolTip(
            "The people you will meet, your reason, what to ask at the end: print it or send it"
        )
        self.prepare_button.clicked.connect(self._prepare_current_interview)
        interview_buttons.addWidget(self.prepare_button)
        interview_buttons.addStretch(1)
        interviews_layout = QVBoxLayout(interviews_box)
        interviews_layout.addLayout(interview_buttons)
        interviews_layout.addWidget(self.interview_list)

        checklist_box = QGroupBox("Checklist")
        # Icons only: in the narrow detail pane the labels were squeezed to "Ma…ne".
        self.checklist = ChecklistView(context, checklist_box, compact=True)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName("What changed")
        self.banner.hide()
        checklist_layout = QVBoxLayout(checklist_box)
        checklist_layout.addWidget(self.banner)
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
        self._update_buttons()
        self.context.ops.read(
            f"company-people-{id(self)}",
            people_at_company,
            self.context.db,
            record.company,
            on_success=partial(self._people_arrived, record),
        )

    def _people_arrived(self, record: ApplicationRecord, people: list[CompanyPerson]) -> None:
        if self.record is None or self.record.id != record.id:
            return  # another application is shown by now
        company = record.company.replace("&", "&&")  # not a keyboard shortcut
        self.people_button.setText(f"People at {company} ({len(people)})…")
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


class ApplicationsPage(ListDetailPage[ApplicationRecord]):
    """The Applications screen (see the module docstring)."""

    title = "Applications"
    noun = "application"
    # The table gets about 60% of the width at first, and of any width added later.
    sizes = (640, 400)
    # The follow-up settings decide when checklist items fall due.
    shown = (*FOLLOW_UP_KINDS, Kind.SETTINGS)
    model_class = ApplicationsModel
    detail_class = ApplicationDetail
    delete_call = delete_application
    restore_call = restore_application

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.search.setPlaceholderText("Search company, role, person")
        self.search.setToolTip("Search by company, role or the name of someone you met (Ctrl+F)")
        self.new_button.setToolTip("Add an application (Ctrl+N)")
        self.empty.setText(
            "No applications yet.\nAdd the first one with “New application…” (Ctrl+N)."
        )
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setAccessibleName("Columns: click one to sort by it")
        # -1: the core's order (most recently changed first) until a header is clicked.
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.detail.new_interview_requested.connect(self.new_interview)
        self.detail.edit_interview_requested.connect(self.edit_interview)
        self.detail.delete_interview_requested.connect(self.delete_interview)
        self.detail.checklist.open_requested.connect(self._open_item)

    # The hooks the main window calls.
    show_application = ListDetailPage.show_record

    def new_application(self) -> None:
        self.new_record()

    def new_record(self) -> None:
        self._open_form(self.edit_form(None), self._new_saved)

    def _new_saved(self, record: ApplicationRecord) -> None:
        # A company you already know someone at: its detail says who, once loaded.
        self.detail.offer_people_for = record.id
        self._select_saved(record)

    # -- loading and search ---------------------------------------------------------------------

    def load_rows(self) -> None:
        super().load_rows()
        self.load_next_due()

    def load_next_due(self) -> None:
        self.context.ops.read(
            f"{self._key}-next-due",
            next_due_by_application,
            self.context.db,
            self.context.now(),
            on_success=self._next_due_arrived,
            failure_title="The list could not be loaded",
        )

    def _next_due_arrived(self, next_due: dict[int, ChecklistItem]) -> None:
        self.model.set_next_due(next_due)
        settle_heap()

    def rows_call(self) -> Callable[[], list[ApplicationRow]]:
        return partial(load_rows, self.context.db, self.context.now())

    def apply_rows(self, rows: list[ApplicationRow]) -> None:
        self.model.set_rows(rows)

    def search_changed(self, text: str) -> None:
        # Everything the search matches is in the rows: filtered within the keystroke.
        self.model.set_query(text)

    def count_text(self) -> str:
        shown, total = self.model.rowCount(), self.model.total()
        if self.model.query.strip():
            return f"{shown:,} of {total:,} applications match"
        return f"{total:,} application{'s' if total != 1 else ''}"

    def is_empty(self) -> bool:
        return self.model.total() == 0

    # -- forms ----------------------------------------------------------------------------------

    def edit_form(self, record: ApplicationRecord | None) -> FormDialog:
        return ApplicationForm(self.context, record, self)

    def new_interview(self) -> None:
        record = self.detail.record
        if record is not None:
            self._open_form(InterviewForm(self.context, record, None, self), self._interview_saved)

    def _interview(self, interview_id: int) -> InterviewRecord | None:
        return next((i for i in self.detail.interviews if i.id == interview_id), None)

    def edit_interview(self, interview_id: int) -> None:
        record, interview = self.detail.record, self._interview(interview_id)
        if record is None or interview is None:
            return
        self._open_form(InterviewForm(self.context, record, interview, self), self._interview_saved)

    def _interview_saved(self, interview: InterviewRecord) -> None:
        self.show_application(interview.application_id)
        if interview.outcome is not None:
            outcome = OUTCOME_LABELS[interview.outcome].lower()
            self.detail.show_banner(
                f"Outcome recorded: {outcome}. The checklist below shows what to do next."
            )

    def delete_interview(self, interview_id: int) -> None:
        interview = self._interview(interview_id)
        if interview is None:
            return
        when = interview_when(interview, self.context.now())
        if not confirm(
            self,
            "Delete interview",
            f"Delete the interview on {when}? The people in it stay in your contacts.",
            "Delete interview",
        ):
            return
        self.context.ops.write(delete_interview, self.context.db, interview_id, initiator=self)

    def _open_item(self, item: ChecklistItem) -> None:
        if item.interview_id is not None:
            self.edit_interview(item.interview_id)
        else:
            self.edit_selected()

    # -- delete -----------------------------------------------------------------------------------

    def delete_question(self, record: ApplicationRecord) -> str:
        count = len(self.detail.interviews)
        interviews = f" and its {count} interview{'s' if count != 1 else ''}" if count else ""
        return (
            f"Delete “{record.role} at {record.company}”{interviews}?\n\n"
            "Contacts and sent messages stay. You can undo this until you close Afterword."
        )
