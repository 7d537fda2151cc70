"""IMAP for the mail account (imapclient): a copy of each sent message in Sent, replies read.

The account's IMAP server is its own setting or, when that is empty, its
provider's (``resources/providers.json``); user name and password are the
ones used for sending. Connections are encrypted (implicit TLS or STARTTLS;
plain text only to this computer, like a mail bridge), certificates checked
against the system's trust store, and every read has a timeout.

The Sent folder is the one chosen by hand, else the one the server marks
``\\Sent`` (RFC 6154 special use), else one with a common name. Providers that
file what their SMTP server sends themselves (Gmail, Microsoft) get no copy
from us: it would be there twice.

Failures are :class:`afterword.core.mail.transport.MailError` subclasses
written for the person; the password never appears in them.
"""

from __future__ import annotations

import imaplib
import logging
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime

import imapclient
from imapclient.exceptions import IMAPClientError, LoginError
from imapclient.imapclient import SEEN, SENT

from afterword.core.mail.accounts import is_local_host
from afterword.core.mail.providers import provider_for_account
from afterword.core.mail.transport import (
    ConnectionTimedOut,
    MailError,
    ServerUnreachable,
    TlsCertificateError,
    TlsHandshakeFailed,
    TlsNotSupported,
)
from afterword.core.storage.records import MailAccountRecord
from afterword.core.storage.values import MailSecurity, SignIn

logger = logging.getLogger(__name__)

# Filing the copy happens while the person waits for "Sent": shorter than SMTP's.
IMAP_TIMEOUT = 15.0
# Names mail programs give the Sent folder when the server does not mark it,
# most common first; compared with the folder's last name part, ignoring case.
COMMON_SENT_NAMES = (
    "Sent",
    "Sent Items",
    "Sent Messages",
    "Sent Mail",
    "Gesendet",
    "Gesendete Elemente",
    "Gesendete Objekte",
    "Envoyés",
    "Éléments envoyés",
    "Enviados",
    "Elementos enviados",
    "Posta inviata",
    "Verzonden items",
    "Skickat",
)


class ImapLoginFailed(MailError):
    """The IMAP server refused the user name or password."""

    def __init__(self, host: str, username: str, server_reply: str) -> None:
        super().__init__(
            f"{host} refused the user name “{username}” or its password for reading mail. "
            f"(The server said: {server_reply})"
        )


class SentFolderMissing(MailError):
    """No folder to file sent messages in: none marked or named so, or not the chosen one."""

    def __init__(self, host: str, chosen: str = "") -> None:
        what = (
            f"there is no folder called “{chosen}” on {host}"
            if chosen
            else f"{host} has no folder marked or named as the Sent folder"
        )
        super().__init__(
            f"No copy was filed in your Sent folder: {what}. Choose the folder in the mail "
            "account settings."
        )


class ImapFailed(MailError):
    """The IMAP server answered with an error."""

    def __init__(self, host: str, server_reply: str) -> None:
        super().__init__(f"{host} answered with an error: {server_reply}")


@dataclass(frozen=True)
class ImapSettings:
    """Where and how to read the account's mail; the password is passed separately."""

    host: str
    port: int
    security: MailSecurity
    username: str
    sent_folder: str = ""
    timeout: float = IMAP_TIMEOUT
    # ``password`` is an OAuth access token (XOAUTH2).
    xoauth2: bool = False

    @classmethod
    def for_account(
        cls, account: MailAccountRecord, *, timeout: float = IMAP_TIMEOUT
    ) -> ImapSettings | None:
        """The account's IMAP server, else its provider's; ``None`` if neither is known."""
        if account.imap_host:
            host, port, security = account.imap_host, account.imap_port, account.imap_security
        else:
            provider = provider_for_account(account.email, account.smtp_host)
            if provider is None:
                return None
            host, port, security = provider.imap_host, provider.imap_port, provider.imap_security
        return cls(
            host,
            port,
            MailSecurity(security),
            account.username,
            account.sent_folder,
            timeout,
            xoauth2=SignIn(account.sign_in) is not SignIn.PASSWORD,
        )


