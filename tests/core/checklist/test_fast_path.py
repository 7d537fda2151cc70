"""The fast Today list and applications table agree with the plain rules on varied data.

``service.today`` and ``service.next_due_by_application`` only run the rules
where SQL says something could still be to do, and keep that (and the items
made from it) until anything is written to the database. Here the facts are
loaded the slow, obvious way (ORM rows, everything) and every rule is run on
everything; both ways must give exactly the same items, at several moments
and in several time zones, call after call, and after every kind of write,
also one made by another program.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from contextlib import closing
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from afterword.core.checklist import service
from afterword.core.checklist import today as today_view
from afterword.core.checklist.facts import (
    ApplicationFacts,
    ContactFacts,
    InterviewFacts,
    ManualMark,
    ParticipantFacts,
    TouchpointFacts,
)
from afterword.core.checklist.items import ChecklistItem
from afterword.core.checklist.rules import application_items, today_items, urgency
from afterword.core.checklist.stay_in_touch import contact_items
from afterword.core.mail.outbox import mark_sent_by_post
from afterword.core.settings import get_rule_settings, set_follow_up_business_days
from afterword.core.storage.db import Database
from afterword.core.storage.models import (
    Application,
    ChecklistState,
    Contact,
    Interview,
    Message,
    Template,
    Touchpoint,
)
from afterword.core.storage.values import ApplicationStatus, ChecklistMark, Purpose, TouchpointKind
from benchmarks.make_dataset import fill
from tests.core.checklist.builders import (
    BERLIN,
    add_application,
    add_contact,
    add_interview,
    add_touchpoint,
    at,
)


def plain_items(db: Database, now: datetime) -> list[ChecklistItem]:
    """Every item there is, from every row, through the rules' public entry points."""
    with db.reading() as session:
        applications = session.scalars(
            select(Application).options(
                selectinload(Application.interviews).selectinload(Interview.participants)
            )
        ).all()
        contacts = session.scalars(select(Contact)).all()
        touchpoint_rows = session.scalars(select(Touchpoint)).all()
        marks = {
            row.key: ManualMark(
                key=row.key, mark=row.mark, at=row.updated_at, snoozed_until=row.snoozed_until
            )
            for row in session.scalars(select(ChecklistState))
        }
        contact_by_id = {c.id: c for c in contacts}
        touchpoints = [
            TouchpointFacts(
                contact_id=t.contact_id,
                application_id=t.application_id,
                interview_id=t.interview_id,
                kind=t.kind,
                purpose=t.purpose,
                occurred_at=t.occurred_at,
                requests=t.requests,
            )
            for t in touchpoint_rows
        ]
        last_touch: dict[int, datetime] = {}
        for t in touchpoints:
            last_touch[t.contact_id] = max(
                t.occurred_at, last_touch.get(t.contact_id, t.occurred_at)
            )
        contact_facts = {
            c.id: ContactFacts(
                id=c.id,
                name=c.name,
                cadence_days=c.cadence_days,
                created_at=c.created_at,
                last_touchpoint_at=last_touch.get(c.id),
            )
            for c in contacts
        }
        application_facts = [
            ApplicationFacts(
                id=a.id,
                company=a.company,
                role=a.role,
                status=a.status,
                created_at=a.created_at,
                updated_at=a.updated_at,
                decision_expected=a.decision_expected,
                next_steps=a.next_steps,
                still_interested=a.still_interested,
                decided_at=a.decided_at,
                interviews=tuple(
                    InterviewFacts(
                        id=i.id,
                        starts_at=i.starts_at,
                        timezone=i.timezone,
                        duration_minutes=i.duration_minutes,
                        round_name=i.round_name,
                        outcome=i.outcome,
                        participants=tuple(
                            ParticipantFacts(
                                contact_id=p.contact_id,
                                name=contact_by_id[p.contact_id].name,
                                email=contact_by_id[p.contact_id].email,
                            )
                            for p in sorted(i.participants, key=lambda p: p.id)
                        ),
                    )
                    for i in sorted(a.interviews, key=lambda i: (i.starts_at, i.id))
                ),
            )
            for a in applications
        ]
    settings = get_rule_settings(db)
    items: list[ChecklistItem] = []
    for app in application_facts:
        items += application_items(app, touchpoints, contact_facts, marks, now, settings)
    for person in contact_facts.values():
        items += contact_items(person, marks, now, settings)
    return items


