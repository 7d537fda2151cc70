"""Every core create and edit function, fuzzed over its fields and their types.

Each field gets mostly plausible values and sometimes anything at all (None,
numbers, floats, booleans, bytes, dates, naive and far-off datetimes, odd
text). Each call must either raise ``ValidationError(field, problem)`` and
write nothing, or store what validation made of the input, reading back
equal. Today must still work afterwards.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from afterword.core.applications import (
    create_application,
    get_application,
    update_application,
    validate_application,
)
from afterword.core.checklist.service import today
from afterword.core.contacts import create_contact, get_contact, update_contact, validate_contact
from afterword.core.errors import NotFoundError, ValidationError
from afterword.core.interviews import get_interview, save_interview, validate_interview
from afterword.core.mail.accounts import (
    get_mail_account,
    save_mail_account,
    validate_mail_account,
)
from afterword.core.settings import get_rule_settings, set_follow_up_business_days
from afterword.core.storage.db import Database
from afterword.core.storage.records import (
    ApplicationFields,
    ContactFields,
    InterviewFields,
    MailAccountFields,
    TouchpointFields,
)
from afterword.core.storage.values import (
    ApplicationStatus,
    InterviewFormat,
    InterviewOutcome,
    MailSecurity,
    Purpose,
    TouchpointKind,
)
from afterword.core.touchpoints import list_touchpoints, log_touchpoint, validate_touchpoint
from tests.core.storage.helpers import application, contact, row_counts

FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ODD_TEXT = st.sampled_from(
    [
        "",
        "   ",
        "a\nb",
        "nul\x00",
        "\x9b",
        "half \ud83d",
        "x" * 5000,
        "🙂 Zoë",
        "\u2028",
        "a,b@c.de",
    ]
)
ANYTHING: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.binary(max_size=20),
    st.text(max_size=30),
    ODD_TEXT,
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=st.sampled_from([UTC, ZoneInfo("Pacific/Kiritimati")])),
    st.just(datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5)))),
    st.just(datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-5)))),
    st.lists(st.integers(), max_size=2),
)


def sometimes_wild(plausible: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(plausible, plausible, plausible, ANYTHING)


TEXT = sometimes_wild(st.one_of(st.text(max_size=40), ODD_TEXT))
NAME = sometimes_wild(st.text(min_size=1, max_size=40))
AWARE = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
)


def _call(db: Database, action: Callable[[], Any]) -> Any:
    """Run ``action``: a ValidationError writes nothing; anything else but success fails.

    A well-formed id of a row that does not exist is refused with the core's
    NotFoundError (the message a row deleted meanwhile gets), also writing nothing.
    """
    before = row_counts(db)
    try:
        return action()
    except ValidationError as error:
        assert error.field and error.problem.strip()
        assert row_counts(db) == before
        return None
    except NotFoundError as error:
        assert isinstance(error.row_id, int) and error.row_id > 0
        assert row_counts(db) == before
        return None


def _same_fields(record: Any, clean: Any) -> None:
    for field in dataclasses.fields(clean):
        assert getattr(record, field.name) == getattr(clean, field.name), field.name


@st.composite
def application_fields(draw: st.DrawFn) -> ApplicationFields:
    return ApplicationFields(
        company=draw(NAME),
        role=draw(NAME),
        posting_url=draw(sometimes_wild(st.sampled_from(["", "www.example.com/job", "x y"]))),
        status=draw(sometimes_wild(st.sampled_from(list(ApplicationStatus)))),
        why_interested=draw(TEXT),
        next_steps=draw(TEXT),
        decision_expected=draw(sometimes_wild(st.one_of(st.none(), st.dates()))),
        still_interested=draw(sometimes_wild(st.booleans())),
        notes=draw(TEXT),
    )


@st.composite
def contact_fields(draw: st.DrawFn) -> ContactFields:
    return ContactFields(
        name=draw(NAME),
        email=draw(sometimes_wild(st.sampled_from(["", "ada@example.com", "a@b", "a b@c.de"]))),
        phone=draw(sometimes_wild(st.sampled_from(["", "+49 30 1234-5", "call me"]))),
        title=draw(TEXT),
        company=draw(TEXT),
        linkedin_url=draw(sometimes_wild(st.sampled_from(["", "linkedin.com/in/ada"]))),
        notes=draw(TEXT),
        cadence_days=draw(sometimes_wild(st.one_of(st.none(), st.integers(-5, 4000)))),
    )


@given(values=application_fields(), edit=application_fields())
@FUZZ
def test_applications(db: Database, now: datetime, values: Any, edit: Any) -> None:
    created = _call(db, lambda: create_application(db, values, now=now))
    if created is not None:
        assert get_application(db, created.id) == created
        _same_fields(created, validate_application(values))
        updated = _call(db, lambda: update_application(db, created.id, edit, now=now))
        if updated is not None:
            assert get_application(db, created.id) == updated
            _same_fields(updated, validate_application(edit))
    today(db, now)


@given(values=contact_fields(), edit=contact_fields())
@FUZZ
def test_contacts(db: Database, now: datetime, values: Any, edit: Any) -> None:
    created = _call(db, lambda: create_contact(db, values, now=now))
    if created is not None:
        assert get_contact(db, created.id) == created
        _same_fields(created, validate_contact(values))
        updated = _call(db, lambda: update_contact(db, created.id, edit))
        if updated is not None:
            assert get_contact(db, created.id) == updated
            _same_fields(updated, validate_contact(edit))
    today(db, now)


@given(data=st.data())
@FUZZ
def test_interviews(db: Database, now: datetime, data: st.DataObject) -> None:
    app = application(db, now)

    def fields() -> InterviewFields:
        return InterviewFields(
            application_id=data.draw(sometimes_wild(st.just(app.id))),
            starts_at=data.draw(sometimes_wild(AWARE)),
            timezone=data.draw(sometimes_wild(st.sampled_from(["Europe/Berlin", "UTC", "Mars"]))),
            duration_minutes=data.draw(sometimes_wild(st.integers(-5, 2000))),
            round_name=data.draw(TEXT),
            format=data.draw(sometimes_wild(st.sampled_from(list(InterviewFormat)))),
            location=data.draw(TEXT),
            notes=data.draw(TEXT),
            outcome=data.draw(
                sometimes_wild(st.one_of(st.none(), st.sampled_from(list(InterviewOutcome))))
            ),
        )

    first = fields()
    created = _call(db, lambda: save_interview(db, first, [], now=now))
    if created is not None:
        assert get_interview(db, created.id) == created
        _same_fields(created, validate_interview(first))
        second = fields()
        updated = _call(
            db, lambda: save_interview(db, second, [], now=now, interview_id=created.id)
        )
        if updated is not None:
            assert get_interview(db, created.id) == updated
            _same_fields(updated, validate_interview(second))
    today(db, now)


@given(data=st.data())
@FUZZ
def test_touchpoints(db: Database, now: datetime, data: st.DataObject) -> None:
    person = contact(db, now)
    values = TouchpointFields(
        contact_id=data.draw(sometimes_wild(st.just(person.id))),
        kind=data.draw(sometimes_wild(st.sampled_from(list(TouchpointKind)))),
        occurred_at=data.draw(sometimes_wild(AWARE.map(lambda t: min(t, now)))),
        purpose=data.draw(sometimes_wild(st.sampled_from(list(Purpose)))),
        note=data.draw(TEXT),
        application_id=data.draw(sometimes_wild(st.none())),
        interview_id=data.draw(sometimes_wild(st.none())),
    )
    logged = _call(db, lambda: log_touchpoint(db, values, now=now))
    if logged is not None:
        assert logged in list_touchpoints(db, person.id)
        _same_fields(logged, validate_touchpoint(values, now=now))
    today(db, now)


@given(days=sometimes_wild(st.integers(-3, 40)))
@FUZZ
def test_follow_up_setting(db: Database, now: datetime, days: Any) -> None:
    saved = _call(db, lambda: set_follow_up_business_days(db, days))
    if saved is not None:
        assert get_rule_settings(db) == saved
        assert saved.follow_up_business_days == days
    today(db, now)


@given(data=st.data())
@FUZZ
def test_mail_account(db: Database, now: datetime, data: st.DataObject) -> None:
    values = MailAccountFields(
        display_name=data.draw(TEXT),
        email=data.draw(sometimes_wild(st.just("ada@example.com"))),
        smtp_host=data.draw(sometimes_wild(st.sampled_from(["smtp.example.com", "localhost"]))),
        smtp_port=data.draw(sometimes_wild(st.integers(-1, 70000))),
        security=data.draw(sometimes_wild(st.sampled_from(list(MailSecurity)))),
        username=data.draw(NAME),
        bcc_self=data.draw(sometimes_wild(st.booleans())),
    )
    saved = _call(db, lambda: save_mail_account(db, values))
    if saved is not None:
        assert get_mail_account(db) == saved
        _same_fields(saved, validate_mail_account(values))
        assert saved.bcc_self is values.bcc_self  # not bool() of anything at all
    today(db, now)


def test_the_fuzzer_can_tell_a_stored_mistake(db: Database, now: datetime) -> None:
    # The check above fails when a stored value differs from what validation made.
    created = create_application(db, ApplicationFields(company=" Acme ", role="Dev"), now=now)
    with pytest.raises(AssertionError):
        _same_fields(created, ApplicationFields(company=" Acme ", role="Dev"))
    with pytest.raises(ValueError, match="isoformat"):  # only ValidationError is an answer
        _call(db, lambda: date.fromisoformat("not a date"))
