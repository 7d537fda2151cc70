"""The checklist over the database: load the facts, apply the rules, keep hand-made marks.

Every function opens its own short session and returns plain
:class:`~core.checklist.items.ChecklistItem` values. The pure rules in
:mod:`core.checklist.rules` are the single source of truth for every item's
state; this module only decides which facts to hand them.

:func:`today` and :func:`next_due_by_application` run over all data, so they
first ask SQL which interviews, applications and contacts *could* still have
something to do (a participant without a thank-you, a rejection without a
reply...), drop those whose open items were all checked off or dismissed by
hand, and run only the matching rules on the rest. Every SQL condition is a
necessary condition of "not done by the facts" (it may keep too much, never
too little), so the result equals running every rule on everything; a test
holds the two paths together. Rows are read as plain tuples with Core
selects, never as ORM objects.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    String,
    and_,
    bindparam,
    cast,
    delete,
    except_,
    exists,
    func,
    literal,
    or_,
    select,
    union,
)
from sqlalchemy.orm import aliased

from core.checklist.facts import (
    ApplicationFacts,
    ContactFacts,
    InterviewFacts,
    ManualMark,
    ParticipantFacts,
    RuleSettings,
    TouchpointFacts,
)
from core.checklist.items import ChecklistItem, ItemKind, is_valid_key, make_key
from core.checklist.rules import (
    LATEST,
    UPCOMING,
    application_items,
    contact_items,
    follow_up_items,
    interview_items,
    rejection_items,
    today_items,
    urgency,
)
from core.db import Database
from core.errors import NotFoundError, ValidationError
from core.models import (
    DECIDED_STATUSES,
    Application,
    ApplicationStatus,
    ChecklistMark,
    ChecklistState,
    Contact,
    Interview,
    Participant,
    Purpose,
    Touchpoint,
    TouchpointKind,
)
from core.settings import load_rule_settings
from core.validation import aware_datetime

logger = logging.getLogger(__name__)

# Marks after which an item can never be actionable again (a snooze ends).
_SETTLING_MARKS = frozenset({ChecklistMark.DONE, ChecklistMark.DISMISSED})
_THANK_YOU_KINDS = (TouchpointKind.EMAIL, TouchpointKind.LETTER)
# A check-in falls due at the start of a day in the user's zone (UTC-12 to
# UTC+14), at most about 50 hours before "last touchpoint + cadence" in UTC.
_CHECK_IN_SLACK = timedelta(days=3)


def _listed(name: str) -> Select[tuple[Any]]:
    """A subquery over the values of the JSON list bound to ``name``."""
    return select(func.json_each(bindparam(name, type_=String)).table_valued("value").c.value)


def _json(values: Iterable[int | str]) -> str:
    return json.dumps(sorted(set(values)))


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
    ChecklistState.key, ChecklistState.mark, ChecklistState.updated_at, ChecklistState.snoozed_until
)
_MARKS_ON = _MARKS.where(ChecklistState.key.in_(_listed("keys")))


def _load_marks(
    connection: Connection, keys: Collection[str] | None = None
) -> dict[str, ManualMark]:
    """The marks on these keys (all marks if ``keys`` is None)."""
    rows = (
        connection.execute(_MARKS)
        if keys is None
        else connection.execute(_MARKS_ON, {"keys": _json(keys)})
    )
    return {
        key: ManualMark(key=key, mark=mark, at=at, snoozed_until=until)
        for key, mark, at, until in rows
    }


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


def _unsettled(keys: Iterable[str], marks: Mapping[str, ManualMark]) -> bool:
    """Whether any of these items could still need doing, as far as the marks tell."""
    return any((mark := marks.get(key)) is None or mark.mark not in _SETTLING_MARKS for key in keys)


# --- loading facts --------------------------------------------------------------------------
#
# The statements are built once: SQLAlchemy then reuses their compiled form,
# which matters for the one-application view. Lists of ids travel as one
# JSON parameter each (read with json_each), whatever their length.


_TOUCHPOINT_COLUMNS = (
    Touchpoint.id,
    Touchpoint.contact_id,
    Touchpoint.application_id,
    Touchpoint.interview_id,
    Touchpoint.kind,
    Touchpoint.purpose,
    Touchpoint.occurred_at,
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
        Interview.starts_at,
        Interview.timezone,
        Interview.duration_minutes,
        Interview.round_name,
        Interview.outcome,
    )
    .where(_LOADED_INTERVIEW)
    .order_by(Interview.starts_at, Interview.id)
)
_APPLICATIONS = (
    select(
        Application.id,
        Application.company,
        Application.role,
        Application.status,
        Application.created_at,
        Application.updated_at,
        Application.decision_expected,
        Application.next_steps,
        Application.still_interested,
        Application.decided_at,
    )
    .where(Application.id.in_(_listed("applications")))
    .order_by(Application.id)
)
# What the wanted rules read, by the application each touchpoint is about:
# thank-yous for the "some" interviews; follow-ups and rejection replies
# linked to an "answers" application or to any of its interviews.
_ANSWERS = (Purpose.STATUS_FOLLOW_UP, Purpose.REJECTION_REPLY)
_ABOUT = union(
    select(*_TOUCHPOINT_COLUMNS, Interview.application_id.label("owner"))
    .join(Interview, Interview.id == Touchpoint.interview_id)
    .where(Interview.id.in_(_listed("some")), Touchpoint.purpose == Purpose.THANK_YOU),
    select(*_TOUCHPOINT_COLUMNS, Touchpoint.application_id.label("owner")).where(
        Touchpoint.application_id.in_(_listed("answers")), Touchpoint.purpose.in_(_ANSWERS)
    ),
    select(*_TOUCHPOINT_COLUMNS, Interview.application_id.label("owner"))
    .join(Interview, Interview.id == Touchpoint.interview_id)
    .where(Interview.application_id.in_(_listed("answers")), Touchpoint.purpose.in_(_ANSWERS)),
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
    Contact.created_at,
    _LAST_TOUCHPOINT.label("last_touchpoint_at"),
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
    applications: list[ApplicationFacts]
    about: dict[int, list[TouchpointFacts]]  # application id -> touchpoints about it
    linkedin: dict[int, list[TouchpointFacts]]  # contact id -> LinkedIn touchpoints
    contacts: dict[int, ContactFacts]  # everyone met in a rejected application


def _touchpoint_facts(row: Sequence[Any]) -> TouchpointFacts:
    _id, contact_id, application_id, interview_id, kind, purpose, occurred_at = row[:7]
    return TouchpointFacts(
        contact_id=contact_id,
        application_id=application_id,
        interview_id=interview_id,
        kind=kind,
        purpose=purpose,
        occurred_at=occurred_at,
    )


def _load(connection: Connection, wanted: _Wanted) -> _Loaded:
    """The facts the wanted rules read.

    Applications in ``wanted.rejections`` come with all their interviews; the
    others only with the interviews whose items are wanted (the follow-up
    rule reads no interviews: its touchpoints come from SQL).
    """
    app_ids = wanted.application_ids()
    if not app_ids:
        return _Loaded([], {}, {}, {})
    some = _json(i for ids in wanted.interviews.values() for i in ids)
    loaded = {"whole": _json(wanted.rejections), "some": some}

    participants: dict[int, list[ParticipantFacts]] = defaultdict(list)
    for interview_id, contact_id, name, email in connection.execute(_PARTICIPANTS, loaded):
        participants[interview_id].append(
            ParticipantFacts(contact_id=contact_id, name=name, email=email)
        )

    interviews: dict[int, list[InterviewFacts]] = defaultdict(list)
    for interview_id, app_id, starts_at, zone, minutes, round_name, outcome in connection.execute(
        _INTERVIEWS, loaded
    ):
        interviews[app_id].append(
            InterviewFacts(
                id=interview_id,
                starts_at=starts_at,
                timezone=zone,
                duration_minutes=minutes,
                round_name=round_name,
                outcome=outcome,
                participants=tuple(participants[interview_id]),
            )
        )

    applications = [
        ApplicationFacts(
            id=row.id,
            company=row.company,
            role=row.role,
            status=row.status,
            created_at=row.created_at,
            updated_at=row.updated_at,
            decision_expected=row.decision_expected,
            next_steps=row.next_steps,
            still_interested=row.still_interested,
            decided_at=row.decided_at,
            interviews=tuple(interviews[row.id]),
        )
        for row in connection.execute(_APPLICATIONS, {"applications": _json(app_ids)})
    ]

    about: dict[int, list[TouchpointFacts]] = defaultdict(list)
    answers = _json(wanted.follow_ups | wanted.rejections)
    for row in connection.execute(_ABOUT, {"some": some, "answers": answers}):
        about[row.owner].append(_touchpoint_facts(row))

    people = {
        p.contact_id
        for app in applications
        if app.id in wanted.rejections
        for interview in app.interviews
        for p in interview.participants
    }
    linkedin: dict[int, list[TouchpointFacts]] = defaultdict(list)
    for row in connection.execute(_LINKEDIN, {"people": _json(people)}):
        linkedin[row.contact_id].append(_touchpoint_facts(row))
    return _Loaded(applications, about, linkedin, _load_contacts(connection, people))


def _contact_facts(
    rows: Iterable[tuple[int, str, int | None, datetime, datetime | None]],
) -> dict[int, ContactFacts]:
    return {
        contact_id: ContactFacts(
            id=contact_id,
            name=name,
            cadence_days=cadence,
            created_at=created_at,
            last_touchpoint_at=last,
        )
        for contact_id, name, cadence, created_at, last in rows
    }


def _load_contacts(connection: Connection, contact_ids: Collection[int]) -> dict[int, ContactFacts]:
    if not contact_ids:
        return {}
    rows = connection.execute(_CONTACTS, {"contacts": _json(contact_ids)}).tuples()
    return _contact_facts(rows)


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
    for app in loaded.applications:
        touchpoints = _touchpoints_for(loaded, app)
        items.extend(application_items(app, touchpoints, loaded.contacts, marks, now, settings))
    return items


def _touchpoints_for(loaded: _Loaded, app: ApplicationFacts) -> list[TouchpointFacts]:
    people = {p.contact_id for i in app.interviews for p in i.participants}
    linked = [t for person in people for t in loaded.linkedin.get(person, ())]
    return loaded.about.get(app.id, []) + linked


def _wanted_items(
    loaded: _Loaded,
    wanted: _Wanted,
    marks: Mapping[str, ManualMark],
    now: datetime,
    settings: RuleSettings,
) -> list[ChecklistItem]:
    """The items of the wanted rules only."""
    items: list[ChecklistItem] = []
    for app in loaded.applications:
        about = loaded.about.get(app.id, [])
        interview_ids = wanted.interviews.get(app.id, set())
        for interview in app.interviews:
            if interview.id in interview_ids:
                items.extend(interview_items(app, interview, about, marks, now, settings))
        if app.id in wanted.follow_ups:
            items.extend(follow_up_items(app, about, marks, now, settings))
        if app.id in wanted.rejections:
            touchpoints = _touchpoints_for(loaded, app)
            items.extend(rejection_items(app, touchpoints, loaded.contacts, marks, now, settings))
    return items


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


def _interview_candidates(
    connection: Connection, horizon: datetime | None, marks: Mapping[str, ManualMark]
) -> dict[int, set[int]]:
    """Interviews (by application) with an item the facts do not show as done."""
    found: dict[int, set[int]] = defaultdict(set)

    def keep(query: Select[tuple[int, int, datetime]], key: Callable[..., str]) -> None:
        # Every interview item is due at the interview's start or later. The
        # start is compared here, not in SQL: there SQLite would pick the
        # start-time index, which is the slow way round for these queries.
        for interview_id, app_id, starts_at, *parts in connection.execute(query):
            if (horizon is None or starts_at <= horizon) and _unsettled(
                [key(interview_id, *parts)], marks
            ):
                found[app_id].add(interview_id)

    columns = (Interview.id, Interview.application_id, Interview.starts_at)
    # "Ask about next steps": nothing recorded, and no answer yet.
    keep(
        select(*columns)
        .join(Application, Application.id == Interview.application_id)
        .where(
            Application.decision_expected.is_(None),
            Application.next_steps == "",
            Application.status.not_in(DECIDED_STATUSES),
            Interview.outcome.is_(None),
        ),
        lambda interview_id: make_key(ItemKind.ASK_NEXT_STEPS, f"i{interview_id}"),
    )

    # "Collect details": someone without an email address, or nobody recorded.
    def collect(interview_id: int) -> str:
        return make_key(ItemKind.COLLECT_DETAILS, f"i{interview_id}")

    no_email = select(Contact.id).where(Contact.email == "")
    keep(
        select(*columns)
        .join(Participant, Participant.interview_id == Interview.id)
        .where(Participant.contact_id.in_(no_email)),
        collect,
    )
    keep(
        select(*columns).where(~exists().where(Participant.interview_id == Interview.id)),
        collect,
    )

    # "Send a thank-you": a participant with no thank-you (email or letter) for that interview.
    thanked = select(Touchpoint.interview_id, Touchpoint.contact_id).where(
        Touchpoint.purpose == Purpose.THANK_YOU, Touchpoint.kind.in_(_THANK_YOU_KINDS)
    )
    everyone = select(Participant.interview_id, Participant.contact_id)
    unthanked = except_(everyone, thanked).subquery()
    keep(
        select(*columns, unthanked.c.contact_id).join(
            unthanked, unthanked.c.interview_id == Interview.id
        ),
        lambda interview_id, contact_id: make_key(
            ItemKind.THANK_YOU, f"i{interview_id}", f"c{contact_id}"
        ),
    )
    return found


def _follow_up_candidates(
    connection: Connection, horizon: datetime | None, marks: Mapping[str, ManualMark]
) -> set[int]:
    """Applications awaiting an answer whose follow-ups or gone-quiet flag could be to do."""
    awaiting = connection.execute(
        select(Application.id, Application.decision_expected).where(
            Application.status.not_in(DECIDED_STATUSES),
            Application.decision_expected.is_not(None),
        )
    ).all()
    # Follow-ups are due after the decision day, except that one checked off
    # by hand early can make the next one due sooner: those are kept.
    hand_marked = {
        int(key.split(":")[1][1:])
        for key in marks
        if key.startswith(f"{ItemKind.STATUS_FOLLOW_UP}:") and is_valid_key(key)
    }
    found = {
        app_id
        for app_id, decision in awaiting
        if horizon is None or decision <= horizon.date() or app_id in hand_marked
    }
    # Settled for good: the gone-quiet flag was checked off or dismissed, and
    # two follow-ups were sent on two different days after the decision day.
    # SQL cannot tell the user's days apart, so it asks for two follow-ups at
    # least 48 hours apart, the first a full day after the decision date.
    flagged = [
        app_id
        for app_id in found
        if not _unsettled([make_key(ItemKind.GONE_QUIET, f"a{app_id}")], marks)
    ]
    follow_up = aliased(Touchpoint)
    after_decision = and_(
        follow_up.application_id == Application.id,
        follow_up.purpose == Purpose.STATUS_FOLLOW_UP,
        follow_up.occurred_at >= func.date(Application.decision_expected, "+1 day"),
        follow_up.occurred_at < LATEST,
    )
    first = select(func.min(follow_up.occurred_at)).where(after_decision).scalar_subquery()
    last = select(func.max(follow_up.occurred_at)).where(after_decision).scalar_subquery()
    settled = connection.scalars(
        select(Application.id).where(
            Application.id.in_(_listed("flagged")),
            func.julianday(last) - func.julianday(first) >= 2,
        ),
        {"flagged": _json(flagged)},
    )
    return found.difference(settled)


def _by_hand(kind: ItemKind) -> ColumnElement[bool]:
    """The application's item of this kind was checked off or dismissed by hand."""
    key = literal(f"{kind}:a") + cast(Application.id, String)
    return exists().where(ChecklistState.key == key, ChecklistState.mark.in_(_SETTLING_MARKS))


