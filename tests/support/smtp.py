"""Real SMTP servers for tests: aiosmtpd on 127.0.0.1 with TLS from a test CA.

Nothing here is a mock. :func:`run_smtp_server` starts an aiosmtpd
``Controller`` with STARTTLS, implicit TLS or (localhost only) no TLS, AUTH
required, and records every message it receives. Faults are produced for
real: a recipient refused with 550, the connection really closed (at RCPT or
after the message data arrived), a reply that never comes after the data, a
size limit. :func:`run_staller` is a TCP port that accepts and never speaks.

Certificates come from a trustme CA. The app trusts them the way it trusts a
real server, through ``ssl.create_default_context()``: the ``trusted_ca``
fixture points ``SSL_CERT_FILE`` at the CA's PEM for the test.

The fixtures are available to the whole suite (``tests/conftest.py`` lists
this module in ``pytest_plugins``): ask for ``smtp_server``, a factory
(``smtp_server(security=..., refuse=...)``).
"""

from __future__ import annotations

import asyncio
import base64
import email
import email.policy
import socket
import ssl
from collections.abc import Callable, Collection, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from afterword.core.mail.transport import SmtpSettings
from afterword.core.storage.values import MailSecurity

HOST = "127.0.0.1"
USERNAME = "ada@example.com"
PASSWORD = "correct horse battery staple"


def free_port() -> int:
    """A TCP port nothing listens on (aiosmtpd's Controller cannot use port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Received:
    """One message as the server got it: envelope, raw bytes, who logged in."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    content: bytes
    login: str | None

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class _Handler:
    """aiosmtpd hooks that record messages and produce the faults asked for."""

    refuse: Collection[str]
    drop_at_rcpt: bool
    drop_after_data: bool
    stall_after_data: float
    mail_reply: str | None = None
    # The one access token XOAUTH2 accepts (for ``username``); None: XOAUTH2 always fails.
    access_token: str | None = None
    username: str = ""
    received: list[Received] = field(default_factory=list)
    login_attempts: list[str] = field(default_factory=list)

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:  # noqa: N802
        """XOAUTH2 as Google and Microsoft take it: base64 of user=..^Aauth=Bearer ..^A^A."""
        if self.access_token is None or len(args) < 2:
            return AuthResult(success=False, handled=False)
        decoded = base64.b64decode(args[1]).decode("utf-8", "replace")
        fields = dict(part.split("=", 1) for part in decoded.split("\x01") if "=" in part)
        user = fields.get("user", "")
        self.login_attempts.append(user)
        accepted = user == self.username and fields.get("auth") == f"Bearer {self.access_token}"
        return AuthResult(
            success=accepted, handled=False, auth_data=LoginPassword(user.encode(), b"")
        )

    async def handle_MAIL(  # noqa: N802 (aiosmtpd's hook name)
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        mail_options: list[str],
    ) -> str:
        # Enforced here rather than by aiosmtpd's auth_required, which warns
        # unless AUTH is tied to STARTTLS (it does not count implicit TLS).
        if not session.authenticated:
            return "530 5.7.0 Authentication required"
        if self.mail_reply is not None:
            return self.mail_reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if self.drop_at_rcpt:
            assert server.transport is not None
            server.transport.abort()
            return "421 4.3.0 going away"
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        login = session.auth_data.login.decode() if session.auth_data else None
        assert isinstance(envelope.content, bytes)
        self.received.append(
            Received(
                mail_from=str(envelope.mail_from),
                rcpt_tos=tuple(envelope.rcpt_tos),
                content=envelope.content,
                login=login,
            )
        )
        if self.drop_after_data:
            # The server has the whole message; the client never hears back.
            assert server.transport is not None
            server.transport.abort()
        if self.stall_after_data:
            await asyncio.sleep(self.stall_after_data)
        return "250 2.0.0 Ok: queued"


def _authenticator(
    username: str, password: str, attempts: list[str], refusal: str | None
) -> Callable[..., AuthResult]:
    def check(
        server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            attempts.append(auth_data.login.decode())
        if refusal is not None:
            return AuthResult(success=False, handled=False, message=refusal)
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == username.encode()
            and auth_data.password == password.encode()
        )
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    return check


@dataclass(frozen=True)
class SmtpServer:
    """A running test server and what it received."""

    host: str
    port: int
    security: MailSecurity
    username: str
    password: str
    received: list[Received]
    # User names that tried to log in: empty means the password never left the client.
    login_attempts: list[str]

    def settings(self, *, timeout: float = 5.0, app_password_hint: str = "") -> SmtpSettings:
        return SmtpSettings(
            host=self.host,
            port=self.port,
            security=self.security,
            username=self.username,
            timeout=timeout,
            app_password_hint=app_password_hint,
        )


