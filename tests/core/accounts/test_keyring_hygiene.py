"""Keyring entries a test makes are removed after it (the suite-wide fixture).

The two tests run in file order: the first leaves a password behind on
purpose, the second finds none left.
"""

from __future__ import annotations

import secretstorage
from keyring.backend import KeyringBackend

from afterword.core.mail.credentials import SERVICE_NAME, store_password

LEFT_BEHIND = "left-behind@hygiene.example.test"


def test_a_test_that_stores_a_password_and_does_not_clean_up(
    real_keyring: KeyringBackend,
) -> None:
    store_password(LEFT_BEHIND, "not cleaned up by this test")
    assert real_keyring.get_password(SERVICE_NAME, LEFT_BEHIND) == "not cleaned up by this test"


def test_the_next_test_finds_nothing_left(real_keyring: KeyringBackend) -> None:
    assert real_keyring.get_password(SERVICE_NAME, LEFT_BEHIND) is None
    connection = secretstorage.dbus_init()
    try:
        left = list(secretstorage.search_items(connection, {"service": SERVICE_NAME}))
    finally:
        connection.close()
    assert left == []
