"""Drafts: one personal thank-you per interviewer, follow-ups, the check, mailto and letters."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from urllib.parse import unquote

import pytest
from sqlalchemy import func, select

from afterword.core.errors import NotFoundError, ValidationError
from afterword.core.exports.messages import letter_text, mailto_url
from afterword.core.mail.accounts import save_mail_account
from afterword.core.mail.draft_checks import check_draft
from afterword.core.mail.draft_values import first_name
from afterword.core.mail.drafts import (
    check_message,
    delete_draft,
    draft_context,
    get_message,
    prepare_draft,
    prepare_thank_you_drafts,
    thanked_contacts,
    update_draft,
)
from afterword.core.storage.db import Database
from afterword.core.storage.models import (
    Application,
    Contact,
    Interview,
    Message,
    Participant,
    Touchpoint,
)
from afterword.core.storage.records import MailAccountFields, MessageRecord
from afterword.core.storage.values import MailSecurity, MessageStatus, Purpose, TouchpointKind

WHY = "I have spent five years building offline-first tools for teachers, which is your mission."
ANNA_NOTES = "how the platform team moved billing to event sourcing"
BEN_NOTES = "your story about mentoring new hires through their first on-call week"


@dataclass(frozen=True)
class Setup:
    application_id: int
    interview_id: int
    anna_id: int
    ben_id: int


def _add_interview(
    db: Database,
    now: datetime,
    *,
    why: str = WHY,
    anna_notes: str = ANNA_NOTES,
    ben_notes: str = BEN_NOTES,
    ben_email: str = "ben@acme.example",
    starts_at: datetime = datetime(2026, 3, 10, 9, 0, tzinfo=UTC),
    timezone: str = "Europe/Berlin",
    decision: date | None = date(2026, 3, 20),
) -> Setup:
    with db.session() as session:
        application = Application(
            company="Acme Learning",
            role="Senior Engineer",
            why_interested=why,
            decision_expected=decision,
            created_at=now,
            updated_at=now,
        )
        interview = Interview(
            application=application,
            round_name="Technical interview",
            starts_at=starts_at,
            timezone=timezone,
        )
        anna = Contact(
            name="Dr. Anna Schmidt",
            email="anna@acme.example",
            company="Acme Learning",
            notes="We met at PyCon and talked about climbing.",
            created_at=now,
        )
        ben = Contact(name="Ben Okafor", email=ben_email, company="Acme Learning", created_at=now)
        session.add_all([application, interview, anna, ben])
        session.flush()
        session.add_all(
            [
                Participant(interview_id=interview.id, contact_id=anna.id, notes=anna_notes),
                Participant(interview_id=interview.id, contact_id=ben.id, notes=ben_notes),
            ]
        )
        return Setup(application.id, interview.id, anna.id, ben.id)


def _messages(db: Database) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(Message)) or 0


def _record_thank_you(
    db: Database, setup: Setup, contact_id: int, kind: TouchpointKind, now: datetime
) -> None:
    with db.session() as session:
        session.add(
            Touchpoint(
                contact_id=contact_id,
                application_id=setup.application_id,
                interview_id=setup.interview_id,
                kind=kind,
                purpose=Purpose.THANK_YOU,
                occurred_at=now,
            )
        )


def _mark_sent(db: Database, message_id: int, now: datetime) -> None:
    with db.session() as session:
        row = session.get(Message, message_id)
        assert row is not None
        row.status = MessageStatus.SENT
        row.sent_at = now


def test_a_thank_you_is_prepared_for_each_interviewer_and_made_personal(
    db: Database, now: datetime
) -> None:
    setup = _add_interview(db, now)
    anna, ben = prepare_thank_you_drafts(db, setup.interview_id, now=now, my_name="Jo Example")

    assert (anna.to_name, anna.to_address, anna.contact_id) == (
        "Dr. Anna Schmidt",
        "anna@acme.example",
        setup.anna_id,
    )
    assert (ben.to_name, ben.to_address) == ("Ben Okafor", "ben@acme.example")
    for draft in (anna, ben):
        assert draft.purpose is Purpose.THANK_YOU
        assert draft.status is MessageStatus.DRAFT
        assert (draft.application_id, draft.interview_id) == (
            setup.application_id,
            setup.interview_id,
        )
        assert draft.created_at == now
        assert "Senior Engineer" in draft.subject
        assert "Acme Learning" in draft.body
        assert WHY in draft.body
        # The interview was the day before: said as a person would, not as a form would.
        assert "yesterday" in draft.body
        assert "10 March" not in draft.body
        assert "the technical interview" in draft.subject and "Acme Learning" in draft.subject
        assert draft.body.rstrip().endswith("Jo Example")
        assert "{" not in draft.body + draft.subject
    assert anna.body.split("\n")[0] in ("Dear Anna,", "Hello Anna,")
    assert f"I especially enjoyed hearing {ANNA_NOTES}." in anna.body
    assert BEN_NOTES not in anna.body
    assert ben.body.split("\n")[0] in ("Dear Ben,", "Hello Ben,")
    assert f"I especially enjoyed {BEN_NOTES}." in ben.body and ANNA_NOTES not in ben.body
    # One panel, two people: each note opens and closes in its own words.
    assert anna.body.split("\n\n")[1] != ben.body.split("\n\n")[1]
    assert anna.body.split("\n\n")[-1] != ben.body.split("\n\n")[-1]


def test_asking_twice_returns_the_same_drafts(db: Database, now: datetime) -> None:
    setup = _add_interview(db, now)
    first = prepare_thank_you_drafts(db, setup.interview_id, now=now, my_name="Jo")
    again = prepare_thank_you_drafts(db, setup.interview_id, now=now, my_name="Jo")

    assert [d.id for d in again] == [d.id for d in first]
    assert _messages(db) == 2


def test_someone_already_thanked_gets_no_second_draft(db: Database, now: datetime) -> None:
    # Changed on purpose: a sent thank-you used to come back as a tab of its own.
    setup = _add_interview(db, now)
    anna, ben = prepare_thank_you_drafts(db, setup.interview_id, now=now, my_name="Jo")
    _mark_sent(db, anna.id, now)

    again = prepare_thank_you_drafts(db, setup.interview_id, now=now, my_name="Jo")
    assert [d.id for d in again] == [ben.id]
    # Asked for exactly her (her thank-you, ticked off): what was sent comes back to look at.
    asked = prepare_thank_you_drafts(
        db, setup.interview_id, now=now, my_name="Jo", contact_id=setup.anna_id
    )
    assert [(d.id, d.status) for d in asked] == [
        (anna.id, MessageStatus.SENT),
        (ben.id, MessageStatus.DRAFT),
    ]
    assert thanked_contacts(db, setup.interview_id) == ["Dr. Anna Schmidt"]
    assert _messages(db) == 2


@pytest.mark.parametrize(
    ("kind", "thanked"),
    [(TouchpointKind.LETTER, True), (TouchpointKind.EMAIL, True), (TouchpointKind.CALL, False)],
)
def test_a_thank_you_recorded_by_hand_counts_as_thanked(
    db: Database, now: datetime, kind: TouchpointKind, thanked: bool
) -> None:
    # As on the demo: Olivia's thank-you is in her history, written outside Afterword.
    setup = _add_interview(db, now)
    _record_thank_you(db, setup, setup.ben_id, kind, now)

    drafts = prepare_thank_you_drafts(db, setup.interview_id, now=now, my_name="Jo")
    expected = ["Dr. Anna Schmidt"] + ([] if thanked else ["Ben Okafor"])
    assert [d.to_name for d in drafts] == expected
    assert _messages(db) == len(expected)
    # Nothing Afterword sent to show him, even when asked for him.
    asked = prepare_thank_you_drafts(
        db, setup.interview_id, now=now, my_name="Jo", contact_id=setup.ben_id
    )
    assert [d.to_name for d in asked] == expected


def test_everyone_thanked_means_no_drafts(db: Database, now: datetime) -> None:
    setup = _add_interview(db, now)
    for contact_id in (setup.anna_id, setup.ben_id):
        _record_thank_you(db, setup, contact_id, TouchpointKind.EMAIL, now)

    assert prepare_thank_you_drafts(db, setup.interview_id, now=now, my_name="Jo") == []
    assert thanked_contacts(db, setup.interview_id) == ["Dr. Anna Schmidt", "Ben Okafor"]
    assert _messages(db) == 0


def test_a_person_added_later_gets_their_own_draft(db: Database, now: datetime) -> None:
    setup = _add_interview(db, now)
    first = prepare_thank_you_drafts(db, setup.interview_id, now=now, my_name="Jo")
    with db.session() as session:
        cleo = Contact(name="Cleo Park", email="cleo@acme.example", created_at=now)
        session.add(cleo)
        session.flush()
        session.add(Participant(interview_id=setup.interview_id, contact_id=cleo.id, notes="x"))

    drafts = prepare_thank_you_drafts(db, setup.interview_id, now=now, my_name="Jo")
    assert [d.id for d in drafts[:2]] == [d.id for d in first]
    assert drafts[2].to_name == "Cleo Park"
    assert _messages(db) == 3


def test_the_interview_day_is_the_day_where_it_took_place(db: Database, now: datetime) -> None:
    # 23:30 UTC on the 10th is already the 11th in Tokyo.
    setup = _add_interview(
        db, now, starts_at=datetime(2026, 3, 10, 23, 30, tzinfo=UTC), timezone="Asia/Tokyo"
    )
    anna, _ = prepare_thank_you_drafts(db, setup.interview_id, now=now, my_name="Jo")
    # Now is 10:00 on the 11th in Berlin, 18:00 in Tokyo: the interview was today.
    assert "today" in anna.body and "yesterday" not in anna.body


@pytest.mark.parametrize(
    ("starts_at", "phrase"),
    [
        (datetime(2026, 3, 9, 9, 0, tzinfo=UTC), "on Monday"),
        (datetime(2026, 3, 5, 9, 0, tzinfo=UTC), "on Thursday"),
        (datetime(2026, 3, 3, 9, 0, tzinfo=UTC), "on 3 March"),
        (datetime(2025, 11, 3, 9, 0, tzinfo=UTC), "on 3 November 2025"),
    ],
)
def test_the_interview_day_is_said_naturally(
    db: Database, now: datetime, starts_at: datetime, phrase: str
) -> None:
    setup = _add_interview(db, now, starts_at=starts_at)
    anna, _ = prepare_thank_you_drafts(db, setup.interview_id, now=now, my_name="Jo")
    assert phrase in anna.body
    assert "day, " not in anna.body  # never "Tuesday, 3 March 2026"


def test_missing_notes_leave_their_sentence_out_and_are_warned_about(
    db: Database, now: datetime
) -> None:
    setup = _add_interview(db, now, ben_notes="", ben_email="")
    _, ben = prepare_thank_you_drafts(db, setup.interview_id, now=now, my_name="Jo")

    assert "{" not in ben.body
    assert "\n\n\n" not in ben.body  # the paragraph went, not just its text
    check = check_message(db, ben.id)
    assert check.unfilled == ()
    assert not check.can_send
    assert check.blockers[0] == "Add the recipient's email address."
    assert any("no notes about Ben Okafor" in warning for warning in check.warnings)


def test_a_note_that_is_not_a_sentence_is_left_out_and_the_person_told_why(
    db: Database, now: datetime
) -> None:
    setup = _add_interview(db, now, ben_notes="Very friendly; he shared the salary band.")
    _, ben = prepare_thank_you_drafts(db, setup.interview_id, now=now, my_name="Jo")
    assert "salary" not in ben.body
    check = check_message(db, ben.id)
    assert check.can_send
    assert any(
        "left out of the draft because it reads like a list of private notes" in warning
        for warning in check.warnings
    )


def test_drafts_copy_to_self_when_the_account_says_so(db: Database, now: datetime) -> None:
    save_mail_account(
        db,
        MailAccountFields(
            display_name="Jo",
            email="jo@example.com",
            smtp_host="smtp.example.com",
            smtp_port=465,
            security=MailSecurity.SSL,
            username="jo@example.com",
            bcc_self=True,
        ),
    )
    setup = _add_interview(db, now)
    drafts = prepare_thank_you_drafts(db, setup.interview_id, now=now, my_name="Jo")
    assert all(draft.bcc_self for draft in drafts)


def test_an_unknown_interview_is_reported(db: Database, now: datetime) -> None:
    with pytest.raises(NotFoundError):
        prepare_thank_you_drafts(db, 999, now=now, my_name="Jo")


def test_a_status_follow_up_names_the_decision_date_and_is_not_duplicated(
    db: Database, now: datetime
) -> None:
    setup = _add_interview(db, now)
    draft = prepare_draft(
        db,
        purpose=Purpose.STATUS_FOLLOW_UP,
        application_id=setup.application_id,
        contact_id=setup.anna_id,
        now=now,
        my_name="Jo",
    )
    assert "by 20 March." in draft.body
    assert WHY in draft.body
    assert draft.to_address == "anna@acme.example"
    assert draft.requests is None  # only a reply to a rejection asks for things

    again = prepare_draft(
        db,
        purpose=Purpose.STATUS_FOLLOW_UP,
        application_id=setup.application_id,
        contact_id=setup.anna_id,
        now=now,
        my_name="Jo",
    )
    assert again.id == draft.id

    # Once sent, the next follow-up is a new message.
    _mark_sent(db, draft.id, now)
    second = prepare_draft(
        db,
        purpose=Purpose.STATUS_FOLLOW_UP,
        application_id=setup.application_id,
        contact_id=setup.anna_id,
        now=now,
        my_name="Jo",
    )
    assert second.id != draft.id
    assert _messages(db) == 2


def test_a_reply_to_a_rejection_asks_for_feedback_and_a_referral(
    db: Database, now: datetime
) -> None:
    setup = _add_interview(db, now)
    draft = prepare_draft(
        db,
        purpose=Purpose.REJECTION_REPLY,
        interview_id=setup.interview_id,
        contact_id=setup.ben_id,
        now=now,
        my_name="Jo",
    )
    assert draft.application_id == setup.application_id
    assert "refer" in draft.body
    assert "I am still very interested in Acme Learning. " + WHY in draft.body
    assert check_message(db, draft.id).blockers == ()


def test_a_check_in_without_an_application_uses_the_contact(db: Database, now: datetime) -> None:
    setup = _add_interview(db, now)
    draft = prepare_draft(
        db, purpose=Purpose.CHECK_IN, contact_id=setup.anna_id, now=now, my_name="Jo"
    )
    assert draft.application_id is None
    assert "Acme Learning" in draft.body
    assert "We met at PyCon and talked about climbing." in draft.body
    check = check_message(db, draft.id)
    assert check.warnings == () and check.blockers == ()


def test_an_interview_of_another_application_is_refused(db: Database, now: datetime) -> None:
    first = _add_interview(db, now)
    second = _add_interview(db, now)
    with pytest.raises(ValidationError):
        prepare_draft(
            db,
            purpose=Purpose.STATUS_FOLLOW_UP,
            application_id=first.application_id,
            interview_id=second.interview_id,
            now=now,
            my_name="Jo",
        )
    assert _messages(db) == 0


def test_a_draft_can_be_edited_until_it_is_sent(db: Database, now: datetime) -> None:
    setup = _add_interview(db, now)
    anna, _ = prepare_thank_you_drafts(db, setup.interview_id, now=now, my_name="Jo")
    later = now.replace(hour=11)

    edited = update_draft(
        db,
        anna.id,
        to_name="Anna Schmidt",
        to_address="a.schmidt@acme.example",
        subject="Thank you, Anna",
        body="Dear Anna,\n\nThank you!",
        bcc_self=True,
        now=later,
    )
    assert get_message(db, anna.id) == edited
    assert (edited.to_address, edited.subject, edited.bcc_self) == (
        "a.schmidt@acme.example",
        "Thank you, Anna",
        True,
    )
    assert edited.updated_at == later

    _mark_sent(db, anna.id, now)
    with pytest.raises(ValidationError) as caught:
        update_draft(
            db,
            anna.id,
            to_name="x",
            to_address="x@example.com",
            subject="x",
            body="x",
            bcc_self=False,
            now=later,
        )
    assert "already sent" in caught.value.problem
    with pytest.raises(ValidationError):
        delete_draft(db, anna.id)
    assert get_message(db, anna.id).subject == "Thank you, Anna"


def test_a_bad_edit_is_refused_and_nothing_changes(db: Database, now: datetime) -> None:
    setup = _add_interview(db, now)
    anna, _ = prepare_thank_you_drafts(db, setup.interview_id, now=now, my_name="Jo")
    with pytest.raises(ValidationError) as caught:
        update_draft(
            db,
            anna.id,
            to_name="Anna",
            to_address="anna at acme",
            subject="Hi",
            body="Hello",
            bcc_self=False,
            now=now,
        )
    assert caught.value.field == "to_address"
    assert get_message(db, anna.id) == anna


def test_a_draft_can_be_thrown_away(db: Database, now: datetime) -> None:
    setup = _add_interview(db, now)
    anna, _ = prepare_thank_you_drafts(db, setup.interview_id, now=now, my_name="Jo")
    delete_draft(db, anna.id)
    with pytest.raises(NotFoundError):
        get_message(db, anna.id)


def _draft(**changes: object) -> MessageRecord:
    base = MessageRecord(
        id=1,
        purpose=Purpose.THANK_YOU,
        status=MessageStatus.DRAFT,
        to_name="Anna Schmidt",
        to_address="anna@acme.example",
        subject="Thank you",
        body=f"Dear Anna,\n\nI keep thinking about {ANNA_NOTES}.\n\n{WHY}\n\nJo",
        bcc_self=False,
        contact_id=1,
        application_id=1,
        interview_id=1,
        account_id=None,
        message_id_header="",
        error="",
        created_at=datetime(2026, 3, 11, tzinfo=UTC),
        updated_at=datetime(2026, 3, 11, tzinfo=UTC),
        sent_at=None,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_personal_note_passes_the_check() -> None:
    check = check_draft(_draft(), [], WHY, ANNA_NOTES)
    assert check == check_draft(_draft(), [_draft()], WHY, ANNA_NOTES)  # itself is no sibling
    assert (check.warnings, check.blockers, check.unfilled) == ((), (), ())
    assert check.can_send


def test_a_note_without_a_reason_for_interest_is_warned_about_not_blocked() -> None:
    draft = _draft(body=f"Dear Anna,\n\nI keep thinking about {ANNA_NOTES}.\n\nJo")
    check = check_draft(draft, [], WHY, ANNA_NOTES)
    assert check.can_send
    assert any("why you want this job" in warning for warning in check.warnings)

    no_reason_at_all = check_draft(draft, [], "", ANNA_NOTES)
    assert any("no “why I'm interested”" in warning for warning in no_reason_at_all.warnings)


def test_a_note_with_nothing_about_the_person_is_warned_about() -> None:
    draft = _draft(body=f"Dear Anna,\n\nThank you for your time.\n\n{WHY}\n\nJo")
    check = check_draft(draft, [], WHY, ANNA_NOTES)
    assert check.can_send
    assert any("nothing specific to Anna Schmidt" in warning for warning in check.warnings)


def test_reworded_notes_and_reasons_still_count_as_mentioned() -> None:
    draft = _draft(
        body=(
            "Dear Anna,\n\nI loved hearing how your platform team moved the billing system "
            "to event sourcing.\n\nFive years of building offline-first tools for teachers "
            "is why your mission speaks to me.\n\nJo"
        )
    )
    assert check_draft(draft, [], WHY, ANNA_NOTES).warnings == ()


def test_nearly_identical_notes_to_two_interviewers_are_warned_about() -> None:
    to_anna = _draft()
    to_ben = _draft(id=2, to_name="Ben Okafor", body=to_anna.body.replace("Anna", "Ben"))
    check = check_draft(to_anna, [to_ben], WHY, ANNA_NOTES)
    assert check.can_send
    assert any("nearly the same as the one to Ben Okafor" in w for w in check.warnings)

    different = _draft(id=2, to_name="Ben Okafor", body=f"Dear Ben,\n\n{BEN_NOTES}\n\n{WHY}")
    assert check_draft(to_anna, [different], WHY, ANNA_NOTES).warnings == ()


@pytest.mark.parametrize(
    ("changes", "blocker"),
    [
        ({"subject": ""}, "Add a subject."),
        ({"to_address": ""}, "Add the recipient's email address."),
        ({"to_address": "anna@acme"}, "To: "),
        ({"body": "  "}, "The message is empty."),
        ({"subject": "Thank you\nBcc: all@example.com"}, "Subject: Must be a single line."),
        ({"subject": "Thanks, {first_name}"}, "{first_name}"),
        ({"body": "Dear {name},\n{role} {role}"}, "{name}, {role}"),
    ],
)
def test_what_cannot_be_sent_blocks(changes: dict[str, str], blocker: str) -> None:
    check = check_draft(_draft(**changes), [], WHY, ANNA_NOTES)
    assert not check.can_send
    assert any(blocker in text for text in check.blockers), check.blockers


def test_the_check_can_use_what_the_database_knows(db: Database, now: datetime) -> None:
    setup = _add_interview(db, now)
    anna, ben = prepare_thank_you_drafts(db, setup.interview_id, now=now, my_name="Jo")
    context = draft_context(db, anna.id)
    assert (context.why_interested, context.conversation_notes) == (WHY, ANNA_NOTES)
    assert [sibling.id for sibling in context.siblings] == [ben.id]
    assert check_message(db, anna.id).can_send


@pytest.mark.parametrize(
    ("full", "first"),
    [
        ("Dr. Anna Schmidt", "Anna"),
        ("Prof. Dr. Anna Schmidt", "Anna"),
        ("Ms Zoë Ødegård", "Zoë"),
        ("Cher", "Cher"),
        ("Oyelaran, Marcus", "Marcus"),  # Outlook's "Last, First"
        ("Schmidt, Dr. Anna", "Anna"),
        ("Zoë O'Brien, PhD", "Zoë"),
        ("Dr.", "Dr."),
        ("", ""),
    ],
)
def test_first_names_skip_titles(full: str, first: str) -> None:
    assert first_name(full) == first


def test_mailto_links_carry_unicode_and_line_breaks_intact() -> None:
    subject = "Danke – Zoë & co? 100% #1 a+b=c 😀"
    body = "Dear Zoë,\n\nThank you!\nLine two & more = fine?\n\n— Jo"
    url = mailto_url(_draft(to_address="zoe+jobs@acme.example", subject=subject, body=body))

    assert url.startswith("mailto:zoe%2Bjobs@acme.example?subject=")
    assert " " not in url and "\n" not in url and "+" not in url
    assert "%0D%0A" in url
    query = url.split("?", 1)[1]
    fields = dict(part.split("=", 1) for part in query.split("&"))
    assert set(fields) == {"subject", "body"}
    assert unquote(fields["subject"]) == subject
    assert unquote(fields["body"]) == body.replace("\n", "\r\n")


def test_a_letter_has_sender_date_recipient_then_the_note(now: datetime) -> None:
    draft = _draft()
    text = letter_text(
        draft,
        "Jo Example",
        "Hauptstraße 1\n10115 Berlin",
        now,
        recipient_address="Acme Learning\nMarket St 5\nLondon",
    )
    order = [
        "Jo Example",
        "Hauptstraße 1",
        "11 March 2026",
        "Anna Schmidt",
        "Market St 5",
        "Thank you",
        "Dear Anna,",
        WHY,
    ]
    positions = [text.index(piece) for piece in order]
    assert positions == sorted(positions)
    assert text.endswith("Jo\n")


@pytest.mark.parametrize(
    ("requests", "still_interested", "present", "absent"),
    [
        (
            frozenset({"feedback", "still_interested", "referral", "stay_in_touch"}),
            True,
            ["feedback", "still very interested", "refer", "LinkedIn"],
            [],
        ),
        (frozenset({"feedback"}), True, ["feedback"], ["interested", "refer", "LinkedIn"]),
        (
            frozenset({"still_interested", "stay_in_touch"}),
            False,  # asked for, but the application says it is no longer true
            ["LinkedIn"],
            ["still very interested", "feedback", "refer"],
        ),
    ],
)
def test_a_reply_to_a_rejection_holds_only_the_requests_ticked(
    db: Database,
    now: datetime,
    requests: frozenset[str],
    still_interested: bool,
    present: list[str],
    absent: list[str],
) -> None:
    setup = _add_interview(db, now)
    with db.session() as session:
        application = session.get(Application, setup.application_id)
        assert application is not None
        application.still_interested = still_interested
    draft = prepare_draft(
        db,
        purpose=Purpose.REJECTION_REPLY,
        interview_id=setup.interview_id,
        contact_id=setup.ben_id,
        now=now,
        my_name="Jo",
        requests=requests,
    )
    paragraphs = draft.body.split("\n\n")
    for text in present:
        # Each request is a paragraph of its own.
        assert sum(text.casefold() in p.casefold() for p in paragraphs) == 1, text
    for text in absent:
        assert text.casefold() not in draft.body.casefold(), text
    assert "{" not in draft.body
    # The draft keeps what it asks for (as its paragraphs do): sending it ticks off only those.
    left_out = set() if still_interested else {"still_interested"}
    assert draft.requests == requests - left_out


def test_an_unknown_request_is_refused(db: Database, now: datetime) -> None:
    setup = _add_interview(db, now)
    with pytest.raises(ValidationError) as caught:
        prepare_draft(
            db,
            purpose=Purpose.REJECTION_REPLY,
            interview_id=setup.interview_id,
            contact_id=setup.ben_id,
            now=now,
            my_name="Jo",
            requests=frozenset({"a job"}),
        )
    assert caught.value.field == "requests"
    assert _messages(db) == 0
