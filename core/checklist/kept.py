"""The kept checklist items as stored: columns, what they were made for, state at a moment.

Shared by the keeper (which writes them), the in-process Today list and the
start-up read (:mod:`afterword.core.checklist.start`), so it imports no
SQLAlchemy. A kept row holds an item's texts and its bounds (due, overdue,
snooze end) as naive UTC text; its state at any moment follows from them:
nothing is rewritten as time passes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from afterword.core.checklist.items import (
    PURPOSE_BY_KIND,
    ChecklistItem,
    ItemKind,
    ItemState,
    SubjectKind,
)
from afterword.core.checklist.rules import today_horizon

# Raise when the rules change what they make: every kept item is made again
# (on the next Today) instead of lingering as the old rules made it.
RULES_VERSION = 1

# The columns an item is read from, in this order, everywhere.
ITEM_COLUMNS = (
    "key",
    "kind",
    "subject",
    "title",
    "detail",
    "application_id",
    "interview_id",
    "contact_id",
    "due_at",
    "overdue_at",
    "snoozed_until",
)
_SELECT = f"SELECT {', '.join(ITEM_COLUMNS)} FROM checklist_items"
# Today: due by the horizon, and not snoozed at the moment (a snoozed item is
# never due before its snooze ends, so its due bound covers that too).
TODAY_SQL = f"{_SELECT} WHERE due_at <= ? AND (snoozed_until IS NULL OR snoozed_until <= ?)"
KEPT_FOR_SQL = (
    "SELECT rules_version, zone, year, generation, built FROM checklist_kept WHERE id = 1"
)


class KeptFor(NamedTuple):
    rules_version: int
    zone: str
    year: int
    generation: int
    built: int

    def fits(self, now: datetime) -> bool:
        """Whether the kept items are the ones the rules make for ``now``'s zone and year."""
        return (
            self.rules_version == RULES_VERSION
            and self.zone == zone_name(now.tzinfo)
            and self.year == now.year
        )


def zone_name(zone: tzinfo | None) -> str | None:
    """A name the zone can be made again from (None: it has none, nothing is kept for it)."""
    if isinstance(zone, ZoneInfo):
        return zone.key
    if isinstance(zone, timezone):
        offset = zone.utcoffset(None)
        if offset == timedelta(0):
            return "UTC"
        minutes, rest = divmod(offset, timedelta(minutes=1))
        if rest:
            return None
        sign, minutes = ("-", -minutes) if minutes < 0 else ("+", minutes)
        return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    return None


def zone_named(name: str) -> tzinfo:
    """The zone :func:`zone_name` named (an IANA zone, or a fixed offset like ``+05:30``)."""
    if name[:1] in "+-":
        hours, minutes = name[1:].split(":")
        offset = timedelta(hours=int(hours), minutes=int(minutes))
        return timezone(-offset if name[0] == "-" else offset)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def stored_moment(moment: datetime) -> str:
    """A moment as the kept rows store it (naive UTC text, which sorts in time order)."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def parse_moment(stored: str) -> datetime:
    return datetime.fromisoformat(stored + "+00:00")


def state_at(
    due_at: datetime, overdue_at: datetime, snoozed_until: datetime | None, now: datetime
) -> ItemState:
    """A kept item's state at ``now``, as the rules would make it then."""
    if snoozed_until is not None and now < snoozed_until:
        return ItemState.SNOOZED
    if now >= overdue_at:
        return ItemState.OVERDUE
    if now >= due_at:
        return ItemState.DUE
    return ItemState.OPEN


def in_today(due_at: datetime, snoozed_until: datetime | None, now: datetime) -> bool:
    """Whether a kept item is on the Today list at ``now``."""
    return (snoozed_until is None or snoozed_until <= now) and due_at <= today_horizon(now)


def item_from_row(row: tuple[Any, ...] | Any, now: datetime) -> ChecklistItem:
    """The item a kept row (in :data:`ITEM_COLUMNS` order) stands for, in its state at ``now``.

    ``now`` in UTC makes this quicker (no zone to look up in each comparison).
    """
    key, kind, subject, title, detail, app_id, interview_id, contact_id, due, overdue, until = row
    due_at, overdue_at = parse_moment(due), parse_moment(overdue)
    snoozed_until = None if until is None else parse_moment(until)
    state = state_at(due_at, overdue_at, snoozed_until, now)
    kind = ItemKind(kind)
    return ChecklistItem(
        key=key,
        kind=kind,
        title=title,
        detail=detail,
        subject=SubjectKind(subject),
        application_id=app_id,
        interview_id=interview_id,
        contact_id=contact_id,
        due_at=due_at,
        overdue_at=overdue_at,
        state=state,
        snoozed_until=snoozed_until if state == ItemState.SNOOZED else None,
        purpose=PURPOSE_BY_KIND[kind],
    )
