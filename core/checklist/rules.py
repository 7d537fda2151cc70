"""The follow-up playbook as pure rules: from recorded facts and ``now`` to checklist items.

No I/O and no clock: everything comes in as arguments. ``now.tzinfo`` is the
user's time zone and defines "a day" for date-based items; an interview's own
IANA zone defines "the day of the interview" (as shown in the item's detail).
``docs/checklist.md`` states each rule as the user sees it: when it is due,
when overdue, and what makes it done. Days, moments, states and marks are
:mod:`afterword.core.checklist.timing`'s; its public names are re-exported
here for the rules' callers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime

from afterword.core.checklist.facts import (
    ApplicationFacts,
    ContactFacts,
    InterviewFacts,
    ManualMark,
    RuleSettings,
    TouchpointFacts,
)
from afterword.core.checklist.items import (
    REQUEST_BY_KIND,
    ChecklistItem,
    ItemKind,
    ItemState,
    SubjectKind,
    make_key,
)
from afterword.core.checklist.timing import (
    EARLIEST,
    FAR_FUTURE,
    LAST_DAY,
    LATEST,
    UPCOMING,
    RuleContext,
    add_business_days,
    after,
    apply_mark,
    day_in_range,
    day_start,
    local_day,
    moment_in_range,
    named_zone,
    restated,
    rule_context,
    shift_days,
    snooze_end,
    today_horizon,
    today_items,
    urgency,
)
from afterword.core.storage.values import (
    DECIDED_STATUSES,
    ApplicationStatus,
    ChecklistMark,
    Purpose,
    TouchpointKind,
)

logger = logging.getLogger(__name__)

__all__ = [
    "EARLIEST",
    "FAR_FUTURE",
    "LAST_DAY",
    "LATEST",
    "UPCOMING",
    "RuleContext",
    "add_business_days",
    "application_items",
    "apply_mark",
    "day_start",
    "follow_up_items",
    "interview_items",
    "local_day",
    "rejection_items",
    "restated",
    "rule_context",
    "shift_days",
    "snooze_end",
    "today_horizon",
    "today_items",
    "touchpoints_about",
    "urgency",
]

THANK_YOU_HOURS = 24
REPLY_BUSINESS_DAYS = 2
WEEK_DAYS = 7
MAX_FOLLOW_UPS = 2
_THANK_YOU_KINDS = frozenset({TouchpointKind.EMAIL, TouchpointKind.LETTER})


# --- the rules --------------------------------------------------------------------------------


def application_items(
    app: ApplicationFacts,
    touchpoints: Iterable[TouchpointFacts],
    contacts_by_id: Mapping[int, ContactFacts],
    marks: Mapping[str, ManualMark],
    now: datetime,
    settings: RuleSettings,
) -> list[ChecklistItem]:
    """Every item about one application: its interviews', its follow-ups, its rejection's.

    ``touchpoints`` may hold more than this application's: each rule picks
    the ones it reads. ``contacts_by_id`` gives the participants' cadences.
    """
    ctx = rule_context(now, marks, settings)
    touchpoints = tuple(touchpoints)
    about_app = touchpoints_about(app, touchpoints)
    items: list[ChecklistItem] = []
    for interview in app.interviews:
        items.extend(_interview_items(ctx, app, interview, about_app))
    items.extend(_follow_up_items(ctx, app, about_app))
    if app.status == ApplicationStatus.REJECTED:
        items.extend(_rejection_items(ctx, app, about_app, touchpoints, contacts_by_id))
    return items


# The parts of application_items, for callers (the Today list) that know
# which parts can still have something to do. They share one RuleContext.


def touchpoints_about(
    app: ApplicationFacts, touchpoints: Iterable[TouchpointFacts]
) -> list[TouchpointFacts]:
    """The touchpoints linked to this application or to one of its interviews."""
    interview_ids = {interview.id for interview in app.interviews}
    return [t for t in touchpoints if t.application_id == app.id or t.interview_id in interview_ids]


def interview_items(
    ctx: RuleContext,
    app: ApplicationFacts,
    interview: InterviewFacts,
    touchpoints: Iterable[TouchpointFacts],
) -> list[ChecklistItem]:
    """One interview's items: next steps, interviewers' details, a thank-you to each."""
    return list(_interview_items(ctx, app, interview, tuple(touchpoints)))


def follow_up_items(
    ctx: RuleContext, app: ApplicationFacts, about_app: Iterable[TouchpointFacts]
) -> list[ChecklistItem]:
    """The status follow-ups and the gone-quiet flag.

    ``about_app`` must hold only touchpoints about this application (see
    :func:`touchpoints_about`); ``app.interviews`` is not read.
    """
    return _follow_up_items(ctx, app, tuple(about_app))


def rejection_items(
    ctx: RuleContext,
    app: ApplicationFacts,
    touchpoints: Iterable[TouchpointFacts],
    contacts_by_id: Mapping[int, ContactFacts],
) -> list[ChecklistItem]:
    """After a rejection (none for other statuses); needs all of ``app.interviews``."""
    if app.status != ApplicationStatus.REJECTED:
        return []
    touchpoints = tuple(touchpoints)
    about_app = touchpoints_about(app, touchpoints)
    return _rejection_items(ctx, app, about_app, touchpoints, contacts_by_id)


def _interview_items(
    ctx: RuleContext,
    app: ApplicationFacts,
    interview: InterviewFacts,
    touchpoints: Sequence[TouchpointFacts],
) -> Iterator[ChecklistItem]:
    """Before leaving the interview, and the thank-yous after it."""
    starts = moment_in_range(interview.starts_at)
    ends = after(starts, minutes=interview.duration_minutes)
    thank_you_deadline = after(ends, hours=THANK_YOU_HOURS)
    zone = named_zone(interview.timezone) or ctx.zone
    detail = (
        f"{app.role} at {app.company}, {interview.round_name or 'interview'} "
        f"on {ctx.day(local_day(starts, zone))}"
    )
    ids = {"application_id": app.id, "interview_id": interview.id}
    # One item per person even if a caller lists someone twice.
    participants = list({p.contact_id: p for p in interview.participants}.values())

    # Asking is done once the answer is recorded, or once the answer itself came.
    answered = (
        app.decision_expected is not None
        or app.next_steps != ""
        or app.status in DECIDED_STATUSES
        or interview.outcome is not None
    )
    if ctx.wants(answered):
        yield ctx.item(
            ItemKind.ASK_NEXT_STEPS,
            (f"i{interview.id}",),
            title="Ask about next steps and the time frame",
            detail=detail,
            subject=SubjectKind.INTERVIEW,
            due_at=starts,
            overdue_at=thank_you_deadline,
            done_by_facts=answered,
            **ids,
        )

    missing = [p.name or "an interviewer" for p in participants if p.email == ""]
    collected = bool(participants) and not missing
    if ctx.wants(collected):
        if not participants:
            details_detail = f"{detail}: no interviewer recorded yet"
        elif missing:
            details_detail = f"{detail}: no email yet for {', '.join(missing)}"
        else:
            details_detail = detail
        yield ctx.item(
            ItemKind.COLLECT_DETAILS,
            (f"i{interview.id}",),
            title="Collect each interviewer's name, title and email",
            detail=details_detail,
            subject=SubjectKind.INTERVIEW,
            due_at=starts,
            overdue_at=thank_you_deadline,
            done_by_facts=collected,
            **ids,
        )

    thanked = {
        t.contact_id
        for t in touchpoints
        if t.interview_id == interview.id
        and t.purpose == Purpose.THANK_YOU
        and t.kind in _THANK_YOU_KINDS
    }
    rejected_at = _rejected_at(app) if app.status == ApplicationStatus.REJECTED else None
    for person in participants:
        if not ctx.wants(done := person.contact_id in thanked):
            continue
        name = person.name or "your interviewer"
        parts = (f"i{interview.id}", f"c{person.contact_id}")
        if rejected_at is not None and not done and not _settled_before(ctx, parts, rejected_at):
            # After a no, a thank-you is a courtesy that keeps the door open:
            # offered from the rejection on (the composer writes the "thank you
            # anyway" note), never pressed as overdue.
            title, overdue_at = f"Thank {name} anyway (optional)", FAR_FUTURE
            due_at = max(ends, rejected_at)
            item_detail = f"{detail}; after their no, a short note keeps the door open"
        else:
            title, due_at, overdue_at = f"Send a thank-you to {name}", ends, thank_you_deadline
            item_detail = detail
        yield ctx.item(
            ItemKind.THANK_YOU,
            parts,
            title=title,
            detail=item_detail,
            subject=SubjectKind.INTERVIEW,
            due_at=due_at,
            overdue_at=overdue_at,
            done_by_facts=done,
            contact_id=person.contact_id,
            **ids,
        )


def _settled_before(ctx: RuleContext, parts: tuple[str, ...], moment: datetime) -> bool:
    """Whether the thank-you was checked off or dismissed by hand before ``moment``."""
    mark = ctx.marks.get(make_key(ItemKind.THANK_YOU, *parts))
    settling = (ChecklistMark.DONE, ChecklistMark.DISMISSED)
    return mark is not None and mark.mark in settling and mark.at < moment


def _rejected_at(app: ApplicationFacts) -> datetime:
    """When the no came: its recorded time, else the application's last change."""
    return moment_in_range(app.decided_at or app.updated_at)


