"""The checklist over a real database: what a person sees for an application, an
interview, a contact and today, and the marks they set by hand, which persist.
"""

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from afterword.core.checklist import service
from afterword.core.checklist.items import ChecklistItem, ItemKind, ItemState
from afterword.core.errors import NotFoundError, ValidationError
from afterword.core.interviews import save_interview
from afterword.core.settings import set_follow_up_business_days
from afterword.core.storage.db import Database
from afterword.core.storage.models import ChecklistState
from afterword.core.storage.records import InterviewFields, ParticipantFields
from afterword.core.storage.values import ApplicationStatus, Purpose, TouchpointKind
from tests.core.checklist.builders import (
    BERLIN,
    add_application,
    add_contact,
    add_interview,
    add_touchpoint,
    at,
)


@pytest.fixture
def acme(db: Database) -> dict[str, int]:
    """Acme: 2nd round on Tuesday 3 March with Jane and Omar; decision was due Friday.

    Jane got her thank-you; Omar, who gave no email address, did not. Omar,
    added on 1 March, is to be checked in with every 30 days.
    """
    app = add_application(db, decision_expected=date(2026, 3, 6))
    jane = add_contact(db, "Jane Doe")
    omar = add_contact(
        db, "Omar Haddad", email="", cadence_days=30, created_at=at(BERLIN, 2026, 3, 1)
    )
    interview = add_interview(db, app, at(BERLIN, 2026, 3, 3, 14), jane, omar)
    add_touchpoint(
        db,
        jane,
        at(BERLIN, 2026, 3, 3, 18),
        Purpose.THANK_YOU,
        application_id=app,
        interview_id=interview,
    )
    return {"app": app, "jane": jane, "omar": omar, "interview": interview}


def states(items: list[ChecklistItem]) -> dict[str, ItemState]:
    return {item.key: item.state for item in items}


def test_an_applications_checklist_comes_from_what_was_recorded(
    db: Database, acme: dict[str, int], now: datetime
) -> None:
    items = service.checklist_for_application(db, acme["app"], now)

    i, app = acme["interview"], acme["app"]
    assert states(items) == {
        f"ask_next_steps:i{i}": ItemState.DONE,
        f"collect_details:i{i}": ItemState.OVERDUE,
        f"thank_you:i{i}:c{acme['jane']}": ItemState.DONE,
        f"thank_you:i{i}:c{acme['omar']}": ItemState.OVERDUE,
        f"status_follow_up:a{app}:1": ItemState.OVERDUE,
    }


def test_an_interviews_checklist_holds_only_that_interview(
    db: Database, acme: dict[str, int], now: datetime
) -> None:
    later = add_interview(db, acme["app"], at(BERLIN, 2026, 3, 20, 10), acme["jane"])

    items = service.checklist_for_interview(db, later, now)

    assert [item.kind for item in items] == [
        ItemKind.ASK_NEXT_STEPS,
        ItemKind.COLLECT_DETAILS,
        ItemKind.THANK_YOU,
    ]
    assert {item.interview_id for item in items} == {later}


def test_a_contacts_checklist_holds_what_is_owed_to_them_and_their_check_ins(
    db: Database, acme: dict[str, int], now: datetime
) -> None:
    items = service.checklist_for_contact(db, acme["omar"], now)

    assert [(item.kind, item.state) for item in items] == [
        (ItemKind.THANK_YOU, ItemState.OVERDUE),
        (ItemKind.STAY_IN_TOUCH, ItemState.OPEN),
    ]
    assert items[1].title == "Check in with Omar Haddad"


@pytest.mark.parametrize(
    "lookup",
    [
        service.checklist_for_application,
        service.checklist_for_interview,
        service.checklist_for_contact,
    ],
)
def test_asking_for_something_deleted_says_so(
    db: Database, now: datetime, lookup: Callable[[Database, int, datetime], list[ChecklistItem]]
) -> None:
    with pytest.raises(NotFoundError):
        lookup(db, 999, now)


def test_checking_an_item_off_by_hand_persists_and_can_be_undone(
    db: Database, acme: dict[str, int], now: datetime
) -> None:
    key = f"thank_you:i{acme['interview']}:c{acme['omar']}"

    service.mark_done(db, key, now)
    done = states(service.checklist_for_application(db, acme["app"], now))[key]
    service.clear_mark(db, key)
    undone = states(service.checklist_for_application(db, acme["app"], now))[key]

    assert (done, undone) == (ItemState.DONE, ItemState.OVERDUE)


def test_a_dismissed_item_stays_dismissed(
    db: Database, acme: dict[str, int], now: datetime
) -> None:
    key = f"collect_details:i{acme['interview']}"

    service.dismiss(db, key, now)

    assert states(service.checklist_for_interview(db, acme["interview"], now))[key] == (
        ItemState.DISMISSED
    )
    assert key not in {item.key for item in service.today(db, now)}


def test_a_snoozed_item_leaves_today_and_comes_back_when_the_snooze_ends(
    db: Database, acme: dict[str, int], now: datetime
) -> None:
    key = f"status_follow_up:a{acme['app']}:1"
    tomorrow = now + timedelta(days=1)

    service.snooze(db, key, tomorrow, now)
    snoozed = states(service.checklist_for_application(db, acme["app"], now))[key]

    assert snoozed == ItemState.SNOOZED
    assert key not in {item.key for item in service.today(db, now)}
    assert key in {item.key for item in service.today(db, tomorrow)}


