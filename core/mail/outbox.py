"""The Outbox: every message with its state, and the one way a message is sent (at most once).

A message moves ``draft``/``failed`` → ``sending`` → ``sent``, ``failed`` or
``unknown``. The move to ``sending`` is one conditional UPDATE, so of two
clicks, windows or threads only one can win; the Message-ID is stored in the
same statement, before a byte goes out, so a resend after an uncertain
attempt carries the same ID and mail programs can recognise a duplicate.

``unknown`` means the server may have the message: the connection broke after
the text was handed over, or the app died while sending (a row left in
``sending`` on disk, turned into ``unknown`` at the next start by
:func:`recover_interrupted_sends`). Such a message is never sent again
without the person confirming (:func:`confirm_resend`); if they found it in
their Sent folder, :func:`confirm_arrived` records it as sent instead.

A note the person sent from their own mail program (the ``mailto:`` link) or
posted as a letter is recorded with :func:`mark_sent_from_mail_app` or
:func:`mark_sent_by_post`: sent, with the touchpoint, and nothing goes out.

A message that was sent, is being sent or may have been sent is read-only;
:func:`afterword.core.mail.drafts.ensure_editable` enforces that for edits.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import fields, replace
from datetime import datetime
from email.message import EmailMessage

from sqlalchemy import bindparam, case, select, update

from afterword.core.errors import AfterwordError, NotFoundError
from afterword.core.mail.compose import build_email, new_message_id
from afterword.core.mail.drafts import EDITABLE_STATUSES, get_message, to_record
from afterword.core.mail.imap import ImapSettings, file_in_sent, provider_files_sent
from afterword.core.mail.transport import (
    DEFAULT_DEADLINE,
    DEFAULT_TIMEOUT,
    DeliveryUncertain,
    MailError,
    SmtpSettings,
    send_email,
)
from afterword.core.storage.db import Database
from afterword.core.storage.models import Message, Touchpoint
from afterword.core.storage.records import MailAccountRecord, MessageRecord
from afterword.core.storage.values import MessageStatus, TouchpointKind

__all__ = [
    "INTERRUPTED",
    "RESEND_CONFIRMED",
    "AlreadySending",
    "AlreadySent",
    "NotSentYet",
    "OutboxError",
    "UncertainNeedsConfirmation",
    "claim_for_sending",
    "confirm_arrived",
    "confirm_resend",
    "get_message",
    "list_messages",
    "mark_sent_by_post",
    "mark_sent_from_mail_app",
    "recover_interrupted_sends",
    "send_message",
]

logger = logging.getLogger(__name__)

INTERRUPTED = (
    "Afterword stopped while sending this message, so it may or may not have arrived. "
    "Look in your Sent folder or ask the recipient before sending it again."
)
RESEND_CONFIRMED = "You chose to send this again after an uncertain attempt."

# A send in progress is normally ``sending``; it is ``unknown`` if another
# Afterword started meanwhile and recovered it. The send itself knows better.
_IN_FLIGHT = (MessageStatus.SENDING, MessageStatus.UNKNOWN)

# The two writes around every send, built once as Core statements: building an
# ORM statement per call costs about as much as the whole rest of the send's
# database work, and a send must stay within 1.5x a bare smtplib send.
_MESSAGES = Message.__table__
# Exactly the columns a MessageRecord has, so each returned row becomes one.
_RECORD_COLUMNS = [_MESSAGES.c[field.name] for field in fields(MessageRecord)]
_CLAIM = (
    update(_MESSAGES)
    .where(
        _MESSAGES.c.id == bindparam("p_message_id"),
        _MESSAGES.c.status.in_(sorted(EDITABLE_STATUSES)),
    )
    .values(
        status=MessageStatus.SENDING,
        account_id=bindparam("p_account_id"),
        error="",
        updated_at=bindparam("p_now"),
        message_id_header=case(
            (_MESSAGES.c.message_id_header == "", bindparam("p_fresh_id")),
            else_=_MESSAGES.c.message_id_header,
        ),
    )
    .returning(*_RECORD_COLUMNS)
)
_MARK_SENT = (
    update(_MESSAGES)
    .where(
        _MESSAGES.c.id == bindparam("p_message_id"),
        _MESSAGES.c.status.in_(bindparam("p_from", expanding=True)),
    )
    .values(
        status=MessageStatus.SENT,
        sent_at=bindparam("p_now"),
        error="",
        updated_at=bindparam("p_now"),
    )
    .returning(*_RECORD_COLUMNS)
)


class OutboxError(AfterwordError):
    """The message is not in a state that allows what was asked."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


class AlreadySending(OutboxError):
    def __init__(self) -> None:
        super().__init__("This message is being sent right now.")


class AlreadySent(OutboxError):
    def __init__(self, sent_at: datetime | None) -> None:
        when = f" on {sent_at:%Y-%m-%d at %H:%M} UTC" if sent_at else ""
        super().__init__(f"This message was already sent{when}.")
        self.sent_at = sent_at