def add_awkward_cases(db: Database) -> None:
    """Rows a generated dataset rarely holds but the SQL shortcuts must not get wrong."""
    # Rejected with nobody met and no recorded decision time.
    add_application(db, company="Nobody Inc", status=ApplicationStatus.REJECTED)
    # Interviews with nobody recorded: one past, one next week, one far ahead.
    lonely = add_application(db, company="Lonely Ltd", next_steps="A call next week.")
    for day in (date(2026, 3, 2), date(2026, 3, 16), date(2026, 5, 4)):
        add_interview(db, lonely, at(BERLIN, day.year, day.month, day.day, 10))
    # A decision three weeks away, but the first follow-up was ticked off by
    # hand today: the second one is due within the week.
    early = add_application(db, company="Early Bird AG", decision_expected=date(2026, 4, 1))
    # Two follow-ups linked only through the interview, and the flag ticked off.
    quiet = add_application(db, company="Quiet GmbH", decision_expected=date(2026, 2, 2))
    kim = add_contact(db, "Kim Tanaka")
    talk = add_interview(db, quiet, at(BERLIN, 2026, 1, 26, 10), kim)
    add_touchpoint(db, kim, at(BERLIN, 2026, 1, 26, 17), Purpose.THANK_YOU, interview_id=talk)
    for day in (4, 11):
        add_touchpoint(
            db, kim, at(BERLIN, 2026, 2, day, 9), Purpose.STATUS_FOLLOW_UP, interview_id=talk
        )
    # One follow-up email to two people (one follow-up), yet the flag was ticked off.
    hasty = add_application(db, company="Hasty Ltd", decision_expected=date(2026, 2, 2))
    for person in (add_contact(db, "Ana Costa"), add_contact(db, "Ben Costa")):
        add_touchpoint(
            db, person, at(BERLIN, 2026, 2, 4, 9), Purpose.STATUS_FOLLOW_UP, application_id=hasty
        )
    # Last seen late in the evening: due at the start of the day a week from now.
    add_contact(db, "Late Owl", cadence_days=30, created_at=at(BERLIN, 2026, 2, 16, 23, 30))
    # Rejected on Monday: replied and connected, but nobody has a reminder yet.
    monday = at(BERLIN, 2026, 3, 9, 12)
    no_reminder = add_application(
        db, company="No Reminder AG", status=ApplicationStatus.REJECTED, decided_at=monday
    )
    sam = add_contact(db, "Sam Rossi")
    add_interview(db, no_reminder, at(BERLIN, 2026, 3, 2, 10), sam)
    add_touchpoint(
        db, sam, monday, Purpose.THANK_YOU, kind=TouchpointKind.LETTER, application_id=no_reminder
    )
    add_touchpoint(db, sam, monday, Purpose.REJECTION_REPLY, application_id=no_reminder)
    add_touchpoint(db, sam, monday, Purpose.OTHER, kind=TouchpointKind.LINKEDIN)
    # Rejected too, two of the three replies dismissed: asking for a referral is left.
    half = add_application(
        db, company="Half Reply GmbH", status=ApplicationStatus.REJECTED, decided_at=monday
    )
    # Rejected with nobody met: the reply sent asked only why; the rest is still to ask.
    partly = add_application(
        db, company="Partly Asked AG", status=ApplicationStatus.REJECTED, decided_at=monday
    )
    pat = add_contact(db, "Pat Weber")
    add_touchpoint(
        db,
        pat,
        monday,
        Purpose.REJECTION_REPLY,
        application_id=partly,
        requests=frozenset({"feedback", "stay_in_touch"}),
    )
    # Two replies that between them asked for everything: nothing left to do.
    twice = add_application(
        db, company="Asked Twice GmbH", status=ApplicationStatus.REJECTED, decided_at=monday
    )
    for day, asked in ((9, {"feedback", "still_interested"}), (10, {"referral"})):
        add_touchpoint(
            db,
            pat,
            at(BERLIN, 2026, 3, day, 17),
            Purpose.REJECTION_REPLY,
            application_id=twice,
            requests=frozenset(asked),
        )
    # A thank-you by phone is no thank-you note.
    rung = add_contact(db, "Rung Costa")
    called = add_application(db, company="Phone Co", next_steps="Wait for the recruiter.")
    phoned = add_interview(db, called, at(BERLIN, 2026, 3, 9, 10), rung)
    add_touchpoint(
        db,
        rung,
        at(BERLIN, 2026, 3, 9, 16),
        Purpose.THANK_YOU,
        kind=TouchpointKind.CALL,
        interview_id=phoned,
    )
    # A contact with a cadence nobody would type on purpose.
    add_contact(db, "Typo Cadence", cadence_days=10**9)
    # A LinkedIn connection after a rejection, with someone met in another round.
    rejected = add_application(
        db,
        company="Linked AG",
        status=ApplicationStatus.REJECTED,
        decided_at=at(BERLIN, 2026, 3, 2),
    )
    lee = add_contact(db, "Lee Berg", cadence_days=60)
    add_interview(db, rejected, at(BERLIN, 2026, 2, 20, 10), lee)
    add_touchpoint(db, lee, at(BERLIN, 2026, 3, 3), Purpose.CHECK_IN, kind=TouchpointKind.LINKEDIN)
    with db.session() as session:
        session.add_all(
            [
                ChecklistState(
                    key=f"status_follow_up:a{early}:1",
                    mark=ChecklistMark.DONE,
                    updated_at=at(BERLIN, 2026, 3, 11, 9),
                ),
                ChecklistState(
                    key=f"ask_feedback:a{half}",
                    mark=ChecklistMark.DISMISSED,
                    updated_at=monday,
                ),
                ChecklistState(
                    key=f"say_still_interested:a{half}",
                    mark=ChecklistMark.DISMISSED,
                    updated_at=monday,
                ),
                ChecklistState(
                    key=f"gone_quiet:a{hasty}",
                    mark=ChecklistMark.DONE,
                    updated_at=at(BERLIN, 2026, 3, 1),
                ),
                ChecklistState(
                    key=f"gone_quiet:a{quiet}",
                    mark=ChecklistMark.DONE,
                    updated_at=at(BERLIN, 2026, 3, 1),
                ),
                ChecklistState(
                    key=f"ask_feedback:a{rejected}",
                    mark=ChecklistMark.SNOOZED,
                    snoozed_until=at(BERLIN, 2026, 3, 12),
                    updated_at=at(BERLIN, 2026, 3, 2),
                ),
                ChecklistState(
                    key="junk that is no key",
                    mark=ChecklistMark.DONE,
                    updated_at=at(BERLIN, 2026, 3, 2),
                ),
            ]
        )


