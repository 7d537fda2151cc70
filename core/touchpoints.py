"""Touchpoints: every time the user reached out to someone (email, call, letter...)."""

from __future__ import annotations

import logging
from dataclasses import fields
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from afterword.core.errors import NotFoundError, ValidationError
from afterword.core.storage.db import Database
from afterword.core.storage.models import Application, Contact, Interview, Touchpoint
from afterword.core.storage.records import TouchpointFields, TouchpointRecord
from afterword.core.storage.validation import (
    aware_datetime,
    clock,
    long_text,
    one_of,
    optional_record_id,
    record_id,
)
from afterword.core.storage.values import Purpose, ReferralOutcome, TouchpointKind

logger = logging.getLogger(__name__)

# How each kind of touchpoint reads, in lists and on the prep sheet.
KIND_WORDS = {
    TouchpointKind.EMAIL: "Email",
    TouchpointKind.LINKEDIN: "LinkedIn",
    TouchpointKind.CALL: "Call",
    TouchpointKind.LETTER: "Letter",
    TouchpointKind.MEETING: "Meeting",
    # Usually noticed in the inbox (afterword.core.replies); can be logged by hand too.
    TouchpointKind.REPLIED: "They replied",
    TouchpointKind.REFERRAL: "Asked for a referral",
}

# Clocks drift and people log a call as it ends: a little future is fine.
FUTURE_TOLERANCE = timedelta(minutes=5)


def validate_touchpoint(values: TouchpointFields, *, now: datetime) -> TouchpointFields:
    occurred_at = aware_datetime("occurred_at", values.occurred_at)
    clock(now)
    if occurred_at > now + FUTURE_TOLERANCE:
        raise ValidationError("occurred_at", "A touchpoint is something that already happened.")
    kind = one_of("kind", TouchpointKind, values.kind)
    outcome = values.referral_outcome
    if kind is TouchpointKind.REFERRAL:
        # Asking is where every referral starts; the outcome is changed as it goes.
        outcome = one_of("referral_outcome", ReferralOutcome, outcome or ReferralOutcome.ASKED)
    elif outcome is not None:
        raise ValidationError("referral_outcome", "Only a referral has an outcome.")
    return TouchpointFields(
        contact_id=record_id("contact_id", values.contact_id),
        kind=kind,
        referral_outcome=outcome,
        occurred_at=occurred_at,
        purpose=one_of("purpose", Purpose, values.purpose),
        note=long_text("note", values.note),
        application_id=optional_record_id("application_id", values.application_id),
        interview_id=optional_record_id("interview_id", values.interview_id),
    )


def to_record(row: Touchpoint) -> TouchpointRecord:
    return TouchpointRecord(
        id=row.id,
        message_id=row.message_id,
        **{f.name: getattr(row, f.name) for f in fields(TouchpointFields)},
    )


def log_touchpoint(db: Database, values: TouchpointFields, *, now: datetime) -> TouchpointRecord:
    clean = validate_touchpoint(values, now=now)
    with db.session() as session:
        _check_links(session, clean)
        row = Touchpoint(**{f.name: getattr(clean, f.name) for f in fields(TouchpointFields)})
        session.add(row)
        session.flush()
        logger.info("Logged %s touchpoint %s for contact %s", row.kind, row.id, row.contact_id)
        return to_record(row)


def _check_links(session: Session, values: TouchpointFields) -> None:
    """The rows a touchpoint points at exist, and its interview is its application's."""
    if session.get(Contact, values.contact_id) is None:
        raise NotFoundError("Contact", values.contact_id)
    if values.application_id is not None and not session.get(Application, values.application_id):
        raise NotFoundError("Application", values.application_id)
    if values.interview_id is not None:
        interview = session.get(Interview, values.interview_id)
        if interview is None:
            raise NotFoundError("Interview", values.interview_id)
        if values.application_id not in (None, interview.application_id):
            raise ValidationError("interview_id", "This interview is for another application.")


def list_touchpoints(db: Database, contact_id: int) -> list[TouchpointRecord]:
    """A contact's touchpoints, newest first."""
    with db.reading() as session:
        rows = session.scalars(
            select(Touchpoint)
            .where(Touchpoint.contact_id == contact_id)
            .order_by(Touchpoint.occurred_at.desc(), Touchpoint.id.desc())
        )
        return [to_record(row) for row in rows]


def delete_touchpoint(db: Database, touchpoint_id: int) -> TouchpointRecord:
    """Delete a touchpoint logged by mistake; returns it so the caller can offer undo."""
    with db.session() as session:
        row = session.get(Touchpoint, touchpoint_id)
        if row is None:
            raise NotFoundError("Touchpoint", touchpoint_id)
        record = to_record(row)
        session.delete(row)
        return record


def set_referral_outcome(
    db: Database, touchpoint_id: int, outcome: ReferralOutcome
) -> TouchpointRecord:
    """Say how a referral went (asked, referred, declined, led to an interview) as it goes."""
    record_id("touchpoint_id", touchpoint_id)
    outcome = one_of("referral_outcome", ReferralOutcome, outcome)
    with db.session() as session:
        row = session.get(Touchpoint, touchpoint_id)
        if row is None:
            raise NotFoundError("Touchpoint", touchpoint_id)
        if row.kind != TouchpointKind.REFERRAL:
            raise ValidationError("referral_outcome", "Only a referral has an outcome.")
        row.referral_outcome = outcome
        session.flush()
        logger.info("Referral %s is now %s", touchpoint_id, outcome.value)
        return to_record(row)
