"""The mail password in the real system keyring, and what a person is told when it can't be."""

from __future__ import annotations

import copy
import logging
import os
import pickle
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import keyring
import pytest
import secretstorage
from keyring.backend import KeyringBackend
from keyring.backends import null
from keyring.errors import PasswordSetError

from afterword.core.errors import ValidationError
from afterword.core.mail import credentials
from afterword.core.mail.accounts import account_key as key_of
from afterword.core.mail.accounts import save_mail_account
from afterword.core.mail.credentials import (
    SERVICE_NAME,
    CredentialsError,
    KeyringBackendError,
    KeyringLocked,
    KeyringState,
    NoKeyringBackend,
    PasswordMissing,
    SessionPasswords,
    delete_password,
    get_password,
    password_for,
    password_state,
    store_password,
    unlock_keyring,
)
from afterword.core.storage.db import Database
from afterword.core.storage.records import MailAccountFields
from afterword.core.storage.values import MailSecurity
from tests.support.keyring import ThrowawayCollection

ROOT = Path(__file__).resolve().parents[3]
# Never written literally where the password is used: a traceback shows source lines.
SECRET = "Sëcret pass 🔑 with spaces & symbols <>\"'"


def test_round_trip_through_the_real_secret_service(account_key: str) -> None:
    assert password_state(account_key) is KeyringState.MISSING
    store_password(account_key, SECRET)

    assert password_state(account_key) is KeyringState.STORED
    assert get_password(account_key) == SECRET

    delete_password(account_key)
    assert password_state(account_key) is KeyringState.MISSING
    with pytest.raises(PasswordMissing) as caught:
        get_password(account_key)
    assert caught.value.state is KeyringState.MISSING


def test_the_secret_service_holds_one_entry_under_the_apps_service_name(account_key: str) -> None:
    store_password(account_key, "first")
    store_password(account_key, SECRET)

    with closing(secretstorage.dbus_init()) as connection:
        items = list(
            secretstorage.get_default_collection(connection).search_items(
                {"service": SERVICE_NAME, "username": account_key}
            )
        )
        assert len(items) == 1
        assert items[0].get_secret().decode() == SECRET
    assert SERVICE_NAME == "io.github.afterword.Afterword"


def test_deleting_a_password_that_was_never_stored_is_fine(account_key: str) -> None:
    delete_password(account_key)
    assert password_state(account_key) is KeyringState.MISSING


def test_an_empty_password_or_account_is_refused_and_nothing_is_stored(account_key: str) -> None:
    with pytest.raises(ValidationError) as caught:
        store_password(account_key, "")
    assert caught.value.field == "password"
    with pytest.raises(ValidationError) as caught:
        store_password("  ", SECRET)
    assert caught.value.field == "account"
    assert password_state(account_key) is KeyringState.MISSING


def test_a_locked_keyring_is_reported_without_hanging_or_prompting(
    account_key: str, throwaway_default_collection: ThrowawayCollection
) -> None:
    store_password(account_key, SECRET)
    throwaway_default_collection.lock()

    started = time.monotonic()
    assert password_state(account_key) is KeyringState.LOCKED
    with pytest.raises(KeyringLocked) as caught:
        get_password(account_key)
    with pytest.raises(KeyringLocked):
        store_password(account_key, "another")
    assert time.monotonic() - started < 5
    assert "unlock" in str(caught.value).lower()
    # Reading must not have unlocked it behind the person's back either.
    assert throwaway_default_collection.is_locked()


def test_asking_to_unlock_reports_a_dismissed_prompt(locked_keyring: ThrowawayCollection) -> None:
    # The test session has no display, so the system's prompt is dismissed at once:
    # the real answer a person gives by closing the unlock dialog.
    assert unlock_keyring(timeout=10) is False
    assert locked_keyring.is_locked()


def test_asking_to_unlock_an_unlocked_keyring_succeeds(real_keyring: KeyringBackend) -> None:
    assert unlock_keyring(timeout=10) is True


def test_no_keyring_at_all_is_its_own_state(no_keyring_backend: KeyringBackend) -> None:
    assert password_state("me@smtp.example.com") is KeyringState.NO_BACKEND
    with pytest.raises(NoKeyringBackend):
        get_password("me@smtp.example.com")
    with pytest.raises(NoKeyringBackend) as caught:
        store_password("me@smtp.example.com", SECRET)
    assert "memory only" in str(caught.value)


