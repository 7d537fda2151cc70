"""The checklist's public API: Today, each application's next step, one subject's items, marks.

Every function opens its own short session and returns plain
:class:`~afterword.core.checklist.items.ChecklistItem` values; the pure rules
in :mod:`afterword.core.checklist.rules` are the single source of truth for
every item.

:func:`today` and :func:`next_due_by_application` read the kept items
(``checklist_items``), which the keeper (:mod:`afterword.core.checklist.keeper`)
updates in the transaction of every write; their states at ``now`` follow
from the kept bounds. If the kept items were made for another time zone or
year, or by another version of the rules (or never), these work the items
out from the rules instead (reading never writes: a damaged file must not
be written before the integrity check looked at it), and the next write, or
:func:`make_kept` in idle time, makes them. The one-subject views run the
rules on that subject's facts, done items included.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, tzinfo
from typing import TypeVar

from sqlalchemy import Connection, select, text

from afterword.core.checklist.facts import ManualMark
from afterword.core.checklist.items import ChecklistItem
from afterword.core.checklist.keeper import all_candidates, build, kept_for, made_items, want
from afterword.core.checklist.kept import (
    ITEM_COLUMNS,
    KeptFor,
    item_from_row,
    stored_moment,
    zone_name,
)
from afterword.core.checklist.loading import Facts, everything_about, load_contacts, load_facts
from afterword.core.checklist.marks import (
    all_marks,
    clear_mark,
    dismiss,
    mark_done,
    marked_items,
    snooze,
)
from afterword.core.checklist.rules import (
    application_items,
    restated,
    today_items,
    urgency,
)
from afterword.core.checklist.settings import load_rule_settings
from afterword.core.checklist.stay_in_touch import contact_items
from afterword.core.checklist.today import view_for
from afterword.core.errors import NotFoundError
from afterword.core.storage.db import Database
from afterword.core.storage.models import Interview, Participant
from afterword.core.storage.validation import aware_datetime

logger = logging.getLogger(__name__)

__all__ = [
    "checklist_for_application",
    "checklist_for_contact",
    "checklist_for_interview",
    "clear_mark",
    "dismiss",
    "make_kept",
    "mark_done",
    "next_due_by_application",
    "rebuild",
    "snooze",
    "today",
]

T = TypeVar("T")

_APPLICATION_ITEMS = text(
    f"SELECT {', '.join(ITEM_COLUMNS)} FROM checklist_items WHERE application_id IS NOT NULL"
    " AND (snoozed_until IS NULL OR snoozed_until <= :now)"
)


# --- across all data ---------------------------------------------------------------------------


def rebuild(db: Database, now: datetime) -> None:
    """Make every kept item again for ``now``'s time zone and year (a write).

    Call it after writing to the database behind the core's back (another
    program, a bulk import through the engine).
    """
    aware_datetime("now", now)
    with db.session() as session:
        build(session.connection(), _zone(now), now.year)


def make_kept(db: Database, now: datetime) -> bool:
    """Make the kept items for ``now``'s zone and year if they were made for others or never.

    For idle time after Today shows (and after the integrity check passed):
    until they are made, :func:`today` works them out from the rules on every
    call, and the next write makes them. True if it made them.
    """
    aware_datetime("now", now)
    if zone_name(now.tzinfo) is None:
        return False
    with db.reading() as session:
        kept = kept_for(session.connection())
    if kept is not None and kept.fits(now):
        return False
    with db.session() as session:
        connection = session.connection()
        kept = kept_for(connection)
        if kept is not None and kept.fits(now):
            return False
        build(connection, _zone(now), now.year, kept)
    return True


def _zone(now: datetime) -> tzinfo:
    """The user's zone: ``now``'s (checked aware by every public function)."""
    assert now.tzinfo is not None
    return now.tzinfo


def _read_kept(db: Database, now: datetime, read: Callable[[Connection, KeptFor], T]) -> T | None:
    """``read`` on the kept items made for ``now``'s zone and year; None if they are not.

    Then the next write makes them (:func:`~afterword.core.checklist.keeper.want`).
    """
    name = zone_name(now.tzinfo)
    with db.reading() as session:
        connection = session.connection()
        kept = kept_for(connection)
        if kept is not None and kept.fits(now):
            return read(connection, kept)
        if name is not None:
            want(connection, name, now.year)
    return None


def _plain_items(db: Database, now: datetime) -> list[ChecklistItem]:
    """Every item still to do at ``now``, from the rules alone (no kept items for its zone)."""
    with db.reading() as session:
        connection = session.connection()
        made, marks = made_items(connection, all_candidates(connection), now, all_marks(connection))
    return [restated(item, marks.get(item.key), now) for _, _, item in made]


def today(db: Database, now: datetime) -> list[ChecklistItem]:
    """Everything overdue, due, or coming due within 7 days, across all data, most urgent first."""
    aware_datetime("now", now)
    view = view_for(db.engine)
    with view.lock:
        kept = _read_kept(db, now, lambda connection, kept: view.today(connection, kept, now))
    return today_items(_plain_items(db, now), now) if kept is None else kept


def next_due_by_application(db: Database, now: datetime) -> dict[int, ChecklistItem]:
    """For the applications table: each application's most urgent item still to do.

    Applications with nothing left to do are absent.
    """
    aware_datetime("now", now)

    def read(connection: Connection, kept: KeptFor) -> dict[int, ChecklistItem]:
        moment = stored_moment(now)
        best: dict[int, tuple[tuple[int, str, str, str], tuple[object, ...]]] = {}
        # Ranked on the stored text (it sorts in time order): only the
        # winners are made items.
        for row in connection.execute(_APPLICATION_ITEMS, {"now": moment}):
            key, due, overdue = row[0], row[8], row[9]
            if overdue <= moment:
                rank = (0, overdue, due, key)
            elif due <= moment:
                rank = (1, overdue, due, key)
            else:
                rank = (2, due, overdue, key)
            app_id = row[5]
            current = best.get(app_id)
            if current is None or rank < current[0]:
                best[app_id] = (rank, tuple(row))
        moment = now.astimezone(UTC)
        return {app_id: item_from_row(row, moment) for app_id, (_, row) in best.items()}

    kept = _read_kept(db, now, read)
    return _most_urgent(_plain_items(db, now)) if kept is None else kept


def _most_urgent(items: list[ChecklistItem]) -> dict[int, ChecklistItem]:
    best: dict[int, ChecklistItem] = {}
    for item in items:
        if not item.is_actionable or item.application_id is None:
            continue
        current = best.get(item.application_id)
        if current is None or urgency(item) < urgency(current):
            best[item.application_id] = item
    return best


# --- one application, interview or contact ------------------------------------------------


def _all_items(
    facts: Facts, marks: Mapping[str, ManualMark], now: datetime, connection: Connection
) -> list[ChecklistItem]:
    """Every item of fully loaded applications, through the rules' one entry point."""
    settings = load_rule_settings(connection)
    items: list[ChecklistItem] = []
    for app in facts.applications.values():
        items.extend(
            application_items(app, facts.touchpoints_for(app), facts.contacts, marks, now, settings)
        )
    return items


