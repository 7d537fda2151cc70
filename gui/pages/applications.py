"""Applications: the table of every application and, beside it, the one selected.

The table (company, role, status, next interview, next due item) sorts on a
click on its header and filters as the person types in the search box; see
:mod:`afterword.gui.models.applications_model` for how 10,000 rows stay quick. The
detail pane shows the selected application's fields, its interviews and its
checklist, where items are checked, dismissed and snoozed in place.

New, edit and delete go through the forms in :mod:`afterword.gui.dialogs`; a delete is
confirmed first and the last one can be undone (the bar's Undo button, or
Ctrl+Z in the table) for as long as the app runs.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from afterword.core.applications import (
    DeletedApplication,
    delete_application,
    get_application,
    list_applications,
    restore_application,
)
from afterword.core.checklist.items import ChecklistItem
from afterword.core.checklist.service import checklist_for_application, next_due_by_application
from afterword.core.errors import NotFoundError
from afterword.core.interviews import delete_interview, get_interview, list_interviews
from afterword.core.storage.records import ApplicationRecord, InterviewRecord
from afterword.core.storage.values import DECIDED_STATUSES
from afterword.gui.context import (
    APPLICATIONS,
    CHECKLIST,
    CONTACTS,
    INTERVIEWS,
    MESSAGES,
    SETTINGS,
    TOUCHPOINTS,
    AppContext,
)
from afterword.gui.dialogs.application_form import ApplicationForm
from afterword.gui.dialogs.interview_form import FORMAT_LABELS, OUTCOME_LABELS, InterviewForm
from afterword.gui.forms import FormDialog, UndoBar, confirm
from afterword.gui.icons import icon
from afterword.gui.models import BackgroundLoad
from afterword.gui.models.applications_model import (
    STATUS_LABELS,
    ApplicationRow,
    ApplicationsModel,
    Column,
    prepare_rows,
)
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

# Changes that can alter a row of the table or the detail pane.
RELEVANT = frozenset(
    {APPLICATIONS, INTERVIEWS, CONTACTS, TOUCHPOINTS, CHECKLIST, MESSAGES, SETTINGS}
)
# Typing pauses this long before the core is asked for matches by people's names.
PEOPLE_SEARCH_DELAY_MS = 150
# The detail follows the selection once it rests this long.
DETAIL_DELAY_MS = 40
# Each column starts wide enough for a typical value (the font decides how wide that
# is); "Next due" takes what is left. Status and date never need more.
COLUMN_FITS: dict[int, str] = {
    Column.COMPANY: "Maple & Pine Software",
    Column.ROLE: "Engineering Manager",
    Column.STATUS: "Interviewing",
    Column.NEXT_INTERVIEW: "Wed 30 Sep, 16:00",
}
FIXED_COLUMNS = (Column.STATUS, Column.NEXT_INTERVIEW)
# The selected item's heading: a step below the page title.
DETAIL_HEADING_SCALE = 1.15
# The table gets about 60% of the width at first, and of any width added later.
SPLIT_SIZES = (640, 400)


def interview_when(interview: InterviewRecord, now: datetime) -> str:
    """ "Thu 12 Mar, 14:00–15:00 (Europe/London)": in the interview's own zone."""
    start = interview.starts_at.astimezone(ZoneInfo(interview.timezone))
    end = start + timedelta(minutes=interview.duration_minutes)
    return f"{day_text(start.date(), now.date())}, {start:%H:%M}–{end:%H:%M} ({interview.timezone})"


