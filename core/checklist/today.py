"""Today in a running program: the kept items held in memory, brought up to date by what changed.

Each open database has one :class:`TodayView`. It holds the kept items that
can come onto the Today list soon (due within a few weeks), ordered the way
Today shows them, and the generation of the kept table they are from. A
call reads that generation (one small query); after a write it reads only
the rows of the subjects the write replaced (``checklist_changes``), and as
the clock moves it restates only the items whose due, overdue or snooze-end
bound (or the Today horizon) was crossed. So the cost of a call follows
what changed since the last one, not how much is kept. Another zone or
year, a full build, or a reader that fell too far behind reads everything.
"""

from __future__ import annotations

import bisect
import threading
import weakref
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Engine, event, select, text

from afterword.core.checklist.items import ChecklistItem, ItemState
from afterword.core.checklist.kept import (
    ITEM_COLUMNS,
    KeptFor,
    in_today,
    item_from_row,
    state_at,
    stored_moment,
)
from afterword.core.checklist.rules import UPCOMING, today_horizon, urgency
from afterword.core.storage.models import KeptChange

# Items due up to this long after the Today horizon are held too, so that
# time passing brings them on without a read.
_AHEAD = timedelta(days=28)
_ROWS = f"SELECT {', '.join(ITEM_COLUMNS)}, rule, subject_id FROM checklist_items"
_WINDOW = text(f"{_ROWS} WHERE due_at <= :until")
_OF_SUBJECTS = text(
    f"{_ROWS} WHERE due_at <= :until AND rule = :rule"
    " AND subject_id IN (SELECT value FROM json_each(:ids))"
)
_LOG = select(KeptChange.generation, KeptChange.rule, KeptChange.subject_id)
_EARLIEST = datetime.min.replace(tzinfo=UTC)
_ONE_HOUR = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class _Held:
    item: ChecklistItem  # in its state at the view's moment
    subject: tuple[str, int]  # (rule, subject id)
    until: datetime | None  # snooze end

    def hours(self) -> set[int]:
        """The hours in which this item's state or its place on Today can change."""
        item = self.item
        try:
            comes_up = item.due_at - UPCOMING
        except OverflowError:
            comes_up = _EARLIEST
        moments = [item.due_at, item.overdue_at, comes_up]
        if self.until is not None:
            moments.append(self.until)
        return {_hour(moment) for moment in moments}


