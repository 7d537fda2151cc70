"""Reading a calendar invite (.ics) into a plain :class:`Invite`; nothing is written.

Invites come from Google Calendar, Outlook/Exchange/Teams, Zoom and iCloud.
:func:`read_invite` checks the size, parses with icalendar, picks the event,
resolves its time zone to an IANA name and finds its video link and people.
Anything it cannot use raises :class:`InviteError` with a message for the
person. Times without a zone ("floating") and all-day events are returned
as such: the preview asks which zone, or which time, they mean.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from afterword.core.calendar.links import find_video_link
from afterword.core.calendar.zones import iana_name
from afterword.core.errors import AfterwordError
from afterword.core.storage.text import speaking_order

logger = logging.getLogger(__name__)

MAX_INVITE_BYTES = 5 * 1024 * 1024
# An all-day event has no time; the preview starts it here until the person picks one.
ALL_DAY_DEFAULT_START = time(9, 0)
DEFAULT_MINUTES = 60


# The UIDs Afterword's exports give interviews (see afterword.core.calendar.export).
OWN_UID_DOMAIN = "afterword.app"
_OWN_UID = re.compile(rf"interview-(\d+)@{re.escape(OWN_UID_DOMAIN)}")


def own_interview_id(uid: str) -> int | None:
    """The interview id in a UID Afterword wrote, else None."""
    match = _OWN_UID.fullmatch(uid)
    return int(match.group(1)) if match else None


class InviteError(AfterwordError):
    """A calendar file that cannot become an interview; the message says why."""


@dataclass(frozen=True)
class InvitePerson:
    name: str
    email: str
    organizer: bool = False


@dataclass(frozen=True)
class Invite:
    """One event of a calendar file, as Afterword needs it.

    ``start`` and ``end`` are aware when the file says the zone (``zone`` is
    then its IANA name); naive when it does not (``floating``) or for an
    all-day event (``all_day``: ``start`` is that day at 09:00).
    """

    method: str  # REQUEST, PUBLISH or CANCEL
    uid: str
    sequence: int
    summary: str
    description: str
    location: str
    start: datetime
    end: datetime
    zone: str | None
    all_day: bool
    floating: bool
    video_link: str
    people: tuple[InvitePerson, ...]

    @property
    def cancelled(self) -> bool:
        return self.method == "CANCEL"

    @property
    def duration_minutes(self) -> int:
        return max(1, round((self.end - self.start).total_seconds() / 60))


def read_invite(data: bytes | str, *, local_zone: str | None = None) -> Invite:
    """Parse ``data`` (the bytes of an .ics file, or pasted text) into an :class:`Invite`.

    ``local_zone`` (the person's IANA zone) names times given in UTC and is
    preferred when a custom time-zone block matches several zones.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > MAX_INVITE_BYTES:
        raise InviteError(
            f"This calendar file is {len(raw) / 1024 / 1024:.1f} MB; invites over 5 MB "
            "are not read. Nothing was imported."
        )
    if b"BEGIN:VCALENDAR" not in raw[:4096].upper():
        raise InviteError("This is not a calendar file (no BEGIN:VCALENDAR). Nothing was imported.")
    from icalendar import Calendar  # imported on first use: not needed at start-up

    try:
        calendar = Calendar.from_ical(raw)
        events = [e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" not in e] or list(
            calendar.walk("VEVENT")
        )
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise InviteError(f"This calendar file is damaged and cannot be read ({exc}).") from exc
    if not events:
        raise InviteError("This calendar file holds no event. Nothing was imported.")
    method = str(calendar.get("METHOD", "PUBLISH")).strip().upper() or "PUBLISH"
    event = events[0]
    try:
        return _invite(event, method, local_zone)
    except InviteError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InviteError(f"The event in this calendar file cannot be read ({exc}).") from exc


def read_invite_file(path: Path, *, local_zone: str | None = None) -> Invite:
    """:func:`read_invite` on a file, refusing one over 5 MB before reading it."""
    try:
        size = path.stat().st_size
        if size > MAX_INVITE_BYTES:
            raise InviteError(
                f"{path.name} is {size / 1024 / 1024:.1f} MB; invites over 5 MB are not read. "
                "Nothing was imported."
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InviteError(f"{path.name} cannot be read ({exc.strerror}).") from exc
    return read_invite(data, local_zone=local_zone)


def _text(event: Any, name: str) -> str:
    value = event.get(name)
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0]
    return str(value).strip()


def _when(event: Any, name: str) -> tuple[date | datetime | None, str]:
    prop = event.get(name)
    if prop is None:
        return None, ""
    return prop.dt, str(prop.params.get("TZID", ""))


def _invite(event: Any, method: str, local_zone: str | None) -> Invite:
    if method not in ("REQUEST", "PUBLISH", "CANCEL"):
        raise InviteError(
            f"This calendar file is a {method} message (a reply or counter-proposal), "
            "not an invitation. Nothing was imported."
        )
    uid = _text(event, "UID")
    if not uid:
        raise InviteError(
            "The event has no UID, so updates could not find it. Nothing was imported."
        )
    start, start_tzid = _when(event, "DTSTART")
    if start is None:
        raise InviteError("The event has no start time. Nothing was imported.")
    end, end_tzid = _when(event, "DTEND")
    all_day = not isinstance(start, datetime)
    floating = False
    zone: str | None = None
    if all_day:
        day = start
        start = datetime.combine(day, ALL_DAY_DEFAULT_START)
        end = start + timedelta(minutes=DEFAULT_MINUTES)
    else:
        assert isinstance(start, datetime)
        if start.tzinfo is None:
            if start_tzid:
                raise InviteError(
                    f"The invite uses the time zone “{start_tzid}”, which is unknown and "
                    "not described in the file. Nothing was imported."
                )
            floating = True
        else:
            zone = iana_name(start.tzinfo, start, prefer=local_zone, tzid=start_tzid)
            if zone is None:
                raise InviteError(
                    f"The invite's time zone “{start_tzid or start.tzname()}” matches no known "
                    "time zone. Nothing was imported."
                )
        end = _end(event, start, end, end_tzid)
    if end <= start:
        end = start + timedelta(minutes=DEFAULT_MINUTES)
    location = _text(event, "LOCATION")
    description = _text(event, "DESCRIPTION")
    x_values = [str(value) for key, value in event.property_items() if key.startswith("X-")]
    conference = [str(v) for v in _values(event, "CONFERENCE")]
    people = _people(event)
    if not people and own_interview_id(uid) is None:
        # Afterword's own exports name the people in the description instead.
        raise InviteError("The invite names no organizer and no attendees. Nothing was imported.")
    return Invite(
        method=method,
        uid=uid,
        sequence=int(event.get("SEQUENCE", 0) or 0),
        summary=_text(event, "SUMMARY"),
        description=description,
        location=location,
        start=start,
        end=end,
        zone=zone,
        all_day=all_day,
        floating=floating,
        video_link=find_video_link([*conference, *x_values, location, description]),
        people=people,
    )


def _end(event: Any, start: datetime, end: Any, end_tzid: str) -> datetime:
    if isinstance(end, datetime):
        if (end.tzinfo is None) != (start.tzinfo is None):
            if end_tzid:
                raise InviteError(
                    f"The invite's end uses the unknown time zone “{end_tzid}”. "
                    "Nothing was imported."
                )
            end = end.replace(tzinfo=start.tzinfo)
        return end
    duration = event.get("DURATION")
    if duration is not None:
        return start + duration.dt
    return start + timedelta(minutes=DEFAULT_MINUTES)


def _values(event: Any, name: str) -> list[Any]:
    value = event.get(name)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _address(value: Any) -> str:
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
    return text.strip().lower()


def _people(event: Any) -> tuple[InvitePerson, ...]:
    """Organizer first, then attendees; one entry per address (rooms left out)."""
    found: dict[str, InvitePerson] = {}
    organizer = event.get("ORGANIZER")
    entries = [(organizer, True)] if organizer is not None else []
    entries += [(value, False) for value in _values(event, "ATTENDEE")]
    for value, is_organizer in entries:
        email = _address(value)
        params = getattr(value, "params", {})
        if (
            not email
            or "@" not in email
            or str(params.get("CUTYPE", "")).upper()
            in (
                "ROOM",
                "RESOURCE",
            )
        ):
            continue
        # Outlook and Exchange name people "Oyelaran, Marcus": kept as said.
        name = speaking_order(str(params.get("CN", "")).strip().strip('"')) or email.split("@")[0]
        if email in found:
            continue
        found[email] = InvitePerson(name=name, email=email, organizer=is_organizer)
    return tuple(found.values())
