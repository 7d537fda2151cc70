"""The daily backup: made once the database is open, then checked every hour.

Kept apart from the Settings section so that start-up imports only the
backup code, not the exports and vCard modules.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from afterword.core.backups.snapshots import daily_backup, default_folder
from afterword.gui.context import AppContext

logger = logging.getLogger(__name__)

BACKUP_FOLDER_KEY = "backups/folder"
DAILY_CHECK_MS = 60 * 60 * 1000


def backup_folder(context: AppContext) -> Path:
    """The folder the person chose for backups, or the data folder's ``backups``."""
    chosen = context.settings.value(BACKUP_FOLDER_KEY, "", type=str)
    return Path(chosen) if chosen else default_folder(context.data_dir)


class DailyBackups(QObject):
    """Backs up once a day (at start-up, then checked hourly) into the chosen folder."""

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._timer = QTimer(self)
        self._timer.setInterval(DAILY_CHECK_MS)
        self._timer.timeout.connect(self.run)

    def start(self) -> None:
        self.run()
        self._timer.start()

    def run(self) -> None:
        context = self._context
        context.ops.read(
            "daily-backup",
            daily_backup,
            context.db,
            backup_folder(context),
            now=context.now(),
            failure_title="The daily backup could not be made",
        )
