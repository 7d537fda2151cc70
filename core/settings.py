"""The few preferences the core's rules read, kept in the ``settings`` table.

Today that is how many business days after the decision date a status
follow-up becomes due. Values are stored as text under fixed keys; a value
that cannot be read (edited by hand, written by a future version) falls back
to the default with a warning rather than breaking the checklist.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from afterword.core.checklist.facts import DEFAULT_FOLLOW_UP_BUSINESS_DAYS, RuleSettings
from afterword.core.errors import ValidationError
from afterword.core.storage.db import Database
from afterword.core.storage.models import Setting

logger = logging.getLogger(__name__)

FOLLOW_UP_BUSINESS_DAYS_KEY = "follow_up_business_days"
FOLLOW_UP_BUSINESS_DAYS_RANGE = range(1, 31)
# How often to check in with someone met in an interview, unless they have their own cadence.
STAY_IN_TOUCH_DAYS_KEY = "stay_in_touch_days"
DEFAULT_STAY_IN_TOUCH_DAYS = 90
STAY_IN_TOUCH_DAYS_RANGE = range(7, 366)


def load_rule_settings(session: Session) -> RuleSettings:
    """The rule settings, read inside a session the caller already holds."""
    stored = session.scalar(select(Setting.value).where(Setting.key == FOLLOW_UP_BUSINESS_DAYS_KEY))
    if stored is None:
        return RuleSettings()
    try:
        days = int(stored)
    except ValueError:
        days = 0
    if days not in FOLLOW_UP_BUSINESS_DAYS_RANGE:
        logger.warning(
            "Ignoring stored %s=%r (not 1 to 30); using %d",
            FOLLOW_UP_BUSINESS_DAYS_KEY,
            stored,
            DEFAULT_FOLLOW_UP_BUSINESS_DAYS,
        )
        return RuleSettings()
    return RuleSettings(follow_up_business_days=days)


def get_rule_settings(db: Database) -> RuleSettings:
    with db.reading() as session:
        return load_rule_settings(session)


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
        settings = load_rule_settings(session)
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
