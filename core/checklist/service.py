"""The checklist over the database: load the facts, apply the rules, keep hand-made marks.

Every function opens its own short session and returns plain
:class:`~afterword.core.checklist.items.ChecklistItem` values. The pure rules in
:mod:`afterword.core.checklist.rules` are the single source of truth for every item's
state; this module only decides which facts to hand them.

:func:`today` and :func:`next_due_by_application` run over all data, in two
steps:

1. SQL picks what *could* still be to do: interviews with an item the facts
   do not show done (a participant without a thank-you...), applications
   awaiting an answer, rejected applications with a step still open,
   contacts with a cadence; what was checked off or dismissed by hand drops
   out. Every condition is a necessary condition of "not done by the facts"
   (it may keep too much, never too little), and each entry comes with the
   earliest moment any of its items can fall due. Nothing here depends on
   the clock, so this *pending* set, with the facts the rules read, is kept
   for each open database until anything is committed to its file, by this
   program or another (see :class:`_Kept`). When only hand-made marks
   changed, the kept set stays and only the entries the changed marks are
   about are worked out again (:func:`_remarked`).
2. Every call takes the pending entries that can fall due by its horizon (a
   week from now for Today, any time for the applications table) and runs
   their rules, leaving out the items the facts show done. The items are
   kept with the pending set: later calls only bring their states up to the
   clock (:func:`~afterword.core.checklist.rules.restated`).

The result equals running every rule on everything; tests hold the two paths
together, call after call and write after write. Rows are read as plain
values with Core selects, never as ORM objects.
"""

from __future__ import annotations

import bisect
import json
import logging
import math
import sqlite3
import threading
import weakref
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    delete,
    event,
    except_,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    text,
    type_coerce,
    union,
    union_all,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import Executable

