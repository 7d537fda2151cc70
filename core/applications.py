"""Applications: create, edit, delete (with undo), list, and record an outcome."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from afterword.core.errors import NotFoundError, ValidationError
from afterword.core.search import application_index, ensure_indexed, matching_application_ids
from afterword.core.storage.db import Database
from afterword.core.storage.models import (
    Application,
    Contact,
    Interview,
    Message,
    Participant,
    Touchpoint,
)
from afterword.core.storage.records import ApplicationFields, ApplicationRecord, ApplicationSummary
from afterword.core.storage.snapshots import (
    RowCopy,
    copy_rows,
    insert_copies,
    participant_exists,
)
from afterword.core.storage.validation import (
    check_version,
    clock,
    long_text,
    no_encoded_words,
    one_of,
    optional_date,
    record_id,
    required_text,
    web_url,
    yes_no,
)
from afterword.core.storage.values import DECIDED_STATUSES, ApplicationStatus, InterviewOutcome

logger = logging.getLogger(__name__)

# What recording an interview's outcome means for the application as a whole.
_STATUS_FOR_OUTCOME = {
    InterviewOutcome.ADVANCED: ApplicationStatus.INTERVIEWING,
    InterviewOutcome.OFFER: ApplicationStatus.OFFER,
    InterviewOutcome.REJECTED: ApplicationStatus.REJECTED,
    InterviewOutcome.WITHDRAWN: ApplicationStatus.WITHDRAWN,
}


def validate_application(values: ApplicationFields) -> ApplicationFields:
    """Return ``values`` cleaned (trimmed), or raise ``ValidationError``."""
    return ApplicationFields(
        # Both can end up in an email's subject (templates' {company}, {role}).
        company=no_encoded_words(
            "company", required_text("company", values.company), label="The company"
        ),
        role=no_encoded_words("role", required_text("role", values.role), label="The role"),
        posting_url=web_url("posting_url", values.posting_url),
        status=one_of("status", ApplicationStatus, values.status),
        why_interested=long_text("why_interested", values.why_interested),
        next_steps=long_text("next_steps", values.next_steps),
        decision_expected=optional_date("decision_expected", values.decision_expected),
        still_interested=yes_no("still_interested", values.still_interested),
        notes=long_text("notes", values.notes),
    )


def _field_values(values: ApplicationFields) -> dict[str, Any]:
    return {f.name: getattr(values, f.name) for f in fields(ApplicationFields)}


def to_record(row: Application) -> ApplicationRecord:
    return ApplicationRecord(
        id=row.id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        decided_at=row.decided_at,
        location=row.location,
        salary=row.salary,
        date_posted=row.date_posted,
        description=row.description,
        version=row.version,
        **{f.name: getattr(row, f.name) for f in fields(ApplicationFields)},
    )


def _decided_at(
    previous: ApplicationStatus | None, new: ApplicationStatus, old: datetime | None, now: datetime
) -> datetime | None:
    if new not in DECIDED_STATUSES:
        return None
    return old if previous == new and old is not None else now


def create_application(
    db: Database, values: ApplicationFields, *, now: datetime
) -> ApplicationRecord:
    clean = validate_application(values)
    clock(now)
    with db.session() as session:
        row = Application(
            **_field_values(clean),
            created_at=now,
            updated_at=now,
            decided_at=_decided_at(None, clean.status, None, now),
        )
        session.add(row)
        session.flush()
        logger.info("Created application %s", row.id)
        return to_record(row)


def update_application(
    db: Database,
    application_id: int,
    values: ApplicationFields,
    *,
    now: datetime,
    expected_version: int | None = None,
) -> ApplicationRecord:
    """Save a form's values; ``expected_version`` is the version the form was filled from.

    If the application changed since (another window, another program), the
    edit is refused with :class:`EditConflictError` and nothing is written.
    """
    record_id("application_id", application_id)
    clean = validate_application(values)
    clock(now)
    with db.session() as session:
        row = _get(session, application_id)
        check_version("application", application_id, row.version, expected_version)
        row.decided_at = _decided_at(row.status, clean.status, row.decided_at, now)
        for name, value in _field_values(clean).items():
            setattr(row, name, value)
        row.updated_at = now
        session.flush()
        return to_record(row)


def get_application(db: Database, application_id: int) -> ApplicationRecord:
    with db.reading() as session:
        return to_record(_get(session, application_id))


def _get(session: Any, application_id: int) -> Application:
    row = session.get(Application, application_id)
    if row is None:
        raise NotFoundError("Application", application_id)
    return row


def list_applications(db: Database, *, now: datetime, query: str = "") -> list[ApplicationSummary]:
    """Every application, most recently changed first; ``query`` filters as search does.

    ``next_interview_at`` is the earliest interview that has not started by
    ``now`` and was not cancelled; ``search_text`` is what a query is matched
    against (see :func:`afterword.core.search.query_key`).
    """
    clock(now)
    if not isinstance(query, str):
        raise ValidationError("query", "Must be text.")
    ensure_indexed(db)
    next_interview = (
        select(Interview.application_id, func.min(Interview.starts_at).label("next_at"))
        .where(Interview.starts_at >= now, Interview.cancelled.is_(False))
        .group_by(Interview.application_id)
        .subquery()
    )
    statement = (
        select(
            Application.id,
            Application.company,
            Application.role,
            Application.status,
            Application.updated_at,
            next_interview.c.next_at,
            application_index.c.key,
        )
        .outerjoin(next_interview, next_interview.c.application_id == Application.id)
        .outerjoin(application_index, application_index.c.rowid == Application.id)
        .order_by(Application.updated_at.desc(), Application.id.desc())
    )
    if query.strip():
        statement = statement.where(matching_application_ids(query))
    with db.reading() as session:
        rows = session.execute(statement).all()
    return [
        ApplicationSummary(
            id=row.id,
            company=row.company,
            role=row.role,
            status=row.status,
            updated_at=row.updated_at,
            next_interview_at=row.next_at,
            search_text=row.key or "",
        )
        for row in rows
    ]


@dataclass(frozen=True)
class DeletedApplication:
    """Everything a delete removed or unlinked, so :func:`restore_application` can undo it."""

    application_id: int
    label: str
    rows: tuple[RowCopy, ...]
    unlinked_touchpoints: tuple[tuple[int, int | None, int | None], ...]
    unlinked_messages: tuple[tuple[int, int | None, int | None], ...]


def delete_application(db: Database, application_id: int) -> DeletedApplication:
    """Delete an application with its interviews (and their participants).

    Contacts stay. Touchpoints and messages lose their link to the deleted
    rows but are kept: they are the history of talking to real people.
    """
    with db.session() as session:
        row = _get(session, application_id)
        interviews = list(row.interviews)
        interview_ids = [i.id for i in interviews]
        participants = [p for i in interviews for p in i.participants]
        linked = (Touchpoint.application_id == application_id) | Touchpoint.interview_id.in_(
            interview_ids
        )
        touchpoints = session.execute(
            select(Touchpoint.id, Touchpoint.application_id, Touchpoint.interview_id).where(linked)
        ).all()
        message_link = (Message.application_id == application_id) | Message.interview_id.in_(
            interview_ids
        )
        messages = session.execute(
            select(Message.id, Message.application_id, Message.interview_id).where(message_link)
        ).all()
        snapshot = DeletedApplication(
            application_id=application_id,
            label=f"{row.role} at {row.company}",
            rows=copy_rows([row, *interviews, *participants]),
            unlinked_touchpoints=tuple(tuple(t) for t in touchpoints),
            unlinked_messages=tuple(tuple(m) for m in messages),
        )
        session.delete(row)
    logger.info("Deleted application %s", application_id)
    return snapshot


def restore_application(db: Database, deleted: DeletedApplication) -> ApplicationRecord:
    """Undo :func:`delete_application`: the same rows, ids and links come back.

    A participant whose contact was deleted in the meantime cannot come back
    yet: it waits in ``db.parked`` and returns with the contact's own undo.
    Places that waited for these interviews (a contact restored first) come
    back now. Everything else is restored in one transaction.
    """
    interview_ids = {values["id"] for model, values in deleted.rows if model is Interview}
    waiting = [copy for i in interview_ids for copy in db.parked.waiting_for(Interview, i)]
    without_contact: list[RowCopy] = []
    with db.session() as session:

        def ready(copies: Iterable[RowCopy]) -> Iterator[RowCopy]:
            for model, values in copies:
                if model is Participant:
                    if session.get(Contact, values["contact_id"]) is None:
                        without_contact.append((model, values))
                        continue
                    if participant_exists(session, values):
                        continue
                yield model, values

        insert_copies(session, ready(deleted.rows))
        insert_copies(session, ready(waiting))
        for table, links in (
            (Touchpoint, deleted.unlinked_touchpoints),
            (Message, deleted.unlinked_messages),
        ):
            for row_id, application_id, interview_id in links:
                item = session.get(table, row_id)
                if item is None:
                    continue
                # Only the links the delete cut, and only if nobody re-linked
                # the row since: other links may point at rows gone meanwhile.
                if application_id == deleted.application_id and item.application_id is None:
                    item.application_id = application_id
                if interview_id in interview_ids and item.interview_id is None:
                    item.interview_id = interview_id
        restored = to_record(_get(session, deleted.application_id))
    for interview_id in interview_ids:
        db.parked.forget(Interview, interview_id)
    for copy in without_contact:
        db.parked.park((Contact, copy[1]["contact_id"]), [copy])
    logger.info("Restored application %s", deleted.application_id)
    return restored


def record_outcome(
    db: Database, interview_id: int, outcome: InterviewOutcome | None, *, now: datetime
) -> ApplicationRecord:
    """Record how an interview went; the application's status follows.

    A rejection, offer or withdrawal closes the application (and starts, for
    a rejection, the rejection checklist); "advanced" keeps it in interviews.
    Clearing the outcome puts a decided application back to interviewing.
    """
    record_id("interview_id", interview_id)
    if outcome is not None:
        outcome = one_of("outcome", InterviewOutcome, outcome)
    clock(now)
    with db.session() as session:
        interview = session.get(Interview, interview_id)
        if interview is None:
            raise NotFoundError("Interview", interview_id)
        interview.outcome = outcome
        application = interview.application
        new_status = _STATUS_FOR_OUTCOME[outcome] if outcome else ApplicationStatus.INTERVIEWING
        application.decided_at = _decided_at(
            application.status, new_status, application.decided_at, now
        )
        application.status = new_status
        application.updated_at = now
        session.flush()
        return to_record(application)
