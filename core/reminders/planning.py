"""What to notify and when: pure rules from items, interviews, settings and ``now``.

No I/O and no clock. :func:`events` lists every notification the current
items and interviews can give, each with the moment it fires and a log key
naming the state it is about; :func:`plan` takes those, the log keys already
notified (kept in the database by :mod:`afterword.core.reminders.service`),
the settings and ``now``, and says what to show now and when to look again.

- Each event fires once: its log key holds the item and the moment of the
  state it announces, so a snooze or a moved interview gives a new one.
- Only items still to do give events (done, dismissed and snoozed ones never),
  and optional ones (a thank-you after a no) neither give events nor count.
- Quiet hours and a pause hold everything back until they end.
- Several events due at once (typically at start, after the app was not
  running) become one grouped notification ("5 follow-ups due, 2 overdue");
  a reminder before an interview always comes on its own.
- Stay-in-touch check-ins come grouped, at most one notification a day.
"""

from __future__ import annotations

import enum
import logging
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from afterword.core.checklist.items import ChecklistItem, ItemKind, ItemState, item_label
from afterword.core.checklist.rules import day_start, local_day, urgency
from afterword.core.reminders.settings import NoticeKind, ReminderSettings

logger = logging.getLogger(__name__)

TRAY_ITEMS = 5
GROUP_BODY_LINES = 4
# Looking again at least this often keeps the plan right across suspend, clock
# and zone changes that no event announces (the scheduler's coarse tick).
COARSE_TICK = timedelta(minutes=10)


class Action(enum.StrEnum):
    """What a notification offers (where the platform shows actions)."""

    OPEN = "open"
    WRITE_THANK_YOU = "write_thank_you"
    SNOOZE_DAY = "snooze_1_day"
    DONE = "done"


ACTION_LABELS: dict[Action, str] = {
    Action.OPEN: "Open",
    Action.WRITE_THANK_YOU: "Write thank-you",
    Action.SNOOZE_DAY: "Snooze 1 day",
    Action.DONE: "Done",
}


@dataclass(frozen=True, kw_only=True)
class InterviewSoon:
    """An interview a reminder is about, with what the notification names."""

    id: int
    application_id: int
    company: str
    role: str
    starts_at: datetime
    ends_at: datetime
    timezone: tzinfo
    people: tuple[str, ...] = ()
    # False for an interview that will not take place: cancelled, or its
    # application withdrawn or rejected. Nothing reminds of it beforehand.
    goes_ahead: bool = True


@dataclass(frozen=True, kw_only=True)
class Event:
    """One notification the data can give: fires at ``fire_at``, no longer after ``expires_at``."""

    kind: NoticeKind
    log_key: str
    fire_at: datetime
    expires_at: datetime | None = None
    item: ChecklistItem | None = None
    interview: InterviewSoon | None = None


@dataclass(frozen=True, kw_only=True)
class Notice:
    """A notification to show now; ``log_keys`` are recorded once it is shown."""

    summary: str
    body: str
    log_keys: tuple[str, ...]
    kind: NoticeKind | None = None  # None: several kinds grouped
    count: int = 1  # how many items it is about
    actions: tuple[Action, ...] = (Action.OPEN,)
    item_keys: tuple[str, ...] = ()  # the items Snooze and Done act on
    application_id: int | None = None
    interview_id: int | None = None
    contact_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class Plan:
    """What to show now, when to look again, and what the tray shows."""

    notices: tuple[Notice, ...]
    next_at: datetime | None
    attention: int  # items due or overdue
    upcoming: tuple[ChecklistItem, ...]  # the next few items to do, most urgent first
    held_until: datetime | None = None  # quiet hours or a pause hold notifications back
    # What the tray calls each upcoming item (by key): its title naming the company.
    labels: Mapping[str, str] = field(default_factory=dict)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M")


def check_in_day_key(day: date) -> str:
    return f"check_ins_day:{day.isoformat()}"


def _clock(moment: datetime, zone: tzinfo) -> str:
    return moment.astimezone(zone).strftime("%H:%M")


def _names(people: Sequence[str]) -> str:
    if len(people) <= 1:
        return "".join(people)
    return f"{', '.join(people[:-1])} and {people[-1]}"


# --- quiet hours and pause -------------------------------------------------------------------


