"""Fixtures for the mail tests: real SMTP servers, the user's account, a thank-you draft."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from afterword.core.storage.db import Database
from afterword.core.storage.records import MailAccountRecord
from tests.core.mail.rows import Scene, add_account, add_scene
from tests.support.smtp import SmtpServer


@pytest.fixture
def server(smtp_server: Callable[..., SmtpServer]) -> SmtpServer:
    """A STARTTLS server that requires a login, with a certificate the app trusts."""
    return smtp_server()


@pytest.fixture
def scene(db: Database, now: datetime) -> Scene:
    return add_scene(db, now)


@pytest.fixture
def account(db: Database, server: SmtpServer) -> MailAccountRecord:
    return add_account(db, server)
