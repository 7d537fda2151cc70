"""Today: every overdue, due and upcoming checklist item across applications and contacts.

Grouped Overdue / Today / Next 7 days. The list itself is the shared
:class:`afterword.gui.widgets.checklist.view.ChecklistView`; this page loads it, says
what to do first when there is nothing yet, and reloads when data changes,
when the day changes, and when the next item falls due.

Today is the one page painted before the database is open, so this module
imports nothing that loads SQLAlchemy: the list and the checklist service are
imported when the first items are loaded. Loading runs on a worker thread
(on a large database the checklist takes a noticeable moment to compute)
through ``context.ops.read`` with one key, so only the newest load is shown.
"""

from __future__ import annotations

import itertools
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from afterword.core.storage.changes import Changes, Kind
from afterword.gui.context import AppContext
from afterword.gui.icons import icon
from afterword.gui.pages.today_prepare import PrepareBanner
from afterword.gui.theme import HEADLINE_SCALE, page_title, scaled_font

if TYPE_CHECKING:
    from afterword.core.checklist.items import ChecklistItem
    from afterword.core.interviews_today import InterviewToPrepare
    from afterword.core.recent_replies import NoticedReply
    from afterword.core.storage.db import Database
    from afterword.gui.widgets.checklist.view import ChecklistView

logger = logging.getLogger(__name__)

# The kinds of data Today's list is computed from (the checklist's facts and marks).
RELEVANT_CHANGES = (
    Kind.APPLICATIONS,
    Kind.INTERVIEWS,
    Kind.CONTACTS,
    Kind.TOUCHPOINTS,
    Kind.CHECKLIST,
    Kind.MESSAGES,
    Kind.SETTINGS,
)
# The key of Today's loads: a newer load makes a running one stale.
LOAD_KEY = "today"
REPLIES_KEY = "today-replies"
PREPARE_KEY = "today-prepare"
# The list reloads one second after a deadline, so the deadline has surely passed.
REFRESH_MARGIN = timedelta(seconds=1)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# Longest a single reload timer waits (QTimer's limit is ~24 days; a day is plenty).
MAX_WAIT = timedelta(days=1)


def refresh_delay_ms(next_refresh_at: datetime, now: datetime) -> int:
    """How long the reload timer waits for ``next_refresh_at``, in milliseconds."""
    return int((next_refresh_at + REFRESH_MARGIN - now).total_seconds() * 1000)


def long_date(now: datetime) -> str:
    """ "Wednesday 11 March"."""
    return f"{_WEEKDAYS[now.weekday()]} {now.day} {_MONTHS[now.month - 1]}"


def load_today(db: Database, now: datetime) -> tuple[list[ChecklistItem], bool]:
    """(Today's items, whether there is any data at all): runs on a worker thread.

    Until something loaded the ORM (at start-up), Today is read from the kept
    items with plain ``sqlite3``; the checklist service answers when those
    cannot (not made yet, made for another zone or year), and afterwards.
    """
    from afterword.core.checklist.start import read_today
    from afterword.core.overview import has_records

    items = None if db.orm_loaded else read_today(db.path, now)
    if items is None:
        from afterword.core.checklist import service

        items = service.today(db, now)
    return items, bool(items) or has_records(db)


def load_recent_replies(db: Database, now: datetime) -> list[NoticedReply]:
    """The replies Today names: runs on a worker thread (so does the import)."""
    from afterword.core.recent_replies import recent_replies

    return recent_replies(db, now)


class EmptyState(QWidget):
    """What Today shows when there is nothing to do (first run, or all caught up)."""

    add_application = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        picture = QLabel(self)
        picture.setPixmap(icon("today").pixmap(72, 72))
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.headline = QLabel(self)
        self.headline.setFont(scaled_font(self, HEADLINE_SCALE))
        self.headline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setMaximumWidth(520)
        self.button = QPushButton(icon("add"), "Add an application", self)
        self.button.setAccessibleName("Add an application")
        self.button.clicked.connect(self.add_application)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(picture)
        layout.addSpacing(8)
        layout.addWidget(self.headline)
        # Centred by stretches, not by an alignment flag: with a flag the layout
        # gives a word-wrapped label its short size hint and cuts the text off.
        text_row = QHBoxLayout()
        text_row.addStretch(1)
        text_row.addWidget(self.text, 100)
        text_row.addStretch(1)
        layout.addLayout(text_row)
        layout.addSpacing(12)
        layout.addLayout(row)
        layout.addStretch(2)

    def show_first_run(self) -> None:
        self.headline.setText("Nothing to follow up yet")
        self.text.setText(
            "Start by adding an application: the company, the role and why you want it. "
            "Add its interviews and the people you meet, and Today will tell you what to do "
            "next: thank-you notes, follow-ups and check-ins."
        )
        self.button.setDefault(True)

    def show_caught_up(self) -> None:
        self.headline.setText("You're all caught up")
        self.text.setText(
            "Nothing is due in the next 7 days. New items appear here after an interview, "
            "when a decision date passes, and when it is time to check in with someone."
        )
        self.button.setDefault(False)


