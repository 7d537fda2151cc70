"""Reminders over the database: look at what is due, record what was notified, send the digest.

:func:`look` gathers the checklist's items, the interviews reminders are
about, the settings and the log of what was already notified, and hands them
to the pure rules in :mod:`afterword.core.reminders.planning`.
:func:`record_notified` writes the log once a notification is shown (a key
recorded twice is kept once). :func:`send_digest` sends the morning digest
to the person's own address through the Outbox, at most once a day: the
day's log row and the message are written in one transaction (a second
process finds the row and sends nothing), and the Outbox's claim makes the
send itself happen at most once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.exc import IntegrityError

from afterword.core.checklist import service as checklist
from afterword.core.checklist.items import ChecklistItem, ItemKind, ItemState
from afterword.core.errors import AfterwordError
from afterword.core.mail.accounts import account_key, get_mail_account
from afterword.core.mail.credentials import get_password
from afterword.core.mail.draft_writing import note_to_self
from afterword.core.mail.outbox import send_message
from afterword.core.reminders import planning
from afterword.core.reminders.settings import ReminderSettings, get_reminder_settings
from afterword.core.storage.db import Database
from afterword.core.storage.models import (
    Application,
    Contact,
    Interview,
    Participant,
    ReminderLog,
)
from afterword.core.storage.records import MessageRecord
from afterword.core.storage.text import speaking_order
from afterword.core.storage.validation import aware_datetime
from afterword.core.storage.values import ApplicationStatus

logger = logging.getLogger(__name__)

# An interview of an application that ended this way will not take place.
_OVER = frozenset({ApplicationStatus.WITHDRAWN, ApplicationStatus.REJECTED})


NO_ACCOUNT_FOR_DIGEST = (
    "The morning digest could not be sent: there is no mail account to send it from. "
    "Set one up under Settings › Mail account."
)


class DigestNotSent(AfterwordError):
    """The morning digest was due but could not be sent; the message says why."""


@dataclass(frozen=True, kw_only=True)
class Outlook:
    """What :func:`look` found: the plan, the settings, and a digest day if one is due."""

    plan: planning.Plan
    settings: ReminderSettings
    digest_day: date | None = None


def _zone(name: str, fallback: ZoneInfo | None) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return fallback or ZoneInfo("UTC")


def interviews_soon(
    db: Database, now: datetime, also: Collection[int] = ()
) -> list[planning.InterviewSoon]:
    """Interviews starting within the checklist's horizon, and those listed in ``also``.

    Each says whether it goes ahead (not cancelled, its application not
    withdrawn or rejected): only those get a reminder before them. People
    stored as "Oyelaran, Marcus" are named as said, "Marcus Oyelaran".
    """
    horizon = now + timedelta(days=8)
    with db.reading() as session:
        rows = session.execute(
            select(Interview, Application.company, Application.role, Application.status)
            .join(Application, Application.id == Interview.application_id)
            .where(
                ((Interview.starts_at >= now) & (Interview.starts_at < horizon))
                | Interview.id.in_(list(also))
            )
        ).all()
        ids = [row[0].id for row in rows]
        people: dict[int, list[str]] = {}
        for interview_id, name in session.execute(
            select(Participant.interview_id, Contact.name)
            .join(Contact, Contact.id == Participant.contact_id)
            .where(Participant.interview_id.in_(ids))
            .order_by(Participant.interview_id, Contact.name)
        ):
            if name:
                people.setdefault(interview_id, []).append(name)
        return [
            planning.InterviewSoon(
                id=interview.id,
                application_id=interview.application_id,
                company=company,
                role=role,
                starts_at=interview.starts_at,
                ends_at=interview.starts_at + timedelta(minutes=interview.duration_minutes),
                timezone=_zone(interview.timezone, None),
                people=tuple(speaking_order(name) for name in people.get(interview.id, ())),
                goes_ahead=not interview.cancelled and status not in _OVER,
            )
            for interview, company, role, status in rows
        ]


def logged_keys(db: Database, keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` were notified already."""
    wanted = list(set(keys))
    found: set[str] = set()
    with db.reading() as session:
        # In slices: SQLite limits the number of bound values in one statement.
        for start in range(0, len(wanted), 500):
            found.update(
                session.scalars(
                    select(ReminderLog.key).where(ReminderLog.key.in_(wanted[start : start + 500]))
                )
            )
    return found


