"""Replies noticed through IMAP IDLE, against real Dovecots: one offering IDLE, one not.

Real: Dovecot (TLS, a passwd-file user), the idler's own thread and
connection, the watcher's timers and operations. The second Dovecot is told
to announce capabilities without IDLE (``imap_capability``), as servers
without IDLE do; nothing is faked.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import trustme
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from afterword.core.mail.accounts import account_key, save_imap_settings
from afterword.core.storage.models import Touchpoint
from afterword.core.storage.records import ImapFields, TouchpointFields
from afterword.core.storage.values import MailSecurity, Purpose, TouchpointKind
from afterword.core.touchpoints import log_touchpoint
from afterword.gui.context import AppContext
from afterword.gui.mail_flow import session_passwords
from afterword.gui.replies_watch import RepliesWatcher
from tests.gui.conftest import Clock
from tests.gui.mail_support import Scene, save_account_for
from tests.support.dovecot import Dovecot, ImapUser, run_dovecot
from tests.support.smtp import PASSWORD, SmtpServer

pytest_plugins = ["tests.gui.mail_fixtures"]

# What Dovecot 2.3 announces after login, less IDLE.
_WITHOUT_IDLE = "imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE LITERAL+\n"


@pytest.fixture(scope="module")
def dovecot_without_idle(smtp_ca: trustme.CA) -> Iterator[Dovecot]:
    root = Path(tempfile.mkdtemp(prefix="afterword-dovecot-"))
    try:
        with run_dovecot(smtp_ca, root, extra_config=_WITHOUT_IDLE) as server:
            yield server
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _watching_replies(
    context: AppContext,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
    dovecot: Dovecot,
) -> ImapUser:
    user = dovecot.add_user(password=PASSWORD)
    account = save_account_for(context.db, smtp_server(username=user.name))
    save_imap_settings(
        context.db,
        ImapFields(
            imap_host=dovecot.host,
            imap_port=dovecot.ssl_port,
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
    return user


def _replied(context: AppContext) -> list[str]:
    with context.db.reading() as session:
        return list(
            session.scalars(
                select(Touchpoint.note).where(Touchpoint.kind == TouchpointKind.REPLIED)
            )
        )


@pytest.fixture
def watcher(mail_context: AppContext) -> Iterator[RepliesWatcher]:
    watcher = RepliesWatcher(mail_context)
    yield watcher
    watcher.stop()


def test_new_mail_reported_by_idle_is_looked_at_without_waiting_for_the_timer(
    mail_context: AppContext,
    clock: Clock,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
    dovecot: Dovecot,
    watcher: RepliesWatcher,
    qtbot: QtBot,
) -> None:
    user = _watching_replies(mail_context, scene, smtp_server, dovecot)
    watcher.start(first_after_ms=0)  # the look at start: nothing yet
    mail_context.ops.wait_for_idle()
    qtbot.waitUntil(lambda: watcher.idler is not None and watcher.idler.idling.is_set())
    assert _replied(mail_context) == []

    # Two minutes later (not 15), Anna answers.
    clock.advance(minutes=2)
    with dovecot.client(user) as client:
        client.append(
            "INBOX",
            b"From: Dr. Anna Schmidt <anna.schmidt@nordlicht.example>\r\n"
            b"Subject: Re: Thank you\r\n\r\nSee you soon.\r\n",
            msg_time=clock() - timedelta(minutes=1),
        )

    qtbot.waitUntil(lambda: _replied(mail_context) == ["Re: Thank you"], timeout=10_000)
    assert watcher.timer_active  # the 15-minute floor stays
    assert watcher.problem == ""


def test_stopping_ends_the_idle_connection_at_once(
    mail_context: AppContext,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
    dovecot: Dovecot,
    watcher: RepliesWatcher,
    qtbot: QtBot,
) -> None:
    _watching_replies(mail_context, scene, smtp_server, dovecot)
    watcher.start(first_after_ms=60_000)
    qtbot.waitUntil(lambda: watcher.idler is not None and watcher.idler.idling.is_set())
    idler = watcher.idler
    assert idler is not None

    watcher.stop()

    assert not idler.running
    assert not watcher.timer_active


def test_a_server_without_idle_keeps_the_15_minute_timer(
    mail_context: AppContext,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
    dovecot_without_idle: Dovecot,
    watcher: RepliesWatcher,
    qtbot: QtBot,
) -> None:
    _watching_replies(mail_context, scene, smtp_server, dovecot_without_idle)
    watcher.start(first_after_ms=60_000)

    qtbot.waitUntil(lambda: watcher.idle_offered is False, timeout=10_000)
    assert watcher.idler is None  # no connection kept open
    assert watcher.timer_active
