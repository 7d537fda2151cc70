"""Noticing replies while Afterword runs: at start, every 15 minutes, on new mail (opt-in).

Each look is :func:`afterword.core.replies.check_replies` run as an operation
(off the GUI thread; the replies it records are announced like any write, so
Today and the application views refresh). It does nothing unless the person
switched "Notice replies" on.

When to look (the rule, see also :mod:`afterword.core.replies`):

- at start, then on a 15-minute timer; the core skips a timed look less than
  15 minutes after the last one. The timer runs whatever the server offers:
  it is the floor if the IDLE connection dies quietly.
- where the server offers IMAP IDLE, one connection idles on the inbox in a
  thread of its own (:class:`afterword.core.mail.inbox_idle.InboxIdler`:
  never more than one, re-established with a growing pause after a drop,
  stopped on quit). When the server reports new mail, a look runs at once,
  but never less than a minute (:data:`~afterword.core.replies.NOTICED_GAP`)
  after the previous look that news caused; news within that minute is
  gathered into one look at its end. The core applies the same minute
  against the last look of any kind.

A look that fails (offline, keyring locked, sign-in expired), or an IDLE
connection that cannot be kept, is logged and kept for Settings to show
(:meth:`RepliesWatcher.last_problem` of :func:`current_watcher`, the running
app's watcher; :func:`watcher_news` announces each change, also a watcher
starting after Settings was opened), never a dialog every quarter of an hour.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime

import imapclient
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from afterword.core.errors import AfterwordError
from afterword.core.mail.accounts import get_mail_account
from afterword.core.mail.imap import ImapSettings, imap_session
from afterword.core.mail.inbox_idle import InboxIdler
from afterword.core.recent_replies import NoticedReply
from afterword.core.replies import CHECK_INTERVAL, NOTICED_GAP, check_replies, replies_due
from afterword.core.storage.changes import Changes, Kind
from afterword.core.storage.db import Database
from afterword.gui.context import AppContext
from afterword.gui.mail_flow import secret_for

logger = logging.getLogger(__name__)

# The first look waits for the start-up to settle.
FIRST_CHECK_MS = 5_000
CHECK_EVERY_MS = int(CHECK_INTERVAL.total_seconds() * 1000)
NOTICED_GAP_S = NOTICED_GAP.total_seconds()
IDLE_PLAN_KEY = "replies-idle-plan"

_current: RepliesWatcher | None = None


def current_watcher() -> RepliesWatcher | None:
    """The running app's watcher (None before it started, or in a window without one)."""
    return _current


class WatcherNews(QObject):
    """``changed``: the running watcher's problem changed, or a watcher started or stopped."""

    changed = Signal()


_news: WatcherNews | None = None


def watcher_news() -> WatcherNews:
    """The one announcer, for whoever shows the watcher's problem (made on first use)."""
    global _news
    if _news is None:
        _news = WatcherNews()
    return _news


def _look(db: Database, now: datetime, notified: bool = False) -> list[NoticedReply]:
    account = get_mail_account(db)
    if account is None or not replies_due(account, now, notified=notified):
        return []
    return check_replies(db, account, secret_for(db, account, now), now, notified=notified)


def _may_idle(db: Database) -> bool:
    """Whether there is an inbox to idle on: replies watched, an IMAP server known."""
    account = get_mail_account(db)
    return (
        account is not None
        and account.watch_replies
        and ImapSettings.for_account(account) is not None
    )


def _inbox_session(
    db: Database, now: Callable[[], datetime]
) -> AbstractContextManager[imapclient.IMAPClient]:
    """A logged-in connection for the idler; runs on its thread, with the current settings."""
    account = get_mail_account(db)
    settings = ImapSettings.for_account(account) if account is not None else None
    if account is None or settings is None:
        raise ConnectionAbortedError("no IMAP server to wait on")
    return imap_session(settings, secret_for(db, account, now()))


