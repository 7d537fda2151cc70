"""The recorded facts the checklist rules read, as plain frozen values (no ORM).

:mod:`afterword.core.checklist.service` fills them from the database; tests build them
by hand. Every datetime is time-zone aware. Texts are as the services store
them (already trimmed), so "recorded" simply means "not empty".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from afterword.core.storage.values import (
    ApplicationStatus,
    ChecklistMark,
    InterviewOutcome,
    Purpose,
    ReplyRequest,
    TouchpointKind,
)

DEFAULT_FOLLOW_UP_BUSINESS_DAYS = 2
DEFAULT_SECOND_FOLLOW_UP_BUSINESS_DAYS = 5


@dataclass(frozen=True, kw_only=True)
class ParticipantFacts:
    """A person in an interview, as far as the checklist cares."""

    contact_id: int
    name: str
    email: str


@dataclass(frozen=True, kw_only=True)
class InterviewFacts:
    id: int
    starts_at: datetime
    timezone: str  # IANA name: defines "the day of the interview"
    duration_minutes: int
    round_name: str = ""
    outcome: InterviewOutcome | None = None
    participants: tuple[ParticipantFacts, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ApplicationFacts:
    id: int
    company: str
    role: str
    status: ApplicationStatus
    created_at: datetime
    updated_at: datetime
    decision_expected: date | None = None
    next_steps: str = ""
    still_interested: bool = True
    decided_at: datetime | None = None
    interviews: tuple[InterviewFacts, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ContactFacts:
    id: int
    name: str
    cadence_days: int | None
    created_at: datetime
    last_touchpoint_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class TouchpointFacts:
    """One recorded contact with a person (an email sent, a call, a letter...)."""

    contact_id: int
    application_id: int | None
    interview_id: int | None
    kind: TouchpointKind
    purpose: Purpose
    occurred_at: datetime
    # What a sent reply to a rejection asked for (ReplyRequest values); None
    # when not known (logged by hand), which counts as asking for everything.
    requests: frozenset[str] | None = None

    def asked(self, request: ReplyRequest) -> bool:
        """Whether this touchpoint asked for ``request`` (unknown: it did)."""
        return self.requests is None or request in self.requests


@dataclass(frozen=True, kw_only=True)
class ManualMark:
    """What the user said by hand about the item with this key, and when."""

    key: str
    mark: ChecklistMark
    at: datetime
    snoozed_until: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class RuleSettings:
    """The user-adjustable parts of the rules (stored in the ``settings`` table)."""

    follow_up_business_days: int = DEFAULT_FOLLOW_UP_BUSINESS_DAYS
    second_follow_up_business_days: int = DEFAULT_SECOND_FOLLOW_UP_BUSINESS_DAYS
