"""Plain values shared by the core and the GUI: the enums stored in the
database and the few constants about them.

Kept apart from :mod:`afterword.core.storage.models` so that reading an enum
never imports SQLAlchemy: the GUI's first paint and its widgets use these
without loading the ORM.
"""

from __future__ import annotations

import enum


class ApplicationStatus(enum.StrEnum):
    APPLIED = "applied"
    INTERVIEWING = "interviewing"
    OFFER = "offer"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


# An application in one of these states has had its answer: no status follow-up.
DECIDED_STATUSES = frozenset(
    {
        ApplicationStatus.OFFER,
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
    }
)


class InterviewFormat(enum.StrEnum):
    VIDEO = "video"
    PHONE = "phone"
    ONSITE = "onsite"


class InterviewOutcome(enum.StrEnum):
    ADVANCED = "advanced"
    OFFER = "offer"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class TouchpointKind(enum.StrEnum):
    EMAIL = "email"
    LINKEDIN = "linkedin"
    CALL = "call"
    LETTER = "letter"
    MEETING = "meeting"
    # They wrote back (noticed in the inbox); not something the user did.
    REPLIED = "replied"
    # Asked someone to refer you (its outcome says how it went).
    REFERRAL = "referral"


class ReferralOutcome(enum.StrEnum):
    ASKED = "asked"
    REFERRED = "referred"
    DECLINED = "declined"
    INTERVIEW = "interview"


class ParticipantRole(enum.StrEnum):
    """What a person is on an application; everyone listed before roles existed interviewed."""

    RECRUITER = "recruiter"
    HIRING_MANAGER = "hiring_manager"
    INTERVIEWER = "interviewer"
    REFERRER = "referrer"
    OTHER = "other"


class Purpose(enum.StrEnum):
    """Why a touchpoint or message happened; the checklist reads this."""

    THANK_YOU = "thank_you"
    STATUS_FOLLOW_UP = "status_follow_up"
    REJECTION_REPLY = "rejection_reply"
    CHECK_IN = "check_in"
    OTHER = "other"


class ReplyRequest(enum.StrEnum):
    """What a reply to a rejection can ask for, each in a paragraph of its own."""

    FEEDBACK = "feedback"
    STILL_INTERESTED = "still_interested"
    REFERRAL = "referral"
    STAY_IN_TOUCH = "stay_in_touch"


REPLY_REQUESTS = frozenset(ReplyRequest)


class MessageStatus(enum.StrEnum):
    DRAFT = "draft"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    # The server may have the message: the connection dropped after DATA, or
    # the app died while sending. Never silently turned back into a draft.
    UNKNOWN = "unknown"


class MailSecurity(enum.StrEnum):
    SSL = "ssl"
    STARTTLS = "starttls"
    NONE = "none"


class SignIn(enum.StrEnum):
    """How the mail account signs in: its password, or OAuth with the provider (XOAUTH2)."""

    PASSWORD = "password"
    MICROSOFT = "microsoft"
    GOOGLE = "google"


class ChecklistMark(enum.StrEnum):
    DONE = "done"
    DISMISSED = "dismissed"
    SNOOZED = "snoozed"