def _replied_since_last_follow_up(touchpoints: Sequence[TouchpointFacts], since: datetime) -> bool:
    """They answered since the last follow-up, counting only what came from ``since`` on.

    ``since`` is the start of the decision day: a reply before it (the one that
    gave a new decision date, say) does not answer the follow-ups that date brings.
    """
    replies = [
        t.occurred_at
        for t in touchpoints
        if t.kind == TouchpointKind.REPLIED and t.occurred_at >= since
    ]
    if not replies:
        return False
    follow_ups = [
        t.occurred_at
        for t in touchpoints
        if t.purpose == Purpose.STATUS_FOLLOW_UP and t.occurred_at >= since
    ]
    return not follow_ups or max(replies) >= max(follow_ups)


def _follow_up_items(
    ctx: RuleContext, app: ApplicationFacts, touchpoints: Sequence[TouchpointFacts]
) -> list[ChecklistItem]:
    """Status follow-ups after the decision date passes, then the gone-quiet flag.

    A reply from them since the last follow-up (noticed in the inbox, or "They
    replied"), on or after the decision day, ends the chain; a new decision
    date set after the reply starts a new one.
    """
    if app.decision_expected is None or app.status in DECIDED_STATUSES:
        return []
    decision_day = day_in_range(app.decision_expected)
    if _replied_since_last_follow_up(touchpoints, day_start(decision_day, ctx.zone)):
        return []
    # Follow-ups are counted in days: one email to two people is one follow-up.
    follow_up_days = sorted(
        {
            day
            for t in touchpoints
            if t.purpose == Purpose.STATUS_FOLLOW_UP
            and (day := local_day(moment_in_range(t.occurred_at), ctx.zone)) >= decision_day
        }
    )
    base = decision_day
    spacing = ctx.settings.follow_up_business_days
    items: list[ChecklistItem] = []
    for number in range(1, MAX_FOLLOW_UPS + 1):
        due_day = add_business_days(base, spacing)
        done_by_facts = len(follow_up_days) >= number
        if ctx.wants(done_by_facts):
            if number == 1:
                title = f"Follow up with {app.company} on their decision"
                detail = f"{app.role}: they expected to decide by {ctx.day(decision_day)}"
            else:
                title = f"Follow up again with {app.company}"
                detail = f"{app.role}: no answer since your follow-up on {ctx.day(base)}"
            item = ctx.item(
                ItemKind.STATUS_FOLLOW_UP,
                (f"a{app.id}", str(number)),
                title=title,
                detail=detail,
                subject=SubjectKind.APPLICATION,
                due_at=day_start(due_day, ctx.zone),
                overdue_at=day_start(add_business_days(due_day, 1), ctx.zone),
                done_by_facts=done_by_facts,
                application_id=app.id,
            )
            items.append(item)
            if item.state != ItemState.DONE:
                return items
        # Not done by the facts means it was built above and checked off by hand.
        base = follow_up_days[number - 1] if done_by_facts else ctx.done_day(item)
        spacing = ctx.settings.second_follow_up_business_days
    due_day = add_business_days(base, spacing)
    items.append(
        ctx.item(
            ItemKind.GONE_QUIET,
            (f"a{app.id}",),
            title=f"{app.company} has gone quiet",
            detail=(
                f"{app.role}: no answer after two follow-ups. Consider moving on, "
                "and keep in touch with the people you met."
            ),
            subject=SubjectKind.APPLICATION,
            due_at=day_start(due_day, ctx.zone),
            overdue_at=day_start(add_business_days(due_day, 1), ctx.zone),
            done_by_facts=False,
            application_id=app.id,
        )
    )
    return items