class UncertainNeedsConfirmation(OutboxError):
    def __init__(self) -> None:
        super().__init__(
            "This message may already have arrived: an earlier attempt to send it was cut "
            "off. Look in your Sent folder or ask the recipient, and confirm before sending "
            "it again."
        )


class NotSentYet(OutboxError):
    def __init__(self) -> None:
        super().__init__("This message hasn't been sent yet, so it can't have arrived.")


def _refusal(message_id: int, row: Message | None) -> AfterwordError:
    """Why a message in its current state cannot be sent (or marked sent) now."""
    if row is None:
        return NotFoundError("Message", message_id)
    if row.status is MessageStatus.SENDING:
        return AlreadySending()
    if row.status is MessageStatus.SENT:
        return AlreadySent(row.sent_at)
    return UncertainNeedsConfirmation()


def list_messages(db: Database) -> list[MessageRecord]:
    """Every message, the most recently changed first."""
    with db.reading() as session:
        rows = session.scalars(
            select(Message).order_by(Message.updated_at.desc(), Message.id.desc())
        )
        return [to_record(row) for row in rows]


def claim_for_sending(
    db: Database, message_id: int, now: datetime, *, account: MailAccountRecord
) -> MessageRecord:
    """Move a draft or failed message to ``sending``; exactly one caller can win.

    Also stores which account sends it and, if it has none yet, its
    Message-ID. Raises :class:`AlreadySending`, :class:`AlreadySent` or
    :class:`UncertainNeedsConfirmation` (or ``NotFoundError``) otherwise, and
    ``ValidationError``, writing nothing, if its text cannot be sent.
    """
    return _claim(db, message_id, now, account)[0]


def _email_for(message: MessageRecord, account: MailAccountRecord, now: datetime) -> EmailMessage:
    return build_email(
        from_name=account.display_name,
        from_address=account.email,
        to_name=message.to_name,
        to_address=message.to_address,
        subject=message.subject,
        body=message.body,
        bcc=account.email if message.bcc_self else None,
        now=now,
        message_id=message.message_id_header or None,
    )


def _claim(
    db: Database, message_id: int, now: datetime, account: MailAccountRecord
) -> tuple[MessageRecord, EmailMessage]:
    parameters = {
        "p_message_id": message_id,
        "p_account_id": account.id,
        "p_now": now,
        "p_fresh_id": new_message_id(account.email),
    }
    with db.session() as session:
        # One conditional UPDATE in a write transaction: a rival waits for the
        # lock, then finds the status already changed, so exactly one wins.
        # Through the session (not its connection), so the change set records it.
        row = session.execute(_CLAIM, parameters).one_or_none()
        if row is None:
            raise _refusal(message_id, session.get(Message, message_id))
        record = MessageRecord(**row._asdict())
        # Built before the commit: text that cannot be sent raises here and the
        # claim is rolled back, so the message stays exactly as it was.
        email = _email_for(record, account, now)
    logger.info("Message %s claimed for sending", message_id)
    return record, email


def send_message(
    db: Database,
    message_id: int,
    *,
    account: MailAccountRecord,
    password: str,
    now: datetime,
    timeout: float = DEFAULT_TIMEOUT,
    deadline: float = DEFAULT_DEADLINE,
) -> MessageRecord:
    """Send a draft or failed message once; blocks for the network, so not on the GUI thread.

    On success the message is ``sent`` and a touchpoint records it; then a
    copy is filed in the Sent folder over IMAP (unless the provider does that
    itself), and if that fails the message keeps a ``warning`` saying so. A
    :class:`MailError` is re-raised after the message was marked ``failed``
    (nothing was delivered; ``error`` keeps the reason) or, for
    :class:`DeliveryUncertain`, ``unknown``. Subject and body are never changed.
    A message whose text cannot be sent raises ``ValidationError`` and stays as it was.
    """
    settings = SmtpSettings.from_account(account, timeout=timeout, deadline=deadline)
    _, email = _claim(db, message_id, now, account)
    try:
        send_email(settings, password, email)
    except DeliveryUncertain as exc:
        _settle(db, message_id, MessageStatus.UNKNOWN, exc.user_message, now)
        raise
    except MailError as exc:
        _settle(db, message_id, MessageStatus.FAILED, exc.user_message, now)
        raise
    except BaseException:
        # A bug or an interrupt mid-send: whether it went out is unknown.
        _settle(db, message_id, MessageStatus.UNKNOWN, INTERRUPTED, now)
        raise
    record = _mark_sent(db, message_id, now, TouchpointKind.EMAIL, _IN_FLIGHT)
    return _file_copy_in_sent(db, record, email, account, password, now)


