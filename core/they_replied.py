"""They replied: one click on a follow-up records the reply, then the new status.

:func:`record_reply` logs a ``replied`` touchpoint on the application (the
same kind the inbox watch records, :mod:`afterword.core.replies`), which ends
the follow-up chain: the checklist's follow-ups stop at a reply newer than
the last follow-up. It returns the statuses the answer may have brought,
likeliest first; :func:`apply_reply_status` records the one the person picks.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select

from afterword.core.applications import get_application, record_outcome, update_application
from afterword.core.errors import NotFoundError, ValidationError
from afterword.core.people import rejection_reply_choices
from afterword.core.storage.db import Database
from afterword.core.storage.models import (
    Application,
    Contact,
    Interview,
    Participant,
    Touchpoint,
)
from afterword.core.storage.records import ApplicationFields, ApplicationRecord, editable
from afterword.core.storage.validation import aware_datetime, one_of
from afterword.core.storage.values import (
    ApplicationStatus,
    InterviewOutcome,
    Purpose,
    TouchpointKind,
)

logger = logging.getLogger(__name__)

# What an answer to a follow-up usually is, by the application's status now.
SUGGESTED = {
    ApplicationStatus.APPLIED: (ApplicationStatus.INTERVIEWING, ApplicationStatus.REJECTED),
    ApplicationStatus.INTERVIEWING: (
        ApplicationStatus.OFFER,
        ApplicationStatus.REJECTED,
        ApplicationStatus.INTERVIEWING,
    ),
}
_OUTCOMES = {
    ApplicationStatus.OFFER: InterviewOutcome.OFFER,
    ApplicationStatus.REJECTED: InterviewOutcome.REJECTED,
    ApplicationStatus.WITHDRAWN: InterviewOutcome.WITHDRAWN,
}
NOBODY = (
    "Nobody is recorded on this application yet: add the person who replied to its "
    "interview, or log the reply on their contact."
)


@dataclass(frozen=True, kw_only=True)
class ReplyRecorded:
    touchpoint_id: int
    application_id: int
    contact_id: int
    name: str
    company: str
    status: ApplicationStatus
    # The statuses to offer, likeliest first; the current one means "no change".
    suggestions: tuple[ApplicationStatus, ...]


def _replier(db: Database, application_id: int) -> tuple[int, str]:
    """Who most likely replied: the person last followed up with, else the reply's first choice."""
    with db.reading() as session:
        followed_up = session.scalars(
            select(Touchpoint)
            .where(
                Touchpoint.application_id == application_id,
                Touchpoint.purpose == Purpose.STATUS_FOLLOW_UP,
            )
            .order_by(Touchpoint.occurred_at.desc(), Touchpoint.id.desc())
            .limit(1)
        ).first()
        if followed_up is not None:
            contact = session.get(Contact, followed_up.contact_id)
            if contact is not None:
                return contact.id, contact.name
    people = rejection_reply_choices(db, application_id).people
    if not people:
        raise ValidationError("contact", NOBODY)
    return people[0].contact_id, people[0].name


def record_reply(
    db: Database, application_id: int, *, now: datetime, contact_id: int | None = None
) -> ReplyRecorded:
    """A ``replied`` touchpoint now, from ``contact_id`` (default: see :func:`_replier`)."""
    now = aware_datetime("now", now)
    if contact_id is None:
        contact_id, _name = _replier(db, application_id)
    with db.session() as session:
        application = session.get(Application, application_id)
        if application is None:
            raise NotFoundError("Application", application_id)
        contact = session.get(Contact, contact_id)
        if contact is None:
            raise NotFoundError("Contact", contact_id)
        row = Touchpoint(
            contact_id=contact_id,
            application_id=application_id,
            kind=TouchpointKind.REPLIED,
            purpose=Purpose.OTHER,
            occurred_at=now,
            note="They replied (recorded by hand)",
        )
        session.add(row)
        session.flush()
        status = ApplicationStatus(application.status)
        logger.info("Reply recorded on application %s", application_id)
        return ReplyRecorded(
            touchpoint_id=row.id,
            application_id=application_id,
            contact_id=contact_id,
            name=contact.name,
            company=application.company,
            status=status,
            suggestions=SUGGESTED.get(status, (status,)),
        )


def apply_reply_status(
    db: Database,
    application_id: int,
    status: ApplicationStatus,
    *,
    contact_id: int,
    now: datetime,
) -> ApplicationRecord:
    """The status their answer brought.

    An offer or a no is the latest interview's outcome (the application
    follows, as in the interview form), told by ``contact_id`` if they were in
    it, so a reply to a rejection goes to them. Without an interview, or for
    another status, the application's status is set.
    """
    status = one_of("status", ApplicationStatus, status)
    outcome = _OUTCOMES.get(status)
    with db.session() as session:
        if session.get(Application, application_id) is None:
            raise NotFoundError("Application", application_id)
        latest = session.scalars(
            select(Interview)
            .where(Interview.application_id == application_id)
            .order_by(Interview.starts_at.desc(), Interview.id.desc())
            .limit(1)
        ).first()
        latest_id = latest.id if latest is not None else None
        if latest_id is not None and outcome is not None:
            for participant in session.scalars(
                select(Participant).where(Participant.interview_id == latest_id)
            ):
                participant.delivered_outcome = participant.contact_id == contact_id
    if latest_id is not None and outcome is not None:
        return record_outcome(db, latest_id, outcome, now=now)
    stored = get_application(db, application_id)
    if stored.status == status:
        return stored
    values = editable(stored, ApplicationFields)
    return update_application(db, application_id, replace(values, status=status), now=now)
