"""What the checklist shows: one :class:`ChecklistItem` per step of the follow-up playbook.

Items are plain frozen values derived from the recorded facts by
:mod:`afterword.core.checklist.rules`. Each has a stable ``key`` (its kind plus the ids
it is about) under which a hand-made mark (done, dismissed, snoozed) is kept
in the ``checklist_states`` table. All times on an item are time-zone aware
and in UTC; a view shows them with ``.astimezone()``.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from afterword.core.storage.text import fold
from afterword.core.storage.values import Purpose, ReplyRequest


class ItemKind(enum.StrEnum):
    ASK_NEXT_STEPS = "ask_next_steps"
    COLLECT_DETAILS = "collect_details"
    THANK_YOU = "thank_you"
    STATUS_FOLLOW_UP = "status_follow_up"
    GONE_QUIET = "gone_quiet"
    ASK_FEEDBACK = "ask_feedback"
    SAY_STILL_INTERESTED = "say_still_interested"
    ASK_REFERRAL = "ask_referral"
    CONNECT_LINKEDIN = "connect_linkedin"
    SCHEDULE_STAY_IN_TOUCH = "schedule_stay_in_touch"
    STAY_IN_TOUCH = "stay_in_touch"


class ItemState(enum.StrEnum):
    OPEN = "open"  # exists, not yet due
    DUE = "due"
    OVERDUE = "overdue"
    DONE = "done"
    DISMISSED = "dismissed"
    SNOOZED = "snoozed"


class SubjectKind(enum.StrEnum):
    APPLICATION = "application"
    INTERVIEW = "interview"
    CONTACT = "contact"


# Where computed moments stop (see :mod:`afterword.core.checklist.timing`). An item
# whose deadline is here never becomes overdue: it is an offer, not a task.
FAR_FUTURE = datetime(9000, 1, 1, tzinfo=UTC)

ACTIONABLE_STATES = frozenset({ItemState.OPEN, ItemState.DUE, ItemState.OVERDUE})

# The message template that fits each kind of item (None: nothing to write).
PURPOSE_BY_KIND: dict[ItemKind, Purpose | None] = {
    ItemKind.ASK_NEXT_STEPS: None,
    ItemKind.COLLECT_DETAILS: None,
    ItemKind.THANK_YOU: Purpose.THANK_YOU,
    ItemKind.STATUS_FOLLOW_UP: Purpose.STATUS_FOLLOW_UP,
    ItemKind.GONE_QUIET: None,
    ItemKind.ASK_FEEDBACK: Purpose.REJECTION_REPLY,
    ItemKind.SAY_STILL_INTERESTED: Purpose.REJECTION_REPLY,
    ItemKind.ASK_REFERRAL: Purpose.REJECTION_REPLY,
    ItemKind.CONNECT_LINKEDIN: None,
    ItemKind.SCHEDULE_STAY_IN_TOUCH: None,
    ItemKind.STAY_IN_TOUCH: Purpose.CHECK_IN,
}

# What a reply to a rejection must have asked for to make each reply item done.
REQUEST_BY_KIND: dict[ItemKind, ReplyRequest] = {
    ItemKind.ASK_FEEDBACK: ReplyRequest.FEEDBACK,
    ItemKind.SAY_STILL_INTERESTED: ReplyRequest.STILL_INTERESTED,
    ItemKind.ASK_REFERRAL: ReplyRequest.REFERRAL,
}

# The shape of the part after "kind:" in each kind's key, e.g. "thank_you:i12:c5".
_KEY_SHAPES: dict[ItemKind, str] = {
    ItemKind.ASK_NEXT_STEPS: r"i\d+",
    ItemKind.COLLECT_DETAILS: r"i\d+",
    ItemKind.THANK_YOU: r"i\d+:c\d+",
    ItemKind.STATUS_FOLLOW_UP: r"a\d+:[12]",
    ItemKind.GONE_QUIET: r"a\d+",
    ItemKind.ASK_FEEDBACK: r"a\d+",
    ItemKind.SAY_STILL_INTERESTED: r"a\d+",
    ItemKind.ASK_REFERRAL: r"a\d+",
    ItemKind.CONNECT_LINKEDIN: r"a\d+",
    ItemKind.SCHEDULE_STAY_IN_TOUCH: r"a\d+",
    ItemKind.STAY_IN_TOUCH: r"c\d+:\d{4}-\d{2}-\d{2}",
}
_KEY = re.compile(
    "|".join(f"(?:{re.escape(kind.value)}:{shape})" for kind, shape in _KEY_SHAPES.items())
)


def make_key(kind: ItemKind, *parts: str) -> str:
    """The stable key of an item: its kind and the ids (and cycle) it is about."""
    return ":".join((kind, *parts))


def is_valid_key(key: str) -> bool:
    """Whether ``key`` has the shape of a key the rules produce."""
    return isinstance(key, str) and _KEY.fullmatch(key) is not None


@dataclass(frozen=True, kw_only=True)
class ChecklistItem:
    """One thing to do (or done) from the playbook, with when it is due."""

    key: str
    kind: ItemKind
    title: str
    detail: str
    subject: SubjectKind
    application_id: int | None
    interview_id: int | None
    contact_id: int | None
    due_at: datetime
    overdue_at: datetime
    state: ItemState
    snoozed_until: datetime | None = None
    done_automatically: bool = False
    purpose: Purpose | None = None

    @property
    def is_actionable(self) -> bool:
        """Still to do: open, due or overdue (not done, dismissed or snoozed)."""
        return self.state in ACTIONABLE_STATES

    @property
    def is_optional(self) -> bool:
        """Offered rather than pressed (a thank-you after a no): it never becomes overdue."""
        return self.overdue_at >= FAR_FUTURE


def item_label(item: ChecklistItem, companies: Mapping[int, str]) -> str:
    """An item's title where it stands alone (tray menu, calendar), naming its company.

    ``companies`` gives each application's company by id. "Ask about next
    steps and the time frame" reads "… · Acme", so two such items of two
    applications are told apart; a title naming it already ("Follow up with
    Acme on their decision") is left as it is.
    """
    company = " ".join(companies.get(item.application_id or 0, "").split())
    if not company or fold(company) in fold(item.title):
        return item.title
    return f"{item.title} · {company}"
