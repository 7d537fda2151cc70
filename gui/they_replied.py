"""They replied: the checklist's one click on a follow-up, then what their answer was.

:func:`record_they_replied` records the reply (:func:`afterword.core.they_replied.record_reply`,
which ends the follow-up chain) and then asks what they said, offering the
likely new statuses as buttons, the likeliest first; the one clicked is
recorded with :func:`afterword.core.they_replied.apply_reply_status`.

The checklist view imports this module, and Today shows it before the ORM is
loaded: the core calls are imported when a reply is recorded.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from afterword.core.checklist.items import ChecklistItem, ItemKind
from afterword.core.storage.values import ApplicationStatus
from afterword.gui.context import AppContext

if TYPE_CHECKING:
    from afterword.core.storage.records import ApplicationRecord
    from afterword.core.they_replied import ReplyRecorded

logger = logging.getLogger(__name__)

# The items a reply answers.
REPLY_KINDS = frozenset({ItemKind.STATUS_FOLLOW_UP, ItemKind.GONE_QUIET})
ANSWER_LABELS = {
    ApplicationStatus.OFFER: "They made an offer",
    ApplicationStatus.REJECTED: "They said no",
    ApplicationStatus.INTERVIEWING: "They invited me to interview",
}
ANOTHER_ROUND = "Another round (still interviewing)"
NOT_YET = "Not decided yet"


def can_reply(item: ChecklistItem | None) -> bool:
    """Whether "They replied" fits ``item``: a follow-up still to do, on an application."""
    return (
        item is not None
        and item.is_actionable
        and item.kind in REPLY_KINDS
        and item.application_id is not None
    )


class AnswerDialog(QDialog):
    """ "Ana Ruiz replied about Acme. What did they say?" with the likely answers."""

    def __init__(self, context: AppContext, reply: ReplyRecorded, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("They replied")
        self.context = context
        self.reply = reply
        question = QLabel(
            f"{reply.name} replied about {reply.company}: recorded, and the follow-ups stop. "
            "What did they say?"
        )
        question.setWordWrap(True)
        question.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons: dict[ApplicationStatus | None, QPushButton] = {}
        row = QHBoxLayout()
        for status in reply.suggestions:
            same = status == reply.status
            button = QPushButton(ANOTHER_ROUND if same else ANSWER_LABELS[status])
            button.clicked.connect(lambda _c=False, s=status: self.choose(s))
            self.buttons[status] = button
            row.addWidget(button)
        self.buttons[None] = QPushButton(NOT_YET)
        self.buttons[None].clicked.connect(self.reject)
        row.addWidget(self.buttons[None])
        # The likeliest answer is the default (Enter).
        self.buttons[reply.suggestions[0]].setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addLayout(row)

    def choose(self, status: ApplicationStatus) -> None:
        if status == self.reply.status:
            self.accept()  # nothing changes
            return
        from afterword.core.they_replied import apply_reply_status

        for button in self.buttons.values():
            button.setEnabled(False)
        self.context.ops.write(
            apply_reply_status,
            self.context.db,
            self.reply.application_id,
            status,
            contact_id=self.reply.contact_id,
            now=self.context.now(),
            initiator=self,
            on_success=self._recorded,
            failure_title="Their answer could not be recorded",
        )

    def _recorded(self, _application: ApplicationRecord) -> None:
        if shiboken6.isValid(self):
            self.accept()


def record_they_replied(context: AppContext, item: ChecklistItem, parent: QWidget) -> None:
    """Record the reply to ``item``'s follow-up, then ask what they said."""
    from afterword.core.they_replied import record_reply

    assert item.application_id is not None

    def recorded(reply: ReplyRecorded) -> None:
        if shiboken6.isValid(parent):
            AnswerDialog(context, reply, parent).open()

    context.ops.write(
        record_reply,
        context.db,
        item.application_id,
        now=context.now(),
        contact_id=item.contact_id,
        initiator=parent,
        on_success=recorded,
        failure_title="The reply could not be recorded",
    )
