"""Hand-made marks: checking an item off, dismissing, snoozing, undoing; and reading them.

A mark is kept in ``checklist_states`` under the item's key. Writing one is
an ordinary write: the keeper (:mod:`afterword.core.checklist.keeper`) then
makes that item's subject again in the same transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from afterword.core.checklist.facts import ManualMark
from afterword.core.checklist.items import ChecklistItem, is_valid_key
from afterword.core.checklist.loading import as_json, listed, stored_text, utc
from afterword.core.errors import ValidationError
from afterword.core.storage.db import Database
from afterword.core.storage.models import ChecklistState
from afterword.core.storage.validation import aware_datetime
from afterword.core.storage.values import ChecklistMark

logger = logging.getLogger(__name__)


def _checked_key(key: str) -> str:
    if not is_valid_key(key):
        raise ValidationError("key", f"“{key}” is not a checklist item.")
    return key


def _checked_keys(keys: Iterable[str]) -> list[str]:
    """Each key once, in order; every one checked before anything is written."""
    if isinstance(keys, str) or not isinstance(keys, Iterable):
        raise ValidationError("keys", "Pick the checklist items to change.")
    return list(dict.fromkeys(_checked_key(key) for key in keys))


def _set_marks(
    db: Database,
    keys: Iterable[str],
    mark: ChecklistMark,
    now: datetime,
    until: datetime | None = None,
) -> None:
    checked = _checked_keys(keys)
    aware_datetime("now", now)
    with db.session() as session:
        for key in checked:
            session.merge(ChecklistState(key=key, mark=mark, snoozed_until=until, updated_at=now))
    logger.info("Checklist items %s marked %s", ", ".join(checked), mark.value)


def mark_done(db: Database, key: str, now: datetime) -> None:
    """Check an item off by hand (a step the recorded facts cannot show)."""
    _set_marks(db, (key,), ChecklistMark.DONE, now)


def dismiss(db: Database, key: str, now: datetime) -> None:
    """Say an item does not apply: it leaves every list."""
    _set_marks(db, (key,), ChecklistMark.DISMISSED, now)


def dismiss_all(db: Database, keys: Iterable[str], now: datetime) -> None:
    """Dismiss several items in one step (one transaction: all of them or none)."""
    _set_marks(db, keys, ChecklistMark.DISMISSED, now)


def snooze(db: Database, key: str, until: datetime, now: datetime) -> None:
    """Hide an item until ``until``; it comes back then, and is never due before."""
    aware_datetime("until", until)
    aware_datetime("now", now)  # before comparing: a naive one cannot be compared
    if until <= now:
        raise ValidationError("until", "Pick a time in the future to snooze until.")
    _set_marks(db, (key,), ChecklistMark.SNOOZED, now, until)


def clear_mark(db: Database, key: str) -> None:
    """Undo a mark: the item is again what the facts make it."""
    clear_marks(db, (key,))


def clear_marks(db: Database, keys: Iterable[str]) -> None:
    """Undo the marks on several items in one step (the undo of :func:`dismiss_all`)."""
    checked = _checked_keys(keys)
    with db.session() as session:
        # Deleted as rows, not with a DELETE statement: the change set then
        # names the keys' subjects, and only those are made again.
        for key in checked:
            row = session.get(ChecklistState, key)
            if row is not None:
                session.delete(row)
    logger.info("Checklist items %s unmarked", ", ".join(checked))


_MARKS = select(
    ChecklistState.key,
    stored_text(ChecklistState.mark),
    stored_text(ChecklistState.updated_at),
    stored_text(ChecklistState.snoozed_until),
)
_MARKS_ON = _MARKS.where(ChecklistState.key.in_(listed("keys")))


class StoredMarks(Mapping[str, ManualMark]):
    """Marks as stored, each made a :class:`ManualMark` the first time a rule asks for it.

    All marks may be read at once (one quick query), but most of them settle
    items the rules are not asked about; converting those would be wasted.
    """

    def __init__(self, rows: Iterable[Sequence[Any]]) -> None:
        self._stored: dict[str, Sequence[Any]] = {row[0]: row for row in rows}
        self._made: dict[str, ManualMark] = {}

    def __getitem__(self, key: str) -> ManualMark:
        made = self._made.get(key)
        if made is None:
            _, mark, at, until = self._stored[key]
            made = ManualMark(
                key=key,
                mark=ChecklistMark(mark),
                at=utc(at),
                snoozed_until=None if until is None else utc(until),
            )
            self._made[key] = made
        return made

    def get(self, key: str, default: ManualMark | None = None) -> ManualMark | None:
        # Mapping.get would raise and catch a KeyError for every unmarked item.
        return self[key] if key in self._stored else default

    def __contains__(self, key: object) -> bool:
        return key in self._stored

    def __iter__(self) -> Iterator[str]:
        return iter(self._stored)

    def __len__(self) -> int:
        return len(self._stored)


def all_marks(connection: Connection) -> StoredMarks:
    return StoredMarks(tuple(row) for row in connection.execute(_MARKS))


def load_marks(connection: Connection, keys: Collection[str]) -> StoredMarks:
    """The marks on these keys."""
    return StoredMarks(connection.execute(_MARKS_ON, {"keys": as_json(keys)}))


def marked_items(
    connection: Connection,
    rules: Callable[[Mapping[str, ManualMark]], list[ChecklistItem]],
) -> tuple[list[ChecklistItem], Mapping[str, ManualMark]]:
    """Run ``rules`` with the marks on exactly the items they make; the items and those marks.

    A mark can bring a further item (a second follow-up once the first is
    checked off, the next stay-in-touch cycle), so this repeats until no new
    item appears: a few rounds of a few rows, instead of reading every mark.
    """
    marks: dict[str, ManualMark] = {}
    asked: set[str] = set()
    while True:
        items = rules(marks)
        new = {item.key for item in items} - asked
        if not new:
            return items, marks
        asked |= new
        marks |= load_marks(connection, new)
