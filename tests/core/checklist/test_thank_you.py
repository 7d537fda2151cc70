"""Playbook step 3: after the interview, send a real thank-you to each interviewer.

One note per interviewer, soon after the interview: due when it ends (the
day of the interview), overdue 24 hours after it ends, done once a
thank-you to that person, for that interview, is recorded as sent by email or
by post.
"""

from datetime import UTC, datetime, timedelta

from afterword.core.checklist.facts import TouchpointFacts
from afterword.core.checklist.items import ChecklistItem, ItemKind, ItemState, SubjectKind
from afterword.core.storage.values import Purpose, TouchpointKind
from tests.core.checklist.builders import (
    BERLIN,
    JANE,
    LOS_ANGELES,
    OMAR,
    application,
    at,
    interview,
    items_of,
    of_kind,
    touch,
)

# Tuesday 3 March 2026, 14:00-15:00 in Berlin.
ROUND_TWO = interview(at(BERLIN, 2026, 3, 3, 14), participants=(JANE, OMAR))
ACME = application(ROUND_TWO)


def thank_you_to_jane(now: datetime, *touchpoints: TouchpointFacts) -> ChecklistItem:
    return items_of(ACME, now, touchpoints=touchpoints)["thank_you:i12:c5"]


def test_one_thank_you_per_interviewer() -> None:
    thank_yous = of_kind(items_of(ACME, at(BERLIN, 2026, 3, 3, 16)), ItemKind.THANK_YOU)

    assert [item.title for item in thank_yous] == [
        "Send a thank-you to Jane Doe",
        "Send a thank-you to Omar Haddad",
    ]
    assert {item.contact_id for item in thank_yous} == {JANE.contact_id, OMAR.contact_id}
    assert all(item.subject == SubjectKind.INTERVIEW for item in thank_yous)
    assert all(item.purpose == Purpose.THANK_YOU for item in thank_yous)


def test_the_detail_says_which_role_company_and_round() -> None:
    item = thank_you_to_jane(at(BERLIN, 2026, 3, 3, 16))

    assert item.detail == "Senior Developer at Acme, 2nd round on 3 Mar"
    assert (item.application_id, item.interview_id) == (7, 12)


def test_it_is_on_the_list_but_not_yet_due_before_the_interview_ends() -> None:
    item = thank_you_to_jane(at(BERLIN, 2026, 3, 3, 14, 30))

    assert item.state == ItemState.OPEN
    assert item.due_at == at(BERLIN, 2026, 3, 3, 15)


def test_it_is_due_as_soon_as_the_interview_ends() -> None:
    assert thank_you_to_jane(at(BERLIN, 2026, 3, 3, 15)).state == ItemState.DUE
    assert thank_you_to_jane(at(BERLIN, 2026, 3, 4, 14, 59)).state == ItemState.DUE


def test_it_is_overdue_24_hours_after_the_interview_ends() -> None:
    item = thank_you_to_jane(at(BERLIN, 2026, 3, 4, 15))

    assert item.state == ItemState.OVERDUE
    assert item.overdue_at == at(BERLIN, 2026, 3, 4, 15)


def test_an_emailed_thank_you_to_that_person_makes_it_done() -> None:
    sent = touch(JANE.contact_id, at(BERLIN, 2026, 3, 3, 18), Purpose.THANK_YOU, interview_id=12)

    item = thank_you_to_jane(at(BERLIN, 2026, 3, 10), sent)

    assert item.state == ItemState.DONE
    assert item.done_automatically


def test_a_thank_you_by_post_counts_too() -> None:
    letter = touch(
        JANE.contact_id,
        at(BERLIN, 2026, 3, 4, 9),
        Purpose.THANK_YOU,
        kind=TouchpointKind.LETTER,
        interview_id=12,
    )

    assert thank_you_to_jane(at(BERLIN, 2026, 3, 10), letter).state == ItemState.DONE


def test_a_thank_you_to_someone_else_or_for_another_interview_does_not_count() -> None:
    to_omar = touch(OMAR.contact_id, at(BERLIN, 2026, 3, 3, 18), Purpose.THANK_YOU, interview_id=12)
    for_round_one = touch(
        JANE.contact_id, at(BERLIN, 2026, 2, 20, 18), Purpose.THANK_YOU, interview_id=11
    )

    item = thank_you_to_jane(at(BERLIN, 2026, 3, 10), to_omar, for_round_one)

    assert item.state == ItemState.OVERDUE


def test_a_call_or_a_linkedin_message_is_not_a_thank_you_note() -> None:
    call = touch(
        JANE.contact_id,
        at(BERLIN, 2026, 3, 3, 18),
        Purpose.THANK_YOU,
        kind=TouchpointKind.CALL,
        interview_id=12,
    )
    message = touch(
        JANE.contact_id,
        at(BERLIN, 2026, 3, 3, 18),
        Purpose.THANK_YOU,
        kind=TouchpointKind.LINKEDIN,
        interview_id=12,
    )

    assert thank_you_to_jane(at(BERLIN, 2026, 3, 10), call, message).state == ItemState.OVERDUE


def test_an_interview_elsewhere_is_dated_in_its_own_time_zone() -> None:
    # 17:00-18:00 on 3 March in Los Angeles is 02:00-03:00 on 4 March in Berlin.
    late_call = interview(at(LOS_ANGELES, 2026, 3, 3, 17), zone="America/Los_Angeles")
    now = at(BERLIN, 2026, 3, 4, 9)

    item = items_of(application(late_call), now)["thank_you:i12:c5"]

    assert item.detail == "Senior Developer at Acme, 2nd round on 3 Mar"
    assert item.due_at == at(BERLIN, 2026, 3, 4, 3)
    assert item.overdue_at == at(BERLIN, 2026, 3, 5, 3)
    assert item.state == ItemState.DUE


def test_24_hours_are_24_real_hours_across_the_night_the_clocks_change() -> None:
    # Berlin springs forward at 02:00 on 29 March 2026: an interview from
    # 01:30 CET lasting an hour ends at 03:30 CEST.
    night_owl = interview(at(BERLIN, 2026, 3, 29, 1, 30))
    now = at(BERLIN, 2026, 3, 29, 12)

    item = items_of(application(night_owl), now)["thank_you:i12:c5"]

    assert item.due_at == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert item.due_at.astimezone(BERLIN).hour == 3
    assert item.overdue_at - item.due_at == timedelta(hours=24)
    assert item.overdue_at.astimezone(BERLIN) == at(BERLIN, 2026, 3, 30, 3, 30)


def test_the_last_year_is_named_in_the_detail() -> None:
    last_year = interview(at(BERLIN, 2025, 11, 20, 10))

    item = items_of(application(last_year), at(BERLIN, 2026, 3, 11))["thank_you:i12:c5"]

    assert item.detail.endswith("on 20 Nov 2025")
