"""Logging a touchpoint: the user reached out to a contact, and how.

Touchpoints are what the stay-in-touch reminders count from, and what marks
a thank-you or a follow-up as sent when it went out some other way than
through Afterword (a letter, a call, a LinkedIn message).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QLabel, QWidget

from afterword.core.storage.records import ContactRecord, TouchpointFields, TouchpointRecord
from afterword.core.storage.validation import long_text
from afterword.core.storage.values import Purpose, ReferralOutcome, TouchpointKind
from afterword.core.touchpoints import KIND_WORDS, log_touchpoint, validate_touchpoint
from afterword.gui.context import AppContext
from afterword.gui.forms import FormDialog, TextBox, fill_combo, form_layout
from afterword.gui.widgets.date_fields import aware, utc_wall_edit, wall_clock

logger = logging.getLogger(__name__)

REFERRAL_LABELS = {
    ReferralOutcome.ASKED: "Asked, waiting to hear",
    ReferralOutcome.REFERRED: "They referred me",
    ReferralOutcome.DECLINED: "They could not",
    ReferralOutcome.INTERVIEW: "It led to an interview",
}
PURPOSE_LABELS = {
    Purpose.CHECK_IN: "Staying in touch",
    Purpose.THANK_YOU: "Thank-you after an interview",
    Purpose.STATUS_FOLLOW_UP: "Asking about the decision",
    Purpose.REJECTION_REPLY: "Reply to a rejection",
    Purpose.OTHER: "Something else",
}


class TouchpointDialog(FormDialog):
    """Log one touchpoint with ``contact`` (by default: an email, just now, to stay in touch)."""

    def __init__(
        self, context: AppContext, contact: ContactRecord, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, f"the touchpoint with {contact.name}", parent)
        self.setWindowTitle(f"Log a touchpoint with {contact.name}")
        self.contact = contact
        self.resize(520, 330)
        now = context.now()

        intro = QLabel(f"When did you reach out to {contact.name}, and how?")
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.body.addWidget(intro)
        self.kind = QComboBox()
        fill_combo(self.kind, KIND_WORDS)
        self.occurred = QDateTimeEdit()
        self.occurred.setCalendarPopup(True)
        self.occurred.setDisplayFormat("ddd d MMM yyyy  HH:mm")
        utc_wall_edit(self.occurred)
        self.occurred.setDateTime(wall_clock(now, now.tzinfo))
        self.purpose = QComboBox()
        fill_combo(self.purpose, PURPOSE_LABELS)
        # A referral's outcome: shown for referrals only.
        self.referral = QComboBox()
        fill_combo(self.referral, REFERRAL_LABELS)
        self.note = TextBox("Note", 4)
        self.note.setPlaceholderText("What it was about (optional)")

        form = form_layout()
        self.body.addLayout(form)
        self.body.addStretch(1)
        add = self.validator.add_row
        add(form, "kind", "&How", self.kind)
        add(form, "occurred_at", "&When", self.occurred)
        add(form, "purpose", "&About", self.purpose)
        add(form, "referral_outcome", "&Outcome", self.referral)
        self._form = form
        self.kind.currentIndexChanged.connect(self._show_referral)
        self._show_referral()
        add(form, "note", "&Note", self.note, lambda: long_text("note", self.note.text()))
        self.validator.add_rule(lambda: validate_touchpoint(self.values(), now=self.context.now()))
        self.ready()

    def _show_referral(self) -> None:
        referral = self.kind.currentData() == TouchpointKind.REFERRAL
        self._form.setRowVisible(self.referral.parentWidget(), referral)

    def values(self) -> TouchpointFields:
        kind = TouchpointKind(self.kind.currentData())
        return TouchpointFields(
            contact_id=self.contact.id,
            kind=kind,
            referral_outcome=(
                ReferralOutcome(self.referral.currentData())
                if kind is TouchpointKind.REFERRAL
                else None
            ),
            occurred_at=aware(self.occurred.dateTime(), self.context.now().tzinfo),
            purpose=Purpose(self.purpose.currentData()),
            note=self.note.text(),
        )

    def snapshot(self) -> Hashable:
        return self.values()

    def core_write(self) -> Callable[[], TouchpointRecord]:
        return partial(log_touchpoint, self.context.db, self.values(), now=self.context.now())
