"""The follow-up playbook as pure rules: from recorded facts and ``now`` to checklist items.

No I/O and no clock: everything comes in as arguments. ``now.tzinfo`` is the
user's time zone and defines "a day" for date-based items; an interview's own
IANA zone defines "the day of the interview" (as shown in the item's detail).
Business days skip Saturday and Sunday. ``docs/checklist.md`` states each rule
as the user sees it: when it is due, when overdue, and what makes it done.

Every item's times are aware and in UTC. Arithmetic on moments is done in
UTC (24 hours are 24 real hours, also across a daylight-saving change);
arithmetic on days is done on calendar dates, and a day starts at its first
moment in the relevant zone.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from afterword.core.checklist.facts import (
    ApplicationFacts,
    ContactFacts,
    InterviewFacts,
    ManualMark,
    RuleSettings,
    TouchpointFacts,
)
from afterword.core.checklist.items import (
    ACTIONABLE_STATES,
    PURPOSE_BY_KIND,
    ChecklistItem,
    ItemKind,
    ItemState,
    SubjectKind,
    make_key,
)
from afterword.core.storage.validation import UNKNOWN_ZONE
from afterword.core.storage.values import (
    DECIDED_STATUSES,
    ApplicationStatus,
    ChecklistMark,
    Purpose,
    TouchpointKind,
)

logger = logging.getLogger(__name__)

UPCOMING = timedelta(days=7)
THANK_YOU_HOURS = 24
REPLY_BUSINESS_DAYS = 2
WEEK_DAYS = 7
MAX_FOLLOW_UPS = 2

# A typo (an interview in the year 9999, a 99,999,999-day cadence) must not
# crash the Today list. Recorded moments are read within EARLIEST..LATEST (a
# couple of days inside what datetime can shift into any zone) and computed
# ones stop at FAR_FUTURE, far enough beyond LATEST that every deadline still
# fits after its due time.
EARLIEST = datetime(1, 1, 3, tzinfo=UTC)
LATEST = datetime(8000, 1, 1, tzinfo=UTC)
LAST_DAY = date(9000, 1, 1)
FAR_FUTURE = datetime(9000, 1, 1, tzinfo=UTC)

_THANK_YOU_KINDS = frozenset({TouchpointKind.EMAIL, TouchpointKind.LETTER})
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_URGENCY_RANK = {ItemState.OVERDUE: 0, ItemState.DUE: 1, ItemState.OPEN: 2}


# --- days, business days and moments -------------------------------------------------------


def _moment(recorded: datetime) -> datetime:
    """A recorded moment, in UTC, brought within the range the rules compute in."""
    return min(max(recorded, EARLIEST), LATEST).astimezone(UTC)


def _day(recorded: date) -> date:
    return min(max(recorded, EARLIEST.date()), LATEST.date())


def shift_days(day: date, days: int) -> date:
    """``day`` moved by ``days`` calendar days (stopping at :data:`LAST_DAY`)."""
    ordinal = min(day.toordinal() + days, LAST_DAY.toordinal())
    return date.fromordinal(max(ordinal, 1))


# Pure functions of a few values that recur across thousands of items (the same
# due days, the same zone): remembered, they cost a dictionary look-up.
@functools.lru_cache(maxsize=4096)
def add_business_days(day: date, count: int) -> date:
    """The ``count``-th Monday-to-Friday day after ``day`` (``day`` itself may be a weekend).

    ``count`` is at least 1. Computed, not looped, so any count is quick.
    """
    weekday = day.weekday()
    if weekday >= 5:
        # Counting from Saturday or Sunday is counting from the Friday before.
        day = shift_days(day, 4 - weekday)
        weekday = 4
    weeks, rest = divmod(count, 5)
    days = weeks * 7 + rest
    if weekday + rest >= 5:
        days += 2  # the count crosses one more weekend
    return shift_days(day, days)


@functools.lru_cache(maxsize=4096)
def day_start(day: date, zone: tzinfo) -> datetime:
    """The first moment of ``day`` in ``zone``, in UTC.

    Where midnight does not exist (a daylight-saving jump at 00:00), ``fold=0``
    maps it to the moment the clocks jumped to, which is the day's first moment.
    """
    return datetime.combine(min(day, LAST_DAY), time(), tzinfo=zone).astimezone(UTC)


def local_day(moment: datetime, zone: tzinfo) -> date:
    return moment.astimezone(zone).date()


def _after(moment: datetime, **delta: float) -> datetime:
    """``moment`` (in UTC) plus a duration in real time, stopping at :data:`FAR_FUTURE`."""
    try:
        later = moment + timedelta(**delta)
    except OverflowError:
        return FAR_FUTURE
    return min(later, FAR_FUTURE)


@functools.lru_cache(maxsize=512)
def _named_zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except UNKNOWN_ZONE:
        logger.warning("Unknown time zone %r on an interview; using the user's zone", name)
        return None


def _day_text(day: date, this_year: int) -> str:
    text = f"{day.day} {_MONTHS[day.month - 1]}"
    return text if day.year == this_year else f"{text} {day.year}"


# --- states and marks -----------------------------------------------------------------------


def _state(due_at: datetime, overdue_at: datetime, now: datetime) -> ItemState:
    if now >= overdue_at:
        return ItemState.OVERDUE
    if now >= due_at:
        return ItemState.DUE
    return ItemState.OPEN


def snooze_end(mark: ManualMark | None) -> datetime | None:
    """Until when a snooze mark hides its item (None for no mark or no snooze)."""
    if mark is None or mark.mark != ChecklistMark.SNOOZED or mark.snoozed_until is None:
        return None
    return _moment(mark.snoozed_until)


def apply_mark(item: ChecklistItem, mark: ManualMark | None, now: datetime) -> ChecklistItem:
    """The item as the user's hand-made mark leaves it.

    Done or dismissed by hand: so it stays. Snoozed until T: ``SNOOZED`` while
    ``now`` is before T; from T on its state is computed as usual, but it is
    never due before T. An item the facts made done ignores marks.
    """
    if mark is None or item.done_automatically:
        return item
    if mark.mark == ChecklistMark.DONE:
        return replace(item, state=ItemState.DONE)
    if mark.mark == ChecklistMark.DISMISSED:
        return replace(item, state=ItemState.DISMISSED)
    until = snooze_end(mark)
    if until is None:
        return item
    due_at = max(item.due_at, until)
    overdue_at = max(item.overdue_at, due_at)
    if now < until:
        return replace(
            item,
            due_at=due_at,
            overdue_at=overdue_at,
            state=ItemState.SNOOZED,
            snoozed_until=until,
        )
    return replace(
        item, due_at=due_at, overdue_at=overdue_at, state=_state(due_at, overdue_at, now)
    )


def restated(item: ChecklistItem, mark: ManualMark | None, now: datetime) -> ChecklistItem:
    """The item the rules make at ``now``, from the one they made at another moment.

    ``mark`` is the item's mark, as when it was made. Facts and marks fix
    everything about an item but its state (and until when it is snoozed):
    whether there is such an item, its texts (for one user zone and year)
    and when it is due and overdue, a snooze's delay included. So only the
    state is worked out again, as :func:`apply_mark` does; the same item
    comes back when that has not changed.
    """
    if item.state in (ItemState.DONE, ItemState.DISMISSED):
        return item  # by the facts or by hand: for good
    until = snooze_end(mark)
    if until is not None and now < until:
        state, snoozed_until = ItemState.SNOOZED, until
    else:
        state, snoozed_until = _state(item.due_at, item.overdue_at, now), None
    if state == item.state and snoozed_until == item.snoozed_until:
        return item
    return replace(item, state=state, snoozed_until=snoozed_until)


@dataclass(frozen=True)
class RuleContext:
    """What every rule needs besides the facts: the clock, the user's zone, marks, settings.

    Built once by :func:`rule_context` for any number of rule calls. With
    ``keep_done=False`` the rules leave out the items the facts show done
    (they are never on the Today list nor in the applications table, and
    building thousands of them for nothing is most of the work there); the
    items they do make are exactly the same either way.
    """

    now: datetime  # UTC
    zone: tzinfo  # the user's
    this_year: int
    marks: Mapping[str, ManualMark]
    settings: RuleSettings
    keep_done: bool = True

    def day(self, day: date) -> str:
        return _day_text(day, self.this_year)

    def wants(self, done_by_facts: bool) -> bool:
        """Whether to make an item the facts show done (``done_by_facts``) or not."""
        return self.keep_done or not done_by_facts

    def item(
        self,
        kind: ItemKind,
        parts: tuple[str, ...],
        *,
        title: str,
        detail: str,
        subject: SubjectKind,
        due_at: datetime,
        overdue_at: datetime,
        done_by_facts: bool,
        application_id: int | None = None,
        interview_id: int | None = None,
        contact_id: int | None = None,
    ) -> ChecklistItem:
        key = make_key(kind, *parts)
        item = ChecklistItem(
            key=key,
            kind=kind,
            title=title,
            detail=detail,
            subject=subject,
            application_id=application_id,
            interview_id=interview_id,
            contact_id=contact_id,
            due_at=due_at,
            overdue_at=overdue_at,
            state=ItemState.DONE if done_by_facts else _state(due_at, overdue_at, self.now),
            done_automatically=done_by_facts,
            purpose=PURPOSE_BY_KIND[kind],
        )
        return item if done_by_facts else apply_mark(item, self.marks.get(key), self.now)

    def done_day(self, item: ChecklistItem) -> date:
        """The day an item was checked off by hand (its mark's day, in the user's zone)."""
        return local_day(_moment(self.marks[item.key].at), self.zone)


def rule_context(
    now: datetime,
    marks: Mapping[str, ManualMark],
    settings: RuleSettings,
    *,
    keep_done: bool = True,
) -> RuleContext:
    """The rules' context at ``now``, whose zone is the user's (see :class:`RuleContext`)."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be time-zone aware: its zone is the user's")
    return RuleContext(
        now=now.astimezone(UTC),
        zone=now.tzinfo,
        this_year=now.year,
        marks=marks,
        settings=settings,
        keep_done=keep_done,
    )


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
    starts = _moment(interview.starts_at)
    ends = _after(starts, minutes=interview.duration_minutes)
    thank_you_deadline = _after(ends, hours=THANK_YOU_HOURS)
    zone = _named_zone(interview.timezone) or ctx.zone
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
    for person in participants:
        if not ctx.wants(done := person.contact_id in thanked):
            continue
        yield ctx.item(
            ItemKind.THANK_YOU,
            (f"i{interview.id}", f"c{person.contact_id}"),
            title=f"Send a thank-you to {person.name or 'your interviewer'}",
            detail=detail,
            subject=SubjectKind.INTERVIEW,
            due_at=ends,
            overdue_at=thank_you_deadline,
            done_by_facts=done,
            contact_id=person.contact_id,
            **ids,
        )


