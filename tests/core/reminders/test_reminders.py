"""Reminders over a real database: what notifies, once, quiet hours, pause, catch-up, digest.

The clock is passed in: time passes by moving ``now``, never by sleeping.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta

import pytest

from afterword.core.applications import create_application
from afterword.core.checklist import service as checklist
from afterword.core.checklist.items import ChecklistItem, ItemKind, ItemState, SubjectKind
from afterword.core.errors import ValidationError
from afterword.core.interviews import save_interview
from afterword.core.reminders import planning
from afterword.core.reminders.service import look, record_notified
from afterword.core.reminders.settings import (
    NoticeKind,
    ReminderSettings,
    get_reminder_settings,
    parse_settings,
    save_reminder_settings,
)
from afterword.core.storage.db import Database
from afterword.core.storage.records import (
    ApplicationFields,
    ContactFields,
    InterviewFields,
    ParticipantFields,
)
from afterword.core.storage.values import ApplicationStatus


def _interview(
    db: Database, now: datetime, starts_at: datetime, company: str = "Brightline"
) -> int:
    app = create_application(
        db,
        ApplicationFields(company=company, role="Engineer", status=ApplicationStatus.INTERVIEWING),
        now=now - timedelta(days=10),
    )
    people = [
        ParticipantFields(new_contact=ContactFields(name=name, email=email))
        for name, email in (("Dana Lee", "dana@x.example"), ("Marcus Oyelaran", "m@x.example"))
    ]
    interview = save_interview(
        db,
        InterviewFields(application_id=app.id, starts_at=starts_at, timezone="Europe/Berlin"),
        people,
        now=now - timedelta(days=1),
    )
    return interview.id


def _shown(db: Database, now: datetime) -> list[planning.Notice]:
    """What the app would show at ``now``; recorded as shown, as the app does."""
    outlook = look(db, now)
    for notice in outlook.plan.notices:
        record_notified(db, notice.log_keys, now)
    return list(outlook.plan.notices)


@pytest.fixture
def daytime(db: Database, now: datetime) -> datetime:
    """No quiet hours in these tests unless they set them; ``now`` is 10:00 anyway."""
    save_reminder_settings(db, ReminderSettings())
    return now


def test_before_an_interview_names_company_time_and_people(db: Database, daytime: datetime) -> None:
    starts = daytime.replace(hour=14)
    _interview(db, daytime, starts)
    assert _shown(db, daytime) == []
    plan = look(db, daytime).plan
    assert plan.next_at == starts - timedelta(minutes=30)

    at = starts - timedelta(minutes=30)
    [notice] = _shown(db, at)
    assert notice.summary == "Interview with Brightline at 14:00"
    assert "ask about the next steps and when they expect to decide" in notice.body
    assert "Dana Lee and Marcus Oyelaran" in notice.body
    # Once only.
    assert _shown(db, at + timedelta(minutes=1)) == []


def test_after_the_interview_one_notice_for_the_thank_yous_with_the_composer_action(
    db: Database, daytime: datetime
) -> None:
    starts = daytime.replace(hour=11)
    interview_id = _interview(db, daytime, starts)
    _shown(db, starts - timedelta(minutes=30))
    ends = starts + timedelta(hours=1)
    assert look(db, ends).plan.next_at == ends + timedelta(hours=1)
    [notice] = _shown(db, ends + timedelta(hours=1))
    assert notice.summary == "Send your thank-you notes to Dana Lee and Marcus Oyelaran"
    assert notice.actions[0] == planning.Action.WRITE_THANK_YOU
    assert notice.interview_id == interview_id
    assert _shown(db, ends + timedelta(hours=2)) == []


def test_catch_up_at_start_groups_what_became_due_while_not_running(
    db: Database, daytime: datetime
) -> None:
    for company in ("A", "B", "C"):
        _interview(db, daytime, daytime - timedelta(days=3), company=company)
    # Days later, the app starts: per interview two thank-yous and the question about next
    # steps are overdue (the "after" reminders have expired).
    [notice] = _shown(db, daytime)
    assert notice.kind is None
    assert notice.summary == "9 overdue"
    assert notice.count == 9
    assert _shown(db, daytime + timedelta(minutes=5)) == []


def test_done_dismissed_and_snoozed_items_never_notify(db: Database, daytime: datetime) -> None:
    _interview(db, daytime, daytime - timedelta(days=3))
    items = [i for i in checklist.today(db, daytime) if i.state == "overdue"]
    checklist.mark_done(db, items[0].key, daytime)
    checklist.dismiss(db, items[1].key, daytime)
    checklist.snooze(db, items[2].key, daytime + timedelta(days=1), daytime)
    shown = _shown(db, daytime)
    keys = {key for notice in shown for key in notice.log_keys}
    assert not any(items[n].key in key for key in keys for n in range(3))


def test_a_snoozed_item_notifies_again_when_the_snooze_ends(
    db: Database, daytime: datetime
) -> None:
    _interview(db, daytime, daytime - timedelta(days=3))
    _shown(db, daytime)
    key = next(i.key for i in checklist.today(db, daytime) if i.kind == "thank_you")
    checklist.snooze(db, key, daytime + timedelta(days=1), daytime)
    later = daytime + timedelta(days=1, minutes=1)
    shown = _shown(db, later)
    assert [n for n in shown if any(key in k for k in n.log_keys)]


def test_quiet_hours_hold_notifications_until_they_end(db: Database, now: datetime) -> None:
    save_reminder_settings(db, ReminderSettings(quiet_start=time(21), quiet_end=time(8)))
    evening = now.replace(hour=20)
    _interview(db, evening, evening.replace(hour=19) - timedelta(days=3))
    night = evening.replace(hour=23)
    plan = look(db, night).plan
    assert plan.notices == ()
    assert plan.held_until == (night + timedelta(days=1)).replace(hour=8, minute=0)
    assert plan.next_at == plan.held_until
    assert _shown(db, plan.held_until) != []


def test_pause_for_an_hour_and_until_tomorrow(db: Database, daytime: datetime) -> None:
    _interview(db, daytime, daytime - timedelta(days=3))
    paused = ReminderSettings(paused_until=daytime + timedelta(hours=1))
    save_reminder_settings(db, paused)
    assert look(db, daytime).plan.notices == ()
    assert look(db, daytime).plan.next_at == daytime + timedelta(hours=1)
    assert _shown(db, daytime + timedelta(hours=1)) != []
    tomorrow = planning.pause_until_tomorrow(daytime)
    assert tomorrow == datetime(2026, 3, 12, 0, 0, tzinfo=daytime.tzinfo)
    # Until tomorrow, then quiet hours until 08:00.
    assert planning.held_until(
        daytime, ReminderSettings(paused_until=tomorrow)
    ) == tomorrow.replace(hour=8)


def test_switched_off_kinds_do_not_notify(db: Database, daytime: datetime) -> None:
    starts = daytime.replace(hour=14)
    _interview(db, daytime, starts)
    save_reminder_settings(
        db, ReminderSettings(enabled=frozenset(NoticeKind) - {NoticeKind.BEFORE_INTERVIEW})
    )
    assert _shown(db, starts - timedelta(minutes=30)) == []


def test_check_ins_are_grouped_at_most_once_a_day(daytime: datetime) -> None:
    settings = ReminderSettings()
    items = []
    for contact_id in (1, 2, 3):
        items.append(
            ChecklistItem(
                key=f"stay_in_touch:c{contact_id}:2026-03-0{contact_id}",
                kind=ItemKind.STAY_IN_TOUCH,
                title=f"Check in with Person {contact_id}",
                detail="Every 90 days",
                subject=SubjectKind.CONTACT,
                application_id=None,
                interview_id=None,
                contact_id=contact_id,
                due_at=daytime - timedelta(days=contact_id),
                overdue_at=daytime + timedelta(days=6),
                state=ItemState.DUE,
            )
        )
    found = planning.events(items[:2], [], settings)
    first = planning.plan(found, items[:2], set(), settings, daytime)
    [notice] = first.notices
    assert notice.summary == "Time to check in with 2 people"
    logged = set(notice.log_keys)
    # A third falls due later the same day: it waits for tomorrow.
    found = planning.events(items, [], settings)
    later = planning.plan(found, items, logged, settings, daytime + timedelta(hours=2))
    assert later.notices == ()
    assert later.next_at == datetime(2026, 3, 12, 0, 0, tzinfo=daytime.tzinfo)


def test_grouped_summary_reads_like_a_person_wrote_it() -> None:
    kinds = [NoticeKind.FOLLOW_UP_DUE] * 5 + [NoticeKind.OVERDUE] * 2
    assert planning.grouped_summary(kinds) == "5 follow-ups due, 2 overdue"


def test_settings_round_trip_and_bad_values(db: Database, now: datetime) -> None:
    chosen = ReminderSettings(
        enabled=frozenset({NoticeKind.OVERDUE}),
        minutes_before_interview=45,
        quiet_start=time(22, 30),
        quiet_end=time(7),
        paused_until=now + timedelta(hours=1),
        digest_at=time(7, 30),
        keep_running_when_closed=True,
    )
    save_reminder_settings(db, chosen)
    assert get_reminder_settings(db) == chosen
    with pytest.raises(ValidationError, match="different times"):
        save_reminder_settings(db, replace(chosen, quiet_end=time(22, 30)))
    with pytest.raises(ValidationError, match="5 minutes"):
        save_reminder_settings(db, replace(chosen, minutes_before_interview=1))
    # A hand-edited value loses only its broken field.
    broken = parse_settings('{"minutes_before_interview": "soon", "digest_at": "07:00"}')
    assert broken.minutes_before_interview == 30
    assert broken.digest_at == time(7)
    assert parse_settings("not json") == ReminderSettings()
