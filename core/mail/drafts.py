"""Drafts of thank-yous and follow-ups, pre-filled for each person.

A draft is a :class:`afterword.core.storage.models.Message` in status ``draft``. A thank-you
gets one draft per interviewer, filled from the thank-you template with that
person's name, the role and company, the application's "why I'm interested"
and the notes about that person; asking again returns the same drafts.

The personal-note check itself is in :mod:`afterword.core.mail.draft_checks`;
:func:`check_message` runs it on a saved message. The other ways out (a
``mailto:`` link, a letter) are in :mod:`afterword.core.exports.messages`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from afterword.core.errors import NotFoundError, ValidationError
from afterword.core.mail.compose import SUBJECT_LIMIT
from afterword.core.mail.draft_checks import DraftCheck, check_draft
from afterword.core.mail.draft_values import draft_values, local_today, thank_you_variant
from afterword.core.mail.templates import fill, get_template, template_for
from afterword.core.storage.db import Database
from afterword.core.storage.models import (
    Application,
    Contact,
    Interview,
    MailAccount,
    Message,
    Participant,
)
from afterword.core.storage.records import MessageRecord, TemplateRecord
from afterword.core.storage.text import fold
from afterword.core.storage.validation import (
    aware_datetime,
    email_address,
    long_text,
    single_line,
    yes_no,
)
from afterword.core.storage.values import (
    REPLY_REQUESTS,
    ApplicationStatus,
    MessageStatus,
    Purpose,
    ReplyRequest,
)

logger = logging.getLogger(__name__)

EDITABLE_STATUSES = frozenset({MessageStatus.DRAFT, MessageStatus.FAILED})
# How many earlier notes to the same company the near-duplicate check reads.
_EARLIER_LIMIT = 50
_Row = TypeVar("_Row", Application, Contact, Interview, Message)


@dataclass(frozen=True)
class DraftContext:
    """What :func:`check_draft` compares a draft with, as stored in the database."""

    why_interested: str
    conversation_notes: str
    siblings: tuple[MessageRecord, ...]
    # Notes of the same purpose to other people at the same company, newest first.
    earlier: tuple[MessageRecord, ...] = ()


def prepare_thank_you_drafts(
    db: Database,
    interview_id: int,
    *,
    now: datetime,
    my_name: str,
    template_id: int | None = None,
) -> list[MessageRecord]:
    """One thank-you draft per person in the interview, in the order they were added.

    A person who already has a thank-you for this interview (a draft, or one
    already sent) gets that message back instead of a second one.
    """
    aware_datetime("now", now)
    drafts: list[MessageRecord] = []
    with db.reading() as session:
        interview = _get(session, Interview, interview_id)
        variant = thank_you_variant(interview.application, interview)
    template = _template(db, Purpose.THANK_YOU, template_id, variant)
    with db.session() as session:
        interview = _get(session, Interview, interview_id)
        participants = sorted(interview.participants, key=lambda person: person.id)
        for participant in participants:
            existing = _existing(
                session,
                purpose=Purpose.THANK_YOU,
                interview_id=interview.id,
                contact_id=participant.contact_id,
                statuses=None,
            )
            if existing is not None:
                drafts.append(to_record(existing))
                continue
            row = _new_draft(
                session,
                template,
                purpose=Purpose.THANK_YOU,
                application=interview.application,
                interview=interview,
                contact=participant.contact,
                notes=participant.notes,
                my_name=my_name,
                now=now,
            )
            drafts.append(to_record(row))
    logger.info("Thank-you drafts for interview %d: %d", interview_id, len(drafts))
    return drafts


def prepare_draft(
    db: Database,
    *,
    purpose: Purpose,
    application_id: int | None = None,
    contact_id: int | None = None,
    interview_id: int | None = None,
    now: datetime,
    my_name: str,
    template_id: int | None = None,
    variant: str | None = None,
    requests: frozenset[str] = REPLY_REQUESTS,
) -> MessageRecord:
    """A draft for a status follow-up, a reply to a rejection, a check-in or another note.

    An unsent draft for the same purpose, person, application and interview is
    returned instead of a new one; once it is sent, asking again starts the next
    one (a second follow-up, a later check-in). ``variant`` picks a built-in
    template's variant ("offer_declined"); by default it follows the
    application's status (a withdrawn application gets "withdrawn").
    ``requests`` are what a reply to a rejection asks for (of
    :data:`REPLY_REQUESTS`): the paragraphs of the others are left out, and
    "still interested" also needs the application to say so.
    """
    unknown = set(requests) - REPLY_REQUESTS
    if unknown:
        raise ValidationError("requests", f"Unknown request: {sorted(unknown)[0]}.")
    aware_datetime("now", now)
    purpose = Purpose(purpose)
    if variant is None:
        variant = _other_variant(db, purpose, application_id, interview_id)
    template = _template(db, purpose, template_id, variant)
    with db.session() as session:
        interview = _get(session, Interview, interview_id) if interview_id is not None else None
        if interview is not None:
            if application_id is not None and application_id != interview.application_id:
                raise ValidationError("interview", "This interview belongs to another application.")
            application_id = interview.application_id
        application = (
            _get(session, Application, application_id) if application_id is not None else None
        )
        contact = _get(session, Contact, contact_id) if contact_id is not None else None
        existing = _existing(
            session,
            purpose=purpose,
            interview_id=interview_id,
            contact_id=contact_id,
            application_id=application_id,
            statuses=EDITABLE_STATUSES,
        )
        if existing is not None:
            return to_record(existing)
        row = _new_draft(
            session,
            template,
            purpose=purpose,
            application=application,
            interview=interview,
            contact=contact,
            notes=_notes_about(session, contact, interview),
            my_name=my_name,
            now=now,
            requests=requests,
        )
        return to_record(row)


def get_message(db: Database, message_id: int) -> MessageRecord:
    with db.reading() as session:
        return to_record(_get(session, Message, message_id))


def update_draft(
    db: Database,
    message_id: int,
    *,
    to_name: str,
    to_address: str,
    subject: str,
    body: str,
    bcc_self: bool,
    now: datetime,
) -> MessageRecord:
    """Save the user's edits; a message that was sent (or is being sent) is read-only."""
    clean_name = single_line("to_name", to_name)
    clean_address = email_address("to_address", to_address)
    clean_subject = single_line("subject", subject, limit=SUBJECT_LIMIT)
    clean_body = long_text("body", body)
    yes_no("bcc_self", bcc_self)
    aware_datetime("now", now)
    with db.session() as session:
        row = _get(session, Message, message_id)
        ensure_editable(row)
        row.to_name = clean_name
        row.to_address = clean_address
        row.subject = clean_subject
        row.body = clean_body
        row.bcc_self = bcc_self
        row.updated_at = now
        session.flush()
        return to_record(row)


