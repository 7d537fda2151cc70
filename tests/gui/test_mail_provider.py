"""The mail account's provider, found from the address, the server or chosen by hand.

Typed like a person (qtbot), saved to the real database. Sign-in is offered
only with a client id to sign in with; the project's ids are empty in the
source (a release step, ``docs/mail.md``), so a test that needs them gives
the provider data ids of its own.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from afterword.core.mail.accounts import get_mail_account, save_mail_account
from afterword.core.storage.records import MailAccountFields
from afterword.core.storage.values import MailSecurity
from afterword.gui.context import AppContext
from afterword.gui.pages.mail_account import MailAccountSection
from afterword.gui.pages.mail_provider import OTHER_PROVIDER
from tests.gui.helpers import type_into

pytest_plugins = ["tests.gui.mail_fixtures"]


def _section(context: AppContext, qtbot: QtBot) -> MailAccountSection:
    section = MailAccountSection(context)
    qtbot.addWidget(section)
    section.resize(760, 700)
    section.show()
    context.ops.wait_for_idle()
    return section


def _choose_provider(qtbot: QtBot, section: MailAccountSection, name: str) -> None:
    """Pick ``name`` in the Provider list with the keyboard, as a person would."""
    combo = section.provider
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    while combo.currentText() != name:
        before = combo.currentIndex()
        qtbot.keyClick(combo, Qt.Key.Key_Down)
        assert combo.currentIndex() != before, f"{name!r} is not in the list"


def _server(section: MailAccountSection) -> tuple[str, int, object]:
    return (
        section.smtp_host.text(),
        section.smtp_port.value(),
        section.security.currentData(),
    )


def test_a_microsoft_365_address_on_its_own_domain_is_found_by_the_server_typed(
    mail_context: AppContext, qtbot: QtBot, projects_ids: None
) -> None:
    section = _section(mail_context, qtbot)
    type_into(qtbot, section.display_name, "Alex Candidate")
    type_into(qtbot, section.email, "alex@contoso.example")
    assert section.provider.currentText() == OTHER_PROVIDER
    assert not section.sign_in.isVisible()

    type_into(qtbot, section.smtp_host, "smtp.office365.com")
    mail_context.ops.wait_for_idle()

    assert section.provider.currentText() == "Microsoft 365 (work or school)"
    assert _server(section) == ("smtp.office365.com", 587, MailSecurity.STARTTLS)
    assert section.provider_note.isVisible() and "Authenticated SMTP" in (
        section.provider_note.text()
    )
    assert section.sign_in.isVisible() and section.sign_in.button.isVisible()
    assert section.sign_in.button.text() == "Sign in with Microsoft"

    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    mail_context.ops.wait_for_idle()
    saved = get_mail_account(mail_context.db)
    assert saved is not None
    assert (saved.smtp_host, saved.smtp_port, saved.security) == (
        "smtp.office365.com",
        587,
        MailSecurity.STARTTLS,
    )
    # Opened again later, the provider is found from the saved server.
    again = _section(mail_context, qtbot)
    assert again.provider.currentText() == "Microsoft 365 (work or school)"
    assert again.sign_in.button.isVisible()


def test_a_google_workspace_address_gets_gmail_by_its_server_or_chosen_by_hand(
    mail_context: AppContext, qtbot: QtBot, projects_ids: None
) -> None:
    section = _section(mail_context, qtbot)
    type_into(qtbot, section.email, "alex@workspace-co.example")
    type_into(qtbot, section.smtp_host, "smtp.gmail.com")
    mail_context.ops.wait_for_idle()
    assert section.provider.currentText() == "Gmail"
    assert section.sign_in.button.text() == "Sign in with Google"
    assert section.sign_in.button.isVisible()

    # Another person chooses it from the list instead of knowing the server.
    other = _section(mail_context, qtbot)
    type_into(qtbot, other.email, "sam@workspace-co.example")
    _choose_provider(qtbot, other, "Gmail")
    mail_context.ops.wait_for_idle()

    assert _server(other) == ("smtp.gmail.com", 465, MailSecurity.SSL)
    assert other.username.text() == "sam@workspace-co.example"
    assert other.sign_in.button.isVisible()
    assert "choose Gmail as the provider" in other.provider_note.text()
    # Typing on in the address keeps the choice: the domain says nothing.
    qtbot.keyClicks(other.email, "x")
    assert other.provider.currentText() == "Gmail"
    assert other.smtp_host.text() == "smtp.gmail.com"


def test_without_a_client_id_the_section_says_to_use_an_app_password_and_how(
    mail_context: AppContext, qtbot: QtBot
) -> None:
    section = _section(mail_context, qtbot)
    type_into(qtbot, section.email, "ada@gmail.com")
    mail_context.ops.wait_for_idle()

    assert section.sign_in.isVisible()
    assert not section.sign_in.button.isVisible()  # a button that can only fail is not offered
    status = section.sign_in.status.text()
    assert "cannot sign in with Google" in status
    assert "app password" in status and "myaccount.google.com/apppasswords" in status
    assert "docs/mail.md" in status

    type_into(qtbot, section.email, "ada@outlook.com")
    mail_context.ops.wait_for_idle()
    assert not section.sign_in.button.isVisible()
    assert "cannot sign in with Microsoft" in section.sign_in.status.text()
    assert "App passwords" in section.sign_in.status.text()

    # A client id of one's own brings the button.
    type_into(qtbot, section.sign_in.client_id, "my-own-microsoft-id")
    qtbot.mouseClick(section.sign_in.save_client_id, Qt.MouseButton.LeftButton)
    mail_context.ops.wait_for_idle()
    qtbot.waitUntil(section.sign_in.button.isVisible)
    assert section.sign_in.button.text() == "Sign in with Microsoft"
    assert "never sees your password" in section.sign_in.status.text()


def test_a_new_address_on_an_unknown_domain_takes_back_what_the_form_filled_in(
    mail_context: AppContext, qtbot: QtBot
) -> None:
    section = _section(mail_context, qtbot)
    type_into(qtbot, section.display_name, "Alex Candidate")
    type_into(qtbot, section.email, "alex.candidate@outlook.com")
    assert _server(section) == ("smtp-mail.outlook.com", 587, MailSecurity.STARTTLS)

    type_into(qtbot, section.email, "alex@my-own-domain.example")

    assert _server(section) == ("", 465, MailSecurity.SSL)
    assert section.provider.currentText() == OTHER_PROVIDER
    assert not section.provider_note.isVisible() and not section.sign_in.isVisible()
    assert not section.save_button.isEnabled()
    assert "SMTP server" in section.reason.text()
    # The person types their own server: now it can be saved.
    type_into(qtbot, section.smtp_host, "smtp.my-own-domain.example")
    assert section.save_button.isEnabled()


def test_what_the_person_typed_is_never_taken_back(mail_context: AppContext, qtbot: QtBot) -> None:
    section = _section(mail_context, qtbot)
    type_into(qtbot, section.email, "alex@outlook.com")
    type_into(qtbot, section.smtp_host, "smtp.relay.example")
    section.smtp_port.setFocus()
    qtbot.keyClick(section.smtp_port, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(section.smtp_port, "2525")

    type_into(qtbot, section.email, "alex@my-own-domain.example")

    # The server and port are the person's; the security was Outlook.com's, filled in.
    assert _server(section) == ("smtp.relay.example", 2525, MailSecurity.SSL)


def test_a_saved_gmail_account_moved_to_an_unknown_domain_loses_gmails_server(
    mail_context: AppContext, qtbot: QtBot
) -> None:
    save_mail_account(
        mail_context.db,
        MailAccountFields(
            display_name="Ada",
            email="ada@gmail.com",
            smtp_host="smtp.gmail.com",
            smtp_port=465,
            security=MailSecurity.SSL,
            username="ada@gmail.com",
        ),
    )
    section = _section(mail_context, qtbot)
    assert section.provider.currentText() == "Gmail"

    type_into(qtbot, section.email, "ada@lovelace.example")

    assert section.smtp_host.text() == ""
    assert section.provider.currentText() == OTHER_PROVIDER
    assert not section.save_button.isEnabled()
