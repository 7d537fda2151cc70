"""Contacts: the people met in interviews, kept beyond any one application."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from afterword.core.errors import NotFoundError, ValidationError
from afterword.core.search import contact_filter
from afterword.core.storage.db import Database
from afterword.core.storage.models import (
    Application,
    Contact,
    Interview,
    Message,
    Participant,
    Touchpoint,
)
from afterword.core.storage.records import ContactFields, ContactRecord
from afterword.core.storage.snapshots import (
    RowCopy,
    copy_rows,
    insert_copies,
    participant_exists,
)
from afterword.core.storage.validation import (
    check_version,
    clock,
    email_address,
    long_text,
    no_encoded_words,
    positive_int,
    record_id,
    required_text,
    single_line,
    web_url,
)

logger = logging.getLogger(__name__)

MAX_CADENCE_DAYS = 3650
_PHONE = re.compile(r"^[0-9+()./\- ]*(?:(?:ext\.?|x) ?[0-9]+)?$", re.IGNORECASE)


def validate_contact(values: ContactFields, *, prefix: str = "") -> ContactFields:
    """Return ``values`` cleaned, or raise ``ValidationError`` (field names get ``prefix``)."""
    phone = single_line(f"{prefix}phone", values.phone, limit=64)
    if not _PHONE.match(phone):
        raise ValidationError(f"{prefix}phone", "Use digits, spaces and + ( ) - . only.")
    cadence = values.cadence_days
    if cadence is not None:
        positive_int(f"{prefix}cadence_days", cadence, maximum=MAX_CADENCE_DAYS)
    return ContactFields(
        name=no_encoded_words(
            f"{prefix}name", required_text(f"{prefix}name", values.name), label="The name"
        ),
        email=email_address(f"{prefix}email", values.email),
        phone=phone,
        title=single_line(f"{prefix}title", values.title),
        company=no_encoded_words(
            f"{prefix}company", single_line(f"{prefix}company", values.company), label="The company"
        ),
        linkedin_url=web_url(f"{prefix}linkedin_url", values.linkedin_url),
        notes=long_text(f"{prefix}notes", values.notes),
        cadence_days=cadence,
    )


def _field_values(values: ContactFields) -> dict[str, Any]:
    return {f.name: getattr(values, f.name) for f in fields(ContactFields)}


def to_record(row: Contact, last_contacted_at: datetime | None = None) -> ContactRecord:
    return ContactRecord(
        id=row.id,
        created_at=row.created_at,
        last_contacted_at=last_contacted_at,
        version=row.version,
        **_field_values(row),  # type: ignore[arg-type]
    )


def add_contact(session: Session, values: ContactFields, *, now: datetime) -> Contact:
    """Insert an already validated contact inside the caller's session."""
    row = Contact(**_field_values(values), created_at=now)
    session.add(row)
    session.flush()
    return row


def create_contact(db: Database, values: ContactFields, *, now: datetime) -> ContactRecord:
    clean = validate_contact(values)
    clock(now)
    with db.session() as session:
        row = add_contact(session, clean, now=now)
        logger.info("Created contact %s", row.id)
        return to_record(row)


def update_contact(
    db: Database, contact_id: int, values: ContactFields, *, expected_version: int | None = None
) -> ContactRecord:
    """Save a form's values; refused (:class:`EditConflictError`) if the contact changed
    since the form read ``expected_version``."""
    record_id("contact_id", contact_id)
    clean = validate_contact(values)
    with db.session() as session:
        row = _get(session, contact_id)
        check_version("contact", contact_id, row.version, expected_version)
        for name, value in _field_values(clean).items():
            setattr(row, name, value)
        session.flush()
        return to_record(row, _last_contacted(session, contact_id))


def get_contact(db: Database, contact_id: int) -> ContactRecord:
    with db.reading() as session:
        return to_record(_get(session, contact_id), _last_contacted(session, contact_id))