def delete_draft(db: Database, message_id: int) -> None:
    """Throw a draft away; a sent message stays, it is part of the history."""
    with db.session() as session:
        row = _get(session, Message, message_id)
        ensure_editable(row)
        session.delete(row)


def ensure_editable(row: Message) -> None:
    """Refuse to change a message that is sent, being sent, or may have been sent."""
    if row.status in EDITABLE_STATUSES:
        return
    problem = {
        MessageStatus.SENT: "This message was already sent, so it can't be changed.",
        MessageStatus.SENDING: "This message is being sent right now, so it can't be changed.",
        MessageStatus.UNKNOWN: (
            "This message may already have been sent (the connection broke while sending), "
            "so it can't be changed. Check your mail program's Sent folder."
        ),
    }[row.status]
    raise ValidationError("message", problem)


def draft_context(db: Database, message_id: int) -> DraftContext:
    """The application's reason, the notes about the person, and the other drafts to compare."""
    with db.reading() as session:
        row = _get(session, Message, message_id)
        application = session.get(Application, row.application_id) if row.application_id else None
        contact = session.get(Contact, row.contact_id) if row.contact_id else None
        interview = session.get(Interview, row.interview_id) if row.interview_id else None
        siblings: Iterable[Message] = ()
        if row.interview_id is not None:
            siblings = session.scalars(
                select(Message)
                .where(
                    Message.interview_id == row.interview_id,
                    Message.purpose == row.purpose,
                    Message.id != row.id,
                )
                .order_by(Message.id)
            )
        sibling_records = tuple(to_record(sibling) for sibling in siblings)
        return DraftContext(
            why_interested=application.why_interested if application else "",
            conversation_notes=_notes_about(session, contact, interview),
            siblings=sibling_records,
            earlier=_earlier_to_company(session, row, application, {m.id for m in sibling_records}),
        )


def _earlier_to_company(
    session: Session, row: Message, application: Application | None, skip: set[int]
) -> tuple[MessageRecord, ...]:
    """Earlier notes of ``row``'s purpose to the same company (by folded name), but not ``skip``."""
    if application is None:
        return ()
    query = (
        select(Message)
        .join(Application, Message.application_id == Application.id)
        .where(
            func.af_fold(Application.company) == fold(application.company),
            Message.purpose == row.purpose,
            Message.id != row.id,
            Message.id.not_in(skip),
            Message.contact_id.is_distinct_from(row.contact_id),
        )
        .order_by(Message.id.desc())
        .limit(_EARLIER_LIMIT)
    )
    return tuple(to_record(message) for message in session.scalars(query))


