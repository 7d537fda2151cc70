"""OAuth 2.0 sign-in for Microsoft 365 / Outlook.com and Gmail, for XOAUTH2 over SMTP and IMAP.

The person signs in in their system browser; the provider sends the browser
back to a one-time web server on this computer (a loopback redirect,
RFC 8252) with a code, which is exchanged for tokens (authorization code
with PKCE; oauthlib builds and reads the requests, the standard library
sends them). The refresh token goes into the system keyring and nowhere
else, under :func:`refresh_token_key`; access tokens (valid about an hour)
live in this process's memory and are renewed from the refresh token
without asking. A refresh token the provider no longer accepts (revoked,
expired, password changed) is :class:`SignInAgain`.

Endpoints, scopes and the project's client ids are data in
``resources/providers.json`` (``oauth``); a client id can be overridden in
the settings (:func:`set_client_id`), see ``docs/mail.md``.
"""

from __future__ import annotations

import html
import json
import logging
import queue
import secrets
import threading
import urllib.error
import urllib.request
import webbrowser
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from oauthlib.oauth2 import OAuth2Error, WebApplicationClient
from oauthlib.oauth2.rfc6749.errors import InvalidGrantError
from sqlalchemy import select

from afterword.core.errors import ValidationError
from afterword.core.mail import credentials
from afterword.core.mail.accounts import account_key
from afterword.core.mail.errors import MailError
from afterword.core.storage.db import Database
from afterword.core.storage.models import Setting
from afterword.core.storage.paths import resource
from afterword.core.storage.records import MailAccountFields
from afterword.core.storage.validation import single_line

logger = logging.getLogger(__name__)

SIGN_IN_TIMEOUT = 300.0  # seconds for the person to finish in the browser
HTTP_TIMEOUT = 30.0
# An access token this close to its end is renewed before use.
RENEW_MARGIN = timedelta(minutes=5)
_CLIENT_ID_KEY = "oauth_client_id.{provider}"
_CLIENT_SECRET_KEY = "oauth_client_secret.{provider}"
# Microsoft's ids are GUIDs (36 characters), Google's about 75: room to spare, no essays.
CLIENT_ID_LIMIT = 200


class SignInError(MailError):
    """Signing in with the provider did not work; the message says why."""


class SignInAgain(SignInError):
    """The stored sign-in was revoked or has expired: the person must sign in once more."""

    def __init__(self, label: str) -> None:
        super().__init__(
            f"Your {label} sign-in has expired or was revoked. Sign in again: open the mail "
            f"account settings and click “Sign in with {label}”."
        )


@dataclass(frozen=True)
class OAuthProvider:
    key: str  # "microsoft" or "google"
    label: str  # "Microsoft", shown as "Sign in with Microsoft"
    authorize_url: str
    token_url: str
    scopes: tuple[str, ...]
    client_id: str
    # Google's desktop-app clients come with a "secret" that is not one (RFC 8252 8.5).
    client_secret: str = ""
    # Microsoft accepts http://localhost (any port) for desktop apps; Google 127.0.0.1.
    redirect_host: str = "127.0.0.1"
    extra: tuple[tuple[str, str], ...] = ()
    # How to sign in with a password instead, for a build without a client id.
    password_advice: str = ""


@dataclass(frozen=True)
class Tokens:
    access_token: str
    expires_at: datetime
    refresh_token: str

    def __repr__(self) -> str:  # never print a token
        return f"<Tokens valid until {self.expires_at:%Y-%m-%d %H:%M} UTC>"


def oauth_provider(key: str, db: Database | None = None) -> OAuthProvider:
    """The provider's sign-in data, with the client id from the settings if one is set there."""
    provider = _load()[key]
    if db is not None:
        client_id, client_secret = client_id_override(db, key)
        if client_id:
            provider = replace(provider, client_id=client_id, client_secret=client_secret)
    return provider


def client_id_override(db: Database, key: str) -> tuple[str, str]:
    """The client id (and, for Google, its secret) set in the settings; empty if none."""
    names = (_CLIENT_ID_KEY.format(provider=key), _CLIENT_SECRET_KEY.format(provider=key))
    with db.reading() as session:
        stored = dict(
            session.execute(select(Setting.key, Setting.value).where(Setting.key.in_(names)))
            .tuples()
            .all()
        )
    return stored.get(names[0], ""), stored.get(names[1], "")


