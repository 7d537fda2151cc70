"""A realistic sample for ``afterword --demo``: a newcomer sees the app working.

:func:`fill_demo` puts a dozen applications at different stages into an
*empty* database (interviews past and future, interviewers as contacts with
stay-in-touch cadences, some thank-yous and follow-ups already logged), all
relative to ``now`` so that Today always has something overdue, due and
coming up. It refuses a database that already holds anyone's data.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from afterword.core.applications import create_application, record_outcome
from afterword.core.contacts import create_contact
from afterword.core.errors import AfterwordError
from afterword.core.interviews import save_interview
from afterword.core.overview import has_records
from afterword.core.storage.db import Database
from afterword.core.storage.records import (
    ApplicationFields,
    ContactFields,
    InterviewFields,
    ParticipantFields,
    ParticipantRecord,
    TouchpointFields,
)
from afterword.core.storage.values import (
    ApplicationStatus,
    InterviewFormat,
    InterviewOutcome,
    Purpose,
    TouchpointKind,
)
from afterword.core.touchpoints import log_touchpoint

logger = logging.getLogger(__name__)


class FolderNotEmptyError(AfterwordError):
    """The demo would mix with someone's real data, so it was not added."""


@dataclass(frozen=True)
class _Person:
    name: str
    title: str
    notes: str
    cadence_days: int | None = None


@dataclass(frozen=True)
class _Round:
    days_from_now: int  # negative: in the past
    hour: int
    name: str
    format: InterviewFormat
    location: str
    people: tuple[_Person, ...]
    outcome: InterviewOutcome | None = None
    thanked: tuple[str, ...] = ()  # names of the people already thanked


@dataclass(frozen=True)
class _Sample:
    company: str
    domain: str
    role: str
    why: str
    status: ApplicationStatus
    applied_days_ago: int
    rounds: tuple[_Round, ...] = ()
    next_steps: str = ""
    decision_in_days: int | None = None  # negative: the date has passed
    still_interested: bool = True
    rejection_replied: bool = False


_VIDEO, _PHONE, _ONSITE = InterviewFormat.VIDEO, InterviewFormat.PHONE, InterviewFormat.ONSITE

