"""After real sends, failures and connection tests, the password is nowhere it could leak from."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from afterword.core.mail import outbox
from afterword.core.mail import transport as mail
from afterword.core.mail.transport import MailError, SmtpSettings
from afterword.core.storage.db import Database
from tests.core.mail.rows import Scene, add_account, add_message
from tests.support.smtp import SmtpServer

PASSWORD = "Zebra-Quartz-9137!"
WRONG = "Wrong-Pelican-4406?"


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error and every error it was raised from or while handling."""
    seen: BaseException | None = error
    while seen is not None:
        yield seen
        seen = seen.__cause__ or seen.__context__


def _database_bytes(path: Path) -> bytes:
    files = [path, path.with_name(f"{path.name}-wal"), path.with_name(f"{path.name}-shm")]
    return b"".join(file.read_bytes() for file in files if file.exists())


def test_the_password_appears_in_no_file_log_output_or_error(
    db: Database,
    now: datetime,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    server = smtp_server(password=PASSWORD)
    dropping = smtp_server(password=PASSWORD, drop_after_data=True)
    account = add_account(db, server)
    errors: list[BaseException] = []

    mail.test_connection(SmtpSettings.from_account(account), PASSWORD)
    try:
        mail.test_connection(SmtpSettings.from_account(account), WRONG)
    except MailError as exc:
        errors.append(exc)
    first = add_message(db, now, scene, bcc_self=True)
    try:
        outbox.send_message(db, first, account=account, password=WRONG, now=now)
    except MailError as exc:
        errors.append(exc)
    outbox.send_message(db, first, account=account, password=PASSWORD, now=now)
    second = add_message(db, now, scene)
    try:
        outbox.send_message(
            db, second, account=add_account(db, dropping), password=PASSWORD, now=now
        )
    except MailError as exc:
        errors.append(exc)
    outbox.list_messages(db)

    assert [type(error).__name__ for error in errors] == [
        "AuthenticationFailed",
        "AuthenticationFailed",
        "DeliveryUncertain",
    ]
    assert len(server.received) == 1
    stored_while_open = _database_bytes(db.path)
    db.close()
    stored = _database_bytes(db.path)
    out, err = capfd.readouterr()
    logged = caplog.text + "\n".join(
        f"{record.getMessage()} {record.args!r} {record.exc_text or ''}"
        for record in caplog.records
    )
    raised = "\n".join(
        f"{error!s} {error!r} {error.args!r} {getattr(error, 'user_message', '')}"
        for top in errors
        for error in _chain(top)
    )
    assert "Authentication" in raised  # the errors were really looked at
    for secret in (PASSWORD, WRONG):
        for encoding in ("utf-8", "utf-16-le"):
            assert secret.encode(encoding) not in stored_while_open
            assert secret.encode(encoding) not in stored
        assert secret not in logged
        assert secret not in out
        assert secret not in err
        assert secret not in raised
