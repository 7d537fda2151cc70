"""The incoming-mail section of Settings: typed like a person, saved through operations."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from afterword.core.errors import ValidationError
from afterword.core.mail.accounts import (
    REPLIES_NEED_A_SERVER,
    account_key,
    get_mail_account,
    save_imap_settings,
    save_mail_account,
)
from afterword.core.storage.records import ImapFields, MailAccountFields, MailAccountRecord
from afterword.core.storage.values import MailSecurity
from afterword.gui.context import AppContext
from afterword.gui.forms import select_data
from afterword.gui.mail_flow import session_passwords
from afterword.gui.pages.mail_incoming import IncomingMailSection
from afterword.gui.replies_watch import RepliesWatcher
from tests.gui.helpers import type_into
from tests.support.smtp import free_port

pytest_plugins = ["tests.gui.mail_fixtures"]


def _section(context: AppContext, qtbot: QtBot) -> IncomingMailSection:
    section = IncomingMailSection(context)
    qtbot.addWidget(section)
    section.show()
    context.ops.wait_for_idle()
    return section


def test_without_a_mail_account_there_is_nothing_to_set(
    mail_context: AppContext, qtbot: QtBot
) -> None:
    section = _section(mail_context, qtbot)

    assert not section.isEnabled()
    assert section.result.text() == "Save the mail account first."


def test_imap_server_sent_folder_and_replies_are_saved(
    mail_context: AppContext, mail_account: MailAccountRecord, qtbot: QtBot
) -> None:
    section = _section(mail_context, qtbot)
    assert "needed for a provider Afterword does not know" in section.imap_host.placeholderText()

    type_into(qtbot, section.imap_host, "imap.example.com")
    select_data(section.imap_security, MailSecurity.STARTTLS)
    section.imap_port.setValue(143)
    type_into(qtbot, section.sent_folder, "Job hunt/Sent")
    section.watch_replies.click()
    section.save_button.click()
    mail_context.ops.wait_for_idle()
    qtbot.waitUntil(lambda: section.result.text() == "Saved.")

    saved = get_mail_account(mail_context.db)
    assert saved is not None
    assert (saved.imap_host, saved.imap_port, saved.imap_security) == (
        "imap.example.com",
        143,
        MailSecurity.STARTTLS,
    )
    assert (saved.sent_folder, saved.watch_replies) == ("Job hunt/Sent", True)
    # The sending settings are untouched.
    assert (saved.smtp_host, saved.smtp_port) == (mail_account.smtp_host, mail_account.smtp_port)


def test_a_bad_server_name_is_marked_as_typed_and_nothing_is_saved(
    mail_context: AppContext, mail_account: MailAccountRecord, qtbot: QtBot
) -> None:
    section = _section(mail_context, qtbot)

    type_into(qtbot, section.imap_host, "imap://mail.example.com")

    error = section.validator._fields["imap_host"].error
    assert error.isVisible()
    assert "no smtp://" in error.text()
    assert not section.save_button.isEnabled()
    saved = get_mail_account(mail_context.db)
    assert saved is not None and saved.imap_host == ""


def test_a_change_elsewhere_never_throws_away_what_is_being_typed(
    mail_context: AppContext, mail_account: MailAccountRecord, qtbot: QtBot
) -> None:
    section = _section(mail_context, qtbot)
    type_into(qtbot, section.sent_folder, "Half typed")

    # A look for replies (or the sending settings) saved the account meanwhile.
    mail_context.ops.write(
        save_imap_settings,
        mail_context.db,
        ImapFields(imap_host="imap.example.com", watch_replies=True),
        initiator=None,
    )
    mail_context.ops.wait_for_idle()
    qtbot.wait(50)

    assert section.sent_folder.text() == "Half typed"


def test_notice_replies_without_an_imap_server_is_refused_at_the_box(
    mail_context: AppContext, mail_account: MailAccountRecord, qtbot: QtBot
) -> None:
    section = _section(mail_context, qtbot)  # the account's server is one Afterword does not know

    qtbot.mouseClick(section.watch_replies, Qt.MouseButton.LeftButton)

    error = section.validator._fields["watch_replies"].error
    assert error.isVisible() and error.text() == REPLIES_NEED_A_SERVER
    assert not section.save_button.isEnabled()
    assert "Notice replies" in section.reason.text()
    saved = get_mail_account(mail_context.db)
    assert saved is not None and not saved.watch_replies

    type_into(qtbot, section.imap_host, "imap.example.com")
    assert not error.isVisible() and section.save_button.isEnabled()
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    mail_context.ops.wait_for_idle()
    saved = get_mail_account(mail_context.db)
    assert saved is not None and saved.watch_replies and saved.imap_host == "imap.example.com"


def test_a_known_provider_needs_no_imap_server_typed(
    mail_context: AppContext, qtbot: QtBot
) -> None:
    save_mail_account(
        mail_context.db,
        MailAccountFields(
            display_name="Ada", email="ada@fastmail.com", smtp_host="smtp.fastmail.com",
            smtp_port=465, security=MailSecurity.SSL, username="ada@fastmail.com",
        ),
    )  # fmt: skip
    section = _section(mail_context, qtbot)
    qtbot.mouseClick(section.watch_replies, Qt.MouseButton.LeftButton)
    assert section.save_button.isEnabled()
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    mail_context.ops.wait_for_idle()
    saved = get_mail_account(mail_context.db)
    assert saved is not None and saved.watch_replies


def test_the_core_refuses_it_too(mail_context: AppContext, mail_account: MailAccountRecord) -> None:
    with pytest.raises(ValidationError) as refused:
        save_imap_settings(mail_context.db, ImapFields(watch_replies=True))
    assert refused.value.field == "watch_replies"


def test_why_looking_for_replies_failed_is_shown_under_the_box(
    mail_context: AppContext, mail_account: MailAccountRecord, qtbot: QtBot
) -> None:
    # Replies are noticed on a server where nothing answers (a port nobody listens on).
    save_imap_settings(
        mail_context.db,
        ImapFields(imap_host="127.0.0.1", imap_port=free_port(), watch_replies=True),
    )
    session_passwords().remember(account_key(mail_account), "typed this session")
    section = _section(mail_context, qtbot)
    assert not section.watch_problem.isVisible()
    # The app starts its watcher a few seconds after the window: after this section, too.
    watcher = RepliesWatcher(mail_context)
    watcher.start(first_after_ms=0)
    try:
        qtbot.waitUntil(section.watch_problem.isVisible, timeout=10_000)
        assert section.watch_problem.text().startswith(
            "Looking for replies did not work the last time: Could not connect to 127.0.0.1"
        )
        # Switched off and saved: no old trouble is shown for it.
        qtbot.mouseClick(section.watch_replies, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
        mail_context.ops.wait_for_idle()
        qtbot.waitUntil(lambda: not section.watch_problem.isVisible())
    finally:
        watcher.stop()
