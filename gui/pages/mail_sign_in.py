"""The "Sign in with Microsoft" / "Sign in with Google" row of the mail account section.

Shown for the presets that offer OAuth (``oauth`` in ``resources/providers.json``).
The button is offered only when there is a client id to sign in with (the
project's, or one the person entered): without one, signing in can only
fail, so the row says plainly that this copy signs in with a password (an app
password) for that provider, and how. Clicking opens the system browser at the
provider's sign-in page
(:func:`afterword.core.mail.oauth.sign_in`, off the GUI thread through
``context.ops``); when the browser comes back, the refresh token goes into the
keyring and the section saves the account as signed in with that provider.
Password sign-in stays for every other provider, and for these too when the
person prefers an app password.

Below it, "Advanced: your own client id" lets a person sign in with an id
they registered themselves (``docs/mail.md``); empty means the project's id
from ``resources/providers.json``. It is saved with
:func:`afterword.core.mail.oauth.set_client_id`, which checks it.
"""

from __future__ import annotations

import logging
import webbrowser
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from afterword.core.errors import ValidationError
from afterword.core.mail.credentials import CredentialsError
from afterword.core.mail.errors import MailError
from afterword.core.mail.oauth import client_id_override, oauth_provider, set_client_id, sign_in
from afterword.core.mail.providers import Provider
from afterword.core.storage.db import Database
from afterword.core.storage.records import MailAccountFields
from afterword.core.storage.values import SignIn
from afterword.gui.context import AppContext
from afterword.gui.forms import error_color
from afterword.gui.mail_flow import access_tokens
from afterword.gui.operations import show_failure

logger = logging.getLogger(__name__)

SIGN_IN_KEY = "mail-account-oauth-sign-in"
CLIENT_ID_KEY = "mail-account-oauth-client-id"


def _sign_in_in_browser(
    db: Database,
    method: SignIn,
    account: MailAccountFields,
    now: datetime,
    open_browser: Callable[[str], object],
) -> SignIn:
    """Runs off the GUI thread until the person finished in the browser."""
    tokens = sign_in(
        oauth_provider(method.value, db), account.email, now, open_browser=open_browser
    )
    access_tokens().remember(replace(account, sign_in=method), tokens)
    return method


