"""What the person chose about reminders, kept as one JSON value in the ``settings`` table.

Each kind of notification can be switched off; quiet hours hold notifications
back; a pause holds them until a moment; the morning digest is opt-in with a
time of day. A stored value that cannot be read (edited by hand, written by a
future version) falls back field by field to the defaults with a warning,
rather than silencing or breaking reminders.
"""

from __future__ import annotations

import enum
import json
import logging
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, time
from typing import Any

from sqlalchemy import select

from afterword.core.errors import ValidationError
from afterword.core.storage.db import Database
from afterword.core.storage.models import Setting
from afterword.core.storage.validation import aware_datetime

logger = logging.getLogger(__name__)

REMINDERS_KEY = "reminders"
LEAD_MINUTES_RANGE = range(5, 24 * 60 + 1)
AFTER_MINUTES_RANGE = range(0, 24 * 60 + 1)


class NoticeKind(enum.StrEnum):
    """The kinds of notification, each switchable in Settings."""

    BEFORE_INTERVIEW = "before_interview"
    AFTER_INTERVIEW = "after_interview"
    OVERDUE = "overdue"
    FOLLOW_UP_DUE = "follow_up_due"
    CHECK_INS = "check_ins"


@dataclass(frozen=True, kw_only=True)
class ReminderSettings:
    """The reminder preferences (defaults: everything on, quiet 21:00 to 08:00)."""

    enabled: frozenset[NoticeKind] = field(default_factory=lambda: frozenset(NoticeKind))
    minutes_before_interview: int = 30
    minutes_after_interview: int = 60
    quiet_start: time | None = time(21, 0)
    quiet_end: time | None = time(8, 0)
    paused_until: datetime | None = None
    digest_at: time | None = None  # None: no morning digest
    # Closing the window keeps reminders running (None: not asked yet).
    keep_running_when_closed: bool | None = None

    def wants(self, kind: NoticeKind) -> bool:
        return kind in self.enabled

    def to_json(self) -> str:
        values: dict[str, Any] = asdict(self)
        values["enabled"] = sorted(self.enabled)
        for name in ("quiet_start", "quiet_end", "digest_at"):
            moment = getattr(self, name)
            values[name] = moment.strftime("%H:%M") if moment is not None else None
        values["paused_until"] = self.paused_until.isoformat() if self.paused_until else None
        return json.dumps(values, sort_keys=True)


def _clock_time(value: object) -> time | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"not a time: {value!r}")
    return time.fromisoformat(value)


def _parsed_field(name: str, value: object) -> object:
    if name == "enabled":
        if not isinstance(value, list):
            raise ValueError("not a list")
        return frozenset(
            NoticeKind(kind) for kind in value if kind in NoticeKind.__members__.values()
        )
    if name in ("quiet_start", "quiet_end", "digest_at"):
        return _clock_time(value)
    if name == "paused_until":
        if value is None:
            return None
        moment = datetime.fromisoformat(str(value))
        if moment.tzinfo is None:
            raise ValueError("a pause must be time-zone aware")
        return moment
    if name == "minutes_before_interview":
        if not isinstance(value, int) or value not in LEAD_MINUTES_RANGE:
            raise ValueError(f"out of range: {value!r}")
        return value
    if name == "minutes_after_interview":
        if not isinstance(value, int) or value not in AFTER_MINUTES_RANGE:
            raise ValueError(f"out of range: {value!r}")
        return value
    if name == "keep_running_when_closed":
        if value is not None and not isinstance(value, bool):
            raise ValueError(f"not a yes/no: {value!r}")
        return value
    raise KeyError(name)


def parse_settings(stored: str | None) -> ReminderSettings:
    """The settings a stored value means; unreadable fields keep their defaults."""
    settings = ReminderSettings()
    if stored is None:
        return settings
    try:
        values = json.loads(stored)
    except ValueError:
        logger.warning("Ignoring unreadable reminder settings; using the defaults")
        return settings
    if not isinstance(values, dict):
        logger.warning("Ignoring reminder settings that are not an object; using the defaults")
        return settings
    changes: dict[str, object] = {}
    for name, value in values.items():
        try:
            changes[name] = _parsed_field(name, value)
        except (KeyError, ValueError, TypeError) as exc:
            logger.warning("Ignoring stored reminder setting %s (%s)", name, exc)
    return replace(settings, **changes)


def get_reminder_settings(db: Database) -> ReminderSettings:
    with db.reading() as session:
        return parse_settings(
            session.scalar(select(Setting.value).where(Setting.key == REMINDERS_KEY))
        )


def _minutes(field: str, value: object, allowed: range, problem: str) -> int:
    # bool is an int to Python, and 30.0 is "in" a range: neither is a number of minutes.
    if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
        raise ValidationError(field, problem)
    return value


def _time_of_day(field: str, value: object) -> time | None:
    """None or a plain time of day, to the minute (what is stored is "HH:MM")."""
    if value is None:
        return None
    if not isinstance(value, time) or value.tzinfo is not None:
        raise ValidationError(field, "Must be a time of day, like 21:00.")
    return value.replace(second=0, microsecond=0)


def checked_settings(settings: ReminderSettings) -> ReminderSettings:
    """``settings`` as they will be stored, or ``ValidationError`` naming what is wrong."""
    enabled = settings.enabled
    if not isinstance(enabled, (set, frozenset)) or not all(
        isinstance(kind, str) and kind in NoticeKind.__members__.values() for kind in enabled
    ):
        raise ValidationError("enabled", "Pick which reminders to show.")
    before = _minutes(
        "minutes_before_interview",
        settings.minutes_before_interview,
        LEAD_MINUTES_RANGE,
        "Pick between 5 minutes and 24 hours before.",
    )
    after = _minutes(
        "minutes_after_interview",
        settings.minutes_after_interview,
        AFTER_MINUTES_RANGE,
        "Pick between 0 minutes and 24 hours after.",
    )
    quiet_start = _time_of_day("quiet_hours", settings.quiet_start)
    quiet_end = _time_of_day("quiet_hours", settings.quiet_end)
    if (quiet_start is None) != (quiet_end is None):
        raise ValidationError("quiet_hours", "Give both the start and the end of quiet hours.")
    if quiet_start is not None and quiet_start == quiet_end:
        raise ValidationError("quiet_hours", "Quiet hours must start and end at different times.")
    if settings.paused_until is not None:
        aware_datetime("paused_until", settings.paused_until)
    keep_running = settings.keep_running_when_closed
    if keep_running is not None and not isinstance(keep_running, bool):
        raise ValidationError("keep_running_when_closed", "Must be yes, no or not asked yet.")
    return replace(
        settings,
        enabled=frozenset(NoticeKind(kind) for kind in enabled),
        minutes_before_interview=before,
        minutes_after_interview=after,
        quiet_start=quiet_start,
        quiet_end=quiet_end,
        digest_at=_time_of_day("digest_at", settings.digest_at),
    )


def save_reminder_settings(db: Database, settings: ReminderSettings) -> ReminderSettings:
    """Store ``settings`` after checking each value; returns what was stored."""
    settings = checked_settings(settings)
    with db.session() as session:
        session.merge(Setting(key=REMINDERS_KEY, value=settings.to_json()))
    logger.info("Reminder settings saved")
    return settings
