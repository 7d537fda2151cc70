"""The checklist's words and groups, without Qt: due texts, grouping and the next change.

Shared by the checklist list, Today, the Applications and Contacts tables
and the composer (dates in words). Importing it loads no Qt, so these rules
are tested as plain functions (``tests/gui/test_checklist_text.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from afterword.core.checklist.items import ChecklistItem, ItemKind, ItemState

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

Groups = list[tuple[str, list[ChecklistItem]]]


def day_text(day: date, today: date) -> str:
    """ "Thu 14 Mar" (with the year when it is not this year's)."""
    text = f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"
    return text if day.year == today.year else f"{text} {day.year}"


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def due_text(item: ChecklistItem, now: datetime) -> str:
    """When an item is due, in words: "overdue by 2 days", "today", "from 16:00", "Thu 14 Mar"..."""
    today = now.date()
    due_day = item.due_at.astimezone(now.tzinfo).date()
    if item.state == ItemState.DONE:
        return "done automatically" if item.done_automatically else "done"
    if item.state == ItemState.DISMISSED:
        return "dismissed"
    if item.state == ItemState.SNOOZED and item.snoozed_until is not None:
        until = item.snoozed_until.astimezone(now.tzinfo).date()
        return f"snoozed until {day_text(until, today)}"
    if item.state == ItemState.OVERDUE:
        late = (today - item.overdue_at.astimezone(now.tzinfo).date()).days
        return "overdue since today" if late <= 0 else f"overdue by {_days(late)}"
    if item.is_optional and due_day <= today:
        return "when you like"
    if due_day <= today and item.state == ItemState.OPEN:
        # Later today (a thank-you for this afternoon's interview): say from when.
        return f"from {item.due_at.astimezone(now.tzinfo):%H:%M}"
    if due_day <= today:
        return "today"
    if (due_day - today).days == 1:
        return "tomorrow"
    return day_text(due_day, today)


def today_groups(items: Sequence[ChecklistItem], now: datetime) -> Groups:
    """Overdue / Today / Next 7 days / Optional (empty groups left out), keeping the given order.

    Only items still to do are listed: one just marked leaves at once. Optional
    items (offers such as a thank-you after a no) come last, out of the way.
    """
    overdue: list[ChecklistItem] = []
    due: list[ChecklistItem] = []
    upcoming: list[ChecklistItem] = []
    optional: list[ChecklistItem] = []
    for item in items:
        if not item.is_actionable:
            continue
        if item.is_optional and item.state == ItemState.DUE:
            optional.append(item)
        elif item.state == ItemState.OVERDUE:
            overdue.append(item)
        elif item.state == ItemState.DUE or item.due_at.astimezone(now.tzinfo).date() <= now.date():
            due.append(item)
        else:
            upcoming.append(item)
    groups = (
        ("Overdue", overdue),
        ("Today", due),
        ("Next 7 days", upcoming),
        ("Optional", optional),
    )
    return [(title, group) for title, group in groups if group]


def today_summary(items: Sequence[ChecklistItem], now: datetime) -> str:
    """ "2 overdue · 3 for today · 4 coming up" (only the parts that are not zero)."""
    counts = {title: len(group) for title, group in today_groups(items, now)}
    words = (
        ("Overdue", "overdue"),
        ("Today", "for today"),
        ("Next 7 days", "coming up"),
        ("Optional", "optional"),
    )
    return " · ".join(f"{counts[title]} {text}" for title, text in words if counts.get(title))


def next_change(items: Sequence[ChecklistItem], now: datetime) -> datetime:
    """When the list must be rebuilt even if no data changes: midnight or the next deadline."""
    moments = [datetime.combine(now.date() + timedelta(days=1), time(0), now.tzinfo)]
    for item in items:
        if item.state == ItemState.OPEN:
            moments.append(item.due_at)
        if item.state in (ItemState.OPEN, ItemState.DUE):
            moments.append(item.overdue_at)
    return min(moment for moment in moments if moment > now)


def progress_groups(items: Sequence[ChecklistItem], now: datetime) -> Groups:
    """To do / Snoozed / Done (done and dismissed), for a detail pane."""
    todo = [i for i in items if i.is_actionable]
    snoozed = [i for i in items if i.state == ItemState.SNOOZED]
    done = [i for i in items if i.state in (ItemState.DONE, ItemState.DISMISSED)]
    groups = (("To do", todo), ("Snoozed", snoozed), ("Done", done))
    return [(title, group) for title, group in groups if group]


def is_hand_marked(item: ChecklistItem) -> bool:
    """Done, dismissed or snoozed by the person (so the mark can be taken back)."""
    return not item.done_automatically and item.state in (
        ItemState.DONE,
        ItemState.DISMISSED,
        ItemState.SNOOZED,
    )


def thank_yous_together(
    item: ChecklistItem | None, items: Sequence[ChecklistItem]
) -> list[ChecklistItem]:
    """The unsent thank-yous that go with ``item`` (itself included) for "Dismiss all".

    Those of its interview; once the application said no (the thank-yous are
    then optional), those of every interview of the application.
    """
    if item is None or item.kind != ItemKind.THANK_YOU or not item.is_actionable:
        return []

    def goes_with(other: ChecklistItem) -> bool:
        if item.is_optional:
            return other.is_optional and other.application_id == item.application_id
        return other.interview_id == item.interview_id

    return [i for i in items if i.kind == ItemKind.THANK_YOU and i.is_actionable and goes_with(i)]


def writable(item: ChecklistItem) -> bool:
    """Whether the item is still to do and has a message to write."""
    return item.is_actionable and item.purpose is not None


def writing_target(
    current: ChecklistItem | None, items: Sequence[ChecklistItem]
) -> ChecklistItem | None:
    """What "Write thank-you" writes: the selected item, else the first with a message."""
    if current is not None:
        # Another kind of item selected: its own actions, not a stranger's.
        return current if writable(current) else None
    return next((i for i in items if writable(i)), None)
