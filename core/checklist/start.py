"""Today at start-up, read from the database file with the standard library's ``sqlite3`` only.

The window can show Today before SQLAlchemy (let alone its ORM) is
imported: :func:`read_today` runs fixed SQL over the kept checklist items
(``checklist_items``, kept by :mod:`afterword.core.checklist.keeper`) on a
read-only connection. It gives the same list as
:func:`afterword.core.checklist.service.today`, or None when the kept items
cannot answer for ``now`` (never built, made for another time zone or year
or by other rules, an older schema, an unreadable file): the caller then
uses the service, which makes them again.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from afterword.core.checklist.items import ChecklistItem
from afterword.core.checklist.kept import (
    KEPT_FOR_SQL,
    TODAY_SQL,
    KeptFor,
    item_from_row,
    stored_moment,
)
from afterword.core.checklist.rules import today_horizon, urgency

logger = logging.getLogger(__name__)


def read_today(path: Path, now: datetime) -> list[ChecklistItem] | None:
    """Today's items at ``now`` (aware, in the user's zone) from the file at ``path``, or None."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be time-zone aware: its zone is the user's")
    try:
        connection = sqlite3.connect(
            f"{Path(path).absolute().as_uri()}?mode=ro", uri=True, isolation_level=None
        )
    except sqlite3.Error as exc:
        logger.info("No start-up Today from %s: %s", path, exc)
        return None
    try:
        connection.execute("BEGIN")  # one snapshot for what they were made for and the items
        row = connection.execute(KEPT_FOR_SQL).fetchone()
        if row is None or not KeptFor(*row).fits(now):
            return None
        rows = connection.execute(
            TODAY_SQL, (stored_moment(today_horizon(now)), stored_moment(now))
        ).fetchall()
    except sqlite3.Error as exc:
        logger.info("No start-up Today from %s: %s", path, exc)
        return None
    finally:
        connection.close()
    # The SQL chose exactly Today's items; in UTC, comparing moments is quicker.
    moment = now.astimezone(UTC)
    return sorted((item_from_row(row, moment) for row in rows), key=urgency)
