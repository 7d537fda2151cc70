"""Loading the facts the rules read, for a given set of subjects, as plain values.

A :class:`FactRequest` says what the rules about to run need (which
interviews, which applications whole, whose touchpoints); :func:`load_facts`
reads exactly that with a few Core selects and returns :class:`Facts`.
Rows are read as the text SQLite stores and converted only where used:
converting every value through its column type costs more than the query.

The statements are built once: SQLAlchemy then reuses their compiled form.
Lists of ids travel as one JSON parameter each (read with ``json_each``),
whatever their length.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Select, String, bindparam, func, or_, select, type_coerce, union

from afterword.core.checklist.facts import (
    ApplicationFacts,
    ContactFacts,
    InterviewFacts,
    ParticipantFacts,
    TouchpointFacts,
)
from afterword.core.storage.models import (
    Application,
    Contact,
    Interview,
    Participant,
    Touchpoint,
    word_set,
)
from afterword.core.storage.values import (
    ApplicationStatus,
    InterviewOutcome,
    Purpose,
    TouchpointKind,
)


def listed(name: str) -> Select[tuple[Any]]:
    """A subquery over the values of the JSON list bound to ``name``."""
    return select(func.json_each(bindparam(name, type_=String)).table_valued("value").c.value)


def as_json(values: Iterable[int | str]) -> str:
    return json.dumps(sorted(set(values)))


def stored_text(column: Any) -> Any:
    """A column read as the text SQLite stores, without SQLAlchemy's conversion."""
    return type_coerce(column, String)


def utc(stored: str) -> datetime:
    """A moment as stored (naive UTC text), time-zone aware as the models return it."""
    # Parsing the offset is several times quicker than .replace(tzinfo=UTC).
    return datetime.fromisoformat(stored + "+00:00")


_TOUCHPOINT_COLUMNS = (
    Touchpoint.contact_id,
    Touchpoint.application_id,
    Touchpoint.interview_id,
    stored_text(Touchpoint.kind),
    stored_text(Touchpoint.purpose),
    stored_text(Touchpoint.occurred_at),
    stored_text(Touchpoint.requests),
)
_APPLICATIONS_OF = select(Interview.id, Interview.application_id).where(
    Interview.id.in_(listed("some"))
)
# Interviews loaded: all of the "whole" applications', and the "some" listed.
_LOADED_INTERVIEW = or_(
    Interview.application_id.in_(listed("whole")), Interview.id.in_(listed("some"))
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
        stored_text(Interview.starts_at),
        Interview.timezone,
        Interview.duration_minutes,
        Interview.round_name,
        stored_text(Interview.outcome),
    )
    .where(_LOADED_INTERVIEW)
    .order_by(Interview.starts_at, Interview.id)
)
_APPLICATIONS = (
    select(
        Application.id,
        Application.company,
        Application.role,
        stored_text(Application.status),
        stored_text(Application.created_at),
        stored_text(Application.updated_at),
        stored_text(Application.decision_expected),
        Application.next_steps,
        Application.still_interested,
        stored_text(Application.decided_at),
    )
    .where(Application.id.in_(listed("applications")))
    .order_by(Application.id)
)
# What the rules read, by the application each touchpoint is about: thank-yous
# for the "some" interviews; follow-ups, rejection replies (with what each
# asked for) and their replies linked to an "answers" application or to any
# of its interviews.
_ANSWERS = or_(
    Touchpoint.purpose.in_((Purpose.STATUS_FOLLOW_UP, Purpose.REJECTION_REPLY)),
    Touchpoint.kind == TouchpointKind.REPLIED,
)
_ABOUT = union(
    select(*_TOUCHPOINT_COLUMNS, Touchpoint.id, Interview.application_id)
    .join(Interview, Interview.id == Touchpoint.interview_id)
    .where(Interview.id.in_(listed("some")), Touchpoint.purpose == Purpose.THANK_YOU),
    select(*_TOUCHPOINT_COLUMNS, Touchpoint.id, Touchpoint.application_id).where(
        Touchpoint.application_id.in_(listed("answers")), _ANSWERS
    ),
    select(*_TOUCHPOINT_COLUMNS, Touchpoint.id, Interview.application_id)
    .join(Interview, Interview.id == Touchpoint.interview_id)
    .where(Interview.application_id.in_(listed("answers")), _ANSWERS),
)
_LINKEDIN = select(*_TOUCHPOINT_COLUMNS).where(
    Touchpoint.kind == TouchpointKind.LINKEDIN, Touchpoint.contact_id.in_(listed("people"))
)
_LAST_TOUCHPOINT = (
    select(func.max(Touchpoint.occurred_at))
    .where(Touchpoint.contact_id == Contact.id)
    .scalar_subquery()
)
_CONTACTS = select(
    Contact.id,
    Contact.name,
    Contact.cadence_days,
    stored_text(Contact.created_at),
    stored_text(_LAST_TOUCHPOINT),
).where(Contact.id.in_(listed("contacts")))
_INTERVIEWS_OF = select(Interview.id).where(Interview.application_id.in_(listed("applications")))


@dataclass
class FactRequest:
    """What the rules about to run read: each rule adds its subjects' needs."""

    interviews: set[int] = field(default_factory=set)  # with their application (not whole)
    applications: set[int] = field(default_factory=set)  # without interviews
    whole: set[int] = field(default_factory=set)  # applications with every interview
    answers: set[int] = field(default_factory=set)  # applications whose follow-ups/replies
    contacts: set[int] = field(default_factory=set)  # with their last touchpoint


