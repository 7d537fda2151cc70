"""The checklist's words and groups as plain functions (no Qt, no widgets)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime, timedelta

from afterword.core.checklist.items import FAR_FUTURE, ChecklistItem, ItemKind, ItemState
from afterword.gui.widgets.checklist.text import (
    day_text,
    due_text,
    is_hand_marked,
    next_change,
    progress_groups,
    thank_yous_together,
    today_groups,
    today_summary,
)

DAY = timedelta(days=1)


def item(
    title: str, state: ItemState, due: datetime, overdue: datetime, **extra: object
) -> ChecklistItem:
    return ChecklistItem(
        key=f"k-{title}",
        kind=ItemKind.THANK_YOU,
        title=title,
        detail="d",
        subject="interview",  # type: ignore[arg-type]
        application_id=None,
        interview_id=1,
        contact_id=None,
        due_at=due,
        overdue_at=overdue,
        state=state,
        **extra,  # type: ignore[arg-type]
    )


def test_the_module_loads_no_qt() -> None:
    code = (
        "import sys, afterword.gui.widgets.checklist.text; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "[]"


def test_day_text_adds_the_year_only_for_another_year() -> None:
    today = date(2026, 3, 11)
    assert day_text(date(2026, 3, 14), today) == "Sat 14 Mar"
    assert day_text(date(2027, 1, 5), today) == "Tue 5 Jan 2027"


def test_today_groups_keep_order_and_leave_out_empty_groups_and_finished_items(
    now: datetime,
) -> None:
    late = item("late", ItemState.OVERDUE, now - 2 * DAY, now - DAY)
    due = item("due", ItemState.DUE, now, now + DAY)
    later = item("later", ItemState.OPEN, now + 2 * DAY, now + 3 * DAY)
    this_evening = item("evening", ItemState.OPEN, now + timedelta(hours=8), now + DAY)
    done = item("done", ItemState.DONE, now, now + DAY)
    groups = today_groups([later, done, due, late, this_evening], now)
    assert [(title, [i.title for i in group]) for title, group in groups] == [
        ("Overdue", ["late"]),
        ("Today", ["due", "evening"]),
        ("Next 7 days", ["later"]),
    ]
    assert today_groups([later], now) == [("Next 7 days", [later])]
    assert today_summary([later, due, late, this_evening], now) == (
        "1 overdue · 2 for today · 1 coming up"
    )
    assert today_summary([], now) == ""


def test_progress_groups_split_to_do_snoozed_and_done(now: datetime) -> None:
    todo = item("todo", ItemState.DUE, now, now + DAY)
    snoozed = item("snoozed", ItemState.SNOOZED, now, now + DAY, snoozed_until=now + DAY)
    done = item("done", ItemState.DONE, now, now + DAY)
    dismissed = item("dismissed", ItemState.DISMISSED, now, now + DAY)
    groups = progress_groups([dismissed, snoozed, todo, done], now)
    assert [(title, [i.title for i in group]) for title, group in groups] == [
        ("To do", ["todo"]),
        ("Snoozed", ["snoozed"]),
        ("Done", ["dismissed", "done"]),
    ]


def test_only_marks_made_by_hand_can_be_taken_back(now: datetime) -> None:
    assert is_hand_marked(item("a", ItemState.DONE, now, now))
    assert is_hand_marked(item("b", ItemState.SNOOZED, now, now, snoozed_until=now + DAY))
    assert not is_hand_marked(item("c", ItemState.DONE, now, now, done_automatically=True))
    assert not is_hand_marked(item("d", ItemState.DUE, now, now + DAY))


def test_next_change_skips_the_past_and_the_due_moment_of_due_items(now: datetime) -> None:
    # A due item changes next when it becomes overdue; an open one when it falls due.
    due = item("due", ItemState.DUE, now - DAY, now + timedelta(hours=3))
    opening = item("open", ItemState.OPEN, now + timedelta(hours=5), now + 2 * DAY)
    assert next_change([due, opening], now) == now + timedelta(hours=3)
    assert next_change([opening], now) == now + timedelta(hours=5)
    # Snoozed and finished items never wake the list; midnight always does.
    snoozed = item("z", ItemState.SNOOZED, now + timedelta(hours=1), now + timedelta(hours=2))
    assert next_change([snoozed], now) == datetime(2026, 3, 12, tzinfo=now.tzinfo)


def test_optional_items_wait_last_on_today_and_are_counted_apart(now: datetime) -> None:
    due = item("due", ItemState.DUE, now, now + DAY)
    offer = item("offer", ItemState.DUE, now - 3 * DAY, FAR_FUTURE)
    assert offer.is_optional and not due.is_optional

    groups = today_groups([offer, due], now)

    assert [(title, [i.title for i in group]) for title, group in groups] == [
        ("Today", ["due"]),
        ("Optional", ["offer"]),
    ]
    assert today_summary([offer, due], now) == "1 for today · 1 optional"
    assert due_text(offer, now) == "when you like"
    assert next_change([offer], now) == datetime(2026, 3, 12, tzinfo=now.tzinfo)


def test_dismiss_all_takes_the_interviews_thank_yous_or_after_a_no_the_applications(
    now: datetime,
) -> None:
    def thank_you(key: str, interview_id: int, *, optional: bool = False) -> ChecklistItem:
        overdue = FAR_FUTURE if optional else now + DAY
        made = item(key, ItemState.DUE, now, overdue)
        return replace(made, key=key, application_id=7, interview_id=interview_id)

    first, second = thank_you("a", 1), thank_you("b", 1)
    other_round = thank_you("c", 2)
    sent = replace(thank_you("d", 1), state=ItemState.DONE)
    asking = replace(thank_you("e", 1), kind=ItemKind.ASK_NEXT_STEPS)
    items = [first, second, other_round, sent, asking]
    assert thank_yous_together(first, items) == [first, second]
    assert thank_yous_together(asking, items) == []
    assert thank_yous_together(None, items) == []

    offers = [thank_you("f", 1, optional=True), thank_you("g", 2, optional=True)]
    elsewhere = replace(thank_you("h", 3, optional=True), application_id=8)
    assert thank_yous_together(offers[0], [*offers, elsewhere, first]) == offers


def test_an_item_due_later_today_says_from_when(now: datetime) -> None:
    afternoon = item("thank", ItemState.OPEN, now + timedelta(hours=6), now + DAY)

    assert due_text(afternoon, now) == "from 16:00"
    assert due_text(replace(afternoon, state=ItemState.DUE), now) == "today"