class TodayPage(QWidget):
    """The start screen (see the module docstring)."""

    open_requested = Signal(object)  # ChecklistItem
    write_thank_you_requested = Signal(int, object)  # interview id, contact id or None
    write_message_requested = Signal(object)  # ChecklistItem
    new_application_requested = Signal()
    loaded = Signal()  # a load finished and is on screen

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._stale = True
        self.items: list[ChecklistItem] = []
        self.next_refresh_at: datetime | None = None  # when the list reloads by itself
        self.checklist: ChecklistView | None = None  # built with the first load
        self.load_error: BaseException | None = None  # why the last load failed

        self.title = page_title("Today", self)
        self.date_label = QLabel(long_date(context.now()), self)
        self.date_label.setAccessibleName("Date")
        self.summary_label = QLabel(self)
        self.summary_label.setAccessibleName("Summary")
        self.summary_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # Title, date and summary on one row; when they do not fit (a narrow
        # window, a big font), the date and summary go on a row of their own.
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addSpacing(12)
        header.addWidget(self.date_label, 0, Qt.AlignmentFlag.AlignBottom)
        header.addStretch(1)
        header.addWidget(self.summary_label, 0, Qt.AlignmentFlag.AlignBottom)
        below = QHBoxLayout()
        self._header = (header, below)
        self.header_wrapped = False

        self.loading = QLabel("Loading…", self)
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading.setWordWrap(True)
        self.loading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.empty = EmptyState(self)
        self.empty.add_application.connect(self.new_application_requested)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.loading)
        self.stack.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(12)
        # "Dana Lee replied, 2 Dec": replies noticed in the inbox this past week.
        self.replies_label = QLabel(self)
        self.replies_label.setWordWrap(True)
        self.replies_label.setAccessibleName("Recent replies")
        self.replies_label.hide()
        # On the day of an interview: "Before you go in…" for each.
        self.prepare_banner = PrepareBanner(self)
        self.prepare_banner.open_requested.connect(self.open_prep_sheet)
        layout.addLayout(header)
        layout.addLayout(below)
        layout.addWidget(self.prepare_banner)
        layout.addWidget(self.replies_label)
        layout.addWidget(self.stack, 1)

        # Reloads the list when its next item changes state, or at midnight.
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setSingleShot(True)
        self.refresh_timer.timeout.connect(self.refresh)
        context.ops.changed.connect(self._on_changed)
        if context.has_database:
            self.refresh()

    def refresh(self) -> None:
        """Reload the list from the core in the background; ``loaded`` fires when shown."""
        self._stale = False
        now = self._context.now()
        self._context.ops.read(
            LOAD_KEY,
            load_today,
            self._context.db,
            now,
            on_success=lambda result: self._show(now, *result),
            on_failure=self._show_error,
        )
        self._context.ops.read(
            REPLIES_KEY,
            load_recent_replies,
            self._context.db,
            now,
            on_success=lambda replies: self._show_replies(now, replies),
        )
        from afterword.core.interviews_today import interviews_to_prepare

        self._context.ops.read(
            PREPARE_KEY,
            interviews_to_prepare,
            self._context.db,
            now,
            on_success=lambda interviews: self._show_interviews(interviews, now),
        )

    def open_prep_sheet(self, interview_id: int) -> QWidget:
        """The "Before you go in" window of ``interview_id``."""
        from afterword.gui.dialogs.prep_sheet import open_prep_sheet

        return open_prep_sheet(self._context, interview_id, self)

    def _show_interviews(self, interviews: list[InterviewToPrepare], now: datetime) -> None:
        self.prepare_banner.show_interviews(interviews, now)
        self._order_tab_chain()  # its buttons are new

    def _order_tab_chain(self) -> None:
        """Tab goes top to bottom through what is shown: "Before you go in…" above
        the list, then "Add an application" or the list's actions, the list, its undo.

        Widgets made after the page (the banner's buttons, the list) would
        otherwise come last; hidden ones are skipped by Tab.
        """
        chain: list[QWidget] = [*self.prepare_banner.buttons.values(), self.empty.button]
        if self.checklist is not None:
            chain.extend(self.checklist.tab_chain)
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _show_replies(self, now: datetime, replies: list[NoticedReply]) -> None:
        from afterword.gui.widgets.checklist.text import day_text

        today = now.date()
        days = [
            day_text(reply.arrived_at.astimezone(now.tzinfo).date(), today) for reply in replies
        ]
        self.replies_label.setText(
            " · ".join(
                f"{reply.name} replied, {day}" for reply, day in zip(replies, days, strict=True)
            )
        )
        self.replies_label.setVisible(bool(replies))

    def _show_error(self, error: BaseException) -> None:
        # The task runner logged the traceback; the page says so where the list would be.
        self.load_error = error
        self.loading.setText(
            f"Today's list could not be loaded: {error}\n"
            f"The details are in the log: {self._context.log_file}"
        )
        self.stack.setCurrentWidget(self.loading)
        self.loaded.emit()

    def _show(self, now: datetime, items: list[ChecklistItem], any_data: bool) -> None:
        self.load_error = None
        from afterword.gui.widgets.checklist.text import next_change, today_summary

        checklist = self._ensure_checklist()
        self.items = items
        checklist.set_items(items)
        self.date_label.setText(long_date(now))
        self.summary_label.setText(today_summary(items, now))
        self._place_header()
        if items:
            self.stack.setCurrentWidget(checklist)
        else:
            if any_data:
                self.empty.show_caught_up()
            else:
                self.empty.show_first_run()
            self.stack.setCurrentWidget(self.empty)
        self.next_refresh_at = min(next_change(items, now), now + MAX_WAIT)
        self.refresh_timer.start(refresh_delay_ms(self.next_refresh_at, now))
        self.loaded.emit()

    def _place_header(self) -> None:
        """The date and summary beside the title if all three fit in one row, else under it."""
        header, below = self._header
        margins = self.layout().contentsMargins()
        room = self.width() - margins.left() - margins.right()
        summary = self.summary_label
        needed = (
            self.title.sizeHint().width()
            + 12
            + self.date_label.sizeHint().width()
            + summary.fontMetrics().horizontalAdvance(summary.text())
            + 4 * max(header.spacing(), 0)
        )
        wrapped = needed > room
        if wrapped == self.header_wrapped:
            return
        self.header_wrapped = wrapped
        for layout in self._header:
            layout.removeWidget(self.date_label)
            layout.removeWidget(summary)
        # Wrapped, the summary takes the rest of its row and wraps itself if it must.
        summary.setWordWrap(wrapped)
        if wrapped:
            below.addWidget(self.date_label, 0, Qt.AlignmentFlag.AlignTop)
            below.addWidget(summary, 1, Qt.AlignmentFlag.AlignTop)
        else:
            header.insertWidget(2, self.date_label, 0, Qt.AlignmentFlag.AlignBottom)
            header.addWidget(summary, 0, Qt.AlignmentFlag.AlignBottom)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._place_header()

    def _ensure_checklist(self) -> ChecklistView:
        if self.checklist is None:
            from afterword.gui.widgets.checklist.text import today_groups
            from afterword.gui.widgets.checklist.view import ChecklistView

            checklist = ChecklistView(self._context, self, grouping=today_groups)
            checklist.setAccessibleName("Things to do")
            checklist.open_requested.connect(self.open_requested)
            checklist.write_thank_you_requested.connect(self.write_thank_you_requested)
            checklist.write_message_requested.connect(self.write_message_requested)
            self.stack.addWidget(checklist)
            # No focus proxy: Tab would land on a hidden list (the empty state
            # showing) or on the list past its actions.
            self.checklist = checklist
            self._order_tab_chain()
        return self.checklist

    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        if not changes.touches(*RELEVANT_CHANGES) or not self._context.has_database:
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True  # reload when shown again, not for every change meanwhile

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        if self._stale and self._context.has_database:
            self.refresh()
        super().showEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        # After a laptop sleeps through midnight, timers fire late: check on activation.
        if (
            event.type() == QEvent.Type.ActivationChange
            and self.isActiveWindow()
            and self._context.has_database
            and self.date_label.text() != long_date(self._context.now())
        ):
            self.refresh()
        super().changeEvent(event)