class TodayView:
    """The Today list of one open database, kept in memory (see the module docstring)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._kept: KeptFor | None = None
        self._at = _EARLIEST
        self._until = _EARLIEST  # items due by then are held
        self._held: dict[str, _Held] = {}
        self._by_subject: dict[tuple[str, int], set[str]] = {}
        # The keys of the held items by the hour of each moment their state
        # or place on Today can change: what passing time has to look at.
        self._thresholds: dict[int, set[str]] = {}
        self._order: list[tuple[int, datetime, datetime, str]] = []  # urgency of each item on Today
        self._shown: list[ChecklistItem] = []  # the items on Today, in that order

    def today(self, connection: Connection, kept: KeptFor, now: datetime) -> list[ChecklistItem]:
        """Today at ``now``, from the kept items of ``kept`` (read in ``connection``'s snapshot)."""
        now = now.astimezone(UTC)
        was = self._kept
        if (
            was is None
            or (was.zone, was.year, was.built) != (kept.zone, kept.year, kept.built)
            or today_horizon(now) > self._until
            or not self._caught_up(connection, was.generation, kept.generation)
        ):
            self._read_all(connection, now)
        self._kept = kept
        self._move_to(now)
        return list(self._shown)

    # --- reading ------------------------------------------------------------------------------

    def _read_all(self, connection: Connection, now: datetime) -> None:
        self._held, self._by_subject, self._thresholds = {}, {}, {}
        self._order, self._shown = [], []
        self._at = now
        self._until = today_horizon(now) + _AHEAD
        for row in connection.execute(_WINDOW, {"until": stored_moment(self._until)}):
            self._add(row)

    def _caught_up(self, connection: Connection, held: int, current: int) -> bool:
        """Read again the subjects replaced since generation ``held``; False if it cannot."""
        if held == current:
            return True
        changed: dict[str, set[int]] = {}
        generations = set()
        for generation, rule, subject_id in connection.execute(
            _LOG.where(KeptChange.generation > held)
        ):
            generations.add(generation)
            changed.setdefault(rule, set()).add(subject_id)
        if generations != set(range(held + 1, current + 1)):
            return False  # pruned, or a full build: read everything
        for rule, ids in changed.items():
            for subject_id in ids:
                for key in self._by_subject.pop((rule, subject_id), ()):
                    self._remove(key)
            rows = connection.execute(
                _OF_SUBJECTS,
                {
                    "until": stored_moment(self._until),
                    "rule": rule,
                    "ids": "[" + ",".join(map(str, sorted(ids))) + "]",
                },
            )
            for row in rows:
                self._add(row)
        return True

    # --- the ordered list ---------------------------------------------------------------------

    def _add(self, row: tuple[object, ...]) -> None:
        item = item_from_row(row[: len(ITEM_COLUMNS)], self._at)
        rule, subject_id = row[-2:]
        held = _Held(item, (str(rule), int(str(subject_id))), _snooze_end(row))
        self._held[item.key] = held
        self._by_subject.setdefault(held.subject, set()).add(item.key)
        for hour in held.hours():
            self._thresholds.setdefault(hour, set()).add(item.key)
        self._show(held)

    def _remove(self, key: str) -> None:
        held = self._held.pop(key)
        for hour in held.hours():
            keys = self._thresholds[hour]
            keys.discard(key)
            if not keys:
                del self._thresholds[hour]
        self._hide(held)

    def _show(self, held: _Held) -> None:
        if in_today(held.item.due_at, held.until, self._at):
            rank = urgency(held.item)
            index = bisect.bisect_left(self._order, rank)
            self._order.insert(index, rank)
            self._shown.insert(index, held.item)

    def _hide(self, held: _Held) -> None:
        if in_today(held.item.due_at, held.until, self._at):
            index = bisect.bisect_left(self._order, urgency(held.item))
            del self._order[index]
            del self._shown[index]

    def _move_to(self, now: datetime) -> None:
        """Restate the items whose state or place on Today changed since the last moment."""
        if now == self._at:
            return
        low, high = sorted((_hour(self._at), _hour(now)))
        if high - low > len(self._thresholds):
            crossing: set[str] = set(self._held)  # a long way: look at everything
        else:
            crossing = set()
            for hour in range(low, high + 1):
                crossing |= self._thresholds.get(hour, set())
        for key in crossing:
            self._hide(self._held[key])
        self._at = now
        for key in crossing:
            held = self._held[key]
            item = held.item
            state = state_at(item.due_at, item.overdue_at, held.until, now)
            if state != item.state:
                snoozed = held.until if state == ItemState.SNOOZED else None
                held = self._held[key] = replace(
                    held, item=replace(item, state=state, snoozed_until=snoozed)
                )
            self._show(held)


def _hour(moment: datetime) -> int:
    """The hour a moment falls in, counted from the first one datetime knows."""
    return (moment - _EARLIEST) // _ONE_HOUR


def _snooze_end(row: tuple[object, ...]) -> datetime | None:
    until = row[ITEM_COLUMNS.index("snoozed_until")]
    return None if until is None else datetime.fromisoformat(f"{until}+00:00")


_VIEWS: weakref.WeakKeyDictionary[Engine, TodayView] = weakref.WeakKeyDictionary()
_VIEWS_LOCK = threading.Lock()


def _forget(engine: Engine) -> None:
    """Closing the database drops what was held for it."""
    with _VIEWS_LOCK:
        _VIEWS.pop(engine, None)


def view_for(engine: Engine) -> TodayView:
    with _VIEWS_LOCK:
        view = _VIEWS.get(engine)
        if view is None:
            view = _VIEWS[engine] = TodayView()
            if not event.contains(engine, "engine_disposed", _forget):
                event.listen(engine, "engine_disposed", _forget)
        return view