class ApplicationDetail(QWidget):
    """The selected application: its fields, its interviews, its checklist."""

    edit_requested = Signal()
    new_interview_requested = Signal()
    edit_interview_requested = Signal(int)
    delete_interview_requested = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.record: ApplicationRecord | None = None
        self.interviews: list[InterviewRecord] = []

        self.stack = QStackedWidget(self)
        self.placeholder = QLabel(
            "Select an application to see its interviews and checklist.", self.stack
        )
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.stack.addWidget(self.placeholder)
        content = QWidget(self.stack)
        self.stack.addWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

        self.title = QLabel()
        self.title.setFont(scaled_font(self, DETAIL_HEADING_SCALE))
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.subtitle.setAccessibleName("Status")
        self.posting = QLabel()
        self.posting.setTextFormat(Qt.TextFormat.RichText)
        self.posting.setOpenExternalLinks(False)
        self.posting.linkActivated.connect(lambda url: QDesktopServices.openUrl(QUrl(url)))
        self.posting.setAccessibleName("Job posting")
        self.edit_button = QPushButton(icon("edit"), "Edit…")
        self.edit_button.setAccessibleName("Edit application")
        self.edit_button.setToolTip("Edit the application (Enter in the table)")
        self.edit_button.clicked.connect(self.edit_requested)

        # The heading has the pane's whole width, so it wraps only when it must.
        status_lines = QVBoxLayout()
        status_lines.setSpacing(2)
        status_lines.addWidget(self.subtitle)
        status_lines.addWidget(self.posting)
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
        self.why = self._value_label("Why I’m interested")
        self.next_steps = self._value_label("Next steps")
        self.decision = self._value_label("Decision expected by")
        self.notes = self._value_label("Notes")
        for caption, label in (
            ("Why I’m interested", self.why),
            ("Next steps", self.next_steps),
            ("Decision expected", self.decision),
            ("Notes", self.notes),
        ):
            self.details.addRow(f"<b>{caption}</b>", label)
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
        interview_buttons.addStretch(1)
        interviews_layout = QVBoxLayout(interviews_box)
        interviews_layout.addLayout(interview_buttons)
        interviews_layout.addWidget(self.interview_list)

        checklist_box = QGroupBox("Checklist")
        self.checklist = ChecklistView(context, checklist_box, compact=False)
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

        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.sections, 1)
        self._update_buttons()

    @staticmethod
    def _value_label(name: str) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAccessibleName(name)
        return label

    # -- content ------------------------------------------------------------------------------

    def show_application(self, application_id: int | None) -> None:
        """Show ``application_id`` (None, or one that is gone: the placeholder)."""
        if application_id is None:
            self._clear()
            return
        try:
            record = get_application(self.context.db, application_id)
            interviews = list_interviews(self.context.db, application_id)
            items = checklist_for_application(self.context.db, application_id, self.context.now())
        except NotFoundError:
            self._clear()
            return
        if self.record is None or self.record.id != application_id:
            self.banner.hide()
        self.record = record
        self.interviews = interviews
        self._fill(record, interviews, items)
        self.stack.setCurrentIndex(1)

    def _clear(self) -> None:
        self.record = None
        self.interviews = []
        self.checklist.set_items([])
        self.stack.setCurrentIndex(0)

    def reload(self) -> None:
        self.show_application(self.record.id if self.record else None)

    def _fill(
        self,
        record: ApplicationRecord,
        interviews: list[InterviewRecord],
        items: list[ChecklistItem],
    ) -> None:
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

        current = self.interview_list.currentRow()
        self.interview_list.clear()
        for interview in interviews:
            item = QListWidgetItem(self._interview_text(interview, now))
            item.setData(Qt.ItemDataRole.UserRole, interview.id)
            self.interview_list.addItem(item)
        if not interviews:
            empty = QListWidgetItem("No interviews yet. Add one when you are invited.")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.interview_list.addItem(empty)
        elif 0 <= current < len(interviews):
            self.interview_list.setCurrentRow(current)
        self.checklist.set_items(items)
        self._update_buttons()

    @staticmethod
    def _interview_text(interview: InterviewRecord, now: datetime) -> str:
        parts = [interview_when(interview, now)]
        if interview.round_name:
            parts.append(interview.round_name)
        parts.append(FORMAT_LABELS[interview.format])
        people = ", ".join(p.contact_name for p in interview.participants) or "nobody recorded"
        second = f"With {people}"
        if interview.outcome is not None:
            second += f" · Outcome: {OUTCOME_LABELS[interview.outcome].lower()}"
        return " · ".join(parts) + "\n" + second

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

    def _edit_current_interview(self) -> None:
        interview_id = self.current_interview_id()
        if interview_id is not None:
            self.edit_interview_requested.emit(interview_id)

    def _delete_current_interview(self) -> None:
        interview_id = self.current_interview_id()
        if interview_id is not None:
            self.delete_interview_requested.emit(interview_id)


