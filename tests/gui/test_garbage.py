"""Garbage is collected on the GUI thread only, never in a worker thread."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from afterword.gui.garbage import GuiThreadGarbageCollector


class _Cycle:
    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def collecting_threads() -> Iterator[list[str]]:
    threads: list[str] = []

    def record(phase: str, _info: dict[str, Any]) -> None:
        if phase == "start":
            threads.append(threading.current_thread().name)

    gc.callbacks.append(record)
    yield threads
    gc.callbacks.remove(record)


def test_a_worker_making_garbage_never_collects_it_itself(
    qtbot: QtBot, collecting_threads: list[str]
) -> None:
    assert not gc.isenabled()  # the suite runs as the app does (tests/gui/conftest.py)
    last: list[weakref.ref[_Cycle]] = []

    def make_garbage() -> None:
        for _ in range(50_000):
            last[:] = [weakref.ref(_Cycle())]

    worker = threading.Thread(target=make_garbage, name="worker")
    worker.start()
    worker.join()
    assert "worker" not in collecting_threads

    # The GUI thread's timer then collects it.
    qtbot.waitUntil(lambda: last[0]() is None, timeout=3000)
    assert collecting_threads
    assert set(collecting_threads) == {threading.main_thread().name}


def test_stopping_hands_collection_back_to_the_interpreter(qtbot: QtBot) -> None:
    collector = GuiThreadGarbageCollector()
    assert not gc.isenabled()
    collector.stop()
    assert gc.isenabled()
    gc.disable()  # back to how the suite's own collector left it