@pytest.fixture
def varied(db: Database, now: datetime) -> Database:
    fill(db, 150, now, seed=7)
    add_awkward_cases(db)
    return db


MOMENTS = [
    pytest.param(timedelta(0), BERLIN, id="now in Berlin"),
    pytest.param(timedelta(days=4, hours=7), BERLIN, id="in four days"),
    pytest.param(timedelta(days=-45), BERLIN, id="six weeks ago"),
    pytest.param(timedelta(hours=3), ZoneInfo("America/Los_Angeles"), id="in Los Angeles"),
    pytest.param(timedelta(days=20), ZoneInfo("Pacific/Auckland"), id="in Auckland"),
]


@pytest.mark.parametrize(("shift", "zone"), MOMENTS)
def test_today_is_exactly_what_the_rules_say_over_everything(
    varied: Database, now: datetime, shift: timedelta, zone: ZoneInfo
) -> None:
    moment = (now + shift).astimezone(zone)

    fast = service.today(varied, moment)
    plain = today_items(plain_items(varied, moment), moment)

    assert len(plain) >= 10  # the dataset has plenty to do
    assert fast == plain


@pytest.mark.parametrize(("shift", "zone"), MOMENTS)
def test_the_applications_table_is_exactly_what_the_rules_say(
    varied: Database, now: datetime, shift: timedelta, zone: ZoneInfo
) -> None:
    moment = (now + shift).astimezone(zone)
    expected: dict[int, ChecklistItem] = {}
    by_application: dict[int, list[ChecklistItem]] = defaultdict(list)
    for item in plain_items(varied, moment):
        if item.is_actionable and item.application_id is not None:
            by_application[item.application_id].append(item)
    for application_id, items in by_application.items():
        expected[application_id] = min(items, key=urgency)

    assert service.next_due_by_application(varied, moment) == expected


def test_the_one_application_view_is_what_the_rules_say(varied: Database, now: datetime) -> None:
    plain = [item for item in plain_items(varied, now) if item.application_id is not None]
    by_application: dict[int, list[ChecklistItem]] = defaultdict(list)
    for item in plain:
        by_application[item.application_id or 0].append(item)

    for application_id in list(by_application)[::10]:
        assert (
            service.checklist_for_application(varied, application_id, now)
            == (by_application[application_id])
        )


