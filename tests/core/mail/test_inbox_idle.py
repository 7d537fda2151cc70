"""The rules of waiting for new mail: when IDLE is used, what counts as news, the retry pause."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import imapclient
import pytest
import trustme

from afterword.core.mail.inbox_idle import (
    FIRST_RETRY,
    LAST_RETRY,
    InboxIdler,
    idle_offered,
    new_mail,
    next_retry,
    said_goodbye,
)
from afterword.core.replies import CHECK_INTERVAL, NOTICED_GAP, replies_due
from afterword.core.storage.records import MailAccountRecord
from afterword.core.storage.values import MailSecurity
from tests.support.dovecot import Dovecot, ImapUser, run_dovecot


def test_idle_is_used_only_where_the_server_offers_it() -> None:
    assert idle_offered((b"IMAP4REV1", b"IDLE", b"LITERAL+"))
    assert idle_offered(("imap4rev1", "idle"))
    assert not idle_offered((b"IMAP4REV1", b"LITERAL+", b"IDLEX"))


def test_only_an_arrival_is_news() -> None:
    assert new_mail([(3, b"EXISTS")])
    assert not new_mail([(2, b"EXPUNGE"), (b"OK", b"Still here"), (1, b"RECENT")])
    assert not new_mail([])
    assert said_goodbye([(1, b"EXISTS"), (b"BYE", b"Server shutting down.")])
    assert not said_goodbye([(1, b"EXISTS")])


def test_retries_after_drops_wait_longer_and_longer_up_to_a_limit() -> None:
    pauses = [FIRST_RETRY]
    for _ in range(12):
        pauses.append(next_retry(pauses[-1]))
    assert pauses[:3] == [FIRST_RETRY, FIRST_RETRY * 2, FIRST_RETRY * 4]
    assert pauses == sorted(pauses)
    assert pauses[-1] == LAST_RETRY


def _account(last: datetime | None, *, watch: bool = True) -> MailAccountRecord:
    return MailAccountRecord(
        id=1,
        display_name="Ada",
        email="ada@example.org",
        smtp_host="smtp.example.org",
        smtp_port=465,
        security=MailSecurity.SSL,
        username="ada",
        watch_replies=watch,
        replies_checked_at=last,
    )


def test_news_of_new_mail_allows_a_look_after_a_minute_the_timer_after_15(
    now: datetime,
) -> None:
    two_minutes_ago = _account(now - timedelta(minutes=2))
    assert replies_due(two_minutes_ago, now, notified=True)
    assert not replies_due(two_minutes_ago, now)
    just_now = _account(now - NOTICED_GAP / 2)
    assert not replies_due(just_now, now, notified=True)
    assert replies_due(_account(now - CHECK_INTERVAL), now)
    assert replies_due(_account(None), now, notified=True)
    assert not replies_due(_account(None, watch=False), now, notified=True)


@pytest.fixture(scope="module")
def titled_dovecot(smtp_ca: trustme.CA) -> Iterator[Dovecot]:
    """A Dovecot whose imap processes name their user in their title (to stop one)."""
    root = Path(tempfile.mkdtemp(prefix="afterword-dovecot-"))
    try:
        with run_dovecot(smtp_ca, root, extra_config="verbose_proctitle = yes\n") as server:
            yield server
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _imap_process(user: ImapUser) -> int:
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if title.startswith("dovecot/imap ") and f"[{user.name} " in title:
            return int(entry.name)
    raise AssertionError(f"no imap process for {user.name}")


def test_the_idler_reports_arrivals_and_comes_back_after_the_server_drops_it(
    titled_dovecot: Dovecot,
) -> None:
    dovecot = titled_dovecot
    user = dovecot.add_user()
    arrivals: list[float] = []
    connections: list[int] = []

    @contextmanager
    def connect() -> Iterator[imapclient.IMAPClient]:
        connections.append(1)
        with dovecot.client(user) as client:
            yield client

    idler = InboxIdler(
        connect, lambda: arrivals.append(time.monotonic()), first_retry=0.2, check_seconds=0.5
    )
    idler.start()
    try:
        assert idler.idling.wait(10)
        _deliver(dovecot, user)
        _wait_until(lambda: len(arrivals) == 1)

        # The server ends the session, as at a restart: its imap process for
        # this user (of this test's own Dovecot) is told to stop.
        os.kill(_imap_process(user), signal.SIGTERM)
        _wait_until(lambda: len(connections) == 2 and idler.idling.is_set())
        _deliver(dovecot, user)
        _wait_until(lambda: len(arrivals) == 2)
    finally:
        idler.stop()
    assert not idler.running


def _deliver(dovecot: Dovecot, user: ImapUser) -> None:
    with dovecot.client(user) as client:
        client.append("INBOX", b"From: someone@example.org\r\nSubject: hi\r\n\r\nhi\r\n")


def _wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.05)
