"""Where the mail account's password is kept, said in words a person can act on.

One row of the mail account section (:mod:`afterword.gui.pages.mail_account`):
a line saying whether the saved account's password is in the system keyring,
a button to unlock a locked keyring and, on a system without a keyring, one
to keep the typed password in memory for this session only. Looking the
password up and unlocking talk to the keyring service, so they run through
``context.ops``, off the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from afterword.core.mail.accounts import account_key
from afterword.core.mail.credentials import (
    CredentialsError,
    KeyringState,
    password_state,
    unlock_keyring,
)
from afterword.core.storage.records import MailAccountRecord
from afterword.gui.context import AppContext
from afterword.gui.forms import error_color
from afterword.gui.mail_flow import session_passwords
from afterword.gui.operations import show_failure

logger = logging.getLogger(__name__)

# The key of the keyring look-ups: a newer one makes a running one stale.
KEYRING_STATE_KEY = "mail-account-keyring-state"

SESSION_ONLY_TEXT = (
    "The password is kept in memory for this session only; Afterword will ask for it "
    "again after it restarts."
)


class KeyringRow(QWidget):
    """The keyring line of the mail account section, with Unlock and "keep in memory".

    ``account`` says which saved account the row is about (None: none saved);
    ``complain`` shows a problem in the section's status line. The section
    connects :attr:`session_button` to its own "keep for this session".
    """

    def __init__(
        self,
        context: AppContext,
        password: QLineEdit,
        account: Callable[[], MailAccountRecord | None],
        complain: Callable[[str], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._password = password
        self._account = account
        self._complain = complain
        self.state: KeyringState | None = None
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Where the password is kept")
        self.unlock_button = QPushButton("Unlock keyring", self)
        self.unlock_button.setAccessibleName("Unlock the system keyring")
        self.unlock_button.hide()
        self.session_button = QPushButton("Keep it in memory for this session", self)
        self.session_button.setAccessibleName("Keep the password in memory for this session only")
        self.session_button.hide()
        # The text on a line of its own, the buttons below it: beside a button the
        # wrapped text was given too little height in a narrow window and was cut off.
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.unlock_button)
        buttons.addWidget(self.session_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addLayout(buttons)
        password.textChanged.connect(self._update_actions)
        self.unlock_button.clicked.connect(self._unlock)

    def refresh(self) -> None:
        """Look up (off the GUI thread) whether the saved account's password is stored."""
        account = self._account()
        if account is None:
            self.state = None
            self.label.setText("Save the account with its password to send mail.")
            self._update_actions()
            return
        self.label.setText("Looking for the password in your system keyring…")
        self._context.ops.read(
            KEYRING_STATE_KEY,
            password_state,
            account_key(account),
            on_success=self.show_state,
            on_failure=self.failed,
        )

    def failed(self, error: BaseException) -> None:
        """A keyring call failed: say why in the row (or show an unexpected error)."""
        if not isinstance(error, CredentialsError):
            show_failure(error, "The system keyring could not be used")
            return
        self.show_state(error.state, problem=str(error))

    def show_state(self, state: KeyringState | None, *, problem: str = "") -> None:
        """Say where the password is, in words a person can act on."""
        self.state = state
        account = self._account()
        in_session = account is not None and account_key(account) in session_passwords()
        if (
            in_session
            and state is not None
            and (state is KeyringState.MISSING or state.without_keyring)
        ):
            text, worrying = SESSION_ONLY_TEXT, False
        else:
            text = problem or (state.user_message if state is not None else "")
            worrying = state is not KeyringState.STORED
        self.label.setText(text)
        self.label.setProperty("problem", worrying)
        self.label.setStyleSheet(f"color: {error_color(self.palette())};" if worrying else "")
        self._password.setPlaceholderText(
            "Saved in your keyring · type a new one to replace it"
            if state is KeyringState.STORED
            else "Your mail password or app password"
        )
        self._update_actions()

    def _update_actions(self) -> None:
        self.unlock_button.setVisible(self.state is KeyringState.LOCKED)
        no_keyring = self.state is not None and self.state.without_keyring
        self.session_button.setVisible(no_keyring)
        self.session_button.setEnabled(no_keyring and bool(self._password.text()))

    def _unlock(self) -> None:
        self.unlock_button.setEnabled(False)

        def done(unlocked: object) -> None:
            self.unlock_button.setEnabled(True)
            if not unlocked:
                self._complain("The keyring is still locked.")
            self.refresh()

        def failed(error: BaseException) -> None:
            self.unlock_button.setEnabled(True)
            self.failed(error)

        self._context.ops.read(None, unlock_keyring, on_success=done, on_failure=failed)
