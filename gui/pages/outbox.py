"""The Outbox: every message with its state, and what can be done about each.

States in words: draft (not sent yet), sending, sent (when), not sent (why,
with Retry) and *may have arrived* (the connection broke after the server got
the text): that one explains the uncertainty, records it as sent when the
person found it in their Sent folder (It arrived), and asks before sending again.
A sent message is shown read-only. Sending itself always happens in the
composer (:mod:`afterword.gui.dialogs.composer`), which Retry and Send again open, so
the progress, the password prompt and the error messages are the same
everywhere.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from afterword.core.mail.outbox import OutboxError, confirm_arrived, confirm_resend, list_messages
from afterword.core.storage.changes import Changes, Kind
from afterword.core.storage.records import MessageRecord
from afterword.core.storage.values import MessageStatus, Purpose
from afterword.gui.context import AppContext
from afterword.gui.dialogs.composer.highlights import mark_spans
from afterword.gui.forms import error_color
from afterword.gui.icons import icon
from afterword.gui.mail_flow import (
    ask_to_send_again,
    html_text,
    is_sending,
    open_message_composer,
    send_tracker,
    when_text,
)
from afterword.gui.operations import show_failure
from afterword.gui.pages.outbox_gaps import gap_names, gaps_text, readable_gaps
from afterword.gui.theme import page_title

logger = logging.getLogger(__name__)

# The key of the Outbox's loads: a newer load makes a running one stale.
LOAD_KEY = "outbox"

PURPOSE_LABELS = {
    Purpose.THANK_YOU: "Thank-you",
    Purpose.STATUS_FOLLOW_UP: "Follow-up",
    Purpose.REJECTION_REPLY: "Reply to a rejection",
    Purpose.CHECK_IN: "Check-in",
    Purpose.OTHER: "Message",
}
COLUMNS = ("State", "To", "Subject", "Kind", "When")
STATE, TO, SUBJECT, KIND, WHEN = range(len(COLUMNS))
# Every column but the subject fits its longest text with this much air after it;
# the subject takes what is left.
FITTED_COLUMNS = (STATE, TO, KIND, WHEN)
COLUMN_GAP = 16


def state_label(record: MessageRecord, sending_here: bool) -> str:
    """The state in one or two words, as the table shows it."""
    if sending_here or record.status is MessageStatus.SENDING:
        return "Sending…"
    return {
        MessageStatus.DRAFT: "Draft",
        MessageStatus.SENT: "Sent",
        MessageStatus.FAILED: "Not sent",
        MessageStatus.UNKNOWN: "May have arrived",
    }[record.status]


class OutboxModel(QAbstractTableModel):
    """The messages as table rows; the record of a row is under ``Qt.UserRole``."""

    def __init__(self, context: AppContext, parent: Any = None) -> None:
        super().__init__(parent)
        self._context = context
        self.records: list[MessageRecord] = []
        self._sending: frozenset[int] = frozenset()

    def set_records(self, records: list[MessageRecord], sending: frozenset[int]) -> None:
        self.beginResetModel()
        self.records = records
        self._sending = sending
        self.endResetModel()

    def row_of(self, message_id: int) -> int:
        for row, record in enumerate(self.records):
            if record.id == message_id:
                return row
        return -1

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        record = self.records[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.UserRole:
            return record
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(record, column)
        if role == Qt.ItemDataRole.DecorationRole and column == STATE:
            return icon(_STATE_ICONS.get(self._status(record), "mail"))
        troubled = self._status(record) in (MessageStatus.FAILED, MessageStatus.UNKNOWN)
        if role == Qt.ItemDataRole.ForegroundRole and column == STATE and troubled:
            return QColor(error_color(QPalette()))
        if role == Qt.ItemDataRole.FontRole and column == STATE:
            font = QFont()
            font.setBold(record.status is not MessageStatus.SENT)
            return font
        return None

    def _status(self, record: MessageRecord) -> MessageStatus:
        return MessageStatus.SENDING if record.id in self._sending else record.status

    def _text(self, record: MessageRecord, column: int) -> str:
        if column == STATE:
            return state_label(record, record.id in self._sending)
        if column == TO:
            return record.to_name or record.to_address or "(no recipient yet)"
        if column == SUBJECT:
            return record.subject or "(no subject)"
        if column == KIND:
            return PURPOSE_LABELS[record.purpose]
        moment = record.sent_at if record.sent_at is not None else record.updated_at
        return when_text(moment, self._context)


_STATE_ICONS = {
    MessageStatus.DRAFT: "edit",
    MessageStatus.SENDING: "send",
    MessageStatus.SENT: "done",
    MessageStatus.FAILED: "dismiss",
    MessageStatus.UNKNOWN: "snooze",
}


class MessageDetail(QFrame):
    """The selected message: who, what, its state in words, and the buttons that fit it."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.record: MessageRecord | None = None
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setAccessibleName("Message")
        self.state = QLabel(self)
        self.state.setWordWrap(True)
        self.state.setTextFormat(Qt.TextFormat.RichText)
        self.state.setAccessibleName("What happened to this message")
        self.body = QPlainTextEdit(self)
        self.body.setReadOnly(True)
        self.body.setAccessibleName("Message text")
        self.open_button = QPushButton(icon("edit"), "Open", self)
        self.open_button.setAccessibleName("Open in the composer")
        self.retry_button = QPushButton(icon("send"), "Retry", self)
        self.retry_button.setAccessibleName("Retry sending")
        self.arrived_button = QPushButton(icon("done"), "It arrived", self)
        self.arrived_button.setAccessibleName("It arrived")
        self.arrived_button.setToolTip(
            "You found it in your Sent folder, or the recipient has it: record it as sent."
        )
        self.resend_button = QPushButton(icon("send"), "Send again…", self)
        self.resend_button.setAccessibleName("Send again")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.arrived_button)
        buttons.addWidget(self.resend_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.state)
        layout.addWidget(self.body, 1)
        layout.addLayout(buttons)
        self.open_button.clicked.connect(self.open_in_composer)
        self.retry_button.clicked.connect(self.retry)
        self.arrived_button.clicked.connect(self.mark_arrived)
        self.resend_button.clicked.connect(self.ask_to_send_again)
        self.show_record(None)

    def show_record(self, record: MessageRecord | None) -> None:
        self.record = record
        if record is None:
            self.heading.setText("<b>Select a message</b> to see its text and what happened to it.")
            self.state.clear()
            self.body.clear()
            for button in (
                self.open_button,
                self.retry_button,
                self.arrived_button,
                self.resend_button,
            ):
                button.hide()
            return
        sending = is_sending(self._context, record.id) or record.status is MessageStatus.SENDING
        status = MessageStatus.SENDING if sending else record.status
        who = html_text(record.to_name or "(no name)")
        address = html_text(record.to_address or "no address yet")
        self.heading.setText(
            f"<b>To:</b> {who} &lt;{address}&gt;<br><b>Subject:</b> {html_text(record.subject)}"
        )
        problem = status in (MessageStatus.FAILED, MessageStatus.UNKNOWN)
        self.state.setStyleSheet(f"color: {error_color(self.palette())};" if problem else "")
        gaps = gap_names(record)
        explained = self._explain(record, status)
        if gaps and status is MessageStatus.DRAFT:
            explained = f"<b>Draft.</b> Not sent yet, and not ready. {html_text(gaps_text(gaps))}"
        self.state.setText(explained)
        preview, spans = readable_gaps(record.body)
        if self.body.toPlainText() != preview:
            self.body.setPlainText(preview)
        mark_spans(self.body, preview, spans)
        self.open_button.setVisible(status in (MessageStatus.DRAFT, MessageStatus.FAILED))
        self.open_button.setText("Open and send" if status is MessageStatus.DRAFT else "Open")
        self.retry_button.setVisible(status is MessageStatus.FAILED)
        self.arrived_button.setVisible(status is MessageStatus.UNKNOWN)
        self.resend_button.setVisible(status is MessageStatus.UNKNOWN)

    def marked_gaps(self) -> list[str]:
        """The text of every marked gap in the preview (what the person sees highlighted)."""
        return [selection.cursor.selectedText() for selection in self.body.extraSelections()]

    def _explain(self, record: MessageRecord, status: MessageStatus) -> str:
        if status is MessageStatus.SENDING:
            return "<b>Being sent right now.</b>"
        if status is MessageStatus.DRAFT:
            return "<b>Draft.</b> Not sent yet: open it to review and send it."
        if status is MessageStatus.SENT:
            when = when_text(record.sent_at, self._context) if record.sent_at else ""
            # Trouble after sending (no copy in Sent) is told, but changes nothing.
            note = f"<br>{html_text(record.warning)}" if record.warning else ""
            return f"<b>Sent</b> {html_text(when)}. A sent message can't be changed.{note}"
        if status is MessageStatus.FAILED:
            why = html_text(record.error) if record.error else "The last attempt failed."
            return f"<b>Not sent.</b> {why} The text is kept; fix the problem and retry."
        return (
            f"<b>It may have arrived.</b> {html_text(record.error)} Afterword won't send it again "
            "unless you say so. If you find it in your Sent folder, click <b>It arrived</b>."
        )

    def open_in_composer(self) -> None:
        if self.record is not None:
            open_message_composer(self._context, self.record, self.window())

    def retry(self) -> None:
        if self.record is not None:
            open_message_composer(self._context, self.record, self.window(), send_now=True)

    def mark_arrived(self) -> None:
        """The person found the message in their Sent folder: record it as sent."""
        if self.record is None:
            return
        # The touchpoint ticks off the checklist item and resets the contact's stay-in-touch;
        # the change set tells every page so.
        self._context.ops.write(
            confirm_arrived,
            self._context.db,
            self.record.id,
            self._context.now(),
            initiator=self,
            on_failure=self._refused,
        )

    def ask_to_send_again(self) -> None:
        if self.record is not None:
            ask_to_send_again(self, self.record, self._send_again)

    def _send_again(self) -> None:
        assert self.record is not None
        self._context.ops.write(
            confirm_resend,
            self._context.db,
            self.record.id,
            self._context.now(),
            initiator=self,
            on_success=lambda record: open_message_composer(
                self._context, record, self.window(), send_now=True
            ),
            on_failure=self._refused,
        )

    def _refused(self, error: BaseException) -> None:
        """An outbox rule refused the action: say why in place of the state."""
        if not isinstance(error, OutboxError):
            show_failure(error, "The message could not be changed")
            return
        self.state.setText(html_text(error.user_message))