def test_keyrings_null_backend_counts_as_no_keyring() -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(null.Keyring())
    try:
        assert password_state("me@smtp.example.com") is KeyringState.NO_BACKEND
        with pytest.raises(NoKeyringBackend):
            store_password("me@smtp.example.com", SECRET)
    finally:
        keyring.set_keyring(previous)


def test_without_a_keyring_the_session_remembers_the_password_in_memory(
    no_keyring_backend: KeyringBackend,
) -> None:
    session = SessionPasswords()
    with pytest.raises(NoKeyringBackend):
        password_for("me@smtp.example.com", session)

    session.remember("me@smtp.example.com", SECRET)
    assert password_for("me@smtp.example.com", session) == SECRET

    session.forget("me@smtp.example.com")
    with pytest.raises(NoKeyringBackend):
        password_for("me@smtp.example.com", session)


def test_the_keyring_wins_over_the_session_and_fills_in_for_a_missing_one(
    account_key: str,
) -> None:
    session = SessionPasswords()
    session.remember(account_key, "typed this session")
    assert password_for(account_key, session) == "typed this session"

    store_password(account_key, SECRET)
    assert password_for(account_key, session) == SECRET


def test_a_locked_keyring_is_not_bypassed_by_the_session(
    account_key: str, locked_keyring: ThrowawayCollection
) -> None:
    session = SessionPasswords()
    session.remember(account_key, SECRET)
    with pytest.raises(KeyringLocked):
        password_for(account_key, session)


def test_session_passwords_never_leave_memory() -> None:
    session = SessionPasswords()
    session.remember("me@smtp.example.com", SECRET)

    assert SECRET not in repr(session)
    assert "me@smtp.example.com" in session
    with pytest.raises(TypeError):
        pickle.dumps(session)
    with pytest.raises(TypeError):
        copy.copy(session)
    with pytest.raises(ValidationError):
        session.remember("me@smtp.example.com", "")
    session.clear()
    assert session.get("me@smtp.example.com") is None


class _NeverAnswers(KeyringBackend):
    """A backend stuck on a prompt nobody sees.

    A fake for that one fault: a real backend that blocks for good cannot be
    produced on a headless machine (gnome-keyring dismisses its prompt at once).
    """

    # keyring registers every subclass; below the fail backend's 0, discovery
    # never chooses or chains this one. The fixture installs it by hand.
    priority = -10  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.release.wait(30)
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.release.wait(30)

    def delete_password(self, service: str, username: str) -> None:
        self.release.wait(30)


@pytest.fixture
def stuck_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[_NeverAnswers]:
    previous = keyring.get_keyring()
    backend = _NeverAnswers()
    keyring.set_keyring(backend)
    monkeypatch.setattr(credentials, "KEYRING_TIMEOUT_SECONDS", 0.3)
    try:
        yield backend
    finally:
        backend.release.set()
        keyring.set_keyring(previous)


def test_a_keyring_that_never_answers_counts_as_locked(stuck_keyring: _NeverAnswers) -> None:
    started = time.monotonic()
    assert password_state("me@smtp.example.com") is KeyringState.LOCKED
    with pytest.raises(KeyringLocked) as caught:
        store_password("me@smtp.example.com", SECRET)
    assert time.monotonic() - started < 5
    assert "did not answer" in str(caught.value)


class _EchoingBackend(KeyringBackend):
    """A backend whose error message repeats the password it was given.

    A fake for that fault only: no real backend does this, but a crash dialog
    must stay clean even if one did.
    """

    priority = -10  # type: ignore[assignment]  # see _NeverAnswers

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError(f"cannot store {password!s} for {username}")

    def delete_password(self, service: str, username: str) -> None:
        return None


def _everything_said_about(error: BaseException) -> str:
    return "\n".join([str(error), repr(error), *traceback.format_exception(error)])


