"""Small builders for the checklist tests: plain facts for the rules, real rows for the service."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from afterword.core.checklist.facts import (
    ApplicationFacts,
    ContactFacts,
    InterviewFacts,
    ManualMark,
    ParticipantFacts,
    RuleSettings,
    TouchpointFacts,
)
from afterword.core.checklist.items import ChecklistItem, ItemKind
from afterword.core.checklist.rules import application_items
from afterword.core.checklist.stay_in_touch import contact_items
from afterword.core.storage.db import Database
from afterword.core.storage.models import Application, Contact, Interview, Participant, Touchpoint
from afterword.core.storage.values import (
    ApplicationStatus,
    ChecklistMark,
    InterviewOutcome,
    Purpose,
    TouchpointKind,
)

BERLIN = ZoneInfo("Europe/Berlin")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
KOLKATA = ZoneInfo("Asia/Kolkata")
AUCKLAND = ZoneInfo("Pacific/Auckland")

JANE = ParticipantFacts(contact_id=5, name="Jane Doe", email="jane@acme.example")
OMAR = ParticipantFacts(contact_id=6, name="Omar Haddad", email="omar@acme.example")
LONG_AGO = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
DEFAULT_SETTINGS = RuleSettings()


def at(zone: ZoneInfo, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A wall-clock time in ``zone`` (an aware datetime)."""
    return datetime(year, month, day, hour, minute, tzinfo=zone)


def interview(
    starts_at: datetime,
    *,
    interview_id: int = 12,
    minutes: int = 60,
    zone: str = "Europe/Berlin",
    participants: Iterable[ParticipantFacts] = (JANE,),
    round_name: str = "2nd round",
    outcome: InterviewOutcome | None = None,
) -> InterviewFacts:
    return InterviewFacts(
        id=interview_id,
        starts_at=starts_at,
        timezone=zone,
        duration_minutes=minutes,
        round_name=round_name,
        outcome=outcome,
        participants=tuple(participants),
    )


def application(
    *interviews: InterviewFacts,
    status: ApplicationStatus = ApplicationStatus.INTERVIEWING,
    decision_expected: date | None = None,
    next_steps: str = "",
    still_interested: bool = True,
    decided_at: datetime | None = None,
    updated_at: datetime = LONG_AGO,
) -> ApplicationFacts:
    return ApplicationFacts(
        id=7,
        company="Acme",
        role="Senior Developer",
        status=status,
        created_at=LONG_AGO,
        updated_at=updated_at,
        decision_expected=decision_expected,
        next_steps=next_steps,
        still_interested=still_interested,
        decided_at=decided_at,
        interviews=interviews,
    )


def touch(
    contact_id: int,
    occurred_at: datetime,
    purpose: Purpose,
    *,
    kind: TouchpointKind = TouchpointKind.EMAIL,
    application_id: int | None = 7,
    interview_id: int | None = None,
    requests: frozenset[str] | None = None,
) -> TouchpointFacts:
    return TouchpointFacts(
        contact_id=contact_id,
        application_id=application_id,
        interview_id=interview_id,
        kind=kind,
        purpose=purpose,
        occurred_at=occurred_at,
        requests=requests,
    )


def contact(
    *,
    cadence_days: int | None = 90,
    last_touchpoint_at: datetime | None = None,
    created_at: datetime = LONG_AGO,
    contact_id: int = 5,
    name: str = "Jane Doe",
) -> ContactFacts:
    return ContactFacts(
        id=contact_id,
        name=name,
        cadence_days=cadence_days,
        created_at=created_at,
        last_touchpoint_at=last_touchpoint_at,
    )


def mark(key: str, kind: ChecklistMark, on: datetime, until: datetime | None = None) -> ManualMark:
    return ManualMark(key=key, mark=kind, at=on, snoozed_until=until)


def items_of(
    app: ApplicationFacts,
    now: datetime,
    *,
    touchpoints: Iterable[TouchpointFacts] = (),
    contacts: Iterable[ContactFacts] = (),
    marks: Iterable[ManualMark] = (),
    settings: RuleSettings = DEFAULT_SETTINGS,
) -> dict[str, ChecklistItem]:
    """The application's items by key."""
    items = application_items(
        app,
        touchpoints,
        {c.id: c for c in contacts},
        {m.key: m for m in marks},
        now,
        settings,
    )
    by_key = {item.key: item for item in items}
    assert len(by_key) == len(items), "keys must be unique"
    return by_key


def check_ins(
    person: ContactFacts, now: datetime, *, marks: Iterable[ManualMark] = ()
) -> list[ChecklistItem]:
    return contact_items(person, {m.key: m for m in marks}, now, DEFAULT_SETTINGS)


def of_kind(items: dict[str, ChecklistItem], kind: ItemKind) -> list[ChecklistItem]:
    return [item for item in items.values() if item.kind == kind]


# --- real rows, for the service tests ---------------------------------------------------------


def add_application(db: Database, **fields: object) -> int:
    values: dict[str, object] = {
        "company": "Acme",
        "role": "Senior Developer",
        "status": ApplicationStatus.INTERVIEWING,
        "created_at": LONG_AGO,
        "updated_at": LONG_AGO,
    }
    values.update(fields)
    with db.session() as session:
        row = Application(**values)
        session.add(row)
        session.flush()
        return row.id


def add_contact(db: Database, name: str, **fields: object) -> int:
    values: dict[str, object] = {
        "name": name,
        "email": f"{name.split()[0].lower()}@acme.example",
        "created_at": LONG_AGO,
    }
    values.update(fields)
    with db.session() as session:
        row = Contact(**values)
        session.add(row)
        session.flush()
        return row.id


def add_interview(
    db: Database,
    application_id: int,
    starts_at: datetime,
    *participant_ids: int,
    minutes: int = 60,
    zone: str = "Europe/Berlin",
    round_name: str = "2nd round",
) -> int:
    with db.session() as session:
        row = Interview(
            application_id=application_id,
            starts_at=starts_at,
            timezone=zone,
            duration_minutes=minutes,
            round_name=round_name,
        )
        session.add(row)
        session.flush()
        for contact_id in participant_ids:
            session.add(Participant(interview_id=row.id, contact_id=contact_id))
        return row.id


def add_touchpoint(
    db: Database,
    contact_id: int,
    occurred_at: datetime,
    purpose: Purpose,
    *,
    kind: TouchpointKind = TouchpointKind.EMAIL,
    application_id: int | None = None,
    interview_id: int | None = None,
    requests: frozenset[str] | None = None,
) -> None:
    with db.session() as session:
        session.add(
            Touchpoint(
                contact_id=contact_id,
                occurred_at=occurred_at,
                purpose=purpose,
                kind=kind,
                application_id=application_id,
                interview_id=interview_id,
                requests=requests,
            )
        )
