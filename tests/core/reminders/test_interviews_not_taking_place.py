"""No reminder before an interview that will not take place (the tester's own invites).

An invite, its update (moved to 16:00) and its cancellation are imported as
the person does; a reminder before the interview is looked for at 15:35.
Interviews of withdrawn or rejected applications are tested the same way.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from afterword.core.applications import create_application, get_application, update_application
from afterword.core.calendar.importing import cancel_invite, default_draft, plan_invite, save_invite
from afterword.core.calendar.invites import read_invite
from afterword.core.interviews import save_interview
from afterword.core.reminders.service import interviews_soon, look
from afterword.core.reminders.settings import NoticeKind, ReminderSettings, save_reminder_settings
from afterword.core.storage.db import Database
from afterword.core.storage.records import (
    ApplicationFields,
    ContactFields,
    InterviewFields,
    ParticipantFields,
)
from afterword.core.storage.values import ApplicationStatus
from tests.core.calendar.helpers import OWN, fixture

BERLIN = ZoneInfo("Europe/Berlin")
MOVED_TO = datetime(2026, 3, 12, 16, 0, tzinfo=BERLIN)  # where update.ics moves it


def _import(db: Database, name: str, now: datetime) -> int:
    invite = read_invite(fixture(name), local_zone="Europe/Berlin")
    plan = plan_invite(db, invite, own=[OWN])
    return save_invite(db, default_draft(plan, zone="Europe/Berlin"), now=now).id


def _before_notices(db: Database, at: datetime) -> list[str]:
    return [
        notice.summary
        for notice in look(db, at).plan.notices
        if notice.kind == NoticeKind.BEFORE_INTERVIEW
    ]


@pytest.fixture
def daytime(db: Database, now: datetime) -> datetime:
    save_reminder_settings(db, ReminderSettings())
    return now


def test_a_cancelled_interview_gives_no_reminder_before_it(db: Database, daytime: datetime) -> None:
    interview_id = _import(db, "brightline_invite.ics", daytime)
    assert _import(db, "brightline_update.ics", daytime) == interview_id
    at = MOVED_TO - timedelta(minutes=25)
    assert _before_notices(db, at) == ["Interview with Brightline at 16:00"]
    cancel = read_invite(fixture("brightline_cancel.ics"), local_zone="Europe/Berlin")
    cancel_invite(db, cancel, now=daytime)
    assert _before_notices(db, at) == []
    assert look(db, daytime).plan.next_at != MOVED_TO - timedelta(minutes=30)
    [soon] = interviews_soon(db, daytime)
    assert soon.id == interview_id and not soon.goes_ahead


@pytest.mark.parametrize("status", [ApplicationStatus.WITHDRAWN, ApplicationStatus.REJECTED])
def test_no_reminder_before_an_interview_of_an_application_that_ended(
    db: Database, daytime: datetime, status: ApplicationStatus
) -> None:
    app = create_application(
        db,
        ApplicationFields(company="Quarry", role="PM", status=ApplicationStatus.INTERVIEWING),
        now=daytime - timedelta(days=5),
    )
    starts = datetime(2026, 3, 13, 14, 0, tzinfo=BERLIN)
    save_interview(
        db,
        InterviewFields(application_id=app.id, starts_at=starts, timezone="Europe/Berlin"),
        [ParticipantFields(new_contact=ContactFields(name="Pat Q", email="pat@q.example"))],
        now=daytime,
    )
    at = starts - timedelta(minutes=25)
    assert _before_notices(db, at) == ["Interview with Quarry at 14:00"]
    record = get_application(db, app.id)
    fields = ApplicationFields(
        **{
            f.name: getattr(record, f.name)
            for f in dataclasses.fields(ApplicationFields)
            if f.name != "status"
        },
        status=status,
    )
    update_application(db, app.id, fields, now=daytime, expected_version=record.version)
    assert _before_notices(db, at) == []
