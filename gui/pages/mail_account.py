"""The mail account section of Settings: SMTP settings, the password, and a connection test.

Typing the address (or choosing the provider, or typing a provider's server)
fills in the server, port and security of the common providers
(:mod:`afterword.gui.pages.mail_provider`) and shows what that provider asks of
other mail programs (often an app password). The settings are saved with
:mod:`afterword.core.mail.accounts`; the password goes only to
:mod:`afterword.core.mail.credentials`
(the system keyring) or, on a system without a keyring and only if the person
agrees, into this session's memory. It is never written to the database, the
settings file or the log, and the field is emptied once it is kept.

The saved account is read off the GUI thread too (:meth:`MailAccountSection.load`);
the form stays disabled until it arrives, and a reload never replaces what the
person typed and has not saved. Keyring calls and the connection test talk to
other processes and servers, so they run through ``context.ops`` as well.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import datetime
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from afterword.core.errors import ValidationError
from afterword.core.mail.accounts import (
    account_key,
    get_mail_account,
    save_mail_account,
    validate_mail_account,
)
from afterword.core.mail.credentials import (
    CredentialsError,
    KeyringState,
    delete_password,
    store_password,
)
from afterword.core.mail.providers import Provider
from afterword.core.mail.transport import MailError, SmtpSettings, test_connection
from afterword.core.storage.db import Database
from afterword.core.storage.records import MailAccountFields, MailAccountRecord
from afterword.core.storage.validation import email_address, required_text, single_line
from afterword.core.storage.values import MailSecurity, SignIn
from afterword.gui.context import AppContext
from afterword.gui.forms import (
    FormValidator,
    add_field_row,
    error_color,
    fill_combo,
    select_data,
)
from afterword.gui.mail_flow import html_text, secret_for, session_passwords
from afterword.gui.operations import show_failure
from afterword.gui.pages.mail_keyring import SESSION_ONLY_TEXT, KeyringRow
from afterword.gui.pages.mail_provider import ProviderFinder
from afterword.gui.pages.mail_sign_in import ProviderSignIn
from afterword.gui.widgets.wrapping_check import WrappingCheckBox

logger = logging.getLogger(__name__)

SECURITY_LABELS = {
    MailSecurity.SSL: "SSL/TLS (encrypted from the start)",
    MailSecurity.STARTTLS: "STARTTLS (encryption switched on after connecting)",
    MailSecurity.NONE: "None (only for a server on this computer, such as a mail bridge)",
}
# The port that goes with each security setting at nearly every provider.
USUAL_PORTS = {MailSecurity.SSL: 465, MailSecurity.STARTTLS: 587}
# The key of the saved account's reads: a newer one makes a running one stale.
ACCOUNT_KEY = "mail-account"


def _run_connection_test(
    db: Database,
    settings: SmtpSettings,
    typed_password: str,
    account: MailAccountFields,
    now: datetime,
) -> str:
    """Runs off the GUI thread: connect, encrypt, log in and quit; returns the server's name."""
    test_connection(settings, typed_password or secret_for(db, account, now))
    return settings.host


