"""Draft quality over the demo data and the note-style set: the report's columns are zero.

The same figures ``benchmarks/draft_report.py`` prints; here they must be 0,
and the checks that count them must themselves catch what they look for.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from afterword.core.mail.draft_checks import SIMILARITY_LIMIT, check_draft, similarity
from afterword.core.storage.records import MessageRecord
from afterword.core.storage.values import MessageStatus, Purpose
from benchmarks.draft_report import Figures, pasted_fragments, run, unnatural_dates
from tests.support.note_styles import MEETINGS, note_count


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
