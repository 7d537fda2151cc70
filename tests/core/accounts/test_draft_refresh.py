"""Drafts asked for again: untouched ones follow today's facts, edited ones stay and are checked.

A draft the person has not edited is written again from the facts when it is
asked for (a no came, a day went by, the notes changed); one they edited is
kept as they left it, and the check says what in it no longer fits. A message
that was sent, is being sent, or may have been, is never touched.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from afterword.core.applications import record_outcome
from afterword.core.errors import ValidationError
from afterword.core.mail.draft_checks import check_draft
from afterword.core.mail.draft_fit import DraftFacts
from afterword.core.mail.drafts import (
    check_message,
    get_message,
    prepare_draft,
    prepare_thank_you_drafts,
    rewrite_draft,
    update_draft,
)
from afterword.core.storage.db import Database
from afterword.core.storage.models import Application, Message, Participant
from afterword.core.storage.records import MessageRecord
from afterword.core.storage.values import InterviewOutcome, MessageStatus, Purpose
from tests.core.accounts.test_drafts import WHY, Setup, _add_interview, _draft, _mark_sent

# 08:00 in Berlin on Wednesday 11 March, two hours before the suite's "now".
THIS_MORNING = datetime(2026, 3, 11, 7, 0, tzinfo=UTC)
# The built-in "thank you anyway" says one of these, depending on the person.
AFTER_THE_NO = ("gone to another candidate", "will not be mine", "not chosen")


def _thank_yous(db: Database, setup: Setup, now: datetime) -> list[MessageRecord]:
    return prepare_thank_you_drafts(db, setup.interview_id, now=now, my_name="Jo")


def _edit(db: Database, draft: MessageRecord, now: datetime, **changes: str) -> MessageRecord:
    fields = {"subject": draft.subject, "body": draft.body, **changes}
    return update_draft(
        db,
        draft.id,
        to_name=draft.to_name,
        to_address=draft.to_address,
        bcc_self=draft.bcc_self,
        now=now,
        **fields,  # type: ignore[arg-type]
    )


def _reject(db: Database, setup: Setup, now: datetime) -> None:
    record_outcome(db, setup.interview_id, InterviewOutcome.REJECTED, now=now)


def test_an_untouched_thank_you_becomes_the_thank_you_anyway_after_a_no(
    db: Database, now: datetime
) -> None:
    setup = _add_interview(db, now)
    anna, ben = _thank_yous(db, setup, now)
    assert "next steps" in anna.body + ben.body or "hearing from you" in anna.body + ben.body
    later = now + timedelta(days=1)
    _reject(db, setup, later)

    again = _thank_yous(db, setup, later)

    assert [d.id for d in again] == [anna.id, ben.id]  # the same messages, written again
    for draft in again:
        assert "Acme Learning" in draft.body
        assert "look forward" not in draft.body and "next steps" not in draft.body
        assert any(words in draft.body for words in AFTER_THE_NO)
        assert draft.created_at == draft.updated_at == later
        # A thank-you anyway has no job left to want: no reason is pressed for.
        assert check_message(db, draft.id, later).warnings == ()


def test_an_untouched_thank_you_names_the_day_from_today(db: Database, now: datetime) -> None:
    setup = _add_interview(db, now, starts_at=THIS_MORNING)
    anna, _ = _thank_yous(db, setup, now)
    assert "today" in anna.body

    friday = now + timedelta(days=2)
    again, _ = _thank_yous(db, setup, friday)

    assert again.id == anna.id
    assert "on Wednesday" in again.body and "today" not in again.body
    assert check_message(db, again.id, friday).outdated == ()


def test_an_untouched_thank_you_takes_in_new_notes(db: Database, now: datetime) -> None:
    setup = _add_interview(db, now)
    anna, _ = _thank_yous(db, setup, now)
    with db.session() as session:
        session.execute(
            update(Participant)
            .where(Participant.contact_id == setup.anna_id)
            .values(notes="Asked about my thesis on spaced repetition.")
        )

    again, _ = _thank_yous(db, setup, now + timedelta(hours=1))
    assert "I was glad you asked about my thesis on spaced repetition." in again.body
    assert again.id == anna.id


def test_asking_again_with_nothing_new_writes_nothing(db: Database, now: datetime) -> None:
    setup = _add_interview(db, now)
    first = _thank_yous(db, setup, now)
    again = _thank_yous(db, setup, now + timedelta(minutes=5))  # still "yesterday"
    assert again == first  # not even re-dated


@pytest.mark.parametrize("same_instant", [False, True])
def test_an_edited_thank_you_is_kept_as_the_person_left_it(
    db: Database, now: datetime, same_instant: bool
) -> None:
    setup = _add_interview(db, now, starts_at=THIS_MORNING)
    anna, _ = _thank_yous(db, setup, now)
    # Edited at once; with a clock that stands still, even at the very same instant.
    edited = _edit(db, anna, now if same_instant else now + timedelta(minutes=3), subject="Hi!")
    assert edited.updated_at > edited.created_at
    friday = now + timedelta(days=2)
    _reject(db, setup, friday - timedelta(hours=1))

    again, _ = _thank_yous(db, setup, friday)

    assert again == edited
    check = check_message(db, again.id, friday)
    assert check.outdated == check.warnings[: len(check.outdated)]
    stale_day, before_the_no = check.outdated
    assert stale_day == (
        "Says “today” but was written on Wednesday, 11 March 2026; today it would say "
        "“on Wednesday”. Change it, or click Start over."
    )
    assert before_the_no.startswith("Written before Acme Learning said no: it still says “")
    quoted = before_the_no.split("“")[1].split("”")[0]
    assert quoted in again.body and not quoted.endswith(".")
    assert before_the_no.endswith("”. Reword it, or click Start over.")
    assert check.can_send  # advice, not a rule


def test_a_reworded_note_is_no_longer_flagged(db: Database, now: datetime) -> None:
    setup = _add_interview(db, now, starts_at=THIS_MORNING)
    anna, _ = _thank_yous(db, setup, now)
    friday = now + timedelta(days=2)
    _reject(db, setup, friday - timedelta(hours=1))
    reworded = _edit(
        db,
        anna,
        friday,
        body=(
            "Dear Anna,\n\nThank you for our conversation on Wednesday, even though the role "
            "went to someone else. I hope our paths cross again.\n\nJo"
        ),
    )
    assert check_message(db, reworded.id, friday).outdated == ()


def test_a_note_in_other_words_untouched_since_the_no_gets_a_second_look(
    db: Database, now: datetime
) -> None:
    setup = _add_interview(db, now)
    anna, _ = _thank_yous(db, setup, now)
    mine = _edit(db, anna, now + timedelta(minutes=1), body="Dear Anna,\n\nDanke!\n\nJo")
    _reject(db, setup, now + timedelta(hours=1))

    (warning,) = check_message(db, mine.id, now + timedelta(hours=2)).outdated
    assert warning.startswith("Written before Acme Learning said no: read it again")
    # Once edited after the no, it is the person's considered text.
    _edit(db, mine, now + timedelta(hours=3), body="Dear Anna,\n\nDanke trotzdem!\n\nJo")
    assert check_message(db, mine.id, now + timedelta(hours=3)).outdated == ()


@pytest.mark.parametrize(
    "status", [MessageStatus.FAILED, MessageStatus.SENDING, MessageStatus.UNKNOWN]
)
def test_a_message_that_went_to_be_sent_is_never_rewritten(
    db: Database, now: datetime, status: MessageStatus
) -> None:
    setup = _add_interview(db, now, starts_at=THIS_MORNING)
    anna, _ = _thank_yous(db, setup, now)
    with db.session() as session:
        # As the outbox leaves it, but with its dates untouched (the hardest case).
        session.execute(update(Message).where(Message.id == anna.id).values(status=status))
    stored = get_message(db, anna.id)
    later = now + timedelta(days=2)
    _reject(db, setup, later)

    again, _ = _thank_yous(db, setup, later)
    assert again == stored

    if status is not MessageStatus.FAILED:
        with pytest.raises(ValidationError):
            rewrite_draft(db, anna.id, now=later, my_name="Jo")
        assert get_message(db, anna.id) == stored


def test_a_sent_message_is_never_rewritten(db: Database, now: datetime) -> None:
    setup = _add_interview(db, now)
    anna, _ = _thank_yous(db, setup, now)
    _mark_sent(db, anna.id, now)
    stored = get_message(db, anna.id)
    with pytest.raises(ValidationError) as caught:
        rewrite_draft(db, anna.id, now=now + timedelta(days=1), my_name="Jo")
    assert "already sent" in caught.value.problem
    assert get_message(db, anna.id) == stored


def test_start_over_writes_an_edited_draft_afresh(db: Database, now: datetime) -> None:
    setup = _add_interview(db, now, starts_at=THIS_MORNING)
    anna, _ = _thank_yous(db, setup, now)
    _edit(db, anna, now + timedelta(minutes=1), body="Dear Anna,\n\nThanks for today!\n\nJo")
    friday = now + timedelta(days=2)
    _reject(db, setup, friday - timedelta(hours=1))

    fresh = rewrite_draft(db, anna.id, now=friday, my_name="Jo")

    assert fresh.id == anna.id and fresh.status is MessageStatus.DRAFT
    assert "Thanks for today!" not in fresh.body
    assert "on Wednesday" in fresh.body
    assert any(words in fresh.body for words in AFTER_THE_NO)
    assert fresh.created_at == fresh.updated_at == friday
    assert check_message(db, fresh.id, friday).outdated == ()
    # Untouched again: the next time it is asked for, it follows the facts.
    assert _thank_yous(db, setup, friday)[0] == fresh


def test_only_thank_yous_and_follow_ups_can_be_started_over(db: Database, now: datetime) -> None:
    setup = _add_interview(db, now)
    reply = prepare_draft(
        db,
        purpose=Purpose.REJECTION_REPLY,
        interview_id=setup.interview_id,
        contact_id=setup.ben_id,
        now=now,
        my_name="Jo",
    )
    with pytest.raises(ValidationError) as caught:
        rewrite_draft(db, reply.id, now=now, my_name="Jo")
    assert caught.value.problem == "Only thank-yous and follow-ups can be started over."
    assert get_message(db, reply.id) == reply


def test_an_untouched_reply_follows_what_is_asked_for_now(db: Database, now: datetime) -> None:
    setup = _add_interview(db, now)

    def reply(requests: frozenset[str], at: datetime) -> MessageRecord:
        return prepare_draft(
            db,
            purpose=Purpose.REJECTION_REPLY,
            interview_id=setup.interview_id,
            contact_id=setup.ben_id,
            now=at,
            my_name="Jo",
            requests=requests,
        )

    everything = reply(frozenset({"feedback", "still_interested", "referral"}), now)
    assert "refer" in everything.body
    only_feedback = reply(frozenset({"feedback"}), now + timedelta(minutes=2))
    assert only_feedback.id == everything.id
    assert "refer" not in only_feedback.body and "interested" not in only_feedback.body

    mine = _edit(db, only_feedback, now + timedelta(minutes=3), subject="Thanks, Ben")
    assert reply(frozenset({"referral"}), now + timedelta(minutes=4)) == mine


def test_a_follow_up_written_days_ago_says_when_its_decision_day_changed(
    db: Database, now: datetime
) -> None:
    setup = _add_interview(db, now, decision=date(2026, 3, 13))
    draft = prepare_draft(
        db,
        purpose=Purpose.STATUS_FOLLOW_UP,
        application_id=setup.application_id,
        contact_id=setup.anna_id,
        now=now,
        my_name="Jo",
    )
    assert "by Friday." in draft.body
    _edit(db, draft, now + timedelta(minutes=1), subject="Following up")

    week_later = now + timedelta(days=9)
    (warning,) = check_message(db, draft.id, week_later).outdated
    assert warning.startswith("Says “Friday” but was written on Wednesday, 11 March 2026;")
    assert "today it would say “13 March”" in warning
    # The same day, nothing is stale.
    assert check_message(db, draft.id, now + timedelta(hours=3)).outdated == ()


def test_a_note_to_oneself_is_never_taken_for_another_note(db: Database, now: datetime) -> None:
    with db.session() as session:
        session.add(
            Message(
                purpose=Purpose.OTHER,
                status=MessageStatus.DRAFT,
                to_name="Jo",
                to_address="jo@example.com",
                subject="Before you go in",
                body="The sheet.",
                created_at=now,
                updated_at=now,
            )
        )
    setup = _add_interview(db, now)
    note = prepare_draft(
        db, purpose=Purpose.OTHER, application_id=setup.application_id, now=now, my_name="Jo"
    )
    assert note.subject != "Before you go in"
    with db.reading() as session:
        assert session.get(Message, 1).body == "The sheet."  # type: ignore[union-attr]


# -- the reason for interest, after a no ----------------------------------------------------


def _reply(body: str) -> MessageRecord:
    return _draft(purpose=Purpose.REJECTION_REPLY, body=body)


def test_a_reply_that_does_not_say_still_interested_is_not_asked_for_a_reason() -> None:
    feedback_only = _reply("Dear Anna,\n\nCould you tell me where I could have been stronger?")
    assert check_draft(feedback_only, [], WHY, "").warnings == ()
    assert check_draft(feedback_only, [], "", "").warnings == ()


def test_a_reply_that_says_still_interested_is_asked_for_a_reason() -> None:
    interested = _reply("Dear Anna,\n\nI am still very interested in Acme Learning.\n\nJo")
    (warning,) = check_draft(interested, [], WHY, "").warnings
    assert "doesn't say why you want this job" in warning
    assert check_draft(_reply(f"{interested.body}\n\n{WHY}"), [], WHY, "").warnings == ()


def test_a_thank_you_after_a_no_is_asked_for_a_reason_only_if_it_says_still_interested() -> None:
    after_no = DraftFacts(company="Acme Learning", rejected_at=datetime(2026, 3, 10, tzinfo=UTC))
    thanks = _draft(body="Dear Anna,\n\nThank you anyway.\n\nJo")
    now = datetime(2026, 3, 11, tzinfo=UTC)
    warnings = check_draft(thanks, [], WHY, "x", facts=after_no, now=now).warnings
    assert not any("why you want this job" in warning for warning in warnings)
    still = _draft(body="Dear Anna,\n\nThank you anyway; I am still interested.\n\nJo")
    warnings = check_draft(still, [], WHY, "x", facts=after_no, now=now).warnings
    assert any("why you want this job" in warning for warning in warnings)
    # While the job is open, a thank-you says why you want it, as before.
    warnings = check_draft(thanks, [], WHY, "x", facts=DraftFacts(), now=now).warnings
    assert any("why you want this job" in warning for warning in warnings)


def test_a_reply_when_no_longer_interested_is_not_asked_for_a_reason(
    db: Database, now: datetime
) -> None:
    setup = _add_interview(db, now)
    with db.session() as session:
        application = session.get(Application, setup.application_id)
        assert application is not None
        application.still_interested = False
    draft = prepare_draft(
        db,
        purpose=Purpose.REJECTION_REPLY,
        interview_id=setup.interview_id,
        contact_id=setup.ben_id,
        now=now,
        my_name="Jo",
    )
    assert "interested" not in draft.body
    assert check_message(db, draft.id, now).warnings == ()
