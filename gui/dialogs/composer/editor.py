"""One message in the composer: its fields, saving them, the personal-note check, and
what the tab shows about the message's state.

Sending and the other ways of sending live in :mod:`.sending` (a
:class:`~afterword.gui.dialogs.composer.sending.SendFlow` per editor); the
letter in :mod:`.printing`. Edits are saved through ``context.ops`` after a
pause in typing, and at once before sending, printing or closing
(:meth:`DraftEditor.save_edits` calls back when the text is stored). A note
that no longer fits the facts (a stale "today", written before a no) says so
among the suggestions, with Start over to write it afresh.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

import shiboken6
from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import (
    QFileDialog,
    QMessageBox,
    QPushButton,
    QWidget,
)

from afterword.core.errors import NotFoundError, ValidationError
from afterword.core.item_drafts import draft_written_again
from afterword.core.mail.composing import ComposerDraft, composer_draft
from afterword.core.mail.draft_checks import DraftCheck, check_draft
from afterword.core.mail.drafts import EDITABLE_STATUSES, update_draft
from afterword.core.mail.transport import DEFAULT_TIMEOUT
from afterword.core.storage.records import MessageRecord
from afterword.core.storage.values import MessageStatus
from afterword.gui.context import AppContext
from afterword.gui.dialogs.composer import printing
from afterword.gui.dialogs.composer.highlights import (
    highlight_placeholders,
    highlighted_placeholders,
)
from afterword.gui.dialogs.composer.panels import ask_to_start_over, warning_color
from afterword.gui.dialogs.composer.sending import SendFlow
from afterword.gui.dialogs.composer.widgets import DraftWidgets
from afterword.gui.forms import error_color
from afterword.gui.mail_flow import html_text, is_sending, when_text
from afterword.gui.operations import show_failure

logger = logging.getLogger(__name__)

# Typing pauses this long before the draft is saved (it is saved at once before
# sending, printing or closing).
SAVE_DELAY_MS = 700
# Called once the edits are stored (True) or could not be (False, reason shown).
AfterSave = Callable[[bool], object]


class DraftEditor(DraftWidgets):
    """One message: its fields, the personal-note check, and Send and its alternatives."""

    edited = Signal()  # the text changed: the composer re-runs every tab's check
    state_changed = Signal()  # sent, failed, being sent...: the tab's title changes

    def __init__(
        self, context: AppContext, draft: ComposerDraft, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self.record = record = draft.record
        self.send_timeout = DEFAULT_TIMEOUT
        self.check = DraftCheck((), (), ())
        self._dirty = False
        self._edits = 0  # edits made so far: a save knows whether more came meanwhile
        self._saving = False
        self._after_save: list[AfterSave] = []
        self._save_problem = ""
        # What the last action has to say (HTML), shown until the message's state changes.
        self._notice = ""
        self._notice_is_problem = False
        self._draft_context = draft.context
        self._sender = draft.sender  # the sender's name on a printed letter
        self._reload_forced = False
        self._after_reload: list[Callable[[], object]] = []
        self._live: Mapping[int, MessageRecord] = {}
        self.sending = SendFlow(context, self)

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_edits)

        self.show_record(record)
        for signal in (
            self.to_name.textChanged,
            self.to_address.textChanged,
            self.subject.textChanged,
            self.body.textChanged,
            self.bcc_self.toggled,
        ):
            signal.connect(self._on_edit)
        self.discard_button.clicked.connect(self.discard_changes)
        self.start_over_button.clicked.connect(self.ask_to_start_over)
        self.print_action.triggered.connect(self.print_letter)
        self.pdf_action.triggered.connect(self.choose_pdf_file)

    # -- the text ------------------------------------------------------------------------------

    def show_record(self, record: MessageRecord) -> None:
        """Show ``record`` as stored (what was typed and not saved is replaced)."""
        if record.status is not self.record.status:
            self.set_notice("")
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
        self.apply_state()

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
        """Whether this tab is sending its message, or saving its text, right now."""
        return self.sending.busy or self._saving

    def sending_anywhere(self) -> bool:
        """Whether this tab, or another window of this app, is sending the message."""
        return self.sending.busy or is_sending(self._context, self.record.id)

    def is_editable(self) -> bool:
        return self.record.status in EDITABLE_STATUSES and not self.sending_anywhere()

    def _on_edit(self) -> None:
        self._dirty = True
        self._edits += 1
        self._save_timer.start()
        self.edited.emit()

    def save_edits(self, then: AfterSave | None = None) -> None:
        """Save what was typed (off the GUI thread); ``then(saved)`` once it is settled.

        A problem is shown in the tab. With nothing to save, ``then(True)`` runs at once.
        """
        self._save_timer.stop()
        if then is not None:
            self._after_save.append(then)
        if self._saving:
            return  # the running save calls back, after saving what was typed meanwhile
        if not self._dirty:
            self._settle_save(True)
            return
        self._saving = True
        edits = self._edits
        current = self.current_record()
        self._context.ops.write(
            update_draft,
            self._context.db,
            self.record.id,
            to_name=current.to_name,
            to_address=current.to_address,
            subject=current.subject,
            body=current.body,
            bcc_self=current.bcc_self,
            now=self._context.now(),
            initiator=self,
            on_success=lambda saved: self._saved(saved, edits),
            on_failure=self._save_failed,
        )

    def _saved(self, saved: MessageRecord, edits: int) -> None:
        self._saving = False
        self.record = saved
        self._dirty = self._edits != edits
        self._save_problem = ""
        self.apply_state()
        if self._dirty and self._after_save:
            self.save_edits()  # what was typed while saving, before anyone goes on
        else:
            self._settle_save(True)

    def _save_failed(self, error: BaseException) -> None:
        self._saving = False
        if isinstance(error, ValidationError):
            logger.info("Draft %s not saved: %s", self.record.id, error.field)
            if error.field == "message":
                # Sent, or being sent, from elsewhere meanwhile: show that, not the edit.
                problem = html_text(error.problem)
                self.reload(force=True, then=lambda: self.set_notice(problem, problem=True))
            else:
                self._save_problem = error.problem
                self.apply_state()
        elif isinstance(error, NotFoundError):
            self.set_notice(html_text(str(error)), problem=True)
        else:
            show_failure(error, "Your note could not be saved")
        self._settle_save(False)

    def _settle_save(self, saved: bool) -> None:
        waiting, self._after_save = self._after_save, []
        for then in waiting:
            then(saved)

    def discard_changes(self) -> None:
        # The text as last stored at once, then as stored now (another window may have saved).
        self.show_record(self.record)
        self.edited.emit()  # the stored text gets its own check and highlights
        self.reload(force=True)

    def ask_to_start_over(self) -> QMessageBox:
        """Ask before the note is written afresh (opened without blocking)."""
        who = self.record.to_name or self.record.to_address or "this person"
        return ask_to_start_over(self, who, self.start_over)

    def start_over(self) -> None:
        """Replace the note with one written afresh from today's facts (what was typed goes)."""

        def rewrite(saved: bool) -> None:
            if not saved or self._saving:
                return  # the problem is shown; or a close is saving meanwhile
            self._saving = True
            self._context.ops.write(
                draft_written_again,
                self._context.db,
                self.record.id,
                now=self._context.now(),
                initiator=self,
                on_success=self._started_over,
                on_failure=self._start_over_failed,
            )

        # Saved first, so no edit still on its way lands on top of the fresh note.
        self.save_edits(then=rewrite)

    def _started_over(self, record: MessageRecord) -> None:
        self._saving = False
        self.show_record(record)
        self.edited.emit()  # the fresh text gets its own check
        self._settle_save(True)

    def _start_over_failed(self, error: BaseException) -> None:
        self._saving = False
        if isinstance(error, ValidationError):
            # Sent meanwhile: show the message as it is now, and why.
            why = html_text(error.problem)
            self.reload(force=True, then=lambda: self.set_notice(why, problem=True))
        elif isinstance(error, NotFoundError):
            self.reload(force=True)  # deleted meanwhile: the tab says so
        else:
            show_failure(error, "The note could not be started over")
        self._settle_save(True)

    def reload(self, *, force: bool = False, then: Callable[[], object] | None = None) -> None:
        """Read the message as stored off the GUI thread, then show it (:meth:`show_stored`);
        ``then()`` runs after that."""

        # A newer reload drops the running one's result: what each asked for is kept here.
        self._reload_forced |= force
        if then is not None:
            self._after_reload.append(then)

        def loaded(draft: ComposerDraft) -> None:
            if not shiboken6.isValid(self):
                return
            forced, self._reload_forced = self._reload_forced, False
            waiting, self._after_reload = self._after_reload, []
            self._draft_context, self._sender = draft.context, draft.sender
            self.show_stored(draft.record, force=forced)
            for after in waiting:
                after()

        def failed(error: BaseException) -> None:
            if not shiboken6.isValid(self):
                return
            self._reload_forced, self._after_reload = False, []
            if not isinstance(error, NotFoundError):
                show_failure(error, "The message could not be loaded")
                return
            self.set_notice("This message was deleted.", problem=True)
            self.setEnabled(False)

        key = f"composer tab {id(self)} message {self.record.id}"
        self._context.ops.read(
            key,
            composer_draft,
            self._context.db,
            self.record.id,
            on_success=loaded,
            on_failure=failed,
        )

    def show_stored(self, stored: MessageRecord, *, force: bool = False) -> None:
        """Show ``stored``; unsaved edits stay unless ``force`` or it was sent.

        While this tab sends, the send's outcome says what the message became.
        """
        if self.sending.busy:
            return
        if force or not self._dirty or stored.status not in EDITABLE_STATUSES:
            self.show_record(stored)
        else:
            if stored.status is not self.record.status:
                self.set_notice("")
            self.record = replace(self.record, status=stored.status, error=stored.error)
            self.apply_state()
        self.state_changed.emit()
        self.edited.emit()  # the stored text gets its own check and highlights

    # -- the personal-note check ---------------------------------------------------------------

    def recheck(self, live: Mapping[int, MessageRecord] | None = None) -> DraftCheck:
        """Run the check with the other tabs' current text (``live``, by message id)."""
        if live is not None:
            self._live = live
        siblings = [self._live.get(s.id, s) for s in self._draft_context.siblings]
        current = self.current_record()
        self.check = check_draft(
            current,
            siblings,
            self._draft_context.why_interested,
            self._draft_context.conversation_notes,
            self._draft_context.earlier,
            facts=self._draft_context.facts,
            now=self._context.now(),
        )
        highlight_placeholders(self.body, self.subject)
        self.apply_state()
        return self.check

    def highlighted_placeholders(self) -> list[str]:
        """The text of every highlighted span in the body (what the person sees marked)."""
        return highlighted_placeholders(self.body)

    # -- what the tab shows --------------------------------------------------------------------

    def apply_state(self) -> None:
        """Enable, show and explain what fits the message's state and the check."""
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
            self.sending.handed_to_mail_app and self.record.status in EDITABLE_STATUSES
        )
        self.progress.setVisible(self.sending.busy)

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
        self.start_over_button.setVisible(bool(self.check.outdated) and editable)
        in_doubt = self.record.status is MessageStatus.UNKNOWN and not self.sending_anywhere()
        self.arrived_button.setVisible(in_doubt)
        self.resend_button.setVisible(in_doubt)
        self._show_banner()

    def _why_not_sendable(self) -> str:
        if self.sending_anywhere():
            return "It is being sent."
        if self.record.status not in EDITABLE_STATUSES:
            return "This message was sent, or may have been."
        return " ".join((self._save_problem, *self.check.blockers)).strip()

    def set_notice(
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
        busy = self.sending.busy
        if self._notice and (busy or not self.sending_anywhere()):
            text, problem = self._notice, self._notice_is_problem
        elif self.sending_anywhere() or record.status is MessageStatus.SENDING:
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

    def tab_title(self) -> str:
        name = self.record.to_name or self.record.to_address or "New message"
        suffix = {
            MessageStatus.SENT: " · sent",
            MessageStatus.FAILED: " · not sent",
            MessageStatus.UNKNOWN: " · may have arrived",
        }.get(self.record.status, "")
        if self.sending_anywhere():
            suffix = " · sending…"
        return name + suffix

    # -- sending and the letter (see :mod:`.sending` and :mod:`.printing`) ----------------------

    def send(self) -> None:
        """Send this message once (see :class:`.sending.SendFlow`)."""
        self.sending.send()

    def ask_to_send_again(self) -> QMessageBox:
        return self.sending.ask_to_send_again()

    def letter_document(self) -> QTextDocument:
        """The note laid out as a letter: sender, date, recipient, subject, text.

        The sender's name is the mail account's as last read (when the tab was
        prepared or reloaded), so printing reads nothing on the GUI thread.
        """
        return printing.letter_document(
            self.current_record(), self._sender, self._context.now(), self
        )

    def save_pdf(self, path: Path) -> None:
        """Write the letter as an A4 PDF to ``path``."""
        self.save_edits()
        printing.write_pdf(self.letter_document(), path, self.subject.text())
        self._letter_done(f"The letter was saved as {html_text(str(path))}.")

    def choose_pdf_file(self) -> QFileDialog:
        return printing.ask_for_pdf_file(self, self.to_name.text(), self.save_pdf)

    def print_letter(self) -> QPrintDialog:
        self.save_edits()
        return printing.ask_to_print(
            self,
            self.letter_document,
            lambda: self._letter_done("The letter went to the printer."),
        )

    def _letter_done(self, what: str) -> None:
        self.set_notice(f"{what} Once you've posted it, click <b>Mark as sent by post</b>.")
