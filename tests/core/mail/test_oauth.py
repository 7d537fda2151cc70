"""OAuth sign-in and XOAUTH2 sending, against a local token endpoint and a real SMTP server.

Real: the token endpoint (pytest-httpserver over HTTPS with the test CA; it
checks the PKCE verifier against the challenge, the redirect URI and the
client id, and refuses a revoked refresh token with ``invalid_grant`` as
Microsoft and Google do), the loopback redirect server, the system keyring
(gnome-keyring in ``./dev test``), and aiosmtpd checking the XOAUTH2 string.

Faked, because it cannot run here: the person signing in on Microsoft's or
Google's web page. The test's "browser" reads the authorization URL, checks
what Afterword asked for, and follows the redirect back with a code, as the
provider's page would after a successful sign-in.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from urllib.parse import parse_qs, urlsplit

import keyring
import pytest

from afterword.core.errors import ValidationError
from afterword.core.mail import oauth
from afterword.core.mail import transport as mail
from afterword.core.mail.compose import build_email
from afterword.core.mail.credentials import SERVICE_NAME, get_password
from afterword.core.mail.providers import all_providers
from afterword.core.storage.db import Database
from afterword.core.storage.records import MailAccountFields
from afterword.core.storage.values import MailSecurity, SignIn
from tests.support.oauth import CLIENT_ID, IdentityProvider
from tests.support.smtp import SmtpServer, free_port


def _account(server: SmtpServer) -> MailAccountFields:
    return MailAccountFields(
        display_name="Ada",
        email=server.username,
        smtp_host=server.host,
        smtp_port=server.port,
        security=server.security,
        username=server.username,
        sign_in=SignIn.MICROSOFT,
    )


def _email(now: datetime) -> EmailMessage:
    return build_email(
        from_name="Ada",
        from_address="ada@example.com",
        to_name="Grace",
        to_address="grace@example.org",
        subject="Thank you",
        body="Thank you!\n",
        bcc=None,
        now=now,
    )


def test_sign_in_in_the_browser_then_send_with_xoauth2_and_renew_silently(
    identity: IdentityProvider,
    smtp_server: Callable[..., SmtpServer],
    real_keyring: object,
    now: datetime,
) -> None:
    provider = identity.provider()
    asked: list[dict[str, str]] = []

    tokens = oauth.sign_in(provider, "ada@example.com", now, open_browser=identity.browser(asked))

    [query] = asked
    assert query["client_id"] == CLIENT_ID
    assert query["code_challenge_method"] == "S256"
    assert query["login_hint"] == "ada@example.com"
    assert query["scope"] == "https://outlook.office.com/SMTP.Send offline_access"
    assert query["redirect_uri"].startswith("http://localhost:")
    assert "access-1" not in repr(tokens)

    server = smtp_server(access_token="access-1")
    account = _account(server)
    session = oauth.AccessTokens()
    session.remember(account, tokens)
    # Only the refresh token is stored, in the keyring, under the account's own entry.
    assert get_password(oauth.refresh_token_key(account)) == "refresh-1"
    assert keyring.get_password(SERVICE_NAME, oauth.refresh_token_key(account)) == "refresh-1"

    settings = mail.SmtpSettings(
        host=server.host,
        port=server.port,
        security=MailSecurity.STARTTLS,
        username=server.username,
        xoauth2=True,
    )
    mail.send_email(settings, session.access_token(account, provider, now), _email(now))
    assert len(server.received) == 1
    assert server.received[0].login == server.username

    # An hour later the access token is renewed without asking, and Microsoft's
    # new refresh token replaces the old one in the keyring.
    later = now + timedelta(minutes=58)
    assert session.access_token(account, provider, later) == "access-2"
    assert get_password(oauth.refresh_token_key(account)) == "refresh-2"
    assert identity.requests[-1]["grant_type"] == "refresh_token"
    # A fresh start (no token in memory) renews from the keyring alone.
    assert oauth.AccessTokens().access_token(account, provider, later) == "access-3"


def test_a_revoked_sign_in_says_sign_in_again(
    identity: IdentityProvider,
    smtp_server: Callable[..., SmtpServer],
    real_keyring: object,
    now: datetime,
) -> None:
    provider = identity.provider()
    account = _account(smtp_server())
    session = oauth.AccessTokens()
    session.remember(account, oauth.Tokens("access-0", now, "refresh-that-was-revoked"))

    with pytest.raises(oauth.SignInAgain) as again:
        session.access_token(account, provider, now + timedelta(hours=2))

    assert "Sign in again" in again.value.user_message
    assert "Sign in with Microsoft" in again.value.user_message
    assert identity.requests[-1]["refresh_token"] == "refresh-that-was-revoked"


def test_no_stored_sign_in_says_sign_in_again(
    identity: IdentityProvider,
    smtp_server: Callable[..., SmtpServer],
    real_keyring: object,
    now: datetime,
) -> None:
    account = _account(smtp_server())

    with pytest.raises(oauth.SignInAgain):
        oauth.AccessTokens().access_token(account, identity.provider(), now)


def test_a_wrong_or_expired_access_token_is_refused_by_the_server_with_advice(
    smtp_server: Callable[..., SmtpServer], now: datetime
) -> None:
    server = smtp_server(access_token="the-right-one")
    settings = mail.SmtpSettings(
        host=server.host,
        port=server.port,
        security=MailSecurity.STARTTLS,
        username=server.username,
        xoauth2=True,
    )

    with pytest.raises(mail.TokenRefused) as refused:
        mail.send_email(settings, "an-expired-one", _email(now))

    assert "Sign in again" in refused.value.user_message
    assert "an-expired-one" not in refused.value.user_message
    assert server.received == []


def test_a_sign_in_refused_in_the_browser_is_reported(
    identity: IdentityProvider, now: datetime
) -> None:
    def refusing_browser(url: str) -> None:
        query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        with urllib.request.urlopen(
            f"{query['redirect_uri']}?error=access_denied&error_description=The+user+declined"
            f"&state={query['state']}",
            timeout=5,
        ) as page:
            assert b"did not work" in page.read()

    with pytest.raises(oauth.SignInError) as failed:
        oauth.sign_in(identity.provider(), "ada@example.com", now, open_browser=refusing_browser)

    assert "The user declined" in failed.value.user_message


def test_a_sign_in_never_finished_times_out_with_a_clear_message(
    identity: IdentityProvider, now: datetime
) -> None:
    with pytest.raises(oauth.SignInError) as failed:
        oauth.sign_in(
            identity.provider(), "ada@example.com", now, open_browser=lambda url: None, timeout=0.3
        )

    assert "not finished" in failed.value.user_message


def test_an_unreachable_token_endpoint_is_a_clear_error(now: datetime) -> None:
    provider = oauth.OAuthProvider(
        key="google",
        label="Google",
        authorize_url="https://127.0.0.1/authorize",
        token_url=f"https://127.0.0.1:{free_port()}/token",
        scopes=("https://mail.google.com/",),
        client_id=CLIENT_ID,
    )

    with pytest.raises(oauth.SignInError) as failed:
        oauth.renew(provider, "refresh", now)

    assert "Could not reach Google's sign-in service" in failed.value.user_message


def test_without_a_client_id_sign_in_explains_what_to_do(db: Database, now: datetime) -> None:
    provider = oauth.oauth_provider("google", db)
    assert provider.client_id == ""  # none registered for the project yet (a release step)

    with pytest.raises(oauth.SignInError) as failed:
        oauth.sign_in(provider, "ada@gmail.com", now, open_browser=lambda url: None)

    assert "docs/mail.md" in failed.value.user_message


def test_a_client_id_of_ones_own_overrides_the_projects(db: Database) -> None:
    oauth.set_client_id(db, "microsoft", "  my-own-client-id ")
    oauth.set_client_id(db, "google", "my-google-id", "its-desktop-secret")

    assert oauth.oauth_provider("microsoft", db).client_id == "my-own-client-id"
    assert oauth.oauth_provider("microsoft").client_id == ""
    google = oauth.oauth_provider("google", db)
    assert (google.client_id, google.client_secret) == ("my-google-id", "its-desktop-secret")
    oauth.set_client_id(db, "microsoft", "")
    assert oauth.oauth_provider("microsoft", db).client_id == ""


def test_the_presets_name_the_sign_in_of_microsoft_and_google() -> None:
    offered = {p.name: p.oauth for p in all_providers() if p.oauth}

    assert offered == {
        "Gmail": "google",
        "Microsoft 365 (work or school)": "microsoft",
        "Outlook.com / Hotmail": "microsoft",
    }
    assert oauth.oauth_provider("google").scopes == ("https://mail.google.com/",)
    assert "https://outlook.office.com/SMTP.Send" in oauth.oauth_provider("microsoft").scopes


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("two\nlines", "single line"),
        ("bell\x07id", "control characters"),
        ("with a space", "cannot contain spaces"),
        ("x" * 201, "Too long"),
    ],
)
def test_a_client_id_that_cannot_be_one_is_refused_and_the_old_one_kept(
    db: Database, typed: str, problem: str
) -> None:
    oauth.set_client_id(db, "microsoft", "kept-id")

    with pytest.raises(ValidationError) as refused:
        oauth.set_client_id(db, "microsoft", typed)

    assert refused.value.field == "client_id"
    assert problem.casefold() in refused.value.problem.casefold()
    assert oauth.client_id_override(db, "microsoft") == ("kept-id", "")
