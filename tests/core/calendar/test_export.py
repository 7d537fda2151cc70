"""Interviews and follow-up dates out to calendar apps: round trips, UIDs, SEQUENCE, the feed."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from afterword.core.calendar.export import (
    CalendarExportError,
    feed_path,
    interview_calendar,
    interview_uid,
    set_feed_path,
    update_feed,
    write_feed,
    write_interview_file,
)
from afterword.core.calendar.importing import default_draft, plan_invite, save_invite
from afterword.core.calendar.invites import read_invite
from afterword.core.errors import ValidationError
from afterword.core.interviews import get_interview, save_interview
from afterword.core.storage.db import Database
from afterword.core.storage.records import InterviewFields
from tests.core.calendar.helpers import OWN, fixture
from tests.core.storage.helpers import row_counts

BERLIN = "Europe/Berlin"


def _imported(db: Database, name: str, now: datetime) -> int:
    invite = read_invite(fixture(name), local_zone=BERLIN)
    return save_invite(
        db, default_draft(plan_invite(db, invite, own=[OWN]), zone=BERLIN), now=now
    ).id


def _events(data: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(data)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_one_interview_round_trips_with_a_reminder(db: Database, now: datetime) -> None:
    interview_id = _imported(db, "google_meet.ics", now)
    events = _events(interview_calendar(db, interview_id, now=now, reminder_minutes=45))
    event = events[interview_uid(interview_id)]
    assert event.start == datetime(2026, 3, 17, 18, 0, tzinfo=UTC)
    assert event.end == datetime(2026, 3, 17, 18, 45, tzinfo=UTC)
    assert "Backend Engineer at Northwind" in str(event["SUMMARY"])
    assert str(event["LOCATION"]) == "https://meet.google.com/abc-defg-hij"
    assert "Priya Raman, Recruiter" in str(event["DESCRIPTION"])
    (alarm,) = event.walk("VALARM")
    assert alarm["TRIGGER"].dt == -timedelta(minutes=45)


def test_sequence_rises_only_when_the_interview_changes(db: Database, now: datetime) -> None:
    interview_id = _imported(db, "google_meet.ics", now)
    uid = interview_uid(interview_id)

    def sequence() -> int:
        return int(_events(interview_calendar(db, interview_id, now=now))[uid]["SEQUENCE"])

    assert sequence() == 0
    assert sequence() == 0
    record = get_interview(db, interview_id)
    moved = InterviewFields(
        **{f.name: getattr(record, f.name) for f in dataclasses.fields(InterviewFields)}
    )
    moved = dataclasses.replace(moved, starts_at=record.starts_at + timedelta(hours=1))
    save_interview(db, moved, [], now=now, interview_id=interview_id)
    assert sequence() == 1
    assert sequence() == 1


def test_a_second_import_of_an_export_creates_no_duplicate(
    db: Database, now: datetime, tmp_path: Path
) -> None:
    """Our .ics, opened with Afterword again, updates the same interview."""
    interview_id = _imported(db, "outlook_teams_custom_tz.ics", now)
    exported = write_interview_file(db, interview_id, tmp_path / "interview.ics", now=now)
    counts = row_counts(db)
    invite = read_invite(exported.read_bytes(), local_zone=BERLIN)
    assert invite.uid == interview_uid(interview_id)
    plan = plan_invite(db, invite, own=[OWN])
    assert plan.interview_id == interview_id
    again = save_invite(db, default_draft(plan, zone=BERLIN), now=now)
    assert again.id == interview_id
    assert row_counts(db) == counts
    # The invite's own UID still finds it: a later update from the organizer works.
    update = read_invite(fixture("outlook_teams_update.ics"), local_zone=BERLIN)
    assert plan_invite(db, update, own=[OWN]).interview_id == interview_id


def test_the_feed_holds_interviews_and_follow_ups_and_stays_stable(
    db: Database, now: datetime, tmp_path: Path
) -> None:
    first = _imported(db, "google_meet.ics", now)
    second = _imported(db, "outlook_teams_custom_tz.ics", now)
    later = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    path = feeds / "afterword.ics"
    write_feed(db, path, now=later)
    events = _events(path.read_bytes())
    assert {interview_uid(first), interview_uid(second)} <= set(events)
    all_day = [
        e
        for e in events.values()
        if isinstance(e.start, date) and not isinstance(e.start, datetime)
    ]
    assert all_day, "each application's next follow-up is an all-day event"
    assert all(e.end - e.start == timedelta(days=1) for e in all_day)
    # Written again with nothing changed: the same UIDs and SEQUENCEs.
    before = {uid: int(e["SEQUENCE"]) for uid, e in events.items()}
    write_feed(db, path, now=later)
    assert {uid: int(e["SEQUENCE"]) for uid, e in _events(path.read_bytes()).items()} == before
    assert [p.name for p in feeds.iterdir()] == ["afterword.ics"]  # no temporary left


def test_a_cancelled_interview_stays_in_the_feed_as_cancelled(
    db: Database, now: datetime, tmp_path: Path
) -> None:
    from afterword.core.calendar.importing import cancel_invite

    interview_id = _imported(db, "outlook_teams_custom_tz.ics", now)
    path = tmp_path / "feed.ics"
    write_feed(db, path, now=now)
    cancel_invite(db, read_invite(fixture("outlook_teams_cancel.ics"), local_zone=BERLIN), now=now)
    write_feed(db, path, now=now)
    event = _events(path.read_bytes())[interview_uid(interview_id)]
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1


def test_the_feed_path_is_kept_and_a_bad_folder_is_refused(
    db: Database, now: datetime, tmp_path: Path
) -> None:
    assert update_feed(db, now=now) is None
    with pytest.raises(ValidationError, match="existing folder"):
        set_feed_path(db, tmp_path / "missing" / "feed.ics", now=now)
    assert feed_path(db) is None
    target = tmp_path / "feed.ics"
    assert set_feed_path(db, target, now=now) == target
    assert feed_path(db) == target and target.exists()
    set_feed_path(db, None, now=now)
    assert feed_path(db) is None


def test_a_folder_that_cannot_be_written_gives_a_clear_error(
    db: Database, now: datetime, tmp_path: Path
) -> None:
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("a file where the folder should be")
    with pytest.raises(CalendarExportError, match="cannot be written"):
        write_feed(db, not_a_folder / "feed.ics", now=now)
    assert not_a_folder.read_text() == "a file where the folder should be"
