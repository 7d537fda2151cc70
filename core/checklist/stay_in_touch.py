"""Stay in touch (playbook step 6): a check-in with each contact every ``cadence_days``.

Pure rules like :mod:`afterword.core.checklist.rules`: no I/O and no clock.
Each cycle is its own item (its key holds its due day); ``docs/checklist.md``
states the rule as the user sees it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime

from afterword.core.checklist.facts import ContactFacts, ManualMark, RuleSettings
from afterword.core.checklist.items import ChecklistItem, ItemKind, ItemState, SubjectKind
from afterword.core.checklist.rules import WEEK_DAYS
from afterword.core.checklist.timing import (
    RuleContext,
    day_start,
    local_day,
    moment_in_range,
    rule_context,
    shift_days,
)

logger = logging.getLogger(__name__)


def contact_items(
    contact: ContactFacts,
    marks: Mapping[str, ManualMark],
    now: datetime,
    settings: RuleSettings,
) -> list[ChecklistItem]:
    """Stay in touch: a check-in is due ``cadence_days`` after the last touchpoint.

    Each cycle is its own item (its key holds its due day). A new touchpoint
    starts a new cycle; a cycle checked off or dismissed by hand starts the
    next one from that day. Returns the cycles walked, the current one last.
    """
    return check_in_items(rule_context(now, marks, settings), contact)


def check_in_items(ctx: RuleContext, contact: ContactFacts) -> list[ChecklistItem]:
    """:func:`contact_items` in a context shared with other rule calls."""
    cadence = contact.cadence_days
    if cadence is None or cadence < 1:
        return []
    last = contact.last_touchpoint_at
    base = local_day(moment_in_range(last or contact.created_at), ctx.zone)
    since = f"last in touch on {ctx.day(base)}" if last else f"added on {ctx.day(base)}"
    items: list[ChecklistItem] = []
    while True:
        due_day = shift_days(base, cadence)
        item = ctx.item(
            ItemKind.STAY_IN_TOUCH,
            (f"c{contact.id}", due_day.isoformat()),
            title=f"Check in with {contact.name or 'a contact'}",
            detail=f"Every {cadence} days; {since}",
            subject=SubjectKind.CONTACT,
            due_at=day_start(due_day, ctx.zone),
            overdue_at=day_start(shift_days(due_day, WEEK_DAYS), ctx.zone),
            done_by_facts=False,
            contact_id=contact.id,
        )
        items.append(item)
        if item.state not in (ItemState.DONE, ItemState.DISMISSED):
            return items
        next_base = max(ctx.done_day(item), shift_days(base, 1))
        if shift_days(next_base, cadence) <= due_day:
            return items  # reached LAST_DAY: no later cycle to walk to
        base = next_base
        since = f"checked off on {ctx.day(base)}"
