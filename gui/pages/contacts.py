"""Contacts: everyone met in interviews, kept beyond any one application.

A table with a search box (the core's contact search: name, email, company,
title) and, beside it, the selected person: their details, LinkedIn profile
(opened in the browser), stay-in-touch cadence, the interviews they were in,
the touchpoints logged with them (a referral's outcome is updated from its
row), and their checklist. "Log a touchpoint"
records an email, LinkedIn message, call, letter or meeting. Loading, the
forms, delete and its undo work as on every list page (see
:mod:`afterword.gui.widgets.list_detail`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from afterword.core.checklist.service import checklist_for_contact
from afterword.core.contacts import delete_contact, get_contact, list_contacts, restore_contact
from afterword.core.interviews import list_interviews_for_contact
from afterword.core.storage.records import ContactRecord
from afterword.core.touchpoints import list_touchpoints
from afterword.gui.context import AppContext
from afterword.gui.dialogs.contact_form import ContactForm, open_profile
from afterword.gui.dialogs.interview_form import interview_when
from afterword.gui.dialogs.touchpoint_dialog import TouchpointDialog
from afterword.gui.forms import FormDialog
from afterword.gui.icons import icon
from afterword.gui.models.contacts_model import ContactsModel, cadence_text
from afterword.gui.widgets.checklist.text import day_text
from afterword.gui.widgets.checklist.view import ChecklistView
from afterword.gui.widgets.flow_layout import flow_row
from afterword.gui.widgets.list_page import FOLLOW_UP_KINDS, ListDetailPage
from afterword.gui.widgets.record_detail import Details, RecordDetail
from afterword.gui.widgets.touchpoint_list import TouchpointList

if TYPE_CHECKING:
    from afterword.core.storage.db import Database

logger = logging.getLogger(__name__)


def load_contact(db: Database, contact_id: int, now: datetime) -> Details[ContactRecord]:
    return Details(
        get_contact(db, contact_id),
        list_interviews_for_contact(db, contact_id),
        checklist_for_contact(db, contact_id, now),
        list_touchpoints(db, contact_id),
    )


class ContactDetail(RecordDetail[ContactRecord]):
    """The selected contact: details, interviews, touchpoints and checklist."""

    noun = "contact"
    prompt = "Select a contact to see what you shared with them."
    log_requested = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.name = self.heading
        self.role = QLabel()
        self.role.setWordWrap(True)
        self.role.setTextFormat(Qt.TextFormat.PlainText)
        self.role.setAccessibleName("Title and company")
        self.log_button = QPushButton(icon("add"), "Log a touchpoint…")
        self.log_button.setAccessibleName("Log a touchpoint")
        self.log_button.setToolTip("Record an email, LinkedIn message, call, letter or meeting")
        self.log_button.clicked.connect(self.log_requested)
        self.linkedin_button = QPushButton("LinkedIn profile")
        self.linkedin_button.setAccessibleName("Open the LinkedIn profile in the browser")
        self.linkedin_button.clicked.connect(self._open_linkedin)
        # Wrapped onto more rows in a narrow pane, never squeezed until cut off.
        buttons = flow_row(self.log_button, self.linkedin_button, self.edit_button)

        self.fields = QFormLayout()
        self.fields.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.fields.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.email = self.add_value(self.fields, "Email")
        self.phone = self.add_value(self.fields, "Phone")
        self.stay_in_touch = self.add_value(self.fields, "Stay in touch")
        self.notes = self.add_value(self.fields, "Notes")

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("About this contact")
        self.interview_list = QListWidget()
        self.interview_list.setAccessibleName("Interviews with this contact")
        self.interview_list.setWordWrap(True)
        self.interview_list.setAlternatingRowColors(True)
        self.interview_list.itemActivated.connect(self._open_interview)
        self.touchpoint_list = TouchpointList(context)
        self.checklist = ChecklistView(context)
        self.tabs.addTab(self.touchpoint_list, "Touchpoints")
        self.tabs.addTab(self.interview_list, "Interviews")
        self.tabs.addTab(self.checklist, "Checklist")

        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.name)
        layout.addWidget(self.role)
        layout.addLayout(buttons)
        layout.addLayout(self.fields)
        layout.addWidget(self.tabs, 1)

    def fetch(self, record_id: int) -> Callable[[], Details[ContactRecord]]:
        return partial(load_contact, self.context.db, record_id, self.context.now())

    def fill(self, loaded: Details[ContactRecord]) -> None:
        record, interviews, touchpoints = loaded.record, loaded.interviews, loaded.touchpoints
        now = self.context.now()
        today = now.date()
        self.name.setText(record.name)
        role = " at ".join(part for part in (record.title, record.company) if part)
        self.role.setText(role)
        self.role.setVisible(bool(role))
        self.email.setText(record.email or "—")
        self.phone.setText(record.phone or "—")
        cadence = cadence_text(record.cadence_days) or "No reminders"
        if record.last_contacted_at is not None:
            last = record.last_contacted_at.astimezone(now.tzinfo).date()
            cadence += f" · last contacted {day_text(last, today)}"
        self.stay_in_touch.setText(cadence)
        self.notes.setText(record.notes or "—")
        self.linkedin_button.setVisible(bool(record.linkedin_url))
        self.linkedin_button.setToolTip(record.linkedin_url)

        self.interview_list.clear()
        for interview in interviews:
            notes = next((p.notes for p in interview.participants if p.contact_id == record.id), "")
            text = (
                f"{interview.role} at {interview.company} · {interview.round_name or 'Interview'}"
                f"\n{interview_when(interview, now)}"
            )
            if notes:
                text += f"\nNotes: {notes}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, interview.application_id)
            item.setToolTip("Open the application (Enter)")
            self.interview_list.addItem(item)
        if not interviews:
            self._empty(self.interview_list, "Not in any interview yet.")

        self.touchpoint_list.show_touchpoints(touchpoints, now)
        self.tabs.setTabText(0, f"Touchpoints ({len(touchpoints)})")
        self.tabs.setTabText(1, f"Interviews ({len(interviews)})")
        open_items = sum(1 for item in loaded.items if item.is_actionable)
        self.tabs.setTabText(2, f"Checklist ({open_items})" if open_items else "Checklist")
        self.checklist.set_items(loaded.items)

    @staticmethod
    def _empty(target: QListWidget, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        target.addItem(item)

    def _open_linkedin(self) -> None:
        if self.record is not None:
            open_profile(self.record.linkedin_url)

    def _open_interview(self, item: QListWidgetItem) -> None:
        application_id = item.data(Qt.ItemDataRole.UserRole)
        opener = getattr(self.window(), "open_application", None)
        if application_id is not None and opener is not None:
            opener(int(application_id))


class ContactsPage(ListDetailPage[ContactRecord]):
    """The Contacts screen (see the module docstring)."""

    open_requested = Signal(object)  # ChecklistItem

    title = "Contacts"
    noun = "contact"
    # The detail gets a little more than half the width (its buttons and checklist
    # wrap when narrow); the table's six columns scroll sideways.
    sizes = (460, 540)
    shown = FOLLOW_UP_KINDS
    model_class = ContactsModel
    detail_class = ContactDetail
    delete_call = delete_contact
    restore_call = restore_contact
    # The hooks the main window calls.
    show_contact = ListDetailPage.show_record
    new_contact = ListDetailPage.new_record

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.search.setPlaceholderText("Search name, email, company, title")
        self.search.setToolTip("Search by name, email, company or title (Ctrl+F)")
        self.empty.setText(
            "No contacts yet.\nPeople you add to interviews appear here, or add one with "
            "“New contact…”."
        )
        self.detail.log_requested.connect(self.log_touchpoint)
        self.detail.checklist.open_requested.connect(self.open_requested)

    # -- loading: the core searches ---------------------------------------------------------------

    def rows_call(self) -> Callable[[], list[ContactRecord]]:
        # The search text as the worker thread will use it: read now, never the widget there.
        return partial(list_contacts, self.context.db, query=self.search.text())

    def apply_rows(self, rows: list[ContactRecord]) -> None:
        self.model.show_rows(rows)

    def search_in_core(self) -> None:
        self.load_rows()

    def count_text(self) -> str:
        shown = self.model.rowCount()
        noun = "contact" if shown == 1 else "contacts"
        return f"{shown:,} {noun} match" if self.search.text() else f"{shown:,} {noun}"

    def is_empty(self) -> bool:
        return self.model.rowCount() == 0 and not self.search.text()

    # -- forms ------------------------------------------------------------------------------------

    def edit_form(self, record: ContactRecord | None) -> FormDialog:
        return ContactForm(self.context, record, self)

    def log_touchpoint(self) -> None:
        record = self.detail.record
        if record is None:
            return
        self._open_form(
            TouchpointDialog(self.context, record, self),
            lambda _touchpoint: self.detail.tabs.setCurrentIndex(0),
        )

    # -- delete -----------------------------------------------------------------------------------

    def delete_question(self, record: ContactRecord) -> str:
        count = len(self.detail.interviews)
        places = f"They leave the {count} interview{'s' if count != 1 else ''} they were in. "
        return (
            f"Delete {record.name} and the touchpoints logged with them?\n\n"
            f"{places if count else ''}Interviews and applications stay. "
            "You can undo this until you close Afterword."
        )