SAMPLES: tuple[_Sample, ...] = (
    _Sample(
        company="Northwind Analytics",
        domain="northwind-analytics.example",
        role="Data Engineer",
        why="They build the open data pipelines I have used for years, and the team ships weekly.",
        status=ApplicationStatus.INTERVIEWING,
        applied_days_ago=16,
        rounds=(
            _Round(
                -1,
                14,
                "Technical interview",
                _VIDEO,
                "https://meet.example.com/northwind-de",
                (
                    _Person("Priya Raman", "Head of Data", "Asked about streaming vs batch."),
                    _Person("Tomás Ortega", "Senior Data Engineer", "We both like DuckDB."),
                ),
            ),
        ),
    ),
    _Sample(
        company="Blue Harbor Health",
        domain="blueharbor.example",
        role="Product Manager, Patient Apps",
        why="Their appointment app helped my parents; I want to make it calmer to use.",
        status=ApplicationStatus.INTERVIEWING,
        applied_days_ago=9,
        rounds=(
            _Round(
                2,
                10,
                "First conversation",
                _PHONE,
                "They will call my mobile",
                (
                    _Person(
                        "Grace Okafor", "Director of Product", "Recruiter said she ran clinics."
                    ),
                ),
            ),
        ),
    ),
    _Sample(
        company="Lumen Robotics",
        domain="lumen-robotics.example",
        role="Embedded Software Engineer",
        why="Warehouse robots that work next to people safely: exactly my thesis topic.",
        status=ApplicationStatus.INTERVIEWING,
        applied_days_ago=30,
        next_steps="Panel debrief, then an offer call if it is a yes.",
        decision_in_days=-4,
        rounds=(
            _Round(
                -8,
                11,
                "On-site loop",
                _ONSITE,
                "Lumen Robotics, 4 Foundry Lane",
                (
                    _Person("Jonas Weber", "Engineering Manager", "Talked about motor control."),
                    _Person("Aiko Tanaka", "Staff Engineer", "Safety certification stories."),
                ),
                thanked=("Jonas Weber", "Aiko Tanaka"),
            ),
        ),
    ),
    _Sample(
        company="Fernwood Books",
        domain="fernwood.example",
        role="UX Writer",
        why="A publisher that cares about plain language.",
        status=ApplicationStatus.INTERVIEWING,
        applied_days_ago=25,
        rounds=(
            _Round(
                -6,
                15,
                "Portfolio review",
                _VIDEO,
                "https://meet.example.com/fernwood",
                (
                    _Person(
                        "Hannah Lindqvist",
                        "Content Design Lead",
                        "Liked my error-message rewrite.",
                        cadence_days=90,
                    ),
                ),
                outcome=InterviewOutcome.REJECTED,
                thanked=("Hannah Lindqvist",),
            ),
        ),
    ),
    _Sample(
        company="Kestrel Payments",
        domain="kestrel.example",
        role="Backend Engineer",
        why="Small team, serious about reliability, and they publish their postmortems.",
        status=ApplicationStatus.INTERVIEWING,
        applied_days_ago=40,
        next_steps="Offer letter by email.",
        rounds=(
            _Round(
                -21,
                9,
                "Screening call",
                _PHONE,
                "",
                (_Person("Marcus Bell", "Recruiter", "Very friendly; salary band shared."),),
                outcome=InterviewOutcome.ADVANCED,
                thanked=("Marcus Bell",),
            ),
            _Round(
                -12,
                13,
                "System design",
                _VIDEO,
                "https://meet.example.com/kestrel",
                (
                    _Person(
                        "Elena Petrova",
                        "Principal Engineer",
                        "Idempotency keys discussion.",
                        cadence_days=180,
                    ),
                ),
                outcome=InterviewOutcome.OFFER,
                thanked=("Elena Petrova",),
            ),
        ),
    ),
    _Sample(
        company="Orchard Labs",
        domain="orchardlabs.example",
        role="Frontend Developer",
        why="Accessible design system used by many public services.",
        status=ApplicationStatus.APPLIED,
        applied_days_ago=3,
    ),
    _Sample(
        company="Tidewater Energy",
        domain="tidewater.example",
        role="Data Analyst",
        why="Grid forecasting, and an office I can cycle to.",
        status=ApplicationStatus.APPLIED,
        applied_days_ago=11,
    ),
    _Sample(
        company="Greyfield Studios",
        domain="greyfield.example",
        role="Technical Artist",
        why="I loved their last game's lighting.",
        status=ApplicationStatus.WITHDRAWN,
        applied_days_ago=35,
    ),
    _Sample(
        company="Maple & Pine Software",
        domain="mapleandpine.example",
        role="Engineering Manager",
        why="They grow managers from within and it shows in their reviews.",
        status=ApplicationStatus.INTERVIEWING,
        applied_days_ago=14,
        rounds=(
            _Round(
                0,
                16,
                "Meet the team",
                _VIDEO,
                "https://meet.example.com/maple-pine",
                (
                    _Person("Sofia Marino", "VP Engineering", "Hiring for a new platform team."),
                    _Person("Daniel Kim", "Tech Lead", ""),
                ),
            ),
        ),
    ),
    _Sample(
        company="Quarry Logistics",
        domain="quarry.example",
        role="Operations Analyst",
        why="Route planning problems I find genuinely fun.",
        status=ApplicationStatus.INTERVIEWING,
        applied_days_ago=18,
        next_steps="Second round with the COO if the team agrees.",
        decision_in_days=5,
        rounds=(
            _Round(
                -2,
                10,
                "Case interview",
                _ONSITE,
                "Quarry HQ, 2nd floor",
                (
                    _Person("Olivia Brown", "Operations Director", "Case on depot placement."),
                    _Person("Ravi Shah", "Senior Analyst", "Asked about SQL window functions."),
                ),
                thanked=("Olivia Brown",),
            ),
        ),
    ),
    _Sample(
        company="Helios Climate",
        domain="helios.example",
        role="Python Developer",
        why="Carbon accounting tools that companies actually use.",
        status=ApplicationStatus.INTERVIEWING,
        applied_days_ago=60,
        rejection_replied=True,
        rounds=(
            _Round(
                -45,
                10,
                "Technical interview",
                _VIDEO,
                "https://meet.example.com/helios",
                (
                    _Person(
                        "Noah Fischer",
                        "Engineering Lead",
                        "Open to referring me for the data team.",
                        cadence_days=30,
                    ),
                ),
                outcome=InterviewOutcome.REJECTED,
                thanked=("Noah Fischer",),
            ),
        ),
    ),
    _Sample(
        company="Saffron Foods",
        domain="saffronfoods.example",
        role="Site Reliability Engineer",
        why="On-call with sane rotations and a real budget for reliability.",
        status=ApplicationStatus.APPLIED,
        applied_days_ago=1,
    ),
)


def _zone_name(now: datetime) -> str:
    return getattr(now.tzinfo, "key", None) or "UTC"


def _at(day: date, hour: int, now: datetime) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=now.tzinfo)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _email(person: _Person, domain: str) -> str:
    first, *rest = _ascii(person.name).split()
    return f"{first}.{rest[-1]}@{domain}" if rest else f"{first}@{domain}"


