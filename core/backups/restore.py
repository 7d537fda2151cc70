"""Restore from a backup: check it, back up what is there now, swap, reopen.

The chosen file is never changed. A copy of it, in the data folder, goes
through exactly what opening a database does (so a newer, damaged or
foreign file is refused with the same messages) and is migrated if it is
older. Only then is the current database backed up and closed, and the
copy renamed over it in one step: at every moment the data folder holds
either the old database or the restored one, whole.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
from datetime import datetime
from pathlib import Path

from afterword.core.backups.snapshots import Backup, back_up_now
from afterword.core.errors import DatabaseError
from afterword.core.storage.db import Database, open_database
from afterword.core.storage.files import SIDE_FILES, create_private_file, private_database

logger = logging.getLogger(__name__)

_STAGING = ".afterword-restore.sqlite3"


def _remove(path: Path) -> None:
    for file in (path, *(path.with_name(path.name + suffix) for suffix in SIDE_FILES)):
        file.unlink(missing_ok=True)
    for stray in path.parent.glob(f"{path.name}.bak-*"):
        stray.unlink(missing_ok=True)


def _same_error(error: DatabaseError, staging: Path, chosen: Path) -> DatabaseError:
    """The opening error, about the file the person chose rather than our copy of it."""
    message = str(error).replace(str(staging), str(chosen))
    message = message.replace(" or move it away", "").replace(
        "restore a backup (.afterword-restore.sqlite3.bak-* files in the same folder)",
        "choose another backup",
    )
    return type(error)(message)


def prepare_restore(chosen: Path, data_folder: Path) -> Path:
    """A checked (and, if older, migrated) copy of ``chosen`` in ``data_folder``.

    Raises the same :class:`DatabaseError` subclasses as opening would; the
    chosen file is left untouched either way.
    """
    staging = data_folder / _STAGING
    _remove(staging)
    try:
        create_private_file(staging)
        shutil.copyfile(chosen, staging)
    except OSError as exc:
        _remove(staging)
        raise DatabaseError(f"{chosen} cannot be read ({exc.strerror}).") from exc
    try:
        open_database(staging).close()
    except DatabaseError as exc:
        _remove(staging)
        raise _same_error(exc, staging, chosen) from exc
    for stray in data_folder.glob(f"{_STAGING}.bak-*"):
        stray.unlink()
    return staging


def restore_backup(
    db: Database, chosen: Path, backup_folder: Path, *, now: datetime
) -> tuple[Database, Backup]:
    """Replace ``db`` by the backup ``chosen``; returns the reopened database and the
    backup of what was there before.

    ``db`` is closed on success; if anything fails before the swap, it stays
    open and unchanged.
    """
    staging = prepare_restore(chosen, db.path.parent)
    try:
        before = back_up_now(db, backup_folder, now=now, label="before-restore")
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
