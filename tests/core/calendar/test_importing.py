"""Invites into interviews: matching, creating, updating by UID, cancelling."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from afterword.core.applications import create_application, get_application, list_applications
from afterword.core.calendar.importing import (
    cancel_invite,
    company_from_domain,
    default_draft,
    plan_invite,
    save_invite,
)
from afterword.core.calendar.invites import InviteError, read_invite
from afterword.core.checklist.items import ItemState
from afterword.core.checklist.service import checklist_for_interview
from afterword.core.contacts import create_contact, list_contacts
from afterword.core.interviews import get_interview, list_interviews
from afterword.core.storage.db import Database
from afterword.core.storage.models import Interview
from afterword.core.storage.records import ApplicationFields, ContactFields
from tests.core.calendar.helpers import OWN, fixture
from tests.core.storage.helpers import row_counts

BERLIN = "Europe/Berlin"


def _import(db: Database, name: str, now: datetime, **changes: object) -> int:
    invite = read_invite(fixture(name), local_zone=BERLIN)
    plan = plan_invite(db, invite, own=[OWN])
    draft = dataclasses.replace(default_draft(plan, zone=BERLIN), **changes)
    return save_invite(db, draft, now=now).id


def test_a_new_invite_creates_application_interview_and_contacts(
    db: Database, now: datetime
) -> None:
    interview_id = _import(db, "google_meet.ics", now)
    interview = get_interview(db, interview_id)
    assert (interview.company, interview.role) == ("Northwind", "Backend Engineer")
    assert interview.round_name == "technical interview"
    assert interview.timezone == "America/New_York"
    assert interview.starts_at == datetime(2026, 3, 17, 18, 0, tzinfo=UTC)
    assert interview.duration_minutes == 45
    assert interview.location == "https://meet.google.com/abc-defg-hij"
    # The person's own address is left out; the organizer is the recruiter.
    names = {p.contact_name: p for p in interview.participants}
    assert set(names) == {"Priya Raman", "Marcus Lee"}
    assert names["Priya Raman"].contact_title == "Recruiter"
    assert names["Priya Raman"].role == "recruiter"  # the reply to a rejection goes there
    assert names["Marcus Lee"].role == "interviewer"
    contacts = {c.name: c for c in list_contacts(db)}
    assert contacts["Marcus Lee"].company == "Northwind"
    with db.reading() as session:
        row = session.get(Interview, interview_id)
        assert row is not None
        assert (row.ical_uid, row.ical_sequence, row.cancelled) == (
            "7kq1v2d3e4f5g6h7j8k9l0@google.com",
            0,
            False,
        )
        assert row.video_link == "https://meet.google.com/abc-defg-hij"


def test_the_application_is_matched_by_the_attendees_domain(db: Database, now: datetime) -> None:
    older = create_application(
        db, ApplicationFields(company="Contoso GmbH", role="Data Analyst"), now=now
    )
    create_application(db, ApplicationFields(company="Other", role="X"), now=now)
    invite = read_invite(fixture("outlook_teams_custom_tz.ics"), local_zone=BERLIN)
    plan = plan_invite(db, invite, own=[OWN])
    assert plan.application_id == older.id
    assert [p.email for p in plan.people] == ["anna.mueller@contoso.de", "jonas.schmidt@contoso.de"]


def test_known_people_are_matched_by_email_and_not_duplicated(db: Database, now: datetime) -> None:
    anna = create_contact(
        db,
        ContactFields(name="Anna M.", email="anna.mueller@contoso.de", company="Contoso"),
        now=now,
    )
    create_application(db, ApplicationFields(company="Contoso", role="Data Analyst"), now=now)
    invite = read_invite(fixture("outlook_teams_custom_tz.ics"), local_zone=BERLIN)
    plan = plan_invite(db, invite, own=[OWN])
    assert plan.people[0].contact_id == anna.id
    interview_id = _import(db, "outlook_teams_custom_tz.ics", now)
    assert anna.id in {p.contact_id for p in get_interview(db, interview_id).participants}
    assert len(list_contacts(db)) == 2


def test_an_update_changes_the_same_interview_and_a_second_import_adds_nothing(
    db: Database, now: datetime
) -> None:
    first = _import(db, "outlook_teams_custom_tz.ics", now, notes="Bring the portfolio.")
    counts = row_counts(db)
    again = _import(db, "outlook_teams_custom_tz.ics", now)
    assert again == first and row_counts(db) == counts
    invite = read_invite(fixture("outlook_teams_update.ics"), local_zone=BERLIN)
    plan = plan_invite(db, invite, own=[OWN])
    assert plan.interview_id == first and plan.notes == "Bring the portfolio."
    updated = _import(db, "outlook_teams_update.ics", now)
    assert updated == first
    interview = get_interview(db, first)
    assert interview.starts_at == datetime(2026, 3, 25, 13, 0, tzinfo=UTC)
    assert interview.notes == "Bring the portfolio."
    assert len(list_interviews(db, interview.application_id)) == 1
    # The older version, imported late, changes nothing.
    old = read_invite(fixture("outlook_teams_custom_tz.ics"), local_zone=BERLIN)
    assert plan_invite(db, old, own=[OWN]).stale
    with pytest.raises(InviteError, match="newer version"):
        save_invite(db, default_draft(plan_invite(db, old), zone=BERLIN), now=now)
    assert get_interview(db, first).starts_at == datetime(2026, 3, 25, 13, 0, tzinfo=UTC)


def test_a_cancellation_marks_the_interview_and_dismisses_its_reminders(db: Database) -> None:
    created = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
    interview_id = _import(db, "outlook_teams_custom_tz.ics", created)
    after = datetime(2026, 3, 25, 9, 0, tzinfo=UTC)
    assert any(i.is_actionable for i in checklist_for_interview(db, interview_id, after))
    cancel = read_invite(fixture("outlook_teams_cancel.ics"), local_zone=BERLIN)
    cancel_invite(db, cancel, now=after)
    with db.reading() as session:
        row = session.get(Interview, interview_id)
        assert row is not None and row.cancelled and row.ical_sequence == 2
    record = get_interview(db, interview_id)
    assert record.cancelled
    # A cancelled interview is no "next interview" of its application.
    before = datetime(2026, 3, 21, 9, 0, tzinfo=UTC)
    summary = next(a for a in list_applications(db, now=before) if a.id == record.application_id)
    assert summary.next_interview_at is None
    items = checklist_for_interview(db, interview_id, after)
    assert any(i.state == ItemState.DISMISSED for i in items)
    assert not any(i.is_actionable for i in items)


def test_cancelling_an_unknown_invite_changes_nothing(db: Database, now: datetime) -> None:
    counts = row_counts(db)
    cancel = read_invite(fixture("outlook_teams_cancel.ics"), local_zone=BERLIN)
    with pytest.raises(InviteError, match="never imported"):
        cancel_invite(db, cancel, now=now)
    assert row_counts(db) == counts


def test_a_bad_draft_writes_nothing(db: Database, now: datetime) -> None:
    counts = row_counts(db)
    invite = read_invite(fixture("google_meet.ics"), local_zone=BERLIN)
    draft = default_draft(plan_invite(db, invite, own=[OWN]), zone=BERLIN)
    with pytest.raises(Exception, match="role"):
        save_invite(db, dataclasses.replace(draft, role=""), now=now)
    with pytest.raises(Exception, match="video_link"):
        save_invite(db, dataclasses.replace(draft, video_link="not a link"), now=now)
    assert row_counts(db) == counts


def test_floating_times_take_the_zone_the_person_picked(db: Database, now: datetime) -> None:
    invite = read_invite(fixture("webex_floating.ics"))
    plan = plan_invite(db, invite)
    draft = default_draft(plan, zone="America/Chicago")
    record = save_invite(db, draft, now=now)
    assert record.timezone == "America/Chicago"
    assert record.starts_at == datetime(2026, 4, 1, 20, 0, tzinfo=UTC)
    assert get_application(db, record.application_id).company == "Adatum"


def test_company_labels_from_domains() -> None:
    assert company_from_domain("careers.contoso.co.uk") == "contoso"
    assert company_from_domain("northwind.io") == "northwind"
