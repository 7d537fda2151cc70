"""Playbook step 5: if the answer is no, don't take rejection lying down.

When an application is marked rejected: ask why, say you are still
interested (if you are), ask for a referral to other openings, connect on
LinkedIn with the people you met, and set a stay-in-touch reminder for them.
The three replies are due from the rejection and overdue two business days
later; a reply sent after the rejection covers the ones it asked for, and
one logged by hand (which says nothing about what it asked) covers all three. Connecting
and setting reminders are overdue a week after the rejection.
"""

from datetime import datetime

import pytest

from afterword.core.checklist.facts import (
    ApplicationFacts,
    ContactFacts,
    InterviewFacts,
    TouchpointFacts,
)
from afterword.core.checklist.items import ChecklistItem, ItemKind, ItemState, SubjectKind
from afterword.core.storage.values import ApplicationStatus, Purpose, TouchpointKind
from tests.core.checklist.builders import (
    BERLIN,
    JANE,
    OMAR,
    application,
    at,
    contact,
    interview,
    items_of,
    touch,
)

REPLIES = ("ask_feedback:a7", "say_still_interested:a7", "ask_referral:a7")
# The no came on Friday 6 March 2026 at 11:00, after the 2nd round on 3 March.
REJECTED_AT = at(BERLIN, 2026, 3, 6, 11)
ROUND_TWO = interview(at(BERLIN, 2026, 3, 3, 14), participants=(JANE, OMAR))
INTERVIEW_KINDS = {ItemKind.ASK_NEXT_STEPS, ItemKind.COLLECT_DETAILS, ItemKind.THANK_YOU}


def rejected(
    *interviews: InterviewFacts,
    still_interested: bool = True,
    decided_at: datetime | None = REJECTED_AT,
) -> ApplicationFacts:
    return application(
        *interviews,
        status=ApplicationStatus.REJECTED,
        still_interested=still_interested,
        decided_at=decided_at,
    )


def after_rejection(
    app: ApplicationFacts,
    now: datetime,
    *touchpoints: TouchpointFacts,
    contacts: tuple[ContactFacts, ...] = (),
) -> dict[str, ChecklistItem]:
    items = items_of(app, now, touchpoints=touchpoints, contacts=contacts)
    return {key: item for key, item in items.items() if item.kind not in INTERVIEW_KINDS}


def test_a_rejection_brings_its_own_checklist() -> None:
    items = after_rejection(rejected(ROUND_TWO), at(BERLIN, 2026, 3, 6, 12))

    assert [(item.key, item.title) for item in items.values()] == [
        ("ask_feedback:a7", "Ask Acme why, politely"),
        ("say_still_interested:a7", "Tell Acme you are still interested"),
        ("ask_referral:a7", "Ask Acme to refer you to other openings"),
        ("connect_linkedin:a7", "Connect with the people you met at Acme on LinkedIn"),
        (
            "schedule_stay_in_touch:a7",
            "Set stay-in-touch reminders for the people you met at Acme",
        ),
    ]
    assert all(item.subject == SubjectKind.APPLICATION for item in items.values())
    assert all(item.state == ItemState.DUE for item in items.values())


def test_the_replies_come_with_the_rejection_reply_template() -> None:
    items = after_rejection(rejected(ROUND_TWO), at(BERLIN, 2026, 3, 6, 12))

    assert [items[key].purpose for key in REPLIES] == [Purpose.REJECTION_REPLY] * 3
    assert items["connect_linkedin:a7"].purpose is None
    assert items["schedule_stay_in_touch:a7"].purpose is None


def test_say_you_are_still_interested_only_if_you_are() -> None:
    items = after_rejection(rejected(ROUND_TWO, still_interested=False), at(BERLIN, 2026, 3, 7))

    assert "say_still_interested:a7" not in items
    assert "ask_feedback:a7" in items


