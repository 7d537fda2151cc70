"""The user's mail account: SMTP and IMAP settings in the database, the password in the keyring.

There is one account for now; :func:`save_mail_account` creates or updates it.
The password never passes through here: after saving, the settings screen
stores it with :func:`afterword.core.mail.credentials.store_password` under
:func:`account_key` (and, if the key changed, deletes the one under the old key).
"""

from __future__ import annotations

import ipaddress
import logging
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from afterword.core.errors import ValidationError
from afterword.core.storage.db import Database
from afterword.core.storage.models import MailAccount
from afterword.core.storage.records import ImapFields, MailAccountFields, MailAccountRecord
from afterword.core.storage.validation import (
    EMAIL_LIMIT,
    email_address,
    no_encoded_words,
    required_text,
    single_line,
    yes_no,
)
from afterword.core.storage.values import MailSecurity, SignIn

logger = logging.getLogger(__name__)

HOST_LIMIT = 255
# Letters, digits, dots, hyphens, underscores; or an IP address (IPv6 may be bracketed).
_HOST = re.compile(r"^(\[[0-9a-f:.]+\]|[0-9a-z_.:-]+)$")
REPLIES_NEED_A_SERVER = (
    "Afterword needs your IMAP server to notice replies: enter it above (your provider's "
    "help pages name it; often imap. and your mail domain)."
)


def account_key(account: MailAccountFields) -> str:
    """The keyring entry's name for ``account``: its user name ``@`` its SMTP server.

    Both halves are needed: the same user name may exist on two servers.
    """
    return f"{account.username}@{account.smtp_host}"


def is_local_host(host: str) -> bool:
    """Whether ``host`` is this computer (where an unencrypted connection stays)."""
    name = host.strip().strip("[]").casefold()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def validate_mail_account(values: MailAccountFields) -> MailAccountFields:
    host = _host("smtp_host", values.smtp_host)
    security = _security(values.security, host)
    return MailAccountFields(
        display_name=no_encoded_words(
            "display_name", single_line("display_name", values.display_name), label="Your name"
        ),
        email=email_address("email", values.email, required=True),
        smtp_host=host,
        smtp_port=_port(values.smtp_port),
        security=security,
        username=required_text("username", values.username, limit=EMAIL_LIMIT),
        bcc_self=yes_no("bcc_self", values.bcc_self),
        sign_in=_sign_in(values.sign_in),
    )


def save_mail_account(db: Database, values: MailAccountFields) -> MailAccountRecord:
    """Create the account, or update the one that exists; writes nothing if invalid."""
    clean = validate_mail_account(values)
    with db.session() as session:
        row = _first(session)
        if row is None:
            row = MailAccount()
            session.add(row)
        for name in (
            "display_name",
            "email",
            "smtp_host",
            "smtp_port",
            "security",
            "username",
            "bcc_self",
            "sign_in",
        ):
            setattr(row, name, getattr(clean, name))
        session.flush()
        record = to_record(row)
    logger.info("Saved the mail account for %s via %s", record.email, record.smtp_host)
    return record


def validate_imap_settings(values: ImapFields) -> ImapFields:
    """The IMAP settings cleaned; an empty host is fine (the provider's is used)."""
    typed = single_line("imap_host", values.imap_host, limit=HOST_LIMIT)
    host = _host("imap_host", typed) if typed else ""
    return ImapFields(
        imap_host=host,
        imap_port=_port(values.imap_port, field="imap_port", usual="993"),
        imap_security=_security(values.imap_security, host or "imap", field="imap_security"),
        sent_folder=no_encoded_words(
            "sent_folder", single_line("sent_folder", values.sent_folder), label="The folder"
        ),
        watch_replies=yes_no("watch_replies", values.watch_replies),
    )


def check_replies_server(values: ImapFields, email: str, smtp_host: str) -> None:
    """Refuse noticing replies where no IMAP server is known to look in.

    An empty IMAP server means the provider's, which only a known provider has
    (found from the address or the sending server ``smtp_host``).
    """
    # Imported here: the providers module builds on this one.
    from afterword.core.mail.providers import provider_for_account

    needs_server = values.watch_replies and not values.imap_host.strip()
    if needs_server and provider_for_account(email, smtp_host) is None:
        raise ValidationError("watch_replies", REPLIES_NEED_A_SERVER)


def save_imap_settings(db: Database, values: ImapFields) -> MailAccountRecord:
    """Store where the account's mail is read; the SMTP settings stay as they are."""
    clean = validate_imap_settings(values)
    with db.session() as session:
        row = _first(session)
        if row is None:
            raise ValidationError("account", "Save the mail account's sending settings first.")
        check_replies_server(clean, row.email, row.smtp_host)
        for name in ("imap_host", "imap_port", "imap_security", "sent_folder", "watch_replies"):
            setattr(row, name, getattr(clean, name))
        session.flush()
        record = to_record(row)
    logger.info("Saved the IMAP settings (server %s)", record.imap_host or "the provider's")
    return record


def get_mail_account(db: Database) -> MailAccountRecord | None:
    with db.reading() as session:
        row = _first(session)
        return None if row is None else to_record(row)


def sender_name(db: Database) -> str:
    """The sender's name (``{my_name}``, a letter's signature): the mail account's,
    else empty (left for the person to fill in)."""
    account = get_mail_account(db)
    return account.display_name if account is not None else ""


def to_record(row: MailAccount) -> MailAccountRecord:
    return MailAccountRecord(
        id=row.id,
        display_name=row.display_name,
        email=row.email,
        smtp_host=row.smtp_host,
        smtp_port=row.smtp_port,
        security=row.security,
        username=row.username,
        bcc_self=row.bcc_self,
        sign_in=row.sign_in,
        imap_host=row.imap_host,
        imap_port=row.imap_port,
        imap_security=row.imap_security,
        sent_folder=row.sent_folder,
        watch_replies=row.watch_replies,
        replies_checked_at=row.replies_checked_at,
    )


def _first(session: Session) -> MailAccount | None:
    return session.scalars(select(MailAccount).order_by(MailAccount.id).limit(1)).first()


def _sign_in(value: SignIn | str) -> SignIn:
    try:
        return SignIn(value)
    except ValueError:
        raise ValidationError(
            "sign_in", "Choose a password or a sign-in with the provider."
        ) from None


def _host(field: str, value: str) -> str:
    host = required_text(field, value, limit=HOST_LIMIT).casefold()
    if "://" in host:
        raise ValidationError(
            field, "Enter only the server's name, like smtp.example.com (no smtp://)."
        )
    if not _HOST.match(host):
        raise ValidationError(field, f"“{host}” is not a server name (like smtp.example.com).")
    return host


def _port(value: int, *, field: str = "smtp_port", usual: str = "465 or 587") -> int:
    # bool is an int in Python; a checkbox value here is a bug, not a port.
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 65535:
        raise ValidationError(
            field, f"The port is a whole number from 1 to 65535 (usually {usual})."
        )
    return value


def _security(value: MailSecurity | str, host: str, *, field: str = "security") -> MailSecurity:
    try:
        security = MailSecurity(value)
    except ValueError:
        raise ValidationError(field, "Choose SSL/TLS or STARTTLS.") from None
    if security is MailSecurity.NONE and not is_local_host(host):
        raise ValidationError(
            field,
            "Without encryption your password and messages would cross the network "
            "readable by anyone on the way. Choose SSL/TLS or STARTTLS. No encryption is "
            "allowed only for a server on this computer (localhost), such as a mail bridge.",
        )
    return security
