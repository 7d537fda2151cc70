"""Interviews and the people in them, saved together the way the form edits them."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import fields, replace
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from afterword.core.applications import (
    get_application,
    record_outcome,
    update_application,
    validate_application,
)
from afterword.core.contacts import add_contact, validate_contact
from afterword.core.errors import NotFoundError, ValidationError
from afterword.core.settings import load_stay_in_touch_days
from afterword.core.storage.db import Database
from afterword.core.storage.models import Application, Contact, Interview, Participant
from afterword.core.storage.records import (
    ApplicationFields,
    ContactFields,
    InterviewFields,
    InterviewRecord,
    ParticipantFields,
    ParticipantRecord,
    editable,
)
from afterword.core.storage.validation import (
    URL_LIMIT,
    aware_datetime,
    check_version,
    clock,
    long_text,
    one_of,
    optional_record_id,
    positive_int,
    record_id,
    single_line,
    time_zone,
    web_url,
)
from afterword.core.storage.values import (
    ApplicationStatus,
    InterviewFormat,
    InterviewOutcome,
    ParticipantRole,
)

logger = logging.getLogger(__name__)

MAX_DURATION_MINUTES = 24 * 60
MAX_PARTICIPANTS = 50


def duration_between(starts_at: datetime, ends_at: datetime) -> int:
    """Minutes from start to end; refuses an end that is not after the start."""
    # Both aware, then both UTC: between two times in the same zone Python does
    # wall-clock arithmetic, which is an hour off across a daylight-saving change.
    starts_at = aware_datetime("starts_at", starts_at).astimezone(UTC)
    ends_at = aware_datetime("ends_at", ends_at).astimezone(UTC)
    if ends_at <= starts_at:
        raise ValidationError("ends_at", "The interview must end after it starts.")
    minutes = round((ends_at - starts_at).total_seconds() / 60)
    return positive_int("ends_at", minutes, maximum=MAX_DURATION_MINUTES)


def validate_interview(values: InterviewFields) -> InterviewFields:
    outcome = values.outcome
    if outcome is not None:
        outcome = one_of("outcome", InterviewOutcome, outcome)
    return InterviewFields(
        application_id=record_id("application_id", values.application_id),
        starts_at=aware_datetime("starts_at", values.starts_at),
        timezone=time_zone("timezone", values.timezone),
        duration_minutes=positive_int(
            "duration_minutes", values.duration_minutes, maximum=MAX_DURATION_MINUTES
        ),
        round_name=single_line("round_name", values.round_name),
        format=one_of("format", InterviewFormat, values.format),
        location=single_line("location", values.location, limit=URL_LIMIT),
        notes=long_text("notes", values.notes),
        outcome=outcome,
    )


def validate_participants(people: Sequence[ParticipantFields]) -> list[ParticipantFields]:
    if len(people) > MAX_PARTICIPANTS:
        raise ValidationError("participants", f"At most {MAX_PARTICIPANTS} people per interview.")
    clean: list[ParticipantFields] = []
    seen: set[int] = set()
    if sum(1 for person in people if person.delivered_outcome) > 1:
        raise ValidationError("outcome_from", "Only one person told you the outcome: pick one.")
    for index, person in enumerate(people):
        prefix = f"participants[{index}]."
        if (person.contact_id is None) == (person.new_contact is None):
            raise ValidationError(f"{prefix}contact", "Pick a contact or enter a new one.")
        optional_record_id(f"{prefix}contact", person.contact_id)
        if person.new_contact is not None and not isinstance(person.new_contact, ContactFields):
            raise ValidationError(f"{prefix}contact", "Pick a contact or enter a new one.")
        if person.contact_id is not None:
            if person.contact_id in seen:
                raise ValidationError(f"{prefix}contact", "This person is already listed.")
            seen.add(person.contact_id)
        new_contact = (
            validate_contact(person.new_contact, prefix=prefix) if person.new_contact else None
        )
        clean.append(
            ParticipantFields(
                contact_id=person.contact_id,
                new_contact=new_contact,
                notes=long_text(f"{prefix}notes", person.notes),
                role=(
                    one_of(f"{prefix}role", ParticipantRole, person.role)
                    if person.role is not None
                    else None
                ),
                delivered_outcome=person.delivered_outcome,
                linkedin_url=(
                    web_url(f"{prefix}linkedin_url", person.linkedin_url)
                    if person.contact_id is not None and person.linkedin_url is not None
                    else None
                ),
            )
        )
    return clean


def _participant_record(row: Participant) -> ParticipantRecord:
    return ParticipantRecord(
        id=row.id,
        interview_id=row.interview_id,
        contact_id=row.contact_id,
        contact_name=row.contact.name,
        contact_email=row.contact.email,
        contact_title=row.contact.title,
        notes=row.notes,
        role=row.role,
        delivered_outcome=row.delivered_outcome,
        contact_linkedin=row.contact.linkedin_url,
    )


def to_record(row: Interview) -> InterviewRecord:
    return InterviewRecord(
        id=row.id,
        company=row.application.company,
        role=row.application.role,
        version=row.version,
        participants=tuple(
            _participant_record(p) for p in sorted(row.participants, key=lambda p: p.id)
        ),
        cancelled=row.cancelled,
        video_link=row.video_link,
        **{f.name: getattr(row, f.name) for f in fields(InterviewFields)},
    )


def save_interview(
    db: Database,
    values: InterviewFields,
    participants: Sequence[ParticipantFields],
    *,
    now: datetime,
    interview_id: int | None = None,
    expected_version: int | None = None,
) -> InterviewRecord:
    """Create (``interview_id`` None) or update an interview and its people at once.

    ``participants`` is the complete list: people missing from it leave the
    interview (they stay contacts); new contacts typed inline are created.
    Everything is written in one transaction, or nothing is. An update made
    from a form that read an older ``expected_version`` of the interview is
    refused with :class:`EditConflictError`.
    """
    optional_record_id("interview_id", interview_id)
    clean = validate_interview(values)
    people = validate_participants(participants)
    clock(now)
    with db.session() as session:
        row = write_interview(
            session,
            clean,
            people,
            now=now,
            interview_id=interview_id,
            expected_version=expected_version,
        )
        logger.info("Saved interview %s with %d people", row.id, len(people))
        return to_record(row)


def write_interview(
    session: Session,
    clean: InterviewFields,
    people: list[ParticipantFields],
    *,
    now: datetime,
    interview_id: int | None = None,
    expected_version: int | None = None,
) -> Interview:
    """:func:`save_interview`'s writes, inside the caller's session, on validated values.

    For callers that write more in the same transaction (an imported invite
    also creates its application and records the invite's UID).
    """
    application = session.get(Application, clean.application_id)
    if application is None:
        raise NotFoundError("Application", clean.application_id)
    if interview_id is None:
        row = Interview(**{f.name: getattr(clean, f.name) for f in fields(InterviewFields)})
        session.add(row)
    else:
        row = _get(session, interview_id)
        check_version("interview", interview_id, row.version, expected_version)
        for field in fields(InterviewFields):
            setattr(row, field.name, getattr(clean, field.name))
    session.flush()
    _replace_participants(session, row, people, now=now)
    if application.status == ApplicationStatus.APPLIED:
        application.status = ApplicationStatus.INTERVIEWING
    application.updated_at = now
    session.flush()
    session.refresh(row)
    return row


def _replace_participants(
    session: Session, interview: Interview, people: list[ParticipantFields], *, now: datetime
) -> None:
    existing = {p.contact_id: p for p in interview.participants}
    wanted: dict[int, ParticipantFields] = {}
    company = interview.application.company
    for person in people:
        if person.new_contact is not None:
            # The network builds itself: someone met here works at this company, and
            # gets the usual stay-in-touch cadence unless the form said otherwise.
            met = person.new_contact
            met = replace(
                met,
                company=met.company or company,
                cadence_days=(
                    met.cadence_days
                    if met.cadence_days is not None
                    else load_stay_in_touch_days(session)
                ),
            )
            contact_id = add_contact(session, met, now=now).id
        else:
            assert person.contact_id is not None  # validate_participants guarantees one of them
            known = session.get(Contact, person.contact_id)
            if known is None:
                raise NotFoundError("Contact", person.contact_id)
            if not known.company.strip():
                known.company = company
            if known.cadence_days is None and known.id not in existing:
                # Met in this interview for the first time: kept in touch with
                # like anyone met, unless they already have a cadence of their own.
                known.cadence_days = load_stay_in_touch_days(session)
            if person.linkedin_url is not None:
                known.linkedin_url = person.linkedin_url
            contact_id = known.id
        wanted[contact_id] = person
    for contact_id, participant in existing.items():
        if contact_id not in wanted:
            session.delete(participant)
    for contact_id, person in wanted.items():
        row = existing.get(contact_id)
        if row is None:
            row = Participant(
                interview_id=interview.id,
                contact_id=contact_id,
                role=ParticipantRole.INTERVIEWER,
                delivered_outcome=False,
            )
            session.add(row)
        row.notes = person.notes
        if person.role is not None:
            row.role = person.role
        if person.delivered_outcome is not None:
            row.delivered_outcome = person.delivered_outcome


def get_interview(db: Database, interview_id: int) -> InterviewRecord:
    with db.reading() as session:
        return to_record(_get(session, interview_id))


def _get(session: Session, interview_id: int) -> Interview:
    row = session.get(Interview, interview_id)
    if row is None:
        raise NotFoundError("Interview", interview_id)
    return row


def _loaded() -> tuple[object, ...]:
    return (
        selectinload(Interview.application),
        selectinload(Interview.participants).selectinload(Participant.contact),
    )


def list_interviews(db: Database, application_id: int) -> list[InterviewRecord]:
    """An application's interviews, earliest first."""
    with db.reading() as session:
        rows = session.scalars(
            select(Interview)
            .where(Interview.application_id == application_id)
            .options(*_loaded())
            .order_by(Interview.starts_at, Interview.id)
        )
        return [to_record(row) for row in rows]


def list_interviews_for_contact(db: Database, contact_id: int) -> list[InterviewRecord]:
    """The interviews a contact took part in, newest first."""
    with db.reading() as session:
        rows = session.scalars(
            select(Interview)
            .join(Participant, Participant.interview_id == Interview.id)
            .where(Participant.contact_id == contact_id)
            .options(*_loaded())
            .order_by(Interview.starts_at.desc())
        )
        return [to_record(row) for row in rows]


def delete_interview(db: Database, interview_id: int) -> None:
    with db.session() as session:
        session.delete(_get(session, interview_id))
    logger.info("Deleted interview %s", interview_id)


def save_interview_with_application(
    db: Database,
    values: InterviewFields,
    participants: Sequence[ParticipantFields],
    *,
    next_steps: str,
    decision_expected: date | None,
    now: datetime,
    interview_id: int | None = None,
    expected_version: int | None = None,
) -> InterviewRecord:
    """Save what the interview form edits at once: the application's next steps and
    decision date, the interview with its people, and its outcome if that changed
    (the application's status follows, see :func:`record_outcome`).

    Every check runs before anything is written, so a problem writes nothing.
    The application is read as stored now: its status may have changed since
    the form opened.
    """
    clean = validate_interview(values)
    people = validate_participants(participants)
    stored = get_application(db, clean.application_id)
    current = editable(stored, ApplicationFields)
    wanted = validate_application(
        replace(current, next_steps=next_steps, decision_expected=decision_expected)
    )
    previous = None
    if interview_id is not None:
        opened = get_interview(db, interview_id)
        # Checked before the application is written: a stale form writes nothing.
        check_version("interview", interview_id, opened.version, expected_version)
        previous = opened.outcome
    if wanted != current:
        update_application(db, clean.application_id, wanted, now=now)
    saved = save_interview(
        db, clean, people, now=now, interview_id=interview_id, expected_version=expected_version
    )
    if clean.outcome != previous:
        record_outcome(db, saved.id, clean.outcome, now=now)
    logger.info("Saved interview %s of application %s", saved.id, clean.application_id)
    return saved
