"""The rest of the core's create and edit functions, fuzzed like ``test_fuzz_inputs``.

Templates, drafts, checklist marks (odd keys and times), the stay-in-touch
cadence, the reminder settings, the IMAP settings, an OAuth client id and the
calendar feed's place. Each call either raises ``ValidationError(field,
problem)`` and writes nothing, or stores a value that reads back equal; Today
still works afterwards.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from afterword.core.applications import get_application
from afterword.core.calendar.export import set_feed_path
from afterword.core.calendar.feed_setting import feed_path
from afterword.core.calendar.importing import InviteDraft, InvitePersonDraft, save_invite
from afterword.core.checklist.marks import all_marks, dismiss, mark_done, snooze
from afterword.core.checklist.service import today
from afterword.core.errors import ValidationError
from afterword.core.imports.posting import Posting, save_posting
from afterword.core.interviews import (
    get_interview,
    save_interview_with_application,
    validate_interview,
)
from afterword.core.mail.accounts import (
    get_mail_account,
    save_imap_settings,
    save_mail_account,
    validate_imap_settings,
)
from afterword.core.mail.compose import SUBJECT_LIMIT
from afterword.core.mail.drafts import get_message, prepare_draft, update_draft
from afterword.core.mail.oauth import client_id_override, set_client_id
from afterword.core.mail.templates import get_template, save_template
from afterword.core.reminders.settings import (
    NoticeKind,
    ReminderSettings,
    get_reminder_settings,
    save_reminder_settings,
)
from afterword.core.settings import get_stay_in_touch_days, set_stay_in_touch_days
from afterword.core.storage.db import Database
from afterword.core.storage.records import ImapFields, InterviewFields, MailAccountFields
from afterword.core.storage.validation import email_address, long_text, single_line, web_url
from afterword.core.storage.values import ChecklistMark, MailSecurity, Purpose
from tests.core.storage.helpers import application, contact
from tests.core.test_fuzz_inputs import AWARE, FUZZ, NAME, TEXT, _call, _same_fields, sometimes_wild

KEYS = st.sampled_from(
    [
        "thank_you:i1:c1",
        "status_follow_up:a1:2",
        "gone_quiet:a7",
        "stay_in_touch:c1:2026-03-01",
        "stay_in_touch:c1:2026-99-99",
        "stay_in_touch:c1:0000-01-01",
        "thank_you:i1",
        "nonsense",
        "",
    ]
)
CLOCK = sometimes_wild(st.one_of(st.none(), st.times()))


@given(
    purpose=sometimes_wild(st.sampled_from(list(Purpose))),
    name=NAME,
    subject=sometimes_wild(st.sampled_from(["Hello {first_name}", "Hi", "{nope}", ""])),
    body=sometimes_wild(st.sampled_from(["Thanks, {first_name}.", "{nope}", "Plain"])),
    edit_name=NAME,
)
@FUZZ
def test_templates(
    db: Database, now: datetime, purpose: Any, name: Any, subject: Any, body: Any, edit_name: Any
) -> None:
    def save(template_name: Any, template_id: int | None = None) -> Any:
        return save_template(
            db,
            purpose=purpose,
            name=template_name,
            subject=subject,
            body=body,
            template_id=template_id,
        )

    saved = _call(db, lambda: save(name))
    if saved is not None:
        assert get_template(db, saved.id) == saved
        assert (saved.purpose, saved.name.strip()) == (purpose, name.strip())
        edited = _call(db, lambda: save(edit_name, saved.id))
        if edited is not None:
            assert get_template(db, saved.id) == edited
            assert edited.name.strip() == edit_name.strip()
    today(db, now)


@given(
    to_name=TEXT,
    to_address=sometimes_wild(st.sampled_from(["", "ada@example.com", "a,b@c.de", "x"])),
    subject=TEXT,
    body=TEXT,
    bcc_self=sometimes_wild(st.booleans()),
    when=sometimes_wild(st.just(None)),
)
@FUZZ
def test_drafts(
    db: Database,
    now: datetime,
    to_name: Any,
    to_address: Any,
    subject: Any,
    body: Any,
    bcc_self: Any,
    when: Any,
) -> None:
    app = application(db, now)
    person = contact(db, now, email="ada@example.com")
    draft = prepare_draft(
        db,
        purpose=Purpose.CHECK_IN,
        application_id=app.id,
        contact_id=person.id,
        now=now,
        my_name="Jo",
    )
    moment = now if when is None else when
    updated = _call(
        db,
        lambda: update_draft(
            db,
            draft.id,
            to_name=to_name,
            to_address=to_address,
            subject=subject,
            body=body,
            bcc_self=bcc_self,
            now=moment,
        ),
    )
    if updated is not None:
        assert get_message(db, draft.id) == updated
        assert updated.to_name == single_line("to_name", to_name)
        assert updated.to_address == email_address("to_address", to_address)
        assert updated.subject == single_line("subject", subject, limit=SUBJECT_LIMIT)
        assert updated.body == long_text("body", body)
        assert updated.bcc_self is bcc_self
    today(db, now)


@given(
    key=sometimes_wild(KEYS),
    mark=st.sampled_from(list(ChecklistMark)),
    until=sometimes_wild(AWARE),
    when=sometimes_wild(st.just(None)),
)
@FUZZ
def test_checklist_marks(
    db: Database, now: datetime, key: Any, mark: ChecklistMark, until: Any, when: Any
) -> None:
    contact(db, now)  # the keys name rows that may or may not exist: Today copes
    moment = now if when is None else when
    if mark is ChecklistMark.SNOOZED:
        done = _call(db, lambda: snooze(db, key, until, moment) or True)
    else:
        marker = mark_done if mark is ChecklistMark.DONE else dismiss
        done = _call(db, lambda: marker(db, key, moment) or True)
    if done:
        with db.engine.connect() as connection:
            stored = all_marks(connection)[key]
        assert (stored.mark, stored.at) == (mark, moment)
        if mark is ChecklistMark.SNOOZED:
            assert stored.snoozed_until == until
    today(db, now)


@given(days=sometimes_wild(st.integers(0, 400)))
@FUZZ
def test_stay_in_touch_setting(db: Database, now: datetime, days: Any) -> None:
    saved = _call(db, lambda: set_stay_in_touch_days(db, days))
    if saved is not None:
        assert get_stay_in_touch_days(db) == saved == days
    today(db, now)


@given(data=st.data())
@FUZZ
def test_reminder_settings(db: Database, now: datetime, data: st.DataObject) -> None:
    values = ReminderSettings(
        enabled=data.draw(sometimes_wild(st.frozensets(st.sampled_from(list(NoticeKind))))),
        minutes_before_interview=data.draw(sometimes_wild(st.integers(-5, 1500))),
        minutes_after_interview=data.draw(sometimes_wild(st.integers(-5, 1500))),
        quiet_start=data.draw(CLOCK),
        quiet_end=data.draw(CLOCK),
        paused_until=data.draw(sometimes_wild(st.one_of(st.none(), AWARE))),
        digest_at=data.draw(CLOCK),
        keep_running_when_closed=data.draw(sometimes_wild(st.one_of(st.none(), st.booleans()))),
    )
    saved = _call(db, lambda: save_reminder_settings(db, values))
    if saved is not None:
        assert get_reminder_settings(db) == saved
        to_the_minute = {
            name: None if moment is None else moment.replace(second=0, microsecond=0)
            for name in ("quiet_start", "quiet_end", "digest_at")
            for moment in [getattr(values, name)]
        }
        assert saved == replace(values, **to_the_minute)
    today(db, now)


@given(data=st.data())
@FUZZ
def test_imap_settings(db: Database, now: datetime, data: st.DataObject) -> None:
    if get_mail_account(db) is None:
        save_mail_account(
            db,
            MailAccountFields(
                display_name="Ada",
                email="ada@example.com",
                smtp_host="smtp.example.com",
                smtp_port=465,
                security=MailSecurity.SSL,
                username="ada",
            ),
        )
    values = ImapFields(
        imap_host=data.draw(sometimes_wild(st.sampled_from(["", "imap.example.com", "a b"]))),
        imap_port=data.draw(sometimes_wild(st.integers(-1, 70000))),
        imap_security=data.draw(sometimes_wild(st.sampled_from(list(MailSecurity)))),
        sent_folder=data.draw(TEXT),
        watch_replies=data.draw(sometimes_wild(st.booleans())),
    )
    saved = _call(db, lambda: save_imap_settings(db, values))
    if saved is not None:
        assert get_mail_account(db) == saved
        _same_fields(saved, validate_imap_settings(values))
        assert saved.watch_replies is values.watch_replies
    today(db, now)


@given(client_id=TEXT, client_secret=TEXT)
@FUZZ
def test_oauth_client_id(db: Database, now: datetime, client_id: Any, client_secret: Any) -> None:
    done = _call(db, lambda: set_client_id(db, "google", client_id, client_secret) or True)
    if done:
        stored_id, stored_secret = client_id_override(db, "google")
        assert stored_id == single_line("client_id", client_id)
        assert stored_secret == (single_line("client_secret", client_secret) if stored_id else "")
    today(db, now)


@given(
    next_steps=TEXT,
    decision=sometimes_wild(st.one_of(st.none(), st.dates())),
    when=sometimes_wild(AWARE),
)
@FUZZ
def test_interview_with_its_application(
    db: Database, now: datetime, next_steps: Any, decision: Any, when: Any
) -> None:
    app = application(db, now)
    values = InterviewFields(application_id=app.id, starts_at=when, timezone="Europe/Berlin")
    saved = _call(
        db,
        lambda: save_interview_with_application(
            db, values, [], next_steps=next_steps, decision_expected=decision, now=now
        ),
    )
    if saved is not None:
        assert get_interview(db, saved.id) == saved
        _same_fields(saved, validate_interview(values))
        stored = get_application(db, app.id)
        assert (stored.next_steps, stored.decision_expected) == (
            long_text("next_steps", next_steps),
            decision,
        )
    today(db, now)


@given(choice=st.integers(0, 6))
@FUZZ
def test_calendar_feed_place(
    db: Database, now: datetime, tmp_path_factory: pytest.TempPathFactory, choice: int
) -> None:
    folder = tmp_path_factory.mktemp("feed")
    path: Any = [
        None,
        folder / "interviews.ics",
        Path("relative.ics"),
        str(folder / "as-text.ics"),
        folder / "missing" / "x.ics",
        folder,
        42,
    ][choice]
    kept = _call(db, lambda: set_feed_path(db, path, now=now) or "stopped")
    if kept is not None:
        assert feed_path(db) == (None if kept == "stopped" else path)
    today(db, now)


@given(data=st.data())
@FUZZ
def test_job_posting(db: Database, now: datetime, data: st.DataObject) -> None:
    posting = Posting(
        # The application's own fields are fuzzed in test_fuzz_inputs: here, the extras.
        company="Acme",
        role=data.draw(st.sampled_from(["Engineer", "Data Analyst"])),
        url=data.draw(st.sampled_from(["", "https://jobs.example.com/1"])),
        location=data.draw(TEXT),
        salary=data.draw(TEXT),
        date_posted=data.draw(sometimes_wild(st.one_of(st.none(), st.dates()))),
        description=data.draw(TEXT),
    )
    moment = data.draw(sometimes_wild(st.just(now)))
    saved = _call(db, lambda: save_posting(db, posting, now=moment))
    if saved is not None:
        assert get_application(db, saved.id) == saved
        assert (saved.location, saved.salary, saved.description, saved.date_posted) == (
            single_line("location", posting.location),
            single_line("salary", posting.salary),
            long_text("description", posting.description),
            posting.date_posted,
        )
        assert saved.created_at == moment
    today(db, now)


@given(data=st.data())
@FUZZ
def test_calendar_invite(db: Database, now: datetime, data: st.DataObject) -> None:
    app = application(db, now)
    draft = InviteDraft(
        uid=data.draw(sometimes_wild(st.sampled_from(["abc@example.com", "x"]))),
        sequence=data.draw(sometimes_wild(st.integers(0, 5))),
        application_id=data.draw(sometimes_wild(st.sampled_from([None, app.id]))),
        company="Contoso",
        role="Data Analyst",
        starts_at=data.draw(sometimes_wild(AWARE)),
        timezone=data.draw(sometimes_wild(st.sampled_from(["Europe/Berlin", "UTC"]))),
        duration_minutes=data.draw(sometimes_wild(st.integers(1, 120))),
        round_name=data.draw(TEXT),
        location=data.draw(TEXT),
        video_link=data.draw(sometimes_wild(st.sampled_from(["", "https://meet.example.com/x"]))),
        notes=data.draw(TEXT),
        people=(InvitePersonDraft(name="Ann Lee", email="ann@contoso.example"),),
    )
    moment = data.draw(sometimes_wild(st.just(now)))
    saved = _call(db, lambda: save_invite(db, draft, now=moment))
    if saved is not None:
        assert get_interview(db, saved.id) == saved
        assert (saved.starts_at, saved.timezone, saved.duration_minutes) == (
            draft.starts_at,
            draft.timezone,
            draft.duration_minutes,
        )
        assert saved.video_link == web_url("video_link", draft.video_link)
    today(db, now)


def test_reminder_times_are_stored_to_the_minute(db: Database) -> None:
    # Stored as "HH:MM": a time with seconds is saved (and returned) as its minute.
    saved = save_reminder_settings(db, ReminderSettings(quiet_start=time(22, 0, 30)))
    assert saved.quiet_start == time(22, 0) == get_reminder_settings(db).quiet_start


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("minutes_before_interview", 31.0),  # "in" the range, but read back as the default
        ("minutes_after_interview", True),
        ("digest_at", 5),  # was an AttributeError when stored
        ("quiet_start", "21:00"),
        ("enabled", frozenset({"nonsense"})),
        ("keep_running_when_closed", "yes"),
    ],
)
def test_reminder_settings_the_fuzzer_found(db: Database, field: str, value: object) -> None:
    with pytest.raises(ValidationError) as error:
        save_reminder_settings(db, replace(ReminderSettings(), **{field: value}))
    assert error.value.field in (field, "quiet_hours")
    assert get_reminder_settings(db) == ReminderSettings()
