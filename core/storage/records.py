"""Plain, immutable records that core functions take and return.

``*Fields`` classes are what a form fills in; ``*Record`` classes add what the
database knows (ids, timestamps, derived values). They are frozen dataclasses
so they can cross threads and outlive any session; ORM rows never leave the
core.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

from afterword.core.storage.values import (
    ApplicationStatus,
    InterviewFormat,
    InterviewOutcome,
    MailSecurity,
    MessageStatus,
    ParticipantRole,
    Purpose,
    ReferralOutcome,
    SignIn,
    TouchpointKind,
)

_Fields = TypeVar("_Fields")


def editable(record: object, kind: type[_Fields]) -> _Fields:
    """The ``kind`` part of a stored record (the ``ApplicationFields`` of an
    ``ApplicationRecord``): what to change with ``dataclasses.replace`` and save."""
    return kind(**{f.name: getattr(record, f.name) for f in fields(kind)})  # type: ignore[arg-type]


@dataclass(frozen=True, kw_only=True)
class ApplicationFields:
    company: str
    role: str
    posting_url: str = ""
    status: ApplicationStatus = ApplicationStatus.APPLIED
    why_interested: str = ""
    next_steps: str = ""
    decision_expected: date | None = None
    still_interested: bool = True
    notes: str = ""


@dataclass(frozen=True, kw_only=True)
class ApplicationRecord(ApplicationFields):
    id: int
    created_at: datetime
    updated_at: datetime
    decided_at: datetime | None = None
    # What its job posting said (kept because postings vanish); not form fields:
    # they are filled by imports (afterword.core.imports), never by the form.
    location: str = ""
    salary: str = ""
    date_posted: date | None = None
    description: str = ""
    # Goes up with every change; an edit based on an older one is refused.
    version: int = 1


@dataclass(frozen=True, kw_only=True)
class ApplicationSummary:
    """One row of the applications table."""

    id: int
    company: str
    role: str
    status: ApplicationStatus
    next_interview_at: datetime | None
    updated_at: datetime
    # Folded company, role, and the names and emails of the people met: what
    # a query is matched against (afterword.core.search.query_key).
    search_text: str = ""


@dataclass(frozen=True, kw_only=True)
class ContactFields:
    name: str
    email: str = ""
    phone: str = ""
    title: str = ""
    company: str = ""
    linkedin_url: str = ""
    notes: str = ""
    cadence_days: int | None = None


@dataclass(frozen=True, kw_only=True)
class ContactRecord(ContactFields):
    id: int
    created_at: datetime
    last_contacted_at: datetime | None = None
    version: int = 1


@dataclass(frozen=True, kw_only=True)
class ParticipantFields:
    """A person in an interview: an existing contact, or a new one to create."""

    contact_id: int | None = None
    new_contact: ContactFields | None = None
    notes: str = ""
    # None leaves what is stored (someone new: an interviewer who did not tell you
    # the outcome), so callers that know nothing of roles (an updated calendar
    # invite) keep what the person set.
    role: ParticipantRole | None = None
    # This person told you the outcome (at most one per interview).
    delivered_outcome: bool | None = None
    # An existing contact's LinkedIn, as edited in the form (None: left as it is).
    linkedin_url: str | None = None


@dataclass(frozen=True, kw_only=True)
class ParticipantRecord:
    id: int
    interview_id: int
    contact_id: int
    contact_name: str
    contact_email: str
    contact_title: str
    notes: str
    role: ParticipantRole = ParticipantRole.INTERVIEWER
    delivered_outcome: bool = False
    contact_linkedin: str = ""


@dataclass(frozen=True, kw_only=True)
class InterviewFields:
    application_id: int
    starts_at: datetime
    timezone: str
    duration_minutes: int = 60
    round_name: str = ""
    format: InterviewFormat = InterviewFormat.VIDEO
    location: str = ""
    notes: str = ""
    outcome: InterviewOutcome | None = None

    @property
    def ends_at(self) -> datetime:
        """The end, in the start's zone; added in UTC so a daylight-saving change counts."""
        duration = timedelta(minutes=self.duration_minutes)
        if self.starts_at.tzinfo is None:
            return self.starts_at + duration
        return (self.starts_at.astimezone(UTC) + duration).astimezone(self.starts_at.tzinfo)


@dataclass(frozen=True, kw_only=True)
class InterviewRecord(InterviewFields):
    id: int
    company: str
    role: str
    participants: tuple[ParticipantRecord, ...] = ()
    # From its calendar invite (afterword.core.calendar); not form fields.
    cancelled: bool = False
    video_link: str = ""
    version: int = 1


@dataclass(frozen=True, kw_only=True)
class TouchpointFields:
    contact_id: int
    kind: TouchpointKind
    occurred_at: datetime
    purpose: Purpose = Purpose.OTHER
    note: str = ""
    application_id: int | None = None
    interview_id: int | None = None
    # How a referral went; only for kind "referral".
    referral_outcome: ReferralOutcome | None = None


@dataclass(frozen=True, kw_only=True)
class TouchpointRecord(TouchpointFields):
    id: int
    message_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class MailAccountFields:
    """SMTP settings. There is deliberately no password here: it lives in the keyring."""

    display_name: str
    email: str
    smtp_host: str
    smtp_port: int
    security: MailSecurity
    username: str
    bcc_self: bool = False
    # OAuth sign-ins keep a refresh token in the keyring instead of a password.
    sign_in: SignIn = SignIn.PASSWORD


@dataclass(frozen=True, kw_only=True)
class ImapFields:
    """Where the account's mail is read, for the copy in Sent and for replies.

    An empty host means the provider's (if it is a known one), an empty
    folder the one marked ``\\Sent`` or with a common name. Same user name
    and password as for sending.
    """

    imap_host: str = ""
    imap_port: int = 993
    imap_security: MailSecurity = MailSecurity.SSL
    sent_folder: str = ""
    watch_replies: bool = False


@dataclass(frozen=True, kw_only=True)
class MailAccountRecord(MailAccountFields, ImapFields):
    id: int
    replies_checked_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class MessageRecord:
    id: int
    purpose: Purpose
    status: MessageStatus
    to_name: str
    to_address: str
    subject: str
    body: str
    bcc_self: bool
    contact_id: int | None
    application_id: int | None
    interview_id: int | None
    account_id: int | None
    message_id_header: str
    error: str
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None
    warning: str = ""
    # What a reply to a rejection asks for (ReplyRequest values); None for other notes.
    requests: frozenset[str] | None = None


@dataclass(frozen=True, kw_only=True)
class TemplateRecord:
    id: int
    purpose: Purpose
    name: str
    subject: str
    body: str
    builtin: bool
    variant: str = ""
