"""What the composer reads of a message in one go: the message, its context, the sender."""

from __future__ import annotations

from datetime import datetime

import pytest

from afterword.core.errors import NotFoundError
from afterword.core.mail.composing import composer_draft, composer_drafts
from afterword.core.mail.drafts import delete_draft
from afterword.core.storage.db import Database
from afterword.core.storage.models import MailAccount
from afterword.core.storage.values import MailSecurity
from tests.core.mail.rows import BODY, Scene, add_message


def _add_account(db: Database, display_name: str) -> None:
    with db.session() as session:
        session.add(
            MailAccount(
                display_name=display_name,
                email="ada@example.com",
                smtp_host="smtp.example.com",
                smtp_port=587,
                security=MailSecurity.STARTTLS,
                username="ada@example.com",
            )
        )


def test_each_message_comes_with_its_context_and_the_senders_name(
    db: Database, now: datetime, scene: Scene
) -> None:
    _add_account(db, "Ada Lovelace")
    first = add_message(db, now, scene)
    second = add_message(db, now, scene, to_name="Alan Turing", to_address="alan@example.org")

    drafts = composer_drafts(db, [second, first])

    assert [draft.record.id for draft in drafts] == [second, first]
    assert drafts[1].record.body == BODY
    # The other thank-you of the same interview is what "nearly the same" compares with.
    assert [sibling.id for sibling in drafts[0].context.siblings] == [first]
    assert {draft.sender for draft in drafts} == {"Ada Lovelace"}


def test_without_a_mail_account_the_sender_is_empty(
    db: Database, now: datetime, scene: Scene
) -> None:
    message_id = add_message(db, now, scene)

    assert composer_draft(db, message_id).sender == ""


def test_a_deleted_message_is_not_found(db: Database, now: datetime, scene: Scene) -> None:
    message_id = add_message(db, now, scene)
    delete_draft(db, message_id)

    with pytest.raises(NotFoundError):
        composer_draft(db, message_id)