def _replied_since_last_follow_up(touchpoints: Sequence[TouchpointFacts]) -> bool:
    replies = [t.occurred_at for t in touchpoints if t.kind == TouchpointKind.REPLIED]
    if not replies:
        return False
    follow_ups = [t.occurred_at for t in touchpoints if t.purpose == Purpose.STATUS_FOLLOW_UP]
    return not follow_ups or max(replies) >= max(follow_ups)


def _follow_up_items(
    ctx: RuleContext, app: ApplicationFacts, touchpoints: Sequence[TouchpointFacts]
) -> list[ChecklistItem]:
    """Status follow-ups after the decision date passes, then the gone-quiet flag.

    A reply from them since the last follow-up (noticed in the inbox) ends the chain.
    """
    if app.decision_expected is None or app.status in DECIDED_STATUSES:
        return []
    if _replied_since_last_follow_up(touchpoints):
        return []
    decision_day = _day(app.decision_expected)
    # Follow-ups are counted in days: one email to two people is one follow-up.
    follow_up_days = sorted(
        {
            day
            for t in touchpoints
            if t.purpose == Purpose.STATUS_FOLLOW_UP
            and (day := local_day(_moment(t.occurred_at), ctx.zone)) >= decision_day
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
    rejected_at = _moment(app.decided_at or app.updated_at)
    rejection_day = local_day(rejected_at, ctx.zone)
    # Anything from the day of the rejection on counts: the reply may have been
    # recorded before the status was changed.
    since = day_start(rejection_day, ctx.zone)
    reply_deadline = day_start(add_business_days(rejection_day, REPLY_BUSINESS_DAYS), ctx.zone)
    week_deadline = day_start(shift_days(rejection_day, WEEK_DAYS), ctx.zone)
    replied = any(
        t.purpose == Purpose.REJECTION_REPLY and t.occurred_at >= since for t in about_app
    )
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
        if (kind != ItemKind.SAY_STILL_INTERESTED or app.still_interested) and ctx.wants(replied)
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
    base = local_day(_moment(last or contact.created_at), ctx.zone)
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


# --- the Today list ---------------------------------------------------------------------------


def urgency(item: ChecklistItem) -> tuple[int, datetime, datetime, str]:
    """Sort key: overdue (longest overdue first), due (closest to overdue first), then open."""
    rank = _URGENCY_RANK.get(item.state, len(_URGENCY_RANK))
    if item.state == ItemState.OPEN:
        return (rank, item.due_at, item.overdue_at, item.key)
    return (rank, item.overdue_at, item.due_at, item.key)


def today_items(items: Iterable[ChecklistItem], now: datetime) -> list[ChecklistItem]:
    """What needs attention: everything overdue or due, and what comes due within 7 days."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be time-zone aware: its zone is the user's")
    horizon = now + UPCOMING
    chosen = [
        item
        for item in items
        if item.state in ACTIONABLE_STATES
        and (item.state != ItemState.OPEN or item.due_at <= horizon)
    ]
    return sorted(chosen, key=urgency)
