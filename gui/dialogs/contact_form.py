"""The form that creates or edits a contact, with their stay-in-touch cadence."""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from functools import partial

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from afterword.core.contacts import (
    MAX_CADENCE_DAYS,
    create_contact,
    get_contact,
    update_contact,
    validate_contact,
)
from afterword.core.errors import EditConflictError, ValidationError
from afterword.core.storage.records import ContactFields, ContactRecord
from afterword.core.storage.validation import (
    email_address,
    long_text,
    positive_int,
    required_text,
    single_line,
    web_url,
)
from afterword.gui.context import AppContext
from afterword.gui.dialogs.edit_conflict import offer_reload
from afterword.gui.forms import FormDialog, TextBox, fill_combo, form_layout, select_data
from afterword.gui.models.contacts_model import CADENCE_PRESETS, CUSTOM_CADENCE

logger = logging.getLogger(__name__)

DEFAULT_CUSTOM_DAYS = 60


def open_profile(url: str) -> bool:
    """Open a LinkedIn (or any web) profile in the browser; False if it is not a web address."""
    try:
        address = web_url("linkedin_url", url)
    except ValidationError:
        return False
    if not address:
        return False
    return QDesktopServices.openUrl(QUrl(address))


class ContactForm(FormDialog):
    """New contact (``record`` None) or edit one."""

    def __init__(
        self,
        context: AppContext,
        record: ContactRecord | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, f"“{record.name}”" if record else "the new contact", parent)
        self.setWindowTitle("Edit contact" if record else "New contact")
        self.record = record
        self.resize(600, 460)

        self.name = QLineEdit()
        self.email = QLineEdit()
        self.email.setPlaceholderText("name@example.com")
        self.phone = QLineEdit()
        self.title = QLineEdit()
        self.title.setPlaceholderText("e.g. Head of Engineering")
        self.company = QLineEdit()
        self.linkedin = QLineEdit()
        self.linkedin.setPlaceholderText("https://www.linkedin.com/in/…")
        self.open_linkedin = QPushButton("Open")
        self.open_linkedin.setAccessibleName("Open the LinkedIn profile in the browser")
        self.open_linkedin.setToolTip("Open the profile in your web browser")
        self.open_linkedin.clicked.connect(lambda: open_profile(self.linkedin.text()))
        self.linkedin.textChanged.connect(self._update_open_button)
        linkedin_row = QWidget()
        row = QHBoxLayout(linkedin_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.linkedin, 1)
        row.addWidget(self.open_linkedin)
        self.notes = TextBox("Notes", 4)
        self.cadence = QComboBox()
        fill_combo(self.cadence, CADENCE_PRESETS)
        self.cadence.addItem(CUSTOM_CADENCE, "custom")
        self.cadence.setAccessibleName("Stay in touch")
        self.custom_days = QSpinBox()
        self.custom_days.setRange(1, MAX_CADENCE_DAYS)
        self.custom_days.setValue(DEFAULT_CUSTOM_DAYS)
        self.custom_days.setPrefix("every ")
        self.custom_days.setSuffix(" days")
        self.custom_days.setAccessibleName("Stay in touch every so many days")
        self.cadence.currentIndexChanged.connect(self._update_custom)
        cadence_row = QWidget()
        cadence_layout = QHBoxLayout(cadence_row)
        cadence_layout.setContentsMargins(0, 0, 0, 0)
        cadence_layout.addWidget(self.cadence, 1)
        cadence_layout.addWidget(self.custom_days, 1)

        self.form = form_layout()
        self.body.addLayout(self.form)
        self.body.addStretch(1)
        add = self.validator.add_row
        add(
            self.form, "name", "&Name", self.name,
            lambda: required_text("name", self.name.text()),
        )  # fmt: skip
        add(
            self.form, "email", "&Email", self.email,
            lambda: email_address("email", self.email.text()),
        )  # fmt: skip
        add(self.form, "phone", "&Phone", self.phone, self._check_phone)
        add(
            self.form, "title", "&Title", self.title,
            lambda: single_line("title", self.title.text()),
        )  # fmt: skip
        add(
            self.form, "company", "&Company", self.company,
            lambda: single_line("company", self.company.text()),
        )  # fmt: skip
        add(
            self.form, "linkedin_url", "&LinkedIn profile", self.linkedin,
            lambda: web_url("linkedin_url", self.linkedin.text()), placed=linkedin_row,
        )  # fmt: skip
        add(
            self.form, "notes", "N&otes", self.notes,
            lambda: long_text("notes", self.notes.text()),
        )  # fmt: skip
        add(
            self.form, "cadence_days", "&Stay in touch", self.cadence,
            self._check_cadence, placed=cadence_row,
        )  # fmt: skip
        self.custom_days.valueChanged.connect(self.validator.revalidate)
        self.validator.add_rule(lambda: validate_contact(self.values()))

        if record is not None:
            self._load(record)
        self._update_custom()
        self._update_open_button()
        self.ready()

    def _load(self, record: ContactRecord) -> None:
        with self.validator.suspend():
            self.name.setText(record.name)
            self.email.setText(record.email)
            self.phone.setText(record.phone)
            self.title.setText(record.title)
            self.company.setText(record.company)
            self.linkedin.setText(record.linkedin_url)
            self.notes.setPlainText(record.notes)
            if record.cadence_days in CADENCE_PRESETS:
                select_data(self.cadence, record.cadence_days)
            else:
                select_data(self.cadence, "custom")
                self.custom_days.setValue(record.cadence_days or DEFAULT_CUSTOM_DAYS)

    def _update_custom(self) -> None:
        self.custom_days.setVisible(self.cadence.currentData() == "custom")

    def _update_open_button(self) -> None:
        try:
            usable = bool(web_url("linkedin_url", self.linkedin.text()))
        except ValidationError:
            usable = False
        self.open_linkedin.setEnabled(usable)

    def cadence_days(self) -> int | None:
        choice = self.cadence.currentData()
        if choice == "custom":
            return self.custom_days.value()
        return int(choice) if choice is not None else None

    def _check_cadence(self) -> None:
        days = self.cadence_days()
        if days is not None:
            positive_int("cadence_days", days, maximum=MAX_CADENCE_DAYS)

    def _check_phone(self) -> None:
        # The core's phone rule lives in validate_contact: run it on the phone alone.
        validate_contact(ContactFields(name="-", phone=self.phone.text()))

    def values(self) -> ContactFields:
        return ContactFields(
            name=self.name.text(),
            email=self.email.text(),
            phone=self.phone.text(),
            title=self.title.text(),
            company=self.company.text(),
            linkedin_url=self.linkedin.text(),
            notes=self.notes.text(),
            cadence_days=self.cadence_days(),
        )

    def snapshot(self) -> Hashable:
        return self.values()

    def core_write(self) -> Callable[[], ContactRecord]:
        if self.record is None:
            return partial(create_contact, self.context.db, self.values(), now=self.context.now())
        return partial(
            update_contact,
            self.context.db,
            self.record.id,
            self.values(),
            expected_version=self.record.version,
        )

    def offer_reload(self, error: EditConflictError) -> bool:
        offer_reload(self, error, get_contact, ContactFields)
        return True
