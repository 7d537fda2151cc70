"""An application's "Write a note ▾": a note to someone met there after withdrawing,
or after an offer (accepted or declined).

The notes are the built-in templates' variants of another note
(:attr:`Purpose.OTHER <afterword.core.storage.values.Purpose>`: "withdrawn",
"offer_accepted", "offer_declined", ``resources/templates/other.*.txt``). The
menu lists the people of the application's interviews; choosing one opens the
note in the composer (:func:`afterword.gui.mail_flow.open_note_composer`).
An offer not yet answered offers both notes, one submenu each.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from afterword.core.people import ROLE_WORDS
from afterword.core.storage.records import ApplicationRecord, InterviewRecord
from afterword.core.storage.values import ApplicationStatus, ParticipantRole
from afterword.gui.context import AppContext
from afterword.gui.icons import icon
from afterword.gui.theme import menu_button_text

logger = logging.getLogger(__name__)

# The notes an application in each status can have: (template variant, menu heading).
NOTE_CHOICES: dict[ApplicationStatus, tuple[tuple[str, str], ...]] = {
    ApplicationStatus.WITHDRAWN: (("withdrawn", "After withdrawing"),),
    ApplicationStatus.ACCEPTED: (("offer_accepted", "After accepting the offer"),),
    ApplicationStatus.OFFER: (
        ("offer_accepted", "I accepted the offer"),
        ("offer_declined", "I declined the offer"),
    ),
}
NOTE_TITLES = {
    "withdrawn": "Note after withdrawing",
    "offer_accepted": "Note after accepting the offer",
    "offer_declined": "Note after declining the offer",
}
_TIPS = {
    ApplicationStatus.WITHDRAWN: "Tell someone you met there that you withdrew",
    ApplicationStatus.ACCEPTED: "Tell someone you met there that you accepted the offer",
    ApplicationStatus.OFFER: "Tell someone you met there that you accepted or declined the offer",
}


@dataclass(frozen=True)
class MetPerson:
    """Someone in one of the application's interviews."""

    contact_id: int
    name: str
    role: ParticipantRole

    @property
    def label(self) -> str:
        """ "Ana Ruiz (recruiter)"; just the name for a person with no particular role."""
        if self.role == ParticipantRole.OTHER:
            return self.name
        return f"{self.name} ({ROLE_WORDS[ParticipantRole(self.role)].lower()})"


def people_met(interviews: Sequence[InterviewRecord]) -> list[MetPerson]:
    """Everyone in ``interviews``, once each, the latest interview's people first."""
    people: dict[int, MetPerson] = {}
    for interview in sorted(interviews, key=lambda i: i.starts_at, reverse=True):
        for person in interview.participants:
            people.setdefault(
                person.contact_id, MetPerson(person.contact_id, person.contact_name, person.role)
            )
    return list(people.values())


class NoteButton(QToolButton):
    """ "Write a note ▾" for the application shown (see the module docstring)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        menu_button_text(self, "Write a note")
        self.setIcon(icon("mail"))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setAccessibleName("Write a note")
        self.show_for(None, [])

    def show_for(
        self, application: ApplicationRecord | None, interviews: Sequence[InterviewRecord]
    ) -> None:
        """Offer the notes ``application`` can have, to the people of ``interviews``."""
        choices = NOTE_CHOICES.get(application.status, ()) if application else ()
        people = people_met(interviews)
        # A new menu each time: QMenu.clear() would leave the old submenus behind.
        old = self.menu()
        menu = QMenu(self)
        self.setMenu(menu)
        if old is not None:
            old.deleteLater()
        for variant, heading in choices:
            assert application is not None
            target = menu if len(choices) == 1 else menu.addMenu(heading)
            for person in people:
                action = target.addAction(person.label)
                write = partial(self.write, application, person.contact_id, variant)
                action.triggered.connect(write)
        self.setEnabled(bool(choices and people))
        if application is None or not choices:
            self.setToolTip("A note to someone you met there, once you withdraw or get an offer")
        elif not people:
            self.setToolTip("Add the people you met to its interviews first")
        else:
            self.setToolTip(_TIPS[application.status])

    def write(
        self, application: ApplicationRecord, contact_id: int, variant: str, *_checked: bool
    ) -> None:
        """Open the note ``variant`` to ``contact_id`` in the composer (a menu's action
        passes its checked state too)."""
        from afterword.gui.mail_flow import open_note_composer

        title = f"{NOTE_TITLES[variant]} · {application.role} at {application.company}"
        open_note_composer(
            self._context, application.id, contact_id, variant, self.window(), title=title
        )
