"""Turning the time zones of calendar files into IANA zone names.

icalendar resolves IANA names and Windows names (``W. Europe Standard Time``)
to ``ZoneInfo``; a custom VTIMEZONE block (Outlook's ``Customized Time Zone``)
becomes a rule-based zone without a name. Afterword stores interviews with an
IANA name, so such a zone is matched to the IANA zone whose offsets agree
with it all year round, preferring the person's own zone.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

logger = logging.getLogger(__name__)

# Weekly samples over a year catch different daylight-saving dates (the US
# and Europe switch a few weeks apart).
_SAMPLES = 53


def _offsets(zone: tzinfo, instants: tuple[datetime, ...]) -> tuple[timedelta | None, ...]:
    return tuple(instant.astimezone(zone).utcoffset() for instant in instants)


@lru_cache(maxsize=1)
def _candidates() -> tuple[str, ...]:
    # Region/City names only: "Etc/GMT+1" and legacy aliases are poor names to
    # show. The big regions first: "Europe/Amsterdam" reads better than "Africa/Ceuta".
    names = [
        name
        for name in available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
    ]
    major = ("Europe/", "America/", "Asia/", "Australia/")
    return tuple(sorted(names, key=lambda name: (not name.startswith(major), name)))


def iana_name(zone: tzinfo, at: datetime, *, prefer: str | None = None) -> str | None:
    """The IANA name of ``zone`` (checked around ``at``), or None if none matches.

    UTC becomes ``prefer`` (the person's zone) when given: invites written in
    UTC say nothing about where the interview is planned.
    """
    key = getattr(zone, "key", None)
    if isinstance(key, str) and key:
        return prefer if key == "UTC" and prefer else key
    if _is_utc(zone, at):
        return prefer or "UTC"
    start = at.replace(tzinfo=None).replace(tzinfo=UTC)
    instants = tuple(start + timedelta(weeks=week) for week in range(_SAMPLES))
    wanted = _offsets(zone, instants)
    names = ([prefer] if prefer else []) + list(_candidates())
    for name in names:
        if _offsets(ZoneInfo(name), instants) == wanted:
            logger.info("Matched a custom time zone to %s", name)
            return name
    return None


def _is_utc(zone: tzinfo, at: datetime) -> bool:
    """A zone with offset zero in both winter and summer is UTC for our purposes."""
    winter = datetime(at.year, 1, 15, tzinfo=UTC).astimezone(zone).utcoffset()
    summer = datetime(at.year, 7, 15, tzinfo=UTC).astimezone(zone).utcoffset()
    return winter == summer == timedelta(0)
