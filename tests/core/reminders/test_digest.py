"""The morning digest: one email to yourself through a real SMTP server, at most once a day."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, time, timedelta

import pytest

from afterword.core.applications import create_application
from afterword.core.interviews import save_interview
from afterword.core.mail import outbox
from afterword.core.reminders.service import (
    NO_ACCOUNT_FOR_DIGEST,
    DigestNotSent,
    look,
    send_digest,
)
from afterword.core.reminders.settings import ReminderSettings, save_reminder_settings
from afterword.core.storage.db import Database
from afterword.core.storage.records import (
    ApplicationFields,
    ContactFields,
    InterviewFields,
    ParticipantFields,
)
from afterword.core.storage.values import ApplicationStatus, MessageStatus
from tests.core.mail.rows import add_account
from tests.support.smtp import SmtpServer


def _something_due(db: Database, now: datetime) -> None:
    app = create_application(
        db,
        ApplicationFields(
            company="Brightline", role="Engineer", status=ApplicationStatus.INTERVIEWING
        ),
        now=now - timedelta(days=10),
    )
    save_interview(
        db,
        InterviewFields(
            application_id=app.id, starts_at=now - timedelta(days=1), timezone="Europe/Berlin"
        ),
        [ParticipantFields(new_contact=ContactFields(name="Dana Lee", email="dana@x.example"))],
        now=now - timedelta(days=2),
    )


def test_the_digest_is_due_at_its_time_and_sent_once_a_day(
    db: Database, now: datetime, smtp_server: Callable[..., SmtpServer]
) -> None:
    server = smtp_server()
    add_account(db, server)
    _something_due(db, now)
    save_reminder_settings(db, ReminderSettings(digest_at=time(7, 30)))
    morning = now.replace(hour=7, minute=0)
    outlook = look(db, morning)
    assert outlook.digest_day is None
    assert outlook.plan.next_at is not None and outlook.plan.next_at <= morning.replace(minute=30)

    at = morning.replace(minute=30)
    day = look(db, at).digest_day
    assert day == at.date()
    sent = send_digest(db, day, at, password=lambda _key: server.password)
    assert sent is not None and sent.status is MessageStatus.SENT
    [received] = server.received
    assert received.rcpt_tos == ("ada@example.com",)
    text = received.message.get_body().get_content()  # type: ignore[union-attr]
    assert "Send a thank-you to Dana Lee" in text
    # A second process (or a second look) sends nothing more that day.
    assert send_digest(db, day, at, password=lambda _key: server.password) is None
    assert look(db, at + timedelta(hours=1)).digest_day is None
    assert len(server.received) == 1
    assert [m.subject for m in outbox.list_messages(db)] == [sent.subject]


def test_no_digest_when_nothing_is_due(
    db: Database, now: datetime, smtp_server: Callable[..., SmtpServer]
) -> None:
    server = smtp_server()
    add_account(db, server)
    save_reminder_settings(db, ReminderSettings(digest_at=time(7, 30)))
    assert send_digest(db, now.date(), now, password=lambda _key: server.password) is None
    assert server.received == []
    assert look(db, now).digest_day is None  # the day is recorded: no retry


def test_without_a_mail_account_the_digest_says_why_nothing_was_sent(
    db: Database, now: datetime, caplog: pytest.LogCaptureFixture
) -> None:
    _something_due(db, now)
    save_reminder_settings(db, ReminderSettings(digest_at=time(7, 30)))
    day = look(db, now).digest_day
    assert day == now.date()

    with caplog.at_level(logging.WARNING), pytest.raises(DigestNotSent) as refused:
        send_digest(db, day, now)

    assert str(refused.value) == NO_ACCOUNT_FOR_DIGEST
    assert "Settings › Mail account" in str(refused.value)
    assert any("was not sent: there is no mail account" in r.getMessage() for r in caplog.records)
    assert outbox.list_messages(db) == []
    assert look(db, now).digest_day is None  # recorded: not tried again all day
