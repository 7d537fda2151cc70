"""Interviews and follow-up dates written out as iCalendar, for calendar apps.

Two products: :func:`interview_calendar` (one interview, with a reminder, for
"Add to calendar") and the feed (:func:`write_feed`): one .ics file at a
path the person chose, holding the interviews and the follow-up due dates
(all-day events), rewritten on every change.

Calendar apps update an event instead of duplicating it when its UID stays
the same and its SEQUENCE rises. UIDs are made from the interview id or the
checklist item key (both never reused); ``calendar_sequences`` remembers a
fingerprint of what was last written under each UID and raises SEQUENCE
when it changes. Times are written in UTC (a feed with VTIMEZONE blocks for
every zone would be large and gains nothing). The feed is written to a
temporary file in the same folder and renamed over the old one, so a
calendar app never reads half a file.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from afterword.core.calendar.feed_setting import FEED_PATH_KEY, feed_path
from afterword.core.calendar.invites import OWN_UID_DOMAIN
from afterword.core.checklist.items import ChecklistItem, item_label
from afterword.core.checklist.service import next_due_by_application
from afterword.core.errors import AfterwordError, NotFoundError, ValidationError
from afterword.core.storage.db import Database
from afterword.core.storage.models import (
    Application,
    CalendarSequence,
    Interview,
    Participant,
    Setting,
)
from afterword.core.storage.validation import aware_datetime

logger = logging.getLogger(__name__)

PRODID = "-//Afterword//Afterword calendar//EN"
UID_DOMAIN = OWN_UID_DOMAIN
DEFAULT_REMINDER_MINUTES = 30
# Interviews older than this leave the feed: calendars keep their own past.
FEED_HISTORY = timedelta(days=180)


class CalendarExportError(AfterwordError):
    """The calendar file cannot be written; the message says where and why."""


@dataclass(frozen=True)
class _Event:
    """One event's content (without SEQUENCE and DTSTAMP, which do not make it change)."""

    uid: str
    summary: str
    start: datetime | date
    end: datetime | date
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False

    def fingerprint(self) -> str:
        return hashlib.sha256(repr(self).encode("utf-8")).hexdigest()


def interview_uid(interview_id: int) -> str:
    return f"interview-{interview_id}@{UID_DOMAIN}"


def _interview_event(row: Interview) -> _Event:
    application = row.application
    summary = f"Interview: {application.role} at {application.company}"
    if row.round_name:
        summary += f" ({row.round_name})"
    people = [
        f"{p.contact.name}" + (f", {p.contact.title}" if p.contact.title else "")
        for p in sorted(row.participants, key=lambda p: p.id)
    ]
    lines = [f"With: {'; '.join(people)}"] if people else []
    if row.video_link:
        lines.append(f"Join: {row.video_link}")
    if application.posting_url:
        lines.append(f"Posting: {application.posting_url}")
    start = row.starts_at.astimezone(UTC)
    return _Event(
        uid=interview_uid(row.id),
        summary=summary,
        start=start,
        end=start + timedelta(minutes=row.duration_minutes),
        location=row.location or row.video_link,
        description="\n".join(lines),
        url=row.video_link,
        cancelled=row.cancelled,
    )


def _sequence(session: Session, event: _Event) -> int:
    """The SEQUENCE to write for ``event``: raised once each time its content changed."""
    fingerprint = event.fingerprint()
    stored = session.get(CalendarSequence, event.uid)
    if stored is None:
        session.add(CalendarSequence(uid=event.uid, fingerprint=fingerprint, sequence=0))
        return 0
    if stored.fingerprint != fingerprint:
        stored.fingerprint = fingerprint
        stored.sequence += 1
    return stored.sequence


def _vevent(event: _Event, sequence: int, now: datetime, reminder_minutes: int | None) -> object:
    from icalendar import Alarm, Event

    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", now.astimezone(UTC))
    vevent.add("sequence", sequence)
    vevent.add("summary", event.summary)
    vevent.add("dtstart", event.start)
    vevent.add("dtend", event.end)
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    if isinstance(event.start, date) and not isinstance(event.start, datetime):
        vevent.add("transp", "TRANSPARENT")  # a to-do date does not make the person busy
    if event.location:
        vevent.add("location", event.location)
    if event.description:
        vevent.add("description", event.description)
    if event.url:
        vevent.add("url", event.url)
    if reminder_minutes:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", event.summary)
        alarm.add("trigger", timedelta(minutes=-reminder_minutes))
        vevent.add_component(alarm)
    return vevent


def _calendar(events: Iterable[object], name: str) -> bytes:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


