"""What the interview form edits, as one value: for reloading after a stale save.

The interview form edits three things at once (the interview, its people and
the application's next steps), so the edit-conflict merge
(:mod:`afterword.gui.dialogs.edit_conflict`) compares them as one
:class:`InterviewEdit`: field by field, the people as one field. What the
person changed in the form stays; the rest takes what is stored now.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from afterword.core.applications import get_application
from afterword.core.interviews import get_interview
from afterword.core.storage.db import Database
from afterword.core.storage.records import (
    ApplicationRecord,
    InterviewRecord,
    ParticipantFields,
)
from afterword.core.storage.values import InterviewFormat, InterviewOutcome
from afterword.gui.dialogs.interview_people import Person

logger = logging.getLogger(__name__)


class People(tuple[tuple[Person | None, ParticipantFields], ...]):
    """The people rows, each (the contact shown or None for someone new, the row's values)."""

    def __str__(self) -> str:
        shown = []
        for person, values in self:
            name = person.name if person else values.new_contact.name if values.new_contact else ""
            shown.append(f"{name}: {values.notes}" if values.notes else name)
        return "; ".join(shown) or "nobody"


@dataclass(frozen=True, kw_only=True)
class InterviewShown:
    """The fields a person sees in the interview form (what "changed elsewhere" lists)."""

    starts_at: datetime
    timezone: str
    duration_minutes: int
    round_name: str
    format: InterviewFormat
    location: str
    notes: str
    outcome: InterviewOutcome | None
    people: People
    next_steps: str
    decision_expected: date | None


@dataclass(frozen=True, kw_only=True)
class InterviewEdit(InterviewShown):
    """The form's fields plus the rows they were read from (their versions for the next save)."""

    interview: InterviewRecord
    application: ApplicationRecord


def people_shown(interview: InterviewRecord) -> People:
    """The people of a stored interview as the form's rows show them."""
    rows = []
    for person in interview.participants:
        label = ", ".join(p for p in (person.contact_name, person.contact_title) if p)
        shown = Person(person.contact_id, label, person.contact_name, person.contact_linkedin)
        values = ParticipantFields(
            contact_id=person.contact_id,
            notes=person.notes,
            role=person.role,
            # The form knows who told you only once there is an outcome.
            delivered_outcome=person.delivered_outcome and interview.outcome is not None,
            linkedin_url=person.contact_linkedin,
        )
        rows.append((shown, values))
    return People(rows)


def interview_edit(interview: InterviewRecord, application: ApplicationRecord) -> InterviewEdit:
    """A stored interview and its application as the form shows them."""
    return InterviewEdit(
        starts_at=interview.starts_at,
        timezone=interview.timezone,
        duration_minutes=interview.duration_minutes,
        round_name=interview.round_name,
        format=interview.format,
        location=interview.location,
        notes=interview.notes,
        outcome=interview.outcome,
        people=people_shown(interview),
        next_steps=application.next_steps,
        decision_expected=application.decision_expected,
        interview=interview,
        application=application,
    )


def load_interview_edit(db: Database, interview_id: int) -> InterviewEdit:
    """Read the interview and its application as they are stored now."""
    interview = get_interview(db, interview_id)
    return interview_edit(interview, get_application(db, interview.application_id))
