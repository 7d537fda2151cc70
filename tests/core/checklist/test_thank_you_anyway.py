"""After a no, the unsent thank-yous become an offer: "Thank <name> anyway (optional)".

Due from the rejection, never overdue, never a notification; or dismissed
all at once, in one step that one undo takes back. Over plain facts for the
rule, and over a real database for the kept Today list and the marks.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from afterword.core.applications import record_outcome
from afterword.core.checklist import service
from afterword.core.checklist.items import ChecklistItem, ItemKind, ItemState
from afterword.core.checklist.marks import clear_marks, dismiss_all
from afterword.core.errors import ValidationError
from afterword.core.reminders.planning import digest_items, events, plan
from afterword.core.reminders.settings import ReminderSettings
from afterword.core.storage.db import Database
from afterword.core.storage.values import (
    ApplicationStatus,
    ChecklistMark,
    InterviewOutcome,
    Purpose,
)
from tests.core.checklist.builders import (
    BERLIN,
    JANE,
    OMAR,
    add_application,
    add_contact,
    add_interview,
    application,
    at,
    interview,
    items_of,
    mark,
    touch,
)

# The 2nd round on Tuesday 3 March 2026, 14:00-15:00; the no came on Friday at 11:00.
ROUND_TWO = interview(at(BERLIN, 2026, 3, 3, 14), participants=(JANE, OMAR))
REJECTED_AT = at(BERLIN, 2026, 3, 6, 11)


def thank_yous(app_status: ApplicationStatus, now: datetime, *sent: object) -> list[ChecklistItem]:
    app = application(ROUND_TWO, status=app_status, decided_at=REJECTED_AT)
    items = items_of(app, now, touchpoints=sent)
    return [item for item in items.values() if item.kind == ItemKind.THANK_YOU]


def test_after_a_no_an_unsent_thank_you_is_offered_not_pressed() -> None:
    before = thank_yous(ApplicationStatus.INTERVIEWING, at(BERLIN, 2026, 3, 6, 10))
    assert [(i.title, i.state) for i in before] == [
        ("Send a thank-you to Jane Doe", ItemState.OVERDUE),
        ("Send a thank-you to Omar Haddad", ItemState.OVERDUE),
    ]

    after = thank_yous(ApplicationStatus.REJECTED, at(BERLIN, 2026, 3, 6, 12))

    assert [(i.key, i.title, i.state) for i in after] == [
        ("thank_you:i12:c5", "Thank Jane Doe anyway (optional)", ItemState.DUE),
        ("thank_you:i12:c6", "Thank Omar Haddad anyway (optional)", ItemState.DUE),
    ]
    assert all(i.is_optional and i.due_at == REJECTED_AT for i in after)
    assert all(i.purpose is Purpose.THANK_YOU for i in after)  # the composer writes it
    assert "keeps the door open" in after[0].detail


def test_the_offer_never_becomes_overdue() -> None:
    a_year_on = REJECTED_AT + timedelta(days=365)

    assert {i.state for i in thank_yous(ApplicationStatus.REJECTED, a_year_on)} == {ItemState.DUE}


def test_a_thank_you_already_sent_stays_done() -> None:
    sent = touch(JANE.contact_id, at(BERLIN, 2026, 3, 3, 18), Purpose.THANK_YOU, interview_id=12)

    items = thank_yous(ApplicationStatus.REJECTED, at(BERLIN, 2026, 3, 6, 12), sent)

    assert [(i.title, i.state) for i in items] == [
        ("Send a thank-you to Jane Doe", ItemState.DONE),
        ("Thank Omar Haddad anyway (optional)", ItemState.DUE),
    ]


def test_a_thank_you_checked_off_by_hand_before_the_no_stays_as_it_was() -> None:
    app = application(ROUND_TWO, status=ApplicationStatus.REJECTED, decided_at=REJECTED_AT)
    before = mark("thank_you:i12:c5", ChecklistMark.DONE, at(BERLIN, 2026, 3, 4, 9))
    after = mark("thank_you:i12:c6", ChecklistMark.DONE, at(BERLIN, 2026, 3, 6, 13))

    items = items_of(app, at(BERLIN, 2026, 3, 6, 14), marks=[before, after])

    assert [(i.title, i.state) for i in items.values() if i.kind == ItemKind.THANK_YOU] == [
        ("Send a thank-you to Jane Doe", ItemState.DONE),
        ("Thank Omar Haddad anyway (optional)", ItemState.DONE),
    ]


@pytest.mark.parametrize(
    "status", [ApplicationStatus.OFFER, ApplicationStatus.WITHDRAWN, ApplicationStatus.ACCEPTED]
)
def test_only_a_no_makes_the_thank_you_optional(status: ApplicationStatus) -> None:
    items = thank_yous(status, at(BERLIN, 2026, 3, 6, 12))

    assert {i.state for i in items} == {ItemState.OVERDUE}
    assert not any(i.is_optional for i in items)


def test_an_offer_gives_no_notification_and_stays_out_of_the_digest_and_the_tray() -> None:
    now = at(BERLIN, 2026, 3, 6, 12)
    items = thank_yous(ApplicationStatus.REJECTED, now)
    settings = ReminderSettings()

    found = events(items, (), settings)
    made = plan(found, items, (), settings, now)

    assert found == []
    assert made.upcoming == () and made.attention == 0
    assert digest_items(items, now) == []


# --- over a real database ------------------------------------------------------------------


@pytest.fixture
def panel(db: Database) -> dict[str, int]:
    app = add_application(db)
    jane = add_contact(db, "Jane Doe")
    omar = add_contact(db, "Omar Haddad")
    interview_id = add_interview(db, app, at(BERLIN, 2026, 3, 3, 14), jane, omar)
    return {"app": app, "interview": interview_id, "jane": jane, "omar": omar}


def _thank_yous_today(db: Database, now: datetime) -> dict[str, ChecklistItem]:
    return {i.key: i for i in service.today(db, now) if i.kind == ItemKind.THANK_YOU}


def test_recording_the_no_turns_todays_thank_yous_into_offers(
    db: Database, panel: dict[str, int]
) -> None:
    now = at(BERLIN, 2026, 3, 6, 12)
    assert {i.state for i in _thank_yous_today(db, now).values()} == {ItemState.OVERDUE}

    record_outcome(db, panel["interview"], InterviewOutcome.REJECTED, now=now)

    offers = _thank_yous_today(db, now + timedelta(minutes=1))
    assert sorted(i.title for i in offers.values()) == [
        "Thank Jane Doe anyway (optional)",
        "Thank Omar Haddad anyway (optional)",
    ]
    assert {i.state for i in offers.values()} == {ItemState.DUE}
    # The kept list (what Today shows at start-up) says the same as the rules.
    assert offers == {
        i.key: i
        for i in service.checklist_for_interview(db, panel["interview"], now + timedelta(minutes=1))
        if i.kind == ItemKind.THANK_YOU
    }


def test_all_thank_yous_are_dismissed_in_one_step_and_come_back_with_one_undo(
    db: Database, panel: dict[str, int]
) -> None:
    now = at(BERLIN, 2026, 3, 6, 12)
    record_outcome(db, panel["interview"], InterviewOutcome.REJECTED, now=now)
    keys = sorted(_thank_yous_today(db, now))
    assert len(keys) == 2

    dismiss_all(db, keys, now)

    assert _thank_yous_today(db, now) == {}
    states = {i.key: i.state for i in service.checklist_for_interview(db, panel["interview"], now)}
    assert [states[key] for key in keys] == [ItemState.DISMISSED, ItemState.DISMISSED]

    clear_marks(db, keys)

    assert sorted(_thank_yous_today(db, now)) == keys


def test_one_bad_key_dismisses_nothing(db: Database, panel: dict[str, int]) -> None:
    now = at(BERLIN, 2026, 3, 6, 12)
    keys = sorted(_thank_yous_today(db, now))

    with pytest.raises(ValidationError):
        dismiss_all(db, [*keys, "thank_you:not-a-key"], now)
    with pytest.raises(ValidationError):
        dismiss_all(db, keys[0], now)  # one key given as a string, not a list of them

    assert sorted(_thank_yous_today(db, now)) == keys
