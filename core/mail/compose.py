"""Building the email itself: headers that cannot be injected, UTF-8 text, stable Message-ID.

Everything a person typed (names, subject, addresses) is checked before it
becomes a header: a line break or control character is refused with a
:class:`afterword.core.errors.ValidationError`, never silently folded into a second
header. The result is a standard-library :class:`email.message.EmailMessage`
whose wire form (:func:`wire_bytes`) is 7-bit clean, so any SMTP server takes
it without the 8BITMIME or SMTPUTF8 extensions.

Names and subjects are encoded here rather than by the email package's
folder: on Python 3.11 that folder can glue an encoded word to the next
character (``=?utf-8?b?44CA?=_``, gibberish to RFC 2047 readers), double a
space where it folds, and drop the quotes around a long name.
:class:`email.header.Header` splits text into whole encoded words and
:func:`email.utils.formataddr` quotes exactly; both are sent as they are.
"""

from __future__ import annotations

import copy
import email.policy
import functools
import re
from datetime import datetime
from email.errors import HeaderParseError
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

from afterword.core.errors import ValidationError
from afterword.core.storage.validation import (
    SHORT_TEXT_LIMIT,
    aware_datetime,
    email_address,
    long_text,
    no_encoded_words,
    single_line,
)

# RFC 5322's hard limit for one header line; the subject column uses it too.
SUBJECT_LIMIT = 998

# CRLF line ends for SMTP; 7-bit transfer encodings (quoted-printable or
# base64 for non-ASCII text) so no server extension is needed; the headers
# built here are sent exactly as built, never refolded.
POLICY = email.policy.SMTP.clone(cte_type="7bit", refold_source="none")

_SPACE_RUN = re.compile(r"[ \t]+")


# Cached: the account's own address is checked on every send (failures are not cached).
@functools.lru_cache(maxsize=256)
def _wire_address(field: str, value: str) -> str:
    """The address as it goes into headers and the SMTP envelope (ASCII only).

    A non-ASCII domain is sent in its IDNA (punycode) form, which every server
    understands; a non-ASCII name before the @ would need SMTPUTF8, which
    many servers lack, so it is refused with an explanation instead.
    """
    text = email_address(field, value, required=True)
    local, _, domain = text.rpartition("@")
    if not local.isascii():
        raise ValidationError(
            field,
            f"“{text}” has letters before the @ that most mail servers cannot deliver to "
            "(only A-Z, digits and . _ - + work everywhere).",
        )
    if not domain.isascii():
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise ValidationError(field, f"“{text}” has a domain name that is not valid.") from exc
    wire = f"{local}@{domain}"
    # The header parser is stricter than the simple check above: an address it
    # would rewrite or cut short (quotes, commas, brackets) is not sent at all,
    # so the envelope and the header always name the same mailbox.
    try:
        parsed = Address(addr_spec=wire).addr_spec
    except (ValueError, HeaderParseError):
        parsed = None
    if parsed != wire:
        raise ValidationError(field, f"“{text}” is not an address a mail server accepts.")
    return wire


# How a refusal names each header field, since it may be shown away from the field.
_LABELS = {
    "from_name": "Your name",
    "to_name": "The recipient's name",
    "subject": "The subject",
    "message_id": "The Message-ID",
}


def header_text(field: str, value: str, *, limit: int = SHORT_TEXT_LIMIT) -> str:
    """Single-line text for a header, refusing what could smuggle in another header."""
    text = single_line(field, value, limit=limit)
    return no_encoded_words(field, text, label=_LABELS[field])


def _display_name(field: str, value: str) -> str:
    # In an address header a run of spaces or tabs is one space to every reader.
    return _SPACE_RUN.sub(" ", header_text(field, value, limit=SHORT_TEXT_LIMIT))


def _encoded_words(text: str, header_name: str) -> str:
    return Header(text, "utf-8", header_name=header_name).encode(linesep="\r\n")


def _set_text(message: EmailMessage, name: str, text: str) -> None:
    if text.isascii() and len(name) + 2 + len(text) <= POLICY.max_line_length:
        message.set_raw(name, text)
    else:
        # Anything that would need folding goes as encoded words: whitespace
        # inside them survives exactly, wherever the line is broken.
        message.set_raw(name, _encoded_words(text, name))


def _set_address(message: EmailMessage, name: str, display_name: str, address: str) -> None:
    # formataddr quotes and escapes an ASCII name exactly; the email package's
    # folder can drop the quotes of a long one, and "Doe, Jane" then reads as
    # two recipients.
    if display_name.isascii():
        message.set_raw(name, formataddr((display_name, address)))
    else:
        message.set_raw(name, f"{_encoded_words(display_name, name)} <{address}>")


def new_message_id(from_address: str) -> str:
    """A fresh Message-ID header value in the sender's domain, e.g. ``<…@example.com>``."""
    domain = _wire_address("from_address", from_address).rpartition("@")[2]
    return make_msgid(domain=domain)


def normalize_body(body: str) -> str:
    """The body as it is sent: checked, trimmed, with ``\\n`` line ends."""
    return long_text("body", body.replace("\r\n", "\n").replace("\r", "\n"))


def build_email(
    *,
    from_name: str,
    from_address: str,
    to_name: str,
    to_address: str,
    subject: str,
    body: str,
    bcc: str | None,
    now: datetime,
    message_id: str | None = None,
) -> EmailMessage:
    """The email for one recipient, or a ``ValidationError`` naming the bad field.

    Names are sent with runs of spaces and tabs as one space, the subject and
    body trimmed, the body with ``\\n`` line ends (CRLF on the wire). ``bcc``
    (the user's own address, for a copy to self) is kept as a ``Bcc`` header
    on the returned object so senders can find it; :func:`wire_bytes` drops
    it, so it never reaches any recipient.
    """
    sender_name = _display_name("from_name", from_name)
    sender = _wire_address("from_address", from_address)
    recipient_name = _display_name("to_name", to_name)
    recipient = _wire_address("to_address", to_address)
    copy_to = _wire_address("bcc", bcc) if bcc else None
    title = header_text("subject", subject, limit=SUBJECT_LIMIT)
    sent_at = aware_datetime("now", now)
    text = normalize_body(body)
    identifier = (
        header_text("message_id", message_id, limit=SUBJECT_LIMIT)
        if message_id
        else new_message_id(sender)
    )

    message = EmailMessage(policy=POLICY)
    _set_address(message, "From", sender_name, sender)
    _set_address(message, "To", recipient_name, recipient)
    if copy_to:
        message["Bcc"] = copy_to
    _set_text(message, "Subject", title)
    message.set_raw("Date", format_datetime(sent_at))
    message.set_raw("Message-ID", identifier)
    message.set_content(text, charset="utf-8")
    return message


def wire_bytes(message: EmailMessage) -> bytes:
    """The bytes handed to the server: the message without its ``Bcc`` header."""
    # A shallow copy is enough: deleting a header replaces the copy's header list.
    outgoing = copy.copy(message)
    del outgoing["Bcc"]
    return outgoing.as_bytes()