def test_the_password_appears_in_no_message_log_or_traceback(
    account_key: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    store_password(account_key, SECRET)
    get_password(account_key)
    delete_password(account_key)

    said: list[str] = []
    previous = keyring.get_keyring()
    keyring.set_keyring(_EchoingBackend())
    try:
        with pytest.raises(KeyringBackendError) as echoed:
            store_password(account_key, SECRET)
    finally:
        keyring.set_keyring(previous)
    said.append(_everything_said_about(echoed.value))
    assert "PasswordSetError" in str(echoed.value)
    assert echoed.value.__cause__ is None and echoed.value.__suppress_context__

    keyring.set_keyring(null.Keyring())
    try:
        with pytest.raises(NoKeyringBackend) as missing_backend:
            store_password(account_key, SECRET)
    finally:
        keyring.set_keyring(previous)
    said.append(_everything_said_about(missing_backend.value))

    assert caplog.records, "the keyring calls should have logged what they did"
    for text in [*said, caplog.text]:
        assert SECRET not in text
        assert "Sëcret" not in text


def test_the_password_is_never_written_to_the_database(account_key: str, db: Database) -> None:
    record = save_mail_account(
        db,
        MailAccountFields(
            display_name="Jo Example",
            email="jo@example.com",
            smtp_host="smtp.example.com",
            smtp_port=465,
            security=MailSecurity.SSL,
            username=account_key,
        ),
    )
    store_password(key_of(record), SECRET)
    try:
        assert get_password(key_of(record)) == SECRET
        db.close()
        files = [db.path, *db.path.parent.glob(f"{db.path.name}-*")]
        for path in files:
            assert SECRET.encode() not in path.read_bytes()
    finally:
        delete_password(key_of(record))


def test_every_state_has_words_a_person_can_act_on() -> None:
    messages = {state: state.user_message for state in KeyringState}
    assert len(set(messages.values())) == len(KeyringState)
    assert "Enter it" in messages[KeyringState.MISSING]
    assert "Unlock" in messages[KeyringState.LOCKED]
    assert "memory only" in messages[KeyringState.NO_BACKEND]
    for error in (PasswordMissing(), KeyringLocked(), NoKeyringBackend()):
        assert isinstance(error, CredentialsError)
        assert error.state is not None
        assert str(error) == error.state.user_message


def test_importing_the_core_does_not_load_keyring() -> None:
    # keyring costs about 85 ms at start-up; only a password operation may load it.
    script = (
        "import sys, afterword.core.mail.credentials, afterword.core.mail.accounts\n"
        "import afterword.core.mail.providers, afterword.core.mail.drafts\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('keyring', 'secretstorage')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# --- the backend is chosen directly for the platform ------------------------------------------

_CHOICE = (
    "import sys\n"
    "from afterword.core.mail.credentials import keyring_backend, password_state\n"
    "backend = type(keyring_backend())\n"
    "print(f'{backend.__module__}.{backend.__qualname__}')\n"
    "print(sorted(m for m in sys.modules if m.startswith('keyring.backends.')))\n"
    "print(password_state('nobody@smtp.example'))\n"
)


def _choose_in_a_fresh_process(**env: str | None) -> list[str]:
    environment = {**os.environ, **{k: v for k, v in env.items() if v is not None}}
    for name in [k for k, v in env.items() if v is None]:
        environment.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-c", _CHOICE], capture_output=True, text=True, check=True, env=environment
    )
    return result.stdout.splitlines()


def test_the_secret_service_is_chosen_without_probing_other_backends(
    real_keyring: KeyringBackend,
) -> None:
    backend, loaded, state = _choose_in_a_fresh_process()
    assert backend == "keyring.backends.SecretService.Keyring"
    # keyring.get_keyring() would have imported (and asked) every backend it ships.
    assert "macOS" not in loaded and "Windows" not in loaded and "kwallet" not in loaded
    assert state == "missing"  # a real answer from gnome-keyring


def test_a_configured_backend_is_respected(real_keyring: KeyringBackend) -> None:
    backend, _loaded, state = _choose_in_a_fresh_process(
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring"
    )
    assert backend == "keyring.backends.null.Keyring"
    assert state == "no_backend"


def test_without_a_session_bus_there_is_no_keyring(real_keyring: KeyringBackend) -> None:
    # A real Linux session without D-Bus: the Secret Service cannot work, and
    # keyring's own search finds nothing else either.
    _backend, _loaded, state = _choose_in_a_fresh_process(DBUS_SESSION_BUS_ADDRESS=None)
    assert state == "no_backend"


def test_a_keyring_set_by_the_program_wins(no_keyring_backend: KeyringBackend) -> None:
    assert credentials.keyring_backend() is no_keyring_backend