def _quiet_end(now: datetime, settings: ReminderSettings) -> datetime | None:
    """When the quiet hours ``now`` falls in end (None: ``now`` is not in quiet hours)."""
    start, end = settings.quiet_start, settings.quiet_end
    if start is None or end is None or start == end:
        return None
    zone = now.tzinfo
    assert zone is not None
    clock = now.timetz().replace(tzinfo=None)
    today = now.date()
    if start < end:
        inside = start <= clock < end
        end_day = today
    else:  # across midnight, e.g. 21:00 to 08:00
        inside = clock >= start or clock < end
        end_day = today + timedelta(days=1) if clock >= start else today
    if not inside:
        return None
    return datetime.combine(end_day, end, tzinfo=zone)


def held_until(now: datetime, settings: ReminderSettings) -> datetime | None:
    """Until when notifications are held back by a pause or quiet hours (None: not held)."""
    moment = now
    held = None
    # A pause may end inside quiet hours, and quiet hours may end inside a pause.
    for _ in range(3):
        if settings.paused_until is not None and settings.paused_until > moment:
            moment = held = settings.paused_until
        quiet = _quiet_end(moment, settings)
        if quiet is None:
            break
        moment = held = quiet
    return held


def pause_until_tomorrow(now: datetime) -> datetime:
    """The end of a "pause until tomorrow": the start of the next local day."""
    zone = now.tzinfo
    assert zone is not None
    return day_start(now.date() + timedelta(days=1), zone).astimezone(zone)


# --- events ------------------------------------------------------------------------------------


def events(
    items: Iterable[ChecklistItem],
    interviews: Iterable[InterviewSoon],
    settings: ReminderSettings,
) -> list[Event]:
    """Every notification the items and interviews can give, for the enabled kinds."""
    found: list[Event] = []
    by_id = {interview.id: interview for interview in interviews}
    if settings.wants(NoticeKind.BEFORE_INTERVIEW):
        lead = timedelta(minutes=settings.minutes_before_interview)
        for interview in by_id.values():
            if not interview.goes_ahead:
                continue
            found.append(
                Event(
                    kind=NoticeKind.BEFORE_INTERVIEW,
                    log_key=f"before:i{interview.id}:{_stamp(interview.starts_at)}",
                    fire_at=interview.starts_at - lead,
                    expires_at=interview.starts_at,
                    interview=interview,
                )
            )
    after = timedelta(minutes=settings.minutes_after_interview)
    for item in items:
        # An optional item (a thank-you after a no) is offered on Today, never pushed.
        if not item.is_actionable or item.is_optional:
            continue
        if item.kind == ItemKind.THANK_YOU and settings.wants(NoticeKind.AFTER_INTERVIEW):
            found.append(
                Event(
                    kind=NoticeKind.AFTER_INTERVIEW,
                    log_key=f"after:{item.key}:{_stamp(item.due_at)}",
                    fire_at=item.due_at + after,
                    expires_at=item.overdue_at,
                    item=item,
                    interview=by_id.get(item.interview_id or 0),
                )
            )
        if item.kind == ItemKind.STAY_IN_TOUCH:
            if settings.wants(NoticeKind.CHECK_INS):
                found.append(
                    Event(
                        kind=NoticeKind.CHECK_INS,
                        log_key=f"check_in:{item.key}:{_stamp(item.due_at)}",
                        fire_at=item.due_at,
                        item=item,
                    )
                )
            continue
        if item.kind == ItemKind.STATUS_FOLLOW_UP and settings.wants(NoticeKind.FOLLOW_UP_DUE):
            found.append(
                Event(
                    kind=NoticeKind.FOLLOW_UP_DUE,
                    log_key=f"due:{item.key}:{_stamp(item.due_at)}",
                    fire_at=item.due_at,
                    expires_at=item.overdue_at,
                    item=item,
                )
            )
        if settings.wants(NoticeKind.OVERDUE):
            found.append(
                Event(
                    kind=NoticeKind.OVERDUE,
                    log_key=f"overdue:{item.key}:{_stamp(item.overdue_at)}",
                    fire_at=item.overdue_at,
                    item=item,
                )
            )
    return found


# --- notices -----------------------------------------------------------------------------------


def _item_notice(event: Event, companies: Mapping[int, str]) -> Notice:
    """An item becoming overdue, or a status follow-up becoming due."""
    item = event.item
    assert item is not None
    state = "Overdue" if event.kind == NoticeKind.OVERDUE else "Due now"
    return Notice(
        summary=f"{state}: {item_label(item, companies)}",
        body=item.detail,
        log_keys=(event.log_key,),
        kind=event.kind,
        actions=(Action.OPEN, Action.SNOOZE_DAY, Action.DONE),
        item_keys=(item.key,),
        application_id=item.application_id,
        interview_id=item.interview_id,
        contact_id=item.contact_id,
    )