def _server_context(certificate_ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate_ca.issue_cert(HOST, "localhost").configure_cert(context)
    return context


@contextmanager
def run_smtp_server(
    certificate_ca: trustme.CA,
    *,
    security: MailSecurity = MailSecurity.STARTTLS,
    username: str = USERNAME,
    password: str = PASSWORD,
    refuse: Collection[str] = (),
    drop_at_rcpt: bool = False,
    drop_after_data: bool = False,
    stall_after_data: float = 0.0,
    data_size_limit: int | None = None,
    offer_starttls: bool = True,
    password_logins: bool = True,
    auth_reply: str | None = None,
    mail_reply: str | None = None,
    access_token: str | None = None,
) -> Iterator[SmtpServer]:
    """Run an aiosmtpd server on 127.0.0.1 that requires AUTH; stop it afterwards.

    ``security`` is how clients must connect: STARTTLS (offered unless
    ``offer_starttls`` is false, and required before AUTH), SSL (implicit TLS
    from the first byte) or NONE (plain text). The certificate is issued by
    ``certificate_ca``: pass a CA the client does not trust to test that.
    Without ``password_logins`` the only login offered is XOAUTH2.
    ``auth_reply`` refuses every login with that answer; ``mail_reply`` is
    the answer to every MAIL FROM (after a successful login). ``access_token``
    is the token an XOAUTH2 login must bring (as Google and Microsoft check it).
    """
    handler = _Handler(
        refuse=frozenset(refuse),
        drop_at_rcpt=drop_at_rcpt,
        drop_after_data=drop_after_data,
        stall_after_data=stall_after_data,
        mail_reply=mail_reply,
        access_token=access_token,
        username=username,
    )
    smtp_options: dict[str, Any] = {
        "authenticator": _authenticator(username, password, handler.login_attempts, auth_reply),
        # aiosmtpd counts only STARTTLS as TLS; with implicit TLS (or none)
        # it would otherwise never offer AUTH.
        "auth_require_tls": security is MailSecurity.STARTTLS,
    }
    if not password_logins:
        smtp_options["auth_exclude_mechanism"] = ["LOGIN", "PLAIN"]
    if data_size_limit is not None:
        smtp_options["data_size_limit"] = data_size_limit
    tls = _server_context(certificate_ca)
    if security is MailSecurity.STARTTLS and offer_starttls:
        smtp_options["tls_context"] = tls
        smtp_options["require_starttls"] = True
    port = free_port()
    controller = Controller(
        handler,
        hostname=HOST,
        port=port,
        ssl_context=tls if security is MailSecurity.SSL else None,
        # Without it aiosmtpd looks up this machine's name, which can be slow.
        server_hostname="smtp.test",
        **smtp_options,
    )
    controller.start()
    try:
        yield SmtpServer(
            host=HOST,
            port=port,
            security=security,
            username=username,
            password=password,
            received=handler.received,
            login_attempts=handler.login_attempts,
        )
    finally:
        controller.stop()


@contextmanager
def run_staller() -> Iterator[int]:
    """A port that accepts TCP connections and never says a word; yields the port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind((HOST, 0))
        # The kernel completes the handshake from the backlog; nobody ever accepts.
        listener.listen(8)
        yield int(listener.getsockname()[1])


@pytest.fixture(scope="session")
def smtp_ca() -> trustme.CA:
    """The test certificate authority (the one ``trusted_ca`` makes the app trust)."""
    return trustme.CA()


@pytest.fixture(scope="session")
def smtp_ca_pem(smtp_ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("smtp-ca") / "ca.pem"
    smtp_ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture
def trusted_ca(
    smtp_ca: trustme.CA, smtp_ca_pem: Path, monkeypatch: pytest.MonkeyPatch
) -> trustme.CA:
    """Make ``ssl.create_default_context()`` trust the test CA (and only it) for a test."""
    monkeypatch.setenv("SSL_CERT_FILE", str(smtp_ca_pem))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    return smtp_ca


@pytest.fixture
def smtp_server(trusted_ca: trustme.CA) -> Iterator[Callable[..., SmtpServer]]:
    """A factory starting real servers (options as :func:`run_smtp_server`), all stopped after."""
    with ExitStack() as servers:

        def start(**options: Any) -> SmtpServer:
            options.setdefault("certificate_ca", trusted_ca)
            return servers.enter_context(run_smtp_server(**options))

        yield start


@pytest.fixture
def stalling_port() -> Iterator[int]:
    """A local port that accepts connections and never answers (for timeouts)."""
    with run_staller() as port:
        yield port
