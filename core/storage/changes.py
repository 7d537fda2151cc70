"""What a write changed, declared by the core from the rows it wrote.

Every unit of work that writes (:meth:`afterword.core.storage.db.Database.session`)
watches its own flushes and, when it commits, knows which kinds of data it
changed and the ids of the subjects it touched: a :class:`Changes`. Nobody
types that by hand, so it cannot drift from what the code really wrote (the
way Anki's collection operations return ``OpChanges``).

A caller that wants the change set of a call wraps it::

    with collect_changes() as collected:
        record = create_application(db, fields, now=now)
    collected.changes   # Changes(kinds={APPLICATIONS, CHECKLIST}, application_ids={7})

The GUI's operations layer does exactly that around every write it runs, on
the worker thread; each thread has its own collector (a context variable).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


class Kind(enum.StrEnum):
    """The kinds of data a screen can show; a write reports those it changed."""

    APPLICATIONS = "applications"
    INTERVIEWS = "interviews"
    CONTACTS = "contacts"
    TOUCHPOINTS = "touchpoints"
    MESSAGES = "messages"
    CHECKLIST = "checklist"
    SETTINGS = "settings"
    TEMPLATES = "templates"
    ACCOUNTS = "accounts"


@dataclass(frozen=True)
class Changes:
    """The kinds a write changed and the subjects it touched.

    ``complete`` is False when a write changed rows it could not name (a bulk
    statement, a cascade in the database): readers then treat every subject
    of the changed kinds as touched. ``unnamed`` says of which kinds, when
    known: a bulk update of messages leaves a touchpoint written in the same
    transaction named.
    """

    kinds: frozenset[Kind] = frozenset()
    application_ids: frozenset[int] = frozenset()
    interview_ids: frozenset[int] = frozenset()
    contact_ids: frozenset[int] = frozenset()
    message_ids: frozenset[int] = frozenset()
    complete: bool = True
    unnamed: frozenset[Kind] = frozenset()

    @classmethod
    def everything(cls) -> Changes:
        """All kinds, subjects unnamed: what opening or replacing a database means."""
        return cls(kinds=frozenset(Kind), complete=False, unnamed=frozenset(Kind))

    def touches(self, *kinds: Kind) -> bool:
        """True if any of ``kinds`` changed."""
        return not self.kinds.isdisjoint(kinds)

    def __bool__(self) -> bool:
        return bool(self.kinds)

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            kinds=self.kinds | other.kinds,
            application_ids=self.application_ids | other.application_ids,
            interview_ids=self.interview_ids | other.interview_ids,
            contact_ids=self.contact_ids | other.contact_ids,
            message_ids=self.message_ids | other.message_ids,
            complete=self.complete and other.complete,
            unnamed=self.unnamed | other.unnamed,
        )


NOTHING = Changes()

# Which kinds a row of each table stands for. Every table whose rows are facts
# the follow-up rules read also changes the checklist.
_TABLE_KINDS: dict[str, frozenset[Kind]] = {
    "applications": frozenset({Kind.APPLICATIONS, Kind.CHECKLIST}),
    "interviews": frozenset({Kind.INTERVIEWS, Kind.CHECKLIST}),
    "participants": frozenset({Kind.INTERVIEWS, Kind.CONTACTS, Kind.CHECKLIST}),
    "contacts": frozenset({Kind.CONTACTS, Kind.CHECKLIST}),
    "touchpoints": frozenset({Kind.TOUCHPOINTS, Kind.CHECKLIST}),
    "messages": frozenset({Kind.MESSAGES}),
    "checklist_states": frozenset({Kind.CHECKLIST}),
    "settings": frozenset({Kind.SETTINGS, Kind.CHECKLIST}),
    "templates": frozenset({Kind.TEMPLATES}),
    "mail_accounts": frozenset({Kind.ACCOUNTS}),
}
# Rows the database deletes with a parent (ON DELETE CASCADE / SET NULL)
# without the session seeing them: deleting the parent changes these too.
_CASCADES: dict[str, frozenset[Kind]] = {
    "applications": frozenset({Kind.INTERVIEWS, Kind.TOUCHPOINTS, Kind.MESSAGES}),
    "interviews": frozenset({Kind.TOUCHPOINTS, Kind.MESSAGES}),
    "contacts": frozenset({Kind.INTERVIEWS, Kind.TOUCHPOINTS, Kind.MESSAGES}),
}
# The columns that name a subject, per kind of id.
_ID_COLUMNS = {
    "application_ids": ("application_id",),
    "interview_ids": ("interview_id",),
    "contact_ids": ("contact_id",),
    "message_ids": ("message_id",),
}
_KEY_SUBJECT = re.compile(r"(?<=:)([aic])(\d+)(?=:|$)")
_KEY_LETTERS = {"a": "application_ids", "i": "interview_ids", "c": "contact_ids"}
_OWN_ID = {
    "applications": "application_ids",
    "interviews": "interview_ids",
    "contacts": "contact_ids",
    "messages": "message_ids",
}


def row_changes(table: str, values: dict[str, Any], *, deleted: bool = False) -> Changes:
    """The change set of writing one row of ``table`` whose columns are ``values``."""
    kinds = _TABLE_KINDS.get(table)
    if kinds is None:
        return NOTHING
    if deleted:
        kinds |= _CASCADES.get(table, frozenset())
    ids: dict[str, set[int]] = {name: set() for name in _ID_COLUMNS}
    own = _OWN_ID.get(table)
    if own is not None and isinstance(values.get("id"), int):
        ids[own].add(values["id"])
    for name, columns in _ID_COLUMNS.items():
        ids[name].update(values[c] for c in columns if isinstance(values.get(c), int))
    if table == "checklist_states" and isinstance(values.get("key"), str):
        # An item key names its subjects: "thank_you:i12:c5", "status_follow_up:a3:1".
        for letter, number in _KEY_SUBJECT.findall(values["key"]):
            ids[_KEY_LETTERS[letter]].add(int(number))
    return Changes(kinds=kinds, **{name: frozenset(found) for name, found in ids.items()})


def table_changes(tables: Iterable[str]) -> Changes:
    """The change set of a statement that wrote unnamed rows of ``tables``."""
    kinds: frozenset[Kind] = frozenset()
    for table in tables:
        kinds |= _TABLE_KINDS.get(table, frozenset()) | _CASCADES.get(table, frozenset())
    return Changes(kinds=kinds, complete=False, unnamed=kinds) if kinds else NOTHING


@dataclass
class Collected:
    """The union of the change sets committed while :func:`collect_changes` was open."""

    changes: Changes = field(default=NOTHING)


_collector: ContextVar[Collected | None] = ContextVar("afterword_changes", default=None)


@contextmanager
def collect_changes() -> Iterator[Collected]:
    """Gather the change sets of every write committed on this thread inside the block."""
    collected = Collected()
    token = _collector.set(collected)
    try:
        yield collected
    finally:
        _collector.reset(token)


def committed(changes: Changes) -> None:
    """Report a committed change set to the open collector, if any (storage calls this)."""
    collected = _collector.get()
    if collected is not None and changes:
        collected.changes = collected.changes | changes
