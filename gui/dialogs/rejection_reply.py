"""Before the reply to a rejection is drafted: whom it goes to, and what it asks for.

The person who told you the news is offered first (marked in the interview
form), then the recruiter, the hiring manager... (see
:func:`afterword.core.people.rejection_reply_choices`). The requests ticked
here go to :func:`afterword.core.mail.drafts.prepare_draft` as ``requests``,
each its own paragraph; "still interested" can only be ticked while the
application says so. A reply already drafted and edited opens as it was left.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from afterword.core.checklist.items import ChecklistItem
from afterword.core.item_drafts import reply_draft, reply_setup
from afterword.core.mail.composing import ComposerDraft
from afterword.core.people import ROLE_WORDS, ReplyChoices
from afterword.core.storage.values import ParticipantRole
from afterword.gui.context import AppContext
from afterword.gui.operations import show_failure

logger = logging.getLogger(__name__)

REQUEST_LABELS = {
    "feedback": "Ask why, politely: feedback helps the next interview",
    "still_interested": "Say I am still interested in working there",
    "referral": "Ask whether they would refer me to other openings",
    "stay_in_touch": "Ask to stay in touch",
}
NO_LONGER_INTERESTED = "The application says you are no longer interested."


def person_label(name: str, role: ParticipantRole, delivered: bool) -> str:
    """ "Ana Ruiz, recruiter (told you the news)"."""
    label = f"{name}, {ROLE_WORDS[ParticipantRole(role)].lower()}"
    return f"{label} (told you the news)" if delivered else label


class RejectionReplyDialog(QDialog):
    """Choose the recipient and the requests, then open the reply in the composer."""

    def __init__(
        self,
        context: AppContext,
        item: ChecklistItem,
        parent: QWidget | None = None,
        *,
        on_opened: Callable[[object], object] | None = None,
    ) -> None:
        super().__init__(parent)
        assert item.application_id is not None
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("Reply to the rejection")
        self.setMinimumWidth(440)
        self.context = context
        self.item = item
        self.application_id = item.application_id
        self.choices: ReplyChoices | None = None
        self._on_opened = on_opened

        self.intro = QLabel("Loading…")
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.recipient = QComboBox()
        self.recipient.setAccessibleName("Reply to")
        self.boxes = {key: QCheckBox(label) for key, label in REQUEST_LABELS.items()}
        for box in self.boxes.values():
            box.setChecked(True)
            box.toggled.connect(self._update)
        self.interest_note = QLabel(NO_LONGER_INTERESTED)
        self.interest_note.hide()
        self.recipient.currentIndexChanged.connect(lambda _index: self._update())
        # The checks shape a new reply, or one not edited yet (it is written again);
        # one the person edited opens as it was left.
        self.drafted_note = QLabel()
        self.drafted_note.setWordWrap(True)
        self.drafted_note.setTextFormat(Qt.TextFormat.PlainText)
        self.drafted_note.hide()
        self.hint = QLabel()
        self.hint.setAccessibleName("What is missing")
        self.buttons = QDialogButtonBox()
        self.write_button = self.buttons.addButton(
            "Write the reply", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.write_button.setDefault(True)
        self.write_button.setEnabled(False)  # until the people are there
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.write)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("&To:", self.recipient)
        asks = QVBoxLayout()
        for box in self.boxes.values():
            asks.addWidget(box)
        asks.addWidget(self.interest_note)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(QLabel("Ask for, each in its own paragraph:"))
        layout.addLayout(asks)
        layout.addWidget(self.drafted_note)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        context.ops.read(
            None,
            reply_setup,
            context.db,
            self.application_id,
            context.now(),
            on_success=self._show,
        )

    def _show(self, loaded: tuple[ReplyChoices, frozenset[str]]) -> None:
        if not shiboken6.isValid(self):
            return
        choices, still_to_ask = loaded
        self.choices = choices
        # What an earlier reply asked for (or the person dismissed) starts unticked.
        for key, box in self.boxes.items():
            box.setChecked(key in still_to_ask)
        self.intro.setText(
            f"{choices.company} said no. A short, friendly reply keeps the door open."
        )
        self.recipient.clear()
        for person in choices.people:
            self.recipient.addItem(
                person_label(person.name, person.role, person.delivered_outcome),
                (person.contact_id, person.interview_id),
            )
        if not choices.people:
            self.recipient.addItem("Nobody recorded: you fill in the address", (None, None))
        interested = self.boxes["still_interested"]
        interested.setEnabled(choices.still_interested)
        interested.setChecked(choices.still_interested and "still_interested" in still_to_ask)
        self.interest_note.setVisible(not choices.still_interested)
        self._update()

    def requests(self) -> frozenset[str]:
        return frozenset(key for key, box in self.boxes.items() if box.isChecked())

    def _update(self) -> None:
        contact_id, _interview_id = self.recipient.currentData() or (None, None)
        drafted = self.choices is not None and contact_id in self.choices.drafted
        self.drafted_note.setText(
            f"Your reply to {self.recipient.currentText().split(',')[0]} is already in the "
            "Outbox: it opens as you left it."
            if drafted
            else ""
        )
        self.drafted_note.setVisible(drafted)
        for key, box in self.boxes.items():
            box.setEnabled(
                not drafted
                and (
                    key != "still_interested"
                    or bool(self.choices and self.choices.still_interested)
                )
            )
        asked = drafted or bool(self.requests())
        self.hint.setText("" if asked else "Tick at least one thing to ask for.")
        self.write_button.setEnabled(asked and self.choices is not None)

    def write(self) -> None:
        from afterword.gui.mail_flow import for_composer

        contact_id, interview_id = self.recipient.currentData() or (None, None)
        self.write_button.setEnabled(False)
        self.context.ops.write(
            for_composer(reply_draft),
            self.context.db,
            application_id=self.application_id,
            contact_id=contact_id,
            interview_id=interview_id,
            requests=self.requests(),
            now=self.context.now(),
            initiator=self,
            on_success=self._written,
            on_failure=self._failed,
        )

    def _written(self, draft: ComposerDraft) -> None:
        from afterword.gui.mail_flow import open_message_composer

        composer = open_message_composer(
            self.context, draft, self.parentWidget(), title=self.item.title
        )
        if self._on_opened is not None:
            self._on_opened(composer)
        if shiboken6.isValid(self):
            self.accept()

    def _failed(self, error: BaseException) -> None:
        if shiboken6.isValid(self):
            self.write_button.setEnabled(True)
        show_failure(error, "The reply could not be prepared")
