"""The storage audit's bad inputs: each one is a ValidationError that writes nothing.

Before the fix these raised TypeError, AttributeError or OverflowError (or,
for a float cadence, were stored and broke Today for good).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from afterword.core.applications import (
    create_application,
    list_applications,
    record_outcome,
    update_application,
)
from afterword.core.checklist.service import today
from afterword.core.contacts import create_contact, list_contacts, update_contact
from afterword.core.interviews import save_interview
from afterword.core.search import search
from afterword.core.storage.db import Database, open_database
from afterword.core.storage.records import (
    ApplicationFields,
    ContactFields,
    InterviewFields,
    ParticipantFields,
    TouchpointFields,
)
from afterword.core.storage.values import TouchpointKind
from afterword.core.touchpoints import log_touchpoint
from tests.core.storage.helpers import application, contact, interview
from tests.core.storage.test_validation import refused

NAIVE = datetime(2026, 3, 11, 10, 0)
NEAR_YEAR_1 = datetime(1, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=5)))
NEAR_YEAR_9999 = datetime(9999, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=-5)))


@pytest.mark.parametrize("cadence", [1.5, 7.0, True, "7"])
def test_a_cadence_that_is_not_a_whole_number_is_refused_and_today_keeps_working(
    db: Database, now: datetime, cadence: object
) -> None:
    values = ContactFields(name="Ada", cadence_days=cadence)  # type: ignore[arg-type]
    refused(db, "cadence_days", lambda: create_contact(db, values, now=now))
    person = contact(db, now)
    refused(db, "cadence_days", lambda: update_contact(db, person.id, values))
    today(db, now)
    # and after a restart too
    db.close()
    reopened = open_database(db.path)
    try:
        today(reopened, now)
    finally:
        reopened.close()


@pytest.mark.parametrize("minutes", [30.5, 60.0, True, "60"])
def test_a_duration_that_is_not_a_whole_number_is_refused(
    db: Database, now: datetime, minutes: object
) -> None:
    app = application(db, now)
    values = InterviewFields(
        application_id=app.id,
        starts_at=now,
        timezone="Europe/Berlin",
        duration_minutes=minutes,  # type: ignore[arg-type]
    )
    refused(db, "duration_minutes", lambda: save_interview(db, values, [], now=now))


TEXT_FIELDS = ["company", "role", "posting_url", "why_interested", "next_steps", "notes"]


@pytest.mark.parametrize("value", [None, 42, b"Acme"])
@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_text_fields_refuse_what_is_not_text(
    db: Database, now: datetime, field: str, value: object
) -> None:
    values = ApplicationFields(**{"company": "Acme", "role": "Engineer", field: value})
    refused(db, field, lambda: create_application(db, values, now=now))


@pytest.mark.parametrize("value", [None, 42, b"ada@example.com"])
@pytest.mark.parametrize(
    "field", ["name", "email", "phone", "title", "company", "linkedin_url", "notes"]
)
def test_contact_text_fields_refuse_what_is_not_text(
    db: Database, now: datetime, field: str, value: object
) -> None:
    values = ContactFields(**{"name": "Ada", field: value})
    refused(db, field, lambda: create_contact(db, values, now=now))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("decision_expected", "2026-04-01"),
        ("decision_expected", datetime(2026, 4, 1, tzinfo=UTC)),
        ("decision_expected", date(1, 1, 1)),
        ("decision_expected", 20260401),
        ("still_interested", "no"),
        ("still_interested", 0),
        ("still_interested", None),
    ],
)
def test_decision_date_and_still_interested_are_validated(
    db: Database, now: datetime, field: str, value: object
) -> None:
    values = ApplicationFields(**{"company": "Acme", "role": "Engineer", field: value})
    refused(db, field, lambda: create_application(db, values, now=now))
    app = application(db, now)
    refused(db, field, lambda: update_application(db, app.id, values, now=now))


def test_a_naive_now_is_refused_everywhere(db: Database, now: datetime) -> None:
    app = application(db, now)
    person = contact(db, now)
    talk = interview(db, now, app.id)
    fields = ApplicationFields(company="Acme", role="Engineer")
    refused(db, "now", lambda: create_application(db, fields, now=NAIVE))
    refused(db, "now", lambda: update_application(db, app.id, fields, now=NAIVE))
    refused(db, "now", lambda: create_contact(db, ContactFields(name="Ada"), now=NAIVE))
    refused(db, "now", lambda: record_outcome(db, talk.id, None, now=NAIVE))
    refused(db, "now", lambda: list_applications(db, now=NAIVE))
    refused(db, "now", lambda: today(db, NAIVE))
    point = TouchpointFields(contact_id=person.id, kind=TouchpointKind.CALL, occurred_at=now)
    refused(db, "now", lambda: log_touchpoint(db, point, now=NAIVE))
    talk_fields = InterviewFields(application_id=app.id, starts_at=now, timezone="Europe/Berlin")
    refused(db, "now", lambda: save_interview(db, talk_fields, [], now=NAIVE))


@pytest.mark.parametrize("moment", [NEAR_YEAR_1, NEAR_YEAR_9999], ids=["year 1", "year 9999"])
def test_dates_near_the_ends_of_the_calendar_are_refused_not_overflowing(
    db: Database, now: datetime, moment: datetime
) -> None:
    app = application(db, now)
    person = contact(db, now)
    talk = InterviewFields(application_id=app.id, starts_at=moment, timezone="Europe/Berlin")
    refused(db, "starts_at", lambda: save_interview(db, talk, [], now=now))
    point = TouchpointFields(contact_id=person.id, kind=TouchpointKind.CALL, occurred_at=moment)
    refused(db, "occurred_at", lambda: log_touchpoint(db, point, now=now))
    refused(db, "now", lambda: create_contact(db, ContactFields(name="Ada"), now=moment))
    refused(db, "now", lambda: today(db, moment))


@pytest.mark.parametrize("zone", [None, "", 0, "Europe"])
def test_a_missing_time_zone_is_refused(db: Database, now: datetime, zone: object) -> None:
    app = application(db, now)
    values = InterviewFields(application_id=app.id, starts_at=now, timezone=zone)  # type: ignore[arg-type]
    refused(db, "timezone", lambda: save_interview(db, values, [], now=now))


@pytest.mark.parametrize("wrong", ["1", 1.0, True, None, 0, -3])
def test_ids_must_be_whole_numbers(db: Database, now: datetime, wrong: Any) -> None:
    app = application(db, now)
    person = contact(db, now)
    talk = InterviewFields(application_id=wrong, starts_at=now, timezone="Europe/Berlin")
    refused(db, "application_id", lambda: save_interview(db, talk, [], now=now))
    good_talk = InterviewFields(application_id=app.id, starts_at=now, timezone="Europe/Berlin")
    if wrong is not None:  # no contact id means "a new contact": a different mistake
        people = [ParticipantFields(contact_id=wrong)]
        refused(
            db, "participants[0].contact", lambda: save_interview(db, good_talk, people, now=now)
        )
    point = TouchpointFields(contact_id=wrong, kind=TouchpointKind.CALL, occurred_at=now)
    refused(db, "contact_id", lambda: log_touchpoint(db, point, now=now))
    if wrong is not None:  # None is "no application", which is allowed
        linked = TouchpointFields(
            contact_id=person.id, kind=TouchpointKind.CALL, occurred_at=now, application_id=wrong
        )
        refused(db, "application_id", lambda: log_touchpoint(db, linked, now=now))
    fields = ApplicationFields(company="Acme", role="Engineer")
    refused(db, "application_id", lambda: update_application(db, wrong, fields, now=now))


@pytest.mark.parametrize("address", ["a,b@c.de", "a b@c.de", "ada@@example.com", "ada@localhost"])
def test_addresses_that_are_not_email_addresses_are_refused(
    db: Database, now: datetime, address: str
) -> None:
    refused(
        db, "email", lambda: create_contact(db, ContactFields(name="Ada", email=address), now=now)
    )


@pytest.mark.parametrize(
    "address", ["ada@example.com", "ada.lovelace+jobs@mail.example.org", "jörg@müller.de"]
)
def test_real_addresses_are_kept_as_typed(db: Database, now: datetime, address: str) -> None:
    person = create_contact(db, ContactFields(name="Ada", email=f" {address} "), now=now)
    assert person.email == address


def test_search_for_something_that_is_not_text_is_a_validation_error(db: Database) -> None:
    refused(db, "query", lambda: search(db, None))  # type: ignore[arg-type]
    refused(db, "query", lambda: list_contacts(db, query=None))  # type: ignore[arg-type]
