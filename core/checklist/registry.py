"""The rule registry: each rule of the playbook, its kinds, its subject, how it makes items.

A :class:`Rule` is everything the kept items, the full builds and the
one-subject views need to know about one rule: which kinds of item it makes,
what its subject is (an interview, an application or a contact: every item
it makes is about one such subject, whose id ``subject_id`` names), which
subjects a write changed (:attr:`Rule.touched`), which subjects could still
have something to do (:attr:`Rule.candidates`, SQL, for full builds), which
facts its subjects need (:attr:`Rule.request`) and how its items are made
from them (:attr:`Rule.make`). ``docs/checklist.md`` ("Adding a rule") says
how to add one.
"""

from __future__ import annotations

from collections.abc import Callable, Set
from dataclasses import dataclass

from sqlalchemy import Select

from afterword.core.checklist import candidates
from afterword.core.checklist.items import ChecklistItem, ItemKind, SubjectKind
from afterword.core.checklist.loading import FactRequest, Facts
from afterword.core.checklist.rules import (
    RuleContext,
    follow_up_items,
    interview_items,
    rejection_items,
)
from afterword.core.checklist.stay_in_touch import check_in_items


@dataclass(frozen=True)
class Touched:
    """The subjects a write changed, with what they reach.

    ``applications``: named, or the application of a named interview;
    ``interviews``: named, of a named application, or with a named contact
    taking part; ``contacts``: named; ``met_in``: the applications a named
    contact took part in an interview of.
    """

    applications: frozenset[int] = frozenset()
    interviews: frozenset[int] = frozenset()
    contacts: frozenset[int] = frozenset()
    met_in: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Rule:
    """One rule of the playbook (see the module docstring)."""

    name: str  # stored with each kept item; a new name for a new rule
    kinds: frozenset[ItemKind]
    subject: SubjectKind
    touched: Callable[[Touched], Set[int]]
    candidates: Select[tuple[int]]
    request: Callable[[FactRequest, Set[int]], None]
    make: Callable[[RuleContext, Facts, int], list[ChecklistItem]]
    reads_settings: bool = False  # made again for every subject when the settings change


def _request_interviews(request: FactRequest, ids: Set[int]) -> None:
    request.interviews |= ids


def _make_interview(ctx: RuleContext, facts: Facts, interview_id: int) -> list[ChecklistItem]:
    found = facts.interviews.get(interview_id)
    if found is None:
        return []
    app_id, interview = found
    return interview_items(ctx, facts.applications[app_id], interview, facts.about.get(app_id, []))


def _request_follow_ups(request: FactRequest, ids: Set[int]) -> None:
    request.applications |= ids
    request.answers |= ids


def _make_follow_ups(ctx: RuleContext, facts: Facts, application_id: int) -> list[ChecklistItem]:
    app = facts.applications.get(application_id)
    if app is None:
        return []
    return follow_up_items(ctx, app, facts.about.get(application_id, []))


def _request_rejection(request: FactRequest, ids: Set[int]) -> None:
    request.whole |= ids
    request.answers |= ids


def _make_rejection(ctx: RuleContext, facts: Facts, application_id: int) -> list[ChecklistItem]:
    app = facts.applications.get(application_id)
    if app is None:
        return []
    return rejection_items(ctx, app, facts.touchpoints_for(app), facts.contacts)


def _request_check_in(request: FactRequest, ids: Set[int]) -> None:
    request.contacts |= ids


def _make_check_in(ctx: RuleContext, facts: Facts, contact_id: int) -> list[ChecklistItem]:
    contact = facts.contacts.get(contact_id)
    return [] if contact is None else check_in_items(ctx, contact)


RULES: tuple[Rule, ...] = (
    Rule(
        name="interview",
        kinds=frozenset({ItemKind.ASK_NEXT_STEPS, ItemKind.COLLECT_DETAILS, ItemKind.THANK_YOU}),
        subject=SubjectKind.INTERVIEW,
        touched=lambda touched: touched.interviews,
        candidates=candidates.INTERVIEWS,
        request=_request_interviews,
        make=_make_interview,
    ),
    Rule(
        name="follow_up",
        kinds=frozenset({ItemKind.STATUS_FOLLOW_UP, ItemKind.GONE_QUIET}),
        subject=SubjectKind.APPLICATION,
        touched=lambda touched: touched.applications,
        candidates=candidates.FOLLOW_UPS,
        request=_request_follow_ups,
        make=_make_follow_ups,
        reads_settings=True,
    ),
    Rule(
        name="rejection",
        kinds=frozenset(
            {
                ItemKind.ASK_FEEDBACK,
                ItemKind.SAY_STILL_INTERESTED,
                ItemKind.ASK_REFERRAL,
                ItemKind.CONNECT_LINKEDIN,
                ItemKind.SCHEDULE_STAY_IN_TOUCH,
            }
        ),
        subject=SubjectKind.APPLICATION,
        touched=lambda touched: touched.applications | touched.met_in,
        candidates=candidates.REJECTIONS,
        request=_request_rejection,
        make=_make_rejection,
    ),
    Rule(
        name="check_in",
        kinds=frozenset({ItemKind.STAY_IN_TOUCH}),
        subject=SubjectKind.CONTACT,
        touched=lambda touched: touched.contacts,
        candidates=candidates.CHECK_INS,
        request=_request_check_in,
        make=_make_check_in,
    ),
)
RULE_NAMED: dict[str, Rule] = {rule.name: rule for rule in RULES}
RULE_OF_KIND: dict[ItemKind, Rule] = {kind: rule for rule in RULES for kind in rule.kinds}
