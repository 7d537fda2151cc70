"""Drafts of thank-yous and follow-ups, pre-filled for each person.

A draft is a :class:`afterword.core.storage.models.Message` in status ``draft``. A thank-you
gets one draft per interviewer still to thank, filled from the thank-you
template with that person's name, the role and company, the application's "why
I'm interested" and the notes about that person. Asking again returns the same
drafts: one the person has not edited is written again from today's facts
(after a no, the "thank you anyway" note; "yesterday" instead of "today"), one
they edited stays as they left it, and the check says what in it no longer
fits (:mod:`afterword.core.mail.draft_fit`). A message that is being sent, or
was, is never touched (:func:`ensure_editable`).

The personal-note check itself is in :mod:`afterword.core.mail.draft_checks`;
:func:`check_message` runs it on a saved message. The other ways out (a
``mailto:`` link, a letter) are in :mod:`afterword.core.exports.messages`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from sqlalchemy import func, select, text, union
from sqlalchemy.orm import Session

from afterword.core.errors import NotFoundError, ValidationError
from afterword.core.mail.compose import SUBJECT_LIMIT
from afterword.core.mail.draft_checks import DraftCheck, check_draft
from afterword.core.mail.draft_fit import OUTDATED_PURPOSES, DraftFacts
from afterword.core.mail.draft_values import (
    interview_day,
    interview_zone,
    thank_you_variant,
)
from afterword.core.mail.draft_writing import (
    as_generated,
    choose_template,
    edited_at,
    notes_about,
    other_variant,
    write_draft,
)
from afterword.core.storage.db import Database
from afterword.core.storage.models import (
    THANK_YOU_NOTE_SQL,
    Application,
    Contact,
    Interview,
    Message,
    Touchpoint,
)
from afterword.core.storage.records import MessageRecord
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
    # What the draft's words depend on: the no, the interview's day, the decision date.
    facts: DraftFacts = field(default_factory=DraftFacts)


def prepare_thank_you_drafts(
    db: Database,
    interview_id: int,
    *,
    now: datetime,
    my_name: str,
    template_id: int | None = None,
    contact_id: int | None = None,
) -> list[MessageRecord]:
    """One thank-you draft per person in the interview still to thank, in the order they were added.

    Someone already thanked for it (see :func:`thanked_contacts`) gets none;
    if ``contact_id`` asks for exactly them, their sent thank-you comes back
    instead, when Afterword sent it. Someone with an unsent thank-you gets
    that message back: written again from today's facts if they have not
    edited it, as they left it otherwise; one being sent, or that may have
    been, comes back untouched.
    """
    aware_datetime("now", now)
    drafts: list[MessageRecord] = []
    with db.reading() as session:
        interview = _get(session, Interview, interview_id)
        variant = thank_you_variant(interview.application, interview)
    template = choose_template(db, Purpose.THANK_YOU, template_id, variant)
    with db.session() as session:
        interview = _get(session, Interview, interview_id)
        thanked = _thanked(session, interview.id)
        participants = sorted(interview.participants, key=lambda person: person.id)
        for participant in participants:
            if participant.contact_id in thanked:
                sent = _sent_thank_you(session, interview.id, participant.contact_id)
                if participant.contact_id == contact_id and sent is not None:
                    drafts.append(to_record(sent))
                continue
            existing = _existing(
                session,
                purpose=Purpose.THANK_YOU,
                interview_id=interview.id,
                contact_id=participant.contact_id,
                application_id=interview.application_id,
                statuses=None,
            )
            if existing is not None and not as_generated(existing):
                drafts.append(to_record(existing))
                continue
            row = write_draft(
                session,
                existing,
                template,
                purpose=Purpose.THANK_YOU,
                application=interview.application,
                interview=interview,
                contact=participant.contact,
                my_name=my_name,
                now=now,
            )
            drafts.append(to_record(row))
    logger.info("Thank-you drafts for interview %d: %d", interview_id, len(drafts))
    return drafts


def thanked_contacts(db: Database, interview_id: int) -> list[str]:
    """The names of the people already thanked for the interview, in the order they were added.

    Thanked: a thank-you sent, or one recorded as an email or a letter.
    """
    with db.reading() as session:
        interview = _get(session, Interview, interview_id)
        thanked = _thanked(session, interview.id)
        people = sorted(interview.participants, key=lambda person: person.id)
        return [person.contact.name for person in people if person.contact_id in thanked]


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
    returned instead of a new one (written again from today's facts and
    ``requests`` if the person has not edited it); once it is sent, asking
    again starts the next one (a second follow-up, a later check-in).
    ``variant`` picks a built-in template's variant ("offer_declined"); by
    default it follows the application's status (a withdrawn application gets
    "withdrawn"). ``requests`` are what a reply to a rejection asks for (of
    :data:`REPLY_REQUESTS`): the paragraphs of the others are left out, and
    "still interested" also needs the application to say so.
    """
    unknown = set(requests) - REPLY_REQUESTS
    if unknown:
        raise ValidationError("requests", f"Unknown request: {sorted(unknown)[0]}.")
    aware_datetime("now", now)
    purpose = Purpose(purpose)
    if variant is None:
        variant = other_variant(db, purpose, application_id, interview_id)
    template = choose_template(db, purpose, template_id, variant)
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
        if existing is not None and not as_generated(existing):
            return to_record(existing)
        row = write_draft(
            session,
            existing,
            template,
            purpose=purpose,
            application=application,
            interview=interview,
            contact=contact,
            my_name=my_name,
            now=now,
            requests=requests,
        )
        return to_record(row)


