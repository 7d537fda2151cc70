"""Messages in forms other than SMTP: a ``mailto:`` link for the person's own
mail program and a letter laid out for post (printed or saved as PDF).

This package is the home of every export format; each format is a pure
function of plain records, so it can be tested without a screen or a file.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from afterword.core.mail.sentences import MONTH_NAMES
from afterword.core.storage.records import MessageRecord
from afterword.core.storage.validation import aware_datetime


def mailto_url(draft: MessageRecord) -> str:
    """A ``mailto:`` link (RFC 6068) that opens the draft in the user's mail program.

    Everything is UTF-8 and percent-encoded; line breaks become ``%0D%0A`` as
    the RFC asks. Some mail programs cut very long links short.
    """
    address = quote(draft.to_address.strip(), safe="@")
    body = draft.body.replace("\r\n", "\n").replace("\n", "\r\n")
    return f"mailto:{address}?subject={quote(draft.subject, safe='')}&body={quote(body, safe='')}"


def letter_text(
    draft: MessageRecord,
    sender_name: str,
    sender_address: str,
    now: datetime,
    *,
    recipient_address: str = "",
) -> str:
    """The draft laid out as a letter for post: sender, date, recipient, subject, body.

    ``sender_address`` and ``recipient_address`` are postal addresses (several
    lines each, may be empty); the date is ``now``'s day in ``now``'s zone.
    """
    today = aware_datetime("now", now).date()
    blocks = [
        _lines(sender_name, sender_address),
        f"{today.day} {MONTH_NAMES[today.month - 1]} {today.year}",
        _lines(draft.to_name, recipient_address),
        draft.subject.strip(),
        draft.body.strip(),
    ]
    return "\n\n".join(block for block in blocks if block) + "\n"


def _lines(*parts: str) -> str:
    return "\n".join(line.strip() for part in parts for line in part.splitlines() if line.strip())
