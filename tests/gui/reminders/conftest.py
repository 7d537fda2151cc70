"""A notification daemon on the test's private session bus (python-dbusmock's template).

``./dev test`` runs pytest inside ``dbus-run-session``; the daemon is a real
D-Bus service there, which records every call it receives.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from typing import Any

import dbus
import dbusmock
import pytest


@pytest.fixture
def notification_daemon() -> Iterator[Any]:
    """The mock ``org.freedesktop.Notifications`` (with actions); its Mock interface."""
    server, obj = dbusmock.DBusTestCase.spawn_server_template(
        "notification_daemon", {"capabilities": "body actions"}, stdout=subprocess.DEVNULL
    )
    try:
        yield dbus.Interface(obj, dbusmock.MOCK_IFACE)
    finally:
        server.terminate()
        server.wait()


def notify_calls(daemon: Any) -> list[list[Any]]:
    """The arguments of every Notify call the daemon received, oldest first."""
    return [
        [_plain(a) for a in args] for _when, name, args in daemon.GetCalls() if name == "Notify"
    ]


def _plain(value: Any) -> Any:
    if isinstance(value, dbus.Array | list):
        return [_plain(v) for v in value]
    if isinstance(value, dbus.Dictionary | dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, dbus.String):
        return str(value)
    if isinstance(value, dbus.Boolean):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    return value
