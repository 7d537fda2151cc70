"""The people around an application: their roles, who to reply to after a rejection,
who you know at a company, and where to look them up on LinkedIn.

Roles live on the participant rows (``participants.role``): a person is a
recruiter, hiring manager, interviewer, referrer or other *on that
application*. The person who told you the outcome is marked there too
(``participants.delivered_outcome``), and :func:`rejection_reply_choices`
offers them first as the one to reply to.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from afterword.core.errors import NotFoundError
from afterword.core.mail.draft_writing import kept_as_left
from afterword.core.storage.db import Database
from afterword.core.storage.models import (
    Application,
    Contact,
    Interview,
    Message,
    Participant,
)
from afterword.core.storage.text import fold
from afterword.core.storage.values import (
    ApplicationStatus,
    MessageStatus,
    ParticipantRole,
    Purpose,
)

logger = logging.getLogger(__name__)

LINKEDIN_PEOPLE_SEARCH = "https://www.linkedin.com/search/results/people/"
# Whom a reply goes to when nobody is marked as having told you: the recruiter
# usually delivers the news, then the hiring manager.
_REPLY_ORDER = (
    ParticipantRole.RECRUITER,
    ParticipantRole.HIRING_MANAGER,
    ParticipantRole.INTERVIEWER,
    ParticipantRole.REFERRER,
    ParticipantRole.OTHER,
)


def linkedin_search_url(name: str, company: str = "") -> str:
    """A LinkedIn people search for ``name`` at ``company`` (both may be empty)."""
    keywords = " ".join(part.strip() for part in (name, company) if part.strip())
    return f"{LINKEDIN_PEOPLE_SEARCH}?{urlencode({'keywords': keywords})}"


@dataclass(frozen=True, kw_only=True)
class ReplyPerson:
    """Someone on the application who could get the reply to a rejection."""

    contact_id: int
    interview_id: int
    name: str
    email: str
    role: ParticipantRole
    delivered_outcome: bool


@dataclass(frozen=True, kw_only=True)
class ReplyChoices:
    application_id: int
    company: str
    still_interested: bool
    # Best first: who told you, then by role, then the latest interview's people.
    people: tuple[ReplyPerson, ...]
    # People who already have an unsent reply they edited (or tried to send): it opens
    # as it was left. One not edited yet is written again with what is asked for now.
    drafted: frozenset[int] = frozenset()


def rejection_reply_choices(db: Database, application_id: int) -> ReplyChoices:
    """The people to choose from for the reply to a rejection, the likeliest first.

    A person met in several interviews is listed once, for the latest of them.
    """
    with db.reading() as session:
        application = session.get(Application, application_id)
        if application is None:
            raise NotFoundError("Application", application_id)
        rows = session.scalars(
            select(Participant)
            .join(Interview, Interview.id == Participant.interview_id)
            .where(Interview.application_id == application_id)
            .options(selectinload(Participant.contact))
            .order_by(Interview.starts_at.desc(), Interview.id.desc(), Participant.id)
        ).all()
        seen: dict[int, ReplyPerson] = {}
        for row in rows:
            person = ReplyPerson(
                contact_id=row.contact_id,
                interview_id=row.interview_id,
                name=row.contact.name,
                email=row.contact.email,
                role=row.role,
                delivered_outcome=row.delivered_outcome,
            )
            earlier = seen.get(row.contact_id)
            # Listed once, for the latest interview, unless an earlier one says they told you.
            if earlier is None or (person.delivered_outcome and not earlier.delivered_outcome):
                seen[row.contact_id] = person
        latest_first = list(seen.values())
        people = sorted(
            latest_first,
            key=lambda p: (not p.delivered_outcome, _REPLY_ORDER.index(ParticipantRole(p.role))),
        )
        drafted = session.scalars(
            select(Message.contact_id).where(
                Message.application_id == application_id,
                Message.purpose == Purpose.REJECTION_REPLY,
                Message.status.in_([MessageStatus.DRAFT, MessageStatus.FAILED]),
                kept_as_left(),
                Message.contact_id.is_not(None),
            )
        )
        return ReplyChoices(
            application_id=application.id,
            company=application.company,
            still_interested=application.still_interested,
            people=tuple(people),
            drafted=frozenset(contact_id for contact_id in drafted if contact_id is not None),
        )


@dataclass(frozen=True, kw_only=True)
class CompanyPerson:
    """Someone you know at a company, and where you met them."""

    contact_id: int
    name: str
    title: str
    email: str
    linkedin_url: str
    # "Recruiter on Data Engineer (rejected)", one per application they were on.
    met_on: tuple[str, ...]
    # Their latest interview that has begun, and their next one (not cancelled).
    last_met_at: datetime | None
    next_meeting_at: datetime | None = None


ROLE_WORDS = {
    ParticipantRole.RECRUITER: "Recruiter",
    ParticipantRole.HIRING_MANAGER: "Hiring manager",
    ParticipantRole.INTERVIEWER: "Interviewer",
    ParticipantRole.REFERRER: "Referrer",
    ParticipantRole.OTHER: "Met",
}
_STATUS_WORDS = {
    ApplicationStatus.APPLIED: "applied",
    ApplicationStatus.INTERVIEWING: "interviewing",
    ApplicationStatus.OFFER: "offer",
    ApplicationStatus.ACCEPTED: "accepted",
    ApplicationStatus.REJECTED: "rejected",
    ApplicationStatus.WITHDRAWN: "withdrawn",
}


def people_at_company(db: Database, company: str, *, now: datetime) -> list[CompanyPerson]:
    """Everyone you know at ``company`` (compared without case or accents), across
    applications: its contacts and the people met in its interviews, by name.

    An interview that begins after ``now`` is their next meeting, not the last time
    you met them; cancelled interviews are neither.
    """
    wanted = fold(company.strip())
    if not wanted:
        return []
    with db.reading() as session:
        contacts = {
            c.id: c for c in session.scalars(select(Contact)) if fold(c.company.strip()) == wanted
        }
        met: dict[int, list[str]] = {}
        last: dict[int, datetime] = {}
        upcoming: dict[int, datetime] = {}
        held = Interview.cancelled.is_(False)
        rows = session.execute(
            select(
                Participant.contact_id,
                Participant.role,
                Application,
                func.max(case((held & (Interview.starts_at <= now), Interview.starts_at))),
                func.min(case((held & (Interview.starts_at > now), Interview.starts_at))),
            )
            .join(Interview, Interview.id == Participant.interview_id)
            .join(Application, Application.id == Interview.application_id)
            .group_by(Participant.contact_id, Participant.role, Application.id)
            .order_by(Application.id)
        ).all()
        for contact_id, role, application, began_at, begins_at in rows:
            if fold(application.company.strip()) != wanted:
                continue
            if contact_id not in contacts:
                contact = session.get(Contact, contact_id)
                if contact is None:
                    continue
                contacts[contact_id] = contact
            status = _STATUS_WORDS[ApplicationStatus(application.status)]
            met.setdefault(contact_id, []).append(
                f"{ROLE_WORDS[ParticipantRole(role)]} on {application.role} ({status})"
            )
            if began_at is not None:
                last[contact_id] = max(last.get(contact_id, began_at), began_at)
            if begins_at is not None:
                upcoming[contact_id] = min(upcoming.get(contact_id, begins_at), begins_at)
        people = [
            CompanyPerson(
                contact_id=contact.id,
                name=contact.name,
                title=contact.title,
                email=contact.email,
                linkedin_url=contact.linkedin_url,
                met_on=tuple(met.get(contact.id, ())),
                last_met_at=last.get(contact.id),
                next_meeting_at=upcoming.get(contact.id),
            )
            for contact in contacts.values()
        ]
    return sorted(people, key=lambda p: fold(p.name))