def assert_fast_is_plain(db: Database, moment: datetime) -> None:
    plain = plain_items(db, moment)
    assert service.today(db, moment) == today_items(plain, moment)
    expected: dict[int, ChecklistItem] = {}
    for item in plain:
        if item.is_actionable and item.application_id is not None:
            current = expected.get(item.application_id)
            if current is None or urgency(item) < urgency(current):
                expected[item.application_id] = item
    assert service.next_due_by_application(db, moment) == expected


def test_call_after_call_the_lists_stay_what_the_rules_say(varied: Database, now: datetime) -> None:
    # What was worked out for one call is kept for the next (nothing was
    # written in between): items come due, fall overdue and wake from their
    # snoozes as the clock moves, forwards and back, in any zone.
    for shift, zone in [
        (timedelta(0), BERLIN),
        (timedelta(days=1, hours=2), BERLIN),
        (timedelta(days=4, hours=7), BERLIN),
        (timedelta(days=-45), BERLIN),
        (timedelta(hours=3), ZoneInfo("America/Los_Angeles")),
        (timedelta(days=20), ZoneInfo("Pacific/Auckland")),
        (timedelta(0), BERLIN),
    ]:
        assert_fast_is_plain(varied, (now + shift).astimezone(zone))


def test_every_kind_of_write_shows_in_the_next_call(varied: Database, now: datetime) -> None:
    assert_fast_is_plain(varied, now)
    first, second, third, *_ = service.today(varied, now)

    service.mark_done(varied, first.key, now)
    assert_fast_is_plain(varied, now)
    service.dismiss(varied, second.key, now)
    assert_fast_is_plain(varied, now)
    service.snooze(varied, third.key, now + timedelta(days=2), now)
    assert_fast_is_plain(varied, now)
    assert_fast_is_plain(varied, now + timedelta(days=3))
    service.clear_mark(varied, first.key)
    assert_fast_is_plain(varied, now)

    owed = next(
        item
        for item in service.today(varied, now)
        if item.interview_id is not None and item.contact_id is not None
    )
    add_touchpoint(
        varied,
        owed.contact_id or 0,
        now,
        Purpose.THANK_YOU,
        interview_id=owed.interview_id,
    )
    assert owed.key not in {item.key for item in service.today(varied, now)}
    assert_fast_is_plain(varied, now)

    set_follow_up_business_days(varied, 9)
    assert_fast_is_plain(varied, now)


def write_elsewhere(db: Database, sql: str, *params: object) -> None:
    """Write as another program would: a plain SQLite connection, committed and closed."""
    other = sqlite3.connect(db.path)
    try:
        with other:
            assert other.execute(sql, params).rowcount == 1
    finally:
        other.close()


def test_a_write_by_another_program_shows_once_the_items_are_made_again(
    varied: Database, now: datetime
) -> None:
    dismissed = service.today(varied, now)[0]
    service.dismiss(varied, dismissed.key, now)
    assert dismissed.key not in {item.key for item in service.today(varied, now)}

    # Another program (here: a plain SQLite connection) takes the dismissal back,
    # behind the keeper's back: rebuild() is how such a write is followed.
    write_elsewhere(varied, "DELETE FROM checklist_states WHERE key = ?", dismissed.key)
    service.rebuild(varied, now)

    back = {item.key: item for item in service.today(varied, now)}
    assert back[dismissed.key].state == dismissed.state
    assert_fast_is_plain(varied, now)


# --- a write replaces the kept items of its own subjects only ---------------------------------


def held(db: Database) -> object:
    """What the in-process Today list holds for ``db``.

    Private, but the only way to see whether a call read every kept item
    again (both ways give the same lists; only their cost differs).
    """
    return today_view.view_for(db.engine)._held


def replaced(db: Database) -> set[tuple[str, int]]:
    """The subjects the last write replaced the kept items of."""
    with closing(sqlite3.connect(db.path)) as connection:
        return set(
            connection.execute(
                "SELECT rule, subject_id FROM checklist_changes"
                " WHERE generation = (SELECT generation FROM checklist_kept)"
            )
        )


