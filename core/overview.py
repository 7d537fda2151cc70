"""Cheap questions about the whole database, answered with plain ``sqlite3``.

Today asks them when the window opens, before the ORM is loaded (see
:meth:`afterword.core.storage.db.Database.connect`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from afterword.core.storage.db import Database


def has_records(db: Database) -> bool:
    """Whether the database holds any application or contact (plain SQL: Today's
    empty state asks this at start-up, before the ORM is loaded)."""
    connection = db.connect()
    try:
        (found,) = connection.execute(
            "SELECT EXISTS (SELECT 1 FROM applications) OR EXISTS (SELECT 1 FROM contacts)"
        ).fetchone()
    finally:
        connection.close()
    return bool(found)
