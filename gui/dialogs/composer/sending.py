"""Sending one note, and the other ways it gets sent, for a composer tab.

**Send** disables itself on the click, saves the text, then sends through
:func:`afterword.gui.mail_flow.start_send`, off the GUI thread (the mail
account is read there too), with progress shown and the window responsive.
The core claims the message before a byte goes out, so a second click, a
second window or a retry while sending cannot send it twice; the tab then
says what happened instead. Every failure keeps the text and says what to
do; a missing or refused password is asked for right in the tab (kept in the
system keyring, or in memory for this session when the system has none). A
send that may have arrived offers **It arrived** beside **Send again…**.

The alternatives: **Open in my mail app** (a ``mailto:`` link), then **Mark
as sent from my mail app**; or a printed letter, then **Mark as sent by
post**. Either way the note is then sent and read-only, with the touchpoint
that ticks off its checklist item. Every write here runs through
``context.ops``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from afterword.core.errors import ValidationError
from afterword.core.exports.messages import mailto_url
from afterword.core.mail.accounts import account_key
from afterword.core.mail.credentials import (
    CredentialsError,
    KeyringLocked,
    KeyringState,
    NoKeyringBackend,
    PasswordMissing,
    store_password,
    unlock_keyring,
)
from afterword.core.mail.outbox import (
    AlreadySending,
    AlreadySent,
    OutboxError,
    confirm_arrived,
    confirm_resend,
    mark_sent_by_post,
    mark_sent_from_mail_app,
)
from afterword.core.mail.transport import (
    AuthenticationFailed,
    DeliveryUncertain,
    MailError,
    SmtpSettings,
)
from afterword.core.storage.records import MailAccountRecord, MessageRecord
from afterword.gui.context import AppContext
from afterword.gui.mail_flow import (
    NoMailAccount,
    SendOutcome,
    ask_to_send_again,
    html_text,
    session_passwords,
    start_send,
)
from afterword.gui.operations import show_failure

if TYPE_CHECKING:
    from afterword.core.storage.db import Database
    from afterword.gui.dialogs.composer.editor import DraftEditor

logger = logging.getLogger(__name__)


def keep_password(key: str, password: str, in_keyring: bool) -> bool:
    """Runs off the GUI thread: keep the typed password; True if it went to the keyring.

    Without a keyring (or when the person prefers) it is kept in memory for
    this session only, never written anywhere.
    """
    if in_keyring:
        try:
            store_password(key, password)
        except NoKeyringBackend:
            logger.info("No keyring on this system: the password is kept for this session")
        else:
            session_passwords().forget(key)
            return True
    session_passwords().remember(key, password)
    return False


class SendFlow(QObject):
    """Send, and its alternatives, for one :class:`DraftEditor` (see the module docstring)."""

    def __init__(self, context: AppContext, editor: DraftEditor) -> None:
        super().__init__(editor)
        self._context = context
        self._editor = editor
        self.busy = False  # this tab is sending right now
        # The note went to the person's mail program: offer to record it as sent from there.
        self.handed_to_mail_app = False
        # The account the last send went through (read by its worker): names it in the prompt.
        self._account: MailAccountRecord | None = None
        editor.send_button.clicked.connect(self.send)
        editor.mail_app_button.clicked.connect(self.open_in_mail_app)
        editor.mail_sent_button.clicked.connect(self.mark_sent_from_mail_app)
        editor.post_button.clicked.connect(self.mark_sent_by_post)
        editor.arrived_button.clicked.connect(self.mark_arrived)
        editor.resend_button.clicked.connect(self.ask_to_send_again)
        editor.unlock_button.clicked.connect(self._unlock)
        editor.retype_button.clicked.connect(lambda: self._ask_password(KeyringState.STORED))
        editor.password_prompt.submitted.connect(self._use_password)
        editor.password_prompt.cancelled.connect(editor.apply_state)

    # -- sending -------------------------------------------------------------------------------

    def send(self) -> None:
        """Send the message once: save the text, check it, then send it off the GUI thread."""
        editor = self._editor
        # Off before anything else: the second click of a double-click finds it disabled.
        editor.send_button.setEnabled(False)
        if not editor.is_editable():
            # Sent, being sent or maybe sent: the state shown says so, and why.
            editor.apply_state()
            return
        editor.save_edits(then=self._send_saved)

    def _send_saved(self, saved: bool) -> None:
        editor = self._editor
        if not saved or self.busy or not editor.is_editable():
            editor.apply_state()
            return
        editor.recheck()
        if not editor.check.can_send:
            return
        self.busy = True
        editor.password_prompt.hide()
        record = editor.record
        recipient = f"{record.to_name} <{record.to_address}>"
        editor.set_notice(html_text(f"Sending to {recipient}…"))
        editor.apply_state()
        editor.state_changed.emit()
        start_send(
            self._context,
            record.id,
            on_finished=self._finished,
            timeout=editor.send_timeout,
            initiator=editor,
        )

    def _finished(self, outcome: SendOutcome) -> None:
        if outcome.account is not None:
            self._account = outcome.account
        if outcome.record is not None:
            self._sent(outcome.record)
        else:
            assert outcome.error is not None
            self._send_failed(outcome.error, outcome.stored)

    def _sent(self, record: MessageRecord) -> None:
        self.busy = False
        self._editor.set_notice("")
        self._editor.show_record(record)
        self._editor.state_changed.emit()

    def _send_failed(self, error: BaseException, stored: MessageRecord | None = None) -> None:
        """Show the message as the attempt left it (``stored``, else read again), and why."""
        editor = self._editor
        self.busy = False
        if stored is None:
            editor.reload(then=lambda: self._explain(error))
            return
        editor.show_stored(stored)
        self._explain(error)

    def _explain(self, error: BaseException) -> None:
        editor = self._editor
        if isinstance(error, NoMailAccount):
            editor.set_notice(
                "No mail account is set up yet. Add yours under <b>Settings → Mail account</b>, "
                "then click Send again. Your note is saved.",
                problem=True,
            )
        elif isinstance(error, PasswordMissing | NoKeyringBackend):
            editor.set_notice("")
            self._ask_password(error.state or KeyringState.MISSING)
        elif isinstance(error, KeyringLocked):
            editor.set_notice(html_text(str(error)), problem=True, action=editor.unlock_button)
        elif isinstance(error, AuthenticationFailed):
            editor.set_notice(
                f"<b>Not sent.</b> {html_text(self._with_hint(error))} Your note is kept.",
                problem=True,
                action=editor.retype_button,
            )
        elif isinstance(error, AlreadySending | DeliveryUncertain):
            # The state shown says it: "being sent" (until the other send ends) or
            # "may have arrived", with Send again.
            editor.set_notice("")
        elif isinstance(error, AlreadySent):
            editor.set_notice(f"{html_text(error.user_message)} It was not sent again.")
        elif isinstance(error, OutboxError):
            editor.set_notice(html_text(error.user_message), problem=True)
        elif isinstance(error, MailError):
            editor.set_notice(f"<b>Not sent.</b> {html_text(error.user_message)}", problem=True)
        elif isinstance(error, CredentialsError):
            editor.set_notice(html_text(str(error)), problem=True)
        elif isinstance(error, ValidationError):
            editor.set_notice(f"<b>Not sent.</b> {html_text(error.problem)}", problem=True)
        else:
            editor.set_notice("<b>Not sent:</b> something unexpected went wrong.", problem=True)
            show_failure(error, "The message could not be sent")

    def _with_hint(self, error: AuthenticationFailed) -> str:
        """The refusal with the advice of the account's provider (usually: an app password).

        The core picks advice by the server's name; the address's provider knows better
        (see :func:`afterword.gui.mail_flow.smtp_settings`).
        """
        hint = SmtpSettings.from_account(self._account).app_password_hint if self._account else ""
        text = error.user_message
        if not hint or hint in text:
            return text
        if error.app_password_hint:
            return text.replace(error.app_password_hint, hint)
        return f"{text} {hint}"

    def _ask_password(self, state: KeyringState) -> None:
        # Asked after a send said why (its worker read the account), so the account is known.
        account = self._account
        if account is None:
            return
        who = f"{account.username} on {account.smtp_host}"
        if state.without_keyring:
            text = state.user_message
        elif state is KeyringState.MISSING:
            text = f"No password is saved for {who} yet."
        else:
            text = f"Type the password for {who} again."
        hint = SmtpSettings.from_account(account).app_password_hint
        # A refused password is replaced where it came from; a first one may stay in memory.
        self._editor.password_prompt.ask(
            f"{text} {hint}".strip(),
            keyring_available=not state.without_keyring,
            optional=state is KeyringState.MISSING,
        )
        self._editor.apply_state()

    def _use_password(self, password: str, in_keyring: bool) -> None:
        account = self._account
        if account is None:
            return
        self._editor.send_button.setEnabled(False)
        self._context.ops.read(
            None,
            keep_password,
            account_key(account),
            password,
            in_keyring,
            on_success=lambda _in_keyring: self.send(),
            on_failure=self._send_failed,
        )

    def _unlock(self) -> None:
        editor = self._editor
        editor.unlock_button.setEnabled(False)

        def done(unlocked: object) -> None:
            editor.unlock_button.setEnabled(True)
            if unlocked:
                editor.set_notice("The keyring is unlocked. Click Send.")
            else:
                editor.set_notice(
                    "The keyring is still locked.", problem=True, action=editor.unlock_button
                )

        def failed(error: BaseException) -> None:
            editor.unlock_button.setEnabled(True)
            self._send_failed(error)

        self._context.ops.read(None, unlock_keyring, on_success=done, on_failure=failed)

    def ask_to_send_again(self) -> QMessageBox:
        """For a message that may have arrived: ask, and only then send it again."""
        return ask_to_send_again(self._editor, self._editor.record, self._resend_confirmed)

    def _resend_confirmed(self) -> None:
        def confirmed(record: MessageRecord) -> None:
            self._editor.show_stored(record, force=True)
            self.send()

        self._context.ops.write(
            confirm_resend,
            self._context.db,
            self._editor.record.id,
            self._context.now(),
            initiator=self._editor,
            on_success=confirmed,
            on_failure=self._refused,
        )

    def _refused(self, error: BaseException) -> None:
        """An outbox rule refused the action: the tab shows the message as it is, and why."""
        if not isinstance(error, OutboxError):
            show_failure(error, "The message could not be changed")
            return
        why = html_text(error.user_message)
        self._editor.reload(force=True, then=lambda: self._editor.set_notice(why, problem=True))

    # -- the alternatives ----------------------------------------------------------------------

    def open_in_mail_app(self) -> bool:
        """Open the note in the person's own mail program (a mailto: link)."""
        editor = self._editor
        editor.save_edits()
        url = QUrl.fromEncoded(mailto_url(editor.current_record()).encode("ascii"))
        opened = QDesktopServices.openUrl(url)
        if opened:
            self.handed_to_mail_app = True
            editor.set_notice(
                "Opened in your mail program. Once you've sent it from there, click "
                "<b>Mark as sent from my mail app</b>."
            )
            editor.apply_state()
        else:
            editor.set_notice(
                "No mail program on this computer opens mail links. Set a default mail "
                "program in your system settings, or copy the text from here.",
                problem=True,
            )
        return opened

    def mark_sent_by_post(self) -> None:
        self._record_sent(mark_sent_by_post, "<b>Marked as sent by post.</b>")

    def mark_sent_from_mail_app(self) -> None:
        self._record_sent(mark_sent_from_mail_app, "<b>Marked as sent from your mail app.</b>")

    def mark_arrived(self) -> None:
        """For a message that may have arrived: the person found it, so it was sent."""
        self._record_sent(confirm_arrived, "<b>Marked as arrived.</b>")

    def _record_sent(
        self, mark: Callable[[Database, int, datetime], MessageRecord], what: str
    ) -> None:
        """Record the message as sent by ``mark`` (nothing goes out) and say ``what`` happened."""
        editor = self._editor

        def recorded(record: MessageRecord) -> None:
            editor.show_record(record)
            editor.set_notice(f"{what} It can no longer be changed.")
            editor.state_changed.emit()

        def saved(ok: bool) -> None:
            if ok:
                self._context.ops.write(
                    mark,
                    self._context.db,
                    editor.record.id,
                    self._context.now(),
                    initiator=editor,
                    on_success=recorded,
                    on_failure=self._refused,
                )

        editor.save_edits(then=saved)
