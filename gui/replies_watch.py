"""Noticing replies while Afterword runs: soon after start, then every 15 minutes (opt-in).

Each look is :func:`afterword.core.replies.check_replies` run as an operation
(off the GUI thread; the replies it records are announced like any write, so
Today and the application views refresh). It does nothing unless the person
switched "Notice replies" on, and the core skips a look less than 15 minutes
after the last one. A look that fails (offline, keyring locked, sign-in
expired) is logged and kept for the settings to show, never a dialog every
quarter of an hour.
"""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import QObject, QTimer

from afterword.core.errors import AfterwordError
from afterword.core.mail.accounts import get_mail_account
from afterword.core.recent_replies import NoticedReply
from afterword.core.replies import CHECK_INTERVAL, check_replies, replies_due
from afterword.core.storage.db import Database
from afterword.gui.context import AppContext
from afterword.gui.mail_flow import secret_for

logger = logging.getLogger(__name__)

# The first look waits for the start-up to settle.
FIRST_CHECK_MS = 5_000
CHECK_EVERY_MS = int(CHECK_INTERVAL.total_seconds() * 1000)


def _look(db: Database, now: datetime) -> list[NoticedReply]:
    account = get_mail_account(db)
    if account is None or not replies_due(account, now):
        return []
    return check_replies(db, account, secret_for(db, account, now), now)


class RepliesWatcher(QObject):
    """Runs the look on a timer; ``problem`` holds why the last one failed, if it did."""

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.problem = ""
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_EVERY_MS)
        self._timer.timeout.connect(self.check)

    def start(self, first_after_ms: int = FIRST_CHECK_MS) -> None:
        QTimer.singleShot(first_after_ms, self.check)
        self._timer.start()

    def check(self) -> None:
        self._context.ops.write(
            _look,
            self._context.db,
            self._context.now(),
            initiator=self,
            on_success=self._looked,
            on_failure=self._failed,
        )

    def _looked(self, noticed: list[NoticedReply]) -> None:
        self.problem = ""
        if noticed:
            logger.info("Noticed %d repl(ies) in the inbox", len(noticed))

    def _failed(self, error: BaseException) -> None:
        self.problem = getattr(error, "user_message", "") or str(error)
        if isinstance(error, AfterwordError):
            logger.warning("Looking for replies failed: %s", type(error).__name__)
        else:
            logger.error("Looking for replies failed unexpectedly", exc_info=error)