def _before_notice(event: Event) -> Notice:
    interview = event.interview
    assert interview is not None
    at = _clock(interview.starts_at, interview.timezone)
    body = "Before you leave, ask about the next steps and when they expect to decide."
    if interview.people:
        body += f" You will meet {_names(interview.people)}."
    return Notice(
        summary=f"Interview with {interview.company} at {at}",
        body=body,
        log_keys=(event.log_key,),
        kind=event.kind,
        actions=(Action.OPEN,),
        application_id=interview.application_id,
        interview_id=interview.id,
    )


def _after_notice(group: Sequence[Event]) -> Notice:
    """The thank-yous one interview still needs, in one notification."""
    first = group[0].item
    assert first is not None
    interview = group[0].interview
    people = [
        event.item.title.removeprefix("Send a thank-you to ")
        for event in group
        if event.item is not None
    ]
    where = f" after your interview with {interview.company}" if interview else ""
    return Notice(
        summary=f"Send your thank-you notes to {_names(people)}",
        body=f"A short note within a day{where} makes a difference.",
        log_keys=tuple(event.log_key for event in group),
        kind=NoticeKind.AFTER_INTERVIEW,
        count=len(group),
        actions=(Action.WRITE_THANK_YOU, Action.OPEN, Action.SNOOZE_DAY, Action.DONE),
        item_keys=tuple(event.item.key for event in group if event.item is not None),
        application_id=first.application_id,
        interview_id=first.interview_id,
        contact_id=first.contact_id if len(group) == 1 else None,
    )


def _check_ins_notice(group: Sequence[Event], day_key: str) -> Notice:
    names = [e.item.title.removeprefix("Check in with ") for e in group if e.item is not None]
    summary = names[0] if len(names) == 1 else f"{len(names)} people"
    return Notice(
        summary=f"Time to check in with {summary}",
        body=", ".join(names[:8]) + (" and others" if len(names) > 8 else ""),
        log_keys=(*(event.log_key for event in group), day_key),
        kind=NoticeKind.CHECK_INS,
        count=len(group),
        actions=(Action.OPEN,),
        contact_id=group[0].item.contact_id if len(group) == 1 and group[0].item else None,
    )


_GROUP_WORDS: dict[NoticeKind, tuple[str, str]] = {
    NoticeKind.AFTER_INTERVIEW: ("thank-you to send", "thank-yous to send"),
    NoticeKind.FOLLOW_UP_DUE: ("follow-up due", "follow-ups due"),
    NoticeKind.OVERDUE: ("overdue", "overdue"),
    NoticeKind.CHECK_INS: ("check-in", "check-ins"),
}


def grouped_summary(kinds: Iterable[NoticeKind]) -> str:
    """ "5 follow-ups due, 2 overdue": one count per kind, in a fixed order."""
    counts = Counter(kinds)
    parts = []
    for kind, (one, many) in _GROUP_WORDS.items():
        if counts[kind]:
            parts.append(f"{counts[kind]} {one if counts[kind] == 1 else many}")
    return ", ".join(parts)


def _grouped_notice(notices: Sequence[Notice]) -> Notice:
    counted = [notice.kind for notice in notices for _ in range(notice.count) if notice.kind]
    lines = [notice.summary for notice in notices[:GROUP_BODY_LINES]]
    if len(notices) > GROUP_BODY_LINES:
        lines.append(f"and {len(notices) - GROUP_BODY_LINES} more in Afterword")
    return Notice(
        summary=grouped_summary(counted),
        body="\n".join(lines),
        log_keys=tuple(key for notice in notices for key in notice.log_keys),
        count=len(counted),
        actions=(Action.OPEN,),
    )


# --- the plan ----------------------------------------------------------------------------------


