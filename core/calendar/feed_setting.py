"""Where the person keeps their calendar feed: one setting, read without the ORM.

The GUI asks for it when the database opens, before Today is shown, so it is
read with plain ``sqlite3`` (see :meth:`afterword.core.storage.db.Database.connect`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from afterword.core.storage.db import Database

FEED_PATH_KEY = "calendar_feed_path"


def feed_path(db: Database) -> Path | None:
    """The feed's path, or None when the person has not asked for a feed."""
    connection = db.connect()
    try:
        row = connection.execute(
            "SELECT value FROM settings WHERE key = ?", (FEED_PATH_KEY,)
        ).fetchone()
    finally:
        connection.close()
    return Path(row[0]) if row is not None and row[0] else None
