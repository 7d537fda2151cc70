"""The widgets of one message in the composer and how they are laid out.

:class:`DraftWidgets` only builds; :class:`afterword.gui.dialogs.composer.editor.DraftEditor`
gives the widgets their behaviour.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from afterword.gui.dialogs.composer.panels import Panel, PasswordPrompt
from afterword.gui.icons import icon
from afterword.gui.theme import menu_button_text


class DraftWidgets(QWidget):
    """The fields, panels and buttons of one message, laid out (no behaviour)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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

        self.blockers = Panel("Why Send is unavailable", self)
        self.warnings = Panel("Suggestions for this note", self)
        self.start_over_button = self.warnings.add_button(QPushButton("Start over…", self))
        self.start_over_button.setAccessibleName("Start over")
        self.start_over_button.setToolTip(
            "Write this note afresh from today's facts. What you changed in it is replaced."
        )
        self.banner = Panel("Sending status", self)
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
        menu_button_text(self.letter_button, "Print / Save as PDF")
        self.letter_button.setIcon(icon("print"))
        self.letter_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.letter_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.letter_button)
        self.print_action = menu.addAction("Print…")
        self.pdf_action = menu.addAction("Save as PDF…")
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