def test_snoozing_into_the_past_is_refused_and_nothing_is_written(
    db: Database, acme: dict[str, int], now: datetime
) -> None:
    key = f"status_follow_up:a{acme['app']}:1"

    with pytest.raises(ValidationError) as refused:
        service.snooze(db, key, now - timedelta(minutes=1), now)

    assert refused.value.field == "until"
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(ChecklistState)) == 0


def test_a_key_that_is_no_checklist_item_is_refused(db: Database, now: datetime) -> None:
    with pytest.raises(ValidationError) as refused:
        service.mark_done(db, "thank_you:everyone", now)

    assert refused.value.field == "key"


def test_a_clock_without_a_time_zone_is_refused(
    db: Database, acme: dict[str, int], now: datetime
) -> None:
    with pytest.raises(ValidationError) as refused:
        service.today(db, now.replace(tzinfo=None))

    assert refused.value.field == "now"


def test_today_gathers_everything_due_across_applications_and_contacts(
    db: Database, acme: dict[str, int], now: datetime
) -> None:
    # Globex said no yesterday; Ana got her thank-you, a reply and a LinkedIn request.
    globex = add_application(
        db,
        company="Globex",
        status=ApplicationStatus.REJECTED,
        decided_at=at(BERLIN, 2026, 3, 10, 16),
    )
    ana = add_contact(db, "Ana Silva")
    first = add_interview(db, globex, at(BERLIN, 2026, 3, 2, 10), ana)
    add_touchpoint(db, ana, at(BERLIN, 2026, 3, 2, 17), Purpose.THANK_YOU, interview_id=first)
    add_touchpoint(
        db, ana, at(BERLIN, 2026, 3, 10, 17), Purpose.REJECTION_REPLY, application_id=globex
    )
    add_touchpoint(
        db, ana, at(BERLIN, 2026, 3, 10, 18), Purpose.OTHER, kind=TouchpointKind.LINKEDIN
    )
    # Initech interviews next Monday; the interview after that is beyond the week.
    initech = add_application(db, company="Initech")
    bob = add_contact(db, "Bob Novak")
    add_interview(db, initech, at(BERLIN, 2026, 3, 16, 10), bob)
    add_interview(db, initech, at(BERLIN, 2026, 3, 30, 10), bob)

    today = service.today(db, now)

    assert [(item.key.split(":")[0], item.state) for item in today] == [
        ("collect_details", ItemState.OVERDUE),  # overdue since 4 March, 15:00
        ("thank_you", ItemState.OVERDUE),  # to Omar, likewise
        ("status_follow_up", ItemState.OVERDUE),  # since this morning
        ("schedule_stay_in_touch", ItemState.DUE),  # Ana has no reminder yet
        ("ask_next_steps", ItemState.OPEN),  # Initech, Monday (Bob's email is known)
        ("thank_you", ItemState.OPEN),
    ]
    assert today[3].application_id == globex
    assert {item.application_id for item in today[4:]} == {initech}


def test_an_interview_moved_to_another_application_takes_its_people_along(
    db: Database, now: datetime
) -> None:
    # Globex said no; its only interview was entered there by mistake and moves to Initech.
    globex = add_application(
        db, company="Globex", status=ApplicationStatus.REJECTED, decided_at=at(BERLIN, 2026, 3, 10)
    )
    initech = add_application(db, company="Initech", status=ApplicationStatus.WITHDRAWN)
    ana = add_contact(db, "Ana Silva")
    moved = add_interview(db, globex, at(BERLIN, 2026, 3, 2, 10), ana)
    assert service.make_kept(db, now)
    people_steps = {f"connect_linkedin:a{globex}", f"schedule_stay_in_touch:a{globex}"}
    assert people_steps <= {item.key for item in service.today(db, now)}

    save_interview(
        db,
        InterviewFields(
            application_id=initech, starts_at=at(BERLIN, 2026, 3, 2, 10), timezone="Europe/Berlin"
        ),
        [ParticipantFields(contact_id=ana)],
        now=now,
        interview_id=moved,
    )

    # Globex met nobody now: the kept items Today reads say so, as the rules do.
    assert not people_steps & {item.key for item in service.today(db, now)}
    assert not people_steps & {
        item.key for item in service.checklist_for_application(db, globex, now)
    }


def test_the_applications_table_shows_each_applications_most_urgent_item(
    db: Database, acme: dict[str, int], now: datetime
) -> None:
    settled = add_application(db, company="Initech", status=ApplicationStatus.WITHDRAWN)

    next_due = service.next_due_by_application(db, now)

    assert set(next_due) == {acme["app"]}
    assert next_due[acme["app"]].key == f"collect_details:i{acme['interview']}"
    assert settled not in next_due


def test_the_follow_up_delay_the_user_chose_applies(
    db: Database, acme: dict[str, int], now: datetime
) -> None:
    set_follow_up_business_days(db, 5)

    items = service.checklist_for_application(db, acme["app"], now)

    follow_up = next(item for item in items if item.kind == ItemKind.STATUS_FOLLOW_UP)
    assert follow_up.due_at == at(BERLIN, 2026, 3, 13)
    assert follow_up.state == ItemState.OPEN