class RepliesWatcher(QObject):
    """Runs the look on a timer and on IDLE news; ``problem`` holds why the last one failed.

    ``idle_problem`` holds why the IDLE connection could not be kept; a change
    of either is announced by :func:`watcher_news`.
    """

    # Emitted on the idler's thread; Qt delivers them on the GUI thread.
    _new_mail = Signal()
    _no_idle = Signal()
    _idle_trouble = Signal(str)

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.problem = ""
        self.idle_problem = ""
        self.idler: InboxIdler | None = None
        self.idle_offered: bool | None = None  # None: not known yet
        self._last_noticed_look = -NOTICED_GAP_S
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_EVERY_MS)
        self._timer.timeout.connect(self.check)
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self._look_after_news)
        self._new_mail.connect(self._on_new_mail)
        self._no_idle.connect(self._on_no_idle)
        self._idle_trouble.connect(self._on_idle_trouble)

    @property
    def timer_active(self) -> bool:
        return self._timer.isActive()

    def last_problem(self) -> str:
        """Why looking for replies did not work the last time ("" when it did)."""
        return self.problem or self.idle_problem

    def start(self, first_after_ms: int = FIRST_CHECK_MS) -> None:
        global _current
        _current = self
        watcher_news().changed.emit()
        QTimer.singleShot(first_after_ms, self.check)
        self._timer.start()
        self._context.ops.changed.connect(self._on_changed)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)
        self._plan_idle()

    def stop(self) -> None:
        """Stop looking: the timers, and the IDLE connection (closed, its thread ended)."""
        global _current
        if _current is self:
            _current = None
            watcher_news().changed.emit()
        self._timer.stop()
        self._notice_timer.stop()
        self._stop_idler(wait=True)

    def check(self, notified: bool = False) -> None:
        self._context.ops.write(
            _look,
            self._context.db,
            self._context.now(),
            notified,
            initiator=self,
            on_success=self._looked,
            on_failure=self._failed,
        )

    def _plan_idle(self) -> None:
        self._context.ops.read(
            IDLE_PLAN_KEY, _may_idle, self._context.db, on_success=self._idle_planned
        )

    def _idle_planned(self, may_idle: bool) -> None:
        if not may_idle:
            self._stop_idler(wait=False)
            self._on_idle_trouble("")  # nothing to idle on: no trouble with it either
        elif self.idler is None or not self.idler.running:
            db, now = self._context.db, self._context.now
            self.idler = InboxIdler(
                lambda: _inbox_session(db, now),
                self._new_mail.emit,
                self._no_idle.emit,
                on_problem=self._idle_trouble.emit,
            )
            self.idler.start()

    def _stop_idler(self, *, wait: bool) -> None:
        if self.idler is not None:
            # Not waiting (a settings change): the old thread ends by itself
            # within moments and never idles once told to stop.
            self.idler.stop(timeout=2.0 if wait else 0.0)
            self.idler = None

    def _on_changed(self, changes: Changes, initiator: object) -> None:
        # Our own looks change the account (when it was last looked at): not a new plan.
        if initiator is not self and changes.touches(Kind.ACCOUNTS):
            self._stop_idler(wait=False)
            self._plan_idle()

    def _on_new_mail(self) -> None:
        if self._notice_timer.isActive():
            return  # already gathered into the coming look
        wait_s = self._last_noticed_look + NOTICED_GAP_S - time.monotonic()
        self._notice_timer.start(max(0, int(wait_s * 1000)))

    def _look_after_news(self) -> None:
        self._last_noticed_look = time.monotonic()
        logger.info("The server reported new mail: looking for replies")
        self.check(notified=True)

    def _on_no_idle(self) -> None:
        self.idle_offered = False
        self.idler = None

    def _on_idle_trouble(self, problem: str) -> None:
        if problem != self.idle_problem:
            self.idle_problem = problem
            watcher_news().changed.emit()

    def _looked(self, noticed: list[NoticedReply]) -> None:
        self._set_problem("")
        if noticed:
            logger.info("Noticed %d repl(ies) in the inbox", len(noticed))

    def _set_problem(self, problem: str) -> None:
        if problem != self.problem:
            self.problem = problem
            watcher_news().changed.emit()

    def _failed(self, error: BaseException) -> None:
        self._set_problem(getattr(error, "user_message", "") or str(error))
        if isinstance(error, AfterwordError):
            logger.warning("Looking for replies failed: %s", type(error).__name__)
        else:
            logger.error("Looking for replies failed unexpectedly", exc_info=error)
