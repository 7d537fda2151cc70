"""Saving what the interview form edits at once: the application's next steps and
decision date, the interview with its people, and its outcome."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

import pytest

from afterword.core.applications import get_application, update_application
from afterword.core.errors import ValidationError
from afterword.core.interviews import get_interview, save_interview_with_application
from afterword.core.storage.changes import Kind, collect_changes
from afterword.core.storage.db import Database
from afterword.core.storage.records import (
    ApplicationFields,
    ContactFields,
    InterviewFields,
    ParticipantFields,
)
from afterword.core.storage.values import ApplicationStatus, InterviewOutcome
from tests.core.storage.helpers import application, interview, row_counts


def _fields(db: Database, application_id: int) -> ApplicationFields:
    """The application as the form would have it: its stored fields."""
    stored = get_application(db, application_id)
    return ApplicationFields(
        **{f.name: getattr(stored, f.name) for f in dataclasses.fields(ApplicationFields)}
    )


def _interview_values(db: Database, interview_id: int) -> InterviewFields:
    """The interview as the form would have it: its stored fields."""
    stored = get_interview(db, interview_id)
    return InterviewFields(
        **{f.name: getattr(stored, f.name) for f in dataclasses.fields(InterviewFields)}
    )


def test_one_save_writes_next_steps_the_interview_its_people_and_the_outcome(
    db: Database, now: datetime
) -> None:
    app = application(db, now)
    meeting = interview(db, now - timedelta(days=1), app.id)
    values = dataclasses.replace(
        _interview_values(db, meeting.id), outcome=InterviewOutcome.REJECTED
    )
    with collect_changes() as collected:
        saved = save_interview_with_application(
            db,
            values,
            [ParticipantFields(new_contact=ContactFields(name="Ana Ruiz"))],
            next_steps="They decide on Friday.",
            decision_expected=date(2026, 3, 13),
            now=now,
            interview_id=meeting.id,
        )

    record = get_application(db, app.id)
    assert (record.next_steps, record.decision_expected) == (
        "They decide on Friday.",
        date(2026, 3, 13),
    )
    assert record.status == ApplicationStatus.REJECTED
    assert [p.contact_name for p in saved.participants] == ["Ana Ruiz"]
    assert get_interview(db, meeting.id).outcome == InterviewOutcome.REJECTED
    changes = collected.changes
    assert changes.touches(Kind.APPLICATIONS, Kind.INTERVIEWS, Kind.CONTACTS, Kind.CHECKLIST)
    assert app.id in changes.application_ids


def test_a_problem_anywhere_writes_nothing(db: Database, now: datetime) -> None:
    app = application(db, now)
    meeting = interview(db, now - timedelta(days=1), app.id)
    before = row_counts(db)
    with pytest.raises(ValidationError) as refused:
        save_interview_with_application(
            db,
            _interview_values(db, meeting.id),
            [ParticipantFields(new_contact=ContactFields(name="Ana", email="ana@"))],
            next_steps="Written only if everything is fine.",
            decision_expected=None,
            now=now,
            interview_id=meeting.id,
        )
    assert refused.value.field == "participants[0].email"
    assert row_counts(db) == before
    assert get_application(db, app.id).next_steps == ""


def test_what_changed_in_the_application_meanwhile_is_kept(db: Database, now: datetime) -> None:
    app = application(db, now)
    meeting = interview(db, now - timedelta(days=1), app.id)
    # Edited in another form after the interview form opened; no outcome given.
    decided = dataclasses.replace(
        _fields(db, app.id), notes="Salary band confirmed.", status=ApplicationStatus.OFFER
    )
    update_application(db, app.id, decided, now=now)

    save_interview_with_application(
        db,
        _interview_values(db, meeting.id),
        [],
        next_steps="Sign by Monday.",
        decision_expected=None,
        now=now,
        interview_id=meeting.id,
    )
    record = get_application(db, app.id)
    assert record.notes == "Salary band confirmed."
    assert record.next_steps == "Sign by Monday."
    # The outcome did not change, so the status is left as the person set it.
    assert record.status == ApplicationStatus.OFFER
