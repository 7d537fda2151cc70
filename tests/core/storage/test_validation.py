"""Every field that can be wrong is refused with its name and a reason, and nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from afterword.core.applications import (
    create_application,
    get_application,
    record_outcome,
    update_application,
)
from afterword.core.contacts import create_contact, get_contact, update_contact
from afterword.core.errors import ValidationError
from afterword.core.interviews import (
    MAX_PARTICIPANTS,
    duration_between,
    get_interview,
    save_interview,
)
from afterword.core.storage.db import Database
from afterword.core.storage.records import (
    ApplicationFields,
    ContactFields,
    InterviewFields,
    ParticipantFields,
    TouchpointFields,
)
from afterword.core.storage.values import ApplicationStatus, TouchpointKind
from afterword.core.touchpoints import log_touchpoint
from tests.core.storage.helpers import application, contact, interview, row_counts

BERLIN = ZoneInfo("Europe/Berlin")
MEGABYTE = "x" * 1_000_000


def _ids(cases: list[tuple[str, Any]]) -> list[str]:
    """Readable test ids: the field and the start of the wrong value."""
    return [f"{field}={str(next(iter(changes.values())))[:24]!r}" for field, changes in cases]


def refused(db: Database, field: str, call: Callable[[], object]) -> None:
    """Run ``call``; it must raise ValidationError for ``field`` and change no row count."""
    before = row_counts(db)
    with pytest.raises(ValidationError) as caught:
        call()
    error = caught.value
    assert error.field == field
    assert error.problem.strip()
    assert str(error) == f"{field}: {error.problem}"
    assert row_counts(db) == before


# --- applications ---------------------------------------------------------------------------

APPLICATION_MISTAKES: list[tuple[str, dict[str, Any]]] = [
    ("company", {"company": ""}),
    ("company", {"company": "   "}),
    ("company", {"company": "x" * 201}),
    ("company", {"company": "Acme\nCorp"}),
    ("company", {"company": "Acme\x00Corp"}),
    ("company", {"company": "Acme\x9bCorp"}),  # a C1 control, as left by broken decoding
    ("company", {"company": MEGABYTE}),
    ("role", {"role": ""}),
    ("role", {"role": "Engineer\u2028Manager"}),
    ("posting_url", {"posting_url": "not a link"}),
    ("posting_url", {"posting_url": "ftp://files.example.com/job"}),
    ("posting_url", {"posting_url": "http://[oops"}),
    ("posting_url", {"posting_url": "localhost"}),
    ("posting_url", {"posting_url": "x" * 2001}),
    ("status", {"status": "hired"}),
    ("why_interested", {"why_interested": "x" * 20_001}),
    ("next_steps", {"next_steps": "Call back\x07"}),
    ("notes", {"notes": "half a pair \ud83d"}),
    ("notes", {"notes": MEGABYTE}),
]


@pytest.mark.parametrize(("field", "changes"), APPLICATION_MISTAKES, ids=_ids(APPLICATION_MISTAKES))
def test_a_wrong_application_is_not_created(
    db: Database, now: datetime, field: str, changes: dict[str, Any]
) -> None:
    values = ApplicationFields(**{"company": "Acme", "role": "Engineer", **changes})
    refused(db, field, lambda: create_application(db, values, now=now))


@pytest.mark.parametrize(("field", "changes"), APPLICATION_MISTAKES, ids=_ids(APPLICATION_MISTAKES))
def test_a_wrong_edit_leaves_the_application_as_it_was(
    db: Database, now: datetime, field: str, changes: dict[str, Any]
) -> None:
    app = application(db, now)
    values = ApplicationFields(**{"company": "Acme", "role": "Engineer", **changes})
    refused(db, field, lambda: update_application(db, app.id, values, now=now))
    assert get_application(db, app.id) == app


def test_application_text_is_trimmed_and_a_bare_domain_gets_https(
    db: Database, now: datetime
) -> None:
    values = ApplicationFields(
        company="  Acme  ", role="\tEngineer ", posting_url="jobs.acme.example/42"
    )
    record = create_application(db, values, now=now)
    assert (record.company, record.role, record.posting_url) == (
        "Acme",
        "Engineer",
        "https://jobs.acme.example/42",
    )


def test_a_wrong_outcome_changes_nothing(db: Database, now: datetime) -> None:
    app = application(db, now)
    meeting = interview(db, now, app.id)
    before = get_application(db, app.id)
    refused(db, "outcome", lambda: record_outcome(db, meeting.id, "ghosted", now=now))  # type: ignore[arg-type]
    assert get_application(db, app.id) == before
    assert get_interview(db, meeting.id).outcome is None


# --- interviews -----------------------------------------------------------------------------

INTERVIEW_MISTAKES: list[tuple[str, dict[str, Any]]] = [
    ("starts_at", {"starts_at": datetime(2026, 3, 12, 10, 0)}),  # naive: which 10:00?
    ("timezone", {"timezone": "Mars/Olympus_Mons"}),
    ("timezone", {"timezone": ""}),
    ("timezone", {"timezone": "../../etc/passwd"}),
    ("timezone", {"timezone": "Europe/Berlin "}),
    ("duration_minutes", {"duration_minutes": 0}),
    ("duration_minutes", {"duration_minutes": -30}),
    ("duration_minutes", {"duration_minutes": 24 * 60 + 1}),
    ("round_name", {"round_name": "First\nround"}),
    ("round_name", {"round_name": "x" * 201}),
    ("location", {"location": "x" * 2001}),
    ("format", {"format": "carrier pigeon"}),
    ("outcome", {"outcome": "ghosted"}),
    ("notes", {"notes": "x" * 20_001}),
    ("notes", {"notes": "nul\x00"}),
]


def _interview_fields(application_id: int, now: datetime, **changes: Any) -> InterviewFields:
    values = {
        "application_id": application_id,
        "starts_at": now + timedelta(days=1),
        "timezone": "Europe/Berlin",
        **changes,
    }
    return InterviewFields(**values)


@pytest.mark.parametrize(("field", "changes"), INTERVIEW_MISTAKES, ids=_ids(INTERVIEW_MISTAKES))
def test_a_wrong_interview_is_not_saved(
    db: Database, now: datetime, field: str, changes: dict[str, Any]
) -> None:
    app = application(db, now)
    values = _interview_fields(app.id, now, **changes)
    refused(db, field, lambda: save_interview(db, values, [], now=now))
    assert get_application(db, app.id).status == ApplicationStatus.APPLIED


@pytest.mark.parametrize(("field", "changes"), INTERVIEW_MISTAKES, ids=_ids(INTERVIEW_MISTAKES))
def test_a_wrong_edit_leaves_the_interview_as_it_was(
    db: Database, now: datetime, field: str, changes: dict[str, Any]
) -> None:
    app = application(db, now)
    meeting = interview(db, now, app.id)
    values = _interview_fields(app.id, now, **changes)
    refused(db, field, lambda: save_interview(db, values, [], now=now, interview_id=meeting.id))
    assert get_interview(db, meeting.id) == meeting


DURATION_MISTAKES: list[tuple[str, datetime, datetime]] = [
    (
        "ends_at",
        datetime(2026, 3, 12, 11, 0, tzinfo=BERLIN),
        datetime(2026, 3, 12, 10, 0, tzinfo=BERLIN),
    ),
    (
        "ends_at",
        datetime(2026, 3, 12, 10, 0, tzinfo=BERLIN),
        datetime(2026, 3, 12, 10, 0, tzinfo=BERLIN),
    ),
    (
        "ends_at",
        datetime(2026, 3, 12, 10, 0, tzinfo=BERLIN),
        datetime(2026, 3, 12, 10, 0, 20, tzinfo=BERLIN),
    ),
    (
        "ends_at",
        datetime(2026, 3, 12, 10, 0, tzinfo=BERLIN),
        datetime(2026, 3, 13, 10, 1, tzinfo=BERLIN),
    ),
    ("starts_at", datetime(2026, 3, 12, 10, 0), datetime(2026, 3, 12, 11, 0, tzinfo=BERLIN)),
    ("ends_at", datetime(2026, 3, 12, 10, 0, tzinfo=BERLIN), datetime(2026, 3, 12, 11, 0)),
]


@pytest.mark.parametrize(("field", "starts_at", "ends_at"), DURATION_MISTAKES)
def test_duration_between_refuses_impossible_ends(
    field: str, starts_at: datetime, ends_at: datetime
) -> None:
    with pytest.raises(ValidationError) as caught:
        duration_between(starts_at, ends_at)
    assert caught.value.field == field


def test_duration_between_counts_real_minutes() -> None:
    start = datetime(2026, 3, 12, 10, 0, tzinfo=BERLIN)
    assert duration_between(start, start + timedelta(minutes=90)) == 90
    # An end typed in another zone: 09:30 in London is 10:30 in Berlin.
    assert (
        duration_between(start, datetime(2026, 3, 12, 9, 30, tzinfo=ZoneInfo("Europe/London")))
        == 30
    )
    # The night the clocks go forward: 01:30 to 03:30 on the wall is one hour.
    night = datetime(2026, 3, 29, 1, 30, tzinfo=BERLIN)
    assert duration_between(night, night.replace(hour=3)) == 60


def test_ends_at_counts_a_daylight_saving_change() -> None:
    values = InterviewFields(
        application_id=1,
        starts_at=datetime(2026, 3, 29, 1, 30, tzinfo=BERLIN),
        timezone="Europe/Berlin",
        duration_minutes=60,
    )
    assert values.ends_at == datetime(2026, 3, 29, 3, 30, tzinfo=BERLIN)
    assert values.ends_at.utcoffset() == timedelta(hours=2)


# --- participants ---------------------------------------------------------------------------


_WOULD_BE_CREATED = ParticipantFields(new_contact=ContactFields(name="Would be created"))

# Each case gets the id of an existing contact.
PARTICIPANT_MISTAKES: dict[str, tuple[str, Callable[[int], list[ParticipantFields]]]] = {
    "same contact twice": (
        "participants[1].contact",
        lambda known: [ParticipantFields(contact_id=known)] * 2,
    ),
    "neither contact nor new contact": (
        "participants[0].contact",
        lambda known: [ParticipantFields()],
    ),
    "both contact and new contact": (
        "participants[0].contact",
        lambda known: [ParticipantFields(contact_id=known, new_contact=ContactFields(name="Both"))],
    ),
    "bad inline email after a good new contact": (
        "participants[1].email",
        lambda known: [
            _WOULD_BE_CREATED,
            ParticipantFields(new_contact=ContactFields(name="Bo", email="bo@")),
        ],
    ),
    "inline contact without a name": (
        "participants[0].name",
        lambda known: [ParticipantFields(new_contact=ContactFields(name=" "))],
    ),
    "bad inline phone": (
        "participants[0].phone",
        lambda known: [ParticipantFields(new_contact=ContactFields(name="Bo", phone="call me"))],
    ),
    "NUL in notes": (
        "participants[0].notes",
        lambda known: [ParticipantFields(contact_id=known, notes="a\x00b")],
    ),
    "too many people": (
        "participants",
        lambda known: [_WOULD_BE_CREATED] * (MAX_PARTICIPANTS + 1),
    ),
}


@pytest.mark.parametrize("case", PARTICIPANT_MISTAKES.values(), ids=PARTICIPANT_MISTAKES.keys())
def test_wrong_participants_save_nothing(
    db: Database, now: datetime, case: tuple[str, Callable[[int], list[ParticipantFields]]]
) -> None:
    field, people = case
    app = application(db, now)
    known = contact(db, now)
    values = _interview_fields(app.id, now)
    refused(db, field, lambda: save_interview(db, values, people(known.id), now=now))


# --- contacts -------------------------------------------------------------------------------

CONTACT_MISTAKES: list[tuple[str, dict[str, Any]]] = [
    ("name", {"name": ""}),
    ("name", {"name": "x" * 201}),
    ("name", {"name": "Ada\rLovelace"}),
    ("email", {"email": "ada"}),
    ("email", {"email": "ada@"}),
    ("email", {"email": "ada@example"}),
    ("email", {"email": "@example.com"}),
    ("email", {"email": "ada lovelace@example.com"}),
    ("email", {"email": "ada@two@example.com"}),
    ("email", {"email": "ada@example.com\nBcc: everyone@example.com"}),
    ("email", {"email": "a" * 310 + "@example.com"}),
    ("phone", {"phone": "call me"}),
    ("phone", {"phone": "+49 30 1234 ext"}),
    ("phone", {"phone": "1" * 65}),
    ("linkedin_url", {"linkedin_url": "linkedin"}),
    ("linkedin_url", {"linkedin_url": "javascript:alert(1)"}),
    ("cadence_days", {"cadence_days": 0}),
    ("cadence_days", {"cadence_days": -7}),
    ("cadence_days", {"cadence_days": 3651}),
    ("title", {"title": "x" * 201}),
    ("company", {"company": "Acme\nCorp"}),
    ("notes", {"notes": "x" * 20_001}),
    ("notes", {"notes": "\x1b[31mred"}),
]


@pytest.mark.parametrize(("field", "changes"), CONTACT_MISTAKES, ids=_ids(CONTACT_MISTAKES))
def test_a_wrong_contact_is_not_created(
    db: Database, now: datetime, field: str, changes: dict[str, Any]
) -> None:
    values = ContactFields(**{"name": "Ada", **changes})
    refused(db, field, lambda: create_contact(db, values, now=now))


@pytest.mark.parametrize(("field", "changes"), CONTACT_MISTAKES, ids=_ids(CONTACT_MISTAKES))
def test_a_wrong_edit_leaves_the_contact_as_it_was(
    db: Database, now: datetime, field: str, changes: dict[str, Any]
) -> None:
    person = contact(db, now, email="ada@example.com")
    values = ContactFields(**{"name": "Ada", **changes})
    refused(db, field, lambda: update_contact(db, person.id, values))
    assert get_contact(db, person.id) == person


@pytest.mark.parametrize(
    ("changes", "stored"),
    [
        ({"email": "jürgen@bücher.de"}, {"email": "jürgen@bücher.de"}),
        ({"email": "o'brien+jobs@example.co.uk"}, {"email": "o'brien+jobs@example.co.uk"}),
        ({"phone": "+49 (30) 1234-567 ext. 89"}, {"phone": "+49 (30) 1234-567 ext. 89"}),
        ({"phone": "555.123.4567 x12"}, {"phone": "555.123.4567 x12"}),
        (
            {"linkedin_url": "www.linkedin.com/in/ada"},
            {"linkedin_url": "https://www.linkedin.com/in/ada"},
        ),
        ({"cadence_days": 3650}, {"cadence_days": 3650}),
    ],
)
def test_real_contact_details_are_accepted(
    db: Database, now: datetime, changes: dict[str, Any], stored: dict[str, Any]
) -> None:
    record = create_contact(db, ContactFields(name="Ada", **changes), now=now)
    assert {key: getattr(record, key) for key in stored} == stored
    assert get_contact(db, record.id) == record


# --- touchpoints ----------------------------------------------------------------------------


def _touchpoint(contact_id: int, now: datetime, **changes: Any) -> TouchpointFields:
    values = {
        "contact_id": contact_id,
        "kind": TouchpointKind.CALL,
        "occurred_at": now - timedelta(hours=1),
        **changes,
    }
    return TouchpointFields(**values)


# Each case gets "now".
TOUCHPOINT_MISTAKES: list[tuple[str, Callable[[datetime], dict[str, Any]]]] = [
    ("occurred_at", lambda now: {"occurred_at": now + timedelta(minutes=6)}),
    ("occurred_at", lambda now: {"occurred_at": now + timedelta(days=365)}),
    ("occurred_at", lambda now: {"occurred_at": now.replace(tzinfo=None)}),
    ("kind", lambda now: {"kind": "fax"}),
    ("purpose", lambda now: {"purpose": "bribe"}),
    ("note", lambda now: {"note": "x" * 20_001}),
    ("note", lambda now: {"note": "\x00"}),
]


@pytest.mark.parametrize(("field", "changes"), TOUCHPOINT_MISTAKES)
def test_a_wrong_touchpoint_is_not_logged(
    db: Database, now: datetime, field: str, changes: Callable[[datetime], dict[str, Any]]
) -> None:
    person = contact(db, now)
    values = _touchpoint(person.id, now, **changes(now))
    refused(db, field, lambda: log_touchpoint(db, values, now=now))


def test_a_touchpoint_a_few_minutes_ahead_is_fine(db: Database, now: datetime) -> None:
    # Clocks drift, and people log a call as it ends.
    person = contact(db, now)
    values = _touchpoint(person.id, now, occurred_at=now + timedelta(minutes=4))
    assert log_touchpoint(db, values, now=now).occurred_at == now + timedelta(minutes=4)


def test_what_is_stored_is_the_cleaned_text(db: Database, now: datetime) -> None:
    person = contact(db, now, name="  Ada  ", notes="  line one\nline two  \n")
    assert (person.name, person.notes) == ("Ada", "line one\nline two")
    assert get_contact(db, person.id) == person