def _file_copy_in_sent(
    db: Database,
    record: MessageRecord,
    email: EmailMessage,
    account: MailAccountRecord,
    password: str,
    now: datetime,
) -> MessageRecord:
    """File the sent message in Sent over IMAP; trouble becomes the message's warning.

    The message is sent whatever happens here, so nothing raises and
    nothing is ever sent again because of it.
    """
    settings = ImapSettings.for_account(account)
    if settings is None or provider_files_sent(account):
        return record
    try:
        file_in_sent(settings, password, email.as_bytes(), now)
    except MailError as exc:
        warning = f"Sent, but no copy is in your Sent folder. {exc.user_message}"
    except Exception:
        # A bug here must not make a sent message look unsent.
        logger.exception("Filing message %s in Sent failed unexpectedly", record.id)
        warning = "Sent, but Afterword could not file a copy in your Sent folder."
    else:
        return record
    logger.warning("Message %s was sent but not filed in Sent", record.id)
    with db.session() as session:
        session.execute(
            update(Message)
            .where(Message.id == record.id)
            .values(warning=warning)
            .execution_options(synchronize_session=False)
        )
    return replace(record, warning=warning)


def _settle(
    db: Database, message_id: int, status: MessageStatus, error: str, now: datetime
) -> None:
    with db.session() as session:
        session.execute(
            update(Message)
            .where(Message.id == message_id, Message.status.in_(_IN_FLIGHT))
            .values(status=status, error=error, updated_at=now)
            .execution_options(synchronize_session=False)
        )
    logger.warning("Message %s is now %s", message_id, status.value)


def _mark_sent(
    db: Database,
    message_id: int,
    now: datetime,
    kind: TouchpointKind,
    from_statuses: Collection[MessageStatus],
) -> MessageRecord:
    """Status ``sent`` and the touchpoint that records it, in one transaction."""
    parameters = {"p_message_id": message_id, "p_now": now, "p_from": list(from_statuses)}
    with db.session() as session:
        # Through the session (not its connection), so the change set records both writes.
        row = session.execute(_MARK_SENT, parameters).one_or_none()
        if row is None:
            raise _refusal(message_id, session.get(Message, message_id))
        # The touchpoint is what resets stay-in-touch and ticks off the checklist
        # item; a message whose contact was deleted has no one to record it for.
        # Added as a row (not a Core INSERT), so the change set names it and the
        # checklist's keeper sees it before the commit.
        if row.contact_id is not None:
            session.add(
                Touchpoint(
                    contact_id=row.contact_id,
                    application_id=row.application_id,
                    interview_id=row.interview_id,
                    kind=kind,
                    purpose=row.purpose,
                    occurred_at=now,
                    note=row.subject,
                    message_id=row.id,
                    # A reply to a rejection ticks off only what it asked for.
                    requests=row.requests,
                )
            )
        record = MessageRecord(**row._asdict())
    logger.info("Message %s sent (%s)", message_id, kind.value)
    return record


def mark_sent_by_post(db: Database, message_id: int, now: datetime) -> MessageRecord:
    """Record a draft as sent as a letter: status ``sent`` and a ``letter`` touchpoint."""
    return _mark_sent(db, message_id, now, TouchpointKind.LETTER, EDITABLE_STATUSES)


def mark_sent_from_mail_app(db: Database, message_id: int, now: datetime) -> MessageRecord:
    """Record a draft the person sent from their own mail program: ``sent``, an email touchpoint."""
    return _mark_sent(db, message_id, now, TouchpointKind.EMAIL, EDITABLE_STATUSES)


def confirm_arrived(db: Database, message_id: int, now: datetime) -> MessageRecord:
    """The person found an ``unknown`` message in their Sent folder: it is ``sent`` after all.

    Records the email touchpoint the interrupted send could not. Only an
    ``unknown`` message can be confirmed: a draft or failed one raises
    :class:`NotSentYet`, a sent one :class:`AlreadySent`.
    """
    unknown = (MessageStatus.UNKNOWN,)
    try:
        return _mark_sent(db, message_id, now, TouchpointKind.EMAIL, unknown)
    except UncertainNeedsConfirmation:
        # Refused although only UNKNOWN was asked for: it is a draft or failed message.
        raise NotSentYet() from None


def recover_interrupted_sends(db: Database, now: datetime) -> int:
    """At start-up: every message left in ``sending`` by a crash becomes ``unknown``."""
    with db.session() as session:
        count = session.execute(
            update(Message)
            .where(Message.status == MessageStatus.SENDING)
            .values(status=MessageStatus.UNKNOWN, error=INTERRUPTED, updated_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
    if count:
        logger.warning("%d message(s) were being sent when Afterword stopped", count)
    return count


def confirm_resend(db: Database, message_id: int, now: datetime) -> MessageRecord:
    """The person confirmed: an ``unknown`` message may be sent again (same Message-ID).

    It becomes ``failed``, i.e. retryable; calling this on a draft or failed
    message changes nothing.
    """
    with db.session() as session:
        session.execute(
            update(Message)
            .where(Message.id == message_id, Message.status == MessageStatus.UNKNOWN)
            .values(status=MessageStatus.FAILED, error=RESEND_CONFIRMED, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        row = session.get(Message, message_id)
        if row is None or row.status not in EDITABLE_STATUSES:
            raise _refusal(message_id, row)
        logger.info("Message %s may be sent again (confirmed)", message_id)
        return to_record(row)
