"""Backups: complete snapshots of the database in a folder, taken daily and on demand.

Each backup is one self-contained SQLite file made with SQLite's backup API
(never a copy of the live file and its WAL), written under a temporary name,
checked and then renamed, so a folder that a cloud client syncs only ever
sees whole, consistent files. Names carry the UTC time they were taken
(``afterword-20260311T090000Z.sqlite3``), which is also how they sort.

Rotation keeps the newest backup of each of the last :data:`KEEP_DAILY`
days that have one, and the newest of each of the last :data:`KEEP_WEEKLY`
weeks beyond those. A labelled backup (a safety copy such as
``afterword-20260311T090000Z-before-restore.sqlite3``, taken before a
restore) may be the only copy of what someone typed that day, so on top of
that rule every labelled backup is kept for :data:`KEEP_LABELLED_DAYS`
days, and the newest :data:`KEEP_LABELLED` whatever their age. Other files
in the folder are never touched.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from afterword.core.storage.db import Database
from afterword.core.storage.files import chosen_folder, write_snapshot
from afterword.core.storage.validation import clock

logger = logging.getLogger(__name__)

KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_LABELLED_DAYS = 30
KEEP_LABELLED = 3
BACKUP_FOLDER_NAME = "backups"
_STAMP = "%Y%m%dT%H%M%SZ"
_NAME = re.compile(r"^afterword-(\d{8}T\d{6}Z)(?:-([a-z-]+))?\.sqlite3$")


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime  # UTC
    label: str = ""  # "before-restore" and the like; "" for a daily or on-demand backup


def default_folder(data_folder: Path) -> Path:
    """Where backups go unless the person chose another folder."""
    return data_folder / BACKUP_FOLDER_NAME


def stamped(now: datetime) -> tuple[datetime, str]:
    """``now`` in UTC to the second, and as it is written in file names."""
    taken_at = clock(now).astimezone(UTC).replace(microsecond=0)
    return taken_at, taken_at.strftime(_STAMP)


def back_up_now(db: Database, folder: Path, *, now: datetime, label: str = "") -> Backup:
    """Write a verified snapshot of ``db`` into ``folder`` (created 0700 if new); returns it.

    ``label`` (lower-case words joined by ``-``) marks special backups, such
    as the one taken before a restore.
    """
    taken_at, stamp = stamped(now)
    chosen_folder(folder)
    suffix = f"-{label}" if label else ""
    target = folder / f"afterword-{stamp}{suffix}.sqlite3"
    write_snapshot(db.path, target)
    logger.info("Backed up the database to %s", target)
    return Backup(target, taken_at, label)


def list_backups(folder: Path) -> list[Backup]:
    """The backups in ``folder``, newest first (files with other names are ignored)."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if match and path.is_file():
            taken_at = datetime.strptime(match[1], _STAMP).replace(tzinfo=UTC)
            found.append(Backup(path, taken_at, match[2] or ""))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def backups_to_keep(backups: list[Backup], *, now: datetime) -> set[Path]:
    """The newest per day for :data:`KEEP_DAILY` days, then per ISO week for
    :data:`KEEP_WEEKLY` more weeks (``backups`` newest first); and every labelled
    backup taken in the last :data:`KEEP_LABELLED_DAYS` days, and the newest
    :data:`KEEP_LABELLED` labelled ones."""
    keep: set[Path] = set()
    days: set[date] = set()
    weeks: set[tuple[int, int]] = set()
    for backup in backups:
        day = backup.taken_at.date()
        week = day.isocalendar()[:2]
        if day in days or week in weeks:
            continue
        if len(days) < KEEP_DAILY:
            days.add(day)
            keep.add(backup.path)
        elif len(weeks) < KEEP_WEEKLY and all(d.isocalendar()[:2] != week for d in days):
            weeks.add(week)
            keep.add(backup.path)
    labelled = [backup for backup in backups if backup.label]
    recent = clock(now) - timedelta(days=KEEP_LABELLED_DAYS)
    keep.update(b.path for b in labelled[:KEEP_LABELLED])
    keep.update(b.path for b in labelled if b.taken_at >= recent)
    return keep


def prune(folder: Path, *, now: datetime) -> list[Path]:
    """Delete the backups rotation no longer keeps; returns them."""
    backups = list_backups(folder)
    keep = backups_to_keep(backups, now=now)
    removed = []
    for backup in backups:
        if backup.path not in keep:
            backup.path.unlink(missing_ok=True)
            removed.append(backup.path)
            logger.info("Removed old backup %s", backup.path)
    return removed


def daily_backup(db: Database, folder: Path, *, now: datetime) -> Backup | None:
    """Back up if there is no backup from today (UTC) yet, then rotate; None if not due."""
    today = clock(now).astimezone(UTC).date()
    newest = next(iter(list_backups(folder)), None)
    if newest is not None and newest.taken_at.date() >= today:
        return None
    backup = back_up_now(db, folder, now=now)
    prune(folder, now=now)
    return backup
