"""The draft a checklist item, a rejection reply or a note asks for: to whom, signed by whom.

Each function is a core write (it may create the draft, or write an untouched
one again): the GUI runs them through ``context.ops.write``. The drafting
itself is :mod:`afterword.core.mail.drafts`; this module picks the recipient
and the sender's name the way a person would expect.
"""

from __future__ import annotations

import logging
from datetime import datetime

from afterword.core.checklist.items import ChecklistItem, ItemKind, ItemState
from afterword.core.checklist.service import checklist_for_application
from afterword.core.interviews import list_interviews
from afterword.core.mail.accounts import sender_name
from afterword.core.mail.drafts import (
    prepare_draft,
    prepare_thank_you_drafts,
    rewrite_draft,
)
from afterword.core.people import ReplyChoices, rejection_reply_choices
from afterword.core.storage.db import Database
from afterword.core.storage.records import MessageRecord
from afterword.core.storage.values import REPLY_REQUESTS, Purpose, ReplyRequest

logger = logging.getLogger(__name__)

# The checklist item each request of a reply to a rejection answers.
_REQUEST_OF_ITEM = {
    ItemKind.ASK_FEEDBACK: ReplyRequest.FEEDBACK,
    ItemKind.SAY_STILL_INTERESTED: ReplyRequest.STILL_INTERESTED,
    ItemKind.ASK_REFERRAL: ReplyRequest.REFERRAL,
}


def thank_you_drafts(
    db: Database, interview_id: int, *, now: datetime, contact_id: int | None = None
) -> list[MessageRecord]:
    """The interview's thank-you drafts, signed with the mail account's name."""
    return prepare_thank_you_drafts(
        db, interview_id, now=now, my_name=sender_name(db), contact_id=contact_id
    )


def draft_for_item(db: Database, item: ChecklistItem, *, now: datetime) -> MessageRecord:
    """The draft (new or the unsent one) for a follow-up, reply or check-in item."""
    if item.purpose is None:
        raise ValueError(f"Checklist item {item.key} has no message to write")
    contact_id, interview_id = item.contact_id, item.interview_id
    if (
        contact_id is None
        and item.application_id is not None
        and item.purpose is Purpose.REJECTION_REPLY
    ):
        # Whoever told you the news, else the recruiter, the hiring manager...
        people = rejection_reply_choices(db, item.application_id).people
        if people:
            contact_id, interview_id = people[0].contact_id, people[0].interview_id
    if contact_id is None and item.application_id is not None:
        # An application's follow-up or reply goes to someone met there: the
        # first person of its latest interview, whose notes then fill in.
        contact_id, interview_id = _main_contact(db, item.application_id)
    return prepare_draft(
        db,
        purpose=item.purpose,
        application_id=item.application_id,
        contact_id=contact_id,
        interview_id=interview_id,
        now=now,
        my_name=sender_name(db),
    )


def requests_still_to_make(db: Database, application_id: int, now: datetime) -> frozenset[str]:
    """What a new reply to the rejection asks for unless the person says otherwise.

    Every request, less those whose checklist item is done or dismissed (an
    earlier reply asked, or the person decided not to).
    """
    settled = {
        request
        for item in checklist_for_application(db, application_id, now)
        if (request := _REQUEST_OF_ITEM.get(item.kind)) is not None
        and item.state in (ItemState.DONE, ItemState.DISMISSED)
    }
    return REPLY_REQUESTS - settled


def reply_setup(
    db: Database, application_id: int, now: datetime
) -> tuple[ReplyChoices, frozenset[str]]:
    """Whom a reply to the rejection can go to, and what it asks for by default."""
    return rejection_reply_choices(db, application_id), requests_still_to_make(
        db, application_id, now
    )


def reply_draft(
    db: Database,
    *,
    application_id: int,
    contact_id: int | None,
    interview_id: int | None,
    requests: frozenset[str],
    now: datetime,
) -> MessageRecord:
    """The reply to a rejection, to the person chosen, asking only for ``requests``."""
    return prepare_draft(
        db,
        purpose=Purpose.REJECTION_REPLY,
        application_id=application_id,
        contact_id=contact_id,
        interview_id=interview_id,
        now=now,
        my_name=sender_name(db),
        requests=requests,
    )


def note_draft(
    db: Database, application_id: int, contact_id: int, variant: str, *, now: datetime
) -> MessageRecord:
    """A note to someone met at an application, from the built-in template ``variant``
    ("withdrawn", "offer_accepted", "offer_declined")."""
    return prepare_draft(
        db,
        purpose=Purpose.OTHER,
        application_id=application_id,
        contact_id=contact_id,
        variant=variant,
        now=now,
        my_name=sender_name(db),
    )


def draft_written_again(db: Database, message_id: int, *, now: datetime) -> MessageRecord:
    """The draft written afresh from today's facts (see :func:`rewrite_draft`)."""
    return rewrite_draft(db, message_id, now=now, my_name=sender_name(db))


def _main_contact(db: Database, application_id: int) -> tuple[int | None, int | None]:
    for interview in reversed(list_interviews(db, application_id)):
        if interview.participants:
            return interview.participants[0].contact_id, interview.id
    return None, None
