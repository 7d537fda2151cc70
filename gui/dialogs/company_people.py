"""People at a company: everyone you know there, across applications, and where you met.

Opened from an application's detail ("People you know (2)…"), and offered when a
new application is for a company you already know someone at. The list comes
from :func:`afterword.core.people.people_at_company`; LinkedIn opens their
profile if it is known, else a people search for the name at the company.
"""

from __future__ import annotations

import logging
from datetime import datetime

import shiboken6
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from afterword.core.people import CompanyPerson, linkedin_search_url, people_at_company
from afterword.gui.context import AppContext
from afterword.gui.widgets.checklist.text import day_text

logger = logging.getLogger(__name__)

PEOPLE_BUTTON = "People you know"


def people_count(people: list[CompanyPerson]) -> str:
    """ "1 person", "3 people"."""
    return f"{len(people)} {'person' if len(people) == 1 else 'people'}"


def people_button_text(people: list[CompanyPerson]) -> str:
    """An application's button that opens this dialog: "People you know (2)…".

    Without the company's name, which the heading above it already says: a
    long name made the button too wide for a narrow detail pane.
    """
    return f"{PEOPLE_BUTTON} ({len(people)})…"


def offer_text(company: str, people: list[CompanyPerson]) -> str:
    """What a new application for a known company says: who you know there."""
    names = ", ".join(person.name for person in people[:3])
    more = f" and {len(people) - 3} more" if len(people) > 3 else ""
    return (
        f"You already know {people_count(people)} at {company}: {names}{more}. "
        f"“{PEOPLE_BUTTON}…” shows where you met them; one of them may refer you."
    )


def person_text(person: CompanyPerson, now: datetime) -> str:
    """Name and title, where you met them, when you last met and when you meet next."""
    first = ", ".join(part for part in (person.name, person.title) if part)
    lines = [first, *person.met_on]
    for caption, moment in (
        ("Last met", person.last_met_at),
        ("Meeting", person.next_meeting_at),
    ):
        if moment is not None:
            lines.append(f"{caption} {day_text(moment.astimezone(now.tzinfo).date(), now.date())}")
    return "\n".join(lines)


class CompanyPeopleDialog(QDialog):
    """Everyone you know at ``company`` (see the module docstring)."""

    def __init__(self, context: AppContext, company: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(f"People at {company}")
        self.resize(520, 420)
        self.context = context
        self.company = company
        self.people: list[CompanyPerson] = []

        self.summary = QLabel("Loading…")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.list = QListWidget()
        self.list.setAccessibleName(f"People at {company}")
        self.list.setAlternatingRowColors(True)
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(lambda _item: self.open_linkedin())
        self.list.currentRowChanged.connect(lambda _row: self._update())
        self.linkedin_button = QPushButton("LinkedIn")
        self.linkedin_button.setToolTip("Their profile if you saved it, else a search for them")
        self.linkedin_button.clicked.connect(self.open_linkedin)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.linkedin_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self._update()
        context.ops.read(
            None, people_at_company, context.db, company, now=context.now(), on_success=self._show
        )

    def _show(self, people: list[CompanyPerson]) -> None:
        if not shiboken6.isValid(self):
            return
        self.people = people
        now = self.context.now()
        self.list.clear()
        for person in people:
            self.list.addItem(QListWidgetItem(person_text(person, now)))
        if people:
            self.summary.setText(f"You know {people_count(people)} at {self.company}.")
            self.list.setCurrentRow(0)
        else:
            self.summary.setText(f"You do not know anyone at {self.company} yet.")
        self._update()

    def _update(self) -> None:
        self.linkedin_button.setEnabled(self.list.currentRow() >= 0 and bool(self.people))

    def open_linkedin(self) -> str:
        """Open the selected person's LinkedIn (or a search); returns the address opened."""
        row = self.list.currentRow()
        if not 0 <= row < len(self.people):
            return ""
        person = self.people[row]
        url = person.linkedin_url or linkedin_search_url(person.name, self.company)
        QDesktopServices.openUrl(QUrl(url))
        return url