def provider_files_sent(account: MailAccountRecord) -> bool:
    """Whether the provider puts what its SMTP server sends into Sent by itself."""
    provider = provider_for_account(account.email, account.smtp_host)
    return provider is not None and provider.files_sent_itself


@contextmanager
def imap_session(settings: ImapSettings, password: str) -> Iterator[imapclient.IMAPClient]:
    """A logged-in IMAP connection, logged out afterwards."""
    if settings.security is MailSecurity.NONE and not is_local_host(settings.host):
        raise TlsNotSupported(settings.host, settings.port)
    context = ssl.create_default_context()
    with _translated(settings):
        client = imapclient.IMAPClient(
            settings.host,
            port=settings.port,
            ssl=settings.security is MailSecurity.SSL,
            ssl_context=context,
            timeout=settings.timeout,
        )
    try:
        with _translated(settings):
            if settings.security is MailSecurity.STARTTLS:
                if not client.has_capability("STARTTLS"):
                    raise TlsNotSupported(settings.host, settings.port)
                client.starttls(context)
            try:
                if settings.xoauth2:
                    client.oauth2_login(settings.username, password)
                else:
                    client.login(settings.username, password)
            except LoginError as exc:
                raise ImapLoginFailed(settings.host, settings.username, _text(exc)) from None
            yield client
    finally:
        with suppress(Exception):
            client.logout()


def find_sent_folder(client: imapclient.IMAPClient, host: str, chosen: str = "") -> str:
    """The folder to file sent messages in: chosen, else marked ``\\Sent``, else by name."""
    folders = client.list_folders()
    if chosen:
        if any(name == chosen for _, _, name in folders):
            return chosen
        raise SentFolderMissing(host, chosen)
    # Servers that mark special use (Dovecot, Gmail, Exchange) do so in a plain LIST.
    for flags, _, name in folders:
        if SENT in flags:
            return str(name)
    by_last_part: dict[str, str] = {}
    for _, delimiter, name in folders:
        last = name.rsplit(delimiter.decode(), 1)[-1] if delimiter else name
        by_last_part.setdefault(last.casefold(), name)
    for common in COMMON_SENT_NAMES:
        if common.casefold() in by_last_part:
            return by_last_part[common.casefold()]
    raise SentFolderMissing(host)


def file_in_sent(settings: ImapSettings, password: str, message: bytes, when: datetime) -> str:
    """APPEND ``message`` to the Sent folder, flagged ``\\Seen``; returns the folder's name."""
    with imap_session(settings, password) as client, _translated(settings):
        folder = find_sent_folder(client, settings.host, settings.sent_folder)
        client.append(folder, message, flags=(SEEN,), msg_time=when)
    logger.info("Filed a copy of a sent message in %s on %s", folder, settings.host)
    return folder


def _text(exc: Exception) -> str:
    raw = exc.args[0] if exc.args else str(exc)
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return " ".join(text.split())


@contextmanager
def _translated(settings: ImapSettings) -> Iterator[None]:
    """Socket, TLS and IMAP errors as the MailError a person can act on."""
    host, port = settings.host, settings.port
    try:
        yield
    except MailError:
        raise
    except ssl.SSLCertVerificationError as exc:
        raise TlsCertificateError(host, exc.verify_message or exc.reason or str(exc)) from None
    except ssl.SSLError as exc:
        raise TlsHandshakeFailed(host, port, exc.reason or str(exc)) from None
    except TimeoutError:
        raise ConnectionTimedOut(host, settings.timeout) from None
    except socket.gaierror:
        raise ServerUnreachable(host, port, "no server by that name was found") from None
    except ConnectionRefusedError:
        raise ServerUnreachable(host, port, "nothing is accepting connections there") from None
    except (IMAPClientError, imaplib.IMAP4.error) as exc:
        raise ImapFailed(host, _text(exc)) from None
    except OSError as exc:
        raise ServerUnreachable(host, port, exc.strerror or str(exc)) from None
