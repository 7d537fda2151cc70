"""The incoming-mail (IMAP) section of Settings: the copy in Sent, and noticing replies.

Empty fields mean "as the provider does it": its IMAP server (from
``resources/providers.json``) and the folder the server marks as Sent. Read
and saved (:func:`afterword.core.mail.accounts.save_imap_settings`) through
``context.ops``, off the GUI thread; the user name and password are the
sending ones. The section stays disabled until the saved account arrives, and
a reload never replaces what the person typed and has not saved.

"Notice replies" needs an IMAP server to look in: without one known (an
empty field and a provider Afterword does not know) it is refused at the
box. When the running app's watcher (:mod:`afterword.gui.replies_watch`) could
not look, its last problem is shown below the box until a look works again.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import (
    QCheckBox,
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
    check_replies_server,
    get_mail_account,
    save_imap_settings,
    validate_imap_settings,
)
from afterword.core.mail.imap import ImapSettings
from afterword.core.mail.providers import provider_for_account
from afterword.core.storage.changes import Changes, Kind
from afterword.core.storage.records import ImapFields, MailAccountRecord
from afterword.core.storage.values import MailSecurity
from afterword.gui.context import AppContext
from afterword.gui.forms import FormValidator, error_color, fill_combo, select_data
from afterword.gui.operations import show_failure
from afterword.gui.replies_watch import current_watcher, watcher_news

logger = logging.getLogger(__name__)

# The key of the saved account's reads for this section: a newer one makes a running one stale.
INCOMING_KEY = "mail-incoming"
IMAP_SECURITY_LABELS = {
    MailSecurity.SSL: "SSL/TLS (usually port 993)",
    MailSecurity.STARTTLS: "STARTTLS (usually port 143)",
}


class IncomingMailSection(QWidget):
    """Where sent messages are filed and whether replies are looked for."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._account: MailAccountRecord | None = None
        intro = QLabel(
            "After sending, Afterword files a copy in your Sent folder over IMAP (not for "
            "Gmail and Microsoft, which do that themselves). Leave the fields empty to use "
            "your provider's server and the folder it marks as Sent.",
            self,
        )
        intro.setWordWrap(True)
        self.imap_host = QLineEdit(self)
        self.imap_port = QSpinBox(self)
        self.imap_port.setRange(1, 65535)
        self.imap_port.setValue(993)
        self.imap_security = QComboBox(self)
        fill_combo(self.imap_security, IMAP_SECURITY_LABELS)
        self.sent_folder = QLineEdit(self)
        self.sent_folder.setPlaceholderText("Found automatically (the folder marked as Sent)")
        self.watch_replies = QCheckBox("Notice replies in my inbox", self)
        self.watch_replies.setAccessibleName("Notice replies")
        watch_about = QLabel(
            "Looks for answers from the companies you applied to: only the sender and subject "
            "of new messages are read while Afterword runs. A reply ends that application's "
            "follow-ups.",
            self,
        )
        watch_about.setWordWrap(True)
        # Why the last look for replies did not work (shown while replies are noticed).
        self.watch_problem = QLabel(self)
        self.watch_problem.setWordWrap(True)
        self.watch_problem.setAccessibleName("Noticing replies: last problem")
        self.watch_problem.setStyleSheet(f"color: {error_color(self.palette())};")
        self.watch_problem.hide()
        watch_column = QWidget(self)
        watch_layout = QVBoxLayout(watch_column)
        watch_layout.setContentsMargins(0, 0, 0, 0)
        watch_layout.setSpacing(2)
        watch_layout.addWidget(self.watch_replies)
        watch_layout.addWidget(watch_about)
        watch_layout.addWidget(self.watch_problem)
        self.reason = QLabel(self)
        self.reason.setWordWrap(True)
        self.reason.hide()
        self.save_button = QPushButton("Save", self)
        self.save_button.setAccessibleName("Save the incoming mail settings")
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        self.result.setAccessibleName("Incoming mail status")

        form = QFormLayout()
        self.validator = FormValidator(self.save_button, self.reason, self)
        add = self.validator.add_row
        add(form, "imap_host", "IMAP ser&ver", self.imap_host)
        add(form, "imap_port", "P&ort", self.imap_port)
        add(form, "imap_security", "Securit&y", self.imap_security)
        add(form, "sent_folder", "Sent &folder", self.sent_folder)
        add(form, "watch_replies", "", self.watch_replies, placed=watch_column)
        self.validator.add_rule(lambda: validate_imap_settings(self.values()))
        self.validator.add_rule(self._check_replies_server)
        buttons = QHBoxLayout()
        buttons.addWidget(self.result, 1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.reason)
        layout.addLayout(buttons)

        self.save_button.clicked.connect(self.save)
        # What the fields showed when last filled in or saved: typing makes them differ.
        self._shown = self.values()
        self.setEnabled(False)  # until the saved account arrives: nothing stale is saved
        context.ops.changed.connect(self._on_changed)
        watcher_news().changed.connect(self._show_watch_problem)
        self.load()

    def load(self) -> None:
        """Read the saved account off the GUI thread; :meth:`_loaded` shows it."""
        self._context.ops.read(
            INCOMING_KEY, get_mail_account, self._context.db, on_success=self._loaded
        )

    def is_dirty(self) -> bool:
        """Whether the fields hold something the person typed and has not saved."""
        return self.values() != self._shown

    def _loaded(self, account: MailAccountRecord | None) -> None:
        """Show the account's IMAP settings; edits not yet saved are never thrown away."""
        self._account = account
        if not self.is_dirty():
            with self.validator.suspend():
                if account is not None:
                    self.imap_host.setText(account.imap_host)
                    select_data(self.imap_security, MailSecurity(account.imap_security))
                    self.imap_port.setValue(account.imap_port)
                    self.sent_folder.setText(account.sent_folder)
                    self.watch_replies.setChecked(account.watch_replies)
            self.validator.mark_untouched()
            self._shown = self.values()
        provider = provider_for_account(account.email, account.smtp_host) if account else None
        self.imap_host.setPlaceholderText(
            f"Your provider's: {provider.imap_host}"
            if provider is not None
            else "imap.example.com (needed for a provider Afterword does not know)"
        )
        self.setEnabled(account is not None)
        self.validator.revalidate()  # the provider (and so its IMAP server) may differ now
        if account is None:
            self.result.setText("Save the mail account first.")
        elif ImapSettings.for_account(account) is None:
            self.result.setText("No IMAP server known yet: enter yours to file copies in Sent.")
        else:
            self.result.clear()
        self._show_watch_problem()

    def _check_replies_server(self) -> None:
        if self._account is not None:
            check_replies_server(self.values(), self._account.email, self._account.smtp_host)

    def _show_watch_problem(self) -> None:
        """The watcher's last problem, while replies are noticed (the saved choice)."""
        watcher = current_watcher()
        watching = self._account is not None and self._account.watch_replies
        problem = watcher.last_problem() if watcher is not None and watching else ""
        self.watch_problem.setText(
            f"Looking for replies did not work the last time: {problem}" if problem else ""
        )
        self.watch_problem.setVisible(bool(problem))

    def values(self) -> ImapFields:
        return ImapFields(
            imap_host=self.imap_host.text(),
            imap_port=self.imap_port.value(),
            imap_security=MailSecurity(self.imap_security.currentData()),
            sent_folder=self.sent_folder.text(),
            watch_replies=self.watch_replies.isChecked(),
        )

    def save(self) -> None:
        self.validator.revalidate()
        if not self.validator.is_valid():
            self.validator.reveal_all()
            return
        values = self.values()
        self._context.ops.write(
            save_imap_settings,
            self._context.db,
            values,
            initiator=self,
            on_success=lambda account: self._saved(values, account),
            on_failure=self._refused,
        )

    def _saved(self, values: ImapFields, account: MailAccountRecord) -> None:
        self._account = account
        self._shown = values  # what was typed after pressing Save still counts as an edit
        self.result.setText("Saved.")
        self._show_watch_problem()

    def _refused(self, error: BaseException) -> None:
        if isinstance(error, ValidationError):
            self.validator.show_problem(error)
        else:
            show_failure(error, "The incoming mail settings could not be saved")

    def _on_changed(self, changes: Changes, initiator: object) -> None:
        # The sending settings were saved (the provider may differ now), or a look
        # for replies noted its time.
        if initiator is not self and changes.touches(Kind.ACCOUNTS):
            self.load()
