"""Database rows the mail tests start from, inserted as ORM rows (the way the app stores them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from afterword.core.mail.accounts import to_record
from afterword.core.storage.db import Database
from afterword.core.storage.models import (
    Application,
    Contact,
    Interview,
    MailAccount,
    Message,
    Participant,
)
from afterword.core.storage.records import MailAccountRecord
from afterword.core.storage.values import MessageStatus, Purpose
from tests.support.smtp import SmtpServer

SUBJECT = "Thank you for today – Grüße"
BODY = "Dear Grace,\n\nthank you for the conversation about the data platform.\n\n— Ada\n"


@dataclass(frozen=True)
class Scene:
    """An application with an interview this morning and one interviewer."""

    application_id: int
    interview_id: int
    contact_id: int


def add_scene(db: Database, now: datetime) -> Scene:
    with db.session() as session:
        application = Application(
            company="Initech", role="Data Engineer", created_at=now, updated_at=now
        )
        session.add(application)
        session.flush()
        interview = Interview(
            application_id=application.id,
            starts_at=now - timedelta(hours=3),
            timezone="Europe/Berlin",
        )
        contact = Contact(name="Grace Hopper", email="grace@example.org", created_at=now)
        session.add_all([interview, contact])
        session.flush()
        session.add(Participant(interview_id=interview.id, contact_id=contact.id))
        return Scene(application.id, interview.id, contact.id)


def add_message(db: Database, now: datetime, scene: Scene, **overrides: Any) -> int:
    """A thank-you draft to the scene's interviewer; ``overrides`` set any column."""
    values: dict[str, Any] = {
        "contact_id": scene.contact_id,
        "application_id": scene.application_id,
        "interview_id": scene.interview_id,
        "purpose": Purpose.THANK_YOU,
        "to_name": "Grace Hopper",
        "to_address": "grace@example.org",
        "subject": SUBJECT,
        "body": BODY,
        "status": MessageStatus.DRAFT,
        "created_at": now,
        "updated_at": now,
    }
    values.update(overrides)
    with db.session() as session:
        row = Message(**values)
        session.add(row)
        session.flush()
        return row.id


def add_account(db: Database, server: SmtpServer, *, bcc_self: bool = False) -> MailAccountRecord:
    """The user's mail account pointing at ``server`` (the password is not stored)."""
    with db.session() as session:
        row = MailAccount(
            display_name="Ada Lovelace",
            email="ada@example.com",
            smtp_host=server.host,
            smtp_port=server.port,
            security=server.security,
            username=server.username,
            bcc_self=bcc_self,
        )
        session.add(row)
        session.flush()
        return to_record(row)
