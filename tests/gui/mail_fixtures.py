"""Fixtures for the mail GUI tests: two interviewers, a real SMTP server, a real keyring.

Load them from a test module (the SMTP fixtures they build on come along; the
keyring fixtures come from the root ``conftest.py``)::

    pytest_plugins = ["tests.gui.mail_fixtures"]

- ``scene``: an application ("why I'm interested" filled in) and yesterday's
  interview with Dr. Anna Schmidt and Jörg Weiß, each with notes.
- ``mail_server``: a real aiosmtpd server on 127.0.0.1 with STARTTLS and AUTH.
- ``mail_account``: the mail account for that server, saved in the database.
- ``stored_password``: its password in the real Secret Service of the test session.
- ``projects_ids``: a build with the project's OAuth client ids registered
  (empty in the source until that release step, see ``docs/mail.md``).
- ``mail_context``: the GUI context; afterwards every composer is closed, every
  send finished and the session's in-memory passwords forgotten.

The helpers the tests call are in :mod:`tests.gui.mail_support`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import replace
from datetime import datetime

import pytest
from keyring.backend import KeyringBackend
from pytestqt.qtbot import QtBot

from afterword.core.mail import oauth
from afterword.core.mail.accounts import account_key, get_mail_account
from afterword.core.mail.credentials import CredentialsError, delete_password, store_password
from afterword.core.storage.db import Database
from afterword.core.storage.records import MailAccountRecord
from afterword.core.storage.values import MailSecurity
from afterword.gui.context import AppContext
from afterword.gui.mail_flow import open_composers, session_passwords
from tests.gui.mail_support import Scene, add_scene, save_account_for
from tests.support.keyring import KEYRING_ENV
from tests.support.smtp import SmtpServer


@pytest.fixture
def scene(db: Database, now: datetime) -> Scene:
    return add_scene(db, now)


@pytest.fixture
def mail_server(smtp_server: Callable[..., SmtpServer]) -> SmtpServer:
    return smtp_server(security=MailSecurity.STARTTLS)


@pytest.fixture
def mail_account(db: Database, mail_server: SmtpServer) -> MailAccountRecord:
    return save_account_for(db, mail_server)


@pytest.fixture
def stored_password(
    real_keyring: KeyringBackend, mail_account: MailAccountRecord, mail_server: SmtpServer
) -> Iterator[str]:
    key = account_key(mail_account)
    store_password(key, mail_server.password)
    yield mail_server.password
    delete_password(key)


@pytest.fixture
def projects_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = oauth._load()
    with_ids = {key: replace(p, client_id=f"{key}-project-id") for key, p in shipped.items()}
    monkeypatch.setattr(oauth, "_load", lambda: with_ids)


@pytest.fixture
def mail_context(context: AppContext, qtbot: QtBot) -> Iterator[AppContext]:
    yield context
    context.ops.wait_for_idle(30_000)
    for composer in open_composers():
        composer.hide()
        composer.deleteLater()
    session_passwords().clear()
    # A password the GUI stored for the test account must not meet the next test
    # (every test server's login is the same user name on 127.0.0.1).
    account = get_mail_account(context.db)
    if account is not None and os.environ.get(KEYRING_ENV) == "secret-service":
        with suppress(CredentialsError):
            delete_password(account_key(account))


@pytest.fixture
def keys_to_forget(real_keyring: KeyringBackend) -> Iterator[list[str]]:
    """Keyring entries a test creates; removed afterwards."""
    keys: list[str] = []
    yield keys
    for key in keys:
        delete_password(key)
