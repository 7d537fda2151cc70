"""Applications: the table of every application and, beside it, the one selected.

The table (company, role, status, next interview, next due item) sorts on a
click on its header and filters as the person types in the search box; see
:mod:`afterword.gui.models.applications_model` for how 10,000 rows stay quick. The
detail pane (:mod:`afterword.gui.pages.application_detail`) shows the selected
application's fields, its interviews and its checklist, where items are checked,
dismissed and snoozed in place.

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

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from afterword.core.applications import (
    delete_application,
    list_applications,
    restore_application,
)
from afterword.core.checklist.items import ChecklistItem
from afterword.core.checklist.service import next_due_by_application
from afterword.core.interviews import delete_interview
from afterword.core.storage.changes import Kind
from afterword.core.storage.records import ApplicationRecord, InterviewRecord
from afterword.gui.context import AppContext
from afterword.gui.dialogs.application_form import ApplicationForm
from afterword.gui.dialogs.interview_form import (
    OUTCOME_WORDS,
    InterviewForm,
    interview_when,
)
from afterword.gui.forms import FormDialog, confirm
from afterword.gui.models import settle_heap
from afterword.gui.models.applications_model import (
    ApplicationRow,
    ApplicationsModel,
    prepare_rows,
)
from afterword.gui.pages.application_detail import ApplicationDetail
from afterword.gui.widgets.list_page import FOLLOW_UP_KINDS, ListDetailPage

if TYPE_CHECKING:
    from afterword.core.storage.db import Database

logger = logging.getLogger(__name__)


def load_rows(db: Database, now: datetime) -> list[ApplicationRow]:
    return prepare_rows(list_applications(db, now=now))


class ApplicationsPage(ListDetailPage[ApplicationRecord]):
    """The Applications screen (see the module docstring)."""

    title = "Applications"
    noun = "application"
    # The detail pane gets about 60% of the width at first: its interviews and
    # checklist need it more than the table needs its columns.
    sizes = (420, 600)
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
            self.detail.show_banner(
                f"Outcome recorded: {OUTCOME_WORDS[interview.outcome]}. "
                "The checklist below shows what to do next."
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