def _rejection_candidates(connection: Connection, horizon: datetime | None) -> set[int]:
    """Rejected applications with a reply, connection or stay-in-touch step still open."""
    # The rules count anything from the start of the rejection's day; SQL
    # counts from the rejection itself, which is later: it may keep too much.
    rejected_at = func.coalesce(Application.decided_at, Application.updated_at)
    met = aliased(Participant)
    met_in = aliased(Interview)
    people = and_(met_in.application_id == Application.id, met.interview_id == met_in.id)
    replied = exists().where(
        Touchpoint.application_id == Application.id,
        Touchpoint.purpose == Purpose.REJECTION_REPLY,
        Touchpoint.occurred_at >= rejected_at,
    )
    connected = exists().where(
        people,
        Touchpoint.contact_id == met.contact_id,
        Touchpoint.kind == TouchpointKind.LINKEDIN,
        Touchpoint.occurred_at >= rejected_at,
    )
    without_cadence = exists().where(
        people, Contact.id == met.contact_id, Contact.cadence_days.is_(None)
    )
    reply_to_write = or_(
        ~_by_hand(ItemKind.ASK_FEEDBACK),
        ~_by_hand(ItemKind.ASK_REFERRAL),
        and_(Application.still_interested, ~_by_hand(ItemKind.SAY_STILL_INTERESTED)),
    )
    # Each step: not settled by hand (a cheap key lookup, so it comes first),
    # and not shown done by the facts.
    still_open = or_(
        and_(reply_to_write, ~replied),
        and_(~_by_hand(ItemKind.CONNECT_LINKEDIN), exists().where(people), ~connected),
        and_(~_by_hand(ItemKind.SCHEDULE_STAY_IN_TOUCH), without_cadence),
    )
    query = select(Application.id).where(
        Application.status == ApplicationStatus.REJECTED, still_open
    )
    if horizon is not None:
        query = query.where(rejected_at <= horizon)  # every rejection item is due from then
    return set(connection.scalars(query))


