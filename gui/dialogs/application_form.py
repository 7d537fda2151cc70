"""The form that creates or edits an application (company, role, why I'm interested...)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from functools import partial

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from afterword.core.applications import (
    create_application,
    get_application,
    update_application,
    validate_application,
)
from afterword.core.errors import EditConflictError
from afterword.core.storage.records import ApplicationFields, ApplicationRecord
from afterword.core.storage.validation import long_text, required_text, web_url
from afterword.core.storage.values import ApplicationStatus
from afterword.gui.context import AppContext
from afterword.gui.dialogs.edit_conflict import offer_reload
from afterword.gui.forms import FormDialog, TextBox, fill_combo, form_layout, select_data
from afterword.gui.models.applications_model import STATUS_LABELS
from afterword.gui.widgets.date_fields import OptionalDateEdit

logger = logging.getLogger(__name__)


class ApplicationForm(FormDialog):
    """New application (``record`` None) or edit one."""

    def __init__(
        self,
        context: AppContext,
        record: ApplicationRecord | None = None,
        parent: QWidget | None = None,
    ) -> None:
        what = f"“{record.role} at {record.company}”" if record else "the new application"
        super().__init__(context, what, parent)
        self.setWindowTitle("Edit application" if record else "New application")
        self.record = record
        self.resize(620, 560)

        self.company = QLineEdit()
        self.role = QLineEdit()
        self.posting_url = QLineEdit()
        self.posting_url.setPlaceholderText("https://…")
        self.status = QComboBox()
        fill_combo(self.status, STATUS_LABELS)
        self.why_interested = TextBox("Why I’m interested")
        self.why_interested.setPlaceholderText(
            "A sentence for your notes: “I want to build tools that …” or "
            "“Your team ships weekly, and I …”"
        )
        self.next_steps = TextBox("Next steps", 2)
        today = context.now().date()
        self.decision_expected = OptionalDateEdit("Decision expected by", today)
        self.still_interested = QCheckBox("Still interested in this company")
        self.still_interested.setChecked(True)
        self.notes = TextBox("Notes", 3)

        self.form = form_layout()
        self.body.addLayout(self.form)
        add = self.validator.add_row
        add(
            self.form, "company", "&Company", self.company,
            lambda: required_text("company", self.company.text()),
        )  # fmt: skip
        add(
            self.form, "role", "&Role", self.role,
            lambda: required_text("role", self.role.text()),
        )  # fmt: skip
        add(
            self.form, "posting_url", "&Job posting", self.posting_url,
            lambda: web_url("posting_url", self.posting_url.text()),
        )  # fmt: skip
        add(self.form, "status", "S&tatus", self.status)
        add(
            self.form, "why_interested", "&Why I’m interested", self.why_interested,
            lambda: long_text("why_interested", self.why_interested.text()),
        )  # fmt: skip
        add(
            self.form, "next_steps", "&Next steps", self.next_steps,
            lambda: long_text("next_steps", self.next_steps.text()),
        )  # fmt: skip
        add(self.form, "decision_expected", "&Decision expected by", self.decision_expected)
        add(self.form, "still_interested", "", self.still_interested)
        add(
            self.form, "notes", "N&otes", self.notes,
            lambda: long_text("notes", self.notes.text()),
        )  # fmt: skip
        self.validator.add_rule(lambda: validate_application(self.values()))

        if record is not None:
            self._load(record)
        self.ready()

    def _load(self, record: ApplicationRecord) -> None:
        with self.validator.suspend():
            self.company.setText(record.company)
            self.role.setText(record.role)
            self.posting_url.setText(record.posting_url)
            select_data(self.status, record.status)
            self.why_interested.setPlainText(record.why_interested)
            self.next_steps.setPlainText(record.next_steps)
            self.decision_expected.set_value(record.decision_expected)
            self.still_interested.setChecked(record.still_interested)
            self.notes.setPlainText(record.notes)

    def values(self) -> ApplicationFields:
        """What the form holds now, as the core's fields (not yet cleaned)."""
        return ApplicationFields(
            company=self.company.text(),
            role=self.role.text(),
            posting_url=self.posting_url.text(),
            status=ApplicationStatus(self.status.currentData()),
            why_interested=self.why_interested.text(),
            next_steps=self.next_steps.text(),
            decision_expected=self.decision_expected.value(),
            still_interested=self.still_interested.isChecked(),
            notes=self.notes.text(),
        )

    def snapshot(self) -> Hashable:
        return self.values()

    def core_write(self) -> Callable[[], ApplicationRecord]:
        db, values, now = self.context.db, self.values(), self.context.now()
        if self.record is None:
            return partial(create_application, db, values, now=now)
        return partial(
            update_application,
            db,
            self.record.id,
            values,
            now=now,
            expected_version=self.record.version,
        )

    def offer_reload(self, error: EditConflictError) -> bool:
        offer_reload(self, error, get_application, ApplicationFields)
        return True
