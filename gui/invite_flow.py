"""The ways a calendar invite comes in, all ending in the preview dialog.

The "Import invite…" command, a file dropped on the window, .ics text
pasted, ``afterword FILE.ics`` and a file handed over by a second launch
all call :func:`import_invite_file` or :func:`import_invite_text`. Reading
and matching run off the GUI thread (``context.ops.read``); a file that
cannot be used is explained in the standard failure dialog and nothing is
written.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, Qt, QTimer
from PySide6.QtWidgets import QFileDialog, QWidget

from afterword.gui.context import AppContext
from afterword.gui.lifetime import alive_or_none

if TYPE_CHECKING:  # the core's calendar modules load icalendar and SQLAlchemy: on first use
    from afterword.core.calendar.importing import InvitePlan
    from afterword.core.storage.db import Database

logger = logging.getLogger(__name__)

INVITE_SUFFIXES = (".ics", ".ical", ".icalendar", ".vcs")
# icalendar takes 50 to 120 ms to import: loaded a while after start-up, so
# the first invite's preview opens as fast as the next ones.
WARM_UP_DELAY_MS = 3000
FAILURE_TITLE = "This invite cannot be imported"


def local_zone(context: AppContext) -> str:
    """The person's IANA zone (from the app's clock)."""
    return str(getattr(context.now().tzinfo, "key", "UTC"))


def is_invite_path(path: str | Path) -> bool:
    return str(path).lower().endswith(INVITE_SUFFIXES)


def is_invite_text(text: str) -> bool:
    return "BEGIN:VCALENDAR" in text[:4096].upper()


def invite_paths(mime: QMimeData) -> list[Path]:
    """The local .ics files in dragged or pasted data."""
    if not mime.hasUrls():
        return []
    return [
        Path(url.toLocalFile())
        for url in mime.urls()
        if url.isLocalFile() and is_invite_path(url.toLocalFile())
    ]


def _load_invite_modules() -> None:
    # icalendar only: it imports nothing of ours. Importing our own modules on
    # a worker while another imports them too can deadlock on their import
    # locks (the checklist's modules import each other).
    import icalendar.cal  # noqa: F401 (imported for its side effect: loaded once)


def warm_up(context: AppContext) -> None:
    """Load the invite modules in the background, once the app has settled."""

    def load() -> None:
        if context.has_database:
            # A failure here shows again, in its dialog, when an invite is imported.
            context.ops.read(
                None,
                _load_invite_modules,
                on_failure=lambda error: logger.warning("Invite modules not preloaded: %s", error),
            )

    QTimer.singleShot(WARM_UP_DELAY_MS, load)


def _plan_file(db: Database, path: Path, zone: str) -> InvitePlan:
    from afterword.core.calendar.importing import plan_invite
    from afterword.core.calendar.invites import read_invite_file

    return plan_invite(db, read_invite_file(path, local_zone=zone))


def _plan_text(db: Database, text: str, zone: str) -> InvitePlan:
    from afterword.core.calendar.importing import plan_invite
    from afterword.core.calendar.invites import read_invite

    return plan_invite(db, read_invite(text, local_zone=zone))


def _show_preview(context: AppContext, parent: QWidget | None, plan: InvitePlan) -> None:
    from afterword.gui.dialogs.invite_preview import InvitePreviewDialog

    dialog = InvitePreviewDialog(context, plan, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()


def import_invite_file(context: AppContext, path: Path, parent: QWidget | None = None) -> None:
    """Read ``path`` off the GUI thread and show its preview (or why it cannot be used)."""
    logger.info("Importing an invite file")
    context.ops.read(
        None,
        _plan_file,
        context.db,
        Path(path),
        local_zone(context),
        on_success=lambda plan: _show_preview(context, alive_or_none(parent), plan),
        failure_title=FAILURE_TITLE,
    )


def import_invite_text(context: AppContext, text: str, parent: QWidget | None = None) -> None:
    """Pasted .ics text: the same as a file."""
    context.ops.read(
        None,
        _plan_text,
        context.db,
        text,
        local_zone(context),
        on_success=lambda plan: _show_preview(context, alive_or_none(parent), plan),
        failure_title=FAILURE_TITLE,
    )


def choose_invite_file(context: AppContext, parent: QWidget | None = None) -> None:
    """The "Import invite…" command: pick an .ics file, then preview it."""
    name, _filter = QFileDialog.getOpenFileName(
        parent,
        "Import a calendar invite",
        str(Path.home()),
        "Calendar invites (*.ics *.ical *.icalendar *.vcs);;All files (*)",
    )
    if name:
        import_invite_file(context, Path(name), parent)