from afterword.core.checklist.facts import (
    ApplicationFacts,
    ContactFacts,
    InterviewFacts,
    ManualMark,
    ParticipantFacts,
    RuleSettings,
    TouchpointFacts,
)
from afterword.core.checklist.items import ChecklistItem, ItemKind, is_valid_key
from afterword.core.checklist.rules import (
    LATEST,
    UPCOMING,
    RuleContext,
    application_items,
    check_in_items,
    contact_items,
    follow_up_items,
    interview_items,
    rejection_items,
    restated,
    rule_context,
    today_items,
    urgency,
)
from afterword.core.errors import NotFoundError, ValidationError
from afterword.core.settings import load_rule_settings
from afterword.core.storage.db import Database
from afterword.core.storage.models import (
    THANK_YOU_NOTE_SQL,
    Application,
    ChangeCount,
    ChecklistState,
    Contact,
    Interview,
    Participant,
    Touchpoint,
)
from afterword.core.storage.validation import aware_datetime
from afterword.core.storage.values import (
    DECIDED_STATUSES,
    ApplicationStatus,
    ChecklistMark,
    InterviewOutcome,
    Purpose,
    TouchpointKind,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Marks after which an item can never be actionable again (a snooze ends).
_SETTLING_MARKS = frozenset({ChecklistMark.DONE, ChecklistMark.DISMISSED})
# A check-in falls due at the start of a day in the user's zone (UTC-12 to
# UTC+14), at most about 62 hours before "last touchpoint + cadence" in UTC.
_CHECK_IN_SLACK_DAYS = 3


def _listed(name: str) -> Select[tuple[Any]]:
    """A subquery over the values of the JSON list bound to ``name``."""
    return select(func.json_each(bindparam(name, type_=String)).table_valued("value").c.value)


def _json(values: Iterable[int | str]) -> str:
    return json.dumps(sorted(set(values)))


def _text(column: Any) -> Any:
    """A column read as the text SQLite stores, without SQLAlchemy's conversion.

    Converting each DateTime and Enum value through its column type costs
    more than the query itself on thousands of rows; :func:`_utc` and the
    enums' constructors do the same for the values that are used.
    """
    return type_coerce(column, String)


def _utc(stored: str) -> datetime:
    """A moment as stored (naive UTC text), time-zone aware as the models return it."""
    # Parsing the offset is several times quicker than .replace(tzinfo=UTC).
    return datetime.fromisoformat(stored + "+00:00")


# --- hand-made marks --------------------------------------------------------------------------


def _checked_key(key: str) -> str:
    if not is_valid_key(key):
        raise ValidationError("key", f"“{key}” is not a checklist item.")
    return key


def _set_mark(
    db: Database, key: str, mark: ChecklistMark, now: datetime, until: datetime | None = None
) -> None:
    _checked_key(key)
    aware_datetime("now", now)
    with db.session() as session:
        session.merge(ChecklistState(key=key, mark=mark, snoozed_until=until, updated_at=now))
    logger.info("Checklist item %s marked %s", key, mark.value)


def mark_done(db: Database, key: str, now: datetime) -> None:
    """Check an item off by hand (a step the recorded facts cannot show)."""
    _set_mark(db, key, ChecklistMark.DONE, now)


def dismiss(db: Database, key: str, now: datetime) -> None:
    """Say an item does not apply: it leaves every list."""
    _set_mark(db, key, ChecklistMark.DISMISSED, now)


def snooze(db: Database, key: str, until: datetime, now: datetime) -> None:
    """Hide an item until ``until``; it comes back then, and is never due before."""
    aware_datetime("until", until)
    if until <= now:
        raise ValidationError("until", "Pick a time in the future to snooze until.")
    _set_mark(db, key, ChecklistMark.SNOOZED, now, until)


def clear_mark(db: Database, key: str) -> None:
    """Undo a mark: the item is again what the facts make it."""
    _checked_key(key)
    with db.session() as session:
        session.execute(delete(ChecklistState).where(ChecklistState.key == key))
    logger.info("Checklist item %s unmarked", key)


_MARKS = select(
    ChecklistState.key,
    _text(ChecklistState.mark),
    _text(ChecklistState.updated_at),
    _text(ChecklistState.snoozed_until),
)
_MARKS_ON = _MARKS.where(ChecklistState.key.in_(_listed("keys")))


class _StoredMarks(Mapping[str, ManualMark]):
    """Marks as stored, each made a :class:`ManualMark` the first time a rule asks for it.

    All marks are read at once (one quick query), but most of them settle
    items that SQL has already left out; converting those would be wasted.
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
                at=_utc(at),
                snoozed_until=None if until is None else _utc(until),
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

    def changed_keys(self, other: _StoredMarks) -> set[str]:
        """The keys marked, unmarked or marked differently in ``other``."""
        mine, theirs = self._stored, other._stored
        return {key for key in mine.keys() | theirs.keys() if mine.get(key) != theirs.get(key)}


def _load_marks(connection: Connection, keys: Collection[str]) -> _StoredMarks:
    """The marks on these keys."""
    return _StoredMarks(connection.execute(_MARKS_ON, {"keys": _json(keys)}))


def _marked_items(
    connection: Connection,
    rules: Callable[[Mapping[str, ManualMark]], list[ChecklistItem]],
) -> list[ChecklistItem]:
    """Run ``rules`` with the marks on exactly the items they make.

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
            return items
        asked |= new
        marks |= _load_marks(connection, new)


# --- loading facts --------------------------------------------------------------------------
#
# The statements are built once: SQLAlchemy then reuses their compiled form,
# which matters for the one-application view. Lists of ids travel as one
# JSON parameter each (read with json_each), whatever their length.


_TOUCHPOINT_COLUMNS = (
    Touchpoint.contact_id,
    Touchpoint.application_id,
    Touchpoint.interview_id,
    _text(Touchpoint.kind),
    _text(Touchpoint.purpose),
    _text(Touchpoint.occurred_at),
)
# Interviews loaded: all of the "whole" applications', and the "some" listed.
_LOADED_INTERVIEW = or_(
    Interview.application_id.in_(_listed("whole")), Interview.id.in_(_listed("some"))
)
_PARTICIPANTS = (
    select(Participant.interview_id, Contact.id, Contact.name, Contact.email)
    .join(Contact, Contact.id == Participant.contact_id)
    .join(Interview, Interview.id == Participant.interview_id)
    .where(_LOADED_INTERVIEW)
    .order_by(Participant.id)
)
_INTERVIEWS = (
    select(
        Interview.id,
        Interview.application_id,
        _text(Interview.starts_at),
        Interview.timezone,
        Interview.duration_minutes,
        Interview.round_name,
        _text(Interview.outcome),
    )
    .where(_LOADED_INTERVIEW)
    .order_by(Interview.starts_at, Interview.id)
)
_APPLICATIONS = (
    select(
        Application.id,
        Application.company,
        Application.role,
        _text(Application.status),
        _text(Application.created_at),
        _text(Application.updated_at),
        _text(Application.decision_expected),
        Application.next_steps,
        Application.still_interested,
        _text(Application.decided_at),
    )
    .where(Application.id.in_(_listed("applications")))
    .order_by(Application.id)
)
# What the wanted rules read, by the application each touchpoint is about:
# thank-yous for the "some" interviews; follow-ups, rejection replies and
# their replies linked to an "answers" application or to any of its interviews.
_ANSWERS = or_(
    Touchpoint.purpose.in_((Purpose.STATUS_FOLLOW_UP, Purpose.REJECTION_REPLY)),
    Touchpoint.kind == TouchpointKind.REPLIED,
)
_ABOUT = union(
    select(*_TOUCHPOINT_COLUMNS, Touchpoint.id, Interview.application_id)
    .join(Interview, Interview.id == Touchpoint.interview_id)
    .where(Interview.id.in_(_listed("some")), Touchpoint.purpose == Purpose.THANK_YOU),
    select(*_TOUCHPOINT_COLUMNS, Touchpoint.id, Touchpoint.application_id).where(
        Touchpoint.application_id.in_(_listed("answers")), _ANSWERS
    ),
    select(*_TOUCHPOINT_COLUMNS, Touchpoint.id, Interview.application_id)
    .join(Interview, Interview.id == Touchpoint.interview_id)
    .where(Interview.application_id.in_(_listed("answers")), _ANSWERS),
)
_LINKEDIN = select(*_TOUCHPOINT_COLUMNS).where(
    Touchpoint.kind == TouchpointKind.LINKEDIN, Touchpoint.contact_id.in_(_listed("people"))
)
_LAST_TOUCHPOINT = (
    select(func.max(Touchpoint.occurred_at))
    .where(Touchpoint.contact_id == Contact.id)
    .scalar_subquery()
)
_CONTACT_COLUMNS = (
    Contact.id,
    Contact.name,
    Contact.cadence_days,
    _text(Contact.created_at),
    _text(_LAST_TOUCHPOINT),
)
_CONTACTS = select(*_CONTACT_COLUMNS).where(Contact.id.in_(_listed("contacts")))
_INTERVIEWS_OF = select(Interview.application_id, Interview.id).where(
    Interview.application_id.in_(_listed("applications"))
)


@dataclass
class _Wanted:
    """Which rules to run for which applications (the others have nothing to do)."""

    interviews: dict[int, set[int]] = field(default_factory=dict)  # application -> interviews
    follow_ups: set[int] = field(default_factory=set)
    rejections: set[int] = field(default_factory=set)  # their facts are loaded whole

    def application_ids(self) -> set[int]:
        return set(self.interviews) | self.follow_ups | self.rejections


@dataclass(frozen=True)
class _Loaded:
    applications: dict[int, ApplicationFacts]  # by id, in id order
    about: dict[int, list[TouchpointFacts]]  # application id -> touchpoints about it
    linkedin: dict[int, list[TouchpointFacts]]  # contact id -> LinkedIn touchpoints
    contacts: dict[int, ContactFacts]  # everyone met in a rejected application


def _touchpoint_facts(row: Sequence[Any]) -> TouchpointFacts:
    contact_id, application_id, interview_id, kind, purpose, occurred_at = row[:6]
    return TouchpointFacts(
        contact_id=contact_id,
        application_id=application_id,
        interview_id=interview_id,
        kind=TouchpointKind(kind),
        purpose=Purpose(purpose),
        occurred_at=_utc(occurred_at),
    )


def _contact_facts(row: Sequence[Any]) -> ContactFacts:
    contact_id, name, cadence, created_at, last = row[:5]
    return ContactFacts(
        id=contact_id,
        name=name,
        cadence_days=cadence,
        created_at=_utc(created_at),
        last_touchpoint_at=None if last is None else _utc(last),
    )


def _load(connection: Connection, wanted: _Wanted) -> _Loaded:
    """The facts the wanted rules read.

    Applications in ``wanted.rejections`` come with all their interviews; the
    others only with the interviews whose items are wanted (the follow-up
    rule reads no interviews: its touchpoints come from SQL).
    """
    app_ids = wanted.application_ids()
    if not app_ids:
        return _Loaded({}, {}, {}, {})
    some = _json(i for ids in wanted.interviews.values() for i in ids)
    loaded = {"whole": _json(wanted.rejections), "some": some}

    participants: dict[int, list[ParticipantFacts]] = defaultdict(list)
    people: dict[int, ParticipantFacts] = {}  # one value per person, whatever their interviews
    for interview_id, contact_id, name, email in connection.execute(_PARTICIPANTS, loaded).all():
        person = people.get(contact_id)
        if person is None:
            person = people[contact_id] = ParticipantFacts(
                contact_id=contact_id, name=name, email=email
            )
        participants[interview_id].append(person)

    interviews: dict[int, list[InterviewFacts]] = defaultdict(list)
    for interview_id, app_id, starts_at, zone, minutes, round_name, outcome in connection.execute(
        _INTERVIEWS, loaded
    ).all():
        interviews[app_id].append(
            InterviewFacts(
                id=interview_id,
                starts_at=_utc(starts_at),
                timezone=zone,
                duration_minutes=minutes,
                round_name=round_name,
                outcome=None if outcome is None else InterviewOutcome(outcome),
                participants=tuple(participants[interview_id]),
            )
        )

    applications = {
        app_id: ApplicationFacts(
            id=app_id,
            company=company,
            role=role,
            status=ApplicationStatus(status),
            created_at=_utc(created_at),
            updated_at=_utc(updated_at),
            decision_expected=None if decision is None else date.fromisoformat(decision),
            next_steps=next_steps,
            still_interested=still_interested,
            decided_at=None if decided_at is None else _utc(decided_at),
            interviews=tuple(interviews[app_id]),
        )
        for (
            app_id,
            company,
            role,
            status,
            created_at,
            updated_at,
            decision,
            next_steps,
            still_interested,
            decided_at,
        ) in connection.execute(_APPLICATIONS, {"applications": _json(app_ids)}).all()
    }

    about: dict[int, list[TouchpointFacts]] = defaultdict(list)
    answers = _json(wanted.follow_ups | wanted.rejections)
    for row in connection.execute(_ABOUT, {"some": some, "answers": answers}).all():
        about[row[-1]].append(_touchpoint_facts(row))

    people = {
        p.contact_id
        for app in applications.values()
        if app.id in wanted.rejections
        for interview in app.interviews
        for p in interview.participants
    }
    linkedin: dict[int, list[TouchpointFacts]] = defaultdict(list)
    for row in connection.execute(_LINKEDIN, {"people": _json(people)}).all():
        linkedin[row[0]].append(_touchpoint_facts(row))
    return _Loaded(applications, about, linkedin, _load_contacts(connection, people))


def _load_contacts(connection: Connection, contact_ids: Collection[int]) -> dict[int, ContactFacts]:
    if not contact_ids:
        return {}
    rows = connection.execute(_CONTACTS, {"contacts": _json(contact_ids)}).all()
    return {row[0]: _contact_facts(row) for row in rows}


def _everything(connection: Connection, application_ids: Collection[int]) -> _Wanted:
    """Every rule for these applications."""
    wanted = _Wanted(follow_ups=set(application_ids), rejections=set(application_ids))
    for app_id, interview_id in connection.execute(
        _INTERVIEWS_OF, {"applications": _json(application_ids)}
    ):
        wanted.interviews.setdefault(app_id, set()).add(interview_id)
    return wanted


def _all_items(
    loaded: _Loaded, marks: Mapping[str, ManualMark], now: datetime, settings: RuleSettings
) -> list[ChecklistItem]:
    """Every item of fully loaded applications, through the rules' one entry point."""
    items: list[ChecklistItem] = []
    for app in loaded.applications.values():
        touchpoints = _touchpoints_for(loaded, app)
        items.extend(application_items(app, touchpoints, loaded.contacts, marks, now, settings))
    return items


def _touchpoints_for(loaded: _Loaded, app: ApplicationFacts) -> list[TouchpointFacts]:
    people = {p.contact_id for i in app.interviews for p in i.participants}
    linked = [t for person in people for t in loaded.linkedin.get(person, ())]
    return loaded.about.get(app.id, []) + linked


# --- one application, interview or contact ------------------------------------------------


def checklist_for_application(
    db: Database, application_id: int, now: datetime
) -> list[ChecklistItem]:
    """Every item about one application: its interviews', its follow-ups, its rejection's."""
    aware_datetime("now", now)
    with db.reading() as session:
        connection = session.connection()
        loaded = _load(connection, _everything(connection, [application_id]))
        if not loaded.applications:
            raise NotFoundError("Application", application_id)
        settings = load_rule_settings(session)
        return _marked_items(connection, lambda marks: _all_items(loaded, marks, now, settings))


def checklist_for_interview(db: Database, interview_id: int, now: datetime) -> list[ChecklistItem]:
    """One interview's items: next steps, interviewers' details, a thank-you to each."""
    aware_datetime("now", now)
    with db.reading() as session:
        application_id = session.scalar(
            select(Interview.application_id).where(Interview.id == interview_id)
        )
        if application_id is None:
            raise NotFoundError("Interview", interview_id)
        connection = session.connection()
        loaded = _load(connection, _everything(connection, [application_id]))
        settings = load_rule_settings(session)
        items = _marked_items(connection, lambda marks: _all_items(loaded, marks, now, settings))
    return [item for item in items if item.interview_id == interview_id]


def checklist_for_contact(db: Database, contact_id: int, now: datetime) -> list[ChecklistItem]:
    """A person's items: the thank-yous owed to them, then their stay-in-touch check-ins."""
    aware_datetime("now", now)
    with db.reading() as session:
        connection = session.connection()
        contacts = _load_contacts(connection, [contact_id])
        if not contacts:
            raise NotFoundError("Contact", contact_id)
        application_ids = connection.scalars(
            select(Interview.application_id)
            .join(Participant, Participant.interview_id == Interview.id)
            .where(Participant.contact_id == contact_id)
            .distinct()
        ).all()
        loaded = _load(connection, _everything(connection, application_ids))
        settings = load_rule_settings(session)

        def rules(marks: Mapping[str, ManualMark]) -> list[ChecklistItem]:
            owed = [
                i for i in _all_items(loaded, marks, now, settings) if i.contact_id == contact_id
            ]
            return owed + contact_items(contacts[contact_id], marks, now, settings)

        return _marked_items(connection, rules)


# --- across all data: what could still be to do -------------------------------------------
#
# Each statement yields its entries with a bound: the earliest moment, as a
# Julian day number (SQLite's julianday), at which any of their items can
# fall due. Hand-made marks, facts and bounds do not depend on the clock.


def _exists(*conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    """``EXISTS (SELECT 1 ...)``: with ``SELECT *`` SQLite reads table rows that an index covers."""
    return select(literal_column("1")).where(*conditions).exists()


def _settled(key: ColumnElement[str]) -> ColumnElement[bool]:
    """The item with this key was checked off or dismissed by hand: settled for good."""
    return _exists(ChecklistState.key == key, ChecklistState.mark.in_(_SETTLING_MARKS))


def _key(kind: ItemKind, **ids: ColumnElement[int]) -> ColumnElement[str]:
    """An item's key in SQL, as ``make_key`` makes it: ``thank_you:i12:c5`` from i=..., c=..."""
    key: ColumnElement[str] = literal(str(kind))
    for letter, column in ids.items():
        key = key + literal(f":{letter}") + cast(column, String)
    return key


# Every interview item is due at the interview's start or later.
_INTERVIEW_ENTRY = (Interview.id, Interview.application_id, func.julianday(Interview.starts_at))
# "Ask about next steps": nothing recorded, and no answer yet.
_ASK_PENDING = (
    select(*_INTERVIEW_ENTRY)
    .join(Application, Application.id == Interview.application_id)
    .where(
        Application.decision_expected.is_(None),
        Application.next_steps == "",
        Application.status.not_in(DECIDED_STATUSES),
        Interview.outcome.is_(None),
        ~_settled(_key(ItemKind.ASK_NEXT_STEPS, i=Interview.id)),
    )
)
# "Collect details": nobody recorded, or someone without an email address.
# The compound selects are ordered so that SQLite merges two sorted index
# scans instead of building a temporary index of one side.
_NOBODY_RECORDED = except_(select(Interview.id), select(Participant.interview_id)).order_by(
    literal_column("1")
)
_WITHOUT_EMAIL = (
    select(Participant.interview_id)
    .join(Contact, Contact.id == Participant.contact_id)
    .where(Contact.email == "")
)
_COLLECT_PENDING = select(*_INTERVIEW_ENTRY).where(
    or_(Interview.id.in_(_NOBODY_RECORDED), Interview.id.in_(_WITHOUT_EMAIL)),
    ~_settled(_key(ItemKind.COLLECT_DETAILS, i=Interview.id)),
)
# "Send a thank-you": a participant with no thank-you note for that interview.
_UNTHANKED = (
    except_(
        select(Participant.interview_id, Participant.contact_id),
        select(Touchpoint.interview_id, Touchpoint.contact_id).where(text(THANK_YOU_NOTE_SQL)),
    )
    .order_by(literal_column("1"), literal_column("2"))
    .subquery()
)
_THANK_YOU_PENDING = select(*_INTERVIEW_ENTRY).where(
    Interview.id.in_(
        select(_UNTHANKED.c.interview_id).where(
            ~_settled(
                _key(ItemKind.THANK_YOU, i=_UNTHANKED.c.interview_id, c=_UNTHANKED.c.contact_id)
            )
        )
    )
)
# UNION ALL: an interview pending for two reasons comes twice, which costs
# less than SQLite sorting the rows to drop the doubles.
_PENDING_INTERVIEWS = union_all(_ASK_PENDING, _COLLECT_PENDING, _THANK_YOU_PENDING)

# Applications awaiting an answer. Follow-ups fall due after the decision
# day, except that one checked off by hand can bring the next one due sooner:
# those have no bound. Settled for good: the gone-quiet flag was checked off
# or dismissed, and two follow-ups were sent on two different days after the
# decision day. SQL cannot tell the user's days apart, so it asks for two
# follow-ups at least 48 hours apart, the first a full day after the decision date.
_FOLLOW_UP = aliased(Touchpoint)
_AFTER_DECISION = and_(
    _FOLLOW_UP.application_id == Application.id,
    _FOLLOW_UP.purpose == Purpose.STATUS_FOLLOW_UP,
    _FOLLOW_UP.occurred_at >= func.date(Application.decision_expected, "+1 day"),
    _FOLLOW_UP.occurred_at < LATEST,
)
# Days between the first and the last follow-up (NULL for none).
_FOLLOW_UP_SPREAD = (
    select(
        func.julianday(func.max(_FOLLOW_UP.occurred_at))
        - func.julianday(func.min(_FOLLOW_UP.occurred_at))
    )
    .where(_AFTER_DECISION)
    .scalar_subquery()
)
_FOLLOW_UP_MARKED = _exists(
    ChecklistState.key.in_(
        [_key(ItemKind.STATUS_FOLLOW_UP, a=Application.id) + f":{n}" for n in (1, 2)]
    )
)
_PENDING_FOLLOW_UPS = select(
    Application.id,
    case((_FOLLOW_UP_MARKED, null()), else_=func.julianday(Application.decision_expected)),
).where(
    Application.status.not_in(DECIDED_STATUSES),
    Application.decision_expected.is_not(None),
    or_(
        ~_settled(_key(ItemKind.GONE_QUIET, a=Application.id)),
        func.coalesce(_FOLLOW_UP_SPREAD, 0) < 2,
    ),
)

# Rejected applications with a reply, connection or stay-in-touch step still
# open; every item is due at the rejection. The rules count anything from the
# start of the rejection's day; SQL counts from the rejection itself, which is
# later: it may keep too much.
_REJECTED_AT = func.coalesce(Application.decided_at, Application.updated_at)
_MET = aliased(Participant)
_MET_IN = aliased(Interview)
_PEOPLE = and_(_MET_IN.application_id == Application.id, _MET.interview_id == _MET_IN.id)
_REPLIED = _exists(
    Touchpoint.application_id == Application.id,
    Touchpoint.purpose == Purpose.REJECTION_REPLY,
    Touchpoint.occurred_at >= _REJECTED_AT,
)
_CONNECTED = _exists(
    _PEOPLE,
    Touchpoint.contact_id == _MET.contact_id,
    Touchpoint.kind == TouchpointKind.LINKEDIN,
    Touchpoint.occurred_at >= _REJECTED_AT,
)
_WITHOUT_CADENCE = _exists(_PEOPLE, Contact.id == _MET.contact_id, Contact.cadence_days.is_(None))
_REPLY_TO_WRITE = or_(
    ~_settled(_key(ItemKind.ASK_FEEDBACK, a=Application.id)),
    ~_settled(_key(ItemKind.ASK_REFERRAL, a=Application.id)),
    and_(
        Application.still_interested,
        ~_settled(_key(ItemKind.SAY_STILL_INTERESTED, a=Application.id)),
    ),
)
# Most rejections are old and done: each step tests first what most often
# shows it done (SQLite evaluates the terms in this order and stops early).
_PENDING_REJECTIONS = select(Application.id, func.julianday(_REJECTED_AT)).where(
    Application.status == ApplicationStatus.REJECTED,
    or_(
        and_(~_REPLIED, _REPLY_TO_WRITE),
        and_(
            ~_CONNECTED,
            _exists(_PEOPLE),
            ~_settled(_key(ItemKind.CONNECT_LINKEDIN, a=Application.id)),
        ),
        and_(~_settled(_key(ItemKind.SCHEDULE_STAY_IN_TOUCH, a=Application.id)), _WITHOUT_CADENCE),
    ),
)

# Contacts with a cadence: the next check-in is due at the start of the user's
# day "cadence" days after the last touchpoint's (or the day they were added).
# (Materialized, so that each contact's last touchpoint is looked up once.)
_CADENCED = (
    select(*_CONTACT_COLUMNS[:4], _text(_LAST_TOUCHPOINT).label("last"))
    .where(Contact.cadence_days.is_not(None))
    .cte("cadenced")
    .prefix_with("MATERIALIZED")
)
_PENDING_CHECK_INS = select(
    *_CADENCED.c,
    func.julianday(func.coalesce(_CADENCED.c.last, _CADENCED.c.created_at))
    + _CADENCED.c.cadence_days
    - _CHECK_IN_SLACK_DAYS,
)

_UNIX_EPOCH = 2440587.5  # as a Julian day number
# Recorded moments after LATEST are read as LATEST by the rules, so an item
# can be due earlier than such a bound says: bounds stop a little before it.
_LAST_BOUND = LATEST.timestamp() / 86400 + _UNIX_EPOCH - _CHECK_IN_SLACK_DAYS
_SECOND = 1 / 86400  # slack for Julian days being floats


@dataclass(frozen=True)
class _ByBound(Generic[T]):
    """Entries in the order of the earliest moment any of their items can fall due."""

    bounds: list[float]
    entries: list[T]

    @classmethod
    def of(cls, rows: Iterable[tuple[float | None, T]]) -> _ByBound[T]:
        """From (bound, entry) pairs; no bound means "can be due at any time"."""
        ordered = sorted(
            (
                (-math.inf if bound is None else min(bound, _LAST_BOUND), entry)
                for bound, entry in rows
            ),
            key=lambda pair: pair[0],
        )
        return cls([bound for bound, _ in ordered], [entry for _, entry in ordered])

    def due_by(self, horizon: datetime | None) -> list[T]:
        """The entries that can have an item due by ``horizon`` (all of them for None)."""
        if horizon is None:
            return self.entries
        julian_day = horizon.timestamp() / 86400 + _UNIX_EPOCH + _SECOND
        return self.entries[: bisect.bisect_right(self.bounds, julian_day)]


# An entry is one rule about one subject, as plain numbers (thousands of them
# are kept; tuples of numbers cost the garbage collector nothing):
# (_INTERVIEW, application id, interview id), (_FOLLOW_UPS, application id, 0),
# (_REJECTION, application id, 0) or (_CHECK_IN, contact id, 0).
_INTERVIEW, _FOLLOW_UPS, _REJECTION, _CHECK_IN = range(4)
_Entry = tuple[int, int, int]

# The rule that makes each kind of item. A rule reads the marks of its own
# items only, and every key names its rule's subject first ("thank_you:i12:c5").
_RULE_OF_KIND = {
    ItemKind.ASK_NEXT_STEPS: _INTERVIEW,
    ItemKind.COLLECT_DETAILS: _INTERVIEW,
    ItemKind.THANK_YOU: _INTERVIEW,
    ItemKind.STATUS_FOLLOW_UP: _FOLLOW_UPS,
    ItemKind.GONE_QUIET: _FOLLOW_UPS,
    ItemKind.ASK_FEEDBACK: _REJECTION,
    ItemKind.SAY_STILL_INTERESTED: _REJECTION,
    ItemKind.ASK_REFERRAL: _REJECTION,
    ItemKind.CONNECT_LINKEDIN: _REJECTION,
    ItemKind.SCHEDULE_STAY_IN_TOUCH: _REJECTION,
    ItemKind.STAY_IN_TOUCH: _CHECK_IN,
}


@dataclass(frozen=True)
class _Pending:
    """What could still be to do across all data, whatever the time, with the facts it needs.

    ``made`` keeps the items each entry's rule made, for each user zone and
    year (their texts depend on those): from one call to the next only the
    items' states change, and :func:`~afterword.core.checklist.rules.restated` brings
    them up to date.
    """

    changes: dict[str, int]  # change_counts as of the read
    settings: RuleSettings
    marks: _StoredMarks
    loaded: _Loaded  # the facts of every application entry
    interviews: dict[int, InterviewFacts]  # of those applications, by id
    applications: _ByBound[_Entry]  # interviews, follow-ups, rejections
    check_ins: _ByBound[_Entry]  # contacts with a cadence
    contact_rows: dict[int, Sequence[Any]]  # their facts as read (made ContactFacts when due)
    made: dict[tuple[Any, int], dict[_Entry, list[ChecklistItem]]] = field(default_factory=dict)

    def make(self, entry: _Entry, ctx: RuleContext) -> list[ChecklistItem]:
        """The items of one entry's rule."""
        rule, subject, interview_id = entry
        if rule == _CHECK_IN:
            return check_in_items(ctx, _contact_facts(self.contact_rows[subject]))
        loaded = self.loaded
        app = loaded.applications[subject]
        about = loaded.about.get(subject, [])
        if rule == _INTERVIEW:
            return interview_items(ctx, app, self.interviews[interview_id], about)
        if rule == _FOLLOW_UPS:
            return follow_up_items(ctx, app, about)
        return rejection_items(ctx, app, _touchpoints_for(loaded, app), loaded.contacts)


def _rows(connection: Connection, statement: Executable) -> list[tuple[Any, ...]]:
    """The rows as plain tuples.

    Thousands of rows are kept (some only while the rest is read): the
    garbage collector tracks, and keeps walking, every SQLAlchemy row, but
    stops tracking a tuple of plain values.
    """
    return [tuple(row) for row in connection.execute(statement)]


_CHANGES = select(ChangeCount.table_name, ChangeCount.changes)


def _changes(connection: Connection) -> dict[str, int]:
    """How many times each table the checklist reads was written to, ever."""
    return {table: changes for table, changes in connection.execute(_CHANGES)}


def _read_pending(session: Session, changes: dict[str, int]) -> _Pending:
    """The pending entries with the facts their rules read, from one read transaction.

    ``changes`` are the change counts read in the same transaction.
    """
    connection = session.connection()
    interviews = _rows(connection, _PENDING_INTERVIEWS)
    follow_ups = _rows(connection, _PENDING_FOLLOW_UPS)
    rejections = _rows(connection, _PENDING_REJECTIONS)
    wanted = _Wanted(
        follow_ups={app_id for app_id, _ in follow_ups},
        rejections={app_id for app_id, _ in rejections},
    )
    for interview_id, app_id, _ in interviews:
        wanted.interviews.setdefault(app_id, set()).add(interview_id)
    loaded = _load(connection, wanted)
    entries = [
        *{
            (bound, (_INTERVIEW, app_id, interview_id))
            for interview_id, app_id, bound in interviews
        },
        *((bound, (_FOLLOW_UPS, app_id, 0)) for app_id, bound in follow_ups),
        *((bound, (_REJECTION, app_id, 0)) for app_id, bound in rejections),
    ]
    check_ins = _rows(connection, _PENDING_CHECK_INS)
    return _Pending(
        changes=changes,
        settings=load_rule_settings(session),
        marks=_StoredMarks(_rows(connection, _MARKS)),
        loaded=loaded,
        interviews={i.id: i for app in loaded.applications.values() for i in app.interviews},
        applications=_ByBound.of(entries),
        check_ins=_ByBound.of((row[-1], (_CHECK_IN, row[0], 0)) for row in check_ins),
        contact_rows={row[0]: row for row in check_ins},
    )


def _items(pending: _Pending, entries: Iterable[_Entry], now: datetime) -> list[ChecklistItem]:
    """The items of these entries as they stand at ``now``, leaving out what the facts made done.

    An entry's rule runs the first time it is asked for (per user zone and
    year); after that its items are only restated for ``now``.
    """
    made = pending.made.setdefault((now.tzinfo, now.year), {})
    marks = pending.marks
    ctx: RuleContext | None = None
    items: list[ChecklistItem] = []
    for entry in entries:
        kept = made.get(entry)
        if kept is None:
            if ctx is None:
                ctx = rule_context(now, marks, pending.settings, keep_done=False)
            kept = made[entry] = pending.make(entry, ctx)
            items.extend(kept)
        else:
            items.extend(restated(item, marks.get(item.key), now) for item in kept)
    return items


def _remarked(pending: _Pending, marks: _StoredMarks) -> _Pending | None:
    """The pending set after the hand-made marks changed to ``marks`` (and nothing else did).

    A mark can only take items out of the pending set or bring back items of
    its own entry, and only follow-ups' bounds depend on marks; so if every
    changed mark is about an entry still kept, keeping every entry stays
    right (too much at worst): the changed entries' rules run again, and a
    changed follow-up entry can fall due at any time. None when a changed
    mark is about an entry no longer kept (a dismissal taken back), or is not
    an item's key: then only reading everything again will do.
    """
    # Each kept entry by its subject: the interview for interview entries.
    kept = {
        (rule, interview_id or subject): (rule, subject, interview_id)
        for rule, subject, interview_id in pending.applications.entries + pending.check_ins.entries
    }
    changed: set[_Entry] = set()
    for key in pending.marks.changed_keys(marks):
        if not is_valid_key(key):
            return None
        kind, subject = key.split(":")[:2]
        entry = kept.get((_RULE_OF_KIND[ItemKind(kind)], int(subject[1:])))
        if entry is None:
            return None
        changed.add(entry)
    applications = pending.applications
    if any(rule == _FOLLOW_UPS for rule, _, _ in changed):
        applications = _ByBound.of(
            (None if entry in changed else bound, entry)
            for bound, entry in zip(applications.bounds, applications.entries, strict=True)
        )
    made = {
        made_for: {entry: items for entry, items in by_entry.items() if entry not in changed}
        for made_for, by_entry in pending.made.items()
    }
    return replace(pending, marks=marks, applications=applications, made=made)


# --- keeping the pending set while nothing changes --------------------------------------------


@dataclass
class _Kept:
    """The pending set of one open database, and how to tell whether it is still current.

    ``watch`` is a connection of its own that never reads a table nor writes:
    its ``PRAGMA data_version`` changes whenever any *other* connection (this
    process's pool or another program) commits to the file, which is every
    commit that could change the pending set. It is read before the pending
    set, so a commit in between only makes the next call read again. The
    change counts (kept by triggers, see :class:`~afterword.core.storage.models.ChangeCount`)
    then tell whether only marks changed.
    """

    watch: sqlite3.Connection | None  # None once the database is closed
    lock: threading.Lock = field(default_factory=threading.Lock)
    version: int | None = None
    pending: _Pending | None = None


_KEPT: weakref.WeakKeyDictionary[Engine, _Kept] = weakref.WeakKeyDictionary()
_KEPT_LOCK = threading.Lock()


def _forget(engine: Engine) -> None:
    """Closing the database drops what was kept for it."""
    with _KEPT_LOCK:
        kept = _KEPT.pop(engine, None)
    if kept is not None and kept.watch is not None:
        with kept.lock:
            kept.watch.close()
            kept.watch = None


def _kept_for(db: Database) -> _Kept:
    with _KEPT_LOCK:
        kept = _KEPT.get(db.engine)
        if kept is None:
            watch = sqlite3.connect(db.path, check_same_thread=False, isolation_level=None)
            watch.execute("PRAGMA query_only = ON")
            kept = _KEPT[db.engine] = _Kept(watch)
            if not event.contains(db.engine, "engine_disposed", _forget):
                event.listen(db.engine, "engine_disposed", _forget)
    return kept


def _pending(db: Database) -> _Pending:
    """The pending set, read again only if anything was committed since it was last read."""
    kept = _kept_for(db)
    with kept.lock:
        if kept.watch is None:  # closed while this call began: read, keep nothing
            with db.reading() as session:
                return _read_pending(session)
        (version,) = kept.watch.execute("PRAGMA data_version").fetchone()
        if kept.pending is None or version != kept.version:
            with db.reading() as session:
                kept.pending = _read_again(session, kept.pending)
            kept.version = version
        return kept.pending


def _read_again(session: Session, was: _Pending | None) -> _Pending:
    """The pending set now: ``was`` with its marks brought up to date if only marks changed."""
    connection = session.connection()
    changes = _changes(connection)
    if was is not None:
        tables = changes.keys() | was.changes.keys()
        changed = {table for table in tables if changes.get(table) != was.changes.get(table)}
        if not changed:  # a write to something the checklist does not read
            return was
        if changed == {ChecklistState.__tablename__}:
            remarked = _remarked(was, _StoredMarks(_rows(connection, _MARKS)))
            if remarked is not None:
                return replace(remarked, changes=changes)
    return _read_pending(session, changes)


# --- across all data -------------------------------------------------------------------------


def today(db: Database, now: datetime) -> list[ChecklistItem]:
    """Everything overdue, due, or coming due within 7 days, across all data, most urgent first."""
    aware_datetime("now", now)
    pending = _pending(db)
    horizon = now + UPCOMING
    entries = pending.applications.due_by(horizon) + pending.check_ins.due_by(horizon)
    return today_items(_items(pending, entries, now), now)


def next_due_by_application(db: Database, now: datetime) -> dict[int, ChecklistItem]:
    """For the applications table: each application's most urgent item still to do.

    Applications with nothing left to do are absent.
    """
    aware_datetime("now", now)
    pending = _pending(db)
    best: dict[int, ChecklistItem] = {}
    for item in _items(pending, pending.applications.due_by(None), now):
        if not item.is_actionable or item.application_id is None:
            continue
        current = best.get(item.application_id)
        if current is None or urgency(item) < urgency(current):
            best[item.application_id] = item
    return best