class ApplicationsPage(QWidget):
    """The Applications screen (see the module docstring)."""

    write_thank_you_requested = Signal(int, object)  # interview id, contact id or None
    write_message_requested = Signal(object)  # ChecklistItem

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.form: FormDialog | None = None
        self.last_deleted: DeletedApplication | None = None
        self._selected_id: int | None = None
        self._stale = True

        self.model = ApplicationsModel(context.clock, self)
        self.rows_load: BackgroundLoad[list[ApplicationRow]] = BackgroundLoad(
            context.tasks, self._load_rows, self._apply_rows
        )
        self.next_due_load: BackgroundLoad[dict[int, ChecklistItem]] = BackgroundLoad(
            context.tasks,
            lambda: next_due_by_application(context.db, context.now()),
            self.model.set_next_due,
        )

        # -- the bar above the table
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search company, role, person")
        self.search.setAccessibleName("Search applications")
        self.search.setToolTip("Search by company, role or the name of someone you met (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.textChanged.connect(self._on_search_text)
        self.new_button = QPushButton(icon("add"), "New application…")
        self.new_button.setAccessibleName("New application")
        self.new_button.setToolTip("Add an application (Ctrl+N)")
        self.new_button.clicked.connect(self.new_application)
        self.delete_button = QPushButton(icon("delete"), "Delete…")
        self.delete_button.setAccessibleName("Delete application")
        self.delete_button.setToolTip("Delete the selected application (Delete); you can undo it")
        self.delete_button.clicked.connect(self.delete_selected)

        self.undo_bar = UndoBar("application")
        self.undo_bar.undo_requested.connect(self.undo_delete)

        # -- the table
        self.table = QTableView()
        setup_table(
            self.table,
            self.model,
            name="Applications",
            header_name="Columns: click one to sort by it",
            fixed_columns=FIXED_COLUMNS,
            stretch_column=Column.NEXT_DUE,
            fits=COLUMN_FITS,
        )
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        # -1: the core's order (most recently changed first) until a header is clicked.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.activated.connect(lambda _index: self.edit_selected())
        self.model.modelReset.connect(self._after_reset)
        self.count = QLabel()
        self.count.setAccessibleName("How many applications are shown")
        self.table_stack, self.empty = empty_stack(
            self.table,
            "No applications yet.\nAdd the first one with “New application…” (Ctrl+N).",
        )
        left, self.undo_action = list_side(
            search=self.search,
            new_button=self.new_button,
            delete_button=self.delete_button,
            undo_bar=self.undo_bar,
            table_stack=self.table_stack,
            table=self.table,
            delete_text="Delete application",
            on_delete=self.delete_selected,
            on_undo=self.undo_delete,
        )

        # -- the detail pane
        self.detail = ApplicationDetail(context)
        self.detail.edit_requested.connect(self.edit_selected)
        self.detail.new_interview_requested.connect(self.new_interview)
        self.detail.edit_interview_requested.connect(self.edit_interview)
        self.detail.delete_interview_requested.connect(self.delete_interview)
        self.detail.checklist.open_requested.connect(self._open_item)
        self.detail.checklist.write_thank_you_requested.connect(self.write_thank_you_requested)
        self.detail.checklist.write_message_requested.connect(self.write_message_requested)

        self.splitter = lay_out_page(
            self,
            title="Applications",
            count=self.count,
            left=left,
            detail=self.detail,
            sizes=SPLIT_SIZES,
        )

        self.people_timer = QTimer(self)
        self.people_timer.setSingleShot(True)
        self.people_timer.setInterval(PEOPLE_SEARCH_DELAY_MS)
        self.people_timer.timeout.connect(self._search_people)
        set_list_tab_order(self.search, self.new_button, self.delete_button, self.table)
        self.detail_timer = QTimer(self)
        self.detail_timer.setSingleShot(True)
        self.detail_timer.setInterval(DETAIL_DELAY_MS)
        self.detail_timer.timeout.connect(self._show_detail)
        context.signals.changed.connect(self._on_changed)
        self._update_actions()

    # -- hooks the main window calls ------------------------------------------------------------

    def show_application(self, application_id: int) -> None:
        """Select ``application_id`` (clearing a search that hides it) and show its detail."""
        self._selected_id = application_id
        self.detail_timer.stop()
        if self.model.row_of(application_id) < 0 and self.model.query:
            self.search.clear()
        self._select_row()
        self.detail.show_application(application_id)
        self._update_actions()

    def new_application(self) -> None:
        self._open_form(ApplicationForm(self.context, None, self), self._select_saved)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def can_close(self) -> bool:
        """False when the person chose to keep editing an open form."""
        if self.form is None or not self.form.isVisible():
            return True
        return self.form.try_close()

    # -- loading ---------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self) -> None:
        """Load the table again (off the GUI thread) and refresh the detail pane."""
        self._stale = False
        self.rows_load.request()
        self.next_due_load.request()
        self.detail.reload()

    def _load_rows(self) -> list[ApplicationRow]:
        return prepare_rows(list_applications(self.context.db, now=self.context.now()))

    def _apply_rows(self, rows: list[ApplicationRow]) -> None:
        self.model.set_rows(rows)
        if self.model.query.strip():
            self.people_timer.start()

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if not kinds & RELEVANT:
            return
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    # -- search ----------------------------------------------------------------------------------

    def _on_search_text(self, text: str) -> None:
        self.model.set_query(text)
        if text.strip():
            self.people_timer.start()
        else:
            self.people_timer.stop()

    def _search_people(self) -> None:
        """Ask the core for every match (it also searches the people in the interviews)."""
        query = self.model.query
        if not query.strip():
            return
        self.context.tasks.run(
            list_applications,
            self.context.db,
            now=self.context.now(),
            query=query,
            on_success=lambda found: self.model.add_matches(query, [a.id for a in found]),
        )

    # -- selection -------------------------------------------------------------------------------

    def _after_reset(self) -> None:
        shown, total = self.model.rowCount(), self.model.total()
        if self.model.query.strip():
            self.count.setText(f"{shown:,} of {total:,} applications match")
        else:
            self.count.setText(f"{total:,} application{'s' if total != 1 else ''}")
        self.table_stack.setCurrentIndex(1 if total == 0 and not self.rows_load.busy else 0)
        self._select_row()
        self._update_actions()

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
        application_id = self.model.application_id(current.row())
        if application_id != self._selected_id:
            self._selected_id = application_id
            # Paging through the table must not load every row it passes.
            self.detail_timer.start()
        self._update_actions()

    def _show_detail(self) -> None:
        self.detail_timer.stop()
        self.detail.show_application(self._selected_id)

    def selected_id(self) -> int | None:
        """The selected application, with its detail shown (now, if it was still waiting)."""
        if self.detail_timer.isActive():
            self._show_detail()
        return self._selected_id if self.detail.record is not None else None

    def _update_actions(self) -> None:
        self.delete_button.setEnabled(self._selected_id is not None)

    # -- forms -----------------------------------------------------------------------------------

    def _open_form(self, form: FormDialog, on_saved: object) -> None:
        """Open ``form`` (window-modal, non-blocking); the page keeps it for can_close()."""
        self.form = form
        form.saved.connect(on_saved)
        form.finished.connect(partial(self._forget_form, form))
        form.open()

    def _forget_form(self, form: FormDialog, _result: int) -> None:
        if self.form is form:
            self.form = None
        form.deleteLater()

    def _select_saved(self, record: ApplicationRecord) -> None:
        self.show_application(record.id)

    def edit_selected(self) -> None:
        application_id = self.selected_id()
        if application_id is None:
            return
        try:
            record = get_application(self.context.db, application_id)
        except NotFoundError:
            self.reload()
            return
        self._open_form(ApplicationForm(self.context, record, self), self._select_saved)

    def new_interview(self) -> None:
        if self.detail.record is None:
            return
        record = get_application(self.context.db, self.detail.record.id)
        self._open_form(InterviewForm(self.context, record, None, self), self._interview_saved)

    def edit_interview(self, interview_id: int) -> None:
        if self.detail.record is None:
            return
        record = get_application(self.context.db, self.detail.record.id)
        interview = get_interview(self.context.db, interview_id)
        self._open_form(InterviewForm(self.context, record, interview, self), self._interview_saved)

    def _interview_saved(self, interview: InterviewRecord) -> None:
        self.show_application(interview.application_id)
        record = self.detail.record
        if record is not None and interview.outcome is not None:
            outcome = OUTCOME_LABELS[interview.outcome].lower()
            self.detail.show_banner(
                f"Outcome recorded: {outcome}. The checklist below shows what to do next."
            )

    def delete_interview(self, interview_id: int) -> None:
        interview = get_interview(self.context.db, interview_id)
        when = interview_when(interview, self.context.now())
        if not confirm(
            self,
            "Delete interview",
            f"Delete the interview on {when}? The people in it stay in your contacts.",
            "Delete interview",
        ):
            return
        delete_interview(self.context.db, interview_id)
        self.context.notify(INTERVIEWS, APPLICATIONS, CHECKLIST)

    def _open_item(self, item: ChecklistItem) -> None:
        if item.interview_id is not None:
            self.edit_interview(item.interview_id)
        else:
            self.edit_selected()

    # -- delete and undo -------------------------------------------------------------------------

    def delete_selected(self) -> None:
        application_id = self.selected_id()
        if application_id is None:
            return
        record = self.detail.record
        assert record is not None
        count = len(self.detail.interviews)
        interviews = f" and its {count} interview{'s' if count != 1 else ''}" if count else ""
        if not confirm(
            self,
            "Delete application",
            f"Delete “{record.role} at {record.company}”{interviews}?\n\n"
            "Contacts and sent messages stay. You can undo this until you close Afterword.",
            "Delete",
        ):
            return
        self.last_deleted = delete_application(self.context.db, application_id)
        self._selected_id = None
        self.detail.show_application(None)
        self.undo_bar.deleted(self.last_deleted.label)
        self.context.notify(APPLICATIONS, INTERVIEWS, CHECKLIST)
        self.table.setFocus()

    def undo_delete(self) -> None:
        deleted = self.last_deleted
        if deleted is None:
            return
        self.last_deleted = None
        restored = restore_application(self.context.db, deleted)
        self.undo_bar.restored(deleted.label)
        self.context.notify(APPLICATIONS, INTERVIEWS, CHECKLIST, TOUCHPOINTS, MESSAGES)
        self.show_application(restored.id)
