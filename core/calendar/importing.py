"""Turning a read invite into an interview: what it would change, then the one write.

:func:`plan_invite` looks at the database (nothing is written): the interview
an earlier version of this invite became (same UID), the application it
belongs to (by company name or by the attendees' email domain), and which
attendees are already contacts (by email address). The preview dialog shows
the plan, the person edits it into an :class:`InviteDraft`, and
:func:`save_invite` writes it in one transaction. :func:`cancel_invite`
handles METHOD:CANCEL: the interview is marked cancelled and its checklist
items are dismissed, so nothing reminds the person of it any more.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from afterword.core.applications import validate_application
from afterword.core.calendar.invites import Invite, InviteError, own_interview_id
from afterword.core.checklist.service import checklist_for_interview
from afterword.core.errors import NotFoundError, ValidationError
from afterword.core.interviews import (
    to_record,
    validate_interview,
    validate_participants,
    write_interview,
)
from afterword.core.storage.db import Database
from afterword.core.storage.models import (
    Application,
    ChecklistState,
    Contact,
    Interview,
    MailAccount,
)
from afterword.core.storage.records import (
    ApplicationFields,
    ContactFields,
    InterviewFields,
    InterviewRecord,
    ParticipantFields,
)
from afterword.core.storage.text import fold
from afterword.core.storage.validation import clock, optional_record_id, web_url
from afterword.core.storage.values import (
    ApplicationStatus,
    ChecklistMark,
    InterviewFormat,
    ParticipantRole,
)

logger = logging.getLogger(__name__)

RECRUITER_TITLE = "Recruiter"
# Addresses at these domains say nothing about the employer.
_PUBLIC_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "proton.me",
        "protonmail.com",
        "resource.calendar.google.com",
        "group.calendar.google.com",
    }
)
_LEGAL_SUFFIX = re.compile(r"\b(inc|llc|ltd|gmbh|ag|plc|corp|co|sa|bv|srl)\b\.?", re.IGNORECASE)
_FIRST_WORD = re.compile(r"[0-9a-z]+")
_SUMMARY_PARTS = re.compile(r"\s+[–—-]\s+|\s*[|:]\s*")


@dataclass(frozen=True, kw_only=True)
class PersonPlan:
    """An attendee, and the contact with the same address if there is one."""

    name: str
    email: str
    organizer: bool
    contact_id: int | None


@dataclass(frozen=True, kw_only=True)
class ApplicationChoice:
    id: int
    label: str


@dataclass(frozen=True, kw_only=True)
class InvitePlan:
    """What importing ``invite`` would do; the preview shows and edits it."""

    invite: Invite
    interview_id: int | None  # the interview an earlier version of the invite became
    stored_sequence: int | None
    stored_start: datetime | None  # when that interview is now (UTC)
    application_id: int | None  # the application it seems to belong to
    company: str  # for a new application
    role: str
    round_name: str
    location: str
    notes: str
    people: tuple[PersonPlan, ...]
    applications: tuple[ApplicationChoice, ...]

    @property
    def stale(self) -> bool:
        """The invite is older than the version already imported."""
        return self.stored_sequence is not None and self.invite.sequence < self.stored_sequence


@dataclass(frozen=True, kw_only=True)
class InvitePersonDraft:
    name: str
    email: str
    organizer: bool = False
    contact_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class InviteDraft:
    """The interview to save, as the person confirmed it in the preview."""

    uid: str
    sequence: int
    application_id: int | None  # None: create an application from company and role
    company: str
    role: str
    starts_at: datetime
    timezone: str
    duration_minutes: int
    round_name: str = ""
    location: str = ""
    video_link: str = ""
    notes: str = ""
    people: tuple[InvitePersonDraft, ...] = ()


def _key(text: str) -> str:
    """A company name folded for comparing: "Contoso GmbH" and "contoso" agree."""
    return re.sub(r"[^0-9a-z]+", "", _LEGAL_SUFFIX.sub("", fold(text)))


def company_from_domain(domain: str) -> str:
    """The organisation label of an email domain: careers.contoso.co.uk -> contoso."""
    labels = domain.lower().split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in ("co", "com", "ac", "org"):
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else labels[0]


def own_addresses(session: Session, extra: Collection[str] = ()) -> set[str]:
    """The person's own addresses: the mail account's and any given."""
    found = {a.strip().lower() for a in extra if a.strip()}
    found.update(e.lower() for e in session.scalars(select(MailAccount.email)) if e)
    return found


def find_interview(session: Session, uid: str) -> Interview | None:
    """The interview an invite with ``uid`` became: imported before, or exported by us."""
    row = session.scalars(
        select(Interview).where(Interview.ical_uid == uid).order_by(Interview.id)
    ).first()
    own_id = own_interview_id(uid)
    if row is None and own_id is not None:
        row = session.get(Interview, own_id)
    return row


def plan_invite(db: Database, invite: Invite, *, own: Collection[str] = ()) -> InvitePlan:
    """What importing ``invite`` would create or change (reads only)."""
    with db.reading() as session:
        mine = own_addresses(session, own)
        people = [p for p in invite.people if p.email not in mine]
        existing = find_interview(session, invite.uid)
        # Newest first, so the oldest contact with an address wins in the dict.
        contacts = {
            fold(c.email): c
            for c in session.scalars(
                select(Contact)
                .where(func.af_fold(Contact.email).in_([fold(p.email) for p in people]))
                .order_by(Contact.id.desc())
            )
        }
        apps = session.execute(
            select(Application.id, Application.company, Application.role).order_by(
                Application.updated_at.desc(), Application.id.desc()
            )
        ).all()
    # The organizer's domain first: it is the employer's (or its recruiter's).
    domains = [p.email.rsplit("@", 1)[1] for p in sorted(people, key=lambda p: not p.organizer)]
    ordered = [company_from_domain(d) for d in domains if d not in _PUBLIC_DOMAINS]
    labels = set(ordered)
    contact_companies = {_key(c.company) for c in contacts.values() if c.company}
    text_key = _key(f"{invite.summary} {invite.description[:500]}")
    # Every match needs the company's key inside one of these, and so its first word.
    haystack = "|".join([text_key, *labels, *contact_companies])
    best: tuple[int, int] | None = None
    for order, (_id, company, _role) in enumerate(apps):
        first = _FIRST_WORD.search(fold(company))
        if first is None or (
            first.group(0) not in haystack and not _LEGAL_SUFFIX.fullmatch(first.group(0))
        ):
            continue  # cheap: most applications are about other companies
        key = _key(company)
        if not key:
            continue
        score = 3 if key in contact_companies else 2 if key in labels else 0
        score = score or (1 if len(key) > 2 and key in text_key else 0)
        if score and (best is None or (score, -order) > (best[0], -best[1])):
            best = (score, order)
    application_id = existing.application_id if existing else None
    if application_id is None and best is not None:
        application_id = apps[best[1]].id
    company = next((c.company for c in contacts.values() if c.company), "")
    if not company and ordered:
        company = ordered[0].capitalize()
    role, round_name = _split_summary(invite.summary, company)
    return InvitePlan(
        invite=invite,
        interview_id=existing.id if existing else None,
        stored_sequence=existing.ical_sequence if existing else None,
        stored_start=existing.starts_at if existing else None,
        application_id=application_id,
        company=company,
        role=role,
        round_name=existing.round_name if existing else round_name,
        location=invite.video_link or invite.location,
        notes=existing.notes if existing else "",
        people=tuple(
            PersonPlan(
                name=p.name,
                email=p.email,
                organizer=p.organizer,
                contact_id=contacts[fold(p.email)].id if fold(p.email) in contacts else None,
            )
            for p in people
        ),
        applications=tuple(
            ApplicationChoice(id=a.id, label=f"{a.company} – {a.role}") for a in apps
        ),
    )


def default_draft(plan: InvitePlan, *, zone: str) -> InviteDraft:
    """The draft the preview starts from; ``zone`` places floating and all-day times."""
    invite = plan.invite
    timezone = invite.zone or zone
    if invite.zone:
        starts_at = invite.start.astimezone(ZoneInfo(invite.zone))
    else:
        starts_at = invite.start.replace(tzinfo=ZoneInfo(zone))
    return InviteDraft(
        uid=invite.uid,
        sequence=invite.sequence,
        application_id=plan.application_id,
        company=plan.company,
        role=plan.role,
        starts_at=starts_at,
        timezone=timezone,
        duration_minutes=invite.duration_minutes,
        round_name=plan.round_name,
        location=plan.location,
        video_link=invite.video_link,
        notes=plan.notes,
        people=tuple(
            InvitePersonDraft(
                name=p.name, email=p.email, organizer=p.organizer, contact_id=p.contact_id
            )
            for p in plan.people
        ),
    )


def _split_summary(summary: str, company: str) -> tuple[str, str]:
    """A role and a round name out of "Northwind – Backend Engineer: technical interview"."""
    key = _key(company)
    parts = [p.strip() for p in _SUMMARY_PARTS.split(summary) if p.strip()]
    rest = [p for p in parts if not key or key not in _key(p)]
    if len(rest) >= 2:
        return rest[0], " ".join(rest[1:])
    if rest:
        # "Vorstellungsgespräch Contoso – Data Analyst": the words around the
        # company name say which round it is.
        around = [word for p in parts if p not in rest for word in p.split() if _key(word) != key]
        return rest[0], " ".join(around)
    # Nothing but the company: the whole title is the best guess at a role.
    return summary.strip()[:200], ""


def save_invite(db: Database, draft: InviteDraft, *, now: datetime) -> InterviewRecord:
    """Create or update the interview of ``draft`` (and its application and contacts) at once.

    An invite whose UID was imported before updates that interview; one with
    a lower SEQUENCE than the stored one is refused. People already in the
    interview stay (with their notes); attendees with a known address are
    linked to that contact, the others become contacts.
    """
    video_link = web_url("video_link", draft.video_link)
    _check_draft(draft, now)
    new_application = None
    if draft.application_id is None:
        new_application = validate_application(
            ApplicationFields(
                company=draft.company, role=draft.role, status=ApplicationStatus.INTERVIEWING
            )
        )
    with db.session() as session:
        existing = find_interview(session, draft.uid)
        ours = own_interview_id(draft.uid) is not None
        if existing is not None and not ours and draft.sequence < existing.ical_sequence:
            raise InviteError(
                f"A newer version of this invite was already imported (version "
                f"{existing.ical_sequence}, this one is {draft.sequence}). Nothing was changed."
            )
        application_id = draft.application_id
        if new_application is not None:
            application = Application(
                **{name: getattr(new_application, name) for name in _APPLICATION_FIELDS},
                created_at=now,
                updated_at=now,
            )
            session.add(application)
            session.flush()
            application_id = application.id
        assert application_id is not None
        company = session.get(Application, application_id)
        if company is None:
            raise NotFoundError("Application", application_id)
        clean = validate_interview(
            InterviewFields(
                application_id=application_id,
                starts_at=draft.starts_at,
                timezone=draft.timezone,
                duration_minutes=draft.duration_minutes,
                round_name=draft.round_name,
                format=InterviewFormat.VIDEO if video_link else _format(draft.location),
                location=draft.location,
                notes=draft.notes,
                outcome=existing.outcome if existing else None,
            )
        )
        people = validate_participants(
            _participants(session, draft, existing, company.company if company else "")
        )
        row = write_interview(
            session, clean, people, now=now, interview_id=existing.id if existing else None
        )
        if not ours:  # Afterword's own export keeps the invite's UID and SEQUENCE
            row.ical_uid = draft.uid
            row.ical_sequence = draft.sequence
        row.cancelled = False
        row.video_link = video_link
        session.flush()
        logger.info("Imported invite as interview %s (sequence %s)", row.id, draft.sequence)
        return to_record(row)


_APPLICATION_FIELDS = ("company", "role", "posting_url", "status", "notes")


def _check_draft(draft: InviteDraft, now: datetime) -> None:
    """What the preview cannot get wrong by typing, checked before anything is written."""
    if not isinstance(draft.uid, str):
        raise ValidationError("uid", "The invite's UID must be text.")
    sequence = draft.sequence
    if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence < 0:
        raise ValidationError("sequence", "The invite's SEQUENCE must be a whole number.")
    optional_record_id("application_id", draft.application_id)
    clock(now)


def _format(location: str) -> InterviewFormat:
    # Called before validate_interview looks at the location: anything but text is refused there.
    on_site = isinstance(location, str) and location.strip()
    return InterviewFormat.ONSITE if on_site else InterviewFormat.VIDEO


def _participants(
    session: Session, draft: InviteDraft, existing: Interview | None, company: str
) -> list[ParticipantFields]:
    result: list[ParticipantFields] = []
    seen: set[int] = set()
    if existing is not None:
        for participant in existing.participants:
            seen.add(participant.contact_id)
            result.append(
                ParticipantFields(contact_id=participant.contact_id, notes=participant.notes)
            )
    for person in draft.people:
        contact_id = person.contact_id
        if contact_id is None and person.email:
            # Matched again here: a second import of the same invite must not
            # create the same people twice.
            contact_id = session.scalars(
                select(Contact.id).where(Contact.email == person.email).order_by(Contact.id)
            ).first()
        if contact_id is not None:
            if contact_id not in seen:
                seen.add(contact_id)
                result.append(ParticipantFields(contact_id=contact_id, role=_role(person)))
            continue
        result.append(
            ParticipantFields(
                new_contact=ContactFields(
                    name=person.name,
                    email=person.email,
                    company=company,
                    title=RECRUITER_TITLE if person.organizer else "",
                ),
                notes="Organised the interview (recruiter)." if person.organizer else "",
                role=_role(person),
            )
        )
    return result


def _role(person: InvitePersonDraft) -> ParticipantRole | None:
    """The organizer is the recruiter; anyone else keeps the role they have (new: interviewer)."""
    return ParticipantRole.RECRUITER if person.organizer else None


def cancel_invite(db: Database, invite: Invite, *, now: datetime) -> InterviewRecord:
    """METHOD:CANCEL: mark the interview cancelled and dismiss its checklist items."""
    with db.reading() as session:
        row = find_interview(session, invite.uid)
        found = row.id if row is not None else None
    if found is None:
        raise InviteError(
            "This cancels an interview that is not in Afterword (its invite was never "
            "imported). Nothing was changed."
        )
    items = [item.key for item in checklist_for_interview(db, found, now) if item.is_actionable]
    with db.session() as session:
        row = session.get(Interview, found)
        if row is None:
            raise InviteError("The interview this cancels was deleted meanwhile.")
        row.cancelled = True
        row.ical_sequence = max(row.ical_sequence, invite.sequence)
        for key in items:
            session.merge(ChecklistState(key=key, mark=ChecklistMark.DISMISSED, updated_at=now))
        session.flush()
        logger.info("Interview %s cancelled by its invite; %d items dismissed", found, len(items))
        return to_record(row)
