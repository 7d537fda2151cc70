"""Whatever the recorded facts, the checklist never breaks.

Property tests: arbitrary applications, interviews, touchpoints, contacts and
hand-made marks, at arbitrary moments in arbitrary time zones (daylight-saving
changes, half-hour zones, the date line, years far off, typo-sized numbers),
never crash the rules, and every item they make has an aware due time no
later than its overdue time and a state that agrees with the clock.

The shortcuts the Today list takes are held to the rules here too: leaving
out what the facts made done leaves every other item as it was, and items
made at one moment, restated for another, are the items made then.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from afterword.core.checklist.facts import (
    ApplicationFacts,
    ContactFacts,
    InterviewFacts,
    ManualMark,
    ParticipantFacts,
    RuleSettings,
    TouchpointFacts,
)
from afterword.core.checklist.items import PURPOSE_BY_KIND, ChecklistItem, ItemState, is_valid_key
from afterword.core.checklist.rules import (
    UPCOMING,
    RuleContext,
    add_business_days,
    application_items,
    follow_up_items,
    interview_items,
    rejection_items,
    restated,
    rule_context,
    today_items,
    touchpoints_about,
    urgency,
)
from afterword.core.checklist.stay_in_touch import check_in_items, contact_items
from afterword.core.storage.values import (
    ApplicationStatus,
    ChecklistMark,
    InterviewOutcome,
    Purpose,
    ReplyRequest,
    TouchpointKind,
)

INTERESTING_ZONES = (
    "Europe/Berlin",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Pacific/Auckland",
    "America/Santiago",  # clocks jump at midnight: some days have no 00:00
    "Australia/Lord_Howe",  # half-hour daylight saving
    "Pacific/Kiritimati",  # UTC+14
    "Etc/GMT+12",  # UTC-12
    "UTC",
)
zones = st.one_of(st.sampled_from(INTERESTING_ZONES).map(ZoneInfo), st.timezones())
zone_names = st.one_of(
    st.sampled_from(INTERESTING_ZONES), st.sampled_from(["", "Not/AZone", "../etc", "Europe"])
)
clocks = st.datetimes(
    min_value=datetime(1950, 1, 1), max_value=datetime(2150, 1, 1), timezones=zones
)
far_moments = st.one_of(
    st.datetimes(timezones=zones),
    st.datetimes(min_value=datetime(9999, 12, 1), timezones=zones),
    st.datetimes(max_value=datetime(1, 1, 31), timezones=zones),
)
far_days = st.one_of(
    st.dates(), st.dates(min_value=date(9999, 12, 1)), st.dates(max_value=date(1, 1, 31))
)
huge = st.integers(min_value=1, max_value=10**12)


@st.composite
def moments_around(draw: st.DrawFn, now: datetime) -> datetime:
    """Mostly within a few years of ``now`` (where the rules interact), sometimes anywhere."""
    if draw(st.integers(0, 9)) == 0:
        return draw(far_moments)
    offset = draw(st.integers(min_value=-3 * 365 * 24 * 60, max_value=365 * 24 * 60))
    return (now + timedelta(minutes=offset)).astimezone(draw(zones))


@st.composite
def days_around(draw: st.DrawFn, now: datetime) -> date:
    if draw(st.integers(0, 9)) == 0:
        return draw(far_days)
    return now.date() + timedelta(days=draw(st.integers(-800, 60)))


Scenario = tuple[
    datetime, ApplicationFacts, list[TouchpointFacts], dict[int, ContactFacts], RuleSettings
]


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    now = draw(clocks)
    people = [
        ParticipantFacts(
            contact_id=i,
            name=draw(st.text(max_size=12)),
            email=draw(st.sampled_from(["", "x@y.example"])),
        )
        for i in range(1, draw(st.integers(1, 5)))
    ]
    interviews = tuple(
        InterviewFacts(
            id=interview_id,
            starts_at=draw(moments_around(now)),
            timezone=draw(zone_names),
            duration_minutes=draw(st.one_of(st.integers(1, 600), huge)),
            round_name=draw(st.text(max_size=12)),
            outcome=draw(st.none() | st.sampled_from(InterviewOutcome)),
            participants=tuple(draw(st.lists(st.sampled_from(people), max_size=4)))
            if people
            else (),
        )
        for interview_id in range(10, 10 + draw(st.integers(0, 3)))
    )
    app = ApplicationFacts(
        id=7,
        company=draw(st.text(max_size=12)),
        role=draw(st.text(max_size=12)),
        status=draw(st.sampled_from(ApplicationStatus)),
        created_at=draw(moments_around(now)),
        updated_at=draw(moments_around(now)),
        decision_expected=draw(st.none() | days_around(now)),
        next_steps=draw(st.sampled_from(["", "A call next week."])),
        still_interested=draw(st.booleans()),
        decided_at=draw(st.none() | moments_around(now)),
        interviews=interviews,
    )
    touchpoints = [
        TouchpointFacts(
            contact_id=draw(st.integers(1, 6)),
            application_id=draw(st.sampled_from([7, 8, None])),
            interview_id=draw(st.sampled_from([None, 10, 11, 12, 99])),
            kind=draw(st.sampled_from(TouchpointKind)),
            purpose=draw(st.sampled_from(Purpose)),
            occurred_at=draw(moments_around(now)),
            requests=draw(st.none() | st.frozensets(st.sampled_from(ReplyRequest))),
        )
        for _ in range(draw(st.integers(0, 8)))
    ]
    contacts = {
        contact_id: ContactFacts(
            id=contact_id,
            name=draw(st.text(max_size=12)),
            cadence_days=draw(st.none() | st.integers(1, 400) | huge),
            created_at=draw(moments_around(now)),
            last_touchpoint_at=draw(st.none() | moments_around(now)),
        )
        for contact_id in range(1, 7)
        if draw(st.booleans())
    }
    rule_settings = RuleSettings(
        follow_up_business_days=draw(st.integers(1, 30)),
        second_follow_up_business_days=draw(st.integers(1, 30)),
    )
    return now, app, touchpoints, contacts, rule_settings


@st.composite
def marks_for(draw: st.DrawFn, keys: list[str], now: datetime) -> dict[str, ManualMark]:
    chosen = draw(st.lists(st.sampled_from(keys), unique=True)) if keys else []
    return {
        key: ManualMark(
            key=key,
            mark=draw(st.sampled_from(ChecklistMark)),
            at=draw(moments_around(now)),
            snoozed_until=draw(st.none() | moments_around(now)),
        )
        for key in chosen
    }


def assert_sound(items: list[ChecklistItem], now: datetime) -> None:
    assert len({item.key for item in items}) == len(items)
    for item in items:
        assert is_valid_key(item.key), item.key
        assert item.due_at.utcoffset() is not None
        assert item.overdue_at.utcoffset() is not None
        assert item.due_at <= item.overdue_at
        assert item.purpose == PURPOSE_BY_KIND[item.kind]
        if item.state == ItemState.OPEN:
            assert now < item.due_at
        elif item.state == ItemState.DUE:
            assert item.due_at <= now < item.overdue_at
        elif item.state == ItemState.OVERDUE:
            assert item.overdue_at <= now
        elif item.state == ItemState.SNOOZED:
            assert item.snoozed_until is not None and now < item.snoozed_until
        if item.done_automatically:
            assert item.state == ItemState.DONE


@settings(max_examples=400, deadline=None)
@given(scenarios(), st.data())
def test_no_application_facts_break_the_rules(scenario: Scenario, data: st.DataObject) -> None:
    now, app, touchpoints, contacts, rule_settings = scenario
    unmarked = application_items(app, touchpoints, contacts, {}, now, rule_settings)
    assert_sound(unmarked, now)

    marks = data.draw(marks_for([item.key for item in unmarked], now))
    marked = application_items(app, touchpoints, contacts, marks, now, rule_settings)
    assert_sound(marked, now)
    # What the facts made done stays done, whatever the marks.
    assert {i.key for i in unmarked if i.done_automatically} <= {
        i.key for i in marked if i.done_automatically
    }

    chosen = today_items(marked, now)
    assert chosen == sorted(chosen, key=urgency)
    for item in chosen:
        assert item.is_actionable
        # Within seven days of elapsed time (in UTC: adding to a zoned moment adds
        # wall-clock days, an hour off across a daylight-saving change).
        assert item.state != ItemState.OPEN or (
            item.due_at.astimezone(UTC) - now.astimezone(UTC) <= UPCOMING
        )


@settings(max_examples=300, deadline=None)
@given(clocks, st.data())
def test_no_contact_facts_break_stay_in_touch(now: datetime, data: st.DataObject) -> None:
    contact = ContactFacts(
        id=5,
        name=data.draw(st.text(max_size=12)),
        cadence_days=data.draw(st.none() | st.integers(-3, 400) | huge),
        created_at=data.draw(moments_around(now)),
        last_touchpoint_at=data.draw(st.none() | moments_around(now)),
    )
    unmarked = contact_items(contact, {}, now, RuleSettings())
    assert_sound(unmarked, now)
    assert bool(unmarked) == (contact.cadence_days is not None and contact.cadence_days > 0)

    # Mark the cycles one after another, as a user ticking them off would.
    marks: dict[str, ManualMark] = {}
    for _ in range(data.draw(st.integers(0, 4))):
        current = contact_items(contact, marks, now, RuleSettings())
        if not current:
            break
        marks |= data.draw(marks_for([current[-1].key], now))
    assert_sound(contact_items(contact, marks, now, RuleSettings()), now)


@given(st.dates(max_value=date(8999, 1, 1)), st.integers(1, 400))
def test_business_days_skip_weekends_and_count_exactly(day: date, count: int) -> None:
    result = add_business_days(day, count)

    assert result.weekday() < 5
    weekdays = sum(
        1 for n in range(1, (result - day).days + 1) if (day + timedelta(days=n)).weekday() < 5
    )
    assert weekdays == count


def parts(
    ctx: RuleContext,
    app: ApplicationFacts,
    touchpoints: list[TouchpointFacts],
    contacts: dict[int, ContactFacts],
) -> list[ChecklistItem]:
    """The application's items through the parts the Today list calls, in one context."""
    about = touchpoints_about(app, touchpoints)
    items = [item for i in app.interviews for item in interview_items(ctx, app, i, about)]
    items += follow_up_items(ctx, app, about)
    items += rejection_items(ctx, app, touchpoints, contacts)
    return items + [item for c in contacts.values() for item in check_in_items(ctx, c)]


