"""Playbook step 4: when the stated time frame passes, follow up (once or twice, not more).

A status follow-up is due a set number of business days (2 unless the user
changed it) after the decision date passes without an answer: from the start
of that day in the user's time zone, overdue from the next business day.
It is done once a status follow-up is recorded on or after the decision
date. The second one comes once the first is done, 5 business days later;
after the second and another 5 business days of silence, the application is
flagged as gone quiet.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from afterword.core.checklist.facts import ManualMark, RuleSettings, TouchpointFacts
from afterword.core.checklist.items import ChecklistItem, ItemKind, ItemState, SubjectKind
from afterword.core.storage.values import ApplicationStatus, ChecklistMark, Purpose, TouchpointKind
from tests.core.checklist.builders import (
    AUCKLAND,
    BERLIN,
    DEFAULT_SETTINGS,
    JANE,
    KOLKATA,
    LOS_ANGELES,
    OMAR,
    application,
    at,
    items_of,
    mark,
    of_kind,
    touch,
)

FRIDAY_6_MARCH = date(2026, 3, 6)


def follow_ups(
    decision: date | None,
    now: datetime,
    *touchpoints: TouchpointFacts,
    status: ApplicationStatus = ApplicationStatus.INTERVIEWING,
    marks: Iterable[ManualMark] = (),
    settings: RuleSettings = DEFAULT_SETTINGS,
) -> list[ChecklistItem]:
    items = items_of(
        application(decision_expected=decision, status=status),
        now,
        touchpoints=touchpoints,
        marks=marks,
        settings=settings,
    )
    return of_kind(items, ItemKind.STATUS_FOLLOW_UP) + of_kind(items, ItemKind.GONE_QUIET)


def followed_up(when: datetime, contact_id: int = JANE.contact_id) -> TouchpointFacts:
    return touch(contact_id, when, Purpose.STATUS_FOLLOW_UP)


def test_without_a_decision_date_there_is_nothing_to_follow_up_on() -> None:
    assert follow_ups(None, at(BERLIN, 2026, 3, 20)) == []


def test_a_decision_date_on_friday_makes_the_follow_up_due_on_tuesday() -> None:
    [item] = follow_ups(FRIDAY_6_MARCH, at(BERLIN, 2026, 3, 10, 9))

    assert item.key == "status_follow_up:a7:1"
    assert item.title == "Follow up with Acme on their decision"
    assert item.detail == "Senior Developer: they expected to decide by 6 Mar"
    assert item.subject == SubjectKind.APPLICATION
    assert item.purpose == Purpose.STATUS_FOLLOW_UP
    assert item.due_at == at(BERLIN, 2026, 3, 10)
    assert item.overdue_at == at(BERLIN, 2026, 3, 11)
    assert item.state == ItemState.DUE


def test_a_decision_date_on_a_saturday_also_lands_on_tuesday() -> None:
    [item] = follow_ups(date(2026, 3, 7), at(BERLIN, 2026, 3, 9))

    assert item.due_at == at(BERLIN, 2026, 3, 10)
    assert item.state == ItemState.OPEN


def test_a_follow_up_due_on_friday_is_overdue_on_monday_not_over_the_weekend() -> None:
    # Decision Wednesday 11 March: due Friday 13th, overdue Monday 16th.
    [item] = follow_ups(date(2026, 3, 11), at(BERLIN, 2026, 3, 15, 23))

    assert item.due_at == at(BERLIN, 2026, 3, 13)
    assert item.overdue_at == at(BERLIN, 2026, 3, 16)
    assert item.state == ItemState.DUE


def test_the_number_of_business_days_is_the_users_choice() -> None:
    settings = RuleSettings(follow_up_business_days=5)

    [item] = follow_ups(FRIDAY_6_MARCH, at(BERLIN, 2026, 3, 10), settings=settings)

    assert item.due_at == at(BERLIN, 2026, 3, 13)


def test_the_follow_up_is_on_the_list_before_the_decision_date() -> None:
    [item] = follow_ups(FRIDAY_6_MARCH, at(BERLIN, 2026, 3, 2))

    assert item.state == ItemState.OPEN


def test_a_follow_up_sent_after_the_decision_date_makes_it_done() -> None:
    [item, second] = follow_ups(
        FRIDAY_6_MARCH, at(BERLIN, 2026, 3, 11), followed_up(at(BERLIN, 2026, 3, 10, 9))
    )

    assert item.state == ItemState.DONE
    assert item.done_automatically
    assert second.key == "status_follow_up:a7:2"


def test_a_message_sent_before_the_decision_date_is_not_a_follow_up_on_it() -> None:
    [item] = follow_ups(
        FRIDAY_6_MARCH, at(BERLIN, 2026, 3, 11), followed_up(at(BERLIN, 2026, 3, 5, 16))
    )

    assert item.state == ItemState.OVERDUE


def test_the_second_follow_up_comes_five_business_days_after_the_first() -> None:
    _first, second = follow_ups(
        FRIDAY_6_MARCH, at(BERLIN, 2026, 3, 12), followed_up(at(BERLIN, 2026, 3, 10, 9))
    )

    assert second.title == "Follow up again with Acme"
    assert second.detail == "Senior Developer: no answer since your follow-up on 10 Mar"
    assert second.due_at == at(BERLIN, 2026, 3, 17)
    assert second.overdue_at == at(BERLIN, 2026, 3, 18)
    assert second.state == ItemState.OPEN


def test_one_email_to_two_people_is_one_follow_up() -> None:
    _first, second = follow_ups(
        FRIDAY_6_MARCH,
        at(BERLIN, 2026, 3, 12),
        followed_up(at(BERLIN, 2026, 3, 10, 9), JANE.contact_id),
        followed_up(at(BERLIN, 2026, 3, 10, 9), OMAR.contact_id),
    )

    assert second.state == ItemState.OPEN


def test_a_follow_up_checked_off_by_hand_counts_from_that_day() -> None:
    checked = mark("status_follow_up:a7:1", ChecklistMark.DONE, at(BERLIN, 2026, 3, 12, 17))

    first, second = follow_ups(FRIDAY_6_MARCH, at(BERLIN, 2026, 3, 13), marks=[checked])

    assert first.state == ItemState.DONE
    assert not first.done_automatically
    assert second.due_at == at(BERLIN, 2026, 3, 19)


def test_dismissing_the_first_follow_up_means_no_more_follow_ups() -> None:
    dismissed = mark("status_follow_up:a7:1", ChecklistMark.DISMISSED, at(BERLIN, 2026, 3, 10))

    [item] = follow_ups(FRIDAY_6_MARCH, at(BERLIN, 2026, 4, 20), marks=[dismissed])

    assert item.state == ItemState.DISMISSED


def test_after_two_follow_ups_and_more_silence_the_application_has_gone_quiet() -> None:
    first, second, quiet = follow_ups(
        FRIDAY_6_MARCH,
        at(BERLIN, 2026, 3, 24, 8),
        followed_up(at(BERLIN, 2026, 3, 10, 9)),
        followed_up(at(BERLIN, 2026, 3, 17, 9)),
    )

    assert (first.state, second.state) == (ItemState.DONE, ItemState.DONE)
    assert quiet.key == "gone_quiet:a7"
    assert quiet.title == "Acme has gone quiet"
    assert quiet.due_at == at(BERLIN, 2026, 3, 24)
    assert quiet.state == ItemState.DUE


def test_never_more_than_two_follow_ups() -> None:
    items = follow_ups(
        FRIDAY_6_MARCH,
        at(BERLIN, 2026, 6, 1),
        *(followed_up(at(BERLIN, 2026, 3, day, 9)) for day in (10, 17, 24, 31)),
    )

    assert [item.key for item in items] == [
        "status_follow_up:a7:1",
        "status_follow_up:a7:2",
        "gone_quiet:a7",
    ]


@pytest.mark.parametrize(
    "answer",
    [
        ApplicationStatus.OFFER,
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
    ],
)
def test_once_the_answer_is_in_there_is_nothing_to_follow_up(answer: ApplicationStatus) -> None:
    assert follow_ups(FRIDAY_6_MARCH, at(BERLIN, 2026, 3, 20), status=answer) == []


@pytest.mark.parametrize(
    ("zone", "due_in_utc"),
    [
        (BERLIN, datetime(2026, 3, 9, 23, 0, tzinfo=UTC)),
        (LOS_ANGELES, datetime(2026, 3, 10, 7, 0, tzinfo=UTC)),  # PDT since 8 March
        (KOLKATA, datetime(2026, 3, 9, 18, 30, tzinfo=UTC)),
        (AUCKLAND, datetime(2026, 3, 9, 11, 0, tzinfo=UTC)),
    ],
)
def test_the_day_starts_in_the_users_own_time_zone(zone: ZoneInfo, due_in_utc: datetime) -> None:
    [item] = follow_ups(FRIDAY_6_MARCH, at(zone, 2026, 3, 10, 12))

    assert item.due_at == due_in_utc
    assert item.due_at.astimezone(zone) == at(zone, 2026, 3, 10)


@pytest.mark.parametrize(
    ("zone", "decision", "tuesday"),
    [
        (BERLIN, date(2026, 3, 27), date(2026, 3, 31)),  # clocks go forward on Sunday 29th
        (LOS_ANGELES, date(2026, 3, 6), date(2026, 3, 10)),  # forward on Sunday 8th
        (AUCKLAND, date(2026, 4, 3), date(2026, 4, 7)),  # back on Sunday 5 April
    ],
)
def test_a_weekend_with_a_clock_change_still_lands_at_midnight_on_tuesday(
    zone: ZoneInfo, decision: date, tuesday: date
) -> None:
    [item] = follow_ups(decision, at(zone, tuesday.year, tuesday.month, tuesday.day, 12))

    due = item.due_at.astimezone(zone)
    overdue = item.overdue_at.astimezone(zone)
    assert (due.date(), due.hour, due.minute) == (tuesday, 0, 0)
    assert (overdue.date(), overdue.hour) == (tuesday + timedelta(days=1), 0)
    assert item.state == ItemState.DUE


def replied(when: datetime) -> TouchpointFacts:
    return touch(JANE.contact_id, when, Purpose.OTHER, kind=TouchpointKind.REPLIED)


def test_their_reply_after_the_follow_up_ends_the_chain() -> None:
    items = follow_ups(
        FRIDAY_6_MARCH,
        at(BERLIN, 2026, 3, 20),
        followed_up(at(BERLIN, 2026, 3, 10, 9)),
        replied(at(BERLIN, 2026, 3, 11, 15)),
    )

    assert items == []


def test_a_new_decision_date_after_their_reply_brings_new_follow_ups() -> None:
    # They answered on Wednesday 11 March: another round, a decision by Monday 16 March.
    answer = replied(at(BERLIN, 2026, 3, 11, 15))
    first = followed_up(at(BERLIN, 2026, 3, 10, 9))

    items = follow_ups(date(2026, 3, 16), at(BERLIN, 2026, 3, 18, 9), first, answer)

    assert [(i.key, i.state) for i in items] == [("status_follow_up:a7:1", ItemState.DUE)]
    assert items[0].due_at == at(BERLIN, 2026, 3, 18)


def test_a_reply_before_the_decision_date_does_not_answer_it() -> None:
    early = replied(at(BERLIN, 2026, 3, 4, 12))  # "we decide by Friday"

    items = follow_ups(FRIDAY_6_MARCH, at(BERLIN, 2026, 3, 10, 9), early)

    assert [i.state for i in items] == [ItemState.DUE]
