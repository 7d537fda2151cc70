"""A local OAuth token endpoint for tests: pytest-httpserver over HTTPS with the test CA.

It plays Microsoft's or Google's token endpoint for real: it checks the client
id, the PKCE verifier against the challenge and the redirect URI, issues
tokens, renews them (with a new refresh token each time, as Microsoft does)
and refuses an unknown or revoked refresh token with ``invalid_grant``.

What it cannot be is the provider's sign-in page with a person in front of
it: :meth:`IdentityProvider.browser` stands in for the browser there. It reads
the authorization URL Afterword opened, remembers the PKCE challenge, and
follows the redirect back with a code, as the page would after a successful
sign-in.
"""

from __future__ import annotations

import base64
import hashlib
import json
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pytest
import trustme
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from afterword.core.mail import oauth
from tests.support.smtp import HOST, free_port

CLIENT_ID = "afterword-test-client"
CODE = "one-time-code"


@dataclass
class IdentityProvider:
    """The token endpoint's side: what it issued and what it takes back."""

    server: HTTPServer
    challenges: dict[str, str] = field(default_factory=dict)  # code -> PKCE challenge
    redirect_uris: dict[str, str] = field(default_factory=dict)
    refresh_tokens: set[str] = field(default_factory=set)
    issued: int = 0
    requests: list[dict[str, str]] = field(default_factory=list)

    def provider(self) -> oauth.OAuthProvider:
        return oauth.OAuthProvider(
            key="microsoft",
            label="Microsoft",
            authorize_url=self.server.url_for("/authorize"),
            token_url=self.server.url_for("/token"),
            scopes=("https://outlook.office.com/SMTP.Send", "offline_access"),
            client_id=CLIENT_ID,
            redirect_host="localhost",
            extra=(("prompt", "select_account"),),
        )

    def _tokens(self) -> Response:
        self.issued += 1
        refresh = f"refresh-{self.issued}"
        self.refresh_tokens.add(refresh)
        body = {
            "token_type": "Bearer",
            "access_token": f"access-{self.issued}",
            "refresh_token": refresh,
            "expires_in": 3600,
        }
        return Response(json.dumps(body), content_type="application/json")

    def token(self, request: Request) -> Response:
        form = dict(request.form)
        self.requests.append(form)
        refused = Response(
            json.dumps({"error": "invalid_grant", "error_description": "AADSTS70008: expired"}),
            status=400,
            content_type="application/json",
        )
        if form.get("client_id") != CLIENT_ID:
            return Response('{"error": "invalid_client"}', 401, content_type="application/json")
        if form.get("grant_type") == "authorization_code":
            verifier = form.get("code_verifier", "")
            digest = hashlib.sha256(verifier.encode()).digest()
            challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            code = form.get("code", "")
            if (
                code not in self.challenges
                or self.challenges.pop(code) != challenge
                or self.redirect_uris.pop(code) != form.get("redirect_uri")
            ):
                return refused
            return self._tokens()
        if form.get("grant_type") == "refresh_token":
            old = form.get("refresh_token", "")
            if old not in self.refresh_tokens:
                return refused
            # Microsoft replaces the refresh token with each renewal.
            self.refresh_tokens.discard(old)
            return self._tokens()
        return refused

    def browser(self, asked: list[dict[str, str]]) -> Callable[[str], None]:
        """The person's browser: signs in on the provider's page, then follows the redirect."""

        def open_url(url: str) -> None:
            query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
            asked.append(query)
            redirect = query["redirect_uri"]
            self.challenges[CODE] = query["code_challenge"]
            self.redirect_uris[CODE] = redirect
            # A favicon request first, as browsers do: it must not count as the answer.
            with pytest.raises(urllib.error.HTTPError):
                urllib.request.urlopen(redirect + "favicon.ico", timeout=5)
            with urllib.request.urlopen(
                f"{redirect}?code={CODE}&state={query['state']}", timeout=5
            ) as page:
                assert b"You are signed in" in page.read()

        return open_url


@pytest.fixture
def identity(trusted_ca: trustme.CA) -> Iterator[IdentityProvider]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    trusted_ca.issue_cert(HOST, "localhost").configure_cert(context)
    server = HTTPServer(host=HOST, port=free_port(), ssl_context=context)
    server.start()
    idp = IdentityProvider(server)
    server.expect_request("/token", method="POST").respond_with_handler(idp.token)
    try:
        yield idp
    finally:
        server.clear()
        server.stop()
