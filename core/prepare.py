"""Before you go in: what to have in mind for one interview (step 2 of the playbook).

:func:`prepare_sheet` gathers it as plain records: the people you will meet
with their titles, LinkedIn, your notes and your earlier conversations and
touchpoints with them, your reason for interest, the questions to close with
and the pause-and-ask tip. :func:`send_sheet_to_self` puts the sheet into the
Outbox as a draft to the person's own address (Today finds the day's
interviews with :mod:`afterword.core.interviews_today`). The text layout is
:func:`afterword.core.exports.prep_sheet.prep_sheet_text`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from afterword.core.errors import NotFoundError, ValidationError
from afterword.core.exports.prep_sheet import prep_sheet_subject, prep_sheet_text
from afterword.core.mail.draft_writing import note_to_self
from afterword.core.mail.drafts import to_record
from afterword.core.storage.db import Database
from afterword.core.storage.models import (
    Interview,
    MailAccount,
    Participant,
    Touchpoint,
)
from afterword.core.storage.records import MessageRecord
from afterword.core.storage.validation import aware_datetime
from afterword.core.storage.values import (
    InterviewFormat,
    ParticipantRole,
    Purpose,
    ReferralOutcome,
    TouchpointKind,
)

logger = logging.getLogger(__name__)

# How many of a person's touchpoints the sheet lists, newest first.
TOUCHPOINTS_SHOWN = 5
CLOSING_QUESTIONS = (
    "What are the next steps from here?",
    "When do you expect to make a decision, and how will I hear about it?",
)
PAUSE_TIP = (
    "If it seems to be going badly (a distracted interviewer, closed body language), "
    "you may pause and ask whether your last answer raised any questions, or, if you "
    "are brave, how they feel it is going. The lack of interest may have nothing to "
    "do with you."
)


@dataclass(frozen=True, kw_only=True)
class EarlierConversation:
    """An earlier interview with the same person, and what you noted about them there."""

    starts_at: datetime
    round_name: str
    company: str
    notes: str


@dataclass(frozen=True, kw_only=True)
class TouchpointLine:
    occurred_at: datetime
    kind: TouchpointKind
    purpose: Purpose
    note: str
    referral_outcome: ReferralOutcome | None = None


@dataclass(frozen=True, kw_only=True)
class PersonToMeet:
    contact_id: int
    name: str
    title: str
    email: str
    linkedin_url: str
    role: ParticipantRole
    # What is noted on the contact itself, and on them for this interview.
    contact_notes: str
    notes_here: str
    earlier: tuple[EarlierConversation, ...] = ()
    touchpoints: tuple[TouchpointLine, ...] = ()


@dataclass(frozen=True, kw_only=True)
class PrepSheet:
    interview_id: int
    application_id: int
    company: str
    role: str
    round_name: str
    starts_at: datetime
    timezone: str
    duration_minutes: int
    format: InterviewFormat
    location: str
    video_link: str
    why_interested: str
    next_steps_known: str
    people: tuple[PersonToMeet, ...]
    closing_questions: tuple[str, ...] = CLOSING_QUESTIONS
    pause_tip: str = PAUSE_TIP


def prepare_sheet(db: Database, interview_id: int) -> PrepSheet:
    """Everything to have in mind before interview ``interview_id``."""
    with db.reading() as session:
        interview = session.get(Interview, interview_id)
        if interview is None:
            raise NotFoundError("Interview", interview_id)
        application = interview.application
        people = tuple(
            _person(session, interview, participant)
            for participant in sorted(interview.participants, key=lambda p: p.id)
        )
        return PrepSheet(
            interview_id=interview.id,
            application_id=application.id,
            company=application.company,
            role=application.role,
            round_name=interview.round_name,
            starts_at=interview.starts_at,
            timezone=interview.timezone,
            duration_minutes=interview.duration_minutes,
            format=interview.format,
            location=interview.location,
            video_link=interview.video_link,
            why_interested=application.why_interested,
            next_steps_known=application.next_steps,
            people=people,
        )


def _person(session: Session, interview: Interview, participant: Participant) -> PersonToMeet:
    contact = participant.contact
    earlier_rows = session.scalars(
        select(Participant)
        .join(Interview, Interview.id == Participant.interview_id)
        .where(
            Participant.contact_id == contact.id,
            Participant.interview_id != interview.id,
            Interview.starts_at < interview.starts_at,
        )
        .options(selectinload(Participant.interview).selectinload(Interview.application))
        .order_by(Interview.starts_at.desc())
    )
    earlier = tuple(
        EarlierConversation(
            starts_at=row.interview.starts_at,
            round_name=row.interview.round_name,
            company=row.interview.application.company,
            notes=row.notes,
        )
        for row in earlier_rows
    )
    touchpoints = session.scalars(
        select(Touchpoint)
        .where(Touchpoint.contact_id == contact.id)
        .order_by(Touchpoint.occurred_at.desc(), Touchpoint.id.desc())
        .limit(TOUCHPOINTS_SHOWN)
    )
    return PersonToMeet(
        contact_id=contact.id,
        name=contact.name,
        title=contact.title,
        email=contact.email,
        linkedin_url=contact.linkedin_url,
        role=participant.role,
        contact_notes=contact.notes,
        notes_here=participant.notes,
        earlier=earlier,
        touchpoints=tuple(
            TouchpointLine(
                occurred_at=t.occurred_at,
                kind=t.kind,
                purpose=t.purpose,
                note=t.note,
                referral_outcome=t.referral_outcome,
            )
            for t in touchpoints
        ),
    )


def send_sheet_to_self(db: Database, interview_id: int, *, now: datetime) -> MessageRecord:
    """The sheet as a draft in the Outbox, to the mail account's own address.

    It belongs to no contact, application or interview: it is a note to
    oneself, so it never counts as reaching out to anyone or ticks anything off.
    """
    now = aware_datetime("now", now)
    sheet = prepare_sheet(db, interview_id)
    with db.session() as session:
        account = session.scalars(select(MailAccount).order_by(MailAccount.id).limit(1)).first()
        if account is None:
            raise ValidationError(
                "account",
                "Set up your mail account in Settings first: the sheet goes to your own address.",
            )
        row = note_to_self(
            account, subject=prep_sheet_subject(sheet), body=prep_sheet_text(sheet, now), now=now
        )
        session.add(row)
        session.flush()
        logger.info("Before-you-go-in sheet for interview %s put in the Outbox", interview_id)
        return to_record(row)
