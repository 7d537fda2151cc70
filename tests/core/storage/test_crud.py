"""What a user does to their records: create, edit, list, delete with undo, record outcomes."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest

from afterword.core.applications import (
    delete_application,
    get_application,
    list_applications,
    record_outcome,
    restore_application,
    update_application,
)
from afterword.core.contacts import (
    delete_contact,
    get_contact,
    list_contacts,
    restore_contact,
    update_contact,
)
from afterword.core.errors import NotFoundError, ValidationError
from afterword.core.interviews import (
    delete_interview,
    get_interview,
    list_interviews,
    list_interviews_for_contact,
    save_interview,
)
from afterword.core.storage.db import Database
from afterword.core.storage.models import Message, Touchpoint
from afterword.core.storage.records import (
    ApplicationFields,
    ContactFields,
    InterviewFields,
    ParticipantFields,
    TouchpointFields,
)
from afterword.core.storage.values import (
    ApplicationStatus,
    InterviewOutcome,
    Purpose,
    TouchpointKind,
)
from afterword.core.touchpoints import delete_touchpoint, list_touchpoints, log_touchpoint
from tests.core.storage.helpers import application, contact, interview, raw_rows, row_counts


def _touch(db: Database, now: datetime, contact_id: int, **links: int | None) -> int:
    values = TouchpointFields(
        contact_id=contact_id, kind=TouchpointKind.EMAIL, occurred_at=now, **links
    )
    return log_touchpoint(db, values, now=now).id


def _message(db: Database, now: datetime, **links: int | None) -> int:
    # The mail module writes messages; a plain row is all these tests need.
    with db.session() as session:
        row = Message(purpose=Purpose.THANK_YOU, created_at=now, updated_at=now, **links)
        session.add(row)
        session.flush()
        return row.id


def _links(db: Database, table: str, row_id: int) -> tuple[object, ...]:
    columns = "application_id, interview_id" + (", contact_id" if table == "messages" else "")
    [row] = raw_rows(db.path, f"SELECT {columns} FROM {table} WHERE id = ?", row_id)
    return row


# --- applications -------------------------------------------------------------------------


def test_create_edit_and_list_applications(db: Database, now: datetime) -> None:
    first = application(db, now, company="Initech", role="Engineer")
    later = now + timedelta(hours=1)
    second = application(db, later, company="Globex", role="Analyst")
    edited = update_application(
        db,
        first.id,
        ApplicationFields(
            company=" Initech ", role="Senior engineer", why_interested="Their mission"
        ),
        now=later + timedelta(hours=1),
    )
    assert (edited.company, edited.role, edited.why_interested) == (
        "Initech",
        "Senior engineer",
        "Their mission",
    )
    assert edited.created_at == now
    assert get_application(db, first.id) == edited
    # Most recently changed first.
    assert [a.id for a in list_applications(db, now=now)] == [first.id, second.id]


def test_next_interview_is_the_earliest_one_not_yet_started(db: Database, now: datetime) -> None:
    app = application(db, now)
    interview(db, now, app.id, starts_in=timedelta(days=-1))
    soon = interview(db, now, app.id, starts_in=timedelta(days=2))
    interview(db, now, app.id, starts_in=timedelta(days=9))
    [summary] = list_applications(db, now=now)
    assert summary.next_interview_at == soon.starts_at
    assert summary.next_interview_at is not None and summary.next_interview_at.tzinfo is not None


def test_missing_rows_raise_not_found(db: Database, now: datetime) -> None:
    with pytest.raises(NotFoundError):
        get_application(db, 404)
    with pytest.raises(NotFoundError):
        update_application(db, 404, ApplicationFields(company="A", role="B"), now=now)
    with pytest.raises(NotFoundError):
        get_contact(db, 404)
    with pytest.raises(NotFoundError):
        get_interview(db, 404)
    with pytest.raises(NotFoundError):
        delete_touchpoint(db, 404)
    assert set(row_counts(db).values()) == {0}


def test_results_are_frozen_plain_records(db: Database, now: datetime) -> None:
    app = application(db, now)
    person = contact(db, now)
    meeting = interview(db, now, app.id, ParticipantFields(contact_id=person.id))
    records = [
        app,
        get_application(db, app.id),
        *list_applications(db, now=now),
        person,
        *list_contacts(db),
        meeting,
        *meeting.participants,
        *list_interviews(db, app.id),
        get_interview(db, meeting.id),
    ]
    for record in records:
        assert dataclasses.is_dataclass(record)
        assert not hasattr(record, "_sa_instance_state")  # not an ORM row
        with pytest.raises(dataclasses.FrozenInstanceError):
            record.id = 0  # type: ignore[misc]


# --- interviews and outcomes ----------------------------------------------------------------


def test_adding_an_interview_moves_an_applied_application_to_interviewing(
    db: Database, now: datetime
) -> None:
    app = application(db, now)
    assert app.status == ApplicationStatus.APPLIED
    interview(db, now, app.id)
    assert get_application(db, app.id).status == ApplicationStatus.INTERVIEWING


def test_adding_an_interview_leaves_a_decided_application_alone(
    db: Database, now: datetime
) -> None:
    app = application(db, now)
    update_application(
        db,
        app.id,
        ApplicationFields(company="Acme", role="Engineer", status=ApplicationStatus.OFFER),
        now=now,
    )
    interview(db, now, app.id)
    assert get_application(db, app.id).status == ApplicationStatus.OFFER


def test_record_outcome_sets_status_and_decided_at(db: Database, now: datetime) -> None:
    app = application(db, now)
    meeting = interview(db, now, app.id)
    decided = now + timedelta(days=3)
    rejected = record_outcome(db, meeting.id, InterviewOutcome.REJECTED, now=decided)
    assert (rejected.status, rejected.decided_at) == (ApplicationStatus.REJECTED, decided)
    assert get_interview(db, meeting.id).outcome == InterviewOutcome.REJECTED
    # Saying it again later keeps the day the answer came.
    again = record_outcome(db, meeting.id, InterviewOutcome.REJECTED, now=decided + timedelta(1))
    assert again.decided_at == decided
    offer = record_outcome(db, meeting.id, InterviewOutcome.OFFER, now=decided + timedelta(2))
    assert (offer.status, offer.decided_at) == (ApplicationStatus.OFFER, decided + timedelta(2))
    advanced = record_outcome(db, meeting.id, InterviewOutcome.ADVANCED, now=decided)
    assert (advanced.status, advanced.decided_at) == (ApplicationStatus.INTERVIEWING, None)
    cleared = record_outcome(db, meeting.id, None, now=decided)
    assert (cleared.status, cleared.decided_at) == (ApplicationStatus.INTERVIEWING, None)
    assert get_interview(db, meeting.id).outcome is None
    assert get_application(db, app.id) == cleared


def test_saving_an_interview_replaces_its_people(db: Database, now: datetime) -> None:
    app = application(db, now)
    stays, leaves = contact(db, now, "Stays"), contact(db, now, "Leaves")
    meeting = interview(
        db,
        now,
        app.id,
        ParticipantFields(contact_id=stays.id, notes="Kind"),
        ParticipantFields(contact_id=leaves.id),
    )
    updated = save_interview(
        db,
        InterviewFields(
            application_id=app.id,
            starts_at=meeting.starts_at,
            timezone="Europe/Berlin",
            round_name="Second round",
        ),
        [
            ParticipantFields(contact_id=stays.id, notes="Kind; likes chess"),
            ParticipantFields(new_contact=ContactFields(name="New Person", email="n@ex.com")),
        ],
        now=now,
        interview_id=meeting.id,
    )
    assert updated.id == meeting.id
    assert updated.round_name == "Second round"
    assert [(p.contact_name, p.notes) for p in updated.participants] == [
        ("Stays", "Kind; likes chess"),
        ("New Person", ""),
    ]
    assert get_interview(db, meeting.id) == updated
    # The person who left the interview is still a contact.
    assert sorted(c.name for c in list_contacts(db)) == ["Leaves", "New Person", "Stays"]
    assert list_interviews_for_contact(db, leaves.id) == []


def test_an_unknown_participant_writes_nothing(db: Database, now: datetime) -> None:
    app = application(db, now)
    before = row_counts(db)
    with pytest.raises(NotFoundError):
        interview(
            db,
            now,
            app.id,
            ParticipantFields(new_contact=ContactFields(name="Would be created")),
            ParticipantFields(contact_id=404),
        )
    assert row_counts(db) == before


def test_an_interview_for_a_missing_application_writes_nothing(db: Database, now: datetime) -> None:
    with pytest.raises(NotFoundError):
        interview(db, now, 404)
    assert set(row_counts(db).values()) == {0}


def test_deleting_an_interview_keeps_its_people_and_their_history(
    db: Database, now: datetime
) -> None:
    app = application(db, now)
    person = contact(db, now)
    meeting = interview(db, now, app.id, ParticipantFields(contact_id=person.id))
    touch = _touch(db, now, person.id, application_id=app.id, interview_id=meeting.id)
    delete_interview(db, meeting.id)
    assert row_counts(db)["participants"] == 0
    assert get_contact(db, person.id).name == person.name
    assert _links(db, "touchpoints", touch) == (app.id, None)


# --- deleting an application, and undo -------------------------------------------------------


def test_deleting_an_application_deletes_its_interviews_but_keeps_people_and_history(
    db: Database, now: datetime
) -> None:
    app = application(db, now)
    other = application(db, now, company="Other")
    ada, bob = contact(db, now, "Ada"), contact(db, now, "Bob")
    first = interview(db, now, app.id, ParticipantFields(contact_id=ada.id, notes="Met Ada"))
    second = interview(db, now, app.id, ParticipantFields(contact_id=bob.id))
    kept = interview(db, now, other.id, ParticipantFields(contact_id=ada.id))
    touch = _touch(db, now, ada.id, application_id=app.id, interview_id=first.id)
    message = _message(db, now, contact_id=bob.id, application_id=app.id, interview_id=second.id)
    before = get_application(db, app.id)

    deleted = delete_application(db, app.id)

    counts = row_counts(db)
    assert (counts["applications"], counts["interviews"], counts["participants"]) == (1, 1, 1)
    assert (counts["contacts"], counts["touchpoints"], counts["messages"]) == (2, 1, 1)
    assert _links(db, "touchpoints", touch) == (None, None)
    assert _links(db, "messages", message) == (None, None, bob.id)
    assert [i.id for i in list_interviews_for_contact(db, ada.id)] == [kept.id]
    with pytest.raises(NotFoundError):
        get_application(db, app.id)

    restored = restore_application(db, deleted)

    assert restored == before
    assert [i.id for i in list_interviews(db, app.id)] == [first.id, second.id]
    assert get_interview(db, first.id) == first
    assert _links(db, "touchpoints", touch) == (app.id, first.id)
    assert _links(db, "messages", message) == (app.id, second.id, bob.id)


def test_undo_skips_a_participant_whose_contact_was_deleted_meanwhile(
    db: Database, now: datetime
) -> None:
    app = application(db, now)
    ada, bob = contact(db, now, "Ada"), contact(db, now, "Bob")
    meeting = interview(
        db, now, app.id, ParticipantFields(contact_id=ada.id), ParticipantFields(contact_id=bob.id)
    )
    deleted = delete_application(db, app.id)
    delete_contact(db, bob.id)
    restore_application(db, deleted)
    assert [p.contact_name for p in get_interview(db, meeting.id).participants] == ["Ada"]


def test_undo_restores_only_the_links_the_delete_cut(db: Database, now: datetime) -> None:
    app = application(db, now)
    elsewhere = application(db, now, company="Elsewhere")
    refiled = application(db, now, company="Refiled")
    person = contact(db, now)
    meeting = interview(db, now, app.id, ParticipantFields(contact_id=person.id))
    # A message filed under another application but about this interview.
    message = _message(
        db, now, contact_id=person.id, application_id=elsewhere.id, interview_id=meeting.id
    )
    relinked = _touch(db, now, person.id, application_id=app.id)
    deleted = delete_application(db, app.id)
    delete_application(db, elsewhere.id)  # its link on the message is gone for good
    with db.session() as session:  # the user filed the touchpoint elsewhere meanwhile
        row = session.get(Touchpoint, relinked)
        assert row is not None
        row.application_id = refiled.id

    restore_application(db, deleted)

    assert _links(db, "messages", message) == (None, meeting.id, person.id)
    assert _links(db, "touchpoints", relinked) == (refiled.id, None)


# --- contacts, and undo ------------------------------------------------------------------------


def test_create_edit_and_list_contacts(db: Database, now: datetime) -> None:
    zoe = contact(db, now, "Zoë", email="zoe@example.com")
    adam = contact(db, now, "Adam", company="Initech", title="CTO")
    edited = update_contact(
        db,
        zoe.id,
        ContactFields(name="Zoë Quinn", email="zoe@example.com", cadence_days=90),
    )
    assert (edited.name, edited.cadence_days, edited.created_at) == ("Zoë Quinn", 90, now)
    assert get_contact(db, zoe.id) == edited
    assert [c.id for c in list_contacts(db)] == [adam.id, zoe.id]  # by name
    assert [c.id for c in list_contacts(db, query="initech")] == [adam.id]


def test_touchpoints_set_last_contacted_and_list_newest_first(db: Database, now: datetime) -> None:
    person = contact(db, now)
    assert get_contact(db, person.id).last_contacted_at is None
    older = _touch(db, now - timedelta(days=3), person.id)
    newer = _touch(db, now, person.id)
    assert [t.id for t in list_touchpoints(db, person.id)] == [newer, older]
    assert get_contact(db, person.id).last_contacted_at == now
    [listed] = list_contacts(db)
    assert listed.last_contacted_at == now
    removed = delete_touchpoint(db, newer)
    assert removed.id == newer
    assert get_contact(db, person.id).last_contacted_at == now - timedelta(days=3)


def test_a_touchpoint_must_point_at_rows_that_exist_and_agree(db: Database, now: datetime) -> None:
    person = contact(db, now)
    app, other = application(db, now), application(db, now, company="Other")
    meeting = interview(db, now, other.id)
    before = row_counts(db)
    with pytest.raises(NotFoundError):
        _touch(db, now, 404)
    with pytest.raises(NotFoundError):
        _touch(db, now, person.id, application_id=404)
    with pytest.raises(NotFoundError):
        _touch(db, now, person.id, interview_id=404)
    with pytest.raises(ValidationError) as wrong:
        _touch(db, now, person.id, application_id=app.id, interview_id=meeting.id)
    assert wrong.value.field == "interview_id"
    assert row_counts(db) == before


def test_deleting_a_contact_never_deletes_an_interview(db: Database, now: datetime) -> None:
    app = application(db, now)
    ada, bob = contact(db, now, "Ada"), contact(db, now, "Bob")
    meeting = interview(
        db,
        now,
        app.id,
        ParticipantFields(contact_id=ada.id, notes="Asked about TPS reports"),
        ParticipantFields(contact_id=bob.id),
    )
    touch = _touch(db, now, ada.id, application_id=app.id, interview_id=meeting.id)
    message = _message(db, now, contact_id=ada.id, application_id=app.id)

    deleted = delete_contact(db, ada.id)

    assert [p.contact_name for p in get_interview(db, meeting.id).participants] == ["Bob"]
    assert row_counts(db)["touchpoints"] == 0  # the history of talking to Ada went with her
    assert _links(db, "messages", message) == (app.id, None, None)

    restored = restore_contact(db, deleted)

    assert restored.id == ada.id
    assert restored.last_contacted_at == now
    assert get_interview(db, meeting.id) == meeting
    assert [t.id for t in list_touchpoints(db, ada.id)] == [touch]
    assert _links(db, "touchpoints", touch) == (app.id, meeting.id)
    assert _links(db, "messages", message) == (app.id, None, ada.id)


def test_contact_undo_after_the_interview_was_deleted(db: Database, now: datetime) -> None:
    app = application(db, now)
    ada = contact(db, now, "Ada")
    meeting = interview(db, now, app.id, ParticipantFields(contact_id=ada.id))
    touch = _touch(db, now, ada.id, application_id=app.id, interview_id=meeting.id)
    deleted = delete_contact(db, ada.id)
    delete_application(db, app.id)
    restored = restore_contact(db, deleted)
    assert list_interviews_for_contact(db, restored.id) == []
    assert _links(db, "touchpoints", touch) == (None, None)


def test_a_deleted_id_is_never_given_to_a_new_row(db: Database, now: datetime) -> None:
    # Undo restores rows under their old ids, and checklist marks are keyed by ids:
    # a new application must not inherit the deleted one's id (or its dismissed items).
    app = application(db, now)
    person = contact(db, now)
    meeting = interview(db, now, app.id, ParticipantFields(contact_id=person.id))
    deleted_app = delete_application(db, app.id)
    deleted_person = delete_contact(db, person.id)
    newer_app = application(db, now, company="Newer")
    newer_person = contact(db, now, "Newer")
    assert newer_app.id != app.id
    assert newer_person.id != person.id
    assert interview(db, now, newer_app.id).id != meeting.id
    assert restore_application(db, deleted_app).id == app.id
    assert restore_contact(db, deleted_person).id == person.id
