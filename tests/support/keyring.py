"""Keyring fixtures: the real Secret Service, a real locked collection, no keyring at all.

``./dev test`` runs the suite inside a private D-Bus session with an unlocked
gnome-keyring in a throwaway home and sets ``AFTERWORD_TEST_KEYRING=secret-service``.
Anywhere else (a bare ``pytest`` in a developer's own desktop session) the
tests that need the keyring are skipped with that reason, so they never touch
the developer's own keyring; once the real keyring was requested, a missing
Secret Service is a failure, not a skip.

Whatever a test stores in the keyring under Afterword's service name is
removed after it (:func:`_keyring_left_as_found`, used by every test).

Use them from a ``conftest.py``::

    from tests.support.keyring import account_key, locked_keyring, no_keyring_backend, real_keyring
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import closing, suppress
from dataclasses import dataclass
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import SecretService, fail
from keyring.errors import PasswordDeleteError

from afterword.core.mail.credentials import SERVICE_NAME

KEYRING_ENV = "AFTERWORD_TEST_KEYRING"
_SECRETS_PATH = "/org/freedesktop/secrets"
_SERVICE_IFACE = "org.freedesktop.Secret.Service"
# gnome-keyring's own interface for making and unlocking a collection with a
# known password and no prompt; the Secret Service standard has no such call.
_GNOME_IFACE = "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface"


@pytest.fixture
def real_keyring() -> KeyringBackend:
    """The Secret Service backend of the private test session, or a loud failure."""
    if os.environ.get(KEYRING_ENV) != "secret-service":
        pytest.skip(
            f"needs the real Secret Service that `./dev test` provides "
            f"({KEYRING_ENV}=secret-service is not set)"
        )
    backend = keyring.get_keyring()
    if not isinstance(backend, SecretService.Keyring):
        pytest.fail(f"Expected the Secret Service keyring in the test session, got {backend!r}.")
    return backend


def _stored_items(connection: Any) -> set[str]:
    """Object paths of every Secret Service item stored under Afterword's service name."""
    import secretstorage

    return {
        item.item_path for item in secretstorage.search_items(connection, {"service": SERVICE_NAME})
    }


@pytest.fixture(scope="session")
def _secret_service_connection() -> Iterator[Any]:
    if os.environ.get(KEYRING_ENV) != "secret-service":
        yield None
        return
    import secretstorage

    with closing(secretstorage.dbus_init()) as connection:
        yield connection


@pytest.fixture(autouse=True)
def _keyring_left_as_found(_secret_service_connection: Any) -> Iterator[None]:
    """Remove every keyring entry a test made under Afterword's service name."""
    if _secret_service_connection is None:
        yield
        return
    import secretstorage

    before = _stored_items(_secret_service_connection)
    yield
    for path in _stored_items(_secret_service_connection) - before:
        with suppress(secretstorage.exceptions.ItemNotFoundException):
            secretstorage.Item(_secret_service_connection, path).delete()


@pytest.fixture
def account_key(real_keyring: KeyringBackend) -> Iterator[str]:
    """A fresh account key; whatever a test stores under it is removed afterwards."""
    key = f"test-{uuid.uuid4().hex}@smtp.example.test"
    yield key
    with suppress(PasswordDeleteError):
        keyring.get_keyring().delete_password(SERVICE_NAME, key)


@pytest.fixture
def no_keyring_backend() -> Iterator[KeyringBackend]:
    """No keyring at all, as on a Linux without a Secret Service (keyring's own fail backend)."""
    previous = keyring.get_keyring()
    backend = fail.Keyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@dataclass
class ThrowawayCollection:
    """A real gnome-keyring collection standing in as the default one."""

    connection: Any
    path: str

    def lock(self) -> None:
        import secretstorage

        secretstorage.Collection(self.connection, self.path).lock()

    def is_locked(self) -> bool:
        import secretstorage

        return bool(secretstorage.Collection(self.connection, self.path).is_locked())


@pytest.fixture
def throwaway_default_collection(real_keyring: KeyringBackend) -> Iterator[ThrowawayCollection]:
    """Make a new collection the keyring's default for one test, then put everything back."""
    import secretstorage
    from jeepney import DBusAddress, new_method_call
    from secretstorage.util import BUS_NAME, format_secret, open_session

    service = DBusAddress(_SECRETS_PATH, BUS_NAME, _SERVICE_IFACE)
    gnome = DBusAddress(_SECRETS_PATH, BUS_NAME, _GNOME_IFACE)
    master = uuid.uuid4().hex.encode()
    with closing(secretstorage.dbus_init()) as connection:
        session = open_session(connection)

        def call(address: DBusAddress, method: str, signature: str, *body: Any) -> tuple[Any, ...]:
            reply = connection.send_and_get_reply(new_method_call(address, method, signature, body))
            assert reply.header.message_type.name == "method_return", reply.body
            return tuple(reply.body)

        (previous_default,) = call(service, "ReadAlias", "s", "default")
        label = {"org.freedesktop.Secret.Collection.Label": ("s", "Afterword test")}
        (path,) = call(
            gnome,
            "CreateWithMasterPassword",
            "a{sv}(oayays)",
            label,
            format_secret(session, master, "text/plain"),
        )
        call(service, "SetAlias", "so", "default", path)
        try:
            yield ThrowawayCollection(connection, path)
        finally:
            call(service, "SetAlias", "so", "default", previous_default)
            call(
                gnome,
                "UnlockWithMasterPassword",
                "o(oayays)",
                path,
                format_secret(session, master, "text/plain"),
            )
            secretstorage.Collection(connection, path).delete()


@pytest.fixture
def locked_keyring(throwaway_default_collection: ThrowawayCollection) -> ThrowawayCollection:
    """The default collection is real and locked, as after a screen lock or a fresh login."""
    throwaway_default_collection.lock()
    return throwaway_default_collection
