"""The composer: review the pre-filled notes, one tab per person, and send each once.

Each tab is a :class:`DraftEditor` for one message. While the person types,
the personal-note check (:func:`afterword.core.mail.drafts.check_draft`) runs against the
other tabs: warnings (no reason for interest, nothing personal, nearly the
same as another note) are advice and never block; blockers (a placeholder
left in, no address) disable Send, and leftover placeholders are highlighted
in the text.

**Send** disables itself on the click, then sends through
:func:`afterword.gui.mail_flow.start_send`, off the GUI thread, with progress shown and
the window responsive. The core claims the message before a byte goes out,
so a second click, a second window or a retry while sending cannot send it
twice; this window then says what happened instead. Every failure keeps the
text and says what to do; a missing or refused password is asked for right
here (kept in the system keyring, or in memory for this session when the
system has none). A send that may have arrived offers **It arrived** (found
in the Sent folder) beside **Send again…**.

The alternatives for the same note: **Open in my mail app** (a ``mailto:``
link), then **Mark as sent from my mail app**; and **Print / Save as PDF** as
a letter, then **Mark as sent by post**. Either way the note is then sent and
read-only, with the touchpoint that ticks off its checklist item.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMarginsF, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QFont,
    QPageLayout,
    QPageSize,
    QPalette,
    QPdfWriter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from afterword.core.errors import NotFoundError, ValidationError
from afterword.core.exports.messages import letter_text, mailto_url
from afterword.core.mail.accounts import account_key, get_mail_account
from afterword.core.mail.credentials import (
    CredentialsError,
    KeyringLocked,
    KeyringState,
    NoKeyringBackend,
    PasswordMissing,
    store_password,
    unlock_keyring,
)
from afterword.core.mail.drafts import (
    EDITABLE_STATUSES,
    DraftCheck,
    check_draft,
    draft_context,
    get_message,
    update_draft,
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
from afterword.core.mail.templates import render
from afterword.core.mail.transport import (
    DEFAULT_TIMEOUT,
    AuthenticationFailed,
    DeliveryUncertain,
    MailError,
    SmtpSettings,
)
from afterword.core.storage.records import MailAccountRecord, MessageRecord
from afterword.core.storage.values import MessageStatus
from afterword.gui.context import MESSAGES, AppContext
from afterword.gui.crash import show_error
from afterword.gui.forms import error_color
from afterword.gui.icons import icon
from afterword.gui.mail_flow import (
    SENT_CHANGES,
    ask_to_send_again,
    html_text,
    is_sending,
    session_passwords,
    start_send,
    when_text,
)
from afterword.gui.theme import is_dark, scaled_font

if TYPE_CHECKING:
    from afterword.core.storage.db import Database

logger = logging.getLogger(__name__)

# Typing pauses this long before the draft is saved (it is saved at once before
# sending, printing or closing).
SAVE_DELAY_MS = 700
PLACEHOLDER_BACKGROUND = QColor("#ffd54f")
HEADING_SCALE = 1.3


def warning_color(palette: QPalette) -> str:
    """An amber that reads well on ``palette`` (light or dark), for advice that never blocks."""
    return "#ffcc80" if is_dark(palette) else "#8a5a00"


def utf16_offset(text: str, index: int) -> int:
    """Qt's position (UTF-16 code units) of the Python string index ``index`` in ``text``."""
    return len(text[:index].encode("utf-16-le")) // 2


def _keep_password(key: str, password: str, in_keyring: bool) -> bool:
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