class ProviderSignIn(QWidget):
    """One button and a line of status; ``signed_in`` fires once the tokens are kept."""

    signed_in = Signal(object)  # the SignIn now in use

    def __init__(
        self,
        context: AppContext,
        account_fields: Callable[[], MailAccountFields | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._account_fields = account_fields
        self._offered = SignIn.PASSWORD
        self.method = SignIn.PASSWORD
        # Whether there is a client id to sign in with (the project's or the person's).
        self.available = False
        # Replaced in tests: there is no person at a real provider's page there.
        self.open_browser: Callable[[str], object] = webbrowser.open
        self.button = QPushButton("Sign in", self)
        self.button.setAccessibleName("Sign in with your provider in your browser")
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Signing in with your provider")
        self.client_id = QLineEdit(self)
        self.client_id.setPlaceholderText("Empty: Afterword's own")
        self.client_id.setAccessibleName("Your own OAuth client id")
        # Google's desktop clients come with a "secret" its token endpoint asks for.
        self.client_secret = QLineEdit(self)
        self.client_secret.setPlaceholderText("Google only: the client secret shown with it")
        self.client_secret.setAccessibleName("The client secret of your own Google client id")
        self.save_client_id = QPushButton("Use this client id", self)
        self.client_id_status = QLabel(self)
        self.client_id_status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.status, 1)
        # The caption above the field: beside it, the field was too narrow in a small window.
        advanced = QGridLayout()
        advanced.addWidget(QLabel("Advanced: your own client id", self), 0, 0, 1, 2)
        advanced.addWidget(self.client_id, 1, 0)
        advanced.addWidget(self.save_client_id, 1, 1)
        advanced.addWidget(self.client_secret, 2, 0)
        advanced.addWidget(self.client_id_status, 3, 0, 1, 2)
        advanced.setColumnStretch(0, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addLayout(advanced)
        self.button.clicked.connect(self.start)
        self.save_client_id.clicked.connect(self.save_own_client_id)
        self.client_id.returnPressed.connect(self.save_own_client_id)
        self.hide()

    def show_for(self, provider: Provider | None, method: SignIn) -> None:
        """Offer the provider's sign-in, if it has one; ``method`` is what the account uses."""
        offered = SignIn(provider.oauth) if provider and provider.oauth else SignIn.PASSWORD
        self.method = method if method is offered else SignIn.PASSWORD
        if offered is SignIn.PASSWORD:
            self._offered = offered
            self.hide()
            return
        label = oauth_provider(offered.value).label
        self.button.setText(f"Sign in with {label}")
        self.button.setAccessibleName(f"Sign in with {label} in your browser")
        self.client_secret.setVisible(offered is SignIn.GOOGLE)
        if offered is not self._offered:
            # Nothing is offered until it is known whether there is a client id.
            self._offered = offered
            self.button.hide()
            self._say("")
            self._say_client_id("")
        self._read_client_id()
        self.show()

    def _read_client_id(self) -> None:
        self._context.ops.read(
            CLIENT_ID_KEY,
            client_id_override,
            self._context.db,
            self._offered.value,
            on_success=self._show_client_id,
        )

    def _show_client_id(self, stored: tuple[str, str]) -> None:
        self.client_id.setText(stored[0])
        self.client_secret.setText(stored[1])
        if self._offered is SignIn.PASSWORD:
            return  # the provider changed meanwhile
        provider = oauth_provider(self._offered.value)
        self.available = bool(stored[0] or provider.client_id)
        self.button.setVisible(self.available)
        label = provider.label
        if not self.available:
            self._say(
                f"This copy of Afterword has no client id for {label}, so it cannot sign in "
                f"with {label}: it signs in with a password. {provider.password_advice} "
                f"To sign in with {label}, register a client id of your own (“Client ids” "
                "in docs/mail.md) and enter it below."
            )
        elif self.method is self._offered:
            self._say(f"Signed in with {label}: no password needed here.")
        else:
            self._say(
                f"Recommended: sign in on {label}'s own page in your browser, so Afterword "
                "never sees your password. Or enter an app password below."
            )

    def save_own_client_id(self) -> None:
        """Keep the typed client id for this provider (empty: the project's again)."""
        key = self._offered.value
        client_id = self.client_id.text()
        self._context.ops.write(
            set_client_id,
            self._context.db,
            key,
            client_id,
            self.client_secret.text() if self._offered is SignIn.GOOGLE else "",
            initiator=self,
            on_success=lambda _none: self._client_id_saved(client_id.strip()),
            on_failure=self._client_id_refused,
        )

    def _client_id_saved(self, client_id: str) -> None:
        self._read_client_id()  # the button comes (or goes) with the id
        self._say_client_id(
            "Signing in uses your client id."
            if client_id
            else "Signing in uses Afterword's own client id."
            if oauth_provider(self._offered.value).client_id
            else "No client id: this copy signs in with a password."
        )

    def _client_id_refused(self, error: BaseException) -> None:
        if isinstance(error, ValidationError):
            self._say_client_id(error.problem, problem=True)
        else:
            show_failure(error, "The client id could not be saved")

    def _say_client_id(self, text: str, *, problem: bool = False) -> None:
        self.client_id_status.setText(text)
        self.client_id_status.setVisible(bool(text))
        self.client_id_status.setProperty("problem", problem)
        color = f"color: {error_color(self.palette())};" if problem else ""
        self.client_id_status.setStyleSheet(color)

    def start(self) -> None:
        account = self._account_fields()
        if account is None:
            self._say("Fill in the account above first.", problem=True)
            return
        label = self.button.text().removeprefix("Sign in with ")
        self.button.setEnabled(False)
        self._say(f"Finish signing in in your browser ({label}'s page opened there)…")
        self._context.ops.read(
            SIGN_IN_KEY,
            _sign_in_in_browser,
            self._context.db,
            self._offered,
            account,
            self._context.now(),
            self.open_browser,
            on_success=self._signed_in,
            on_failure=self._failed,
        )

    def _signed_in(self, method: SignIn) -> None:
        self.button.setEnabled(True)
        self.method = method
        label = self.button.text().removeprefix("Sign in with ")
        self._say(f"Signed in with {label}: no password needed here.")
        self.signed_in.emit(method)

    def _failed(self, error: BaseException) -> None:
        self.button.setEnabled(True)
        if isinstance(error, MailError):
            self._say(error.user_message, problem=True)
        elif isinstance(error, CredentialsError):
            self._say(str(error), problem=True)
        else:
            self._say("Signing in did not work.", problem=True)
            show_failure(error, "Signing in failed")

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.status.setText(text)
        self.status.setProperty("problem", problem)
        self.status.setStyleSheet(f"color: {error_color(self.palette())};" if problem else "")
