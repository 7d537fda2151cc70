"""One Afterword per data folder: a second launch brings the first forward, and exits."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from afterword.gui.main_window import MainWindow
from afterword.gui.single_instance import LOCK_FILENAME, Outcome, SingleInstance
from tests.gui.helpers import ROOT, run_app


@pytest.fixture
def started() -> Iterator[Callable[..., subprocess.Popen[str]]]:
    """Start processes that are stopped when the test ends, passed or failed."""
    processes: list[subprocess.Popen[str]] = []

    def start(args: list[str], **options: Any) -> subprocess.Popen[str]:
        process = subprocess.Popen(args, cwd=ROOT, text=True, **options)
        processes.append(process)
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def test_a_second_launch_activates_the_first_and_exits(
    qtbot: QtBot,
    data_dir: Path,
    main_window: MainWindow,
    started: Callable[..., subprocess.Popen[str]],
) -> None:
    # The first instance is this test process, with the real window.
    first = SingleInstance(data_dir)
    assert first.claim().outcome == Outcome.PRIMARY
    assert first.listen()
    first.activate_requested.connect(main_window.bring_to_front)
    main_window.showMinimized()
    try:
        second = started(
            [sys.executable, "-m", "afterword.gui.app", "--data-dir", str(data_dir)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        # Keep this event loop running so the first instance can answer.
        with qtbot.waitSignal(first.activate_requested, timeout=30_000):
            pass
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=30_000)
        assert second.returncode == 0, second.stderr.read() if second.stderr else ""
        assert not main_window.isMinimized()
    finally:
        first.release()


def test_a_running_instance_that_does_not_answer_is_reported(data_dir: Path) -> None:
    # Holding the lock without listening: what a hung first instance looks like.
    hung = SingleInstance(data_dir)
    assert hung.claim().outcome == Outcome.PRIMARY
    try:
        result = run_app("--data-dir", str(data_dir), "--self-test")
    finally:
        hung.release()
    assert result.returncode == 1
    assert "already running" in result.stderr and "did not respond" in result.stderr
    assert not (data_dir / "afterword.sqlite3").exists()  # the data was never touched


def test_a_lock_left_by_a_crash_does_not_block(
    data_dir: Path, started: Callable[..., subprocess.Popen[str]]
) -> None:
    holder = started(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from PySide6.QtCore import QCoreApplication\n"
            "from afterword.gui.single_instance import SingleInstance\n"
            "app = QCoreApplication([])\n"
            f"instance = SingleInstance(Path({str(data_dir)!r}))\n"
            "claim = instance.claim()\n"
            "print(claim.outcome.value, flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "primary"
    os.kill(holder.pid, signal.SIGKILL)  # a crash: no chance to clean up
    holder.wait()
    assert (data_dir / LOCK_FILENAME).exists()

    result = run_app("--data-dir", str(data_dir), "--self-test")
    assert result.returncode == 0, result.stderr


def test_two_data_folders_run_side_by_side(tmp_path: Path) -> None:
    one = SingleInstance(tmp_path / "one")
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    assert one.claim().outcome == Outcome.PRIMARY
    try:
        assert one.name != SingleInstance(tmp_path / "two").name
        assert run_app("--data-dir", str(tmp_path / "two"), "--self-test").returncode == 0
    finally:
        one.release()
