"""The interviews of the day, as Today offers them ("Before you go in…").

Read with plain ``sqlite3`` (:meth:`afterword.core.storage.db.Database.connect`),
like :mod:`afterword.core.recent_replies`: Today asks when the window opens,
before the ORM is loaded. The sheet itself is :mod:`afterword.core.prepare`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from afterword.core.checklist.kept import parse_moment, stored_moment

if TYPE_CHECKING:
    from afterword.core.storage.db import Database

_DAY_SQL = """
SELECT interviews.id, applications.company, applications.role, interviews.round_name,
       interviews.starts_at, interviews.timezone, interviews.duration_minutes
FROM interviews JOIN applications ON applications.id = interviews.application_id
WHERE interviews.starts_at >= ? AND interviews.starts_at < ? AND NOT interviews.cancelled
  AND applications.status NOT IN ('rejected', 'withdrawn')
ORDER BY interviews.starts_at, interviews.id
"""


@dataclass(frozen=True, kw_only=True)
class InterviewToPrepare:
    """An interview of the day, as Today offers it."""

    interview_id: int
    company: str
    role: str
    round_name: str
    starts_at: datetime
    timezone: str


def interviews_to_prepare(db: Database, now: datetime) -> list[InterviewToPrepare]:
    """The interviews on ``now``'s day (in ``now``'s zone) that have not ended, earliest first.

    Cancelled interviews, and those of applications rejected or withdrawn, are
    left out: there is nothing to go in to.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be time-zone aware: its zone is the user's")
    day_start = datetime.combine(now.date(), time(0), tzinfo=now.tzinfo)
    day_end = day_start + timedelta(days=1)
    connection = db.connect()
    try:
        rows = connection.execute(
            _DAY_SQL, (stored_moment(day_start), stored_moment(day_end))
        ).fetchall()
    finally:
        connection.close()
    found: list[InterviewToPrepare] = []
    for interview_id, company, role, round_name, starts, zone, minutes in rows:
        starts_at = parse_moment(starts)
        if starts_at + timedelta(minutes=minutes) > now:
            found.append(
                InterviewToPrepare(
                    interview_id=interview_id,
                    company=company,
                    role=role,
                    round_name=round_name,
                    starts_at=starts_at,
                    timezone=zone,
                )
            )
    return found