def plan(
    found: Sequence[Event],
    items: Sequence[ChecklistItem],
    logged: Collection[str],
    settings: ReminderSettings,
    now: datetime,
    companies: Mapping[int, str] | None = None,
) -> Plan:
    """What to notify at ``now`` and when to look again (see the module docstring).

    ``companies`` (by application id) names the company in the tray and notices.
    """
    companies = companies or {}
    if now.tzinfo is None:
        raise ValueError("now must be time-zone aware: its zone is the user's")
    zone = now.tzinfo
    # Optional items (a thank-you after a no) wait on Today; they never ask for attention.
    todo = [item for item in items if item.is_actionable and not item.is_optional]
    attention = sum(1 for item in todo if item.state != ItemState.OPEN)
    upcoming = tuple(sorted(todo, key=urgency)[:TRAY_ITEMS])
    labels = {item.key: item_label(item, companies) for item in upcoming}
    pending = [e for e in found if e.log_key not in logged]
    live = [e for e in pending if e.expires_at is None or now < e.expires_at]

    # When anything the tray or a notification shows changes next.
    moments = [e.fire_at for e in live if e.fire_at > now]
    for item in todo:
        moments.append(item.due_at if item.state == ItemState.OPEN else item.overdue_at)
    moments = [m for m in moments if m > now]

    held = held_until(now, settings)
    due_now = [e for e in live if e.fire_at <= now]
    today_key = check_in_day_key(local_day(now, zone))
    check_ins = [e for e in due_now if e.kind == NoticeKind.CHECK_INS]
    if check_ins and today_key in logged:
        due_now = [e for e in due_now if e.kind != NoticeKind.CHECK_INS]
        moments.append(day_start(now.date() + timedelta(days=1), zone))
    if held is not None:
        if due_now:
            moments.append(held)
        return Plan(
            notices=(),
            next_at=min(moments, default=None),
            attention=attention,
            upcoming=upcoming,
            held_until=held,
            labels=labels,
        )
    return Plan(
        notices=tuple(_notices(due_now, today_key, companies)),
        next_at=min(moments, default=None),
        attention=attention,
        upcoming=upcoming,
        labels=labels,
    )


def _notices(
    due_now: Sequence[Event], today_key: str, companies: Mapping[int, str]
) -> list[Notice]:
    before = [_before_notice(e) for e in due_now if e.kind == NoticeKind.BEFORE_INTERVIEW]
    others: list[Notice] = []
    thank_yous: dict[int | None, list[Event]] = {}
    for event in due_now:
        if event.kind == NoticeKind.AFTER_INTERVIEW:
            thank_yous.setdefault(event.item.interview_id if event.item else None, []).append(event)
    others.extend(_after_notice(group) for group in thank_yous.values())
    check_ins = [e for e in due_now if e.kind == NoticeKind.CHECK_INS]
    if check_ins:
        others.append(_check_ins_notice(check_ins, today_key))
    others.extend(
        _item_notice(e, companies)
        for e in due_now
        if e.kind in (NoticeKind.OVERDUE, NoticeKind.FOLLOW_UP_DUE)
    )
    if len(others) > 1:
        others = [_grouped_notice(others)]
    return before + others


def digest_day(now: datetime, settings: ReminderSettings, logged: Collection[str]) -> date | None:
    """The local day whose morning digest is due at ``now`` (None: none due now)."""
    if settings.digest_at is None:
        return None
    day = now.date()
    if digest_key(day) in logged or now.timetz().replace(tzinfo=None) < settings.digest_at:
        return None
    return day


def next_digest_at(now: datetime, settings: ReminderSettings, sent_today: bool) -> datetime | None:
    """When the next morning digest is due (None: no digest chosen)."""
    if settings.digest_at is None:
        return None
    zone = now.tzinfo
    assert zone is not None
    today_at = datetime.combine(now.date(), settings.digest_at, tzinfo=zone)
    if sent_today or today_at <= now:
        return datetime.combine(now.date() + timedelta(days=1), settings.digest_at, tzinfo=zone)
    return today_at


def digest_key(day: date) -> str:
    return f"digest:{day.isoformat()}"


def digest_items(items: Iterable[ChecklistItem], now: datetime) -> list[ChecklistItem]:
    """What a digest lists: everything due or overdue, and what falls due before the day ends."""
    zone = now.tzinfo
    assert zone is not None
    day_end = day_start(now.date() + timedelta(days=1), zone)
    chosen = [
        item
        for item in items
        if not item.is_optional
        and (
            item.state in (ItemState.DUE, ItemState.OVERDUE)
            or (item.state == ItemState.OPEN and item.due_at < day_end)
        )
    ]
    return sorted(chosen, key=urgency)


def quiet_hours_text(start: time | None, end: time | None) -> str:
    if start is None or end is None:
        return "no quiet hours"
    return f"quiet from {start:%H:%M} to {end:%H:%M}"