def checklist_for_application(
    db: Database, application_id: int, now: datetime
) -> list[ChecklistItem]:
    """Every item about one application: its interviews', its follow-ups, its rejection's."""
    aware_datetime("now", now)
    with db.reading() as session:
        connection = session.connection()
        facts = load_facts(connection, everything_about(connection, [application_id]))
        if not facts.applications:
            raise NotFoundError("Application", application_id)
        items, _ = marked_items(connection, lambda marks: _all_items(facts, marks, now, connection))
        return items


def checklist_for_interview(db: Database, interview_id: int, now: datetime) -> list[ChecklistItem]:
    """One interview's items: next steps, interviewers' details, a thank-you to each."""
    aware_datetime("now", now)
    with db.reading() as session:
        connection = session.connection()
        application_id = connection.scalar(
            select(Interview.application_id).where(Interview.id == interview_id)
        )
        if application_id is None:
            raise NotFoundError("Interview", interview_id)
        facts = load_facts(connection, everything_about(connection, [application_id]))
        items, _ = marked_items(connection, lambda marks: _all_items(facts, marks, now, connection))
    return [item for item in items if item.interview_id == interview_id]


def checklist_for_contact(db: Database, contact_id: int, now: datetime) -> list[ChecklistItem]:
    """A person's items: the thank-yous owed to them, then their stay-in-touch check-ins."""
    aware_datetime("now", now)
    with db.reading() as session:
        connection = session.connection()
        contacts = load_contacts(connection, [contact_id])
        if not contacts:
            raise NotFoundError("Contact", contact_id)
        application_ids = connection.scalars(
            select(Interview.application_id)
            .join(Participant, Participant.interview_id == Interview.id)
            .where(Participant.contact_id == contact_id)
            .distinct()
        ).all()
        facts = load_facts(connection, everything_about(connection, application_ids))
        settings = load_rule_settings(connection)

        def rules(marks: Mapping[str, ManualMark]) -> list[ChecklistItem]:
            owed = [
                item
                for item in _all_items(facts, marks, now, connection)
                if item.contact_id == contact_id
            ]
            return owed + contact_items(contacts[contact_id], marks, now, settings)

        items, _ = marked_items(connection, rules)
        return items
