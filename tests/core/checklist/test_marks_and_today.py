"""By hand and across everything: marks the user sets, and the Today list.

Any item can be checked off, dismissed or snoozed by hand; what the recorded
facts say done stays done whatever the marks say. The Today list holds every
overdue and due item and whatever comes due within the next 7 days, the most
urgent first: overdue (longest overdue first), then due, then upcoming.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

import pytest

from afterword.core.checklist.facts import ManualMark, TouchpointFacts
from afterword.core.checklist.items import ChecklistItem, ItemKind, ItemState, SubjectKind
from afterword.core.checklist.rules import today_items
from afterword.core.storage.values import ChecklistMark, Purpose
from tests.core.checklist.builders import (
    BERLIN,
    JANE,
    application,
    at,
    interview,
    items_of,
    mark,
    touch,
)

ACME = application(interview(at(BERLIN, 2026, 3, 3, 14)))
KEY = "thank_you:i12:c5"
THE_DAY_AFTER = at(BERLIN, 2026, 3, 4, 9)


def thank_you(
    now: datetime = THE_DAY_AFTER,
    *,
    marks: Iterable[ManualMark] = (),
    touchpoints: Iterable[TouchpointFacts] = (),
) -> ChecklistItem:
    return items_of(ACME, now, marks=marks, touchpoints=touchpoints)[KEY]


def test_an_item_checked_off_by_hand_is_done_but_not_automatically() -> None:
    item = thank_you(marks=[mark(KEY, ChecklistMark.DONE, THE_DAY_AFTER)])

    assert item.state == ItemState.DONE
    assert not item.done_automatically
    assert not item.is_actionable


def test_a_dismissed_item_is_dismissed() -> None:
    item = thank_you(marks=[mark(KEY, ChecklistMark.DISMISSED, THE_DAY_AFTER)])

    assert item.state == ItemState.DISMISSED
    assert not item.is_actionable


def test_a_snoozed_item_is_out_of_the_way_until_the_time_it_was_snoozed_to() -> None:
    until = at(BERLIN, 2026, 3, 4, 13)

    item = thank_you(marks=[mark(KEY, ChecklistMark.SNOOZED, THE_DAY_AFTER, until)])

    assert item.state == ItemState.SNOOZED
    assert item.snoozed_until == until
    assert not item.is_actionable


def test_after_the_snooze_it_is_back_and_never_due_before_the_snooze_ended() -> None:
    # Snoozed before the interview to the afternoon after it.
    until = at(BERLIN, 2026, 3, 4, 13)
    snoozed = mark(KEY, ChecklistMark.SNOOZED, at(BERLIN, 2026, 3, 3, 9), until)

    item = thank_you(at(BERLIN, 2026, 3, 4, 13, 30), marks=[snoozed])

    assert item.state == ItemState.DUE
    assert item.due_at == until
    assert item.overdue_at == at(BERLIN, 2026, 3, 4, 15)
    assert item.snoozed_until is None


def test_an_item_snoozed_past_its_deadline_comes_back_overdue() -> None:
    until = at(BERLIN, 2026, 3, 6, 9)

    snoozed = mark(KEY, ChecklistMark.SNOOZED, THE_DAY_AFTER, until)

    item = thank_you(at(BERLIN, 2026, 3, 6, 10), marks=[snoozed])

    assert item.state == ItemState.OVERDUE
    assert item.due_at == item.overdue_at == until


@pytest.mark.parametrize("hand_mark", [ChecklistMark.DISMISSED, ChecklistMark.SNOOZED])
def test_what_the_facts_say_done_is_done_whatever_the_marks_say(hand_mark: ChecklistMark) -> None:
    sent = touch(JANE.contact_id, at(BERLIN, 2026, 3, 4, 8), Purpose.THANK_YOU, interview_id=12)
    later = THE_DAY_AFTER + timedelta(days=2)

    item = thank_you(marks=[mark(KEY, hand_mark, THE_DAY_AFTER, later)], touchpoints=[sent])

    assert item.state == ItemState.DONE
    assert item.done_automatically


def item(key: str, state: ItemState, due_day: int, overdue_day: int) -> ChecklistItem:
    return ChecklistItem(
        key=key,
        kind=ItemKind.THANK_YOU,
        title=key,
        detail="",
        subject=SubjectKind.INTERVIEW,
        application_id=1,
        interview_id=1,
        contact_id=1,
        due_at=at(BERLIN, 2026, 3, due_day),
        overdue_at=at(BERLIN, 2026, 3, overdue_day),
        state=state,
    )


NOW = at(BERLIN, 2026, 3, 11, 10)


def test_today_lists_the_overdue_the_due_and_the_next_seven_days_most_urgent_first() -> None:
    items = [
        item("upcoming later", ItemState.OPEN, 17, 18),
        item("due, overdue soon", ItemState.DUE, 10, 12),
        item("overdue since yesterday", ItemState.OVERDUE, 9, 10),
        item("upcoming soon", ItemState.OPEN, 12, 13),
        item("overdue for a week", ItemState.OVERDUE, 2, 4),
        item("due, overdue later", ItemState.DUE, 9, 14),
    ]

    assert [i.key for i in today_items(items, NOW)] == [
        "overdue for a week",
        "overdue since yesterday",
        "due, overdue soon",
        "due, overdue later",
        "upcoming soon",
        "upcoming later",
    ]


def test_today_leaves_out_what_is_further_away_or_already_dealt_with() -> None:
    items = [
        item("in nine days", ItemState.OPEN, 20, 21),
        item("done", ItemState.DONE, 9, 10),
        item("dismissed", ItemState.DISMISSED, 9, 10),
        item("snoozed", ItemState.SNOOZED, 9, 10),
        item("in seven days", ItemState.OPEN, 18, 19),
    ]

    assert [i.key for i in today_items(items, NOW)] == ["in seven days"]
    assert [i.key for i in today_items(items, at(BERLIN, 2026, 3, 10, 23))] == []


def test_the_clock_must_say_which_time_zone_it_is_in() -> None:
    with pytest.raises(ValueError, match="time-zone aware"):
        today_items([], NOW.replace(tzinfo=None))
    with pytest.raises(ValueError, match="time-zone aware"):
        items_of(ACME, NOW.replace(tzinfo=None))
