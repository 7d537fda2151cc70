"""Writing a draft's text from the facts: a new draft, or an unedited one again.

A draft fresh from :func:`write_draft` has ``updated_at`` equal to
``created_at``; :func:`afterword.core.mail.drafts.update_draft` (the person's
edits, the only other way a draft's text changes) always moves ``updated_at``
past it. So :func:`as_generated` tells a draft the person has not touched,
which can be written again from today's facts, from one they made their own.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from afterword.core.mail.draft_values import draft_values, local_today, wording_seed
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
from afterword.core.storage.records import MailAccountRecord, TemplateRecord
from afterword.core.storage.values import (
    REPLY_REQUESTS,
    ApplicationStatus,
    MessageStatus,
    Purpose,
    ReplyRequest,
)

logger = logging.getLogger(__name__)

# An edit moves ``updated_at`` at least this far past ``created_at``, even with
# a clock that stands still (tests) or went back: that is what marks it edited.
EDIT_TICK = timedelta(microseconds=1)


def as_generated(row: Message) -> bool:
    """Whether ``row`` is an unsent draft exactly as it was written for the person.

    A failed send is not: the person chose to send that text.
    """
    return row.status is MessageStatus.DRAFT and row.updated_at == row.created_at


def kept_as_left() -> ColumnElement[bool]:
    """In SQL, the opposite of :func:`as_generated`: a message asking again leaves alone."""
    return or_(Message.status != MessageStatus.DRAFT, Message.updated_at != Message.created_at)


def edited_at(row: Message, now: datetime) -> datetime:
    """The ``updated_at`` an edit stores: ``now``, but always after ``created_at``."""
    return max(now, row.created_at + EDIT_TICK)


def choose_template(
    db: Database, purpose: Purpose, template_id: int | None, variant: str = ""
) -> TemplateRecord:
    """The template asked for, else the one that fits ``purpose`` and ``variant``."""
    if template_id is None:
        return template_for(db, purpose, variant)
    return get_template(db, template_id)


def other_variant(
    db: Database, purpose: Purpose, application_id: int | None, interview_id: int | None
) -> str:
    """For another note: "withdrawn" or "offer_accepted" after the application's status."""
    if purpose != Purpose.OTHER:
        return ""
    with db.reading() as session:
        if interview_id is not None:
            interview = session.get(Interview, interview_id)
            application_id = interview.application_id if interview is not None else None
        application = session.get(Application, application_id) if application_id else None
        if application is None:
            return ""  # nothing to go by (an unknown id is reported when the draft is written)
        status = application.status
    return {
        ApplicationStatus.WITHDRAWN: "withdrawn",
        ApplicationStatus.ACCEPTED: "offer_accepted",
    }.get(status, "")


def write_draft(
    session: Session,
    row: Message | None,
    template: TemplateRecord,
    *,
    purpose: Purpose,
    application: Application | None,
    interview: Interview | None,
    contact: Contact | None,
    my_name: str,
    now: datetime,
    requests: frozenset[str] = REPLY_REQUESTS,
) -> Message:
    """A new draft (``row`` None), or ``row`` written again from the facts as they are now.

    ``row`` is changed only if the text comes out different; it is then
    dated ``now``, as if new (its day is what its "today" means).
    """
    values = draft_values(
        application=application,
        interview=interview,
        contact=contact,
        notes=notes_about(session, contact, interview),
        my_name=my_name,
        today=local_today(now, interview),
        requests=requests,
    )
    seed, position = wording_seed(interview, contact)
    account = session.scalars(select(MailAccount).order_by(MailAccount.id).limit(1)).first()
    text = {
        "to_name": contact.name if contact else "",
        "to_address": contact.email if contact else "",
        # A subject is one line even if a value put into it has several.
        "subject": " ".join(fill(template.subject, values, seed=seed, position=position).split()),
        "body": fill(template.body, values, seed=seed, position=position),
        "bcc_self": account.bcc_self if account else False,
        "requests": asked_for(purpose, application, requests),
    }
    if row is None:
        row = Message(
            purpose=purpose,
            status=MessageStatus.DRAFT,
            contact_id=contact.id if contact else None,
            application_id=application.id if application else None,
            interview_id=interview.id if interview else None,
            created_at=now,
            updated_at=now,
            **text,
        )
        session.add(row)
    elif contact is None:
        # The person was deleted from the contacts: the recipient typed stays.
        text.pop("to_name")
        text.pop("to_address")
    if row.id is not None and any(getattr(row, name) != value for name, value in text.items()):
        for name, value in text.items():
            setattr(row, name, value)
        row.created_at = row.updated_at = now
        logger.info("Draft %s written again from today's facts", row.id)
    session.flush()
    return row


def asked_for(
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


def notes_about(session: Session, contact: Contact | None, interview: Interview | None) -> str:
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


def note_to_self(
    account: MailAccount | MailAccountRecord, *, subject: str, body: str, now: datetime
) -> Message:
    """A new draft to the mail account's own address (the prep sheet, the morning digest).

    About no contact, application or interview: it never counts as reaching
    out to anyone, nor ticks anything off. The caller adds it to its session.
    """
    return Message(
        purpose=Purpose.OTHER,
        status=MessageStatus.DRAFT,
        account_id=account.id,
        to_name=account.display_name,
        to_address=account.email,
        subject=subject,
        body=body,
        bcc_self=False,
        created_at=now,
        updated_at=now,
    )