def check_message(db: Database, message_id: int) -> DraftCheck:
    """:func:`check_draft` for a message as saved."""
    context = draft_context(db, message_id)
    return check_draft(
        get_message(db, message_id),
        context.siblings,
        context.why_interested,
        context.conversation_notes,
        context.earlier,
    )


def to_record(row: Message) -> MessageRecord:
    return MessageRecord(
        id=row.id,
        purpose=row.purpose,
        status=row.status,
        to_name=row.to_name,
        to_address=row.to_address,
        subject=row.subject,
        body=row.body,
        bcc_self=row.bcc_self,
        contact_id=row.contact_id,
        application_id=row.application_id,
        interview_id=row.interview_id,
        account_id=row.account_id,
        message_id_header=row.message_id_header,
        error=row.error,
        created_at=row.created_at,
        updated_at=row.updated_at,
        sent_at=row.sent_at,
        warning=row.warning,
        requests=row.requests,
    )


def _other_variant(
    db: Database, purpose: Purpose, application_id: int | None, interview_id: int | None
) -> str:
    """For another note: "withdrawn" or "offer_accepted" after the application's status."""
    if purpose != Purpose.OTHER:
        return ""
    with db.reading() as session:
        if interview_id is not None:
            application_id = _get(session, Interview, interview_id).application_id
        if application_id is None:
            return ""
        status = _get(session, Application, application_id).status
    return {
        ApplicationStatus.WITHDRAWN: "withdrawn",
        ApplicationStatus.ACCEPTED: "offer_accepted",
    }.get(status, "")


def _template(
    db: Database, purpose: Purpose, template_id: int | None, variant: str = ""
) -> TemplateRecord:
    if template_id is None:
        return template_for(db, purpose, variant)
    return get_template(db, template_id)


def _existing(
    session: Session,
    *,
    purpose: Purpose,
    interview_id: int | None,
    contact_id: int | None,
    application_id: int | None = None,
    statuses: frozenset[MessageStatus] | None,
) -> Message | None:
    # "IS" rather than "=": a message without an interview matches a None interview_id.
    query = select(Message).where(
        Message.purpose == purpose,
        Message.interview_id.is_not_distinct_from(interview_id),
        Message.contact_id.is_not_distinct_from(contact_id),
    )
    if application_id is not None:
        query = query.where(Message.application_id == application_id)
    if statuses is not None:
        query = query.where(Message.status.in_(statuses))
    return session.scalars(query.order_by(Message.id).limit(1)).first()


def _new_draft(
    session: Session,
    template: TemplateRecord,
    *,
    purpose: Purpose,
    application: Application | None,
    interview: Interview | None,
    contact: Contact | None,
    notes: str,
    my_name: str,
    now: datetime,
    requests: frozenset[str] = REPLY_REQUESTS,
) -> Message:
    values = draft_values(
        application=application,
        interview=interview,
        contact=contact,
        notes=notes,
        my_name=my_name,
        today=local_today(now, interview),
        requests=requests,
    )
    seed = contact.id if contact else 0
    account = session.scalars(select(MailAccount).order_by(MailAccount.id).limit(1)).first()
    row = Message(
        purpose=purpose,
        status=MessageStatus.DRAFT,
        contact_id=contact.id if contact else None,
        application_id=application.id if application else None,
        interview_id=interview.id if interview else None,
        to_name=contact.name if contact else "",
        to_address=contact.email if contact else "",
        # A subject is one line even if a value put into it has several.
        subject=" ".join(fill(template.subject, values, seed=seed).split()),
        body=fill(template.body, values, seed=seed),
        bcc_self=account.bcc_self if account else False,
        created_at=now,
        updated_at=now,
        requests=_asked(purpose, application, requests),
    )
    session.add(row)
    session.flush()
    return row


def _asked(
    purpose: Purpose, application: Application | None, requests: frozenset[str]
) -> frozenset[str] | None:
    """What a reply to a rejection asks for, as its paragraphs do; None for other notes.

    Kept with the draft: once sent, the checklist ticks off only these reply items.
    """
    if purpose != Purpose.REJECTION_REPLY:
        return None
    if application is None or not application.still_interested:
        # The draft leaves "still interested" out then (see draft_values).
        return frozenset(requests) - {ReplyRequest.STILL_INTERESTED}
    return frozenset(requests)


def _notes_about(session: Session, contact: Contact | None, interview: Interview | None) -> str:
    """The notes on this person from this interview, else the notes on the contact."""
    if contact is None:
        return ""
    if interview is not None:
        notes = session.scalars(
            select(Participant.notes).where(
                Participant.interview_id == interview.id, Participant.contact_id == contact.id
            )
        ).first()
        if notes is not None:
            return notes
    return contact.notes


def _get(session: Session, model: type[_Row], row_id: int) -> _Row:
    row = session.get(model, row_id)
    if row is None:
        raise NotFoundError(model.__name__, row_id)
    return row
