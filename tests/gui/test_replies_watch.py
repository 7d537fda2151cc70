"""Replies noticed while the app runs: the watcher's look, against a real Dovecot inbox."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from afterword.core.mail.accounts import account_key, save_imap_settings
from afterword.core.storage.changes import Changes, Kind
from afterword.core.storage.models import Touchpoint
from afterword.core.storage.records import ImapFields, TouchpointFields
from afterword.core.storage.values import MailSecurity, Purpose, TouchpointKind
from afterword.core.touchpoints import log_touchpoint
from afterword.gui.context import AppContext
from afterword.gui.mail_flow import session_passwords
from afterword.gui.replies_watch import CHECK_EVERY_MS, RepliesWatcher
from tests.gui.mail_support import Scene, save_account_for
from tests.support.dovecot import Dovecot
from tests.support.smtp import PASSWORD, SmtpServer, free_port

pytest_plugins = ["tests.gui.mail_fixtures"]


def _watching(
    context: AppContext,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
    dovecot: Dovecot,
    imap_port: int | None = None,
) -> Dovecot:
    user = dovecot.add_user(password=PASSWORD)
    account = save_account_for(context.db, smtp_server(username=user.name))
    save_imap_settings(
        context.db,
        ImapFields(
            imap_host=dovecot.host,
            imap_port=imap_port or dovecot.ssl_port,
            imap_security=MailSecurity.SSL,
            watch_replies=True,
        ),
    )
    session_passwords().remember(account_key(account), PASSWORD)
    now = context.now()
    log_touchpoint(
        context.db,
        TouchpointFields(
            contact_id=scene.anna.contact_id,
            kind=TouchpointKind.EMAIL,
            purpose=Purpose.THANK_YOU,
            occurred_at=now - timedelta(hours=20),
            application_id=scene.application.id,
            interview_id=scene.interview.id,
        ),
        now=now,
    )
    with dovecot.client(user) as client:
        client.append(
            "INBOX",
            b"From: Dr. Anna Schmidt <anna.schmidt@nordlicht.example>\r\n"
            b"Subject: Re: Thank you\r\n\r\nSee you soon.\r\n",
            msg_time=now - timedelta(hours=1),
        )
    return dovecot


def test_a_reply_in_the_inbox_is_recorded_and_announced(
    mail_context: AppContext,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
    dovecot: Dovecot,
    qtbot: QtBot,
) -> None:
    _watching(mail_context, scene, smtp_server, dovecot)
    announced: list[Changes] = []
    mail_context.ops.changed.connect(lambda changes, _initiator: announced.append(changes))
    watcher = RepliesWatcher(mail_context)

    watcher.check()
    mail_context.ops.wait_for_idle()
    qtbot.waitUntil(lambda: any(c.touches(Kind.TOUCHPOINTS) for c in announced))

    with mail_context.db.reading() as session:
        replied = session.scalars(
            select(Touchpoint).where(Touchpoint.kind == TouchpointKind.REPLIED)
        ).all()
        assert [(t.contact_id, t.note) for t in replied] == [
            (scene.anna.contact_id, "Re: Thank you")
        ]
    assert watcher.problem == ""
    assert CHECK_EVERY_MS == 15 * 60 * 1000


def test_a_failed_look_is_kept_quietly_for_later(
    mail_context: AppContext,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
    dovecot: Dovecot,
    qtbot: QtBot,
) -> None:
    _watching(mail_context, scene, smtp_server, dovecot, imap_port=free_port())
    watcher = RepliesWatcher(mail_context)

    watcher.check()
    mail_context.ops.wait_for_idle()
    qtbot.waitUntil(lambda: watcher.problem != "")

    assert "Could not connect to 127.0.0.1" in watcher.problem
