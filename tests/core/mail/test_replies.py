"""Replies noticed: a real Dovecot inbox searched, read-only, for answers about applications.

Messages are put into the inbox with IMAP APPEND and an arrival time, the way
a mail server files incoming mail. The search must find the replies from the
application's people and company domain since the thank-you, ignore the
rest, read nothing but headers (every message stays unread), record each
reply once, end the follow-up chain, and look at most every 15 minutes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from afterword.core.checklist.items import ItemKind
from afterword.core.checklist.service import checklist_for_application, today
from afterword.core.mail.accounts import get_mail_account, save_imap_settings
from afterword.core.mail.transport import ServerUnreachable
from afterword.core.replies import CHECK_INTERVAL, check_replies, replies_due
from afterword.core.storage.db import Database
from afterword.core.storage.models import Application, Contact, Touchpoint
from afterword.core.storage.records import ImapFields, MailAccountRecord
from afterword.core.storage.values import MailSecurity, Purpose, TouchpointKind
from tests.core.mail.rows import Scene, add_account
from tests.support.dovecot import Dovecot, ImapUser
from tests.support.smtp import PASSWORD, SmtpServer, free_port


def _message(sender: str, subject: str) -> bytes:
    return (
        f"From: {sender}\r\nTo: Ada <ada@example.com>\r\nSubject: {subject}\r\n"
        "Message-ID: <x@example.org>\r\n\r\nThe body, which Afterword never reads.\r\n"
    ).encode()


def _deliver(dovecot: Dovecot, user: ImapUser, *mail: tuple[str, str, datetime]) -> None:
    with dovecot.client(user) as client:
        for sender, subject, arrived in mail:
            client.append("INBOX", _message(sender, subject), msg_time=arrived)


def _touchpoints(db: Database) -> list[tuple[int, str, str, datetime]]:
    with db.reading() as session:
        rows = session.execute(
            select(Touchpoint.contact_id, Touchpoint.kind, Touchpoint.note, Touchpoint.occurred_at)
            .where(Touchpoint.kind == TouchpointKind.REPLIED)
            .order_by(Touchpoint.occurred_at)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


@pytest.fixture
def thanked(db: Database, now: datetime, scene: Scene) -> datetime:
    """The thank-you to Grace went out two days ago; the decision was due yesterday."""
    sent_at = now - timedelta(days=2)
    with db.session() as session:
        session.add(
            Touchpoint(
                contact_id=scene.contact_id,
                application_id=scene.application_id,
                interview_id=scene.interview_id,
                kind=TouchpointKind.EMAIL,
                purpose=Purpose.THANK_YOU,
                occurred_at=sent_at,
                note="Thank you",
            )
        )
        session.execute(
            update(Application).values(decision_expected=(now - timedelta(days=5)).date())
        )
    return sent_at


@pytest.fixture
def watching(
    db: Database, smtp_server: Callable[..., SmtpServer], dovecot: Dovecot
) -> tuple[ImapUser, MailAccountRecord]:
    user = dovecot.add_user(password=PASSWORD)
    add_account(db, smtp_server(username=user.name))
    account = save_imap_settings(
        db,
        ImapFields(
            imap_host=dovecot.host,
            imap_port=dovecot.ssl_port,
            imap_security=MailSecurity.SSL,
            watch_replies=True,
        ),
    )
    return user, account


def test_replies_from_the_people_and_the_company_domain_become_replied_touchpoints(
    db: Database,
    now: datetime,
    scene: Scene,
    thanked: datetime,
    dovecot: Dovecot,
    watching: tuple[ImapUser, MailAccountRecord],
) -> None:
    user, account = watching
    _deliver(
        dovecot,
        user,
        ("Grace Hopper <grace@example.org>", "Re: Thank you", now - timedelta(days=1)),
        ("Dana Lee <dana.lee@EXAMPLE.org>", "Next steps", now - timedelta(hours=3)),
        ("Grace Hopper <grace@example.org>", "Before the thank-you", thanked - timedelta(hours=1)),
        ("Someone <someone@gmail.com>", "Hello", now - timedelta(hours=2)),
        ("News <news@other.example>", "Weekly", now - timedelta(hours=2)),
    )

    noticed = check_replies(db, account, PASSWORD, now)

    assert [(n.name, n.arrived_at) for n in noticed] == [
        ("Grace Hopper", now - timedelta(days=1)),
        ("Dana Lee", now - timedelta(hours=3)),
    ]
    assert all(n.application_id == scene.application_id for n in noticed)
    with db.reading() as session:
        dana = session.scalars(select(Contact).where(Contact.name == "Dana Lee")).one()
        assert (dana.email, dana.company) == ("dana.lee@example.org", "Initech")
    assert _touchpoints(db) == [
        (scene.contact_id, TouchpointKind.REPLIED, "Re: Thank you", now - timedelta(days=1)),
        (dana.id, TouchpointKind.REPLIED, "Next steps", now - timedelta(hours=3)),
    ]
    # Read-only and headers only: every message is still unread.
    assert all(b"\\Seen" not in flags for flags, _ in dovecot.messages(user, "INBOX"))
    stored = get_mail_account(db)
    assert stored is not None and stored.replies_checked_at == now


def test_a_reply_ends_the_follow_up_chain_on_today_and_the_application(
    db: Database,
    now: datetime,
    scene: Scene,
    thanked: datetime,
    dovecot: Dovecot,
    watching: tuple[ImapUser, MailAccountRecord],
) -> None:
    user, account = watching

    def follow_ups() -> list[str]:
        return [
            item.key
            for item in checklist_for_application(db, scene.application_id, now)
            if item.kind in (ItemKind.STATUS_FOLLOW_UP, ItemKind.GONE_QUIET)
        ]

    assert follow_ups()
    assert any(item.kind is ItemKind.STATUS_FOLLOW_UP for item in today(db, now))
    _deliver(dovecot, user, ("grace@example.org", "Re: Thank you", now - timedelta(hours=1)))

    check_replies(db, account, PASSWORD, now)

    assert follow_ups() == []
    assert not any(item.kind is ItemKind.STATUS_FOLLOW_UP for item in today(db, now))


def test_the_inbox_is_looked_at_most_every_15_minutes_and_a_reply_is_recorded_once(
    db: Database,
    now: datetime,
    thanked: datetime,
    dovecot: Dovecot,
    watching: tuple[ImapUser, MailAccountRecord],
) -> None:
    user, account = watching
    _deliver(dovecot, user, ("grace@example.org", "Re: Thank you", now - timedelta(hours=1)))
    assert len(check_replies(db, account, PASSWORD, now)) == 1
    account = get_mail_account(db)  # type: ignore[assignment]
    soon = now + CHECK_INTERVAL - timedelta(seconds=1)

    # Too soon: not even a connection (a wrong password would be refused otherwise).
    assert not replies_due(account, soon)
    assert check_replies(db, account, "wrong password", soon) == []

    later = now + CHECK_INTERVAL
    assert replies_due(account, later)
    assert check_replies(db, account, PASSWORD, later) == []
    assert len(_touchpoints(db)) == 1


def test_nothing_is_looked_at_unless_the_person_asked_for_it(
    db: Database, now: datetime, thanked: datetime, watching: tuple[ImapUser, MailAccountRecord]
) -> None:
    _, account = watching
    account = save_imap_settings(
        db,
        ImapFields(imap_host=account.imap_host, imap_port=account.imap_port, watch_replies=False),
    )

    assert not replies_due(account, now)
    assert check_replies(db, account, "wrong password", now) == []


def test_an_unreachable_imap_server_is_a_clear_error_and_changes_nothing(
    db: Database, now: datetime, thanked: datetime, watching: tuple[ImapUser, MailAccountRecord]
) -> None:
    account = save_imap_settings(
        db, ImapFields(imap_host="127.0.0.1", imap_port=free_port(), watch_replies=True)
    )

    with pytest.raises(ServerUnreachable) as failed:
        check_replies(db, account, PASSWORD, now)

    assert "Could not connect to 127.0.0.1" in failed.value.user_message
    assert _touchpoints(db) == []
    stored = get_mail_account(db)
    assert stored is not None and stored.replies_checked_at is None


def test_an_application_without_a_thank_you_or_follow_up_is_not_searched_for(
    db: Database, now: datetime, scene: Scene, watching: tuple[ImapUser, MailAccountRecord]
) -> None:
    # Nothing sent yet, so nothing to reply to: no IMAP connection at all.
    _, account = watching

    assert check_replies(db, account, "wrong password", now) == []