def marked_scenario(data: st.DataObject) -> tuple[Scenario, dict[str, ManualMark]]:
    scenario = data.draw(scenarios())
    now, app, touchpoints, contacts, rule_settings = scenario
    everything = parts(rule_context(now, {}, rule_settings), app, touchpoints, contacts)
    return scenario, data.draw(marks_for([item.key for item in everything], now))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_leaving_out_what_the_facts_made_done_leaves_the_rest_as_it_was(
    data: st.DataObject,
) -> None:
    (now, app, touchpoints, contacts, rule_settings), marks = marked_scenario(data)

    every = parts(rule_context(now, marks, rule_settings), app, touchpoints, contacts)
    kept = parts(
        rule_context(now, marks, rule_settings, keep_done=False), app, touchpoints, contacts
    )

    assert kept == [item for item in every if not item.done_automatically]
    assert every == application_items(app, touchpoints, contacts, marks, now, rule_settings) + [
        item for c in contacts.values() for item in contact_items(c, marks, now, rule_settings)
    ]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_items_made_at_one_moment_and_restated_for_another_are_the_items_made_then(
    data: st.DataObject,
) -> None:
    (then, app, touchpoints, contacts, rule_settings), marks = marked_scenario(data)
    # Another moment in the same zone and year (an item's texts depend on those).
    now = then + timedelta(minutes=data.draw(st.integers(-400 * 24 * 60, 400 * 24 * 60)))
    assume(now.year == then.year)

    made_then = parts(rule_context(then, marks, rule_settings), app, touchpoints, contacts)
    made_now = parts(rule_context(now, marks, rule_settings), app, touchpoints, contacts)

    assert [restated(item, marks.get(item.key), now) for item in made_then] == made_now