def _loaded_interviews() -> tuple[object, ...]:
    return (
        selectinload(Interview.application),
        selectinload(Interview.participants).selectinload(Participant.contact),
    )


def interview_calendar(
    db: Database,
    interview_id: int,
    *,
    now: datetime,
    reminder_minutes: int = DEFAULT_REMINDER_MINUTES,
) -> bytes:
    """One interview as an .ics file, with a reminder ``reminder_minutes`` before it."""
    aware_datetime("now", now)
    with db.session() as session:
        row = session.scalars(
            select(Interview).where(Interview.id == interview_id).options(*_loaded_interviews())
        ).first()
        if row is None:
            raise NotFoundError("Interview", interview_id)
        event = _interview_event(row)
        vevent = _vevent(event, _sequence(session, event), now, reminder_minutes)
    return _calendar([vevent], "Afterword interview")


def write_interview_file(
    db: Database,
    interview_id: int,
    path: Path,
    *,
    now: datetime,
    reminder_minutes: int = DEFAULT_REMINDER_MINUTES,
) -> Path:
    """ "Add to calendar": the interview's .ics written (atomically) to ``path``."""
    data = interview_calendar(db, interview_id, now=now, reminder_minutes=reminder_minutes)
    _write_atomically(path, data)
    return path


def _follow_up_events(
    session: Session, items: dict[int, ChecklistItem], now: datetime
) -> list[_Event]:
    rows = session.execute(
        select(Application.id, Application.company, Application.role).where(
            Application.id.in_(list(items))
        )
    ).all()
    companies = {app_id: company for app_id, company, _role in rows}
    labels = {app_id: f"{company} – {role}" for app_id, company, role in rows}
    events = []
    for application_id, item in sorted(items.items()):
        day = item.due_at.astimezone(now.tzinfo).date()
        events.append(
            _Event(
                uid=f"{item.key.replace(':', '-')}@{UID_DOMAIN}",
                # Calendars list titles alone: "Ask about next steps … · Acme".
                summary=item_label(item, companies),
                start=day,
                end=day + timedelta(days=1),
                description=f"{labels.get(application_id, '')}\n{item.detail}".strip(),
            )
        )
    return events


def feed_calendar(db: Database, *, now: datetime) -> bytes:
    """The feed's content: recent and coming interviews, and each application's next follow-up."""
    aware_datetime("now", now)
    # Read before the write session starts: the checklist opens its own connections.
    items = next_due_by_application(db, now)
    with db.session() as session:
        rows = session.scalars(
            select(Interview)
            .where(Interview.starts_at >= now - FEED_HISTORY)
            .options(*_loaded_interviews())
            .order_by(Interview.starts_at, Interview.id)
        ).all()
        events = [_interview_event(row) for row in rows] + _follow_up_events(session, items, now)
        vevents = [_vevent(e, _sequence(session, e), now, None) for e in events]
    return _calendar(vevents, "Afterword")


def write_feed(db: Database, path: Path, *, now: datetime) -> Path:
    """Write the feed to ``path`` atomically (a reader sees the old file or the new one)."""
    _write_atomically(path, feed_calendar(db, now=now))
    logger.info("Calendar feed written")
    return path


def _write_atomically(path: Path, data: bytes) -> None:
    folder = path.parent
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise CalendarExportError(
            f"The calendar file cannot be written in {folder} ({exc.strerror}). "
            "Choose another folder."
        ) from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).replace(path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise CalendarExportError(
            f"The calendar file {path} cannot be written ({exc.strerror})."
        ) from exc


# -- where the feed goes --------------------------------------------------------------------------


def set_feed_path(db: Database, path: Path | None, *, now: datetime) -> Path | None:
    """Keep the feed at ``path`` (written now, so a bad folder shows at once); None stops it."""
    if path is None:
        with db.session() as session:
            stored = session.get(Setting, FEED_PATH_KEY)
            if stored is not None:
                session.delete(stored)
        return None
    if not isinstance(path, Path) or not path.is_absolute() or not path.parent.is_dir():
        raise ValidationError("feed_path", "Choose a file in an existing folder.")
    if path.is_dir():
        raise ValidationError("feed_path", "That is a folder: choose a file name in it.")
    write_feed(db, path, now=now)  # first: a folder that cannot be written is not kept
    with db.session() as session:
        session.merge(Setting(key=FEED_PATH_KEY, value=str(path)))
    return path


def update_feed(db: Database, *, now: datetime) -> Path | None:
    """Rewrite the feed if the person has one (after any change)."""
    path = feed_path(db)
    if path is None:
        return None
    return write_feed(db, path, now=now)
