"""Contacts: everyone met in interviews, kept beyond any one application.

A table with a search box (the core's contact search: name, email, company,
title) and, beside it, the selected person: their details, LinkedIn profile
(opened in the browser), stay-in-touch cadence, the interviews they were in,
the touchpoints logged with them, and their checklist. "Log a touchpoint"
records an email, LinkedIn message, call, letter or meeting.
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import partial

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from afterword.core.checklist.items import ChecklistItem
from afterword.core.checklist.service import checklist_for_contact
from afterword.core.contacts import (
    DeletedContact,
    delete_contact,
    get_contact,
    list_contacts,
    restore_contact,
)
from afterword.core.errors import NotFoundError
from afterword.core.interviews import list_interviews_for_contact
from afterword.core.storage.records import ContactRecord, InterviewRecord, TouchpointRecord
from afterword.core.touchpoints import list_touchpoints
from afterword.gui.context import (
    APPLICATIONS,
    CHECKLIST,
    CONTACTS,
    INTERVIEWS,
    MESSAGES,
    TOUCHPOINTS,
    AppContext,
)
from afterword.gui.dialogs.contact_form import ContactForm, open_profile
from afterword.gui.dialogs.touchpoint_dialog import KIND_LABELS, PURPOSE_LABELS, TouchpointDialog
from afterword.gui.forms import FormDialog, UndoBar, confirm
from afterword.gui.icons import icon
from afterword.gui.models import BackgroundLoad
from afterword.gui.models.contacts_model import Column, ContactsModel, cadence_text
from afterword.gui.pages.applications import DETAIL_HEADING_SCALE, interview_when
from afterword.gui.theme import scaled_font
from afterword.gui.widgets.checklist.text import day_text
from afterword.gui.widgets.checklist.view import ChecklistView
from afterword.gui.widgets.list_detail import (
    empty_stack,
    lay_out_page,
    list_side,
    select_index,
    set_list_tab_order,
    setup_table,
)

logger = logging.getLogger(__name__)

RELEVANT = frozenset({CONTACTS, TOUCHPOINTS, INTERVIEWS, APPLICATIONS, CHECKLIST, MESSAGES})
SEARCH_DELAY_MS = 150
# The detail follows the selection once it rests this long.
DETAIL_DELAY_MS = 40
# Each column starts wide enough for a typical value; "Email" takes what is left.
# Cadence and date never need more.
COLUMN_FITS: dict[int, str] = {
    Column.NAME: "Hannah Lindqvist",
    Column.COMPANY: "Maple & Pine Software",
    Column.TITLE: "Principal Engineer",
    Column.STAY_IN_TOUCH: "Stay in touch",
    Column.LAST_CONTACTED: "Last contacted",
}
FIXED_COLUMNS = (Column.STAY_IN_TOUCH, Column.LAST_CONTACTED)
# Six columns: the table gets about two thirds of the width; the detail needs less.
SPLIT_SIZES = (680, 360)


class ContactDetail(QWidget):
    """The selected contact: details, interviews, touchpoints and checklist."""

    edit_requested = Signal()
    log_requested = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.record: ContactRecord | None = None
        self.interviews: list[InterviewRecord] = []
        self.touchpoints: list[TouchpointRecord] = []

        self.stack = QStackedWidget(self)
        self.placeholder = QLabel("Select a contact to see what you shared with them.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.stack.addWidget(self.placeholder)
        content = QWidget()
        self.stack.addWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

        self.name = QLabel()
        self.name.setFont(scaled_font(self, DETAIL_HEADING_SCALE))
        self.name.setWordWrap(True)
        self.name.setTextFormat(Qt.TextFormat.PlainText)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.role = QLabel()
        self.role.setWordWrap(True)
        self.role.setTextFormat(Qt.TextFormat.PlainText)
        self.role.setAccessibleName("Title and company")
        self.edit_button = QPushButton(icon("edit"), "Edit…")
        self.edit_button.setAccessibleName("Edit contact")
        self.edit_button.clicked.connect(self.edit_requested)
        self.log_button = QPushButton(icon("add"), "Log a touchpoint…")
        self.log_button.setAccessibleName("Log a touchpoint")
        self.log_button.setToolTip("Record an email, LinkedIn message, call, letter or meeting")
        self.log_button.clicked.connect(self.log_requested)
        self.linkedin_button = QPushButton("LinkedIn profile")
        self.linkedin_button.setAccessibleName("Open the LinkedIn profile in the browser")
        self.linkedin_button.clicked.connect(self._open_linkedin)
        buttons = QHBoxLayout()
        buttons.addWidget(self.log_button)
        buttons.addWidget(self.linkedin_button)
        buttons.addStretch(1)
        buttons.addWidget(self.edit_button)

        self.fields = QFormLayout()
        self.fields.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.email = self._value("Email")
        self.phone = self._value("Phone")
        self.stay_in_touch = self._value("Stay in touch")
        self.notes = self._value("Notes")
        for caption, label in (
            ("Email", self.email),
            ("Phone", self.phone),
            ("Stay in touch", self.stay_in_touch),
            ("Notes", self.notes),
        ):
            self.fields.addRow(f"<b>{caption}</b>", label)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("About this contact")
        self.interview_list = QListWidget()
        self.interview_list.setAccessibleName("Interviews with this contact")
        self.interview_list.setWordWrap(True)
        self.interview_list.setAlternatingRowColors(True)
        self.interview_list.itemActivated.connect(self._open_interview)
        self.touchpoint_list = QListWidget()
        self.touchpoint_list.setAccessibleName("Touchpoints")
        self.touchpoint_list.setWordWrap(True)
        self.touchpoint_list.setAlternatingRowColors(True)
        self.checklist = ChecklistView(context)
        self.tabs.addTab(self.touchpoint_list, "Touchpoints")
        self.tabs.addTab(self.interview_list, "Interviews")
        self.tabs.addTab(self.checklist, "Checklist")

        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.name)
        layout.addWidget(self.role)
        layout.addLayout(buttons)
        layout.addLayout(self.fields)
        layout.addWidget(self.tabs, 1)

    @staticmethod
    def _value(name: str) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAccessibleName(name)
        return label

    def show_contact(self, contact_id: int | None) -> None:
        if contact_id is None:
            self._clear()
            return
        db, now = self.context.db, self.context.now()
        try:
            record = get_contact(db, contact_id)
            interviews = list_interviews_for_contact(db, contact_id)
            touchpoints = list_touchpoints(db, contact_id)
            items = checklist_for_contact(db, contact_id, now)
        except NotFoundError:
            self._clear()
            return
        self.record, self.interviews, self.touchpoints = record, interviews, touchpoints
        self._fill(record, interviews, touchpoints, items, now)
        self.stack.setCurrentIndex(1)

    def reload(self) -> None:
        self.show_contact(self.record.id if self.record else None)

    def _clear(self) -> None:
        self.record = None
        self.interviews, self.touchpoints = [], []
        self.checklist.set_items([])
        self.stack.setCurrentIndex(0)

    def _fill(
        self,
        record: ContactRecord,
        interviews: list[InterviewRecord],
        touchpoints: list[TouchpointRecord],
        items: list[ChecklistItem],
        now: datetime,
    ) -> None:
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

        self.touchpoint_list.clear()
        for touchpoint in touchpoints:
            moment = touchpoint.occurred_at.astimezone(now.tzinfo)
            text = (
                f"{day_text(moment.date(), today)}, {moment:%H:%M} · "
                f"{KIND_LABELS[touchpoint.kind]} · {PURPOSE_LABELS[touchpoint.purpose]}"
            )
            if touchpoint.note:
                text += f"\n{touchpoint.note}"
            self.touchpoint_list.addItem(QListWidgetItem(text))
        if not touchpoints:
            self._empty(
                self.touchpoint_list,
                "No touchpoints yet. “Log a touchpoint…” records an email, call or letter.",
            )
        self.tabs.setTabText(0, f"Touchpoints ({len(touchpoints)})")
        self.tabs.setTabText(1, f"Interviews ({len(interviews)})")
        open_items = sum(1 for item in items if item.is_actionable)
        self.tabs.setTabText(2, f"Checklist ({open_items})" if open_items else "Checklist")
        self.checklist.set_items(items)

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


class ContactsPage(QWidget):
    """The Contacts screen (see the module docstring)."""

    write_thank_you_requested = Signal(int, object)  # interview id, contact id or None
    write_message_requested = Signal(object)  # ChecklistItem
    open_requested = Signal(object)  # ChecklistItem

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.form: FormDialog | None = None
        self.last_deleted: DeletedContact | None = None
        self._selected_id: int | None = None
        self._stale = True
        self._loaded_once = False
        # The search text as the loader (on a worker thread) reads it: never the widget.
        self._query = ""

        self.model = ContactsModel(context.clock, self)
        self.load = BackgroundLoad(context.tasks, self._load, self._apply)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search name, email, company, title")
        self.search.setAccessibleName("Search contacts")
        self.search.setToolTip("Search by name, email, company or title (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.textChanged.connect(self._on_search_text)
        self.new_button = QPushButton(icon("add"), "New contact…")
        self.new_button.setAccessibleName("New contact")
        self.new_button.clicked.connect(self.new_contact)
        self.delete_button = QPushButton(icon("delete"), "Delete…")
        self.delete_button.setAccessibleName("Delete contact")
        self.delete_button.setToolTip("Delete the selected contact (Delete); you can undo it")
        self.delete_button.clicked.connect(self.delete_selected)

        self.undo_bar = UndoBar("contact")
        self.undo_bar.undo_requested.connect(self.undo_delete)

        self.table = QTableView()
        setup_table(
            self.table,
            self.model,
            name="Contacts",
            header_name="Columns",
            fixed_columns=FIXED_COLUMNS,
            stretch_column=Column.EMAIL,
            fits=COLUMN_FITS,
        )
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.activated.connect(lambda _index: self.edit_selected())
        self.model.modelReset.connect(self._after_reset)
        self.count = QLabel()
        self.count.setAccessibleName("How many contacts are shown")
        self.table_stack, self.empty = empty_stack(
            self.table,
            "No contacts yet.\nPeople you add to interviews appear here, or add one with "
            "“New contact…”.",
        )
        left, self.undo_action = list_side(
            search=self.search,
            new_button=self.new_button,
            delete_button=self.delete_button,
            undo_bar=self.undo_bar,
            table_stack=self.table_stack,
            table=self.table,
            delete_text="Delete contact",
            on_delete=self.delete_selected,
            on_undo=self.undo_delete,
        )

        self.detail = ContactDetail(context)
        self.detail.edit_requested.connect(self.edit_selected)
        self.detail.log_requested.connect(self.log_touchpoint)
        self.detail.checklist.open_requested.connect(self.open_requested)
        self.detail.checklist.write_thank_you_requested.connect(self.write_thank_you_requested)
        self.detail.checklist.write_message_requested.connect(self.write_message_requested)

        self.splitter = lay_out_page(
            self,
            title="Contacts",
            count=self.count,
            left=left,
            detail=self.detail,
            sizes=SPLIT_SIZES,
        )

        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.load.request)
        set_list_tab_order(self.search, self.new_button, self.delete_button, self.table)
        self.detail_timer = QTimer(self)
        self.detail_timer.setSingleShot(True)
        self.detail_timer.setInterval(DETAIL_DELAY_MS)
        self.detail_timer.timeout.connect(self._show_detail)
        context.signals.changed.connect(self._on_changed)
        self._update_actions()

    # -- hooks the main window calls ------------------------------------------------------------

    def show_contact(self, contact_id: int) -> None:
        """Select ``contact_id`` (clearing a search that hides it) and show them."""
        self._selected_id = contact_id
        self.detail_timer.stop()
        if self.model.row_of(contact_id) < 0 and self.search.text():
            self.search.clear()
            self.search_timer.stop()
            self.load.request()
        self._select_row()
        self.detail.show_contact(contact_id)
        self._update_actions()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def can_close(self) -> bool:
        if self.form is None or not self.form.isVisible():
            return True
        return self.form.try_close()

    # -- loading ---------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self) -> None:
        self._stale = False
        self.load.request()
        self.detail.reload()

    def _on_search_text(self, text: str) -> None:
        self._query = text
        self.search_timer.start()

    def _load(self) -> tuple[str, list[ContactRecord]]:
        query = self._query
        return query, list_contacts(self.context.db, query=query)

    def _apply(self, result: tuple[str, list[ContactRecord]]) -> None:
        query, contacts = result
        if query != self._query:
            self.search_timer.start()  # typed on meanwhile
        self._loaded_once = True
        self.model.set_contacts(contacts)

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if not kinds & RELEVANT:
            return
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    # -- selection -------------------------------------------------------------------------------

    def _after_reset(self) -> None:
        shown = self.model.rowCount()
        noun = "contact" if shown == 1 else "contacts"
        self.count.setText(f"{shown:,} {noun} match" if self.search.text() else f"{shown:,} {noun}")
        nothing = shown == 0 and not self.search.text() and self._loaded_once
        self.table_stack.setCurrentIndex(1 if nothing else 0)
        self._select_row()

    def _select_row(self) -> None:
        if self._selected_id is None:
            return
        row = self.model.row_of(self._selected_id)
        if row < 0:
            return
        select_index(self.table, self.model.index(row, 0))

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        contact_id = self.model.contact(current.row()).id
        if contact_id != self._selected_id:
            self._selected_id = contact_id
            # Paging through the table must not load every row it passes.
            self.detail_timer.start()
        self._update_actions()

    def _show_detail(self) -> None:
        self.detail_timer.stop()
        self.detail.show_contact(self._selected_id)

    def selected_id(self) -> int | None:
        """The selected contact, with their detail shown (now, if it was still waiting)."""
        if self.detail_timer.isActive():
            self._show_detail()
        return self.detail.record.id if self.detail.record is not None else None

    def _update_actions(self) -> None:
        self.delete_button.setEnabled(self._selected_id is not None)

    # -- forms -----------------------------------------------------------------------------------

    def _open_form(self, form: FormDialog, on_saved: object) -> None:
        self.form = form
        form.saved.connect(on_saved)
        form.finished.connect(partial(self._forget_form, form))
        form.open()

    def _forget_form(self, form: FormDialog, _result: int) -> None:
        if self.form is form:
            self.form = None
        form.deleteLater()

    def _select_saved(self, record: ContactRecord) -> None:
        self.show_contact(record.id)

    def new_contact(self) -> None:
        self._open_form(ContactForm(self.context, None, self), self._select_saved)

    def edit_selected(self) -> None:
        contact_id = self.selected_id()
        if contact_id is None:
            return
        try:
            record = get_contact(self.context.db, contact_id)
        except NotFoundError:
            self.reload()
            return
        self._open_form(ContactForm(self.context, record, self), self._select_saved)

    def log_touchpoint(self) -> None:
        record = self.detail.record
        if record is None:
            return
        self._open_form(
            TouchpointDialog(self.context, record, self),
            lambda _touchpoint: self.detail.tabs.setCurrentIndex(0),
        )

    # -- delete and undo -------------------------------------------------------------------------

    def delete_selected(self) -> None:
        if self.selected_id() is None:
            return
        record = self.detail.record
        assert record is not None
        count = len(self.detail.interviews)
        places = f"They leave the {count} interview{'s' if count != 1 else ''} they were in. "
        if not confirm(
            self,
            "Delete contact",
            f"Delete {record.name} and the touchpoints logged with them?\n\n"
            f"{places if count else ''}Interviews and applications stay. "
            "You can undo this until you close Afterword.",
            "Delete",
        ):
            return
        self.last_deleted = delete_contact(self.context.db, record.id)
        self._selected_id = None
        self.detail.show_contact(None)
        self.undo_bar.deleted(self.last_deleted.label)
        self.context.notify(CONTACTS, TOUCHPOINTS, INTERVIEWS, CHECKLIST)
        self.table.setFocus()
        self._update_actions()

    def undo_delete(self) -> None:
        deleted = self.last_deleted
        if deleted is None:
            return
        self.last_deleted = None
        restored = restore_contact(self.context.db, deleted)
        self.undo_bar.restored(deleted.label)
        self.context.notify(CONTACTS, TOUCHPOINTS, INTERVIEWS, CHECKLIST, MESSAGES)
        self.show_contact(restored.id)
