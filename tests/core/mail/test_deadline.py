"""The total deadline of a send, against real slow servers on 127.0.0.1.

The tarpit answers every step just inside the per-read timeout (or trickles
its last answer a byte at a time), so the per-read timeout never fires: only
the total deadline can end the send. Deadlines here are short; the checks on
elapsed time are generous bounds that the old behaviour (no total deadline)
misses by several seconds, not measurements.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from email.message import EmailMessage

import pytest

from afterword.core.errors import ValidationError
from afterword.core.mail import outbox
from afterword.core.mail import transport as mail
from afterword.core.mail.compose import build_email
from afterword.core.storage.db import Database
from afterword.core.storage.values import MailSecurity, MessageStatus
from tests.core.mail.rows import Scene, add_account, add_message
from tests.support.smtp import HOST, USERNAME, SmtpServer
from tests.support.tarpit import run_tarpit

STEP = 0.25  # the tarpit's pause before each answer: well inside the per-read timeout
PER_READ = 2.0
DEADLINE = 0.8


def _email(now: datetime) -> EmailMessage:
    return build_email(
        from_name="Ada Lovelace",
        from_address="ada@example.com",
        to_name="Grace Hopper",
        to_address="grace@example.org",
        subject="Thank you",
        body="Dear Grace,\n\nthank you!\n",
        bcc=None,
        now=now,
    )


def _settings(server: SmtpServer, deadline: float) -> mail.SmtpSettings:
    return mail.SmtpSettings(
        host=server.host,
        port=server.port,
        security=server.security,
        username=server.username,
        timeout=PER_READ,
        deadline=deadline,
    )


def test_a_slow_server_gets_through_when_the_deadline_allows_it(now: datetime) -> None:
    # The control: the same tarpit, given enough time, takes the message, so
    # the failures below are the deadline's doing and not a broken server.
    with run_tarpit(STEP) as tarpit:
        mail.send_email(_settings(tarpit, deadline=30), tarpit.password, _email(now))

    assert len(tarpit.received) == 1


def test_a_server_answering_each_step_just_in_time_is_cut_off_at_the_deadline(
    now: datetime,
) -> None:
    with run_tarpit(STEP) as tarpit:
        started = time.monotonic()
        with pytest.raises(mail.DeadlinePassed) as passed:
            mail.send_email(_settings(tarpit, DEADLINE), tarpit.password, _email(now))
        elapsed = time.monotonic() - started

    # Eight answers at 0.25 s each would take 2 s; the deadline ends it near 0.8 s.
    assert elapsed < 1.6
    assert tarpit.received == []
    assert "not sent" in passed.value.user_message
    assert f"{DEADLINE:g} seconds" in passed.value.user_message


def test_a_reply_trickled_after_the_data_ends_at_the_deadline_as_may_have_arrived(
    db: Database, now: datetime, scene: Scene
) -> None:
    message_id = add_message(db, now, scene)
    with run_tarpit(STEP, trickle_after_data=True) as tarpit:
        account = add_account(db, tarpit)
        started = time.monotonic()
        with pytest.raises(mail.DeliveryUncertain):
            outbox.send_message(
                db,
                message_id,
                account=account,
                password=tarpit.password,
                now=now,
                timeout=PER_READ,
                deadline=DEADLINE,
            )
        elapsed = time.monotonic() - started

    # Twenty-one reply lines at 0.25 s each would take over 5 s.
    assert elapsed < 1.6
    assert len(tarpit.received) == 1
    message = outbox.get_message(db, message_id)
    assert message.status is MessageStatus.UNKNOWN
    assert "may have arrived" in message.error


def test_a_server_that_never_greets_is_given_up_at_the_deadline_not_the_read_timeout(
    stalling_port: int, now: datetime
) -> None:
    settings = mail.SmtpSettings(
        host=HOST,
        port=stalling_port,
        security=MailSecurity.NONE,
        username=USERNAME,
        timeout=30,
        deadline=0.5,
    )
    started = time.monotonic()

    with pytest.raises(mail.DeadlinePassed):
        mail.send_email(settings, "pw", _email(now))

    assert time.monotonic() - started < 5


def test_the_deadline_also_covers_tls_login_and_the_connection_test(
    smtp_server: Callable[..., SmtpServer],
) -> None:
    # A real STARTTLS server, far faster than the deadline: it passes untouched.
    server = smtp_server()
    settings = server.settings(timeout=PER_READ)

    mail.test_connection(settings, server.password)

    assert settings.deadline == mail.DEFAULT_DEADLINE == 90
    assert server.login_attempts == [server.username]


def test_a_deadline_of_zero_is_refused(now: datetime) -> None:
    with pytest.raises(ValidationError) as refused:
        mail.SmtpSettings(
            host=HOST, port=25, security=MailSecurity.NONE, username=USERNAME, deadline=0
        )

    assert refused.value.field == "deadline"
