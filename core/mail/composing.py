"""What the composer needs of one message, read in one go off the GUI thread.

The composer's tab shows the message as stored, checks it against its
:class:`~afterword.core.mail.drafts.DraftContext` (the notes, the other drafts,
the facts its words depend on), and prints the sender's name on a letter.
The openers prepare this in the same worker call that writes the drafts, and a
tab reads it again (:func:`composer_draft`) when another window changed the message.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from afterword.core.mail.accounts import sender_name
from afterword.core.mail.drafts import DraftContext, draft_context, get_message
from afterword.core.storage.db import Database
from afterword.core.storage.records import MessageRecord

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ComposerDraft:
    """One message as stored, what it is checked against, and who signs the letter."""

    record: MessageRecord
    context: DraftContext
    # The mail account's display name ("" when no account is set up yet).
    sender: str = ""


def composer_draft(db: Database, message_id: int) -> ComposerDraft:
    """The message ``message_id`` with its context and the sender's name.

    Raises :class:`~afterword.core.errors.NotFoundError` for a deleted message.
    """
    return composer_drafts(db, [message_id])[0]


def composer_drafts(db: Database, message_ids: Iterable[int]) -> list[ComposerDraft]:
    """:func:`composer_draft` for each message, in the order given."""
    sender = sender_name(db)
    return [
        ComposerDraft(get_message(db, message_id), draft_context(db, message_id), sender)
        for message_id in message_ids
    ]
