"""Every write declares what it changed: kinds and subject ids, from the rows it wrote."""

from __future__ import annotations

from datetime import datetime

import pytest

from afterword.core.applications import delete_application, update_application
from afterword.core.checklist.service import mark_done
from afterword.core.contacts import delete_contact, update_contact
from afterword.core.errors import ValidationError
from afterword.core.interviews import save_interview
from afterword.core.storage.changes import Changes, Kind, collect_changes
from afterword.core.storage.db import Database
from afterword.core.storage.records import (
    ApplicationFields,
    ContactFields,
    InterviewFields,
    ParticipantFields,
    TouchpointFields,
)
from afterword.core.storage.values import Purpose, TouchpointKind
from afterword.core.touchpoints import log_touchpoint
from tests.core.storage.helpers import application, contact, interview


def test_creating_an_application_reports_it_and_the_checklist(db: Database, now: datetime) -> None:
    with collect_changes() as collected:
        created = application(db, now)
    assert collected.changes.kinds == {Kind.APPLICATIONS, Kind.CHECKLIST}
    assert collected.changes.application_ids == {created.id}
    assert collected.changes.complete


def test_an_interview_names_its_application_interview_and_people(
    db: Database, now: datetime
) -> None:
    app = application(db, now)
    with collect_changes() as collected:
        dana = ParticipantFields(new_contact=ContactFields(name="Dana"))
        saved = interview(db, now, app.id, dana)
    changes = collected.changes
    assert {Kind.INTERVIEWS, Kind.CONTACTS, Kind.CHECKLIST} <= changes.kinds
    assert Kind.MESSAGES not in changes.kinds
    assert changes.application_ids == {app.id}
    assert changes.interview_ids == {saved.id}
    assert changes.contact_ids == {saved.participants[0].contact_id}


def test_moving_an_interview_names_the_application_it_left_too(db: Database, now: datetime) -> None:
    left, joined = application(db, now), application(db, now)
    moved = interview(db, now, left.id)
    values = InterviewFields(
        application_id=joined.id, starts_at=moved.starts_at, timezone=moved.timezone
    )
    with collect_changes() as collected:
        save_interview(db, values, [], now=now, interview_id=moved.id)
    # The one it left loses its people and their rejection steps: its items change too.
    assert collected.changes.application_ids == {left.id, joined.id}
    assert collected.changes.interview_ids == {moved.id}


def test_an_edit_that_changes_nothing_reports_nothing(db: Database, now: datetime) -> None:
    app = application(db, now)
    same = ApplicationFields(company=app.company, role=app.role)
    with collect_changes() as collected:
        update_application(db, app.id, same, now=now)
    assert not collected.changes


def test_a_touchpoint_names_its_contact(db: Database, now: datetime) -> None:
    person = contact(db, now)
    with collect_changes() as collected:
        log_touchpoint(
            db,
            TouchpointFields(
                contact_id=person.id,
                kind=TouchpointKind.EMAIL,
                purpose=Purpose.CHECK_IN,
                occurred_at=now,
            ),
            now=now,
        )
    assert {Kind.TOUCHPOINTS, Kind.CHECKLIST} <= collected.changes.kinds
    assert collected.changes.contact_ids == {person.id}


def test_deleting_reports_what_the_database_removed_with_it(db: Database, now: datetime) -> None:
    app = application(db, now)
    person = contact(db, now)
    with collect_changes() as collected:
        delete_application(db, app.id)
    assert {Kind.APPLICATIONS, Kind.INTERVIEWS, Kind.TOUCHPOINTS} <= collected.changes.kinds
    assert app.id in collected.changes.application_ids
    with collect_changes() as collected:
        delete_contact(db, person.id)
    assert {Kind.CONTACTS, Kind.INTERVIEWS} <= collected.changes.kinds


def test_a_mark_reports_the_checklist_only(db: Database, now: datetime) -> None:
    app = application(db, now)
    with collect_changes() as collected:
        mark_done(db, f"status_follow_up:a{app.id}:1", now)
    assert collected.changes.kinds == {Kind.CHECKLIST}
    assert collected.changes.application_ids == {app.id}


def test_a_failed_write_reports_nothing(db: Database, now: datetime) -> None:
    person = contact(db, now)
    with collect_changes() as collected, pytest.raises(ValidationError):
        update_contact(db, person.id, ContactFields(name=""))
    assert collected.changes == Changes()


def test_writes_outside_a_collector_are_not_reported_to_a_later_one(
    db: Database, now: datetime
) -> None:
    application(db, now)
    with collect_changes() as collected:
        pass
    assert not collected.changes


def test_changes_merge() -> None:
    first = Changes(kinds=frozenset({Kind.APPLICATIONS}), application_ids=frozenset({1}))
    second = Changes(kinds=frozenset({Kind.CONTACTS}), contact_ids=frozenset({2}), complete=False)
    merged = first | second
    assert merged.kinds == {Kind.APPLICATIONS, Kind.CONTACTS}
    assert merged.application_ids == {1} and merged.contact_ids == {2}
    assert not merged.complete
    assert merged.touches(Kind.CONTACTS) and not merged.touches(Kind.MESSAGES)
    assert Changes.everything().touches(*Kind)