@dataclass(frozen=True)
class Facts:
    applications: dict[int, ApplicationFacts]  # by id, with the interviews loaded
    interviews: dict[int, tuple[int, InterviewFacts]]  # id -> (application id, facts)
    about: dict[int, list[TouchpointFacts]]  # application id -> touchpoints about it
    linkedin: dict[int, list[TouchpointFacts]]  # contact id -> LinkedIn touchpoints
    contacts: dict[int, ContactFacts]  # the people met in whole applications, and those asked

    def touchpoints_for(self, app: ApplicationFacts) -> list[TouchpointFacts]:
        """What the rejection rule reads: about the application, and its people on LinkedIn."""
        people = {p.contact_id for i in app.interviews for p in i.participants}
        linked = [t for person in people for t in self.linkedin.get(person, ())]
        return self.about.get(app.id, []) + linked


def _touchpoint_facts(row: Sequence[Any]) -> TouchpointFacts:
    contact_id, application_id, interview_id, kind, purpose, occurred_at, requests = row[:7]
    return TouchpointFacts(
        contact_id=contact_id,
        application_id=application_id,
        interview_id=interview_id,
        kind=TouchpointKind(kind),
        purpose=Purpose(purpose),
        occurred_at=utc(occurred_at),
        requests=word_set(requests),
    )


def _contact_facts(row: Sequence[Any]) -> ContactFacts:
    contact_id, name, cadence, created_at, last = row[:5]
    return ContactFacts(
        id=contact_id,
        name=name,
        cadence_days=cadence,
        created_at=utc(created_at),
        last_touchpoint_at=None if last is None else utc(last),
    )


def load_facts(connection: Connection, request: FactRequest) -> Facts:
    """The facts ``request`` asks for, read in the caller's transaction."""
    some = as_json(request.interviews)
    app_of = dict(connection.execute(_APPLICATIONS_OF, {"some": some}).all())
    app_ids = set(app_of.values()) | request.applications | request.whole | request.answers
    applications, interviews = _applications(
        connection, app_ids, {"whole": as_json(request.whole), "some": some}
    )

    about: dict[int, list[TouchpointFacts]] = defaultdict(list)
    if app_ids:
        answers = as_json(request.answers | request.whole)
        for row in connection.execute(_ABOUT, {"some": some, "answers": answers}).all():
            about[row[-1]].append(_touchpoint_facts(row))

    people = {
        p.contact_id
        for app_id in request.whole
        if (app := applications.get(app_id)) is not None
        for interview in app.interviews
        for p in interview.participants
    }
    linkedin: dict[int, list[TouchpointFacts]] = defaultdict(list)
    if people:
        for row in connection.execute(_LINKEDIN, {"people": as_json(people)}).all():
            linkedin[row[0]].append(_touchpoint_facts(row))
    return Facts(
        applications,
        interviews,
        about,
        linkedin,
        load_contacts(connection, people | request.contacts),
    )


def _applications(
    connection: Connection, app_ids: set[int], loaded: dict[str, str]
) -> tuple[dict[int, ApplicationFacts], dict[int, tuple[int, InterviewFacts]]]:
    if not app_ids:
        return {}, {}
    participants: dict[int, list[ParticipantFacts]] = defaultdict(list)
    people: dict[int, ParticipantFacts] = {}  # one value per person, whatever their interviews
    for interview_id, contact_id, name, email in connection.execute(_PARTICIPANTS, loaded).all():
        person = people.get(contact_id)
        if person is None:
            person = people[contact_id] = ParticipantFacts(
                contact_id=contact_id, name=name, email=email
            )
        participants[interview_id].append(person)

    by_application: dict[int, list[InterviewFacts]] = defaultdict(list)
    interviews: dict[int, tuple[int, InterviewFacts]] = {}
    for interview_id, app_id, starts_at, zone, minutes, round_name, outcome in connection.execute(
        _INTERVIEWS, loaded
    ).all():
        facts = InterviewFacts(
            id=interview_id,
            starts_at=utc(starts_at),
            timezone=zone,
            duration_minutes=minutes,
            round_name=round_name,
            outcome=None if outcome is None else InterviewOutcome(outcome),
            participants=tuple(participants[interview_id]),
        )
        by_application[app_id].append(facts)
        interviews[interview_id] = (app_id, facts)

    applications = {
        app_id: ApplicationFacts(
            id=app_id,
            company=company,
            role=role,
            status=ApplicationStatus(status),
            created_at=utc(created_at),
            updated_at=utc(updated_at),
            decision_expected=None if decision is None else date.fromisoformat(decision),
            next_steps=next_steps,
            still_interested=still_interested,
            decided_at=None if decided_at is None else utc(decided_at),
            interviews=tuple(by_application[app_id]),
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
        ) in connection.execute(_APPLICATIONS, {"applications": as_json(app_ids)}).all()
    }
    return applications, interviews


def load_contacts(connection: Connection, contact_ids: Iterable[int]) -> dict[int, ContactFacts]:
    """These contacts, each with the moment of their last touchpoint."""
    wanted = as_json(contact_ids)
    if wanted == "[]":
        return {}
    rows = connection.execute(_CONTACTS, {"contacts": wanted}).all()
    return {row[0]: _contact_facts(row) for row in rows}


def everything_about(connection: Connection, application_ids: Iterable[int]) -> FactRequest:
    """A request for every rule about these applications (the one-application views)."""
    ids = set(application_ids)
    interviews = connection.scalars(_INTERVIEWS_OF, {"applications": as_json(ids)}).all()
    return FactRequest(interviews=set(interviews), whole=ids, answers=ids)
