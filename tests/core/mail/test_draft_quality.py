"""Draft quality over the demo data and the note-style set: the report's columns are zero.

The same figures ``benchmarks/draft_report.py`` prints; here they must be 0,
and the checks that count them must themselves catch what they look for.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from afterword.core.mail.draft_checks import SIMILARITY_LIMIT, check_draft, similarity
from afterword.core.mail.drafts import check_message, delete_draft, prepare_thank_you_drafts
from afterword.core.storage.db import Database
from afterword.core.storage.models import Application, Contact, Interview, Participant
from afterword.core.storage.records import MessageRecord
from afterword.core.storage.values import InterviewFormat, MessageStatus, Purpose
from benchmarks.draft_report import Figures, add_meeting, pasted_fragments, run, unnatural_dates
from tests.support.note_styles import MEETINGS, TESTER_MEETINGS, Meeting, note_count


@pytest.fixture(scope="module")
def figures() -> dict[str, Figures]:
    return run()


def test_the_note_style_set_is_varied_enough() -> None:
    assert note_count() >= 20
    notes = [person.note for meeting in MEETINGS for person in meeting.people]
    assert "" in notes  # an empty note
    assert any(len(note.split()) > 45 for note in notes)  # a long one
    assert any(not person.name.isascii() for m in MEETINGS for person in m.people)
    assert len({meeting.days_ago for meeting in MEETINGS}) >= 6  # today ... last year


@pytest.mark.parametrize("label", ["demo data", "note styles"])
def test_the_default_drafts_have_nothing_that_reads_badly(
    figures: dict[str, Figures], label: str
) -> None:
    found = figures[label]
    assert found.drafts >= 15
    assert found.pasted_fragments == []
    assert found.near_duplicates == []
    assert found.unnatural_dates == []
    assert found.unfilled == []


def test_notes_that_cannot_be_sentences_are_flagged_not_pasted(
    figures: dict[str, Figures],
) -> None:
    assert figures["note styles"].flagged >= 5


def test_the_fragment_count_catches_a_pasted_fragment() -> None:
    body = "one part of it has stayed with me: Asked about SQL window functions."
    source = (
        "Asked about SQL window functions.",
        "I was glad you asked about SQL window functions.",
    )
    assert pasted_fragments(body, [source]) == ["Asked about SQL window functions"]
    fixed = "I was glad you asked about SQL window functions."
    assert pasted_fragments(fixed, [source]) == []


def test_the_date_count_catches_a_formal_date_for_yesterday() -> None:
    today = date(2026, 12, 2)
    assert unnatural_dates("on Tuesday, 1 December 2026 we", today) == ["Tuesday, 1 December 2026"]
    assert unnatural_dates("on Sunday, 1 November 2026", today) == []


def _note(message_id: int, to_name: str, body: str) -> MessageRecord:
    moment = datetime(2026, 3, 11, tzinfo=UTC)
    return MessageRecord(
        id=message_id, purpose=Purpose.THANK_YOU, status=MessageStatus.DRAFT, to_name=to_name,
        to_address="x@example.com", subject="Thank you", body=body, bcc_self=False,
        contact_id=message_id, application_id=1, interview_id=1, account_id=None,
        message_id_header="", error="", created_at=moment, updated_at=moment, sent_at=None,
    )  # fmt: skip


SKELETON = (
    "Dear {name},\n\nThank you for taking the time to talk with me yesterday about the "
    "Operations Analyst role at Quarry Logistics. {clause}\n\nOur talk confirmed why I want "
    "to join Quarry Logistics. Route planning problems are what I find genuinely fun, and "
    "your team solves them every day.\n\nIf anything I said left you with open questions, I "
    "would be glad to answer them. I look forward to hearing about the next steps.\n\n"
    "Best regards,\nJo"
)


def test_two_notes_that_differ_by_one_clause_are_near_duplicates() -> None:
    olivia = _note(
        1,
        "Olivia Brown",
        SKELETON.format(name="Olivia", clause="I especially enjoyed the case on depot placement."),
    )
    ravi = _note(2, "Ravi Shah", SKELETON.format(
        name="Ravi", clause="I was glad you asked about SQL window functions."))  # fmt: skip
    assert similarity(olivia, ravi) >= SIMILARITY_LIMIT
    check = check_draft(olivia, [ravi], "", "")
    assert any("nearly the same as the one to Ravi Shah" in w for w in check.warnings)


def test_an_earlier_note_to_the_same_company_is_compared_too() -> None:
    olivia = _note(1, "Olivia Brown", SKELETON.format(name="Olivia", clause="Thanks."))
    earlier = replace(olivia, id=9, to_name="Ravi Shah", body=olivia.body.replace("Olivia", "Ravi"))
    check = check_draft(olivia, [], "", "", earlier=[earlier])
    assert any("earlier one to Ravi Shah at the same company" in w for w in check.warnings)


def test_a_missing_name_points_to_settings_not_to_a_placeholder() -> None:
    draft = _note(1, "Olivia Brown", "Dear Olivia,\n\nThank you.\n\nBest regards,\n{my_name}")
    check = check_draft(draft, [], "", "")
    assert not check.can_send
    assert any("Settings → Mail account" in blocker for blocker in check.blockers)
    assert not any("{my_name}" in blocker for blocker in check.blockers)


def _meeting(company: str) -> Meeting:
    return next(meeting for meeting in TESTER_MEETINGS if meeting.company == company)


def _paragraphs(draft: MessageRecord) -> list[str]:
    return draft.body.split("\n\n")


def test_the_testers_notes_become_sentences_or_are_flagged_never_garbled(
    db: Database, now: datetime
) -> None:
    interview_id, _ = add_meeting(db, _meeting("Solo GmbH"), now)
    ana, ben, cy = prepare_thank_you_drafts(db, interview_id, now=now, my_name="Jo")
    assert "I was glad you were interested in my Rust experience." in ana.body
    assert "routing team" not in ben.body and "take-home" not in cy.body
    for draft in (ana, ben, cy):
        assert "mission-driven" not in draft.body.casefold()
        assert "you interested" not in draft.body and "about runs" not in draft.body
    told = {draft.to_name: check_message(db, draft.id).warnings for draft in (ana, ben, cy)}
    assert any("because it does not say who “runs the routing team”" in w for w in told["Ben Ode"])
    assert any("because it does not say who “will send a take-home”" in w for w in told["Cy Park"])
    assert not any("Your note about" in w for w in told["Ana Ruiz"])
    reason = (
        "Your reason for wanting this job (“Mission-driven company”) was left out of the draft "
        "because it is not a full sentence"
    )
    assert all(any(reason in w for w in warnings) for warnings in told.values())


def test_five_people_on_one_panel_get_five_different_notes(db: Database, now: datetime) -> None:
    panel = _meeting("Acme Corp")
    assert len(panel.people) == 5
    interview_id, _ = add_meeting(db, panel, now)
    drafts = prepare_thank_you_drafts(db, interview_id, now=now, my_name="Jo")
    # Each opening differs from every other up to the four options the panel template has.
    openings = [_paragraphs(draft)[1] for draft in drafts]
    assert len(set(openings[:4])) == 4
    for first, second in itertools.combinations(drafts, 2):
        assert similarity(first, second) < SIMILARITY_LIMIT, (first.to_name, second.to_name)
    for draft in drafts:
        assert not any("nearly the same" in w for w in check_message(db, draft.id).warnings)


def test_contact_ids_a_multiple_of_the_options_apart_no_longer_share_the_wording(
    db: Database, now: datetime
) -> None:
    # The tester's case: ids 3 and 6 with three options once chose the same wording.
    with db.session() as session:
        people = [
            Contact(name=f"{name} Example", email=f"{name.lower()}@example.com", created_at=now)
            for name in ("Ada", "Bo", "Cleo", "Dev", "Eli", "Fay")
        ]
        application = Application(
            company="Quarry", role="Analyst", why_interested="I love route planning.",
            created_at=now, updated_at=now,
        )  # fmt: skip
        interview = Interview(
            application=application, starts_at=now - timedelta(days=1), timezone="Europe/Berlin",
            format=InterviewFormat.PHONE,
        )  # fmt: skip
        session.add_all([*people, application, interview])
        session.flush()
        assert (people[2].id, people[5].id) == (3, 6)
        for person in (people[2], people[5]):
            session.add(Participant(interview_id=interview.id, contact_id=person.id))
        interview_id = interview.id
    cleo, fay = prepare_thank_you_drafts(db, interview_id, now=now, my_name="Jo")
    assert "call" in cleo.body  # the phone-screen template, three options in each choice
    one, other = _paragraphs(cleo), _paragraphs(fay)
    for index in range(1, len(one)):  # every paragraph after the greeting has a choice
        assert one[index] != other[index]
    assert similarity(cleo, fay) < SIMILARITY_LIMIT


def test_a_thank_you_made_again_has_the_same_wording(db: Database, now: datetime) -> None:
    interview_id, _ = add_meeting(db, _meeting("Acme Corp"), now)
    drafts = prepare_thank_you_drafts(db, interview_id, now=now, my_name="Jo")
    delete_draft(db, drafts[2].id)
    again = prepare_thank_you_drafts(db, interview_id, now=now, my_name="Jo")
    assert [draft.body for draft in again] == [draft.body for draft in drafts]
