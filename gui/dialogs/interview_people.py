"""The people in an interview form: one row per person, an existing contact or
someone new typed in, each with notes about the conversation.

A row registers its fields with the form's validator under the names the core
uses for them (``participants[1].email``) and renames them when a row above it
is removed, so an error stays at the field it is about.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from afterword.core.people import linkedin_search_url
from afterword.core.storage.records import ContactFields, ParticipantFields
from afterword.core.storage.validation import (
    email_address,
    long_text,
    required_text,
    single_line,
    web_url,
)
from afterword.core.storage.values import ParticipantRole
from afterword.gui.forms import TextBox, fill_combo, form_layout, select_data
from afterword.gui.icons import icon
from afterword.gui.validator import FormValidator

logger = logging.getLogger(__name__)


ROLE_LABELS = {
    ParticipantRole.INTERVIEWER: "Interviewer",
    ParticipantRole.RECRUITER: "Recruiter",
    ParticipantRole.HIRING_MANAGER: "Hiring manager",
    ParticipantRole.REFERRER: "Referrer",
    ParticipantRole.OTHER: "Other",
}


@dataclass(frozen=True)
class Person:
    """An existing contact as a participant row shows them."""

    contact_id: int
    label: str
    name: str = ""
    linkedin_url: str = ""


class ParticipantRow(QFrame):
    """One person in the interview: an existing contact or a new one typed in, plus notes."""

    remove_requested = Signal(object)

    def __init__(
        self,
        validator: FormValidator,
        index_of: Callable[[ParticipantRow], int],
        person: Person | None,
        notes: str = "",
        parent: QWidget | None = None,
        *,
        company: str = "",
        role: ParticipantRole = ParticipantRole.INTERVIEWER,
    ) -> None:
        super().__init__(parent)
        self.company = company
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.person = person
        self._validator = validator
        self._index_of = index_of
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        top = QHBoxLayout()
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        top.addWidget(self.heading, 1)
        self.remove_button = QPushButton(icon("delete"), "Remove")
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        top.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.form = form_layout()
        layout.addLayout(self.form)
        self.name: QLineEdit | None = None
        self.email: QLineEdit | None = None
        self.title: QLineEdit | None = None
        if person is None:
            self.name = QLineEdit()
            self.email = QLineEdit()
            self.email.setPlaceholderText("name@example.com")
            self.title = QLineEdit()
            self.title.setPlaceholderText("e.g. Engineering Manager")
        self.role = QComboBox()
        fill_combo(self.role, ROLE_LABELS)
        select_data(self.role, role)
        self.linkedin = QLineEdit(person.linkedin_url if person else "")
        self.linkedin.setPlaceholderText("linkedin.com/in/…")
        self.find_button = QPushButton("Find on LinkedIn")
        self.find_button.setToolTip("Search LinkedIn for this name at this company, in the browser")
        self.find_button.clicked.connect(self.find_on_linkedin)
        self.linkedin_box = QWidget()
        linkedin_row = QHBoxLayout(self.linkedin_box)
        linkedin_row.setContentsMargins(0, 0, 0, 0)
        linkedin_row.addWidget(self.linkedin, 1)
        linkedin_row.addWidget(self.find_button)
        self.notes = TextBox("Notes", 2)
        # A sentence starter: what is written here goes into the thank-you as a sentence.
        self.notes.setPlaceholderText(
            "Write it as you would in the note: “I enjoyed hearing how your team…” "
            "or “Your question about … made me think.”"
        )
        self.notes.setPlainText(notes)

    def register(self) -> None:
        """Put the fields in the form and under the validator, once the row is listed."""
        validator, prefix = self._validator, self.prefix()
        if self.name is not None and self.email is not None and self.title is not None:
            name, email, title = self.name, self.email, self.title
            validator.add_row(
                self.form, f"{prefix}name", "Name", name,
                lambda: required_text(self.field("name"), name.text()),
            )  # fmt: skip
            validator.add_row(
                self.form, f"{prefix}email", "Email", email,
                lambda: email_address(self.field("email"), email.text()),
            )  # fmt: skip
            validator.add_row(
                self.form, f"{prefix}title", "Title", title,
                lambda: single_line(self.field("title"), title.text()),
            )  # fmt: skip
        validator.add_row(self.form, f"{prefix}role", "Role", self.role)
        validator.add_row(
            self.form, f"{prefix}linkedin_url", "LinkedIn", self.linkedin,
            lambda: web_url(self.field("linkedin_url"), self.linkedin.text()),
            placed=self.linkedin_box,
        )  # fmt: skip
        validator.add_row(
            self.form, f"{prefix}notes", "Notes", self.notes,
            lambda: long_text(self.field("notes"), self.notes.text()),
        )  # fmt: skip
        self.renumber()

    def index(self) -> int:
        return self._index_of(self)

    def prefix(self) -> str:
        """The core's name for this row's fields: ``participants[1].``."""
        return f"participants[{self.index()}]."

    def field(self, name: str) -> str:
        return self.prefix() + name

    def renumber(self) -> None:
        """Headings and accessible names after the row's position changed."""
        number = self.index() + 1
        if self.person is not None:
            self.heading.setText(f"{number}. {self.person.label}")
        else:
            self.heading.setText(f"{number}. New contact")
        self.setAccessibleName(f"Person {number}")
        self.remove_button.setAccessibleName(f"Remove person {number}")
        self.remove_button.setToolTip("Remove this person from the interview (the contact stays)")
        for widget, what in (
            (self.name, "name"),
            (self.email, "email"),
            (self.title, "title"),
            (self.role, "role"),
            (self.linkedin, "LinkedIn"),
            (self.notes, "notes about the conversation"),
        ):
            if widget is not None:
                widget.setAccessibleName(f"Person {number} {what}")

        self.find_button.setAccessibleName(f"Find person {number} on LinkedIn")

    def person_name(self) -> str:
        """The person's name as the row knows it (typed in for someone new)."""
        if self.person is not None:
            return self.person.name or self.person.label.split(",")[0]
        assert self.name is not None
        return self.name.text().strip()

    def find_on_linkedin(self) -> str:
        """Open a LinkedIn people search for the name at the company; returns its address."""
        url = linkedin_search_url(self.person_name(), self.company)
        QDesktopServices.openUrl(QUrl(url))
        return url

    def values(self, *, delivered_outcome: bool = False) -> ParticipantFields:
        notes = self.notes.text()
        role = ParticipantRole(self.role.currentData())
        if self.person is not None:
            return ParticipantFields(
                contact_id=self.person.contact_id,
                notes=notes,
                role=role,
                delivered_outcome=delivered_outcome,
                linkedin_url=self.linkedin.text(),
            )
        assert self.name is not None and self.email is not None and self.title is not None
        return ParticipantFields(
            new_contact=ContactFields(
                name=self.name.text(),
                email=self.email.text(),
                title=self.title.text(),
                linkedin_url=self.linkedin.text(),
            ),
            notes=notes,
            role=role,
            delivered_outcome=delivered_outcome,
        )


class EnterKey(QObject):
    """Runs ``action`` on Enter in ``widget`` instead of letting the dialog's default button act.

    It is the widget's child, so it lives exactly as long as the widget does.
    """

    def __init__(self, widget: QWidget, action: Callable[[], object]) -> None:
        super().__init__(widget)
        self._action = action
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._action()
            return True
        return False
