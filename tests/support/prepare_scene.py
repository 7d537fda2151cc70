"""The "Before you go in" scene the core and GUI tests of the sheet share."""

from __future__ import annotations

from datetime import datetime, timedelta

from afterword.core.applications import create_application
from afterword.core.contacts import create_contact
from afterword.core.interviews import save_interview
from afterword.core.storage.db import Database
from afterword.core.storage.records import (
    ApplicationFields,
    ContactFields,
    InterviewFields,
    ParticipantFields,
    TouchpointFields,
)
from afterword.core.storage.values import Purpose, TouchpointKind
from afterword.core.touchpoints import log_touchpoint

ROSA_LINKEDIN = "https://www.linkedin.com/in/rosa-diaz"


def panel_scene(db: Database, now: datetime) -> tuple[int, int, int]:
    """Rosa met in a phone screen last week (with a thank-you); a panel with Rosa and Kai
    four hours after ``now``. Returns (application id, panel id, Rosa's contact id)."""
    application = create_application(
        db,
        ApplicationFields(
            company="Quarry Logistics",
            role="Data Engineer",
            why_interested="I want to work on route planning at scale.",
            next_steps="A panel, then a decision within two weeks.",
        ),
        now=now - timedelta(days=20),
    )
    rosa = create_contact(
        db,
        ContactFields(
            name="Rosa Díaz",
            title="Engineering Manager",
            email="rosa@quarry.example",
            linkedin_url=ROSA_LINKEDIN,
            notes="Runs the routing team.",
        ),
        now=now - timedelta(days=20),
    )
    screen = save_interview(
        db,
        InterviewFields(
            application_id=application.id,
            starts_at=now - timedelta(days=7),
            timezone="Europe/Berlin",
            round_name="Phone screen",
        ),
        [ParticipantFields(contact_id=rosa.id, notes="Asked how I would test a solver.")],
        now=now - timedelta(days=7),
    )
    log_touchpoint(
        db,
        TouchpointFields(
            contact_id=rosa.id,
            kind=TouchpointKind.EMAIL,
            purpose=Purpose.THANK_YOU,
            occurred_at=now - timedelta(days=6),
            note="Thank you for the phone screen",
            interview_id=screen.id,
        ),
        now=now,
    )
    panel = save_interview(
        db,
        InterviewFields(
            application_id=application.id,
            starts_at=now + timedelta(hours=4),
            timezone="Europe/Berlin",
            round_name="Panel",
            location="Hafenstraße 5, Hamburg",
        ),
        [
            ParticipantFields(contact_id=rosa.id),
            ParticipantFields(new_contact=ContactFields(name="Kai Wong", title="Data Lead")),
        ],
        now=now,
    )
    return application.id, panel.id, rosa.id