class OutboxPage(QWidget):
    """Every message and its state (see the module docstring)."""

    loaded = Signal()  # a load finished and is on screen

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._stale = True

        title = page_title("Outbox", self)
        self.summary = QLabel(self)
        self.summary.setAccessibleName("Summary")
        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.summary, 0, Qt.AlignmentFlag.AlignBottom)

        self.model = OutboxModel(context, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Messages")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        columns = self.table.horizontalHeader()
        columns.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        columns.setSectionResizeMode(SUBJECT, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._open_row)
        self.detail = MessageDetail(context, self)

        self.empty = QLabel(
            "No messages yet. The thank-you notes and follow-ups you write appear here, "
            "with what happened to each.",
            self,
        )
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(splitter)
        self.stack.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(12)
        layout.addLayout(header)
        layout.addWidget(self.stack, 1)
        self.setFocusProxy(self.table)

        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        context.ops.changed.connect(self._on_changed)
        send_tracker().changed.connect(self._on_sending_changed)
        self.refresh()

    def refresh(self) -> None:
        """Reload the list off the GUI thread, keeping the selected message selected."""
        self._stale = False
        self._context.ops.read(
            LOAD_KEY, list_messages, self._context.db, on_success=self._show_records
        )

    def _show_records(self, records: list[MessageRecord]) -> None:
        selected = self.detail.record.id if self.detail.record is not None else None
        sending = frozenset(r.id for r in records if is_sending(self._context, r.id))
        self.model.set_records(records, sending)
        self._fit_columns()
        self.summary.setText(_summary(records, sending))
        self.stack.setCurrentWidget(self.stack.widget(0) if records else self.empty)
        row = self.model.row_of(selected) if selected is not None else -1
        if row < 0 and records:
            row = 0
        if row >= 0:
            self.select_row(row)
        else:
            self.detail.show_record(None)
        self.loaded.emit()

    def _fit_columns(self) -> None:
        columns = self.table.horizontalHeader()
        for column in FITTED_COLUMNS:
            self.table.resizeColumnToContents(column)
            columns.resizeSection(column, columns.sectionSize(column) + COLUMN_GAP)

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.detail.show_record(self.model.records[row])

    def select_message(self, message_id: int) -> bool:
        row = self.model.row_of(message_id)
        if row >= 0:
            self.select_row(row)
        return row >= 0

    def state_of(self, message_id: int) -> str:
        """The state as the table shows it (for a person reading the list)."""
        row = self.model.row_of(message_id)
        return str(self.model.index(row, STATE).data()) if row >= 0 else ""

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.detail.show_record(self.model.records[current.row()])

    def _open_row(self, index: QModelIndex) -> None:
        record = self.model.records[index.row()]
        self.detail.show_record(record)
        if record.status in (MessageStatus.DRAFT, MessageStatus.FAILED):
            self.detail.open_in_composer()

    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.touches(Kind.MESSAGES):
            self._reload_when_seen()

    def _on_sending_changed(self, _message_id: int) -> None:
        # "Sending…" starts or ends: shown from the messages already loaded (the
        # outcome's change set reloads them).
        self._show_records(self.model.records)

    def _reload_when_seen(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        if self._stale:
            self.refresh()
        super().showEvent(event)


def _summary(records: list[MessageRecord], sending: frozenset[int]) -> str:
    """ "1 sending · 2 drafts · 1 not sent · 1 may have arrived · 5 sent"."""
    counts: dict[str, int] = {}
    for record in records:
        label = state_label(record, record.id in sending)
        counts[label] = counts.get(label, 0) + 1
    order = (
        ("Sending…", "sending"),
        ("Draft", "draft"),
        ("Not sent", "not sent"),
        ("May have arrived", "may have arrived"),
        ("Sent", "sent"),
    )
    parts = []
    for label, words in order:
        count = counts.get(label, 0)
        if count:
            plural = "s" if words == "draft" and count > 1 else ""
            parts.append(f"{count} {words}{plural}")
    return " · ".join(parts)
