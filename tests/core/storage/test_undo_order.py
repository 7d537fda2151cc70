"""Undoing two deletions in either order brings back every row, participants included.

The audit's order: delete an application, delete a contact who was in one
of its interviews, undo the application, undo the contact. The participant
row (and its notes) used to be lost.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from afterword.core.applications import delete_application, restore_application
from afterword.core.contacts import delete_contact, restore_contact
from afterword.core.interviews import get_interview
from afterword.core.storage.db import Database
from afterword.core.storage.records import ParticipantFields
from tests.core.storage.helpers import application, contact, interview, row_counts

NOTES = "Asked about the on-call rota; follow up on the team size."


def _scene(db: Database, now: datetime) -> tuple[int, int, int]:
    app = application(db, now)
    ada, bob = contact(db, now, "Ada"), contact(db, now, "Bob")
    meeting = interview(
        db,
        now,
        app.id,
        ParticipantFields(contact_id=ada.id, notes="Kind"),
        ParticipantFields(contact_id=bob.id, notes=NOTES),
    )
    return app.id, bob.id, meeting.id


@pytest.mark.parametrize(
    "undo_order", [("application", "contact"), ("contact", "application")], ids="-then-".join
)
@pytest.mark.parametrize(
    "delete_order", [("application", "contact"), ("contact", "application")], ids="-then-".join
)
def test_every_participant_comes_back_whatever_the_order(
    db: Database, now: datetime, delete_order: tuple[str, str], undo_order: tuple[str, str]
) -> None:
    app_id, bob_id, meeting_id = _scene(db, now)
    before = get_interview(db, meeting_id)
    counts = row_counts(db)
    deletions = {}
    for what in delete_order:
        if what == "application":
            deletions[what] = delete_application(db, app_id)
        else:
            deletions[what] = delete_contact(db, bob_id)
    for what in undo_order:
        if what == "application":
            restore_application(db, deletions[what])  # type: ignore[arg-type]
        else:
            restore_contact(db, deletions[what])  # type: ignore[arg-type]
    assert get_interview(db, meeting_id) == before
    assert row_counts(db) == counts
