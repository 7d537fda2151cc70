"""A real IMAP server for tests: Debian's Dovecot on 127.0.0.1, TLS from the test CA.

:func:`run_dovecot` writes a configuration into a temporary folder (no
system file is read or changed) and starts ``dovecot -F`` with it: implicit
TLS on one port, STARTTLS (required before login) on another, users in a
passwd-file, mail in maildirs. Folders called ``Sent`` and ``Posted`` are
marked ``\\Sent`` (RFC 6154 special use; ``Posted`` is no common name, so only
the mark finds it); they exist only for users created with them, so tests
can also have none, or one with another name.

Starting Dovecot takes about a second, so the ``dovecot`` fixture is
module-scoped: one server per test module. Each test makes its own user
(:meth:`Dovecot.add_user`, a fresh name each time) with a passwd-file of its
own (Dovecot would not notice a line added to a shared one within the same
second), and a new user starts with empty mailboxes, so tests sharing the
server never see each other's mail.

The certificate comes from the same trustme CA as the SMTP servers'; a test
makes the app trust it with the ``trusted_ca`` fixture.
"""

from __future__ import annotations

import itertools
import json
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import imapclient
import pytest
import trustme

from tests.support.smtp import HOST, free_port

DOVECOT = "/usr/sbin/dovecot"
START_TIMEOUT = 15.0

# XOAUTH2 tokens are checked by asking an introspection endpoint (RFC 7662)
# on this computer, as Dovecot would ask the provider.
_OAUTH2_CONFIG = """\
introspection_mode = post
introspection_url = http://127.0.0.1:{port}/introspect
username_attribute = username
active_attribute = active
active_value = true
"""

_CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
auth_mechanisms = plain login xoauth2
# A refused login answers at once (the default waits 2 s).
auth_failure_delay = 0
default_internal_user = dovecot
default_login_user = dovenull
mail_location = maildir:{root}/mail/%u
# Test mail need not survive a power cut: without fsync a delivery is far quicker.
mail_fsync = never
# Mail belongs to the "dovecot" system user (uid about 100; Dovecot refuses root).
first_valid_uid = 1
passdb {{
  driver = oauth2
  mechanisms = xoauth2
  args = {root}/oauth2.conf.ext
}}
passdb {{
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u {root}/passwd/%u
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {starttls_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {ssl_port}
    ssl = yes
  }}
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
  }}
  mailbox Posted {{
    special_use = \\Sent
  }}
}}
"""


@dataclass(frozen=True)
class ImapUser:
    name: str
    password: str


@dataclass
class Dovecot:
    """A running Dovecot; add users, then read their mailboxes as any mail program would."""

    root: Path
    ssl_port: int
    starttls_port: int
    # Access token -> the user it was issued to (what the introspection endpoint knows).
    tokens: dict[str, str]
    host: str = HOST
    _numbers: Iterator[int] = field(default_factory=itertools.count)

    def grant_token(self, user: ImapUser, token: str) -> None:
        """Make ``token`` an access token for ``user`` (XOAUTH2 logins bring it)."""
        self.tokens[token] = user.name

    def add_user(
        self,
        prefix: str = "user",
        *,
        password: str = "imap secret 1",
        folders: Iterable[str] = ("Sent",),
    ) -> ImapUser:
        """A new user with an empty inbox and the given folders (``Sent`` by default)."""
        user = ImapUser(f"{prefix}{next(self._numbers)}@example.com", password)
        (self.root / "passwd" / user.name).write_text(
            f"{user.name}:{user.password}\n", encoding="utf-8"
        )
        with self.client(user) as client:
            for folder in folders:
                client.create_folder(folder)
        return user

    @contextmanager
    def client(self, user: ImapUser) -> Iterator[imapclient.IMAPClient]:
        """A logged-in connection over implicit TLS, trusting the test CA."""
        context = ssl.create_default_context(cafile=str(self.root / "ca.pem"))
        client = imapclient.IMAPClient(
            self.host, port=self.ssl_port, ssl=True, ssl_context=context, timeout=10
        )
        client.login(user.name, user.password)
        try:
            yield client
        finally:
            client.logout()

    def messages(self, user: ImapUser, folder: str) -> list[tuple[tuple[bytes, ...], bytes]]:
        """Every message in ``folder``: its flags and its full text."""
        with self.client(user) as client:
            client.select_folder(folder, readonly=True)
            found = client.fetch(client.search("ALL"), ["FLAGS", "RFC822"])
            return [(tuple(data[b"FLAGS"]), data[b"RFC822"]) for _, data in sorted(found.items())]


def _introspection_server(tokens: dict[str, str]) -> HTTPServer:
    """RFC 7662 token introspection for Dovecot: active, and whose, or not active."""

    class Introspect(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = parse_qs(self.rfile.read(length).decode())
            token = form.get("token", [""])[0]
            user = tokens.get(token)
            body = json.dumps({"active": True, "username": user} if user else {"active": False})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, format: str, *args: object) -> None:
            return

    return HTTPServer((HOST, 0), Introspect)


def _listening(port: int) -> bool:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as probe:
        probe.settimeout(0.2)
        return probe.connect_ex((HOST, port)) == 0


@contextmanager
def run_dovecot(
    certificate_ca: trustme.CA, root: Path, extra_config: str = ""
) -> Iterator[Dovecot]:
    """Start Dovecot with everything under ``root`` (a new folder whose parents others
    may enter, such as one from :func:`tempfile.mkdtemp`); stop it (and only it) afterwards.

    ``extra_config`` is appended to the configuration (say, capabilities to announce)."""
    # Dovecot refuses to read mail as root: mail belongs to its own "dovecot"
    # user, which must be able to reach the folder (pytest's are root's alone).
    root.chmod(0o755)
    for folder in ("mail", "home"):
        (root / folder).mkdir()
        shutil.chown(root / folder, "dovecot", "dovecot")
    certificate = certificate_ca.issue_cert(HOST, "localhost")
    certificate.cert_chain_pems[0].write_to_path(str(root / "cert.pem"))
    certificate.private_key_pem.write_to_path(str(root / "key.pem"))
    certificate_ca.cert_pem.write_to_path(str(root / "ca.pem"))
    (root / "passwd").mkdir()
    ssl_port, starttls_port = free_port(), free_port()
    tokens: dict[str, str] = {}
    introspection = _introspection_server(tokens)
    threading.Thread(target=introspection.serve_forever, daemon=True).start()
    (root / "oauth2.conf.ext").write_text(
        _OAUTH2_CONFIG.format(port=introspection.server_address[1]), encoding="utf-8"
    )
    config = root / "dovecot.conf"
    config.write_text(
        _CONFIG.format(root=root, ssl_port=ssl_port, starttls_port=starttls_port) + extra_config,
        encoding="utf-8",
    )
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(config)], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not (_listening(ssl_port) and _listening(starttls_port)):
            if process.poll() is not None or time.monotonic() > deadline:
                log = (
                    (root / "dovecot.log").read_text(errors="replace")
                    if (root / "dovecot.log").exists()
                    else ""
                )
                errors = process.stderr.read().decode(errors="replace") if process.stderr else ""
                raise RuntimeError(f"Dovecot did not start:\n{errors}\n{log}")
            time.sleep(0.05)
        yield Dovecot(root=root, ssl_port=ssl_port, starttls_port=starttls_port, tokens=tokens)
    finally:
        introspection.shutdown()
        introspection.server_close()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()


@pytest.fixture(scope="module")
def dovecot(smtp_ca: trustme.CA) -> Iterator[Dovecot]:
    """One Dovecot for the test module (starting one takes about a second)."""
    if shutil.which(DOVECOT) is None:
        pytest.fail("Dovecot is missing: ./dev setup installs it (dovecot-imapd)")
    root = Path(tempfile.mkdtemp(prefix="afterword-dovecot-"))
    try:
        with run_dovecot(smtp_ca, root) as server:
            yield server
    finally:
        shutil.rmtree(root, ignore_errors=True)
