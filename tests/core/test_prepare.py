"""Before you go in: the sheet gathered from real rows, its text, the day's interviews,
and the note to oneself in the Outbox."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from afterword.core.applications import create_application, get_application, update_application
from afterword.core.errors import ValidationError
from afterword.core.exports.prep_sheet import prep_sheet_text
from afterword.core.interviews import save_interview
from afterword.core.interviews_today import interviews_to_prepare
from afterword.core.mail.accounts import save_mail_account
from afterword.core.mail.outbox import list_messages
from afterword.core.prepare import (
    CLOSING_QUESTIONS,
    PAUSE_TIP,
    prepare_sheet,
    send_sheet_to_self,
)
from afterword.core.storage.db import Database
from afterword.core.storage.records import (
    ApplicationFields,
    InterviewFields,
    MailAccountFields,
    TouchpointFields,
    editable,
)
from afterword.core.storage.values import (
    ApplicationStatus,
    MailSecurity,
    MessageStatus,
    ReferralOutcome,
    TouchpointKind,
)
from afterword.core.touchpoints import log_touchpoint
from tests.support.prepare_scene import panel_scene


def test_the_sheet_holds_people_their_history_the_reason_questions_and_tip(
    db: Database, now: datetime
) -> None:
    _application_id, panel_id, rosa_id = panel_scene(db, now)

    sheet = prepare_sheet(db, panel_id)

    assert [p.name for p in sheet.people] == ["Rosa Díaz", "Kai Wong"]
    rosa, kai = sheet.people
    assert rosa.contact_id == rosa_id
    assert rosa.title == "Engineering Manager"
    assert rosa.linkedin_url == "https://www.linkedin.com/in/rosa-diaz"
    assert [e.notes for e in rosa.earlier] == ["Asked how I would test a solver."]
    assert [t.note for t in rosa.touchpoints] == ["Thank you for the phone screen"]
    assert kai.earlier == () and kai.touchpoints == ()
    assert sheet.why_interested == "I want to work on route planning at scale."
    assert sheet.closing_questions == CLOSING_QUESTIONS
    assert sheet.pause_tip == PAUSE_TIP

    text = prep_sheet_text(sheet, now)
    assert text.startswith("Before you go in: Data Engineer at Quarry Logistics\n")
    assert "Panel · Wednesday, 11 March 2026, 14:00–15:00 (Europe/Berlin) · Video call" in text
    assert "Hafenstraße 5, Hamburg" in text
    rosa_block = (
        "* Rosa Díaz\n  Engineering Manager (interviewer)\n"
        "  LinkedIn: https://www.linkedin.com/in/rosa-diaz"
    )
    assert rosa_block in text
    assert "Earlier: Phone screen at Quarry Logistics, Wednesday, 4 March 2026: Asked how I" in text
    assert "Email (thank-you), Thursday, 5 March 2026: Thank you for the phone screen" in text
    assert "Your notes on them: Runs the routing team." in text
    assert "You have not met or written to them before." in text  # Kai
    assert (
        "* Kai Wong\n  Data Lead (interviewer)\n  Look them up on LinkedIn: "
        "https://www.linkedin.com/search/results/people/?keywords=Kai+Wong+Quarry+Logistics"
    ) in text
    assert "What are the next steps from here?" in text
    assert "When do you expect to make a decision" in text
    assert "What you were told so far: A panel, then a decision within two weeks." in text
    assert "pause and ask whether your last answer raised any questions" in text


def test_every_kind_of_touchpoint_reads_on_the_sheet(db: Database, now: datetime) -> None:
    """A referral (with its outcome), a reply, a call...: each has its words."""
    _application_id, panel_id, rosa_id = panel_scene(db, now)
    for kind in TouchpointKind:
        log_touchpoint(
            db,
            TouchpointFields(
                contact_id=rosa_id,
                kind=kind,
                occurred_at=now - timedelta(days=1),
                referral_outcome=(
                    ReferralOutcome.REFERRED if kind is TouchpointKind.REFERRAL else None
                ),
            ),
            now=now,
        )

    text = prep_sheet_text(prepare_sheet(db, panel_id), now)

    assert "Asked for a referral (they referred you), Tuesday, 10 March 2026" in text
    assert "They replied, Tuesday, 10 March 2026" in text


def test_a_sheet_without_reason_or_people_says_what_to_add(db: Database, now: datetime) -> None:
    application = create_application(
        db, ApplicationFields(company="Acme", role="Engineer"), now=now
    )
    interview = save_interview(
        db,
        InterviewFields(application_id=application.id, starts_at=now, timezone="UTC"),
        [],
        now=now,
    )
    text = prep_sheet_text(prepare_sheet(db, interview.id), now)
    assert "Not written yet. Write a sentence on the application" in text
    assert "Nobody recorded yet." in text


def test_today_offers_the_interviews_of_the_day_until_they_end(db: Database, now: datetime) -> None:
    _application_id, panel_id, _rosa = panel_scene(db, now)

    assert [i.interview_id for i in interviews_to_prepare(db, now)] == [panel_id]
    # The phone screen last week is not offered, nor is the panel once it has ended.
    assert interviews_to_prepare(db, now + timedelta(hours=5, minutes=1)) == []
    assert interviews_to_prepare(db, now - timedelta(days=1)) == []


@pytest.mark.parametrize("status", [ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN])
def test_an_interview_that_will_not_take_place_is_not_offered(
    db: Database, now: datetime, status: ApplicationStatus
) -> None:
    application_id, _panel_id, _rosa = panel_scene(db, now)
    stored = get_application(db, application_id)
    values = editable(stored, ApplicationFields)

    update_application(db, application_id, replace(values, status=status), now=now)

    assert interviews_to_prepare(db, now) == []


def test_sending_to_oneself_puts_a_draft_to_ones_own_address_in_the_outbox(
    db: Database, now: datetime
) -> None:
    _application_id, panel_id, _rosa = panel_scene(db, now)
    with pytest.raises(ValidationError, match="Set up your mail account in Settings first"):
        send_sheet_to_self(db, panel_id, now=now)
    assert list_messages(db) == []  # the refusal wrote nothing

    save_mail_account(
        db,
        MailAccountFields(
            display_name="Ada Lovelace",
            email="ada@example.org",
            smtp_host="smtp.example.org",
            smtp_port=465,
            security=MailSecurity.SSL,
            username="ada",
        ),
    )
    draft = send_sheet_to_self(db, panel_id, now=now)

    assert draft.status == MessageStatus.DRAFT
    assert (draft.to_name, draft.to_address) == ("Ada Lovelace", "ada@example.org")
    assert draft.subject == (
        "Before you go in: Data Engineer at Quarry Logistics, Wednesday, 11 March 2026"
    )
    assert "* Rosa Díaz" in draft.body and "What are the next steps from here?" in draft.body
    # A note to oneself reaches out to no one: no contact, nothing for the checklist.
    assert draft.contact_id is None and draft.interview_id is None
    assert [m.id for m in list_messages(db)] == [draft.id]
