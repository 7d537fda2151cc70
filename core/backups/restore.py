"""Restore from a backup: check it fully, keep what is there now, swap, reopen.

The chosen file is never changed. It must pass everything opening a
database checks (so a newer, damaged or foreign file is refused with the
same messages, advising to choose another backup), and more: it may not be
empty or hold no Afterword data, every page must pass SQLite's
``integrity_check``, and once brought to the current schema it must have
every table and column of it. It is copied into the data folder with
SQLite's backup API (what is still in its WAL included), migrated there if
older, and only then is the current database kept and closed, and the copy
renamed over it in one step: at every moment the data folder holds either
the old database or the restored one, whole. The live database itself is
refused: it is not a backup, and restoring it would change nothing.

What is there now is kept first, as a ``before-restore`` backup. A damaged
database cannot be backed up (its copy fails the check), and that is when
people restore: its files are then copied aside as they are, into the
backup folder as ``damaged-afterword-<UTC time>.sqlite3`` (a name rotation
never touches), and the restore goes on.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from afterword.core.backups.snapshots import Backup, back_up_now, stamped
from afterword.core.errors import DamagedDatabaseError, DatabaseError, NotAnAfterwordDatabaseError
from afterword.core.storage import integrity
from afterword.core.storage.db import (
    Database,
    damaged_error,
    newer_error,
    open_database,
    stamped_revision,
)
from afterword.core.storage.files import (
    SIDE_FILES,
    chosen_folder,
    create_private_file,
    private_database,
    write_snapshot,
)
from afterword.core.storage.migrations import KNOWN_REVISIONS
from afterword.core.storage.schema import missing_from_head

logger = logging.getLogger(__name__)

_STAGING = ".afterword-restore.sqlite3"
# What a refusal advises: the file is a backup the person picked, not their data file.
ADVICE = "choose another backup"
DAMAGED_LABEL = "damaged"


def _remove(path: Path) -> None:
    for file in (path, *(path.with_name(path.name + suffix) for suffix in SIDE_FILES)):
        file.unlink(missing_ok=True)
    for stray in path.parent.glob(f"{path.name}.bak-*"):
        stray.unlink(missing_ok=True)


def _is_live(chosen: Path, live: Path) -> bool:
    with contextlib.suppress(OSError):
        return chosen.samefile(live)
    return False


def _check_chosen(chosen: Path, live: Path, backup_folder: Path) -> None:
    """The checks made on the chosen file itself (read-only), before copying it."""
    if _is_live(chosen, live):
        raise DatabaseError(
            f"{chosen} is the database Afterword is using now, not a backup: restoring it "
            f"would change nothing. Nothing was restored; choose a backup from {backup_folder}."
        )
    try:
        size = chosen.stat().st_size
    except OSError as exc:
        raise DatabaseError(f"{chosen} cannot be read ({exc.strerror}); {ADVICE}.") from exc
    if not size:
        raise NotAnAfterwordDatabaseError(
            f"{chosen} is empty (0 bytes): it holds no data. It was left untouched; {ADVICE}."
        )
    revision = stamped_revision(chosen, advice=ADVICE)
    if revision is None:
        raise NotAnAfterwordDatabaseError(
            f"{chosen} is an empty SQLite database: it holds no Afterword data. "
            f"It was left untouched; {ADVICE}."
        )
    if revision not in KNOWN_REVISIONS:
        raise newer_error(chosen, revision)


def prepare_restore(chosen: Path, live: Path, backup_folder: Path) -> Path:
    """A fully checked (and, if older, migrated) copy of ``chosen`` beside ``live``.

    Raises the same :class:`DatabaseError` subclasses as opening would (and
    refuses an empty file, the live database itself, and a file that fails
    ``integrity_check`` or lacks part of the schema); the chosen file is left
    untouched either way.
    """
    chosen = Path(chosen).absolute()
    _check_chosen(chosen, live, backup_folder)
    staging = live.parent / _STAGING
    _remove(staging)
    try:
        try:
            write_snapshot(chosen, staging)  # SQLite's backup API, then integrity_check
        except DamagedDatabaseError as exc:
            raise damaged_error(chosen, exc.reason, advice=ADVICE) from exc
        except DatabaseError as exc:
            raise DatabaseError(
                f"{chosen} could not be copied into {live.parent} ({exc.__cause__}). "
                f"Nothing was restored; make sure the disk has space and try again, or {ADVICE}."
            ) from exc
        try:
            open_database(staging).close()  # migrates an older backup
        except DatabaseError as exc:
            raise type(exc)(str(exc).replace(str(staging), str(chosen))) from exc
        with contextlib.closing(sqlite3.connect(integrity.read_only_uri(staging), uri=True)) as c:
            missing = missing_from_head(c)
        if missing:
            raise NotAnAfterwordDatabaseError(
                f"{chosen} lacks part of an Afterword database ({', '.join(missing[:5])}). "
                f"It was left untouched; {ADVICE}."
            )
    except BaseException:
        _remove(staging)
        raise
    for stray in staging.parent.glob(f"{_STAGING}.bak-*"):
        stray.unlink()
    return staging


def set_aside_damaged(path: Path, folder: Path, *, now: datetime) -> Backup:
    """Copy a damaged database (and its WAL) into ``folder`` byte for byte; returns the copy.

    Named ``damaged-afterword-<UTC time>.sqlite3``, which rotation never touches.
    """
    taken_at, stamp = stamped(now)
    chosen_folder(folder)
    target = folder / f"{DAMAGED_LABEL}-afterword-{stamp}.sqlite3"
    # The WAL first: a checkpoint between the two copies then only means the
    # copied WAL repeats pages the copied main file already has.
    pairs = [
        (path.with_name(f"{path.name}-wal"), target.with_name(f"{target.name}-wal")),
        (path, target),
    ]
    try:
        for source, copy in pairs:
            if source.exists():
                copy.unlink(missing_ok=True)
                create_private_file(copy)
                shutil.copyfile(source, copy)
                with copy.open("rb+") as handle:
                    os.fsync(handle.fileno())
    except OSError as exc:
        for _source, copy in pairs:
            copy.unlink(missing_ok=True)
        raise DatabaseError(
            f"Could not copy the damaged database {path} to {target} ({exc.strerror}). "
            "Nothing was restored; free some disk space or choose another backup folder."
        ) from exc
    logger.warning("Set the damaged database %s aside as %s", path, target)
    return Backup(target, taken_at, DAMAGED_LABEL)


def _keep_current(db: Database, backup_folder: Path, *, now: datetime) -> Backup:
    """A backup of what is there now; a raw copy set aside if it is damaged."""
    try:
        return back_up_now(db, backup_folder, now=now, label="before-restore")
    except DamagedDatabaseError:
        return set_aside_damaged(db.path, backup_folder, now=now)


def restore_backup(
    db: Database, chosen: Path, backup_folder: Path, *, now: datetime
) -> tuple[Database, Backup]:
    """Replace ``db`` by the backup ``chosen``; returns the reopened database and the
    copy of what was there before (``label`` "damaged" if it was set aside damaged).

    ``db`` is closed on success; if anything fails before the swap, it stays
    open and unchanged.
    """
    staging = prepare_restore(chosen, db.path, backup_folder)
    try:
        before = _keep_current(db, backup_folder, now=now)
    except DatabaseError:
        _remove(staging)
        raise
    db.close()  # the last connection checkpoints the WAL and removes it
    wal = db.path.with_name(f"{db.path.name}-wal")
    if wal.exists() and wal.stat().st_size:
        _remove(staging)
        raise DatabaseError(
            f"{db.path} is still in use by another program; nothing was restored. "
            "Close it and try again."
        )
    for suffix in SIDE_FILES:
        with contextlib.suppress(FileNotFoundError):
            db.path.with_name(db.path.name + suffix).unlink()
    staging.replace(db.path)
    private_database(db.path)
    logger.info("Restored %s from %s (the previous one is in %s)", db.path, chosen, before.path)
    return open_database(db.path), before
