"""The few preferences the core's rules read, kept in the ``settings`` table.

Today that is how many business days after the decision date a status
follow-up becomes due. Reading it is the checklist's
(:mod:`afterword.core.checklist.settings`); this service writes it.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from afterword.core.checklist.facts import RuleSettings
from afterword.core.checklist.settings import (
    FOLLOW_UP_BUSINESS_DAYS_KEY,
    FOLLOW_UP_BUSINESS_DAYS_RANGE,
    load_rule_settings,
)
from afterword.core.errors import ValidationError
from afterword.core.storage.db import Database
from afterword.core.storage.models import Setting

logger = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_STAY_IN_TOUCH_DAYS",
    "FOLLOW_UP_BUSINESS_DAYS_KEY",
    "FOLLOW_UP_BUSINESS_DAYS_RANGE",
    "STAY_IN_TOUCH_DAYS_KEY",
    "STAY_IN_TOUCH_DAYS_RANGE",
    "get_rule_settings",
    "get_stay_in_touch_days",
    "load_stay_in_touch_days",
    "set_follow_up_business_days",
    "set_stay_in_touch_days",
]

# How often to check in with someone met in an interview, unless they have their own cadence.
STAY_IN_TOUCH_DAYS_KEY = "stay_in_touch_days"
DEFAULT_STAY_IN_TOUCH_DAYS = 90
STAY_IN_TOUCH_DAYS_RANGE = range(7, 366)


def get_rule_settings(db: Database) -> RuleSettings:
    with db.reading() as session:
        return load_rule_settings(session.connection())


def set_follow_up_business_days(db: Database, days: int) -> RuleSettings:
    """Make a status follow-up due ``days`` business days (1 to 30) after the decision date."""
    if isinstance(days, bool) or not isinstance(days, int):
        raise ValidationError(FOLLOW_UP_BUSINESS_DAYS_KEY, "Must be a whole number of days.")
    if days not in FOLLOW_UP_BUSINESS_DAYS_RANGE:
        raise ValidationError(
            FOLLOW_UP_BUSINESS_DAYS_KEY, "Must be between 1 and 30 business days."
        )
    with db.session() as session:
        session.merge(Setting(key=FOLLOW_UP_BUSINESS_DAYS_KEY, value=str(days)))
        session.flush()
        settings = load_rule_settings(session.connection())
    logger.info("Status follow-ups now due %d business days after the decision date", days)
    return settings


def load_stay_in_touch_days(session: Session) -> int:
    """The stay-in-touch cadence new people from interviews get, read in the caller's session."""
    stored = session.scalar(select(Setting.value).where(Setting.key == STAY_IN_TOUCH_DAYS_KEY))
    if stored is None:
        return DEFAULT_STAY_IN_TOUCH_DAYS
    try:
        days = int(stored)
    except ValueError:
        days = 0
    if days not in STAY_IN_TOUCH_DAYS_RANGE:
        logger.warning(
            "Ignoring stored %s=%r; using %d",
            STAY_IN_TOUCH_DAYS_KEY,
            stored,
            DEFAULT_STAY_IN_TOUCH_DAYS,
        )
        return DEFAULT_STAY_IN_TOUCH_DAYS
    return days


def get_stay_in_touch_days(db: Database) -> int:
    with db.reading() as session:
        return load_stay_in_touch_days(session)


def set_stay_in_touch_days(db: Database, days: int) -> int:
    """Check in every ``days`` days (7 to 365) with people met in interviews from now on."""
    if isinstance(days, bool) or not isinstance(days, int):
        raise ValidationError(STAY_IN_TOUCH_DAYS_KEY, "Must be a whole number of days.")
    if days not in STAY_IN_TOUCH_DAYS_RANGE:
        raise ValidationError(STAY_IN_TOUCH_DAYS_KEY, "Must be between 7 and 365 days.")
    with db.session() as session:
        session.merge(Setting(key=STAY_IN_TOUCH_DAYS_KEY, value=str(days)))
    logger.info("People met in interviews now get a check-in every %d days", days)
    return days