def set_client_id(db: Database, key: str, client_id: str, client_secret: str = "") -> None:
    """Use a client id of one's own for ``key`` (empty: the project's again).

    Google's desktop clients come with a "client secret" that its token
    endpoint asks for; it is not a secret (RFC 8252 8.5), so it is stored
    with the id in the settings.
    """
    _load()[key]  # a KeyError for an unknown provider is a bug, not input
    clean_id = _one_word("client_id", "The client id", client_id)
    clean_secret = ""
    if clean_id:
        clean_secret = _one_word("client_secret", "The client secret", client_secret)
    with db.session() as session:
        session.merge(Setting(key=_CLIENT_ID_KEY.format(provider=key), value=clean_id))
        session.merge(Setting(key=_CLIENT_SECRET_KEY.format(provider=key), value=clean_secret))
    logger.info("Client id for %s %s", key, "overridden" if clean_id else "reset")


def _one_word(field: str, label: str, value: str) -> str:
    """A single line without control characters or inner spaces, as ids and secrets are."""
    text = single_line(field, value, limit=CLIENT_ID_LIMIT)
    if any(character.isspace() for character in text):
        raise ValidationError(
            field, f"{label} cannot contain spaces: copy it exactly as the provider shows it."
        )
    return text


def refresh_token_key(account: MailAccountFields) -> str:
    """The keyring entry holding the account's refresh token (beside its password's)."""
    return f"{account_key(account)}#oauth"


def sign_in(
    provider: OAuthProvider,
    login_hint: str,
    now: datetime,
    *,
    open_browser: Callable[[str], object] = webbrowser.open,
    timeout: float = SIGN_IN_TIMEOUT,
) -> Tokens:
    """Let the person sign in in their browser; blocks until they did (or ``timeout``)."""
    if not provider.client_id:
        raise SignInError(
            f"Afterword has no client id for {provider.label} yet. Register one (see "
            "“Signing in with Microsoft or Google” in docs/mail.md) and enter it in Settings."
        )
    client = WebApplicationClient(provider.client_id)
    verifier = client.create_code_verifier(64)
    state = secrets.token_urlsafe(24)
    with _loopback(state) as (port, answers):
        redirect_uri = f"http://{provider.redirect_host}:{port}/"
        url = client.prepare_request_uri(
            provider.authorize_url,
            redirect_uri=redirect_uri,
            scope=list(provider.scopes),
            state=state,
            code_challenge=client.create_code_challenge(verifier, "S256"),
            code_challenge_method="S256",
            login_hint=login_hint,
            **dict(provider.extra),
        )
        logger.info("Opening the browser to sign in with %s", provider.label)
        try:
            opened = open_browser(url)
        except Exception as exc:  # whatever the browser launcher raises
            logger.warning("Could not open the browser: %s", type(exc).__name__)
            opened = False
        if opened is False:  # webbrowser.open's answer when no browser was found
            raise SignInError(
                "Afterword could not open your web browser to sign in. Make sure a default "
                "browser is set up, then try again."
            )
        try:
            answer = answers.get(timeout=timeout)
        except queue.Empty:
            raise SignInError(
                f"The sign-in with {provider.label} was not finished within "
                f"{timeout / 60:g} minutes. Try again."
            ) from None
    if "error" in answer:
        detail = answer.get("error_description") or answer["error"]
        raise SignInError(f"{provider.label} did not sign you in: {detail}")
    body = client.prepare_request_body(
        code=answer["code"],
        redirect_uri=redirect_uri,
        code_verifier=verifier,
        include_client_id=True,
        **_secret(provider),
    )
    token = _token_request(client, provider, body)
    if not token.get("refresh_token"):
        raise SignInError(
            f"{provider.label} signed you in but gave Afterword no lasting permission "
            "(no refresh token). Try again, and allow access when asked."
        )
    logger.info("Signed in with %s", provider.label)
    return _tokens(token, now, token["refresh_token"])


def renew(provider: OAuthProvider, refresh_token: str, now: datetime) -> Tokens:
    """A fresh access token from the refresh token (which the provider may replace)."""
    client = WebApplicationClient(provider.client_id)
    body = client.prepare_refresh_body(
        refresh_token=refresh_token,
        scope=list(provider.scopes),
        client_id=provider.client_id,
        **_secret(provider),
    )
    token = _token_request(client, provider, body)
    return _tokens(token, now, token.get("refresh_token") or refresh_token)


