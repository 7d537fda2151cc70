"""Interviews out to calendar apps: "Add to calendar" and the feed keeper.

:class:`FeedKeeper` keeps the calendar feed current: once the person chose a
path (in :mod:`afterword.gui.dialogs.calendar_feed`), every change to
interviews, applications or the checklist rewrites the file, a moment later
so a burst of changes is one
write. All core calls go through ``context.ops``; the core modules (and
icalendar) load on first use.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QMessageBox,
    QWidget,
)

from afterword.core.storage.changes import Changes, Kind
from afterword.gui.context import AppContext
from afterword.gui.lifetime import alive_or_none, if_alive

if TYPE_CHECKING:
    from afterword.core.storage.db import Database

logger = logging.getLogger(__name__)

# Changes after which the feed is written again; waiting gathers a burst into one write.
FEED_KINDS = (Kind.INTERVIEWS, Kind.APPLICATIONS, Kind.CHECKLIST, Kind.CONTACTS)
FEED_DELAY_MS = 500


def _write_interview_file(db: Database, interview_id: int, path: Path, now: datetime) -> Path:
    from afterword.core.calendar.export import write_interview_file

    return write_interview_file(db, interview_id, path, now=now)


def add_to_calendar(context: AppContext, interview_id: int, parent: QWidget | None = None) -> None:
    """Save one interview as an .ics file (with a reminder) where the person chooses."""
    name, _filter = QFileDialog.getSaveFileName(
        parent,
        "Add the interview to your calendar",
        str(Path.home() / f"interview-{interview_id}.ics"),
        "Calendar files (*.ics)",
    )
    if not name:
        return
    path = Path(name) if name.lower().endswith(".ics") else Path(f"{name}.ics")
    save_interview_calendar(context, interview_id, path, parent)


def save_interview_calendar(
    context: AppContext, interview_id: int, path: Path, parent: QWidget | None = None
) -> None:
    """Write the interview's .ics to ``path`` off the GUI thread, then say where it went."""
    context.ops.write(
        _write_interview_file,
        context.db,
        interview_id,
        path,
        context.now(),
        initiator=parent,
        on_success=lambda written: saved_box(written, alive_or_none(parent)),
        failure_title="The calendar file could not be saved",
    )


def saved_box(path: Path, parent: QWidget | None) -> QMessageBox:
    """Say where the file went, offering to open it with the calendar app."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle("Saved for your calendar")
    box.setText(f"The interview was saved as {path.name}.")
    box.setInformativeText("Open it with your calendar app to add it, reminder included.")
    open_button = box.addButton("Open in calendar", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Close)
    open_button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def feed_path_of(db: Database) -> Path | None:
    from afterword.core.calendar.feed_setting import feed_path

    return feed_path(db)


def set_feed_path_of(db: Database, path: Path | None, now: datetime) -> Path | None:
    from afterword.core.calendar.export import set_feed_path

    return set_feed_path(db, path, now=now)


def _update_feed(db: Database, now: datetime) -> Path | None:
    from afterword.core.calendar.export import update_feed

    return update_feed(db, now=now)


class FeedKeeper(QObject):
    """Rewrites the calendar feed after changes, when the person has one."""

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.path: Path | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FEED_DELAY_MS)
        self._timer.timeout.connect(self._write)
        context.ops.changed.connect(self._on_changed)
        if context.has_database:
            self._read_path()

    def _read_path(self) -> None:
        self.context.ops.read(
            "calendar-feed-path",
            feed_path_of,
            self.context.db,
            on_success=if_alive(self, self._got_path),
        )

    def _got_path(self, path: Path | None) -> None:
        self.path = path

    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.touches(Kind.SETTINGS):
            self._read_path()  # the feed may have been switched on or off
        if self.path is not None and changes.touches(*FEED_KINDS):
            self._timer.start()

    def _write(self) -> None:
        if self.path is None or not self.context.has_database:
            return
        self.context.ops.write(
            _update_feed,
            self.context.db,
            self.context.now(),
            initiator=self,
            failure_title="The calendar feed could not be updated",
        )
