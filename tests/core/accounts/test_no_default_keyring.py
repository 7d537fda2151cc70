"""A session bus whose keyring service has no default keyring is reported as exactly that.

Real parts: a private session bus (dbus-run-session) with a fresh
gnome-keyring-daemon that was never given a login keyring, in a throwaway
HOME, with no display for its "create a keyring" prompt. Before the fix this
said "Your system keyring is locked".
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from afterword.core.mail.credentials import USER_MESSAGES, KeyringState

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux")
    or not shutil.which("dbus-run-session")
    or not shutil.which("gnome-keyring-daemon"),
    reason="needs dbus-run-session and gnome-keyring-daemon",
)

_PROBE = """
from afterword.core.mail import credentials
print(credentials.password_state("ada@smtp.example.com").value)
try:
    credentials.store_password("ada@smtp.example.com", "secret-a91f")
except credentials.CredentialsError as exc:
    print(type(exc).__name__)
    print(exc)
"""


def test_no_default_keyring_is_not_called_locked(tmp_path: Path) -> None:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY")
        and not k.startswith(("XDG_", "GNOME_KEYRING"))
    }
    environment["HOME"] = str(tmp_path)
    result = subprocess.run(
        [
            "dbus-run-session",
            "--",
            "sh",
            "-c",
            'gnome-keyring-daemon --start --components=secrets >/dev/null && exec "$@"',
            "sh",
            sys.executable,
            "-c",
            _PROBE,
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    lines = result.stdout.splitlines()
    assert lines[:2] == [KeyringState.NO_DEFAULT_KEYRING.value, "NoDefaultKeyring"], result
    assert lines[2] == USER_MESSAGES[KeyringState.NO_DEFAULT_KEYRING]
    assert "locked" not in result.stdout
    assert "secret-a91f" not in result.stdout + result.stderr
