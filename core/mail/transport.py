"""The SMTP transport: one connection per send, always encrypted and always with a timeout.

Failures come back as :class:`MailError` subclasses whose ``user_message``
says what happened and what the person can do about it; the password never
appears in them, in the log, or anywhere else this module writes.

The one distinction that matters most is *when* a connection failed. Up to
the server's ``354`` answer to ``DATA`` nothing can have been delivered, so
the message simply failed. Once the message text is on its way, a dropped
connection or a timeout means the server may have accepted it: that is
:class:`DeliveryUncertain`, and the caller must not quietly send again.

Every send has a total deadline too (:mod:`afterword.core.mail.deadline`):
passed before the text went out it is :class:`DeadlinePassed` (nothing sent),
after that :class:`DeliveryUncertain`, as for any other break.

Certificates are checked against the system's trust store through
:func:`ssl.create_default_context` (OpenSSL also honours ``SSL_CERT_FILE``).
"""

from __future__ import annotations

import logging
import re
import smtplib
import socket
import ssl
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from email.message import EmailMessage

from afterword.core.errors import ValidationError
from afterword.core.mail.accounts import is_local_host
from afterword.core.mail.compose import wire_bytes
from afterword.core.mail.deadline import Deadline, DeadlineSmtp, DeadlineSmtpSsl
from afterword.core.mail.errors import (
    AuthenticationFailed,
    ConnectionLost,
    ConnectionTimedOut,
    DeadlinePassed,
    DeliveryUncertain,
    LoginNotOffered,
    MailError,
    MessageRejected,
    MessageTooLarge,
    PasswordSignInRefused,
    RecipientRefused,
    SenderRefused,
    ServerUnreachable,
    TlsCertificateError,
    TlsHandshakeFailed,
    TlsNotSupported,
    TokenRefused,
)
from afterword.core.mail.providers import app_password_hint
from afterword.core.storage.records import MailAccountRecord
from afterword.core.storage.values import MailSecurity, SignIn

