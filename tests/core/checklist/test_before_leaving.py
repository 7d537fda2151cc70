"""Playbook step 1: before leaving the interview, ask about time frames and collect details.

"Asked about next steps and time frame" is done once a decision date or a
next-steps note is recorded (or the answer itself has come). "Collected each
interviewer's details" is done once every interviewer has an email address.
Both are due while the interview runs and overdue when the thank-yous are
(24 hours after it ends): without them there is nothing to wait for and
nobody to thank.
"""

from datetime import date, datetime

import pytest

from afterword.core.checklist.facts import ApplicationFacts, ParticipantFacts
from afterword.core.checklist.items import ChecklistItem, ItemState, SubjectKind
from afterword.core.storage.values import ApplicationStatus, InterviewOutcome
from tests.core.checklist.builders import (
    BERLIN,
    JANE,
    OMAR,
    application,
    at,
    interview,
    items_of,
)

ROUND_TWO = interview(at(BERLIN, 2026, 3, 3, 14), participants=(JANE, OMAR))
DURING = at(BERLIN, 2026, 3, 3, 14, 30)
NEXT_WEEK = at(BERLIN, 2026, 3, 10)


def asking(app: ApplicationFacts, now: datetime = NEXT_WEEK) -> ChecklistItem:
    return items_of(app, now)["ask_next_steps:i12"]


def collecting(*people: ParticipantFacts, now: datetime = NEXT_WEEK) -> ChecklistItem:
    app = application(interview(at(BERLIN, 2026, 3, 3, 14), participants=people))
    return items_of(app, now)["collect_details:i12"]


def test_asking_about_next_steps_is_due_while_the_interview_runs() -> None:
    item = asking(application(ROUND_TWO), DURING)

    assert item.title == "Ask about next steps and the time frame"
    assert item.subject == SubjectKind.INTERVIEW
    assert item.state == ItemState.DUE
    assert item.due_at == at(BERLIN, 2026, 3, 3, 14)
    assert item.purpose is None


def test_asking_is_on_the_list_before_the_interview() -> None:
    assert asking(application(ROUND_TWO), at(BERLIN, 2026, 3, 2)).state == ItemState.OPEN


def test_without_an_answer_recorded_it_is_overdue_a_day_after_the_interview() -> None:
    item = asking(application(ROUND_TWO), at(BERLIN, 2026, 3, 4, 15))

    assert item.overdue_at == at(BERLIN, 2026, 3, 4, 15)
    assert item.state == ItemState.OVERDUE


@pytest.mark.parametrize(
    "app",
    [
        application(ROUND_TWO, decision_expected=date(2026, 3, 13)),
        application(ROUND_TWO, next_steps="A take-home task, then a call with the CTO."),
        application(ROUND_TWO, status=ApplicationStatus.OFFER),
        application(ROUND_TWO, status=ApplicationStatus.REJECTED),
    ],
    ids=["decision date recorded", "next steps recorded", "offer came", "rejection came"],
)
def test_asking_is_done_once_the_answer_is_recorded(app: ApplicationFacts) -> None:
    item = asking(app)

    assert item.state == ItemState.DONE
    assert item.done_automatically


def test_an_outcome_for_that_round_also_answers_the_question() -> None:
    advanced = interview(at(BERLIN, 2026, 3, 3, 14), outcome=InterviewOutcome.ADVANCED)

    assert asking(application(advanced)).state == ItemState.DONE


def test_collecting_details_is_done_when_every_interviewer_has_an_email_address() -> None:
    item = collecting(JANE, OMAR)

    assert item.title == "Collect each interviewer's name, title and email"
    assert item.state == ItemState.DONE
    assert item.done_automatically


def test_an_interviewer_without_an_email_address_keeps_it_open_and_is_named() -> None:
    no_card = ParticipantFacts(contact_id=9, name="Sam Berg", email="")

    item = collecting(JANE, no_card)

    assert item.state == ItemState.OVERDUE
    assert item.detail == "Senior Developer at Acme, 2nd round on 3 Mar: no email yet for Sam Berg"


def test_with_nobody_recorded_there_is_nobody_to_thank_yet() -> None:
    item = collecting(now=DURING)

    assert item.state == ItemState.DUE
    assert item.detail.endswith("no interviewer recorded yet")
