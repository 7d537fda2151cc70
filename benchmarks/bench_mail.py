"""Sending through the app's core against a bare smtplib send, on the same local server.

    .venv/bin/python -m benchmarks.bench_mail [--sends 200]

(run from the repository root: it uses the test suite's real server helper).

Starts the test suite's aiosmtpd server (STARTTLS, AUTH required, certificate
from a throwaway trustme CA) in a process of its own, like a real server: in
this process its thread would compete for the GIL with whatever the client
does after a send. Then sends the same thank-you N times each way,
alternating so both see the same machine load:

- bare: ``smtplib.SMTP`` connect, STARTTLS, login, ``send_message``, quit, with
  a message built beforehand (so the bare side pays nothing for building it);
- core: :func:`afterword.core.mail.outbox.send_message` on a temporary database: claim the
  draft, build the email, connect, STARTTLS, login, send, quit, record sent
  and the touchpoint.

Which of the two goes first alternates from round to round. Both say
``EHLO localhost``, so the machine's name lookup costs neither side. Prints
the medians and their ratio; exits 1 if the core takes more than 1.5 times
the bare send.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import smtplib
import ssl
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import trustme

from afterword.core.mail import outbox
from afterword.core.mail.accounts import to_record
from afterword.core.mail.compose import build_email
from afterword.core.mail.transport import EHLO_NAME
from afterword.core.storage.db import Database, open_database
from afterword.core.storage.models import Contact, MailAccount, Message
from afterword.core.storage.records import MailAccountRecord
from afterword.core.storage.values import MailSecurity, MessageStatus, Purpose
from tests.support.smtp import run_smtp_server

TARGET_RATIO = 1.5
WARM_UP = 5
SUBJECT = "Thank you for today"
BODY = (
    "Dear Grace,\n\nthank you for taking the time to talk about the data platform team. "
    "The way you described the on-call rotation made me even keener on the role.\n\n"
    "Best regards,\nAda\n"
)


@dataclass(frozen=True)
class Endpoint:
    """How to reach the server process, and the CA to trust for it."""

    host: str
    port: int
    username: str
    password: str
    ca_pem: bytes


def _serve(parent: Connection) -> None:
    """In the server process: serve until the parent says stop, then report the count."""
    # aiosmtpd warns about its own deprecated API on every login; not ours to fix.
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    ca = trustme.CA()
    with run_smtp_server(ca) as server:
        parent.send(
            Endpoint(
                server.host, server.port, server.username, server.password, ca.cert_pem.bytes()
            )
        )
        parent.recv()
        parent.send(len(server.received))


def _bare_send(endpoint: Endpoint, message: EmailMessage) -> None:
    with smtplib.SMTP(endpoint.host, endpoint.port, local_hostname=EHLO_NAME, timeout=30) as smtp:
        smtp.starttls(context=ssl.create_default_context())
        smtp.login(endpoint.username, endpoint.password)
        smtp.send_message(message)


def _account(db: Database, endpoint: Endpoint) -> MailAccountRecord:
    with db.session() as session:
        row = MailAccount(
            display_name="Ada Lovelace",
            email="ada@example.com",
            smtp_host=endpoint.host,
            smtp_port=endpoint.port,
            security=MailSecurity.STARTTLS,
            username=endpoint.username,
            bcc_self=False,
        )
        session.add(row)
        session.flush()
        return to_record(row)


def _contact(db: Database, now: datetime) -> int:
    with db.session() as session:
        row = Contact(name="Grace Hopper", email="grace@example.org", created_at=now)
        session.add(row)
        session.flush()
        return row.id


def _draft(db: Database, contact_id: int, now: datetime) -> int:
    with db.session() as session:
        row = Message(
            contact_id=contact_id,
            purpose=Purpose.THANK_YOU,
            to_name="Grace Hopper",
            to_address="grace@example.org",
            subject=SUBJECT,
            body=BODY,
            status=MessageStatus.DRAFT,
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        session.flush()
        return row.id


def _timed(work: Callable[..., object], *args: Any, **kwargs: Any) -> float:
    started = time.perf_counter()
    work(*args, **kwargs)
    return time.perf_counter() - started


def _measure(endpoint: Endpoint, folder: Path, sends: int) -> tuple[list[float], list[float]]:
    """Times of ``sends`` bare and core sends (after a warm-up), alternating."""
    now = datetime.now(UTC)
    pem = folder / "ca.pem"
    pem.write_bytes(endpoint.ca_pem)
    # The app trusts the test CA the way it trusts any server: via OpenSSL's default paths.
    os.environ["SSL_CERT_FILE"] = str(pem)
    db = open_database(folder / "afterword.sqlite3")
    try:
        account = _account(db, endpoint)
        contact_id = _contact(db, now)
        message = build_email(
            from_name=account.display_name,
            from_address=account.email,
            to_name="Grace Hopper",
            to_address="grace@example.org",
            subject=SUBJECT,
            body=BODY,
            bcc=None,
            now=now,
        )
        bare: list[float] = []
        core: list[float] = []
        for round_number in range(WARM_UP + sends):
            draft = _draft(db, contact_id, now)
            # Who goes first alternates: the second of a pair runs with warmer caches.
            if round_number % 2:
                core_time = _timed(
                    outbox.send_message,
                    db,
                    draft,
                    account=account,
                    password=endpoint.password,
                    now=now,
                )
                bare_time = _timed(_bare_send, endpoint, message)
            else:
                bare_time = _timed(_bare_send, endpoint, message)
                core_time = _timed(
                    outbox.send_message,
                    db,
                    draft,
                    account=account,
                    password=endpoint.password,
                    now=now,
                )
            if round_number >= WARM_UP:
                bare.append(bare_time)
                core.append(core_time)
        return bare, core
    finally:
        db.close()


def run(sends: int) -> float:
    """Measure; print the medians and the ratio (core / bare), and return the ratio."""
    ours, theirs = multiprocessing.Pipe()
    server = multiprocessing.get_context("spawn").Process(target=_serve, args=(theirs,))
    server.start()
    try:
        endpoint: Endpoint = ours.recv()
        with tempfile.TemporaryDirectory() as folder:
            bare, core = _measure(endpoint, Path(folder), sends)
        ours.send("stop")
        received = ours.recv()
    finally:
        server.join(timeout=10)
    assert received == 2 * (WARM_UP + sends), f"the server got {received} messages"
    bare_median = statistics.median(bare)
    core_median = statistics.median(core)
    ratio = core_median / bare_median
    print(f"sends each way:       {sends}")
    print(f"bare smtplib median:  {bare_median * 1000:.2f} ms")
    print(f"core send median:     {core_median * 1000:.2f} ms")
    print(f"ratio core/bare:      {ratio:.2f} (target at most {TARGET_RATIO})")
    return ratio


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sends", type=int, default=200, help="measured sends each way")
    args = parser.parse_args()
    ratio = run(args.sends)
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
