"""Items whose title does not name the company name it where they stand alone.

Two applications with an interview each give two "Ask about next steps and
the time frame": the tray menu, grouped notifications and the calendar feed
must tell them apart.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from icalendar import Calendar

from afterword.core.applications import create_application
from afterword.core.calendar.export import write_feed
from afterword.core.checklist.items import ItemKind
from afterword.core.interviews import save_interview
from afterword.core.reminders.service import look
from afterword.core.reminders.settings import ReminderSettings, save_reminder_settings
from afterword.core.storage.db import Database
from afterword.core.storage.records import (
    ApplicationFields,
    ContactFields,
    InterviewFields,
    ParticipantFields,
)
from afterword.core.storage.values import ApplicationStatus

ASK = "Ask about next steps and the time frame"


def _interview_yesterday(db: Database, now: datetime, company: str, person: str) -> None:
    app = create_application(
        db,
        ApplicationFields(company=company, role="Engineer", status=ApplicationStatus.INTERVIEWING),
        now=now - timedelta(days=10),
    )
    email = f"{person.split()[0].lower()}@{company.lower()}.example"
    save_interview(
        db,
        InterviewFields(
            application_id=app.id, starts_at=now - timedelta(days=1), timezone="Europe/Berlin"
        ),
        [ParticipantFields(new_contact=ContactFields(name=person, email=email))],
        now=now - timedelta(days=2),
    )


def test_the_tray_and_grouped_notices_name_the_company(db: Database, now: datetime) -> None:
    save_reminder_settings(db, ReminderSettings())
    _interview_yesterday(db, now, "Acme", "Dana Lee")
    _interview_yesterday(db, now, "Globex", "Kim Park")
    plan = look(db, now).plan
    asks = [i for i in plan.upcoming if i.kind == ItemKind.ASK_NEXT_STEPS]
    assert len(asks) == 2 and {i.title for i in asks} == {ASK}
    assert sorted(plan.labels[i.key] for i in asks) == [f"{ASK} · Acme", f"{ASK} · Globex"]
    # A title that names the company already is left as it is.
    thanks = [i for i in plan.upcoming if i.kind == ItemKind.THANK_YOU]
    assert {plan.labels[i.key] for i in thanks} == {
        "Send a thank-you to Dana Lee · Acme",
        "Send a thank-you to Kim Park · Globex",
    }
    # A day later both are overdue, told apart in the grouped notification.
    [grouped] = [n for n in look(db, now + timedelta(days=1)).plan.notices if n.kind is None]
    assert f"Overdue: {ASK} · Acme" in grouped.body.splitlines()
    assert f"Overdue: {ASK} · Globex" in grouped.body.splitlines()


def test_the_calendar_feed_names_the_company(db: Database, now: datetime, tmp_path: Path) -> None:
    _interview_yesterday(db, now, "Acme", "Dana Lee")
    _interview_yesterday(db, now, "Globex", "Kim Park")
    feed = write_feed(db, tmp_path / "afterword.ics", now=now)
    titles = sorted(
        str(event["SUMMARY"])
        for event in Calendar.from_ical(feed.read_bytes()).walk("VEVENT")
        if isinstance(event.start, date) and not isinstance(event.start, datetime)
    )
    assert len(titles) == 2 and len(set(titles)) == 2
    assert titles[0].endswith(" · Acme") and titles[1].endswith(" · Globex")
