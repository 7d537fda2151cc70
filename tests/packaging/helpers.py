"""Helpers for the packaging tests: a clean user environment and ways to run programs in it."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Building takes about a minute on two cores; the frozen app's runs a few seconds.
BUILD_TIMEOUT_S = 900
RUN_TIMEOUT_S = 120
KEYRING_PASSWORD = "afterword-test"


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a fresh desktop user: no inherited XDG folders or bus."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("XDG_", "DBUS_", "AFTERWORD_", "GNOME_KEYRING", "QT_"))
        and key not in ("DISPLAY", "WAYLAND_DISPLAY")
    }
    env.update({"HOME": str(home), "QT_QPA_PLATFORM": "offscreen", **extra})
    return env


def run(
    command: Sequence[str | Path],
    *,
    env: Mapping[str, str],
    cwd: Path,
    timeout: float = RUN_TIMEOUT_S,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command],
        env=dict(env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def in_keyring_session(command: Sequence[str | Path]) -> list[str]:
    """``command`` wrapped in its own D-Bus session with an unlocked gnome-keyring.

    The same set-up as ``./dev test``, made here so the test does not depend on
    how pytest was started.
    """
    script = (
        f'eval "$(printf %s {KEYRING_PASSWORD} | '
        'gnome-keyring-daemon --unlock --components=secrets)"; '
        'export GNOME_KEYRING_CONTROL; exec "$@"'
    )
    return ["dbus-run-session", "--", "sh", "-c", script, "sh", *map(str, command)]