__all__ = [
    "DEFAULT_DEADLINE",
    "DEFAULT_TIMEOUT",
    "EHLO_NAME",
    "SUPPORTED_LOGINS",
    "AuthenticationFailed",
    "ConnectionLost",
    "ConnectionTimedOut",
    "DeadlinePassed",
    "DeliveryUncertain",
    "LoginNotOffered",
    "MailError",
    "MessageRejected",
    "MessageTooLarge",
    "PasswordSignInRefused",
    "RecipientRefused",
    "SenderRefused",
    "ServerUnreachable",
    "SmtpSettings",
    "TlsCertificateError",
    "TlsHandshakeFailed",
    "TlsNotSupported",
    "TokenRefused",
    "send_email",
    "test_connection",
]

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 30.0
# Connecting, TLS, AUTH and DATA together: a send ends within this many seconds.
DEFAULT_DEADLINE = 90.0
# What we say in EHLO. The default (the machine's fully qualified name) costs a
# DNS lookup that can stall for seconds and tells every server the computer's name.
EHLO_NAME = "localhost"
# Login methods smtplib can do; servers offering only others (XOAUTH2) need an app password.
SUPPORTED_LOGINS = frozenset({"PLAIN", "LOGIN", "CRAM-MD5"})


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to connect; the password is passed separately and never stored here."""

    host: str
    port: int
    security: MailSecurity
    username: str
    timeout: float = DEFAULT_TIMEOUT
    # From the provider's data ("Gmail needs an app password..."), shown on a refused login.
    app_password_hint: str = ""
    # The total for connecting, TLS, AUTH and DATA; ``timeout`` is per read or write.
    deadline: float = DEFAULT_DEADLINE
    # Sign in with an OAuth access token (XOAUTH2) instead of a password.
    xoauth2: bool = False

    def __post_init__(self) -> None:
        # Plain text only ever to a server on this computer (a local relay or a
        # bridge such as Proton Mail Bridge); anywhere else it exposes the password.
        if self.security is MailSecurity.NONE and not is_local_host(self.host):
            raise ValidationError(
                "security",
                "A connection without encryption would send the password in the clear; "
                "it is only allowed to a server on this computer (localhost).",
            )
        if self.timeout <= 0:
            raise ValidationError("timeout", "Must be more than zero seconds.")
        if self.deadline <= 0:
            raise ValidationError("deadline", "Must be more than zero seconds.")

    @classmethod
    def from_account(
        cls,
        account: MailAccountRecord,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        deadline: float = DEFAULT_DEADLINE,
    ) -> SmtpSettings:
        """The account's settings, with its provider's app-password advice."""
        return cls(
            host=account.smtp_host,
            port=account.smtp_port,
            security=MailSecurity(account.security),
            username=account.username,
            timeout=timeout,
            app_password_hint=app_password_hint(account.email, account.smtp_host),
            deadline=deadline,
            xoauth2=account.sign_in is not SignIn.PASSWORD,
        )


def _reply_text(code: int, reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return f"{code} {' '.join(text.split())}".strip()


@contextmanager
def _translated(settings: SmtpSettings, deadline: Deadline) -> Iterator[None]:
    """Turn socket, TLS and smtplib exceptions into the MailError a person can act on."""
    try:
        yield
    except MailError:
        raise
    except OSError as exc:  # smtplib's and ssl's exceptions are OSErrors too
        if deadline.expired:
            raise DeadlinePassed(settings.host, settings.deadline) from exc
        raise _mail_error(settings, exc) from exc


def _mail_error(settings: SmtpSettings, exc: OSError) -> MailError:
    host, port = settings.host, settings.port
    if isinstance(exc, ssl.SSLCertVerificationError):
        return TlsCertificateError(host, exc.verify_message or exc.reason or str(exc))
    if isinstance(exc, ssl.SSLError):
        return TlsHandshakeFailed(host, port, exc.reason or str(exc))
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        # smtplib reports a read timeout as a disconnect; the timeout is its context.
        if isinstance(exc.__context__, TimeoutError):
            return ConnectionTimedOut(host, settings.timeout)
        return ConnectionLost(host)
    if isinstance(exc, smtplib.SMTPConnectError):
        reply = _reply_text(exc.smtp_code, exc.smtp_error)
        return ServerUnreachable(host, port, f"it answered {reply}")
    if isinstance(exc, smtplib.SMTPResponseException):
        reply = _reply_text(exc.smtp_code, exc.smtp_error)
        if _refuses_passwords(reply):
            return PasswordSignInRefused(settings.username, reply)
        return MailError(f"The mail server answered with an error ({reply}). Nothing was sent.")
    if isinstance(exc, smtplib.SMTPException):
        return MailError(f"The mail server answered in a way Afterword did not expect: {exc}")
    if isinstance(exc, TimeoutError):
        return ConnectionTimedOut(host, settings.timeout)
    if isinstance(exc, socket.gaierror):
        return ServerUnreachable(host, port, "no server by that name was found")
    if isinstance(exc, ConnectionRefusedError):
        return ServerUnreachable(host, port, "nothing is accepting connections there")
    return ServerUnreachable(host, port, exc.strerror or str(exc))


# Answers meaning "no password sign-in here": Microsoft's 5.7.30 (basic
# authentication off for client submission) and 5.7.139 (basic authentication
# disabled), Gmail's 5.7.9 "Application-specific password required".
_PASSWORDS_REFUSED = re.compile(
    r"\b5\.7\.(?:30|139)\b|application-specific password required", re.IGNORECASE
)


def _refuses_passwords(reply: str) -> bool:
    return bool(_PASSWORDS_REFUSED.search(reply))


def _log_in_with_token(smtp: smtplib.SMTP, settings: SmtpSettings, token: str) -> None:
    offered = smtp.esmtp_features.get("auth", "").upper().split()
    if "XOAUTH2" not in offered:
        raise LoginNotOffered(settings.host, offered=", ".join(offered) or "no sign-in")
    # RFC-less but documented by Google and Microsoft; on failure the server
    # sends a challenge (an error report), answered with an empty line.
    auth = f"user={settings.username}\x01auth=Bearer {token}\x01\x01"
    try:
        smtp.auth("XOAUTH2", lambda challenge=None: auth if challenge is None else "")
    except smtplib.SMTPAuthenticationError as exc:
        reply = _reply_text(exc.smtp_code, exc.smtp_error)
        raise TokenRefused(settings.host, settings.username, reply) from None


def _log_in(smtp: smtplib.SMTP, settings: SmtpSettings, password: str) -> None:
    if settings.xoauth2:
        _log_in_with_token(smtp, settings, password)
        return
    if not (settings.username + password).isascii():
        # smtplib can only send ASCII credentials (its attempt would fail with an
        # encoding error that carries the password in it).
        raise AuthenticationFailed(
            settings.username,
            "not asked: the user name or password has characters, such as accents, "
            "that cannot be sent to a mail server",
            settings.app_password_hint,
        )
    if not smtp.has_extn("auth"):
        raise LoginNotOffered(settings.host)
    offered = smtp.esmtp_features["auth"].upper().split()
    if SUPPORTED_LOGINS.isdisjoint(offered):
        raise LoginNotOffered(settings.host, offered=", ".join(offered))
    try:
        smtp.login(settings.username, password)
    except smtplib.SMTPAuthenticationError as exc:
        reply = _reply_text(exc.smtp_code, exc.smtp_error)
        if _refuses_passwords(reply):
            raise PasswordSignInRefused(settings.username, reply) from exc
        raise AuthenticationFailed(settings.username, reply, settings.app_password_hint) from exc


@contextmanager
def _connected(settings: SmtpSettings, password: str) -> Iterator[smtplib.SMTP]:
    """A logged-in connection, within the deadline; closed afterwards, politely if all went well."""
    context = ssl.create_default_context()
    logger.info("Connecting to %s:%s (%s)", settings.host, settings.port, settings.security.value)
    with Deadline(settings.deadline) as deadline:
        smtp: DeadlineSmtp | DeadlineSmtpSsl
        if settings.security is MailSecurity.SSL:
            smtp = DeadlineSmtpSsl(
                local_hostname=EHLO_NAME, timeout=settings.timeout, context=context
            )
        else:
            smtp = DeadlineSmtp(local_hostname=EHLO_NAME, timeout=settings.timeout)
        smtp.deadline = deadline
        deadline.watch(smtp)
        try:
            with _translated(settings, deadline):
                code, greeting = smtp.connect(settings.host, settings.port)
                if code != 220:
                    raise smtplib.SMTPConnectError(code, greeting)
                smtp.ehlo_or_helo_if_needed()
                if settings.security is MailSecurity.STARTTLS:
                    if not smtp.has_extn("starttls"):
                        raise TlsNotSupported(settings.host, settings.port)
                    # The handshake runs on the plain socket's timeout: cut it to the deadline.
                    assert smtp.sock is not None
                    smtp.sock.settimeout(deadline.step_timeout(settings.timeout))
                    smtp.starttls(context=context)
                    smtp.ehlo_or_helo_if_needed()
                _log_in(smtp, settings, password)
                yield smtp
        except BaseException:
            smtp.close()
            raise
        # The work is done: a server that hangs up instead of saying goodbye changes nothing.
        with suppress(OSError):
            smtp.quit()
        smtp.close()


def _transfer(
    smtp: smtplib.SMTP, settings: SmtpSettings, sender: str, recipients: list[str], data: bytes
) -> None:
    """MAIL, RCPT, DATA by hand, so we know whether the message text was handed over."""
    options = [f"SIZE={len(data)}"] if smtp.has_extn("size") else []
    code, reply = smtp.mail(sender, options)
    if code == 552:
        raise MessageTooLarge(_reply_text(code, reply))
    if code != 250:
        text = _reply_text(code, reply)
        # Microsoft answers 5.7.30 to MAIL FROM after a password login it let through.
        if _refuses_passwords(text):
            raise PasswordSignInRefused(settings.username, text)
        raise SenderRefused(sender, text)
    refused: dict[str, str] = {}
    for recipient in recipients:
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            refused[recipient] = _reply_text(code, reply)
    if refused:
        # All or nothing: a retry after fixing the address must not reach the others twice.
        smtp.rset()
        raise RecipientRefused(refused)
    code, reply = smtp.docmd("DATA")
    if code != 354:
        raise MessageRejected(_reply_text(code, reply))
    # From here the server may end up with the message whatever happens to us.
    try:
        smtp.send(_dot_stuffed(data))
        code, reply = smtp.getreply()
    except OSError as exc:
        logger.warning("Connection to %s failed after the message data: %r", settings.host, exc)
        raise DeliveryUncertain(settings.host) from exc
    if code == 552:
        raise MessageTooLarge(_reply_text(code, reply))
    if code != 250:
        raise MessageRejected(_reply_text(code, reply))


_LEADING_DOT = re.compile(rb"^\.", re.MULTILINE)


def _dot_stuffed(data: bytes) -> bytes:
    """The DATA payload (RFC 5321 4.5.2): leading dots doubled, ended by CRLF . CRLF."""
    body = _LEADING_DOT.sub(b"..", data)
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    return body + b".\r\n"


def _envelope(message: EmailMessage) -> tuple[str, list[str]]:
    sender = message["From"].addresses[0].addr_spec
    recipients = [
        address.addr_spec
        for name in ("To", "Cc", "Bcc")
        for header in message.get_all(name, [])
        for address in header.addresses
    ]
    return sender, list(dict.fromkeys(recipients))


def send_email(
    settings: SmtpSettings,
    password: str,
    message: EmailMessage,
    *,
    recipients: Iterable[str] | None = None,
) -> None:
    """Send ``message`` once, or raise the :class:`MailError` that says why not.

    Recipients default to the message's To, Cc and Bcc addresses; a Bcc
    header is never sent. :class:`DeliveryUncertain` means the server may
    have the message even though this raised.
    """
    sender, default_recipients = _envelope(message)
    targets = list(dict.fromkeys(recipients)) if recipients is not None else default_recipients
    data = wire_bytes(message)
    try:
        with _connected(settings, password) as smtp:
            _transfer(smtp, settings, sender, targets, data)
    except MailError as exc:
        logger.warning("Sending via %s failed: %s", settings.host, type(exc).__name__)
        raise
    logger.info("Sent a message to %d recipient(s) via %s", len(targets), settings.host)


def test_connection(settings: SmtpSettings, password: str) -> None:
    """Connect, encrypt, log in and say goodbye without sending anything.

    Returns quietly when all of that worked; otherwise raises the
    :class:`MailError` naming the problem.
    """
    try:
        with _connected(settings, password):
            pass
    except MailError as exc:
        logger.warning("Connection test for %s failed: %s", settings.host, type(exc).__name__)
        raise
    logger.info("Connection test for %s succeeded", settings.host)
