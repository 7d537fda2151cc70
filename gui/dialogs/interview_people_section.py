"""The people part of the interview form: picking contacts, typing in new people,
each with a role, LinkedIn and notes, and who of them told you the outcome.

A mixin of :class:`afterword.gui.dialogs.interview_form.InterviewForm` (kept
apart so that each module stays readable); its rows are
:class:`afterword.gui.dialogs.interview_people.ParticipantRow`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from afterword.core.contacts import list_contacts
from afterword.core.storage.records import ContactRecord, ParticipantFields
from afterword.core.storage.values import ParticipantRole
from afterword.gui.dialogs.interview_people import EnterKey, ParticipantRow, Person
from afterword.gui.icons import icon
from afterword.gui.models.contacts_model import ContactChoicesModel
from afterword.gui.validator import FieldError

if TYPE_CHECKING:
    from afterword.core.storage.records import ApplicationRecord
    from afterword.gui.context import AppContext
    from afterword.gui.validator import FormValidator

logger = logging.getLogger(__name__)


class PeopleSection:
    """The form's people (see the module docstring); mixed into the form's dialog class."""

    context: AppContext
    validator: FormValidator
    application: ApplicationRecord
    rows: list[ParticipantRow]
    outcome: QComboBox
    teller: ParticipantRow | None
    outcome_from: QComboBox

    def _people(self) -> QGroupBox:
        box = QGroupBox("People in the interview")
        layout = QVBoxLayout(box)
        picker_row = QHBoxLayout()
        # The contacts arrive from the core once the form is open.
        self.choices = ContactChoicesModel(parent=self)
        self.context.ops.read(None, list_contacts, self.context.db, on_success=self._offer)
        self.picker = QComboBox()
        self.picker.setEditable(True)
        self.picker.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.picker.setModel(self.choices)
        # Its size follows the contacts, which arrive once the form is open.
        self.picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.picker.setCurrentIndex(-1)
        self.picker.lineEdit().setPlaceholderText("Type a contact’s name…")
        self.picker.setAccessibleName("Pick an existing contact")
        self.picker.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.picker.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.picker.activated.connect(lambda _row: self.add_picked())
        # Enter in the picker adds the person; it must not save the whole form.
        EnterKey(self.picker.lineEdit(), self.add_picked)
        self.add_button = QPushButton(icon("add"), "Add")
        self.add_button.setAccessibleName("Add the picked contact")
        self.add_button.clicked.connect(self.add_picked)
        self.new_person_button = QPushButton(icon("add"), "New person…")
        self.new_person_button.setAccessibleName("Add a new person")
        self.new_person_button.setToolTip("Someone not in your contacts yet: name, email, title")
        self.new_person_button.clicked.connect(self.add_new_person)
        picker_row.addWidget(self.picker, 1)
        picker_row.addWidget(self.add_button)
        picker_row.addWidget(self.new_person_button)
        layout.addLayout(picker_row)
        self.picker_hint = FieldError("Pick an existing contact")
        layout.addWidget(self.picker_hint)
        self.people_empty = QLabel(
            "Nobody yet. Add each interviewer: the thank-you notes go to them."
        )
        self.people_empty.setWordWrap(True)
        layout.addWidget(self.people_empty)
        self.rows_layout = QVBoxLayout()
        layout.addLayout(self.rows_layout)
        layout.addStretch(1)
        # The core reports list-wide problems (too many people) as "participants".
        self.people_error = FieldError("People")
        layout.addWidget(self.people_error)
        self.validator.add("participants", "People", self.picker, self.people_error)
        return box

    # -- people ----------------------------------------------------------------------------

    def _offer(self, contacts: list[ContactRecord]) -> None:
        """Offer ``contacts`` in the picker, keeping what was typed into it meanwhile."""
        if not shiboken6.isValid(self):
            return  # closed before the contacts arrived
        typed = self.picker.currentText()
        self.choices.set_contacts(contacts)
        self.picker.setCurrentIndex(-1)
        self.picker.setEditText(typed)
        # Room for the longest label. A combo box measures its smallest size once,
        # and that was before the contacts came.
        self.picker.setMinimumWidth(self.picker.sizeHint().width())

    def _add_row(
        self,
        person: Person | None,
        notes: str = "",
        role: ParticipantRole = ParticipantRole.INTERVIEWER,
    ) -> ParticipantRow:
        row = ParticipantRow(
            self.validator,
            self.rows.index,
            person,
            notes,
            self,
            company=self.application.company,
            role=role,
        )
        self.rows.append(row)
        row.register()
        row.remove_requested.connect(self.remove_row)
        self.rows_layout.addWidget(row)
        row.show()  # now, not on the next event loop pass as a layout would
        if row.name is not None:
            row.name.textChanged.connect(self._refresh_tellers)
        self.people_empty.setVisible(False)
        self._refresh_tellers()
        self.validator.revalidate()
        return row

    def add_picked(self) -> None:
        """Add the contact picked in (or typed into) the picker."""
        text = self.picker.currentText()
        current = self.picker.currentIndex()
        if current >= 0 and self.choices.data(self.choices.index(current)) == text:
            matches = [current]
        else:
            matches = self.choices.find(text)
        if not text.strip():
            self.picker_hint.show_problem("Type a name, then pick the contact from the list.")
            return
        if not matches:
            self.picker_hint.show_problem(
                f"No contact matches “{text.strip()}”. Use “New person…” to add someone new."
            )
            return
        if len(matches) > 1:
            self.picker_hint.show_problem(
                f"{len(matches)} contacts match “{text.strip()}”: pick one from the list."
            )
            self.picker.showPopup()
            return
        contact = self.choices.contact(matches[0])
        if any(row.person and row.person.contact_id == contact.id for row in self.rows):
            self.picker_hint.show_problem(f"{contact.name} is already in this interview.")
            return
        label = ", ".join(p for p in (contact.name, contact.title, contact.company) if p)
        row = self._add_row(Person(contact.id, label, contact.name, contact.linkedin_url))
        self.picker_hint.show_problem("")
        self.picker.setCurrentIndex(-1)
        self.picker.clearEditText()
        row.notes.setFocus()

    def add_new_person(self) -> ParticipantRow:
        """Add a row to type in someone who is not a contact yet."""
        row = self._add_row(None)
        assert row.name is not None
        row.name.setFocus()
        return row

    def remove_row(self, row: ParticipantRow) -> None:
        number = self.rows.index(row)
        self.validator.remove(row.prefix())
        for later in range(number + 1, len(self.rows)):
            self.validator.rename(f"participants[{later}].", f"participants[{later - 1}].")
        self.rows.remove(row)
        row.hide()
        row.deleteLater()
        for other in self.rows:
            other.renumber()
        if self.teller is row:
            self.teller = None
        self.people_empty.setVisible(not self.rows)
        self._refresh_tellers()
        self.validator.revalidate()

    # -- who told you the outcome ---------------------------------------------------------

    def _teller_combo(self) -> QComboBox:
        """ "Who told you": one of the people in the form; a reply to a rejection goes to them."""
        self.teller = None
        self.outcome_from = QComboBox()
        self.outcome_from.setAccessibleName("Who told you the outcome")
        self.outcome_from.setToolTip("A reply to a rejection goes to whoever delivered the news")
        self.outcome_from.activated.connect(self._teller_picked)
        self._refresh_tellers()
        return self.outcome_from

    def _teller_picked(self, index: int) -> None:
        number = self.outcome_from.itemData(index)
        self.teller = self.rows[number] if number is not None else None
        self.validator.revalidate()

    def set_teller(self, row: ParticipantRow | None) -> None:
        self.teller = row
        self._refresh_tellers()

    def _refresh_tellers(self) -> None:
        """The people as they are now (names are typed in), keeping the one picked."""
        combo = self.outcome_from
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("Not recorded", None)
        for number, row in enumerate(self.rows):
            combo.addItem(row.person_name() or f"Person {number + 1}", number)
        if self.teller in self.rows:
            combo.setCurrentIndex(self.rows.index(self.teller) + 1)
        combo.blockSignals(False)

    def participant_values(self) -> list[ParticipantFields]:
        told = self.outcome.currentData() is not None
        return [row.values(delivered_outcome=told and row is self.teller) for row in self.rows]