def _linkedin(person: _Person) -> str:
    return "https://www.linkedin.com/in/" + _ascii(person.name).replace(" ", "-")


def fill_demo(db: Database, now: datetime) -> None:
    """Add the sample to an empty database; raises :class:`FolderNotEmptyError` otherwise."""
    if now.tzinfo is None:
        raise ValueError("now must be time-zone aware")
    if has_records(db):
        raise FolderNotEmptyError(
            "This data folder already has applications or contacts; the demo was not added. "
            "Use an empty folder, for example: afterword --demo --data-dir /tmp/afterword-demo"
        )
    today = now.date()
    for sample in SAMPLES:
        _add(db, sample, today, now)
    _add_network(db, now)
    logger.info("Added the demo data (%d applications)", len(SAMPLES))


def _add(db: Database, sample: _Sample, today: date, now: datetime) -> None:
    applied = now - timedelta(days=sample.applied_days_ago)
    decision = (
        today + timedelta(days=sample.decision_in_days)
        if sample.decision_in_days is not None
        else None
    )
    application = create_application(
        db,
        ApplicationFields(
            company=sample.company,
            role=sample.role,
            posting_url=f"https://{sample.domain}/jobs",
            status=sample.status,
            why_interested=sample.why,
            next_steps=sample.next_steps,
            decision_expected=decision,
            still_interested=sample.still_interested,
        ),
        now=applied,
    )
    for spec in sample.rounds:
        starts = _at(today + timedelta(days=spec.days_from_now), spec.hour, now)
        people = [
            ParticipantFields(
                new_contact=ContactFields(
                    name=person.name,
                    email=_email(person, sample.domain),
                    title=person.title,
                    company=sample.company,
                    linkedin_url=_linkedin(person),
                    cadence_days=person.cadence_days,
                ),
                notes=person.notes,
            )
            for person in spec.people
        ]
        interview = save_interview(
            db,
            InterviewFields(
                application_id=application.id,
                starts_at=starts,
                timezone=_zone_name(now),
                duration_minutes=45 if spec.format == _PHONE else 60,
                round_name=spec.name,
                format=spec.format,
                location=spec.location,
            ),
            people,
            now=min(now, starts),
        )
        for participant in interview.participants:
            if participant.contact_name in spec.thanked:
                log_touchpoint(
                    db,
                    TouchpointFields(
                        contact_id=participant.contact_id,
                        kind=TouchpointKind.EMAIL,
                        occurred_at=starts + timedelta(hours=3),
                        purpose=Purpose.THANK_YOU,
                        note="Thank-you email",
                        application_id=application.id,
                        interview_id=interview.id,
                    ),
                    now=now,
                )
        if spec.outcome is not None:
            decided = starts + timedelta(days=3)
            record_outcome(db, interview.id, spec.outcome, now=min(decided, now))
            if spec.outcome == InterviewOutcome.REJECTED and sample.rejection_replied:
                _reply_to_rejection(db, application.id, interview.participants, decided, now)


def _reply_to_rejection(
    db: Database,
    application_id: int,
    people: tuple[ParticipantRecord, ...],
    decided: datetime,
    now: datetime,
) -> None:
    """The rejection checklist, done: a reply asking for feedback and a LinkedIn connection."""
    for participant in people:
        for kind, purpose, days, note in (
            (TouchpointKind.EMAIL, Purpose.REJECTION_REPLY, 1, "Asked for feedback"),
            (TouchpointKind.LINKEDIN, Purpose.OTHER, 2, "Connected on LinkedIn"),
        ):
            log_touchpoint(
                db,
                TouchpointFields(
                    contact_id=participant.contact_id,
                    kind=kind,
                    occurred_at=min(decided + timedelta(days=days), now),
                    purpose=purpose,
                    note=note,
                    application_id=application_id,
                ),
                now=now,
            )


def _add_network(db: Database, now: datetime) -> None:
    """Contacts met outside any application, with stay-in-touch cadences."""
    for name, title, company, cadence, last_days_ago in (
        ("Amara Nwosu", "Former manager", "Brightline Consulting", 90, 95),
        ("Leo Martins", "Meetup organiser", "PyData Lisbon", 30, 12),
    ):
        contact = create_contact(
            db,
            ContactFields(name=name, title=title, company=company, cadence_days=cadence),
            now=now - timedelta(days=200),
        )
        log_touchpoint(
            db,
            TouchpointFields(
                contact_id=contact.id,
                kind=TouchpointKind.CALL if cadence == 90 else TouchpointKind.LINKEDIN,
                occurred_at=now - timedelta(days=last_days_ago),
                purpose=Purpose.CHECK_IN,
                note="Caught up about the job search",
            ),
            now=now,
        )