def rewrite_draft(db: Database, message_id: int, *, now: datetime, my_name: str) -> MessageRecord:
    """Start a thank-you or follow-up over: its text written afresh from today's facts.

    What the person changed in it is replaced (the composer asks first); a
    message that was sent, or is being sent, is refused.
    """
    aware_datetime("now", now)
    with db.reading() as session:
        row = _get(session, Message, message_id)
        ensure_editable(row)
        if row.purpose not in OUTDATED_PURPOSES:
            raise ValidationError("message", "Only thank-yous and follow-ups can be started over.")
        interview = session.get(Interview, row.interview_id) if row.interview_id else None
        variant = ""
        if row.purpose is Purpose.THANK_YOU and interview is not None:
            variant = thank_you_variant(interview.application, interview)
    template = choose_template(db, row.purpose, None, variant)
    with db.session() as session:
        row = _get(session, Message, message_id)
        ensure_editable(row)  # it may have been sent meanwhile
        write_draft(
            session,
            row,
            template,
            purpose=row.purpose,
            application=_optional(session, Application, row.application_id),
            interview=_optional(session, Interview, row.interview_id),
            contact=_optional(session, Contact, row.contact_id),
            my_name=my_name,
            now=now,
        )
        # As if freshly written, even when the text came out the same.
        row.created_at = row.updated_at = now
        logger.info("Draft %s started over", message_id)
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
        # Always after created_at: that is how a draft the person edited is told apart.
        row.updated_at = edited_at(row, now)
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
    """The application's reason, the notes about the person, the other drafts to compare,
    and the facts the draft's words depend on."""
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
            conversation_notes=notes_about(session, contact, interview),
            siblings=sibling_records,
            earlier=_earlier_to_company(session, row, application, {m.id for m in sibling_records}),
            facts=_facts(application, contact, interview),
        )


def _facts(
    application: Application | None, contact: Contact | None, interview: Interview | None
) -> DraftFacts:
    rejected = application is not None and application.status is ApplicationStatus.REJECTED
    return DraftFacts(
        company=application.company if application else (contact.company if contact else ""),
        # When the no came: its recorded time, else the application's last change (as the
        # checklist counts it).
        rejected_at=(application.decided_at or application.updated_at)
        if application is not None and rejected
        else None,
        interview_day=interview_day(interview) if interview is not None else None,
        decision_expected=application.decision_expected if application else None,
        zone=interview_zone(interview),
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


def check_message(db: Database, message_id: int, now: datetime | None = None) -> DraftCheck:
    """:func:`check_draft` for a message as saved; with ``now``, also what no longer fits."""
    context = draft_context(db, message_id)
    return check_draft(
        get_message(db, message_id),
        context.siblings,
        context.why_interested,
        context.conversation_notes,
        context.earlier,
        facts=context.facts,
        now=now,
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


def _existing(
    session: Session,
    *,
    purpose: Purpose,
    interview_id: int | None,
    contact_id: int | None,
    application_id: int | None,
    statuses: frozenset[MessageStatus] | None,
) -> Message | None:
    """The first message of ``purpose`` to exactly this person, application and interview.

    "IS" rather than "=": a message without an interview matches a None
    interview_id, and a note to oneself (no application, no person) is never
    taken for a check-in or another note.
    """
    query = select(Message).where(
        Message.purpose == purpose,
        Message.interview_id.is_not_distinct_from(interview_id),
        Message.contact_id.is_not_distinct_from(contact_id),
        Message.application_id.is_not_distinct_from(application_id),
    )
    if statuses is not None:
        query = query.where(Message.status.in_(statuses))
    return session.scalars(query.order_by(Message.id).limit(1)).first()


def _thanked(session: Session, interview_id: int) -> set[int]:
    """The contacts already thanked for the interview: a thank-you sent, or recorded as sent."""
    recorded = select(Touchpoint.contact_id).where(
        Touchpoint.interview_id == interview_id, text(THANK_YOU_NOTE_SQL)
    )
    sent = select(Message.contact_id).where(
        Message.interview_id == interview_id,
        Message.purpose == Purpose.THANK_YOU,
        Message.status == MessageStatus.SENT,
        Message.contact_id.is_not(None),
    )
    return set(session.scalars(union(recorded, sent)))


def _sent_thank_you(session: Session, interview_id: int, contact_id: int) -> Message | None:
    """The latest thank-you Afterword sent to the person for the interview, if any."""
    query = select(Message).where(
        Message.interview_id == interview_id,
        Message.contact_id == contact_id,
        Message.purpose == Purpose.THANK_YOU,
        Message.status == MessageStatus.SENT,
    )
    return session.scalars(query.order_by(Message.id.desc()).limit(1)).first()


def _optional(session: Session, model: type[_Row], row_id: int | None) -> _Row | None:
    return session.get(model, row_id) if row_id is not None else None


def _get(session: Session, model: type[_Row], row_id: int) -> _Row:
    row = session.get(model, row_id)
    if row is None:
        raise NotFoundError(model.__name__, row_id)
    return row
