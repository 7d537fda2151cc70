"""The full integrity check of a database file, kept off the start-up path.

Opening a database only makes the cheap checks (header, whole pages, that it
is ours, its schema version); reading every page takes about 50 ms per
25 MB and grows with the history. :func:`check_file` reads them all with
SQLite's ``quick_check`` on a read-only connection of its own (SQLite
releases the GIL while it reads, so a GUI stays responsive). It runs before
a migration or a backup, and the app runs it once in idle time after Today
is shown; on a damaged file the database refuses writes
(:meth:`afterword.core.storage.db.Database.refuse_writes`) with
:func:`damaged_message`, which sends the person to Restore from backup (a
restore works on a damaged database: it sets the damaged file aside).
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

logger = logging.getLogger(__name__)


def damaged_message(path: Path, reason: object, *, backups: Path) -> str:
    """What to tell a person whose database file is damaged: restore a backup from
    ``backups`` (the folder they are in) with Settings › Your data.

    The plain words first; what SQLite reported last, for whoever helps them.
    """
    return (
        f"The database file {path} is damaged. Afterword will not save changes to it, "
        "so nothing more is lost.\n\nTo get your data back, restore your newest backup with "
        f"Settings › Your data › Restore from backup…; your backups are in {backups}. "
        "Restoring keeps a copy of the damaged file there too, in case someone can "
        f"recover more from it.\n\nWhat SQLite found: {reason}"
    )


def read_only_uri(path: Path) -> str:
    """A URI opening ``path`` read-only without creating or changing any file.

    Read-only still creates -wal and -shm files for a WAL database. With no
    -wal file there is nothing outside the main file to read, so it can be
    opened as immutable, which creates nothing.
    """
    path = Path(path).absolute()
    wal = path.with_name(f"{path.name}-wal")
    return f"{path.as_uri()}?mode=ro{'' if wal.exists() else '&immutable=1'}"


def check_file(path: Path, *, thorough: bool = False) -> str | None:
    """``None`` if every page of ``path`` reads back well, else what SQLite found wrong.

    ``thorough`` runs ``integrity_check`` instead of ``quick_check``: it also
    checks that every index matches its table, which takes a few times as
    long. A file about to replace the database (a restore) gets it.
    """
    pragma = "integrity_check" if thorough else "quick_check"
    try:
        connection = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            (result,) = connection.execute(f"PRAGMA {pragma}(1)").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        result = str(exc)
    if result == "ok":
        return None
    logger.error("Integrity check of %s failed: %s", path, result)
    return str(result)