def _candidate_contacts(connection: Connection, horizon: datetime) -> dict[int, ContactFacts]:
    """Contacts with a cadence whose next check-in could be due by ``horizon``."""
    contacts = select(*_CONTACT_COLUMNS).where(Contact.cadence_days.is_not(None)).subquery()
    since = func.coalesce(contacts.c.last_touchpoint_at, contacts.c.created_at)
    # Due at the start of the user's day "cadence" days after ``since``'s day.
    latest_due = horizon.astimezone(UTC).replace(tzinfo=None) + _CHECK_IN_SLACK
    query = select(contacts).where(
        func.julianday(since) + contacts.c.cadence_days <= func.julianday(latest_due)
    )
    return _contact_facts(connection.execute(query).tuples())


def _candidates(
    connection: Connection, horizon: datetime | None, marks: Mapping[str, ManualMark]
) -> _Wanted:
    return _Wanted(
        interviews=_interview_candidates(connection, horizon, marks),
        follow_ups=_follow_up_candidates(connection, horizon, marks),
        rejections=_rejection_candidates(connection, horizon),
    )


def today(db: Database, now: datetime) -> list[ChecklistItem]:
    """Everything overdue, due, or coming due within 7 days, across all data, most urgent first."""
    aware_datetime("now", now)
    horizon = now + UPCOMING
    with db.reading() as session:
        connection = session.connection()
        settings = load_rule_settings(session)
        marks = _load_marks(connection)
        wanted = _candidates(connection, horizon, marks)
        loaded = _load(connection, wanted)
        contacts = _candidate_contacts(connection, horizon)
    items = _wanted_items(loaded, wanted, marks, now, settings)
    for contact in contacts.values():
        items.extend(contact_items(contact, marks, now, settings))
    return today_items(items, now)


def next_due_by_application(db: Database, now: datetime) -> dict[int, ChecklistItem]:
    """For the applications table: each application's most urgent item still to do.

    Applications with nothing left to do are absent.
    """
    aware_datetime("now", now)
    with db.reading() as session:
        connection = session.connection()
        settings = load_rule_settings(session)
        marks = _load_marks(connection)
        wanted = _candidates(connection, None, marks)
        loaded = _load(connection, wanted)
    best: dict[int, ChecklistItem] = {}
    for item in _wanted_items(loaded, wanted, marks, now, settings):
        if not item.is_actionable or item.application_id is None:
            continue
        current = best.get(item.application_id)
        if current is None or urgency(item) < urgency(current):
            best[item.application_id] = item
    return best