def test_replies_are_due_from_the_rejection_and_overdue_two_business_days_later() -> None:
    # Friday's no: still timely on Monday, overdue from Tuesday.
    monday = after_rejection(rejected(ROUND_TWO), at(BERLIN, 2026, 3, 9, 23))
    tuesday = after_rejection(rejected(ROUND_TWO), at(BERLIN, 2026, 3, 10, 0))

    assert monday["ask_feedback:a7"].due_at == REJECTED_AT
    assert monday["ask_feedback:a7"].state == ItemState.DUE
    assert tuesday["ask_feedback:a7"].overdue_at == at(BERLIN, 2026, 3, 10)
    assert tuesday["ask_feedback:a7"].state == ItemState.OVERDUE


def test_connecting_and_reminders_are_overdue_a_week_after_the_rejection() -> None:
    items = after_rejection(rejected(ROUND_TWO), at(BERLIN, 2026, 3, 13))

    assert items["connect_linkedin:a7"].overdue_at == at(BERLIN, 2026, 3, 13)
    assert items["connect_linkedin:a7"].state == ItemState.OVERDUE
    assert items["schedule_stay_in_touch:a7"].state == ItemState.OVERDUE


def test_one_reply_logged_by_hand_after_the_rejection_covers_all_three_replies() -> None:
    # Logged by hand, a reply says nothing about what it asked for: it covers everything.
    reply = touch(JANE.contact_id, at(BERLIN, 2026, 3, 6, 16), Purpose.REJECTION_REPLY)

    items = after_rejection(rejected(ROUND_TWO), at(BERLIN, 2026, 3, 20), reply)

    assert [items[key].state for key in REPLIES] == [ItemState.DONE] * 3
    assert all(items[key].done_automatically for key in REPLIES)
    assert items["connect_linkedin:a7"].state == ItemState.OVERDUE


@pytest.mark.parametrize(
    ("requests", "done"),
    [
        ({"feedback"}, {"ask_feedback:a7"}),
        ({"referral", "stay_in_touch"}, {"ask_referral:a7"}),
        ({"feedback", "still_interested"}, {"ask_feedback:a7", "say_still_interested:a7"}),
        ({"stay_in_touch"}, set()),
        (set(), set()),
        ({"feedback", "still_interested", "referral", "stay_in_touch"}, set(REPLIES)),
    ],
)
def test_a_sent_reply_covers_only_what_it_asked_for(requests: set[str], done: set[str]) -> None:
    reply = touch(
        JANE.contact_id,
        at(BERLIN, 2026, 3, 6, 16),
        Purpose.REJECTION_REPLY,
        requests=frozenset(requests),
    )

    items = after_rejection(rejected(ROUND_TWO), at(BERLIN, 2026, 3, 9, 12), reply)

    assert {key for key in REPLIES if items[key].state == ItemState.DONE} == done
    assert all(items[key].done_automatically for key in done)
    # The others stay to do: dismissed by hand, or asked for in another reply.
    assert {items[key].state for key in set(REPLIES) - done} <= {ItemState.DUE}


def test_replies_asking_for_different_things_add_up() -> None:
    feedback = touch(
        JANE.contact_id,
        at(BERLIN, 2026, 3, 6, 16),
        Purpose.REJECTION_REPLY,
        requests=frozenset({"feedback"}),
    )
    referral = touch(
        OMAR.contact_id,
        at(BERLIN, 2026, 3, 9, 9),
        Purpose.REJECTION_REPLY,
        requests=frozenset({"referral", "still_interested"}),
    )

    only_one = after_rejection(rejected(ROUND_TWO), at(BERLIN, 2026, 3, 10, 12), feedback)
    both = after_rejection(rejected(ROUND_TWO), at(BERLIN, 2026, 3, 10, 12), feedback, referral)

    assert [only_one[key].state for key in REPLIES] == [ItemState.DONE] + [ItemState.OVERDUE] * 2
    assert [both[key].state for key in REPLIES] == [ItemState.DONE] * 3


def test_a_reply_recorded_earlier_on_the_day_of_the_rejection_counts() -> None:
    # The user replied at 10:00 and only changed the status at 11:00.
    reply = touch(JANE.contact_id, at(BERLIN, 2026, 3, 6, 10), Purpose.REJECTION_REPLY)

    items = after_rejection(rejected(ROUND_TWO), at(BERLIN, 2026, 3, 20), reply)

    assert items["ask_feedback:a7"].state == ItemState.DONE


