"""The user-adjustable parts of the rules, read from the ``settings`` table.

Today that is how many business days after the decision date a status
follow-up becomes due. Values are stored as text under fixed keys; a value
that cannot be read (edited by hand, written by a future version) falls back
to the default with a warning rather than breaking the checklist. Writing the
setting is :mod:`afterword.core.settings`' job.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, select

from afterword.core.checklist.facts import DEFAULT_FOLLOW_UP_BUSINESS_DAYS, RuleSettings
from afterword.core.storage.models import Setting

logger = logging.getLogger(__name__)

FOLLOW_UP_BUSINESS_DAYS_KEY = "follow_up_business_days"
FOLLOW_UP_BUSINESS_DAYS_RANGE = range(1, 31)

_STORED = select(Setting.value).where(Setting.key == FOLLOW_UP_BUSINESS_DAYS_KEY)


def load_rule_settings(connection: Connection) -> RuleSettings:
    """The rule settings, read on a connection the caller already holds."""
    stored = connection.scalar(_STORED)
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
