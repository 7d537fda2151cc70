"""The mail account section of Settings: provider data, the keyring in words, Test connection.

The keyring is the real Secret Service of the ``./dev test`` session (and a
real locked collection, and keyring's own "no backend"); the server is a real
aiosmtpd on 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import trustme
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from afterword.core.mail.accounts import account_key, get_mail_account
from afterword.core.mail.credentials import (
    USER_MESSAGES,
    KeyringState,
    get_password,
    password_state,
)
from afterword.core.storage.records import MailAccountRecord
from afterword.core.storage.values import MailSecurity
from afterword.gui.context import AppContext
from afterword.gui.forms import select_data
from afterword.gui.mail_flow import session_passwords
from afterword.gui.pages.mail_account import SESSION_ONLY_TEXT, MailAccountSection
from afterword.gui.validator import FieldError
from tests.gui.mail_support import SENDER_NAME

if TYPE_CHECKING:
    from tests.support.keyring import ThrowawayCollection
    from tests.support.smtp import SmtpServer

pytest_plugins = ["tests.gui.mail_fixtures"]


def _section(context: AppContext, qtbot: QtBot) -> MailAccountSection:
    section = MailAccountSection(context)
    qtbot.addWidget(section)
    section.show()
    context.ops.wait_for_idle()
    return section


def _fill_for(section: MailAccountSection, server: SmtpServer, qtbot: QtBot) -> None:
    """Type the settings of ``server`` the way a person would."""
    qtbot.keyClicks(section.display_name, SENDER_NAME)
    qtbot.keyClicks(section.email, server.username)
    section.smtp_host.setText(server.host)
    select_data(section.security, server.security)
    section.smtp_port.setValue(server.port)


def test_typing_a_known_address_fills_in_the_provider_and_its_note(
    mail_context: AppContext, qtbot: QtBot
) -> None:
    section = _section(mail_context, qtbot)

    qtbot.keyClicks(section.email, "ada.lovelace@gmail.com")

    assert section.smtp_host.text() == "smtp.gmail.com"
    assert section.smtp_port.value() == 465
    assert section.security.currentData() == MailSecurity.SSL
    assert section.username.text() == "ada.lovelace@gmail.com"
    assert section.provider_note.isVisible()
    assert "Gmail needs an app password" in section.provider_note.text()

    section.email.clear()
    qtbot.keyClicks(section.email, "ada@outlook.com")
    assert section.smtp_host.text() == "smtp-mail.outlook.com"
    assert (section.smtp_port.value(), section.security.currentData()) == (
        587,
        MailSecurity.STARTTLS,
    )
    assert section.username.text() == "ada@outlook.com"
    assert "Open in my mail app" in section.provider_note.text()

    section.email.clear()
    qtbot.keyClicks(section.email, "ada@small-company.example")
    assert not section.provider_note.isVisible()
    # What the form filled in for Outlook.com is taken back (see test_mail_provider.py).
    assert section.smtp_host.text() == ""


def test_a_user_name_typed_by_hand_is_kept(mail_context: AppContext, qtbot: QtBot) -> None:
    section = _section(mail_context, qtbot)
    qtbot.keyClicks(section.email, "ada@fastmail.com")
    section.username.clear()
    qtbot.keyClicks(section.username, "ada-login")

    qtbot.keyClicks(section.email, "m")  # ada@fastmail.comm

    assert section.username.text() == "ada-login"


def test_switching_security_switches_the_usual_port(mail_context: AppContext, qtbot: QtBot) -> None:
    section = _section(mail_context, qtbot)
    select_data(section.security, MailSecurity.STARTTLS)
    assert section.smtp_port.value() == 587
    select_data(section.security, MailSecurity.SSL)
    assert section.smtp_port.value() == 465
    section.smtp_port.setValue(2525)
    select_data(section.security, MailSecurity.STARTTLS)
    assert section.smtp_port.value() == 2525  # a port chosen on purpose stays


def test_no_encryption_is_refused_except_for_this_computer(
    mail_context: AppContext, qtbot: QtBot
) -> None:
    section = _section(mail_context, qtbot)
    qtbot.keyClicks(section.email, "ada@example.com")
    section.smtp_host.setText("smtp.example.com")
    select_data(section.security, MailSecurity.NONE)

    assert not section.save_button.isEnabled()
    assert "password and messages would cross the network" in section.reason.text()

    section.smtp_host.setText("127.0.0.1")
    assert section.save_button.isEnabled()


def test_saving_puts_the_password_in_the_keyring_and_nowhere_on_screen(
    mail_context: AppContext,
    mail_server: SmtpServer,
    real_keyring: object,
    keys_to_forget: list[str],
    qtbot: QtBot,
) -> None:
    section = _section(mail_context, qtbot)
    assert "Save the account" in section.keyring.label.text()
    _fill_for(section, mail_server, qtbot)
    qtbot.keyClicks(section.password, mail_server.password)
    section.bcc_self.setChecked(True)

    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    mail_context.ops.wait_for_idle()

    account = get_mail_account(mail_context.db)
    assert account is not None and account.bcc_self
    keys_to_forget.append(account_key(account))
    assert get_password(account_key(account)) == mail_server.password
    assert section.password.text() == ""
    assert section.keyring.label.text() == USER_MESSAGES[KeyringState.STORED]
    assert section.result.text() == "Saved. The password is in your system keyring."

    again = _section(mail_context, qtbot)
    assert again.email.text() == mail_server.username
    assert again.keyring.label.text() == USER_MESSAGES[KeyringState.STORED]
    assert "type a new one to replace it" in again.password.placeholderText()


def test_a_new_login_takes_its_password_along_and_forgets_the_old_entry(
    mail_context: AppContext,
    mail_account: MailAccountRecord,
    stored_password: str,
    keys_to_forget: list[str],
    qtbot: QtBot,
) -> None:
    section = _section(mail_context, qtbot)
    old_key = account_key(mail_account)
    section.username.setText("ada.l")
    qtbot.keyClicks(section.password, "a new password")

    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    mail_context.ops.wait_for_idle()

    account = get_mail_account(mail_context.db)
    assert account is not None
    keys_to_forget.append(account_key(account))
    assert get_password(account_key(account)) == "a new password"
    assert password_state(old_key) is KeyringState.MISSING


def test_a_missing_password_is_asked_for_in_plain_words(
    mail_context: AppContext, mail_account: MailAccountRecord, real_keyring: object, qtbot: QtBot
) -> None:
    section = _section(mail_context, qtbot)
    assert section.keyring.label.text() == USER_MESSAGES[KeyringState.MISSING]
    assert section.keyring.label.property("problem") is True


def test_a_locked_keyring_offers_to_unlock_it(
    mail_context: AppContext,
    mail_account: MailAccountRecord,
    locked_keyring: ThrowawayCollection,
    qtbot: QtBot,
) -> None:
    section = _section(mail_context, qtbot)
    assert section.keyring.label.text() == USER_MESSAGES[KeyringState.LOCKED]
    assert section.keyring.unlock_button.isVisible()
    assert not section.keyring.session_button.isVisible()


def test_without_a_keyring_the_password_is_kept_for_this_session_only(
    mail_context: AppContext,
    mail_account: MailAccountRecord,
    no_keyring_backend: object,
    qtbot: QtBot,
) -> None:
    section = _section(mail_context, qtbot)
    assert section.keyring.label.text() == USER_MESSAGES[KeyringState.NO_BACKEND]
    assert (
        section.keyring.session_button.isVisible()
        and not section.keyring.session_button.isEnabled()
    )

    qtbot.keyClicks(section.password, "typed once")
    qtbot.mouseClick(section.keyring.session_button, Qt.MouseButton.LeftButton)

    assert session_passwords().get(account_key(mail_account)) == "typed once"
    assert section.password.text() == ""
    assert section.keyring.label.text() == SESSION_ONLY_TEXT
    # Saving the form does not try to put it anywhere else.
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    mail_context.ops.wait_for_idle()
    assert section.keyring.label.text() == SESSION_ONLY_TEXT


def test_test_connection_logs_in_and_sends_nothing(
    mail_context: AppContext, mail_server: SmtpServer, qtbot: QtBot
) -> None:
    section = _section(mail_context, qtbot)
    _fill_for(section, mail_server, qtbot)
    qtbot.keyClicks(section.password, mail_server.password)

    qtbot.mouseClick(section.test_button, Qt.MouseButton.LeftButton)
    assert not section.test_button.isEnabled()
    assert section.result.text() == "Connecting to 127.0.0.1…"
    mail_context.ops.wait_for_idle()

    assert section.result.text() == (
        "Connected to 127.0.0.1: encryption and login work. Nothing was sent."
    )
    assert section.test_button.isEnabled()
    assert mail_server.received == []


def test_test_connection_uses_the_stored_password(
    mail_context: AppContext, mail_account: MailAccountRecord, stored_password: str, qtbot: QtBot
) -> None:
    section = _section(mail_context, qtbot)
    qtbot.mouseClick(section.test_button, Qt.MouseButton.LeftButton)
    mail_context.ops.wait_for_idle()
    assert section.result.text().startswith("Connected to 127.0.0.1")


def test_a_refused_password_names_the_providers_app_password_advice(
    mail_context: AppContext, smtp_server: Callable[..., SmtpServer], qtbot: QtBot
) -> None:
    server = smtp_server(username="ada.lovelace@gmail.com")
    section = _section(mail_context, qtbot)
    _fill_for(section, server, qtbot)
    qtbot.keyClicks(section.password, "my Google password")

    qtbot.mouseClick(section.test_button, Qt.MouseButton.LeftButton)
    mail_context.ops.wait_for_idle()

    text = section.result.text()
    assert "refused the user name “ada.lovelace@gmail.com” or its password" in text
    assert "Gmail needs an app password" in text
    assert "Proton" not in text  # the server is on this computer, the account at Gmail
    assert section.result.property("problem") is True


def test_an_untrusted_certificate_is_reported_and_nothing_is_sent(
    mail_context: AppContext, smtp_server: Callable[..., SmtpServer], qtbot: QtBot
) -> None:
    server = smtp_server(certificate_ca=trustme.CA())  # a CA this computer does not trust
    section = _section(mail_context, qtbot)
    _fill_for(section, server, qtbot)
    qtbot.keyClicks(section.password, server.password)

    qtbot.mouseClick(section.test_button, Qt.MouseButton.LeftButton)
    mail_context.ops.wait_for_idle()

    assert "security certificate of 127.0.0.1 is not trusted" in section.result.text()


def test_a_server_nobody_answers_at_is_named(
    mail_context: AppContext, mail_server: SmtpServer, qtbot: QtBot
) -> None:
    section = _section(mail_context, qtbot)
    _fill_for(section, mail_server, qtbot)
    qtbot.keyClicks(section.password, mail_server.password)
    section.smtp_port.setValue(1)  # nothing listens there

    qtbot.mouseClick(section.test_button, Qt.MouseButton.LeftButton)
    mail_context.ops.wait_for_idle()

    assert section.result.text().startswith("Could not connect to 127.0.0.1 on port 1")


def test_the_empty_form_says_what_to_fill_in_and_scolds_only_after_typing(
    mail_context: AppContext, qtbot: QtBot
) -> None:
    section = _section(mail_context, qtbot)

    # Nothing typed: a hint, no problems, no field marked.
    assert not section.save_button.isEnabled()
    assert section.reason.isVisible()
    assert section.reason.text().startswith("Fill in your name, your email address")
    assert "Can’t save yet" not in section.reason.text()
    assert not any(label.isVisible() and label.text() for label in _field_errors(section))

    qtbot.keyClicks(section.email, "ada@")
    assert "Can’t save yet" in section.reason.text()
    assert any(label.isVisible() and label.text() for label in _field_errors(section))


def _field_errors(section: MailAccountSection) -> list[FieldError]:
    return section.findChildren(FieldError)
