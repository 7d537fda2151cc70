"""Text bound for a mail header refuses RFC 2047 encoded words where it is entered.

``=?utf-8?q?...?=`` in a name or subject would be decoded by every mail
program into other text (even a second header). It is refused by the core
checks that run when the text is saved and, through the same checks, while it
is typed; the message names the field, because it may be shown away from it.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from afterword.core.applications import validate_application
from afterword.core.contacts import create_contact, list_contacts, validate_contact
from afterword.core.errors import ValidationError
from afterword.core.interviews import validate_participants
from afterword.core.mail.accounts import validate_mail_account
from afterword.core.mail.draft_checks import check_draft
from afterword.core.mail.drafts import get_message
from afterword.core.mail.templates import save_template
from afterword.core.storage.db import Database
from afterword.core.storage.records import (
    ApplicationFields,
    ContactFields,
    MailAccountFields,
    ParticipantFields,
)
from afterword.core.storage.values import Purpose
from tests.core.mail.rows import Scene, add_message

ENCODED = "=?utf-8?q?Grace=0ABcc:_victim@example.net?="


@pytest.mark.parametrize(
    ("field", "values", "label"),
    [
        ("name", ContactFields(name=ENCODED), "The name"),
        ("company", ContactFields(name="Grace", company=f"Acme {ENCODED}"), "The company"),
    ],
)
def test_a_contact_with_an_encoded_word_is_refused_naming_the_field(
    field: str, values: ContactFields, label: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_contact(values)

    assert refused.value.field == field
    assert refused.value.problem.startswith(f"{label} cannot contain “=?”")


def test_nothing_is_saved_for_a_refused_contact(db: Database, now: datetime) -> None:
    with pytest.raises(ValidationError):
        create_contact(db, ContactFields(name=ENCODED), now=now)

    assert list_contacts(db) == []


def test_an_interviewer_typed_in_the_interview_form_is_refused_with_its_row() -> None:
    people = [
        ParticipantFields(new_contact=ContactFields(name="Grace Hopper")),
        ParticipantFields(new_contact=ContactFields(name=ENCODED)),
    ]

    with pytest.raises(ValidationError) as refused:
        validate_participants(people)

    assert refused.value.field == "participants[1].name"


@pytest.mark.parametrize("field", ["company", "role"])
def test_an_application_company_or_role_cannot_smuggle_one_into_a_subject(field: str) -> None:
    values = {"company": "Acme", "role": "Engineer", field: ENCODED}

    with pytest.raises(ValidationError) as refused:
        validate_application(ApplicationFields(**values))

    assert refused.value.field == field
    assert f"The {field} cannot contain" in refused.value.problem


def test_the_senders_own_name_is_refused_in_the_mail_account() -> None:
    values = MailAccountFields(
        display_name=ENCODED,
        email="ada@example.com",
        smtp_host="smtp.example.com",
        smtp_port=587,
        security="starttls",
        username="ada@example.com",
    )

    with pytest.raises(ValidationError) as refused:
        validate_mail_account(values)

    assert refused.value.field == "display_name"
    assert refused.value.problem.startswith("Your name cannot contain")


def test_a_template_subject_is_refused(db: Database) -> None:
    with pytest.raises(ValidationError) as refused:
        save_template(db, purpose=Purpose.THANK_YOU, name="Mine", subject=ENCODED, body="Hi")

    assert refused.value.field == "subject"
    assert "The subject cannot contain" in refused.value.problem


def test_a_draft_keeps_the_text_but_send_is_blocked_naming_the_field(
    db: Database, now: datetime, scene: Scene
) -> None:
    message_id = add_message(db, now, scene, to_name=ENCODED, subject=f"Hi {ENCODED}")

    blockers = check_draft(get_message(db, message_id), [], "", "").blockers

    assert get_message(db, message_id).to_name == ENCODED  # nothing lost
    assert any(b.startswith("Name: The recipient's name cannot contain") for b in blockers)
    assert any(b.startswith("Subject: The subject cannot contain") for b in blockers)


@pytest.mark.parametrize("text", ["Grace Hopper", "a = b? yes", "Ünïcode = fine ?"])
def test_ordinary_names_with_equals_or_question_marks_apart_still_pass(text: str) -> None:
    assert validate_contact(ContactFields(name=text)).name == text
