"""End to end: ``afterword --background`` on a demo folder notifies on the real session bus.

The notification daemon is python-dbusmock's template on the private bus of
``./dev test``. The app runs as its own process, without a window; a second
launch hands over to it and exits. The process gets a time zone in which it
is midday now, so the default quiet hours (21:00 to 08:00) never hold the
catch-up back, whenever the suite runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.gui.helpers import ROOT, run_app
from tests.gui.reminders.conftest import notify_calls


def _midday_zone() -> str:
    offset = 12 - datetime.now(UTC).hour  # hours east of UTC that make it about noon
    offset = max(-12, min(14, offset))
    # Etc/GMT signs are inverted: Etc/GMT-5 is UTC+5.
    return f"Etc/GMT{-offset:+d}" if offset else "Etc/UTC"


def _wait_for(condition: Any, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.timeout(120)
def test_background_start_on_demo_data_notifies_the_catch_up(
    notification_daemon: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "demo"
    env = {**os.environ, "TZ": _midday_zone(), "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "afterword.gui.app",
            "--background",
            "--demo",
            "--data-dir",
            str(folder),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert _wait_for(lambda: notify_calls(notification_daemon)), "no notification arrived"
        [catch_up] = notify_calls(notification_daemon)
        app_name, _replaces, _icon, summary, body, actions, _hints, _timeout = catch_up
        assert app_name == "Afterword"
        # Several things were due when it started: one grouped notification.
        assert "overdue" in summary or "due" in summary or "thank-you" in summary
        assert body
        assert "default" in actions
        assert process.poll() is None  # still running, in the background

        # Launching again hands over to the running one (which shows its window) and exits.
        second = run_app("--data-dir", str(folder), timeout=30)
        assert second.returncode == 0, second.stderr
        log = (folder / "logs" / "afterword.log").read_text()
        assert "Desktop notifications available" in log
        assert "brought it to the front" in (folder / "logs" / "afterword.log").read_text()
        # Nothing is notified twice.
        time.sleep(1)
        assert len(notify_calls(notification_daemon)) == 1
    finally:
        process.terminate()
        process.wait(timeout=10)
