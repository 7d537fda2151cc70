"""Which subjects could still have something to do, in SQL: the candidates of a full build.

Building every kept item (a new database, another time zone or year, new
rules) runs each rule only on its candidates. Each statement keeps a subject
unless the facts or the hand-made marks show all its items done for good;
every condition is a necessary condition of "not done" (it may keep too
much, never too little), so the build equals running every rule on
everything (the equivalence tests hold the two together). Nothing here
depends on the clock.
"""

from __future__ import annotations

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    cast,
    except_,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import aliased

from afterword.core.checklist.items import REQUEST_BY_KIND, ItemKind
from afterword.core.checklist.rules import LATEST
from afterword.core.storage.models import (
    THANK_YOU_NOTE_SQL,
    Application,
    ChecklistState,
    Contact,
    Interview,
    Participant,
    Touchpoint,
)
from afterword.core.storage.values import (
    DECIDED_STATUSES,
    ApplicationStatus,
    ChecklistMark,
    Purpose,
    TouchpointKind,
)

# Marks after which an item can never be actionable again (a snooze ends).
_SETTLING_MARKS = frozenset({ChecklistMark.DONE, ChecklistMark.DISMISSED})


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


_INTERVIEW_ENTRY = (Interview.id,)
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
INTERVIEWS: Select[tuple[int]] = select(
    union_all(_ASK_PENDING, _COLLECT_PENDING, _THANK_YOU_PENDING).subquery().c.id
)

# Applications awaiting an answer. Settled for good: the gone-quiet flag was checked off
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
FOLLOW_UPS: Select[tuple[int]] = select(Application.id).where(
    Application.status.not_in(DECIDED_STATUSES),
    Application.decision_expected.is_not(None),
    or_(
        ~_settled(_key(ItemKind.GONE_QUIET, a=Application.id)),
        func.coalesce(_FOLLOW_UP_SPREAD, 0) < 2,
    ),
)

# Rejected applications with a reply, connection or stay-in-touch step still
# open. The rules count anything from the
# start of the rejection's day; SQL counts from the rejection itself, which is
# later: it may keep too much.
_REJECTED_AT = func.coalesce(Application.decided_at, Application.updated_at)
_MET = aliased(Participant)
_MET_IN = aliased(Interview)
_PEOPLE = and_(_MET_IN.application_id == Application.id, _MET.interview_id == _MET_IN.id)


def _reply_to_write(kind: ItemKind) -> ColumnElement[bool]:
    """A reply item still to write: no reply since the rejection asked for it, no mark settled it.

    A reply logged by hand (no requests) asked for everything. The requests
    are stored as words separated by spaces (``WordSet``); ``instr`` finds
    one exactly (``LIKE`` would ignore case and read ``_`` as any letter).
    """
    requests = literal(" ") + type_coerce(Touchpoint.requests, String) + literal(" ")
    asked = _exists(
        Touchpoint.application_id == Application.id,
        Touchpoint.purpose == Purpose.REJECTION_REPLY,
        Touchpoint.occurred_at >= _REJECTED_AT,
        or_(
            Touchpoint.requests.is_(None),
            func.instr(requests, f" {REQUEST_BY_KIND[kind]} ") > 0,
        ),
    )
    return and_(~asked, ~_settled(_key(kind, a=Application.id)))


_CONNECTED = _exists(
    _PEOPLE,
    Touchpoint.contact_id == _MET.contact_id,
    Touchpoint.kind == TouchpointKind.LINKEDIN,
    Touchpoint.occurred_at >= _REJECTED_AT,
)
_WITHOUT_CADENCE = _exists(_PEOPLE, Contact.id == _MET.contact_id, Contact.cadence_days.is_(None))
_REPLY_TO_WRITE = or_(
    _reply_to_write(ItemKind.ASK_FEEDBACK),
    _reply_to_write(ItemKind.ASK_REFERRAL),
    and_(Application.still_interested, _reply_to_write(ItemKind.SAY_STILL_INTERESTED)),
)
# Most rejections are old and done: each step tests first what most often
# shows it done (SQLite evaluates the terms in this order and stops early).
REJECTIONS: Select[tuple[int]] = select(Application.id).where(
    Application.status == ApplicationStatus.REJECTED,
    or_(
        _REPLY_TO_WRITE,
        and_(
            ~_CONNECTED,
            _exists(_PEOPLE),
            ~_settled(_key(ItemKind.CONNECT_LINKEDIN, a=Application.id)),
        ),
        and_(~_settled(_key(ItemKind.SCHEDULE_STAY_IN_TOUCH, a=Application.id)), _WITHOUT_CADENCE),
    ),
)

# Contacts with a cadence: each has exactly one current check-in cycle.
CHECK_INS: Select[tuple[int]] = select(Contact.id).where(Contact.cadence_days.is_not(None))