def companies_of(db: Database, application_ids: Iterable[int]) -> dict[int, str]:
    """The company of each application in ``application_ids`` (for the tray and notices)."""
    wanted = sorted(set(application_ids))
    found: dict[int, str] = {}
    with db.reading() as session:
        for start in range(0, len(wanted), 500):  # SQLite's limit on bound values
            chunk = wanted[start : start + 500]
            found.update(
                session.execute(
                    select(Application.id, Application.company).where(Application.id.in_(chunk))
                ).all()
            )
    return found


def look(db: Database, now: datetime) -> Outlook:
    """What to notify at ``now``, when to look again, and whether a digest is due."""
    aware_datetime("now", now)
    settings = get_reminder_settings(db)
    items = checklist.today(db, now)
    thank_you_interviews = {
        item.interview_id
        for item in items
        if item.kind == ItemKind.THANK_YOU and item.interview_id is not None
    }
    interviews = interviews_soon(db, now, thank_you_interviews)
    found = planning.events(items, interviews, settings)
    day = now.date()
    extra = (planning.check_in_day_key(day), planning.digest_key(day))
    logged = logged_keys(db, [*(event.log_key for event in found), *extra])
    companies = companies_of(
        db, (i.application_id for i in items if i.is_actionable and i.application_id is not None)
    )
    plan = planning.plan(found, items, logged, settings, now, companies)
    digest_day = planning.digest_day(now, settings, logged)
    next_digest = planning.next_digest_at(
        now, settings, sent_today=planning.digest_key(day) in logged
    )
    if next_digest is not None and (plan.next_at is None or next_digest < plan.next_at):
        plan = replace(plan, next_at=next_digest)
    return Outlook(plan=plan, settings=settings, digest_day=digest_day)


def record_notified(db: Database, keys: Iterable[str], now: datetime) -> None:
    """Remember that the notifications with these log keys were shown."""
    rows = [{"key": key, "notified_at": now} for key in sorted(set(keys))]
    if not rows:
        return
    with db.session() as session:
        session.execute(insert(ReminderLog).on_conflict_do_nothing(), rows)


def digest_text(items: Iterable[ChecklistItem], day: date) -> tuple[str, str]:
    """The digest's subject and body."""
    lines = []
    for item in items:
        state = "overdue" if item.state == ItemState.OVERDUE else "due"
        lines.append(f"- {item.title} ({state}): {item.detail}")
    subject = f"Afterword: today's follow-ups, {day:%a %d %b}"
    body = "Good morning,\n\nhere is what is due today:\n\n" + "\n".join(lines)
    body += "\n\nOpen Afterword to check them off.\n"
    return subject, body


def send_digest(
    db: Database,
    day: date,
    now: datetime,
    *,
    password: Callable[[str], str] = get_password,
) -> MessageRecord | None:
    """Send ``day``'s digest to the person's own address, at most once; None if nothing was sent.

    Nothing is sent when nothing is due. Without a mail account nothing can
    be sent: :class:`DigestNotSent` says so (for the log and Settings). The
    day is recorded either way, so the next look does not try again all day.
    A failed send leaves the message in the Outbox as failed, as any other.
    """
    aware_datetime("now", now)
    account = get_mail_account(db)
    key = planning.digest_key(day)
    if account is None:
        record_notified(db, [key], now)
        logger.warning("The morning digest for %s was not sent: there is no mail account", day)
        raise DigestNotSent(NO_ACCOUNT_FOR_DIGEST)
    items = planning.digest_items(checklist.today(db, now), now)
    if not items:
        logger.info("No digest for %s (nothing due)", day)
        record_notified(db, [key], now)
        return None
    subject, body = digest_text(items, day)
    try:
        with db.session() as session:
            session.add(ReminderLog(key=key, notified_at=now))
            message = note_to_self(account, subject=subject, body=body, now=now)
            session.add(message)
            session.flush()
            message_id = message.id
    except IntegrityError:
        logger.info("The digest for %s was already claimed", day)
        return None
    logger.info("Sending the digest for %s (%d items)", day, len(items))
    return send_message(
        db, message_id, account=account, password=password(account_key(account)), now=now
    )
