"""Time for the follow-up rules: days, business days and moments, item states, marks, Today's order.

No I/O and no clock: everything comes in as arguments. ``now.tzinfo`` is the
user's time zone and defines "a day" for date-based items. Business days
skip Saturday and Sunday. Arithmetic on moments is done in UTC (24 hours are
24 real hours, also across a daylight-saving change); arithmetic on days is
done on calendar dates, and a day starts at its first moment in the
relevant zone. :mod:`afterword.core.checklist.rules` builds the playbook's
rules on these.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from afterword.core.checklist.facts import ManualMark, RuleSettings
from afterword.core.checklist.items import (
    ACTIONABLE_STATES,
    FAR_FUTURE,
    PURPOSE_BY_KIND,
    ChecklistItem,
    ItemKind,
    ItemState,
    SubjectKind,
    make_key,
)
from afterword.core.storage.validation import UNKNOWN_ZONE
from afterword.core.storage.values import ChecklistMark

logger = logging.getLogger(__name__)

UPCOMING = timedelta(days=7)


def today_horizon(now: datetime) -> datetime:
    """The last moment an open item may come due at and still be on Today at ``now``.

    Seven days of elapsed time, the same in every zone. Adding to ``now`` in
    its own zone would add wall-clock days (an hour less or more across a
    daylight-saving change), while the kept items' bounds are UTC moments:
    the kept Today and the plain rules must draw the line at one moment.
    """
    return now.astimezone(UTC) + UPCOMING


# A typo (an interview in the year 9999, a 99,999,999-day cadence) must not
# crash the Today list. Recorded moments are read within EARLIEST..LATEST (a
# couple of days inside what datetime can shift into any zone) and computed
# ones stop at FAR_FUTURE (defined with the items), far enough beyond LATEST
# that every deadline still fits after its due time.
EARLIEST = datetime(1, 1, 3, tzinfo=UTC)
LATEST = datetime(8000, 1, 1, tzinfo=UTC)
LAST_DAY = FAR_FUTURE.date()

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_URGENCY_RANK = {ItemState.OVERDUE: 0, ItemState.DUE: 1, ItemState.OPEN: 2}


# --- days, business days and moments -------------------------------------------------------


def moment_in_range(recorded: datetime) -> datetime:
    """A recorded moment, in UTC, brought within the range the rules compute in."""
    return min(max(recorded, EARLIEST), LATEST).astimezone(UTC)


def day_in_range(recorded: date) -> date:
    return min(max(recorded, EARLIEST.date()), LATEST.date())


def shift_days(day: date, days: int) -> date:
    """``day`` moved by ``days`` calendar days (stopping at :data:`LAST_DAY`)."""
    ordinal = min(day.toordinal() + days, LAST_DAY.toordinal())
    return date.fromordinal(max(ordinal, 1))


# Pure functions of a few values that recur across thousands of items (the same
# due days, the same zone): remembered, they cost a dictionary look-up.
@functools.lru_cache(maxsize=4096)
def add_business_days(day: date, count: int) -> date:
    """The ``count``-th Monday-to-Friday day after ``day`` (``day`` itself may be a weekend).

    ``count`` is at least 1. Computed, not looped, so any count is quick.
    """
    weekday = day.weekday()
    if weekday >= 5:
        # Counting from Saturday or Sunday is counting from the Friday before.
        day = shift_days(day, 4 - weekday)
        weekday = 4
    weeks, rest = divmod(count, 5)
    days = weeks * 7 + rest
    if weekday + rest >= 5:
        days += 2  # the count crosses one more weekend
    return shift_days(day, days)


@functools.lru_cache(maxsize=4096)
def day_start(day: date, zone: tzinfo) -> datetime:
    """The first moment of ``day`` in ``zone``, in UTC.

    Where midnight does not exist (a daylight-saving jump at 00:00), ``fold=0``
    maps it to the moment the clocks jumped to, which is the day's first moment.
    """
    return datetime.combine(min(day, LAST_DAY), time(), tzinfo=zone).astimezone(UTC)


def local_day(moment: datetime, zone: tzinfo) -> date:
    return moment.astimezone(zone).date()


def after(moment: datetime, **delta: float) -> datetime:
    """``moment`` (in UTC) plus a duration in real time, stopping at :data:`FAR_FUTURE`."""
    try:
        later = moment + timedelta(**delta)
    except OverflowError:
        return FAR_FUTURE
    return min(later, FAR_FUTURE)


@functools.lru_cache(maxsize=512)
def named_zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except UNKNOWN_ZONE:
        logger.warning("Unknown time zone %r on an interview; using the user's zone", name)
        return None


def _day_text(day: date, this_year: int) -> str:
    text = f"{day.day} {_MONTHS[day.month - 1]}"
    return text if day.year == this_year else f"{text} {day.year}"


# --- states and marks -----------------------------------------------------------------------


def _state(due_at: datetime, overdue_at: datetime, now: datetime) -> ItemState:
    if now >= overdue_at:
        return ItemState.OVERDUE
    if now >= due_at:
        return ItemState.DUE
    return ItemState.OPEN


def snooze_end(mark: ManualMark | None) -> datetime | None:
    """Until when a snooze mark hides its item (None for no mark or no snooze)."""
    if mark is None or mark.mark != ChecklistMark.SNOOZED or mark.snoozed_until is None:
        return None
    return moment_in_range(mark.snoozed_until)


def apply_mark(item: ChecklistItem, mark: ManualMark | None, now: datetime) -> ChecklistItem:
    """The item as the user's hand-made mark leaves it.

    Done or dismissed by hand: so it stays. Snoozed until T: ``SNOOZED`` while
    ``now`` is before T; from T on its state is computed as usual, but it is
    never due before T. An item the facts made done ignores marks.
    """
    if mark is None or item.done_automatically:
        return item
    if mark.mark == ChecklistMark.DONE:
        return replace(item, state=ItemState.DONE)
    if mark.mark == ChecklistMark.DISMISSED:
        return replace(item, state=ItemState.DISMISSED)
    until = snooze_end(mark)
    if until is None:
        return item
    due_at = max(item.due_at, until)
    overdue_at = max(item.overdue_at, due_at)
    if now < until:
        return replace(
            item,
            due_at=due_at,
            overdue_at=overdue_at,
            state=ItemState.SNOOZED,
            snoozed_until=until,
        )
    return replace(
        item, due_at=due_at, overdue_at=overdue_at, state=_state(due_at, overdue_at, now)
    )


def restated(item: ChecklistItem, mark: ManualMark | None, now: datetime) -> ChecklistItem:
    """The item the rules make at ``now``, from the one they made at another moment.

    ``mark`` is the item's mark, as when it was made. Facts and marks fix
    everything about an item but its state (and until when it is snoozed):
    whether there is such an item, its texts (for one user zone and year)
    and when it is due and overdue, a snooze's delay included. So only the
    state is worked out again, as :func:`apply_mark` does; the same item
    comes back when that has not changed.
    """
    if item.state in (ItemState.DONE, ItemState.DISMISSED):
        return item  # by the facts or by hand: for good
    until = snooze_end(mark)
    if until is not None and now < until:
        state, snoozed_until = ItemState.SNOOZED, until
    else:
        state, snoozed_until = _state(item.due_at, item.overdue_at, now), None
    if state == item.state and snoozed_until == item.snoozed_until:
        return item
    return replace(item, state=state, snoozed_until=snoozed_until)


@dataclass(frozen=True)
class RuleContext:
    """What every rule needs besides the facts: the clock, the user's zone, marks, settings.

    Built once by :func:`rule_context` for any number of rule calls. With
    ``keep_done=False`` the rules leave out the items the facts show done
    (they are never on the Today list nor in the applications table, and
    building thousands of them for nothing is most of the work there); the
    items they do make are exactly the same either way.
    """

    now: datetime  # UTC
    zone: tzinfo  # the user's
    this_year: int
    marks: Mapping[str, ManualMark]
    settings: RuleSettings
    keep_done: bool = True

    def day(self, day: date) -> str:
        return _day_text(day, self.this_year)

    def wants(self, done_by_facts: bool) -> bool:
        """Whether to make an item the facts show done (``done_by_facts``) or not."""
        return self.keep_done or not done_by_facts

    def item(
        self,
        kind: ItemKind,
        parts: tuple[str, ...],
        *,
        title: str,
        detail: str,
        subject: SubjectKind,
        due_at: datetime,
        overdue_at: datetime,
        done_by_facts: bool,
        application_id: int | None = None,
        interview_id: int | None = None,
        contact_id: int | None = None,
    ) -> ChecklistItem:
        key = make_key(kind, *parts)
        item = ChecklistItem(
            key=key,
            kind=kind,
            title=title,
            detail=detail,
            subject=subject,
            application_id=application_id,
            interview_id=interview_id,
            contact_id=contact_id,
            due_at=due_at,
            overdue_at=overdue_at,
            state=ItemState.DONE if done_by_facts else _state(due_at, overdue_at, self.now),
            done_automatically=done_by_facts,
            purpose=PURPOSE_BY_KIND[kind],
        )
        return item if done_by_facts else apply_mark(item, self.marks.get(key), self.now)

    def done_day(self, item: ChecklistItem) -> date:
        """The day an item was checked off by hand (its mark's day, in the user's zone)."""
        return local_day(moment_in_range(self.marks[item.key].at), self.zone)


def rule_context(
    now: datetime,
    marks: Mapping[str, ManualMark],
    settings: RuleSettings,
    *,
    keep_done: bool = True,
) -> RuleContext:
    """The rules' context at ``now``, whose zone is the user's (see :class:`RuleContext`)."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be time-zone aware: its zone is the user's")
    return RuleContext(
        now=now.astimezone(UTC),
        zone=now.tzinfo,
        this_year=now.year,
        marks=marks,
        settings=settings,
        keep_done=keep_done,
    )


# --- the Today list ---------------------------------------------------------------------------


def urgency(item: ChecklistItem) -> tuple[int, datetime, datetime, str]:
    """Sort key: overdue (longest overdue first), due (closest to overdue first), then open."""
    rank = _URGENCY_RANK.get(item.state, len(_URGENCY_RANK))
    if item.state == ItemState.OPEN:
        return (rank, item.due_at, item.overdue_at, item.key)
    return (rank, item.overdue_at, item.due_at, item.key)


def today_items(items: Iterable[ChecklistItem], now: datetime) -> list[ChecklistItem]:
    """What needs attention: everything overdue or due, and what comes due within 7 days."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be time-zone aware: its zone is the user's")
    horizon = today_horizon(now)
    chosen = [
        item
        for item in items
        if item.state in ACTIONABLE_STATES
        and (item.state != ItemState.OPEN or item.due_at <= horizon)
    ]
    return sorted(chosen, key=urgency)
