"""Turning the time zones of calendar files into IANA zone names.

icalendar resolves IANA names and Windows names (``W. Europe Standard Time``)
to ``ZoneInfo``; a custom VTIMEZONE block (Outlook's ``Customized Time Zone``)
becomes a rule-based zone without a name. Afterword stores interviews with an
IANA name, so such a zone is matched to the IANA zone whose offsets agree
with it all year round, preferring the person's own zone.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from itertools import pairwise
from zoneinfo import ZoneInfo, available_timezones

logger = logging.getLogger(__name__)

# Offsets are sampled every four weeks over a year, and each change found
# between two samples is narrowed down to the hour, so zones that switch to
# daylight-saving time on other dates or hours (the US and Europe differ by
# weeks, Havana and New York by two hours) are told apart. Custom zones are
# slow to ask (their rules start in 1601, and each question walks from
# there), so they are asked as few times as that takes, at wall-clock times
# (one rule lookup each; converting from UTC takes several).
_STEP = timedelta(weeks=4)
_SAMPLES = 14
_PRECISION = timedelta(hours=1)


def _offsets(zone: tzinfo, moments: Sequence[datetime]) -> tuple[timedelta | None, ...]:
    """``zone``'s offsets at the naive wall-clock ``moments``."""
    return tuple(zone.utcoffset(moment) for moment in moments)


def _profile(zone: tzinfo, start: datetime) -> dict[datetime, timedelta]:
    """Offsets that characterise ``zone``: at samples, and an hour either side of each change.

    Keyed by the UTC instant each wall-clock moment is in ``zone``: the
    moments are an hour away from a change's edges, outside its gap or
    overlap, so that instant is unambiguous; other zones are then asked
    about the same instants, which is unambiguous for them too.
    """
    samples = [start + _STEP * n for n in range(_SAMPLES)]
    offsets = _offsets(zone, samples)
    profile = dict(zip(samples, offsets, strict=True))
    for (before, after), (old, new) in zip(pairwise(samples), pairwise(offsets), strict=True):
        if old == new:
            continue
        low, high = before, after
        while high - low > _PRECISION:
            middle = low + (high - low) / 2
            if zone.utcoffset(middle) == old:
                low = middle
            else:
                high = middle
        profile[low - _PRECISION] = old
        profile[high + _PRECISION] = new
    return {
        (moment - offset).replace(tzinfo=UTC): offset
        for moment, offset in profile.items()
        if offset is not None
    }


@lru_cache(maxsize=1)
def _candidates() -> tuple[str, ...]:
    """Zone names to try, best-known first.

    The zones Windows names stand for (New York, Berlin, London...) come
    first: they are the names people know. Then the other Region/City names;
    "Etc/GMT+1" and legacy aliases are poor names to show.
    """
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    known = available_timezones()
    first = sorted({name for name in WINDOWS_TO_OLSON.values() if name in known and "/" in name})
    rest = sorted(
        name
        for name in known
        if "/" in name
        and name not in first
        and not name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
    )
    return (*first, *rest)


def iana_name(
    zone: tzinfo, at: datetime, *, prefer: str | None = None, tzid: str = ""
) -> str | None:
    """The IANA name of ``zone`` (checked around ``at``), or None if none matches.

    ``tzid`` is the name the calendar file gave the zone. UTC becomes
    ``prefer`` (the person's zone) when given: invites written in
    UTC say nothing about where the interview is planned.
    """
    key = getattr(zone, "key", None)
    if isinstance(key, str) and key:
        return prefer if key == "UTC" and prefer else key
    if _is_utc(zone, at):
        return prefer or "UTC"
    profile = _profile(zone, at.replace(tzinfo=None))
    moments = list(profile)
    wanted = tuple(profile.values())
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    # A custom block named like a Windows zone most likely is that zone.
    named = WINDOWS_TO_OLSON.get(tzid)
    names = [n for n in (prefer, named) if n] + list(_candidates())
    for name in names:
        candidate = ZoneInfo(name)
        if tuple(instant.astimezone(candidate).utcoffset() for instant in moments) == wanted:
            logger.info("Matched a custom time zone to %s", name)
            return name
    return None


def _is_utc(zone: tzinfo, at: datetime) -> bool:
    """A zone with offset zero in both winter and summer is UTC for our purposes."""
    winter = zone.utcoffset(datetime(at.year, 1, 15, 12))
    summer = zone.utcoffset(datetime(at.year, 7, 15, 12))
    return winter == summer == timedelta(0)