def _rejection_items(
    ctx: RuleContext,
    app: ApplicationFacts,
    about_app: Sequence[TouchpointFacts],
    touchpoints: Sequence[TouchpointFacts],
    contacts_by_id: Mapping[int, ContactFacts],
) -> list[ChecklistItem]:
    """After a no: reply (why, still interested, referral), connect, keep in touch."""
    rejected_at = _rejected_at(app)
    rejection_day = local_day(rejected_at, ctx.zone)
    # Anything from the day of the rejection on counts: the reply may have been
    # recorded before the status was changed.
    since = day_start(rejection_day, ctx.zone)
    reply_deadline = day_start(add_business_days(rejection_day, REPLY_BUSINESS_DAYS), ctx.zone)
    week_deadline = day_start(shift_days(rejection_day, WEEK_DAYS), ctx.zone)
    replies_since = [
        t for t in about_app if t.purpose == Purpose.REJECTION_REPLY and t.occurred_at >= since
    ]
    company, part = app.company, (f"a{app.id}",)

    replies = [
        (
            ItemKind.ASK_FEEDBACK,
            f"Ask {company} why, politely",
            "feedback helps the next interview",
        ),
        (
            ItemKind.SAY_STILL_INTERESTED,
            f"Tell {company} you are still interested",
            "you would like to be considered for future roles",
        ),
        (
            ItemKind.ASK_REFERRAL,
            f"Ask {company} to refer you to other openings",
            "e.g. if you see another role on their job board, would they refer you?",
        ),
    ]
    items = [
        ctx.item(
            kind,
            part,
            title=title,
            detail=f"{app.role}: {why}",
            subject=SubjectKind.APPLICATION,
            due_at=rejected_at,
            overdue_at=reply_deadline,
            done_by_facts=replied,
            application_id=app.id,
        )
        for kind, title, why in replies
        if (kind != ItemKind.SAY_STILL_INTERESTED or app.still_interested)
        # Done by a reply that asked for it (one logged by hand asked for everything).
        and ctx.wants(replied := any(t.asked(REQUEST_BY_KIND[kind]) for t in replies_since))
    ]

    people = {p.contact_id: p.name for i in app.interviews for p in i.participants}
    if not people:
        return items
    connected = any(
        t.kind == TouchpointKind.LINKEDIN and t.contact_id in people and t.occurred_at >= since
        for t in touchpoints
    )
    if ctx.wants(connected):
        items.append(
            ctx.item(
                ItemKind.CONNECT_LINKEDIN,
                part,
                title=f"Connect with the people you met at {company} on LinkedIn",
                detail=f"{app.role}: {', '.join(sorted(people.values()))}",
                subject=SubjectKind.APPLICATION,
                due_at=rejected_at,
                overdue_at=week_deadline,
                done_by_facts=connected,
                application_id=app.id,
            )
        )
    without_cadence = sorted(
        name
        for contact_id, name in people.items()
        if (contact := contacts_by_id.get(contact_id)) is None or not contact.cadence_days
    )
    if ctx.wants(not without_cadence):
        items.append(
            ctx.item(
                ItemKind.SCHEDULE_STAY_IN_TOUCH,
                part,
                title=f"Set stay-in-touch reminders for the people you met at {company}",
                detail=(
                    f"{app.role}: no reminder yet for {', '.join(without_cadence)}"
                    if without_cadence
                    else f"{app.role}: everyone has a reminder"
                ),
                subject=SubjectKind.APPLICATION,
                due_at=rejected_at,
                overdue_at=week_deadline,
                done_by_facts=not without_cadence,
                application_id=app.id,
            )
        )
    return items