class AccessTokens:
    """Access tokens of this session, renewed from the keyring's refresh token when due.

    Nothing here is written anywhere; the object shows no token in its ``repr``.
    """

    def __init__(self) -> None:
        self._tokens: dict[str, Tokens] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<AccessTokens for {len(self._tokens)} account(s)>"

    def remember(self, account: MailAccountFields, tokens: Tokens) -> None:
        """After a sign-in: the refresh token into the keyring, the access token here."""
        credentials.store_password(refresh_token_key(account), tokens.refresh_token)
        with self._lock:
            self._tokens[refresh_token_key(account)] = tokens

    def access_token(
        self, account: MailAccountFields, provider: OAuthProvider, now: datetime
    ) -> str:
        """A valid access token for ``account``; renews it (network) when needed."""
        key = refresh_token_key(account)
        with self._lock:
            cached = self._tokens.get(key)
        if cached is not None and cached.expires_at - RENEW_MARGIN > now:
            return cached.access_token
        try:
            refresh_token = credentials.get_password(key)
        except credentials.PasswordMissing:
            raise SignInAgain(provider.label) from None
        tokens = renew(provider, refresh_token, now)
        if tokens.refresh_token != refresh_token:
            # Microsoft hands out a new refresh token with each renewal.
            credentials.store_password(key, tokens.refresh_token)
        with self._lock:
            self._tokens[key] = tokens
        return tokens.access_token

    def forget(self, account: MailAccountFields) -> None:
        """Sign out: the refresh token leaves the keyring, the access token this process."""
        with self._lock:
            self._tokens.pop(refresh_token_key(account), None)
        credentials.delete_password(refresh_token_key(account))


def _secret(provider: OAuthProvider) -> dict[str, str]:
    return {"client_secret": provider.client_secret} if provider.client_secret else {}


def _tokens(token: dict[str, Any], now: datetime, refresh_token: str) -> Tokens:
    lifetime = int(token.get("expires_in") or 3600)
    return Tokens(token["access_token"], now + timedelta(seconds=lifetime), refresh_token)


def _token_request(
    client: WebApplicationClient, provider: OAuthProvider, body: str
) -> dict[str, Any]:
    request = urllib.request.Request(
        provider.token_url,
        data=body.encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
            text = response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        # An OAuth error (invalid_grant...) comes as a 400 with a JSON body.
        text = exc.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SignInError(
            f"Could not reach {provider.label}'s sign-in service ({reason}). "
            "Check that this computer is online, then try again."
        ) from None
    try:
        return dict(client.parse_request_body_response(text))
    except InvalidGrantError:
        raise SignInAgain(provider.label) from None
    except OAuth2Error as exc:
        raise SignInError(
            f"{provider.label}'s sign-in service refused: {exc.description or exc.error}"
        ) from None
    except (ValueError, KeyError):
        raise SignInError(f"{provider.label}'s sign-in service answered unexpectedly.") from None


_DONE_PAGE = (
    "<!doctype html><meta charset=utf-8><title>Afterword</title>"
    "<p style='font: 16px sans-serif; margin: 3em'>{}</p>"
)


@contextmanager
def _loopback(state: str) -> Iterator[tuple[int, queue.Queue[dict[str, str]]]]:
    """A one-time web server on 127.0.0.1 for the redirect; yields its port and its answers."""
    answers: queue.Queue[dict[str, str]] = queue.Queue(maxsize=1)

    class Redirect(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
            # Anything without our state (a favicon, another page) is not the answer.
            if query.get("state") != state:
                self.send_error(404)
                return
            with_code = "code" in query
            problem = query.get("error_description", query.get("error", ""))
            text = (
                "You are signed in. You can close this tab and go back to Afterword."
                if with_code
                else f"Signing in did not work: {problem}"
            )
            page = _DONE_PAGE.format(html.escape(text)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)
            # A reload of the page finds the queue full: the first answer counts.
            if with_code or "error" in query:
                with suppress(queue.Full):
                    answers.put_nowait(query)

        def log_message(self, format: str, *args: object) -> None:
            # The query holds the code: never into the log.
            return

    server = HTTPServer(("127.0.0.1", 0), Redirect)
    thread = threading.Thread(target=server.serve_forever, name="afterword-oauth", daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1]), answers
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@cache
def _load() -> dict[str, OAuthProvider]:
    entries = json.loads(resource("providers.json").read_text(encoding="utf-8"))["oauth"]
    return {
        key: OAuthProvider(
            key=key,
            label=entry["label"],
            authorize_url=entry["authorize_url"],
            token_url=entry["token_url"],
            scopes=tuple(entry["scopes"]),
            client_id=entry["client_id"],
            client_secret=entry.get("client_secret", ""),
            redirect_host=entry["redirect_host"],
            extra=tuple(sorted(entry.get("extra", {}).items())),
            password_advice=entry.get("password_advice", ""),
        )
        for key, entry in entries.items()
    }
