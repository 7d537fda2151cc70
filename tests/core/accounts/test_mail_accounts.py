"""The mail account settings: every field that can be wrong is refused, nothing half-saved."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import func, inspect, select

from afterword.core.errors import ValidationError
from afterword.core.mail.accounts import account_key, get_mail_account, save_mail_account
from afterword.core.storage.db import Database
from afterword.core.storage.models import MailAccount
from afterword.core.storage.records import MailAccountFields
from afterword.core.storage.values import MailSecurity

GOOD = MailAccountFields(
    display_name="Jo Example",
    email="jo@example.com",
    smtp_host="smtp.example.com",
    smtp_port=587,
    security=MailSecurity.STARTTLS,
    username="jo@example.com",
)


def _rows(db: Database) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(MailAccount)) or 0


def test_a_saved_account_reads_back_as_typed(db: Database) -> None:
    saved = save_mail_account(db, replace(GOOD, smtp_host="  SMTP.Example.COM ", bcc_self=True))

    loaded = get_mail_account(db)
    assert loaded == saved
    assert loaded is not None
    assert loaded.smtp_host == "smtp.example.com"
    assert (loaded.email, loaded.smtp_port, loaded.security, loaded.bcc_self) == (
        "jo@example.com",
        587,
        MailSecurity.STARTTLS,
        True,
    )


def test_there_is_no_account_until_one_is_saved(db: Database) -> None:
    assert get_mail_account(db) is None


def test_saving_again_updates_the_one_account(db: Database) -> None:
    first = save_mail_account(db, GOOD)
    second = save_mail_account(
        db, replace(GOOD, smtp_host="smtp.gmail.com", smtp_port=465, security=MailSecurity.SSL)
    )

    assert second.id == first.id
    assert _rows(db) == 1
    assert get_mail_account(db) == second


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", ""),
        ("email", "jo at example.com"),
        ("email", "jo@example"),
        ("smtp_host", ""),
        ("smtp_host", "smtp://smtp.example.com"),
        ("smtp_host", "smtp example.com"),
        ("smtp_host", "smtp.example.com/submit"),
        ("smtp_port", 0),
        ("smtp_port", 65536),
        ("smtp_port", -25),
        ("smtp_port", True),
        ("security", "tls-please"),
        ("security", MailSecurity.NONE),
        ("username", ""),
        ("username", "jo\n@example.com"),
        ("display_name", "Jo\r\nBcc: everyone@example.com"),
    ],
)
def test_each_wrong_field_is_named_and_nothing_is_written(
    db: Database, field: str, value: Any
) -> None:
    saved = save_mail_account(db, GOOD)
    with pytest.raises(ValidationError) as caught:
        save_mail_account(db, replace(GOOD, **{field: value}))

    assert caught.value.field == field
    assert caught.value.problem
    assert get_mail_account(db) == saved


def test_no_encryption_is_explained_and_refused_for_a_remote_server(db: Database) -> None:
    with pytest.raises(ValidationError) as caught:
        save_mail_account(db, replace(GOOD, security=MailSecurity.NONE))

    assert "localhost" in caught.value.problem
    assert "SSL/TLS or STARTTLS" in caught.value.problem
    assert get_mail_account(db) is None


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "::1", "[::1]", "127.0.0.2"])
def test_no_encryption_is_allowed_for_a_server_on_this_computer(db: Database, host: str) -> None:
    saved = save_mail_account(
        db, replace(GOOD, smtp_host=host, smtp_port=1025, security=MailSecurity.NONE)
    )
    assert saved.security is MailSecurity.NONE


def test_the_keyring_entry_is_named_user_at_server() -> None:
    assert account_key(GOOD) == "jo@example.com@smtp.example.com"
    assert account_key(replace(GOOD, smtp_host="smtp.gmail.com")) != account_key(GOOD)


def test_the_table_has_no_place_for_a_password(db: Database) -> None:
    columns = {column["name"] for column in inspect(db.engine).get_columns("mail_accounts")}
    assert not any("pass" in name or "secret" in name for name in columns)