class MailAccountSection(QWidget):
    """Edit the one mail account (see the module docstring)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._account: MailAccountRecord | None = None
        self._followed_email = ""

        intro = QLabel(
            "Afterword sends your notes through your own mail account, so they come from "
            "your address and your provider keeps them. The password is kept in your "
            "system keyring, never in Afterword's files.",
            self,
        )
        intro.setWordWrap(True)

        self.display_name = QLineEdit(self)
        self.display_name.setPlaceholderText("As recipients should see it, e.g. Alex Example")
        self.email = QLineEdit(self)
        self.email.setPlaceholderText("you@example.com")
        self.provider_note = QLabel(self)
        self.provider_note.setWordWrap(True)
        self.provider_note.setOpenExternalLinks(True)
        self.provider_note.setTextFormat(Qt.TextFormat.RichText)
        self.provider_note.setAccessibleName("About your mail provider")
        self.provider_note.setContentsMargins(0, 2, 0, 6)
        self.provider_note.hide()
        self.smtp_host = QLineEdit(self)
        self.smtp_host.setPlaceholderText("smtp.example.com")
        self.smtp_port = QSpinBox(self)
        self.smtp_port.setRange(1, 65535)
        self.smtp_port.setValue(USUAL_PORTS[MailSecurity.SSL])
        self.smtp_port.setAccessibleName("Port")
        self.security = QComboBox(self)
        fill_combo(self.security, SECURITY_LABELS)
        # The long labels must not make the Settings page wider than a small window.
        self.security.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.security.setMinimumContentsLength(16)
        self.finder = ProviderFinder(
            self.email, self.smtp_host, self.smtp_port, self.security, self
        )
        self.provider = self.finder.combo
        self.username = QLineEdit(self)
        self.username.setPlaceholderText("Usually your email address")
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        self.keyring = KeyringRow(
            context,
            self.password,
            lambda: self._account,
            lambda problem: self._show_result(problem, problem=True),
            self,
        )
        self.sign_in = ProviderSignIn(context, self._valid_values, self)
        self.bcc_self = WrappingCheckBox("Send me a copy of every message (Bcc)", self)
        self.bcc_self.setToolTip(
            "Many providers do not put mail sent by other programs into your Sent folder; "
            "a copy to yourself keeps a record in your inbox."
        )

        self.reason = QLabel(self)
        self.reason.setWordWrap(True)
        self.reason.setAccessibleName("Why Save is unavailable")
        self.reason.hide()
        self.save_button = QPushButton("Save", self)
        self.save_button.setAccessibleName("Save the mail account")
        self.test_button = QPushButton("Test connection", self)
        self.test_button.setAccessibleName("Test connection")
        self.test_button.setToolTip(
            "Connects, switches on encryption and logs in, then says goodbye: nothing is sent."
        )
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        self.result.setAccessibleName("Mail account status")
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.hide()

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.validator = FormValidator(self.save_button, self.reason, self)
        add = self.validator.add_row
        add(
            form, "display_name", "Your &name", self.display_name,
            lambda: single_line("display_name", self.display_name.text()),
        )  # fmt: skip
        add(
            form, "email", "&Email address", self.email,
            lambda: email_address("email", self.email.text(), required=True),
        )  # fmt: skip
        provider_label = QLabel("Pro&vider", self)
        provider_label.setBuddy(self.provider)
        form.addRow(provider_label, self.provider)
        form.addRow(self.provider_note)
        add(form, "smtp_host", "SMTP &server", self.smtp_host)
        add(form, "smtp_port", "&Port", self.smtp_port)
        add(form, "security", "Se&curity", self.security)
        add(
            form, "username", "&User name", self.username,
            lambda: required_text("username", self.username.text(), limit=320),
        )  # fmt: skip
        password_label = QLabel("Pass&word", self)
        password_label.setBuddy(self.password)
        add_field_row(form, self.sign_in)
        form.addRow(password_label, self.password)
        add_field_row(form, self.keyring)
        add_field_row(form, self.bcc_self)
        self.validator.add_rule(lambda: validate_mail_account(self.values()))
        self.validator.set_pristine_hint(
            "Fill in your name, your email address (the server follows for well-known "
            "providers) and your password, then save."
        )

        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.reason)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        layout.addStretch(1)

        self.email.textEdited.connect(self._on_email_edited)
        self.smtp_host.textEdited.connect(self.finder.server_edited)
        self.finder.changed.connect(self._show_provider)
        self.security.currentIndexChanged.connect(self._on_security_changed)
        self.save_button.clicked.connect(self.save)
        self.test_button.clicked.connect(self.test)
        self.keyring.session_button.clicked.connect(self.keep_for_session)
        self.sign_in.signed_in.connect(lambda _method: self.save())
        # What the form showed when it was last filled in or saved: typing makes it differ.
        self._shown = self.values()
        self.setEnabled(False)  # until the saved account arrives: nothing stale is saved
        self.load()

    # -- loading and the form's values ------------------------------------------------------

    def load(self) -> None:
        """Read the saved account off the GUI thread; :meth:`_loaded` shows it."""
        self._context.ops.read(
            ACCOUNT_KEY, get_mail_account, self._context.db, on_success=self._loaded
        )

    def is_dirty(self) -> bool:
        """Whether the form holds something the person typed and has not saved."""
        return self.values() != self._shown or bool(self.password.text())

    def _loaded(self, account: MailAccountRecord | None) -> None:
        """Show the saved account (or an empty form) and look up where its password is.

        If the person is editing, the form keeps what they typed; only the
        account that a save replaces, and where its password is, are updated.
        """
        self._account = account
        self.setEnabled(True)
        if not self.is_dirty():
            self._fill(account)
        self.keyring.refresh()

    def _fill(self, account: MailAccountRecord | None) -> None:
        """Put ``account`` into the form quietly: no problem shows before the person types."""
        with self.validator.suspend():
            if account is not None:
                self.display_name.setText(account.display_name)
                self.email.setText(account.email)
                self.smtp_host.setText(account.smtp_host)
                # Security first: choosing it moves the port to the usual one.
                select_data(self.security, MailSecurity(account.security))
                self.smtp_port.setValue(account.smtp_port)
                self.username.setText(account.username)
                self.bcc_self.setChecked(account.bcc_self)
        self.validator.mark_untouched()
        self._followed_email = self.email.text().strip()
        self.finder.loaded(self.email.text(), self.smtp_host.text())
        self._shown = self.values()

    def values(self) -> MailAccountFields:
        """What the form holds now (not yet cleaned); there is no password in here."""
        return MailAccountFields(
            display_name=self.display_name.text(),
            email=self.email.text(),
            smtp_host=self.smtp_host.text(),
            smtp_port=self.smtp_port.value(),
            security=MailSecurity(self.security.currentData()),
            username=self.username.text(),
            bcc_self=self.bcc_self.isChecked(),
            sign_in=self.sign_in.method,
        )

    def _valid_values(self) -> MailAccountFields | None:
        """The form's values cleaned, or ``None`` with the problem shown at its field."""
        try:
            return validate_mail_account(self.values())
        except ValidationError as exc:
            self.validator.show_problem(exc)
            return None

    # -- provider data -------------------------------------------------------------------------

    def _on_email_edited(self, text: str) -> None:
        address = text.strip()
        # The user name follows the address until the person types a different one.
        follows = self.username.text().strip() in ("", self._followed_email)
        self.finder.address_edited(address)
        provider = self.finder.provider
        if follows and (provider is None or provider.username_is_email):
            self.username.setText(address)
        self._followed_email = address

    def _show_provider(self, provider: Provider | None) -> None:
        saved = SignIn(self._account.sign_in) if self._account else SignIn.PASSWORD
        self.sign_in.show_for(provider, saved)
        if provider is None:
            self.provider_note.hide()
            return
        link = f' <a href="{escape(provider.help_url)}">More…</a>' if provider.help_url else ""
        self.provider_note.setText(
            f"<b>{html_text(provider.name)}:</b> {html_text(provider.note)}{link}"
        )
        self.provider_note.show()

    def _on_security_changed(self, _index: int) -> None:
        security = MailSecurity(self.security.currentData())
        # Switching SSL/TLS <-> STARTTLS nearly always means switching 465 <-> 587 too.
        if security in USUAL_PORTS and self.smtp_port.value() in USUAL_PORTS.values():
            self.smtp_port.setValue(USUAL_PORTS[security])

    # -- saving --------------------------------------------------------------------------------

    def save(self) -> None:
        """Save the settings; a typed password goes to the keyring (off the GUI thread)."""
        self.validator.revalidate()
        if not self.validator.is_valid():
            self.validator.reveal_all()
            return
        previous = self._account
        values = self.values()
        self._context.ops.write(
            save_mail_account,
            self._context.db,
            values,
            initiator=self,
            on_success=lambda saved: self._saved(previous, values, saved),
            on_failure=self._refused,
        )

    def _refused(self, error: BaseException) -> None:
        if not isinstance(error, ValidationError):
            show_failure(error, "The mail account could not be saved")
            return
        self.validator.show_problem(error)

    def _saved(
        self,
        previous: MailAccountRecord | None,
        values: MailAccountFields,
        saved: MailAccountRecord,
    ) -> None:
        self._account = saved
        self._shown = values  # what was typed after pressing Save still counts as an edit
        old_key = account_key(previous) if previous is not None else None
        new_key = account_key(saved)
        self._show_result("Saved.")
        if old_key is not None and old_key != new_key:
            # A password typed for this session belongs to the login, not to the old name.
            remembered = session_passwords().get(old_key)
            session_passwords().forget(old_key)
            if remembered:
                session_passwords().remember(new_key, remembered)
        if self.password.text():
            self._store(new_key, self.password.text(), old_key)
        else:
            self.keyring.refresh()

    def _store(self, key: str, password: str, old_key: str | None) -> None:
        def store() -> None:
            store_password(key, password)
            if old_key is not None and old_key != key:
                delete_password(old_key)

        def stored(_result: object) -> None:
            self.password.clear()
            session_passwords().forget(key)
            self._show_result("Saved. The password is in your system keyring.")
            self.keyring.show_state(KeyringState.STORED)

        self._context.ops.read(None, store, on_success=stored, on_failure=self.keyring.failed)

    def keep_for_session(self) -> None:
        """Without a keyring: keep the typed password in memory until Afterword quits."""
        if self._account is None:
            self._show_result("Save the account first.", problem=True)
            return
        password = self.password.text()
        if not password:
            self._show_result("Type the password first.", problem=True)
            return
        session_passwords().remember(account_key(self._account), password)
        self.password.clear()
        self._show_result(SESSION_ONLY_TEXT)
        self.keyring.show_state(KeyringState.NO_BACKEND)

    # -- testing the connection ----------------------------------------------------------------

    def test(self) -> None:
        """Connect, encrypt and log in with what the form holds, off the GUI thread."""
        try:
            clean = validate_mail_account(self.values())
            settings = SmtpSettings.from_account(MailAccountRecord(id=0, **asdict(clean)))
        except ValidationError as exc:
            self.validator.show_problem(exc)
            return
        key = account_key(clean)
        typed = self.password.text()
        oauth = clean.sign_in is not SignIn.PASSWORD
        if not oauth and not typed and (self._account is None or account_key(self._account) != key):
            # A stored password belongs to the saved server and user name, not to these.
            self._show_result("Type the password to test these settings.", problem=True)
            return
        self.test_button.setEnabled(False)
        self._show_result(f"Connecting to {clean.smtp_host}…")
        self._context.ops.read(
            None,
            _run_connection_test,
            self._context.db,
            settings,
            "" if oauth else typed,
            clean,
            self._context.now(),
            on_success=self._test_passed,
            on_failure=self._test_failed,
        )

    def _test_passed(self, host: str) -> None:
        self.test_button.setEnabled(True)
        self._show_result(f"Connected to {host}: encryption and login work. Nothing was sent.")

    def _test_failed(self, error: BaseException) -> None:
        self.test_button.setEnabled(True)
        if isinstance(error, MailError):
            self._show_result(error.user_message, problem=True)
        elif isinstance(error, CredentialsError):
            self._show_result(str(error), problem=True)
            self.keyring.show_state(error.state, problem=str(error))
        else:
            self._show_result("The test could not be run.", problem=True)
            show_failure(error, "The connection test failed")

    def _show_result(self, text: str, *, problem: bool = False) -> None:
        self.result.setText(text)
        self.result.setProperty("problem", problem)
        self.result.setStyleSheet(f"color: {error_color(self.palette())};" if problem else "")
        self.result.show()
