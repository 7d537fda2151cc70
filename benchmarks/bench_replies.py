"""Replies noticed in a 10,000-message inbox, against a bare IMAP look at the same inbox.

    .venv/bin/python -m benchmarks.bench_replies [--messages 10000] [--applications 50] [--runs 9]

(run from the repository root as root, with Debian's dovecot-imapd installed:
it uses the test suite's real Dovecot helper).

Starts Dovecot (implicit TLS, certificate from a throwaway trustme CA) and
fills one inbox with N messages spread over a year, from a few hundred
senders, delivered with IMAP APPEND and their arrival times; 20 of them are
replies from the watched people and companies. A temporary database holds
the applications waiting for an answer, each with a thank-you sent and two
interviewers at the company's domain.

- bare: ``IMAPClient`` connect, TLS, login, ``SELECT INBOX``, ``SEARCH ALL``,
  logout: the least any look at the inbox costs;
- check: :func:`afterword.core.replies.check_replies`: which applications
  to watch (database), connect, TLS, login, one ``SEARCH`` for every watched
  sender since the oldest outreach, the matches' headers, the touchpoints.

The first check after filling the inbox is reported apart (Dovecot builds
its caches then). Prints medians; exits 1 if a check takes 2 s or more.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import ssl
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import imapclient
import trustme

from afterword.core.mail.accounts import get_mail_account, save_imap_settings, save_mail_account
from afterword.core.replies import CHECK_INTERVAL, check_replies
from afterword.core.storage.db import open_database
from afterword.core.storage.models import Application, Contact, Interview, Participant, Touchpoint
from afterword.core.storage.records import ImapFields, MailAccountFields
from afterword.core.storage.values import MailSecurity, Purpose, TouchpointKind
from tests.support.dovecot import Dovecot, ImapUser, run_dovecot

TARGET_SECONDS = 2.0
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
REPLIES = 20


def _fill_inbox(dovecot: Dovecot, user: ImapUser, count: int, applications: int) -> None:
    """Deliver ``count`` messages, the first REPLIES of them from watched senders."""
    batch: list[tuple[bytes, datetime]] = []
    with dovecot.client(user) as client:
        for number in range(count):
            if number < REPLIES:
                sender = f"person{number % applications}a@company{number % applications}.example"
                arrived = NOW - timedelta(hours=number + 1)
            else:
                sender = f"sender{number % 397}@elsewhere{number % 53}.example"
                arrived = NOW - timedelta(minutes=53 * number)
            text = (
                f"From: Someone <{sender}>\r\nTo: ada@example.com\r\nSubject: Message {number}\r\n"
                f"Message-ID: <{number}@bench.example>\r\n\r\n" + "Some text.\r\n" * 40
            ).encode()
            batch.append((text, arrived))
            if len(batch) == 500:
                _append(client, batch)
                batch = []
        _append(client, batch)


def _append(client: imapclient.IMAPClient, batch: list[tuple[bytes, datetime]]) -> None:
    if batch:
        client.multiappend("INBOX", [{"msg": text, "date": arrived} for text, arrived in batch])


def _fill_database(path: Path, applications: int, dovecot: Dovecot, user: ImapUser) -> None:
    db = open_database(path)
    with db.session() as session:
        for number in range(applications):
            app = Application(
                company=f"Company {number}",
                role="Engineer",
                created_at=NOW - timedelta(days=30),
                updated_at=NOW - timedelta(days=30),
            )
            session.add(app)
            session.flush()
            interview = Interview(
                application_id=app.id, starts_at=NOW - timedelta(days=10), timezone="UTC"
            )
            session.add(interview)
            session.flush()
            for letter in "ab":
                person = Contact(
                    name=f"Person {number}{letter}",
                    email=f"person{number}{letter}@company{number}.example",
                    created_at=NOW - timedelta(days=10),
                )
                session.add(person)
                session.flush()
                session.add(Participant(interview_id=interview.id, contact_id=person.id))
                session.add(
                    Touchpoint(
                        contact_id=person.id,
                        application_id=app.id,
                        interview_id=interview.id,
                        kind=TouchpointKind.EMAIL,
                        purpose=Purpose.THANK_YOU,
                        occurred_at=NOW - timedelta(days=9),
                    )
                )
    save_mail_account(
        db,
        MailAccountFields(
            display_name="Ada",
            email="ada@example.com",
            smtp_host="smtp.example.com",
            smtp_port=465,
            security=MailSecurity.SSL,
            username=user.name,
        ),
    )
    save_imap_settings(
        db,
        ImapFields(
            imap_host=dovecot.host,
            imap_port=dovecot.ssl_port,
            imap_security=MailSecurity.SSL,
            watch_replies=True,
        ),
    )
    db.close()


def _bare(dovecot: Dovecot, user: ImapUser) -> float:
    started = time.perf_counter()
    client = imapclient.IMAPClient(
        dovecot.host, port=dovecot.ssl_port, ssl=True, ssl_context=ssl.create_default_context()
    )
    client.login(user.name, user.password)
    client.select_folder("INBOX", readonly=True)
    client.search("ALL")
    client.logout()
    return time.perf_counter() - started


def _check(path: Path, user: ImapUser, run: int) -> tuple[float, int]:
    db = open_database(path)
    try:
        account = get_mail_account(db)
        assert account is not None
        started = time.perf_counter()
        noticed = check_replies(db, account, user.password, NOW + CHECK_INTERVAL * run)
        return time.perf_counter() - started, len(noticed)
    finally:
        db.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--applications", type=int, default=50)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    ca = trustme.CA()
    # Dovecot's folder must be one its own user can enter; the database's need not.
    root = Path(tempfile.mkdtemp(prefix="afterword-bench-replies-"))
    mail_root = Path(tempfile.mkdtemp(prefix="afterword-bench-dovecot-"))
    try:
        with run_dovecot(ca, mail_root) as dovecot:
            os.environ["SSL_CERT_FILE"] = str(mail_root / "ca.pem")
            user = dovecot.add_user("bench")
            started = time.perf_counter()
            _fill_inbox(dovecot, user, args.messages, args.applications)
            print(
                f"inbox filled: {args.messages} messages in {time.perf_counter() - started:.1f} s"
            )
            database = root / "afterword.sqlite3"
            _fill_database(database, args.applications, dovecot, user)
            first, found = _check(database, user, 0)
            print(
                f"first check (Dovecot builds its caches): {first * 1000:.0f} ms, {found} replies"
            )
            bare, checks = [], []
            for run in range(1, args.runs + 1):
                bare.append(_bare(dovecot, user))
                checks.append(_check(database, user, run)[0])
    finally:
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(mail_root, ignore_errors=True)
    bare_ms, check_ms = statistics.median(bare) * 1000, statistics.median(checks) * 1000
    print(f"bare look (login, SELECT, SEARCH ALL): median {bare_ms:.0f} ms")
    print(f"reply check ({args.applications} applications): median {check_ms:.0f} ms")
    print(f"check / bare: {check_ms / bare_ms:.2f}")
    worst = max(first, *checks)
    print(f"slowest check: {worst * 1000:.0f} ms (target: under {TARGET_SECONDS:g} s)")
    return 0 if worst < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
