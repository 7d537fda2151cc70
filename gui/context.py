"""What every page and dialog gets: the database, the clock, operations, settings.

An :class:`AppContext` is built once in :mod:`afterword.gui.app` (and by the test
fixtures in ``tests/gui/conftest.py``) and handed to each page as
``Page(context, parent)``. Typical use in a page::

    context.ops.read("today", today, context.db, context.now(), on_success=self._show)
    context.ops.changed.connect(self._on_changed)          # refresh what changed
    context.ops.write(mark_done, context.db, key, context.now(), initiator=self)

(see :mod:`afterword.gui.operations`).

The GUI is the only place that reads the wall clock, through ``context.clock``;
tests pass a fixed one.

At start-up the window is painted before the database is opened (importing
SQLAlchemy alone takes longer than showing a window), so the app creates the
context without a database and calls :meth:`AppContext.attach_database` once
it is open. Only the Today page exists before that; every other page is built
later and can rely on ``context.db``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, QSettings, QTimeZone

from afterword.core.storage.changes import Changes
from afterword.core.storage.paths import log_dir
from afterword.core.storage.validation import UNKNOWN_ZONE
from afterword.gui.operations import Operations
from afterword.gui.tasks import TaskRunner

if TYPE_CHECKING:  # afterword.core.storage.db imports SQLAlchemy: not before the first paint
    from afterword.core.storage.db import Database

logger = logging.getLogger(__name__)

SETTINGS_FILENAME = "afterword-gui.ini"
LOG_FILENAME = "afterword.log"


def system_zone() -> ZoneInfo:
    """The system's time zone as an IANA ``ZoneInfo`` (Qt knows it on every platform)."""
    zone_id = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "replace")
    try:
        return ZoneInfo(zone_id)
    except UNKNOWN_ZONE:
        logger.warning("System time zone %r is unknown to zoneinfo; using UTC", zone_id)
        return ZoneInfo("UTC")


def system_clock() -> Callable[[], datetime]:
    """A clock returning the aware local now in the system's zone."""
    zone = system_zone()
    return lambda: datetime.now(zone)


def log_file_path(data_dir: Path) -> Path:
    """The (rotating) log file of the app using ``data_dir``."""
    return log_dir(data_dir) / LOG_FILENAME


def open_gui_settings(data_dir: Path) -> QSettings:
    """Window geometry and similar view state, as an INI file in the data folder.

    Kept in the data folder so ``--data-dir`` isolates everything. Never store
    a password here: secrets belong in the keyring.
    """
    return QSettings(str(data_dir / SETTINGS_FILENAME), QSettings.Format.IniFormat)


@dataclass
class AppContext:
    """The shared services of one running window (see the module docstring)."""

    data_dir: Path
    clock: Callable[[], datetime]
    ops: Operations
    settings: QSettings
    _db: Database | None = field(default=None, repr=False)

    @classmethod
    def create(
        cls,
        db: Database | None,
        data_dir: Path,
        *,
        clock: Callable[[], datetime] | None = None,
        parent: QObject | None = None,
    ) -> AppContext:
        """A context with a fresh operations layer and the data folder's settings file.

        ``db`` may be None at start-up; see :meth:`attach_database`.
        """
        return cls(
            data_dir=data_dir,
            clock=clock or system_clock(),
            ops=Operations(TaskRunner(parent), parent),
            settings=open_gui_settings(data_dir),
            _db=db,
        )

    @property
    def db(self) -> Database:
        """The open database (pages other than Today are only built once it is open)."""
        if self._db is None:
            raise RuntimeError("The database is not open yet")
        return self._db

    @property
    def has_database(self) -> bool:
        return self._db is not None

    def attach_database(self, db: Database) -> None:
        """The database is open: every screen loads (``changed`` reports every kind)."""
        self._db = db
        self.ops.announce(Changes.everything())

    def now(self) -> datetime:
        """The aware local now (the fixed time in tests)."""
        return self.clock()

    @property
    def log_file(self) -> Path:
        return log_file_path(self.data_dir)
