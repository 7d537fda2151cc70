"""The incoming-mail section of Settings: typed like a person, saved through operations."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from afterword.core.mail.accounts import get_mail_account, save_imap_settings
from afterword.core.storage.records import ImapFields, MailAccountRecord
from afterword.core.storage.values import MailSecurity
from afterword.gui.context import AppContext
from afterword.gui.forms import select_data
from afterword.gui.pages.mail_incoming import IncomingMailSection
from tests.gui.helpers import type_into

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
        save_imap_settings, mail_context.db, ImapFields(watch_replies=True), initiator=None
    )
    mail_context.ops.wait_for_idle()
    qtbot.wait(50)

    assert section.sent_folder.text() == "Half typed"
