"""When the GUI cannot start at all, the reason reaches stderr and a desktop notification.

The app runs as a real process. The notification service is a small real one
on the private session bus that ``./dev test`` starts: it owns
``org.freedesktop.Notifications`` and records what it is asked to show.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from jeepney import HeaderFields, MessageType, new_method_return
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

from tests.gui.helpers import ROOT

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not os.environ.get("DBUS_SESSION_BUS_ADDRESS"),
    reason="needs the session bus that ./dev test starts",
)


class NotificationService:
    """Owns org.freedesktop.Notifications and keeps (summary, body) of every Notify."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str]] = []
        self.arrived = threading.Event()
        self._connection = open_dbus_connection(bus="SESSION")
        reply = self._connection.send_and_get_reply(
            message_bus.RequestName("org.freedesktop.Notifications", 4)  # do not queue
        )
        if reply.body[0] != 1:
            pytest.skip("another notification service owns the name on this bus")
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop:
            try:
                message = self._connection.receive(timeout=0.2)
            except TimeoutError:
                continue
            header = message.header
            if header.message_type != MessageType.method_call:
                continue
            if header.fields.get(HeaderFields.member) == "Notify":
                self.shown.append((message.body[3], message.body[4]))
                self._connection.send(new_method_return(message, "u", (1,)))
                self.arrived.set()

    def close(self) -> None:
        self._stop = True
        self._thread.join()
        self._connection.close()


@pytest.fixture
def notifications() -> Iterator[NotificationService]:
    service = NotificationService()
    yield service
    service.close()


def _start(data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    environment.pop("QT_QPA_PLATFORM", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "afterword.gui.app", "--data-dir", str(data_dir)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_no_display_is_said_on_stderr_and_in_a_notification(
    data_dir: Path, notifications: NotificationService
) -> None:
    result = _start(data_dir)
    assert result.returncode == 1
    assert "there is no graphical display" in result.stderr
    assert notifications.arrived.wait(10)
    [(summary, body)] = notifications.shown
    assert summary == "Afterword cannot start"
    assert "no graphical display" in body


def test_a_qt_platform_plugin_failure_is_said_too(
    data_dir: Path, notifications: NotificationService
) -> None:
    result = _start(data_dir, QT_QPA_PLATFORM="no-such-platform")
    assert result.returncode != 0
    assert "Afterword cannot start" in result.stderr
    assert "platform plugin" in result.stderr
    assert notifications.arrived.wait(10)
    assert "platform plugin" in notifications.shown[0][1]


def test_a_data_folder_that_is_a_file_is_named_as_such(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.write_text("not a folder")
    result = _start(folder, QT_QPA_PLATFORM="offscreen")
    assert result.returncode == 1
    assert f"{folder} cannot be used" in result.stderr
    assert "is a file, not a folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert folder.read_text() == "not a folder"
