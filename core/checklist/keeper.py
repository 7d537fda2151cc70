"""The keeper: the kept checklist items follow every write, in that write's transaction.

:func:`keep` is registered with the storage layer (see
:mod:`afterword.core.storage.hooks` and ``afterword.core``'s ``__init__``)
and runs before every write session commits, with the session's change set.
It works out which rules' subjects the write changed (:func:`touched`),
makes their items again from the facts and replaces their rows in
``checklist_items``. A change set that cannot name its rows (a bulk
statement), or a deleted contact (whose touchpoints the database deleted
without naming them), makes every item again instead: :func:`build`.

:func:`build` also fills the table for the first time, and again for
another time zone, year or version of the rules (see
:class:`~afterword.core.checklist.kept.KeptFor`). It runs each rule only on
its candidates (:mod:`afterword.core.checklist.candidates`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Set
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.orm import Session

from afterword.core.checklist.facts import ManualMark
from afterword.core.checklist.items import ChecklistItem, ItemState
from afterword.core.checklist.kept import (
    KEPT_FOR_SQL,
    RULES_VERSION,
    KeptFor,
    zone_name,
    zone_named,
)
from afterword.core.checklist.loading import FactRequest, as_json, listed, load_facts
from afterword.core.checklist.marks import StoredMarks, all_marks, load_marks
from afterword.core.checklist.registry import RULES, Rule, Touched
from afterword.core.checklist.rules import rule_context, snooze_end
from afterword.core.checklist.settings import load_rule_settings
from afterword.core.storage.changes import Changes, Kind
from afterword.core.storage.models import (
    Contact,
    Interview,
    KeptChange,
    KeptItem,
    Participant,
)
from afterword.core.storage.models import KeptFor as KeptForRow

logger = logging.getLogger(__name__)

# How many generations of changed subjects stay in checklist_changes for
# readers to catch up with; one that fell further behind reads everything.
LOG_GENERATIONS = 200
_SETTLED = frozenset({ItemState.DONE, ItemState.DISMISSED})

Subjects = dict[Rule, set[int]]

_ITEMS = KeptItem.__table__
_KEPT_FOR = KeptForRow.__table__
_LOG = KeptChange.__table__


def kept_for(connection: Connection) -> KeptFor | None:
    """What the kept items were made for; None if they were never built."""
    row = connection.exec_driver_sql(KEPT_FOR_SQL).first()
    return None if row is None else KeptFor(*row)


# The zone and year a reader of each database file last wanted the kept items
# for, when they were made for another (or never): the next write makes them.
_WANTED: dict[str, tuple[str, int]] = {}


def want(connection: Connection, zone: str, year: int) -> None:
    """Ask for the kept items to be made for ``zone`` and ``year`` by the next write.

    Reading never writes (a damaged file must not be written before the
    integrity check has looked at it); :func:`keep` does it in a write.
    """
    _WANTED[str(connection.engine.url)] = (zone, year)


def keep(session: Session, changes: Changes) -> None:
    """Bring the kept items of every subject ``changes`` touched up to date (before commit)."""
    if Kind.CHECKLIST not in changes.kinds:
        return
    connection = session.connection()
    kept = kept_for(connection)
    wanted = _WANTED.get(str(connection.engine.url))
    if wanted is not None and (
        kept is None or (kept.rules_version, kept.zone, kept.year) != (RULES_VERSION, *wanted)
    ):
        build(connection, zone_named(wanted[0]), wanted[1], kept)
        return
    if kept is None or kept.rules_version != RULES_VERSION:
        return  # never built, or by other rules, and nobody asked yet
    zone = zone_named(kept.zone)
    # Rows it could not name (a bulk statement) matter only if the checklist
    # reads them; a change set that does not say which kinds: assume it does.
    unnamed = not changes.complete and (not changes.unnamed or Kind.CHECKLIST in changes.unnamed)
    subjects = None if unnamed else touched(connection, changes)
    if subjects is None:
        logger.info("A write the checklist cannot follow subject by subject: making every item")
        build(connection, zone, kept.year, kept)
        return
    rows = made_rows(connection, subjects, zone, kept.year)
    for rule, ids in subjects.items():
        connection.execute(
            delete(_ITEMS).where(
                _ITEMS.c.rule == rule.name, _ITEMS.c.subject_id.in_(listed("ids"))
            ),
            {"ids": as_json(ids)},
        )
    if rows:
        connection.execute(insert(_ITEMS), rows)
    generation = kept.generation + 1
    connection.execute(update(_KEPT_FOR).where(_KEPT_FOR.c.id == 1).values(generation=generation))
    log = [
        {"generation": generation, "rule": rule.name, "subject_id": subject_id}
        for rule, ids in subjects.items()
        for subject_id in ids
    ]
    if log:
        connection.execute(insert(_LOG), log)
    if generation % 50 == 0:
        connection.execute(delete(_LOG).where(_LOG.c.generation <= generation - LOG_GENERATIONS))


def _ids(connection: Connection, statement: Any, **params: Iterable[int]) -> frozenset[int]:
    values = {name: as_json(ids) for name, ids in params.items()}
    return frozenset(value for value in connection.scalars(statement, values) if value is not None)


_APPS_OF = select(Interview.application_id).where(Interview.id.in_(listed("ids")))
_INTERVIEWS_OF = select(Interview.id).where(Interview.application_id.in_(listed("ids")))
_INTERVIEWS_WITH = select(Participant.interview_id).where(Participant.contact_id.in_(listed("ids")))
_MET_IN = (
    select(Interview.application_id)
    .join(Participant, Participant.interview_id == Interview.id)
    .where(Participant.contact_id.in_(listed("ids")))
)
_EXISTING_CONTACTS = select(Contact.id).where(Contact.id.in_(listed("ids")))
_KEPT_SUBJECTS = select(_ITEMS.c.rule, _ITEMS.c.subject_id).where(
    _ITEMS.c.application_id.in_(listed("apps"))
    | _ITEMS.c.interview_id.in_(listed("interviews"))
    | _ITEMS.c.contact_id.in_(listed("contacts"))
)


def touched(connection: Connection, changes: Changes) -> Subjects | None:
    """Each rule's subjects the (flushed, complete) change set reaches; None: all of them.

    A subject is reached if its rule reads anything the write changed, or if
    it has kept items about something the write named (rows deleted with a
    parent go with it). A deleted contact reaches subjects through the
    touchpoints the database deleted with it, which nothing names: None.
    """
    named_apps, named_interviews = changes.application_ids, changes.interview_ids
    contacts = changes.contact_ids
    if contacts and _ids(connection, _EXISTING_CONTACTS, ids=contacts) != contacts:
        return None
    applications = named_apps | _ids(connection, _APPS_OF, ids=named_interviews)
    reach = Touched(
        applications=applications,
        interviews=named_interviews
        | _ids(connection, _INTERVIEWS_OF, ids=applications)
        | _ids(connection, _INTERVIEWS_WITH, ids=contacts),
        contacts=contacts,
        met_in=_ids(connection, _MET_IN, ids=contacts),
    )
    subjects: Subjects = {rule: set(rule.touched(reach)) for rule in RULES}
    by_name = {rule.name: rule for rule in RULES}
    for name, subject_id in connection.execute(
        _KEPT_SUBJECTS,
        {
            "apps": as_json(named_apps),
            "interviews": as_json(named_interviews),
            "contacts": as_json(contacts),
        },
    ):
        rule = by_name.get(name)
        if rule is not None:
            subjects[rule].add(subject_id)
    if Kind.SETTINGS in changes.kinds:
        for rule in RULES:
            if rule.reads_settings:
                subjects[rule] |= set(connection.scalars(rule.candidates))
                subjects[rule] |= set(
                    connection.scalars(
                        select(_ITEMS.c.subject_id).where(_ITEMS.c.rule == rule.name)
                    )
                )
    return {rule: ids for rule, ids in subjects.items() if ids}


def _made_at(zone: tzinfo, year: int) -> datetime:
    """A moment in ``year`` in ``zone``: all the rules read of the clock for kept items.

    The rules' states depend on the moment, but kept rows hold only bounds;
    texts depend on the year (a day in another year shows its year).
    """
    return datetime(year, 7, 1, 12, tzinfo=zone)


def made_items(
    connection: Connection,
    subjects: Mapping[Rule, Set[int]],
    made_at: datetime,
    marks: StoredMarks | None = None,
) -> tuple[list[tuple[Rule, int, ChecklistItem]], Mapping[str, ManualMark]]:
    """Every item the rules make for these subjects (none the facts show done), with the marks read.

    ``marks`` are all the marks (a full build reads them at once); without
    them only the marks on the items made are read, in a few rounds (a mark
    can bring a further item: the next follow-up, the next check-in cycle).
    """
    request = FactRequest()
    for rule, ids in subjects.items():
        rule.request(request, ids)
    facts = load_facts(connection, request)
    settings = load_rule_settings(connection)

    def run(known: Mapping[str, ManualMark]) -> list[tuple[Rule, int, ChecklistItem]]:
        ctx = rule_context(made_at, known, settings, keep_done=False)
        return [
            (rule, subject_id, item)
            for rule, ids in subjects.items()
            for subject_id in sorted(ids)
            for item in rule.make(ctx, facts, subject_id)
        ]

    if marks is not None:
        return run(marks), marks
    known: dict[str, ManualMark] = {}
    asked: set[str] = set()
    while True:
        made = run(known)
        new = {item.key for _, _, item in made} - asked
        if not new:
            return made, known
        asked |= new
        known |= load_marks(connection, new)


def made_rows(
    connection: Connection,
    subjects: Mapping[Rule, Set[int]],
    zone: tzinfo,
    year: int,
    marks: StoredMarks | None = None,
) -> list[dict[str, Any]]:
    """The kept rows of these subjects: their items still to do or snoozed."""
    made, known = made_items(connection, subjects, _made_at(zone, year), marks)
    return [
        {
            "key": item.key,
            "rule": rule.name,
            "subject_id": subject_id,
            "kind": item.kind.value,
            "subject": item.subject.value,
            "title": item.title,
            "detail": item.detail,
            "application_id": item.application_id,
            "interview_id": item.interview_id,
            "contact_id": item.contact_id,
            "due_at": item.due_at,
            "overdue_at": item.overdue_at,
            "snoozed_until": snooze_end(known.get(item.key)),
        }
        for rule, subject_id, item in made
        if item.state not in _SETTLED
    ]


def all_candidates(connection: Connection) -> Subjects:
    """Every subject of every rule that could still have something to do."""
    return {rule: set(connection.scalars(rule.candidates)) for rule in RULES}


def build(connection: Connection, zone: tzinfo, year: int, was: KeptFor | None = None) -> None:
    """Make every kept item again, for ``zone`` and ``year``, in the caller's transaction."""
    name = zone_name(zone)
    if name is None:
        raise ValueError(f"no kept items for a time zone without a name: {zone!r}")
    rows = made_rows(connection, all_candidates(connection), zone, year, all_marks(connection))
    connection.execute(delete(_ITEMS))
    for start in range(0, len(rows), 5000):
        connection.execute(insert(_ITEMS), rows[start : start + 5000])
    generation = (was or kept_for(connection) or KeptFor(0, "", 0, 0, 0)).generation + 1
    values = {
        "rules_version": RULES_VERSION,
        "zone": name,
        "year": year,
        "generation": generation,
        "built": generation,
    }
    if not connection.execute(update(_KEPT_FOR).where(_KEPT_FOR.c.id == 1).values(values)).rowcount:
        connection.execute(insert(_KEPT_FOR).values(id=1, **values))
    connection.execute(delete(_LOG))
    logger.info("Made %d checklist items for %s, %d", len(rows), name, year)
