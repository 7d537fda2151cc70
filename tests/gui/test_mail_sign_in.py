"""Signing in with Microsoft or Google from the mail account section, as a person would.

Real: the widgets (clicked with qtbot), the loopback redirect server, the local
HTTPS token endpoint (``tests.support.oauth``), the system keyring. Faked:
the provider's sign-in page (the test's "browser" follows the redirect back
with a code, see ``tests.support.oauth``), and the provider's endpoints are
pointed at the local token endpoint instead of Microsoft's.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from afterword.core.mail import oauth
from afterword.core.mail.accounts import get_mail_account
from afterword.core.mail.credentials import get_password
from afterword.core.mail.oauth import OAuthProvider, refresh_token_key
from afterword.core.storage.values import SignIn
from afterword.gui import mail_flow
from afterword.gui.context import AppContext
from afterword.gui.pages import mail_sign_in
from afterword.gui.pages.mail_account import MailAccountSection
from tests.support.oauth import CLIENT_ID, IdentityProvider

pytest_plugins = ["tests.gui.mail_fixtures"]


@pytest.fixture
def local_microsoft(identity: IdentityProvider, monkeypatch: pytest.MonkeyPatch) -> OAuthProvider:
    provider = identity.provider()
    for module in (mail_sign_in, mail_flow):
        monkeypatch.setattr(module, "oauth_provider", lambda key, db=None: provider)
    return provider


def _section(context: AppContext, qtbot: QtBot) -> MailAccountSection:
    section = MailAccountSection(context)
    qtbot.addWidget(section)
    section.resize(760, 640)
    section.show()
    context.ops.wait_for_idle()
    return section


def test_an_outlook_address_offers_sign_in_with_microsoft_and_gmail_with_google(
    mail_context: AppContext, qtbot: QtBot, projects_ids: None
) -> None:
    section = _section(mail_context, qtbot)

    qtbot.keyClicks(section.email, "ada@outlook.com")
    mail_context.ops.wait_for_idle()  # whether there is a client id is read in the background
    assert section.sign_in.isVisible() and section.sign_in.button.isVisible()
    assert section.sign_in.button.text() == "Sign in with Microsoft"
    assert "never sees your password" in section.sign_in.status.text()

    section.email.clear()
    qtbot.keyClicks(section.email, "ada@gmail.com")
    mail_context.ops.wait_for_idle()
    assert section.sign_in.button.text() == "Sign in with Google"
    assert section.sign_in.button.isVisible()

    section.email.clear()
    qtbot.keyClicks(section.email, "ada@fastmail.com")
    assert not section.sign_in.isVisible()
    assert section.values().sign_in is SignIn.PASSWORD


def test_signing_in_in_the_browser_saves_the_account_and_keeps_only_the_refresh_token(
    mail_context: AppContext,
    qtbot: QtBot,
    identity: IdentityProvider,
    local_microsoft: OAuthProvider,
    real_keyring: object,
) -> None:
    section = _section(mail_context, qtbot)
    qtbot.keyClicks(section.display_name, "Ada Lovelace")
    qtbot.keyClicks(section.email, "ada@outlook.com")
    asked: list[dict[str, str]] = []
    section.sign_in.open_browser = identity.browser(asked)

    qtbot.mouseClick(section.sign_in.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Signed in with Microsoft" in section.sign_in.status.text())
    mail_context.ops.wait_for_idle()

    [query] = asked
    assert query["login_hint"] == "ada@outlook.com"
    account = get_mail_account(mail_context.db)
    assert account is not None
    assert (account.email, account.sign_in) == ("ada@outlook.com", SignIn.MICROSOFT)
    assert get_password(refresh_token_key(account)) == "refresh-1"
    # Sending asks for the access token of this session, not a password.
    now = mail_context.now()
    assert mail_flow.secret_for(mail_context.db, account, now) == "access-1"


def test_a_sign_in_refused_in_the_browser_is_shown_and_nothing_is_saved(
    mail_context: AppContext, qtbot: QtBot, local_microsoft: OAuthProvider
) -> None:
    section = _section(mail_context, qtbot)
    qtbot.keyClicks(section.display_name, "Ada Lovelace")
    qtbot.keyClicks(section.email, "ada@outlook.com")

    def refusing_browser(url: str) -> None:
        raise OSError("no browser on this computer")

    section.sign_in.open_browser = refusing_browser
    qtbot.mouseClick(section.sign_in.button, Qt.MouseButton.LeftButton)
    mail_context.ops.wait_for_idle()
    qtbot.waitUntil(lambda: section.sign_in.button.isEnabled())

    assert get_mail_account(mail_context.db) is None
    assert section.sign_in.status.property("problem") is True
    assert "could not open your web browser" in section.sign_in.status.text()


def test_a_client_id_of_ones_own_typed_in_the_section_is_used_to_sign_in(
    mail_context: AppContext,
    qtbot: QtBot,
    identity: IdentityProvider,
    monkeypatch: pytest.MonkeyPatch,
    real_keyring: object,
) -> None:
    # The project's id is one the local provider does not know: only the typed one works.
    projects = replace(identity.provider(), client_id="the-projects-id")
    monkeypatch.setattr(oauth, "_load", lambda: {"microsoft": projects})
    section = _section(mail_context, qtbot)
    qtbot.keyClicks(section.display_name, "Ada Lovelace")
    qtbot.keyClicks(section.email, "ada@outlook.com")
    mail_context.ops.wait_for_idle()
    assert section.sign_in.client_id.isVisible()
    assert not section.sign_in.client_secret.isVisible()  # Google's only
    assert section.sign_in.client_id.text() == ""

    qtbot.keyClicks(section.sign_in.client_id, CLIENT_ID)
    qtbot.mouseClick(section.sign_in.save_client_id, Qt.MouseButton.LeftButton)
    mail_context.ops.wait_for_idle()
    qtbot.waitUntil(lambda: "your client id" in section.sign_in.client_id_status.text())
    assert oauth.client_id_override(mail_context.db, "microsoft") == (CLIENT_ID, "")

    asked: list[dict[str, str]] = []
    section.sign_in.open_browser = identity.browser(asked)
    qtbot.mouseClick(section.sign_in.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Signed in with Microsoft" in section.sign_in.status.text())
    mail_context.ops.wait_for_idle()

    [query] = asked
    assert query["client_id"] == CLIENT_ID
    assert identity.requests[0]["client_id"] == CLIENT_ID


def test_a_client_id_with_spaces_is_refused_next_to_the_field_and_not_saved(
    mail_context: AppContext, qtbot: QtBot
) -> None:
    section = _section(mail_context, qtbot)
    qtbot.keyClicks(section.email, "ada@gmail.com")
    mail_context.ops.wait_for_idle()
    assert section.sign_in.client_secret.isVisible()

    qtbot.keyClicks(section.sign_in.client_id, "copied with a comment")
    qtbot.keyClick(section.sign_in.client_id, Qt.Key.Key_Return)
    mail_context.ops.wait_for_idle()
    qtbot.waitUntil(lambda: section.sign_in.client_id_status.property("problem") is True)

    assert "cannot contain spaces" in section.sign_in.client_id_status.text()
    assert section.sign_in.client_id.text() == "copied with a comment"  # nothing lost
    assert oauth.client_id_override(mail_context.db, "google") == ("", "")
