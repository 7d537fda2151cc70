"""Playbook step 6: you can't win them all, so keep the relationships.

Each contact with a stay-in-touch cadence is due for a check-in that many
days after the last touchpoint of any kind (or after they were added, if
there was none yet): from the start of that day in the user's time zone,
overdue a week later. Each cycle is its own item; a new touchpoint starts the
next cycle, and so does checking a cycle off (or dismissing it) by hand.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from afterword.core.checklist.items import ItemKind, ItemState, SubjectKind
from afterword.core.storage.values import ChecklistMark, Purpose
from tests.core.checklist.builders import (
    BERLIN,
    KOLKATA,
    LOS_ANGELES,
    at,
    check_ins,
    contact,
    mark,
)

LAST_CALL = at(BERLIN, 2026, 1, 6, 15)  # a Tuesday
JANE = contact(cadence_days=90, last_touchpoint_at=LAST_CALL)


def test_without_a_cadence_there_is_no_reminder() -> None:
    assert check_ins(contact(cadence_days=None, last_touchpoint_at=LAST_CALL), LAST_CALL) == []


def test_a_check_in_is_due_a_cadence_after_the_last_touchpoint() -> None:
    [item] = check_ins(JANE, at(BERLIN, 2026, 4, 6, 9))

    assert item.kind == ItemKind.STAY_IN_TOUCH
    assert item.title == "Check in with Jane Doe"
    assert item.detail == "Every 90 days; last in touch on 6 Jan"
    assert (item.subject, item.contact_id, item.application_id) == (SubjectKind.CONTACT, 5, None)
    assert item.purpose == Purpose.CHECK_IN
    assert item.due_at == at(BERLIN, 2026, 4, 6)
    assert item.state == ItemState.DUE


def test_it_is_overdue_a_week_after_it_became_due() -> None:
    [item] = check_ins(JANE, at(BERLIN, 2026, 4, 13))

    assert item.overdue_at == at(BERLIN, 2026, 4, 13)
    assert item.state == ItemState.OVERDUE


def test_it_waits_quietly_until_then() -> None:
    [item] = check_ins(JANE, at(BERLIN, 2026, 3, 11))

    assert item.state == ItemState.OPEN


def test_without_any_touchpoint_the_cadence_counts_from_when_they_were_added() -> None:
    new_contact = contact(cadence_days=30, created_at=at(BERLIN, 2026, 3, 2, 12))

    [item] = check_ins(new_contact, at(BERLIN, 2026, 3, 11))

    assert item.due_at == at(BERLIN, 2026, 4, 1)
    assert item.detail == "Every 30 days; added on 2 Mar"


def test_each_cycle_is_its_own_item_and_a_new_touchpoint_starts_the_next() -> None:
    [before] = check_ins(JANE, at(BERLIN, 2026, 4, 6))
    touched_again = contact(cadence_days=90, last_touchpoint_at=at(BERLIN, 2026, 4, 7, 10))
    [after] = check_ins(touched_again, at(BERLIN, 2026, 4, 8))

    assert before.key == "stay_in_touch:c5:2026-04-06"
    assert after.key == "stay_in_touch:c5:2026-07-06"
    assert after.state == ItemState.OPEN


def test_a_check_in_ticked_off_by_hand_starts_the_next_cycle_from_that_day() -> None:
    ticked = mark("stay_in_touch:c5:2026-04-06", ChecklistMark.DONE, at(BERLIN, 2026, 4, 8, 18))

    done, following = check_ins(JANE, at(BERLIN, 2026, 4, 9), marks=[ticked])

    assert done.state == ItemState.DONE
    assert following.key == "stay_in_touch:c5:2026-07-07"
    assert following.detail == "Every 90 days; checked off on 8 Apr"
    assert following.state == ItemState.OPEN


def test_a_dismissed_check_in_also_starts_the_next_cycle() -> None:
    skipped = mark("stay_in_touch:c5:2026-04-06", ChecklistMark.DISMISSED, at(BERLIN, 2026, 4, 20))

    dismissed, following = check_ins(JANE, at(BERLIN, 2026, 4, 21), marks=[skipped])

    assert dismissed.state == ItemState.DISMISSED
    assert following.due_at == at(BERLIN, 2026, 7, 19)


def test_the_days_are_the_users_days() -> None:
    # 23:30 on 3 March in Los Angeles is already 4 March in UTC.
    late = contact(cadence_days=30, last_touchpoint_at=at(LOS_ANGELES, 2026, 3, 3, 23, 30))

    [item] = check_ins(late, at(LOS_ANGELES, 2026, 3, 11))

    assert item.due_at == at(LOS_ANGELES, 2026, 4, 2)


def test_a_half_hour_zone_starts_its_day_at_half_past_in_utc() -> None:
    [item] = check_ins(JANE, at(KOLKATA, 2026, 3, 11))

    assert item.due_at == datetime(2026, 4, 5, 18, 30, tzinfo=UTC)


def test_a_cycle_ending_after_the_clocks_change_is_due_at_local_midnight() -> None:
    # From winter time (UTC+1) into summer time (UTC+2) in Berlin.
    winter = contact(cadence_days=30, last_touchpoint_at=at(BERLIN, 2026, 3, 1, 10))

    [item] = check_ins(winter, at(BERLIN, 2026, 3, 11))

    assert item.due_at == datetime(2026, 3, 30, 22, 0, tzinfo=UTC)
    assert item.due_at.astimezone(BERLIN) == at(BERLIN, 2026, 3, 31)


def test_where_the_clocks_skip_midnight_the_day_starts_when_they_jump() -> None:
    # Santiago de Chile: on Sunday 6 September 2026, 00:00 becomes 01:00.
    santiago = ZoneInfo("America/Santiago")
    august = contact(cadence_days=30, last_touchpoint_at=at(santiago, 2026, 8, 7, 10))

    [item] = check_ins(august, at(santiago, 2026, 9, 6, 12))

    assert item.due_at == datetime(2026, 9, 6, 4, 0, tzinfo=UTC)
    assert item.due_at.astimezone(santiago) == at(santiago, 2026, 9, 6, 1)
    assert item.state == ItemState.DUE