def test_an_email_from_before_the_rejection_is_not_a_reply_to_it() -> None:
    earlier = touch(JANE.contact_id, at(BERLIN, 2026, 3, 5, 16), Purpose.REJECTION_REPLY)

    items = after_rejection(rejected(ROUND_TWO), at(BERLIN, 2026, 3, 20), earlier)

    assert items["ask_feedback:a7"].state == ItemState.OVERDUE


def test_a_reply_about_another_application_does_not_count() -> None:
    other = touch(
        JANE.contact_id, at(BERLIN, 2026, 3, 6, 16), Purpose.REJECTION_REPLY, application_id=8
    )

    items = after_rejection(rejected(ROUND_TWO), at(BERLIN, 2026, 3, 20), other)

    assert items["ask_feedback:a7"].state == ItemState.OVERDUE


def test_connecting_on_linkedin_with_anyone_you_met_makes_it_done() -> None:
    connected = touch(
        OMAR.contact_id,
        at(BERLIN, 2026, 3, 8),
        Purpose.OTHER,
        kind=TouchpointKind.LINKEDIN,
        application_id=None,
    )

    items = after_rejection(rejected(ROUND_TWO), at(BERLIN, 2026, 3, 20), connected)

    assert items["connect_linkedin:a7"].state == ItemState.DONE


def test_a_linkedin_connection_with_a_stranger_or_from_before_does_not_count() -> None:
    stranger = touch(99, at(BERLIN, 2026, 3, 8), Purpose.OTHER, kind=TouchpointKind.LINKEDIN)
    before = touch(
        JANE.contact_id, at(BERLIN, 2026, 2, 1), Purpose.OTHER, kind=TouchpointKind.LINKEDIN
    )

    items = after_rejection(rejected(ROUND_TWO), at(BERLIN, 2026, 3, 20), stranger, before)

    assert items["connect_linkedin:a7"].state == ItemState.OVERDUE


def test_reminders_are_set_once_everyone_you_met_has_a_cadence() -> None:
    jane = contact(contact_id=JANE.contact_id, cadence_days=90)
    omar_without = contact(contact_id=OMAR.contact_id, name="Omar Haddad", cadence_days=None)
    omar_with = contact(contact_id=OMAR.contact_id, name="Omar Haddad", cadence_days=180)
    now = at(BERLIN, 2026, 3, 9)

    half = after_rejection(rejected(ROUND_TWO), now, contacts=(jane, omar_without))
    both = after_rejection(rejected(ROUND_TWO), now, contacts=(jane, omar_with))

    assert half["schedule_stay_in_touch:a7"].state == ItemState.DUE
    assert half["schedule_stay_in_touch:a7"].detail.endswith("no reminder yet for Omar Haddad")
    assert both["schedule_stay_in_touch:a7"].state == ItemState.DONE


def test_with_nobody_met_there_is_nobody_to_connect_with() -> None:
    items = after_rejection(rejected(), at(BERLIN, 2026, 3, 7))

    assert list(items) == list(REPLIES)


@pytest.mark.parametrize(
    "status",
    [ApplicationStatus.INTERVIEWING, ApplicationStatus.OFFER, ApplicationStatus.WITHDRAWN],
)
def test_only_a_rejection_brings_these_steps(status: ApplicationStatus) -> None:
    app = application(ROUND_TWO, status=status, decided_at=REJECTED_AT)

    assert after_rejection(app, at(BERLIN, 2026, 3, 7)) == {}


def test_without_a_recorded_decision_time_the_last_update_is_the_rejection() -> None:
    app = application(
        ROUND_TWO,
        status=ApplicationStatus.REJECTED,
        decided_at=None,
        updated_at=at(BERLIN, 2026, 3, 9, 8),
    )

    items = after_rejection(app, at(BERLIN, 2026, 3, 9, 9))

    assert items["ask_feedback:a7"].due_at == at(BERLIN, 2026, 3, 9, 8)
