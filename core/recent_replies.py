"""Replies noticed lately, as Today lists them ("Dana Lee replied, 2 Dec").

Read with plain ``sqlite3`` (:meth:`afterword.core.storage.db.Database.connect`):
Today asks for them when the window opens, before the ORM is loaded. The
replies themselves are found and recorded by :mod:`afterword.core.replies`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from afterword.core.checklist.kept import parse_moment, stored_moment
from afterword.core.storage.values import TouchpointKind

if TYPE_CHECKING:
    from afterword.core.storage.db import Database

RECENT = timedelta(days=7)

_RECENT_SQL = """
SELECT touchpoints.id, touchpoints.application_id, touchpoints.contact_id, contacts.name,
       touchpoints.occurred_at
FROM touchpoints JOIN contacts ON contacts.id = touchpoints.contact_id
WHERE touchpoints.kind = ? AND touchpoints.occurred_at >= ? AND touchpoints.occurred_at <= ?
ORDER BY touchpoints.occurred_at DESC, touchpoints.id DESC
"""


@dataclass(frozen=True)
class NoticedReply:
    """A reply recorded as a touchpoint: what Today shows ("Dana Lee replied, 2 Dec")."""

    touchpoint_id: int
    application_id: int
    contact_id: int
    name: str
    arrived_at: datetime


def recent_replies(
    db: Database, now: datetime, *, within: timedelta = RECENT
) -> list[NoticedReply]:
    """Replies that arrived in the last week, newest first (Today lists them)."""
    connection = db.connect()
    try:
        rows = connection.execute(
            _RECENT_SQL,
            (TouchpointKind.REPLIED.value, stored_moment(now - within), stored_moment(now)),
        ).fetchall()
    finally:
        connection.close()
    return [
        NoticedReply(tp_id, app_id or 0, contact_id, name, parse_moment(at))
        for tp_id, app_id, contact_id, name, at in rows
    ]