def list_contacts(db: Database, *, query: str = "") -> list[ContactRecord]:
    """Every contact (matching ``query`` in name, email, company or title), by name."""
    if not isinstance(query, str):
        raise ValidationError("query", "Must be text.")
    last = (
        select(Touchpoint.contact_id, func.max(Touchpoint.occurred_at).label("last_at"))
        .group_by(Touchpoint.contact_id)
        .subquery()
    )
    statement = (
        select(Contact, last.c.last_at)
        .outerjoin(last, last.c.contact_id == Contact.id)
        .order_by(Contact.name, Contact.id)
    )
    if query.strip():
        statement = statement.where(contact_filter(query))
    with db.reading() as session:
        return [to_record(row, last_at) for row, last_at in session.execute(statement)]


def _last_contacted(session: Session, contact_id: int) -> datetime | None:
    return session.scalar(
        select(func.max(Touchpoint.occurred_at)).where(Touchpoint.contact_id == contact_id)
    )


def _get(session: Session, contact_id: int) -> Contact:
    row = session.get(Contact, contact_id)
    if row is None:
        raise NotFoundError("Contact", contact_id)
    return row


@dataclass(frozen=True)
class DeletedContact:
    """A deleted contact with their interview places and touchpoints, for undo."""

    contact_id: int
    label: str
    rows: tuple[RowCopy, ...]
    unlinked_message_ids: tuple[int, ...]


def delete_contact(db: Database, contact_id: int) -> DeletedContact:
    """Delete a contact: they leave the interviews they were in; interviews stay."""
    with db.session() as session:
        row = _get(session, contact_id)
        touchpoints = session.scalars(
            select(Touchpoint).where(Touchpoint.contact_id == contact_id)
        ).all()
        message_ids = session.scalars(select(Message.id).where(Message.contact_id == contact_id))
        deleted = DeletedContact(
            contact_id=contact_id,
            label=row.name,
            rows=copy_rows([row, *row.participations, *touchpoints]),
            unlinked_message_ids=tuple(message_ids),
        )
        session.delete(row)
    logger.info("Deleted contact %s", contact_id)
    return deleted


def _still_valid(
    session: Session, rows: Iterable[RowCopy], without_interview: list[RowCopy]
) -> Iterator[RowCopy]:
    """Copies that can go back: interviews and applications may have gone meanwhile.

    A place in an interview that is gone is added to ``without_interview``:
    it may come back with the interview's own undo.
    """
    for model, values in rows:
        if model is Participant:
            if session.get(Interview, values["interview_id"]) is None:
                without_interview.append((model, values))
                continue
            if participant_exists(session, values):
                continue
        elif model is Touchpoint:
            values = dict(values)
            if values["interview_id"] and session.get(Interview, values["interview_id"]) is None:
                values["interview_id"] = None
            if values["application_id"] and not session.get(Application, values["application_id"]):
                values["application_id"] = None
            if values["message_id"] and session.get(Message, values["message_id"]) is None:
                values["message_id"] = None
        yield model, values


def restore_contact(db: Database, deleted: DeletedContact) -> ContactRecord:
    """Undo :func:`delete_contact`.

    Places in interviews deleted since wait in ``db.parked`` for those
    interviews' undo; places that waited for this contact (its application
    was restored first) come back now.
    """
    waiting = db.parked.waiting_for(Contact, deleted.contact_id)
    without_interview: list[RowCopy] = []
    with db.session() as session:
        insert_copies(session, _still_valid(session, deleted.rows, without_interview))
        insert_copies(session, _still_valid(session, waiting, without_interview))
        for message_id in deleted.unlinked_message_ids:
            message = session.get(Message, message_id)
            if message is not None:
                message.contact_id = deleted.contact_id
        restored = to_record(
            _get(session, deleted.contact_id), _last_contacted(session, deleted.contact_id)
        )
    db.parked.forget(Contact, deleted.contact_id)
    for copy in without_interview:
        db.parked.park((Interview, copy[1]["interview_id"]), [copy])
    return restored