class _Panel(QFrame):
    """A coloured box with a text and room for buttons (warnings, errors, progress)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setAccessibleName(name)
        self.row = QHBoxLayout()
        self.row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.label)
        layout.addLayout(self.row)
        self.hide()

    def add_button(self, button: QPushButton) -> QPushButton:
        self.row.addWidget(button)
        button.hide()
        return button

    def show_text(self, html: str, color: str = "") -> None:
        self.label.setText(html)
        self.label.setStyleSheet(f"color: {color};" if color else "")
        self.setVisible(bool(html))


class PasswordPrompt(QFrame):
    """Asks for the mail password right where the send needed it."""

    submitted = Signal(str, bool)  # password, keep it in the keyring
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.explanation = QLabel(self)
        self.explanation.setWordWrap(True)
        self.explanation.setAccessibleName("Why the password is needed")
        self.field = QLineEdit(self)
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName("Mail password")
        self.field.setPlaceholderText("Your mail password or app password")
        self.keep = QCheckBox("Keep it in the system keyring", self)
        self.keep.setChecked(True)
        self._to_keyring = True
        self.ok = QPushButton(icon("send"), "Send with this password", self)
        self.ok.setEnabled(False)
        cancel = QPushButton("Cancel", self)
        row = QHBoxLayout()
        row.addWidget(self.field, 1)
        row.addWidget(self.ok)
        row.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.explanation)
        layout.addLayout(row)
        layout.addWidget(self.keep)
        self.field.textChanged.connect(lambda text: self.ok.setEnabled(bool(text)))
        self.field.returnPressed.connect(self._submit)
        self.ok.clicked.connect(self._submit)
        cancel.clicked.connect(self._cancel)
        self.hide()

    def ask(self, explanation: str, *, keyring_available: bool, optional: bool) -> None:
        """Show the prompt; ``optional``: the person may keep it out of the keyring."""
        self.explanation.setText(explanation)
        self._to_keyring = keyring_available
        self.keep.setVisible(keyring_available and optional)
        self.keep.setChecked(True)
        self.field.clear()
        self.show()
        self.field.setFocus()

    def _submit(self) -> None:
        password = self.field.text()
        if not password:
            return
        in_keyring = self._to_keyring and (self.keep.isHidden() or self.keep.isChecked())
        self.field.clear()
        self.hide()
        self.submitted.emit(password, in_keyring)

    def _cancel(self) -> None:
        self.field.clear()
        self.hide()
        self.cancelled.emit()


class DraftEditor(QWidget):
    """One message: its fields, the personal-note check, and Send and its alternatives."""

    edited = Signal()  # the text changed: the composer re-runs every tab's check
    state_changed = Signal()  # sent, failed, being sent...: the tab's title changes

    def __init__(
        self, context: AppContext, record: MessageRecord, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self.record = record
        self.send_timeout = DEFAULT_TIMEOUT
        self.check = DraftCheck((), (), ())
        self._sending = False
        self._dirty = False
        self._save_problem = ""
        # What the last action has to say (HTML), shown until the message's state changes.
        self._notice = ""
        self._notice_is_problem = False
        self._account: MailAccountRecord | None = None
        # The note went to the person's mail program: offer to record it as sent from there.
        self._handed_to_mail_app = False
        self._draft_context = draft_context(context.db, record.id)
        self._live: Mapping[int, MessageRecord] = {}

        self.to_name = QLineEdit(self)
        self.to_name.setAccessibleName("Recipient's name")
        self.to_address = QLineEdit(self)
        self.to_address.setAccessibleName("Recipient's email address")
        self.to_address.setPlaceholderText("name@example.com")
        self.subject = QLineEdit(self)
        self.subject.setAccessibleName("Subject")
        self.body = QPlainTextEdit(self)
        self.body.setAccessibleName("Message")
        self.body.setTabChangesFocus(True)
        self.bcc_self = QCheckBox("Send me a copy (Bcc)", self)
        self.bcc_self.setToolTip(
            "Many providers don't keep mail sent by other programs in your Sent folder: "
            "a copy to yourself keeps a record. Recipients never see it."
        )

        self.blockers = _Panel("Why Send is unavailable", self)
        self.warnings = _Panel("Suggestions for this note", self)
        self.banner = _Panel("Sending status", self)
        self.arrived_button = self.banner.add_button(QPushButton("It arrived", self))
        self.arrived_button.setAccessibleName("It arrived")
        self.arrived_button.setToolTip(
            "You found it in your Sent folder, or the recipient has it: record it as sent."
        )
        self.resend_button = self.banner.add_button(QPushButton("Send again…", self))
        self.resend_button.setAccessibleName("Send again")
        self.unlock_button = self.banner.add_button(QPushButton("Unlock keyring", self))
        self.retype_button = self.banner.add_button(QPushButton("Enter the password", self))
        self.discard_button = self.banner.add_button(QPushButton("Discard my changes", self))
        self.password_prompt = PasswordPrompt(self)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(10)
        self.progress.setAccessibleName("Sending")
        self.progress.hide()

        self.send_button = QPushButton(icon("send"), "Send", self)
        self.send_button.setAccessibleName("Send")
        self.mail_app_button = QPushButton(icon("mail"), "Open in my mail app", self)
        self.mail_app_button.setToolTip(
            "Opens this note in your own mail program to send it there."
        )
        self.mail_sent_button = QPushButton("Mark as sent from my mail app", self)
        self.mail_sent_button.setToolTip("Once you've sent it from your own mail program.")
        self.letter_button = QToolButton(self)
        # An arrow in the text: the style's menu indicator overlaps the frame in some themes.
        self.letter_button.setText("Print / Save as PDF ▾")
        self.letter_button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0; }")
        self.letter_button.setIcon(icon("print"))
        self.letter_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.letter_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.letter_button)
        menu.addAction("Print…", self.print_letter)
        menu.addAction("Save as PDF…", self.choose_pdf_file)
        self.letter_button.setMenu(menu)
        self.post_button = QPushButton("Mark as sent by post", self)
        self.post_button.setToolTip("Once you've posted the printed letter.")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        recipient = QHBoxLayout()
        recipient.addWidget(self.to_name, 2)
        recipient.addWidget(self.to_address, 3)
        form.addRow("To:", recipient)
        form.addRow("Subject:", self.subject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.mail_app_button)
        buttons.addWidget(self.mail_sent_button)
        buttons.addWidget(self.letter_button)
        buttons.addWidget(self.post_button)
        buttons.addStretch(1)
        buttons.addWidget(self.bcc_self)
        buttons.addSpacing(12)
        buttons.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.blockers)
        layout.addWidget(self.warnings)
        layout.addWidget(self.banner)
        layout.addWidget(self.password_prompt)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_edits)

        self._load(record)
        for signal in (
            self.to_name.textChanged,
            self.to_address.textChanged,
            self.subject.textChanged,
            self.body.textChanged,
            self.bcc_self.toggled,
        ):
            signal.connect(self._on_edit)
        self.send_button.clicked.connect(self.send)
        self.mail_app_button.clicked.connect(self.open_in_mail_app)
        self.mail_sent_button.clicked.connect(self.mark_sent_from_mail_app)
        self.post_button.clicked.connect(self.mark_sent_by_post)
        self.arrived_button.clicked.connect(self.mark_arrived)
        self.resend_button.clicked.connect(self.ask_to_send_again)
        self.unlock_button.clicked.connect(self._unlock)
        self.retype_button.clicked.connect(lambda: self._ask_password(KeyringState.STORED))
        self.discard_button.clicked.connect(self.discard_changes)
        self.password_prompt.submitted.connect(self._use_password)
        self.password_prompt.cancelled.connect(self._apply_state)

    # -- the text ------------------------------------------------------------------------------

    def _load(self, record: MessageRecord) -> None:
        if record.status is not self.record.status:
            self._set_notice("")
        self.record = record
        fields = (self.to_name, self.to_address, self.subject, self.body, self.bcc_self)
        for widget in fields:
            widget.blockSignals(True)
        self.to_name.setText(record.to_name)
        self.to_address.setText(record.to_address)
        self.subject.setText(record.subject)
        if self.body.toPlainText() != record.body:
            self.body.setPlainText(record.body)
        self.bcc_self.setChecked(record.bcc_self)
        for widget in fields:
            widget.blockSignals(False)
        self._dirty = False
        self._save_problem = ""
        self._apply_state()

    def current_record(self) -> MessageRecord:
        """The message as it reads on screen now (saved or not)."""
        return replace(
            self.record,
            to_name=self.to_name.text(),
            to_address=self.to_address.text(),
            subject=self.subject.text(),
            body=self.body.toPlainText(),
            bcc_self=self.bcc_self.isChecked(),
        )

    def is_busy(self) -> bool:
        """Whether this tab is sending its message right now."""
        return self._sending

    def _sending_anywhere(self) -> bool:
        return self._sending or is_sending(self._context, self.record.id)

    def is_editable(self) -> bool:
        return self.record.status in EDITABLE_STATUSES and not self._sending_anywhere()

    def _on_edit(self) -> None:
        self._dirty = True
        self._save_timer.start()
        self.edited.emit()

    def save_edits(self) -> bool:
        """Save what was typed; False (with the reason shown) if it cannot be saved."""
        self._save_timer.stop()
        if not self._dirty:
            return True
        current = self.current_record()
        try:
            saved = update_draft(
                self._context.db,
                self.record.id,
                to_name=current.to_name,
                to_address=current.to_address,
                subject=current.subject,
                body=current.body,
                bcc_self=current.bcc_self,
                now=self._context.now(),
            )
        except ValidationError as exc:
            logger.info("Draft %s not saved: %s", self.record.id, exc.field)
            if exc.field == "message":
                # Sent, or being sent, from elsewhere meanwhile: show that, not the edit.
                self.reload(force=True)
                self._set_notice(html_text(exc.problem), problem=True)
            else:
                self._save_problem = exc.problem
                self._apply_state()
            return False
        except NotFoundError as exc:
            self._set_notice(html_text(str(exc)), problem=True)
            return False
        self.record = saved
        self._dirty = False
        self._save_problem = ""
        self._apply_state()
        self._context.notify(MESSAGES)
        return True

    def discard_changes(self) -> None:
        self.reload(force=True)
        self.edited.emit()  # the stored text gets its own check and highlights

    def reload(self, *, force: bool = False) -> None:
        """Show the message as stored; unsaved edits stay unless ``force`` or it was sent."""
        try:
            stored = get_message(self._context.db, self.record.id)
        except NotFoundError:
            self._set_notice("This message was deleted.", problem=True)
            self.setEnabled(False)
            return
        if force or not self._dirty or stored.status not in EDITABLE_STATUSES:
            self._load(stored)
        else:
            if stored.status is not self.record.status:
                self._set_notice("")
            self.record = replace(self.record, status=stored.status, error=stored.error)
            self._apply_state()
        self.state_changed.emit()

    # -- the personal-note check ---------------------------------------------------------------

    def recheck(self, live: Mapping[int, MessageRecord]) -> DraftCheck:
        """Run the check with the other tabs' current text (``live``, by message id)."""
        self._live = live
        siblings = [live.get(s.id, s) for s in self._draft_context.siblings]
        current = self.current_record()
        self.check = check_draft(
            current,
            siblings,
            self._draft_context.why_interested,
            self._draft_context.conversation_notes,
        )
        self._highlight_placeholders(current.body, current.subject)
        self._apply_state()
        return self.check

    def _highlight_placeholders(self, body: str, subject: str) -> None:
        mark = QTextCharFormat()
        mark.setBackground(PLACEHOLDER_BACKGROUND)
        mark.setForeground(QColor("#000000"))
        mark.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        mark.setUnderlineColor(QColor(error_color(self.palette())))
        selections = []
        for start, end in render(body, {}).spans:
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.body.document())
            cursor.setPosition(utf16_offset(body, start))
            cursor.setPosition(utf16_offset(body, end), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor  # type: ignore[attr-defined]
            selection.format = mark  # type: ignore[attr-defined]
            selections.append(selection)
        self.body.setExtraSelections(selections)
        # A line edit cannot colour part of its text: the whole field is marked instead.
        in_subject = bool(render(subject, {}).unfilled)
        self.subject.setStyleSheet(
            f"border: 2px solid {error_color(self.palette())};" if in_subject else ""
        )

    def highlighted_placeholders(self) -> list[str]:
        """The text of every highlighted span in the body (what the person sees marked)."""
        return [selection.cursor.selectedText() for selection in self.body.extraSelections()]

    # -- what the tab shows --------------------------------------------------------------------

    def _apply_state(self) -> None:
        editable = self.is_editable()
        for line in (self.to_name, self.to_address, self.subject):
            line.setReadOnly(not editable)
        self.body.setReadOnly(not editable)
        self.bcc_self.setEnabled(editable)
        ready = editable and self.check.can_send and not self._save_problem
        self.send_button.setEnabled(ready)
        self.send_button.setToolTip("" if ready else self._why_not_sendable())
        alternatives = (self.mail_app_button, self.mail_sent_button, self.letter_button)
        for button in (*alternatives, self.post_button):
            button.setEnabled(editable)
        sent = self.record.status is MessageStatus.SENT
        for button in (self.send_button, self.mail_app_button, self.letter_button):
            button.setVisible(not sent)
        self.bcc_self.setVisible(not sent)
        self.post_button.setVisible(self.record.status in EDITABLE_STATUSES)
        self.mail_sent_button.setVisible(
            self._handed_to_mail_app and self.record.status in EDITABLE_STATUSES
        )
        self.progress.setVisible(self._sending)

        problems = list(self.check.blockers) if editable else []
        if self._save_problem:
            problems.insert(0, f"Your changes are not saved: {self._save_problem}")
        self.blockers.show_text(
            "<b>Can't send yet:</b><br>" + "<br>".join(f"• {html_text(p)}" for p in problems)
            if problems
            else "",
            error_color(self.palette()),
        )
        warnings = list(self.check.warnings) if editable else []
        self.warnings.show_text(
            "<b>Before you send:</b><br>" + "<br>".join(f"• {html_text(w)}" for w in warnings)
            if warnings
            else "",
            warning_color(self.palette()),
        )
        self.discard_button.setVisible(bool(self._save_problem) and editable)
        in_doubt = self.record.status is MessageStatus.UNKNOWN and not self._sending_anywhere()
        self.arrived_button.setVisible(in_doubt)
        self.resend_button.setVisible(in_doubt)
        self._show_banner()

    def _why_not_sendable(self) -> str:
        if self._sending_anywhere():
            return "It is being sent."
        if self.record.status not in EDITABLE_STATUSES:
            return "This message was sent, or may have been."
        return " ".join((self._save_problem, *self.check.blockers)).strip()

    def _set_notice(
        self, html: str, *, problem: bool = False, action: QPushButton | None = None
    ) -> None:
        """Say what the last action did (until the message's state changes)."""
        self._notice = html
        self._notice_is_problem = problem
        for button in (self.unlock_button, self.retype_button):
            button.setVisible(button is action)
        self._show_banner()

    def _show_banner(self) -> None:
        record = self.record
        problem = False
        if self._notice and (self._sending or not self._sending_anywhere()):
            text, problem = self._notice, self._notice_is_problem
        elif self._sending_anywhere() or record.status is MessageStatus.SENDING:
            text = "This message is being sent right now (from another window)."
        elif record.status is MessageStatus.SENT:
            when = f" · {when_text(record.sent_at, self._context)}" if record.sent_at else ""
            text = (
                f"<b>Sent</b> to {html_text(record.to_address)}{when}. It can no longer be changed."
            )
        elif record.status is MessageStatus.UNKNOWN:
            text, problem = f"<b>It may have arrived.</b> {html_text(record.error)}", True
        elif record.status is MessageStatus.FAILED and record.error:
            text, problem = f"<b>Not sent.</b> {html_text(record.error)}", True
        else:
            text = ""
        self.banner.show_text(text, error_color(self.palette()) if problem else "")

    def banner_text(self) -> str:
        """The status line as plain text (what the person reads), "" when hidden."""
        if self.banner.isHidden():
            return ""
        document = QTextDocument()
        document.setHtml(self.banner.label.text())
        return document.toPlainText()

    # -- sending -------------------------------------------------------------------------------

    def send(self) -> None:
        """Send this message once (see the module docstring)."""
        # Off before anything else: the second click of a double-click finds it disabled.
        self.send_button.setEnabled(False)
        if not self.is_editable():
            # Sent, being sent or maybe sent: the state shown says so, and why.
            self._apply_state()
            return
        if not self.save_edits():
            return
        self.recheck(self._live)
        if not self.check.can_send:
            return
        account = get_mail_account(self._context.db)
        if account is None:
            self._set_notice(
                "No mail account is set up yet. Add yours under <b>Settings → Mail account</b>, "
                "then click Send again. Your note is saved.",
                problem=True,
            )
            self._apply_state()
            return
        self._account = account
        self._sending = True
        self.password_prompt.hide()
        recipient = f"{self.record.to_name} <{self.record.to_address}>"
        self._set_notice(html_text(f"Sending to {recipient} through {account.smtp_host}…"))
        self._apply_state()
        self.state_changed.emit()
        start_send(
            self._context,
            self.record.id,
            account,
            on_success=self._sent,
            on_error=self._send_failed,
            timeout=self.send_timeout,
        )

    def _sent(self, record: MessageRecord) -> None:
        self._sending = False
        self._set_notice("")
        self._load(record)
        self.state_changed.emit()

    def _send_failed(self, error: BaseException) -> None:
        self._sending = False
        self.reload()
        if isinstance(error, PasswordMissing | NoKeyringBackend):
            self._set_notice("")
            self._ask_password(error.state or KeyringState.MISSING)
        elif isinstance(error, KeyringLocked):
            self._set_notice(html_text(str(error)), problem=True, action=self.unlock_button)
        elif isinstance(error, AuthenticationFailed):
            self._set_notice(
                f"<b>Not sent.</b> {html_text(self._with_hint(error))} Your note is kept.",
                problem=True,
                action=self.retype_button,
            )
        elif isinstance(error, AlreadySending | DeliveryUncertain):
            # The state shown says it: "being sent" (until the other send ends) or
            # "may have arrived", with Send again.
            self._set_notice("")
        elif isinstance(error, AlreadySent):
            self._set_notice(f"{html_text(error.user_message)} It was not sent again.")
        elif isinstance(error, OutboxError):
            self._set_notice(html_text(error.user_message), problem=True)
        elif isinstance(error, MailError):
            self._set_notice(f"<b>Not sent.</b> {html_text(error.user_message)}", problem=True)
        elif isinstance(error, CredentialsError):
            self._set_notice(html_text(str(error)), problem=True)
        elif isinstance(error, ValidationError):
            self._set_notice(f"<b>Not sent.</b> {html_text(error.problem)}", problem=True)
        else:
            self._set_notice("<b>Not sent:</b> something unexpected went wrong.", problem=True)
            show_error("The message could not be sent", error)

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
        account = self._account or get_mail_account(self._context.db)
        if account is None:
            return
        self._account = account
        who = f"{account.username} on {account.smtp_host}"
        text = {
            KeyringState.NO_BACKEND: state.user_message,
            KeyringState.MISSING: f"No password is saved for {who} yet.",
        }.get(state, f"Type the password for {who} again.")
        hint = SmtpSettings.from_account(account).app_password_hint
        # A refused password is replaced where it came from; a first one may stay in memory.
        self.password_prompt.ask(
            f"{text} {hint}".strip(),
            keyring_available=state is not KeyringState.NO_BACKEND,
            optional=state is KeyringState.MISSING,
        )
        self._apply_state()

    def _use_password(self, password: str, in_keyring: bool) -> None:
        account = self._account
        if account is None:
            return
        self.send_button.setEnabled(False)
        self._context.tasks.run(
            _keep_password,
            account_key(account),
            password,
            in_keyring,
            on_success=lambda _in_keyring: self.send(),
            on_error=self._send_failed,
        )

    def _unlock(self) -> None:
        self.unlock_button.setEnabled(False)

        def done(unlocked: object) -> None:
            self.unlock_button.setEnabled(True)
            if unlocked:
                self._set_notice("The keyring is unlocked. Click Send.")
            else:
                self._set_notice(
                    "The keyring is still locked.", problem=True, action=self.unlock_button
                )

        def failed(error: BaseException) -> None:
            self.unlock_button.setEnabled(True)
            self._send_failed(error)

        self._context.tasks.run(unlock_keyring, on_success=done, on_error=failed)

    def ask_to_send_again(self) -> QMessageBox:
        """For a message that may have arrived: ask, and only then send it again."""
        return ask_to_send_again(self, self.record, self._resend_confirmed)

    def _resend_confirmed(self) -> None:
        try:
            confirm_resend(self._context.db, self.record.id, self._context.now())
        except OutboxError as exc:
            self.reload(force=True)
            self._set_notice(html_text(exc.user_message), problem=True)
            return
        self.reload(force=True)
        self.send()

    # -- the alternatives ----------------------------------------------------------------------

    def open_in_mail_app(self) -> bool:
        """Open the note in the person's own mail program (a mailto: link)."""
        self.save_edits()
        url = QUrl.fromEncoded(mailto_url(self.current_record()).encode("ascii"))
        opened = QDesktopServices.openUrl(url)
        if opened:
            self._handed_to_mail_app = True
            self._set_notice(
                "Opened in your mail program. Once you've sent it from there, click "
                "<b>Mark as sent from my mail app</b>."
            )
            self._apply_state()
        else:
            self._set_notice(
                "No mail program on this computer opens mail links. Set a default mail "
                "program in your system settings, or copy the text from here.",
                problem=True,
            )
        return opened

    def letter_document(self) -> QTextDocument:
        """The note laid out as a letter: sender, date, recipient, subject, text."""
        account = get_mail_account(self._context.db)
        text = letter_text(
            self.current_record(),
            account.display_name if account is not None else "",
            "",
            self._context.now(),
        )
        document = QTextDocument(self)
        document.setDefaultFont(QFont("serif", 11))
        document.setPlainText(text)
        return document

    def save_pdf(self, path: Path) -> None:
        """Write the letter as an A4 PDF to ``path``."""
        self.save_edits()
        writer = QPdfWriter(str(path))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageMargins(QMarginsF(25, 25, 25, 25), QPageLayout.Unit.Millimeter)
        writer.setTitle(self.subject.text())
        writer.setCreator("Afterword")
        self.letter_document().print_(writer)
        self._letter_done(f"The letter was saved as {html_text(str(path))}.")

    def choose_pdf_file(self) -> QFileDialog:
        suggested = Path.home() / f"Letter to {self.to_name.text() or 'recipient'}.pdf"
        dialog = QFileDialog(self, "Save the letter as PDF", str(suggested), "PDF (*.pdf)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.fileSelected.connect(lambda name: self.save_pdf(Path(name)))
        dialog.open()
        return dialog

    def print_letter(self) -> QPrintDialog:
        self.save_edits()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        dialog = QPrintDialog(printer, self)

        def print_it() -> None:
            self.letter_document().print_(printer)
            self._letter_done("The letter went to the printer.")

        dialog.accepted.connect(print_it)
        dialog.open()
        return dialog

    def _letter_done(self, what: str) -> None:
        self._set_notice(f"{what} Once you've posted it, click <b>Mark as sent by post</b>.")

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
        if not self.save_edits():
            return
        try:
            record = mark(self._context.db, self.record.id, self._context.now())
        except OutboxError as exc:
            self.reload(force=True)
            self._set_notice(html_text(exc.user_message), problem=True)
            return
        self._load(record)
        self._set_notice(f"{what} It can no longer be changed.")
        self._context.notify(*SENT_CHANGES)
        self.state_changed.emit()

    def tab_title(self) -> str:
        name = self.record.to_name or self.record.to_address or "New message"
        suffix = {
            MessageStatus.SENT: " · sent",
            MessageStatus.FAILED: " · not sent",
            MessageStatus.UNKNOWN: " · may have arrived",
        }.get(self.record.status, "")
        if self._sending_anywhere():
            suffix = " · sending…"
        return name + suffix


class ComposerDialog(QDialog):
    """The composer window: one :class:`DraftEditor` tab per message."""

    closed = Signal()

    def __init__(
        self,
        context: AppContext,
        message_ids: Sequence[int],
        *,
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._closed = False
        self.setWindowTitle(title)
        self.setModal(False)
        self.setSizeGripEnabled(True)
        self.resize(QSize(1000, 760))

        heading = QLabel(title, self)
        heading.setFont(scaled_font(heading, HEADING_SCALE))
        intro = QLabel(
            "Each note goes to one person. Read it through, make it yours, then click Send.",
            self,
        )
        intro.setWordWrap(True)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.editors: list[DraftEditor] = []
        for message_id in message_ids:
            editor = DraftEditor(context, get_message(context.db, message_id), self.tabs)
            editor.edited.connect(self.recheck)
            editor.state_changed.connect(self._update_tabs)
            editor.state_changed.connect(self._after_state_change)
            self.editors.append(editor)
            self.tabs.addTab(editor, editor.tab_title())
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        # Enter in the subject or a name must never send (or close): no button is a default.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(close)
        context.signals.changed.connect(self._on_changed)
        self.recheck()
        self._update_tabs()

    def message_ids(self) -> list[int]:
        return [editor.record.id for editor in self.editors]

    def editor_for(self, message_id: int) -> DraftEditor:
        for editor in self.editors:
            if editor.record.id == message_id:
                return editor
        raise KeyError(message_id)

    def select_message(self, message_id: int) -> None:
        self.tabs.setCurrentWidget(self.editor_for(message_id))

    def recheck(self) -> None:
        """Re-run every tab's check: one note's text decides whether another is "the same"."""
        live = {editor.record.id: editor.current_record() for editor in self.editors}
        for editor in self.editors:
            editor.recheck(live)
        self._update_tabs()

    def _after_state_change(self) -> None:
        if self._closed:
            self._release_when_idle()

    def _update_tabs(self) -> None:
        for index, editor in enumerate(self.editors):
            self.tabs.setTabText(index, editor.tab_title())
            sent = editor.record.status is MessageStatus.SENT
            self.tabs.setTabIcon(index, icon("done") if sent else icon("mail"))

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if MESSAGES in kinds and self.isVisible():
            for editor in self.editors:
                if not editor.is_busy():
                    editor.reload()
            self.recheck()

    def done(self, result: int) -> None:
        # Closing saves every tab; a tab whose edits can't be saved keeps the window open.
        for editor in self.editors:
            if editor.is_editable() and not editor.save_edits():
                self.tabs.setCurrentWidget(editor)
                editor.discard_button.show()
                return
        super().done(result)
        self._closed = True
        self.closed.emit()
        self._release_when_idle()

    def _release_when_idle(self) -> None:
        # A closed window is deleted once no send of its own is still running:
        # that send reports back to its widgets.
        if self.isHidden() and not any(editor.is_busy() for editor in self.editors):
            self.deleteLater()
