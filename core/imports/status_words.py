"""What a spreadsheet's status cell means: Afterword's statuses and other trackers' stage names.

A status is matched as a whole phrase (case and punctuation ignored), never
by a word inside it: "No offer yet" is not an offer and "Not rejected" is
not a rejection. A phrase this table does not hold gives None, and the
import keeps the default status with a note the person sees in the preview.
"""

from __future__ import annotations

import logging
import re

from afterword.core.storage.text import fold
from afterword.core.storage.values import ApplicationStatus

logger = logging.getLogger(__name__)

# The stages of Huntr ("Wishlist", "Applied", "Interview", "Offer", "Rejected"),
# Teal ("Applied", "Interviewing", "Negotiating", "Accepted", "I Withdrew",
# "Not Selected", "No Response") and the words people type in their own sheets.
_PHRASES: dict[ApplicationStatus, tuple[str, ...]] = {
    ApplicationStatus.APPLIED: (
        "applied",
        "application sent",
        "application submitted",
        "submitted",
        "no response",
        "no reply",
        "no answer",
        "awaiting response",
        "waiting for response",
    ),
    ApplicationStatus.INTERVIEWING: (
        "interviewing",
        "interview",
        "interviews",
        "interview scheduled",
        "in interview",
        "in interviews",
        "phone screen",
        "phone interview",
        "screen",
        "screening",
        "recruiter screen",
        "technical interview",
        "onsite",
        "on site",
        "final interview",
        "final round",
    ),
    ApplicationStatus.OFFER: (
        "offer",
        "offered",
        "offer received",
        "got an offer",
        "got offer",
        "negotiating",
        "negotiation",
    ),
    ApplicationStatus.ACCEPTED: ("accepted", "offer accepted", "hired", "signed"),
    ApplicationStatus.REJECTED: (
        "rejected",
        "rejection",
        "declined",
        "not selected",
        "unsuccessful",
        "turned down",
        "no offer",
    ),
    ApplicationStatus.WITHDRAWN: (
        "withdrawn",
        "withdrew",
        "i withdrew",
        "withdrawal",
        "archived",
        "offer declined",
        "declined offer",
        "not interested",
    ),
}
_STATUS_BY_PHRASE: dict[str, ApplicationStatus] = {
    phrase: status for status, phrases in _PHRASES.items() for phrase in phrases
}


def plain_words(text: str) -> str:
    """``text`` folded, with every run of punctuation and spaces one space: how names compare."""
    return re.sub(r"[^0-9a-z]+", " ", fold(text)).strip()


def read_status(text: str) -> ApplicationStatus | None:
    """The status a cell names; None for a phrase this import does not know."""
    return _STATUS_BY_PHRASE.get(plain_words(text))
