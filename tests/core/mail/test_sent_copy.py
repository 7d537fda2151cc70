"""A copy of each sent message in the Sent folder, filed over IMAP into a real Dovecot.

The message goes out through a real aiosmtpd server; its copy is appended to
the Sent folder of a real Dovecot (one per module, a fresh user per test).
Whatever goes wrong with the copy, the message stays sent, exactly one
arrived, and the Outbox keeps a warning saying what happened.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from datetime import datetime
from email import message_from_bytes, policy

import pytest
from sqlalchemy import update

from afterword.core.errors import ValidationError
from afterword.core.mail import outbox
from afterword.core.mail.accounts import get_mail_account, save_imap_settings
from afterword.core.mail.imap import ImapSettings, find_sent_folder, imap_session
from afterword.core.storage.db import Database
from afterword.core.storage.models import MailAccount
from afterword.core.storage.records import ImapFields, MailAccountRecord, MessageRecord
from afterword.core.storage.values import MailSecurity, MessageStatus, SignIn
from tests.core.mail.rows import Scene, add_account, add_message
from tests.support.dovecot import Dovecot, ImapUser
from tests.support.smtp import PASSWORD, SmtpServer, free_port


def _account(
    db: Database,
    smtp_server: Callable[..., SmtpServer],
    dovecot: Dovecot,
    user: ImapUser,
    access_token: str | None = None,
    **imap: object,
) -> tuple[SmtpServer, MailAccountRecord]:
    server = smtp_server(username=user.name, access_token=access_token)
    add_account(db, server)
    fields: dict[str, object] = {
        "imap_host": dovecot.host,
        "imap_port": dovecot.ssl_port,
        "imap_security": MailSecurity.SSL,
    }
    fields.update(imap)
    return server, save_imap_settings(db, ImapFields(**fields))  # type: ignore[arg-type]


def _send(db: Database, now: datetime, scene: Scene, account: MailAccountRecord) -> MessageRecord:
    message_id = add_message(db, now, scene)
    return outbox.send_message(db, message_id, account=account, password=PASSWORD, now=now)


@pytest.mark.parametrize("security", [MailSecurity.SSL, MailSecurity.STARTTLS])
def test_a_sent_message_is_filed_in_sent_flagged_seen(
    db: Database,
    now: datetime,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
    dovecot: Dovecot,
    security: MailSecurity,
) -> None:
    user = dovecot.add_user(password=PASSWORD)
    port = dovecot.ssl_port if security is MailSecurity.SSL else dovecot.starttls_port
    server, account = _account(
        db, smtp_server, dovecot, user, imap_port=port, imap_security=security
    )

    sent = _send(db, now, scene, account)

    assert sent.status is MessageStatus.SENT
    assert sent.warning == ""
    [(flags, text)] = dovecot.messages(user, "Sent")
    assert b"\\Seen" in flags
    copy = message_from_bytes(text, policy=policy.default)
    [received] = server.received
    assert copy["Message-ID"] == received.message["Message-ID"] == sent.message_id_header
    assert copy["Subject"] == received.message["Subject"]
    assert dovecot.messages(user, "INBOX") == []


def test_the_folder_marked_sent_is_found_whatever_its_name(
    db: Database,
    now: datetime,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
    dovecot: Dovecot,
) -> None:
    user = dovecot.add_user(password=PASSWORD, folders=("Posted", "Sent Items"))
    _, account = _account(db, smtp_server, dovecot, user)

    _send(db, now, scene, account)

    assert len(dovecot.messages(user, "Posted")) == 1
    assert dovecot.messages(user, "Sent Items") == []


@pytest.mark.parametrize("name", ["Sent Items", "Gesendete Elemente", "Archive/Sent Messages"])
def test_without_a_marked_folder_a_common_name_is_used(
    db: Database,
    now: datetime,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
    dovecot: Dovecot,
    name: str,
) -> None:
    user = dovecot.add_user(password=PASSWORD, folders=("Drafts", name))
    _, account = _account(db, smtp_server, dovecot, user)

    assert _send(db, now, scene, account).warning == ""

    assert len(dovecot.messages(user, name)) == 1


def test_a_folder_chosen_by_hand_wins(
    db: Database,
    now: datetime,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
    dovecot: Dovecot,
) -> None:
    user = dovecot.add_user(password=PASSWORD, folders=("Sent", "Job hunt/Sent notes"))
    _, account = _account(db, smtp_server, dovecot, user, sent_folder="Job hunt/Sent notes")

    _send(db, now, scene, account)

    assert len(dovecot.messages(user, "Job hunt/Sent notes")) == 1
    assert dovecot.messages(user, "Sent") == []


def _assert_sent_once_with_warning(
    db: Database, sent: MessageRecord, server: SmtpServer, *words: str
) -> None:
    assert sent.status is MessageStatus.SENT
    assert sent.warning.startswith("Sent, but no copy is in your Sent folder.")
    for word in words:
        assert word in sent.warning
    assert PASSWORD not in sent.warning
    # Stored for the Outbox, and nothing is sent again because of it.
    assert outbox.get_message(db, sent.id).warning == sent.warning
    assert len(server.received) == 1
    with pytest.raises(outbox.AlreadySent):
        outbox.send_message(
            db, sent.id, account=_any_account(db), password=PASSWORD, now=sent.updated_at
        )
    assert len(server.received) == 1


def _any_account(db: Database) -> MailAccountRecord:
    account = get_mail_account(db)
    assert account is not None
    return account


def test_no_sent_folder_leaves_the_message_sent_with_a_warning(
    db: Database,
    now: datetime,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
    dovecot: Dovecot,
) -> None:
    user = dovecot.add_user(password=PASSWORD, folders=("Drafts",))
    server, account = _account(db, smtp_server, dovecot, user)

    sent = _send(db, now, scene, account)

    _assert_sent_once_with_warning(db, sent, server, "no folder marked or named as the Sent folder")


def test_a_chosen_folder_that_does_not_exist_is_named_in_the_warning(
    db: Database,
    now: datetime,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
    dovecot: Dovecot,
) -> None:
    user = dovecot.add_user(password=PASSWORD)
    server, account = _account(db, smtp_server, dovecot, user, sent_folder="Gone")

    sent = _send(db, now, scene, account)

    _assert_sent_once_with_warning(db, sent, server, "“Gone”")
    assert dovecot.messages(user, "Sent") == []


def test_an_unreachable_imap_server_leaves_the_message_sent_with_a_warning(
    db: Database,
    now: datetime,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
    dovecot: Dovecot,
) -> None:
    user = dovecot.add_user(password=PASSWORD)
    server, account = _account(db, smtp_server, dovecot, user, imap_port=free_port())

    sent = _send(db, now, scene, account)

    _assert_sent_once_with_warning(db, sent, server, "Could not connect")


def test_providers_that_file_submissions_themselves_get_no_second_copy(
    db: Database,
    now: datetime,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
    dovecot: Dovecot,
) -> None:
    user = dovecot.add_user("gmail", password=PASSWORD)
    server, _ = _account(db, smtp_server, dovecot, user)
    # A Gmail address: Gmail puts what smtp.gmail.com sends into Sent itself.
    with db.session() as session:
        session.execute(update(MailAccount).values(email="ada@gmail.com"))
    account = _any_account(db)

    sent = _send(db, now, scene, account)

    assert sent.warning == ""
    assert len(server.received) == 1
    assert dovecot.messages(user, "Sent") == []


def test_an_account_without_a_known_imap_server_sends_without_a_copy(
    db: Database, now: datetime, scene: Scene, smtp_server: Callable[..., SmtpServer]
) -> None:
    # A server of the person's own with no IMAP settings: nothing to file into, no warning.
    server = smtp_server()
    account = add_account(db, server)

    sent = _send(db, now, scene, account)

    assert ImapSettings.for_account(account) is None
    assert (sent.status, sent.warning, len(server.received)) == (MessageStatus.SENT, "", 1)


def test_the_sent_folder_can_be_looked_up_for_the_settings_screen(
    smtp_server: Callable[..., SmtpServer], dovecot: Dovecot
) -> None:
    user = dovecot.add_user(password=PASSWORD, folders=("Posted",))
    settings = ImapSettings(dovecot.host, dovecot.ssl_port, MailSecurity.SSL, user.name)

    with imap_session(settings, PASSWORD) as client:
        assert find_sent_folder(client, dovecot.host) == "Posted"


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        (ImapFields(imap_host="imap://mail.example.com"), "imap_host", "no smtp://"),
        (ImapFields(imap_host="imap.example.com", imap_port=0), "imap_port", "usually 993"),
        (
            ImapFields(imap_host="imap.example.com", imap_security=MailSecurity.NONE),
            "imap_security",
            "Without encryption",
        ),
        (ImapFields(sent_folder="=?utf-8?q?Sent?="), "sent_folder", "The folder cannot"),
    ],
)
def test_bad_imap_settings_are_refused_naming_the_field_and_nothing_is_saved(
    db: Database, smtp_server: Callable[..., SmtpServer], values: ImapFields, field: str, words: str
) -> None:
    before = add_account(db, smtp_server())

    with pytest.raises(ValidationError) as refused:
        save_imap_settings(db, values)

    assert refused.value.field == field
    assert words in refused.value.problem
    assert get_mail_account(db) == before


def test_imap_settings_need_the_account_first(db: Database) -> None:
    with pytest.raises(ValidationError) as refused:
        save_imap_settings(db, ImapFields(imap_host="imap.example.com"))

    assert refused.value.field == "account"


def test_an_account_signed_in_with_oauth_sends_and_files_with_xoauth2(
    db: Database,
    now: datetime,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
    dovecot: Dovecot,
) -> None:
    # Dovecot checks the token with an introspection endpoint, as it would ask the provider.
    user = dovecot.add_user(password="a password nobody uses here")
    dovecot.grant_token(user, "access-token-1")
    server, _ = _account(db, smtp_server, dovecot, user, access_token="access-token-1")
    with db.session() as session:
        session.execute(update(MailAccount).values(sign_in=SignIn.MICROSOFT))
    account = _any_account(db)

    message_id = add_message(db, now, scene)
    sent = outbox.send_message(db, message_id, account=account, password="access-token-1", now=now)

    assert (sent.status, sent.warning) == (MessageStatus.SENT, "")
    assert len(server.received) == 1
    assert len(dovecot.messages(user, "Sent")) == 1


def test_a_refused_imap_login_leaves_the_message_sent_with_a_warning(
    db: Database,
    now: datetime,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
    dovecot: Dovecot,
) -> None:
    # The IMAP password differs from the one that sends (a real case: two app passwords).
    # Last in the module: Dovecot slows every login from this address after a failed one.
    user = dovecot.add_user(password="another secret")
    server, account = _account(db, smtp_server, dovecot, user)

    sent = _send(db, now, scene, account)

    _assert_sent_once_with_warning(db, sent, server, "refused the user name", user.name)


def test_neither_password_nor_token_reaches_the_log_even_at_debug_level(
    db: Database,
    now: datetime,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
    dovecot: Dovecot,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    user = dovecot.add_user(password=PASSWORD)
    _, account = _account(db, smtp_server, dovecot, user)
    _send(db, now, scene, account)
    token_user = dovecot.add_user(password="unused password")
    dovecot.grant_token(token_user, "secret-access-token")
    settings = ImapSettings(
        dovecot.host, dovecot.ssl_port, MailSecurity.SSL, token_user.name, xoauth2=True
    )
    with imap_session(settings, "secret-access-token") as client:
        client.list_folders()

    assert "imap" in caplog.text.casefold()  # the IMAP conversation was logged
    xoauth2 = f"user={token_user.name}\x01auth=Bearer secret-access-token\x01\x01"
    plain = f"\x00{user.name}\x00{PASSWORD}"
    for secret in (PASSWORD, "secret-access-token", "horse battery"):
        assert secret not in caplog.text
    for sent in (xoauth2, plain):
        assert base64.b64encode(sent.encode()).decode() not in caplog.text
