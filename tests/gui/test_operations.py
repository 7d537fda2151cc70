"""The operations layer: writes off the GUI thread with the core's change set, one
standard failure path, and reads that drop stale results."""

from __future__ import annotations

import threading
from datetime import datetime

from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from afterword.core.applications import create_application, get_application
from afterword.core.errors import ValidationError
from afterword.core.storage.changes import Changes, Kind
from afterword.core.storage.records import ApplicationFields
from afterword.gui.context import AppContext


def test_a_write_runs_off_the_gui_thread_and_broadcasts_its_changes(
    qtbot: QtBot, context: AppContext, now: datetime
) -> None:
    threads: list[threading.Thread] = []
    results: list[object] = []
    heard: list[tuple[Changes, object]] = []
    context.ops.changed.connect(lambda changes, initiator: heard.append((changes, initiator)))

    def create(*args: object, **kwargs: object) -> object:
        threads.append(threading.current_thread())
        return create_application(*args, **kwargs)  # type: ignore[arg-type]

    initiator = object()
    fields = ApplicationFields(company="Brightline", role="Designer")
    context.ops.write(
        create, context.db, fields, now=now, initiator=initiator, on_success=results.append
    )
    qtbot.waitUntil(context.ops.is_idle)

    assert threads and threads[0] is not threading.main_thread()
    (record,) = results
    assert get_application(context.db, record.id).company == "Brightline"  # type: ignore[attr-defined]
    ((changes, who),) = heard
    assert who is initiator
    assert changes.touches(Kind.APPLICATIONS)
    assert changes.application_ids == {record.id}  # type: ignore[attr-defined]


def test_a_failed_write_is_shown_once_and_broadcasts_nothing(
    qtbot: QtBot, context: AppContext, now: datetime
) -> None:
    heard: list[object] = []
    context.ops.changed.connect(lambda changes, initiator: heard.append(changes))
    context.ops.write(
        create_application, context.db, ApplicationFields(company="", role="x"), now=now
    )
    qtbot.waitUntil(context.ops.is_idle)

    boxes = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]
    assert len(boxes) == 1
    assert "company" in boxes[0].text().lower()
    assert heard == []


def test_a_failure_handler_replaces_the_standard_dialog(
    qtbot: QtBot, context: AppContext, now: datetime
) -> None:
    failures: list[BaseException] = []
    context.ops.write(
        create_application,
        context.db,
        ApplicationFields(company="", role="x"),
        now=now,
        on_failure=failures.append,
    )
    qtbot.waitUntil(context.ops.is_idle)
    assert len(failures) == 1 and isinstance(failures[0], ValidationError)
    assert not [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


def test_a_newer_read_makes_the_running_one_stale(qtbot: QtBot, context: AppContext) -> None:
    release = threading.Event()
    delivered: list[str] = []

    def slow(label: str) -> str:
        release.wait(5)
        return label

    context.ops.read("search", slow, "first", on_success=delivered.append)
    context.ops.read("search", slow, "second", on_success=delivered.append)
    context.ops.read("search", slow, "third", on_success=delivered.append)
    release.set()
    qtbot.waitUntil(context.ops.is_idle)
    # "first" was running and is stale; "second" was replaced while waiting.
    assert delivered == ["third"]


def test_reads_with_other_keys_do_not_cancel_each_other(qtbot: QtBot, context: AppContext) -> None:
    delivered: list[str] = []
    context.ops.read("a", str, "one", on_success=delivered.append)
    context.ops.read("b", str, "two", on_success=delivered.append)
    context.ops.read(None, str, "three", on_success=delivered.append)
    qtbot.waitUntil(context.ops.is_idle)
    assert sorted(delivered) == ["one", "three", "two"]
