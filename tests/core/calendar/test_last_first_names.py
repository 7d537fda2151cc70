"""Outlook's "Last, First" names: imported as said, and never a "Dear Oyelaran,," draft."""

from __future__ import annotations

from datetime import datetime, timedelta

from afterword.core.calendar.importing import default_draft, plan_invite, save_invite
from afterword.core.calendar.invites import read_invite
from afterword.core.contacts import create_contact, list_contacts
from afterword.core.interviews import get_interview
from afterword.core.mail.drafts import prepare_thank_you_drafts
from afterword.core.reminders.service import look
from afterword.core.reminders.settings import NoticeKind, ReminderSettings, save_reminder_settings
from afterword.core.storage.db import Database
from afterword.core.storage.records import ContactFields
from afterword.core.storage.text import speaking_order
from tests.core.calendar.helpers import OWN, fixture

BERLIN = "Europe/Berlin"


def _import(db: Database, now: datetime) -> int:
    invite = read_invite(fixture("brightline_invite.ics"), local_zone=BERLIN)
    plan = plan_invite(db, invite, own=[OWN])
    return save_invite(db, default_draft(plan, zone=BERLIN), now=now).id


def test_an_invites_last_first_name_becomes_first_last(db: Database, now: datetime) -> None:
    invite = read_invite(fixture("brightline_invite.ics"), local_zone=BERLIN)
    assert "Marcus Oyelaran" in [person.name for person in invite.people]
    interview_id = _import(db, now)
    names = {p.contact_name for p in get_interview(db, interview_id).participants}
    assert names == {"Rita Recruiter", "Dana Lee", "Marcus Oyelaran"}
    assert "Oyelaran, Marcus" not in {c.name for c in list_contacts(db)}
    drafts = prepare_thank_you_drafts(db, interview_id, now=now, my_name="Alex")
    marcus = next(d for d in drafts if d.to_address == "marcus@brightline.example")
    assert marcus.to_name == "Marcus Oyelaran"
    assert "Marcus," in marcus.body.splitlines()[0]


def test_a_contact_already_stored_last_first_is_greeted_by_first_name(
    db: Database, now: datetime
) -> None:
    """Stored before this fix: the draft and the reminder still say the name right."""
    create_contact(
        db,
        ContactFields(name="Oyelaran, Marcus", email="marcus@brightline.example"),
        now=now,
    )
    interview_id = _import(db, now)
    drafts = prepare_thank_you_drafts(db, interview_id, now=now, my_name="Alex")
    marcus = next(d for d in drafts if d.to_address == "marcus@brightline.example")
    greeting = marcus.body.splitlines()[0]
    assert "Marcus," in greeting and "Oyelaran" not in greeting and ",," not in greeting
    save_reminder_settings(db, ReminderSettings())
    starts = get_interview(db, interview_id).starts_at
    [notice] = [
        n
        for n in look(db, starts - timedelta(minutes=25)).plan.notices
        if n.kind == NoticeKind.BEFORE_INTERVIEW
    ]
    assert "You will meet Dana Lee, Marcus Oyelaran and Rita Recruiter." in notice.body


def test_names_in_directory_order_and_names_that_are_not() -> None:
    assert speaking_order("Oyelaran, Marcus") == "Marcus Oyelaran"
    assert speaking_order("Schmidt, Jonas (HR)") == "Jonas Schmidt (HR)"
    assert speaking_order("Lee, Dana [Contoso]") == "Dana Lee [Contoso]"
    assert speaking_order("Nguyen, Thi, PhD") == "Thi Nguyen, PhD"
    assert speaking_order("Zoë O'Brien, PhD") == "Zoë O'Brien, PhD"
    assert speaking_order("Smith, Jr.") == "Smith, Jr."
    assert speaking_order("  Dana   Lee ") == "Dana Lee"
    assert speaking_order("Lee,") == "Lee,"