def test_marks_replace_their_subjects_items_and_today_reads_only_those(
    varied: Database, now: datetime
) -> None:
    # An answer expected in six weeks: its first follow-up is far off.
    waiting = add_application(varied, decision_expected=(now + timedelta(days=42)).date())
    assert_fast_is_plain(varied, now)
    facts = held(varied)
    first, second, third, *_ = service.today(varied, now)

    service.mark_done(varied, first.key, now)
    assert 0 < len(replaced(varied)) <= 10  # the key's subjects, and what they reach
    service.dismiss(varied, second.key, now)
    assert {first.key, second.key}.isdisjoint(item.key for item in service.today(varied, now))
    assert_fast_is_plain(varied, now)
    service.snooze(varied, third.key, now + timedelta(days=2), now)
    assert_fast_is_plain(varied, now)
    assert_fast_is_plain(varied, now + timedelta(days=3))
    service.clear_mark(varied, first.key)
    service.clear_mark(varied, second.key)
    assert {first.key, second.key} <= {item.key for item in service.today(varied, now)}
    assert_fast_is_plain(varied, now)
    # Checking off the first follow-up early brings the second one, due long
    # before the first could be.
    service.mark_done(varied, f"status_follow_up:a{waiting}:1", now)
    assert ("follow_up", waiting) in replaced(varied)
    for shift in (timedelta(0), timedelta(days=3), timedelta(days=12)):
        assert_fast_is_plain(varied, now + shift)
    assert f"status_follow_up:a{waiting}:2" in {
        item.key for item in service.today(varied, now + timedelta(days=12))
    }

    assert held(varied) is facts


@pytest.mark.parametrize(
    "sql",
    [
        pytest.param(
            "UPDATE applications SET company = company || ' Ltd'"
            " WHERE id = (SELECT min(id) FROM applications)",
            id="applications",
        ),
        pytest.param(
            "UPDATE interviews SET starts_at = datetime(starts_at, '-3 days')"
            " WHERE id = (SELECT max(id) FROM interviews)",
            id="interviews",
        ),
        pytest.param(
            "DELETE FROM participants WHERE id = (SELECT max(id) FROM participants)",
            id="participants",
        ),
        pytest.param(
            "UPDATE contacts SET cadence_days = 30 WHERE id = (SELECT min(id) FROM contacts)",
            id="contacts",
        ),
        pytest.param(
            "DELETE FROM touchpoints WHERE id = (SELECT max(id) FROM touchpoints)",
            id="touchpoints",
        ),
        pytest.param(
            "INSERT OR REPLACE INTO settings (key, value) VALUES ('follow_up_business_days', '8')",
            id="settings",
        ),
    ],
)
def test_a_rebuild_after_any_write_behind_the_cores_back_reads_everything_again(
    varied: Database, now: datetime, sql: str
) -> None:
    service.mark_done(varied, service.today(varied, now)[0].key, now)
    assert_fast_is_plain(varied, now)
    facts = held(varied)

    write_elsewhere(varied, sql)
    service.rebuild(varied, now)

    assert_fast_is_plain(varied, now)
    assert held(varied) is not facts


def test_a_write_to_a_table_the_checklist_does_not_read_keeps_everything(
    varied: Database, now: datetime
) -> None:
    assert_fast_is_plain(varied, now)
    facts = held(varied)

    with varied.session() as session:
        session.add(
            Template(purpose=Purpose.THANK_YOU, name="Short thanks", subject="Thanks", body="Hi!")
        )

    assert_fast_is_plain(varied, now)
    assert held(varied) is facts


def open_files() -> set[Path]:
    """The files this process holds open (Linux)."""
    found = set()
    for descriptor in Path("/proc/self/fd").iterdir():
        try:
            found.add(descriptor.readlink())
        except OSError:
            continue  # closed in the meantime
    return found


def test_closing_the_database_lets_go_of_its_file(varied: Database, now: datetime) -> None:
    assert service.today(varied, now)
    assert varied.path in open_files()

    varied.close()

    assert not {path for path in open_files() if path.name.startswith(varied.path.name)}


def test_sending_a_message_replaces_only_its_subjects_items(
    varied: Database, now: datetime
) -> None:
    assert_fast_is_plain(varied, now)
    facts = held(varied)
    owed = next(item for item in service.today(varied, now) if item.contact_id is not None)
    with varied.session() as session:
        draft = Message(
            contact_id=owed.contact_id,
            interview_id=owed.interview_id,
            purpose=Purpose.THANK_YOU,
            subject="Thank you",
            body="Thanks!",
            created_at=now,
            updated_at=now,
        )
        session.add(draft)
        session.flush()
        message_id = draft.id

    mark_sent_by_post(varied, message_id, now)

    assert owed.key not in {item.key for item in service.today(varied, now)}
    assert 0 < len(replaced(varied)) <= 10
    assert_fast_is_plain(varied, now)
    assert held(varied) is facts
