"""A database held by another program: a clear question with "Try again", never a raw error.

Another connection really holds the write lock (``BEGIN IMMEDIATE`` on the
same file) past a shortened busy timeout.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from afterword.core.contacts import create_contact, list_contacts
from afterword.core.storage import db as db_module
from afterword.core.storage.db import Database, open_database
from afterword.core.storage.records import ContactFields
from afterword.gui.context import AppContext
from tests.gui.conftest import Clock


@pytest.fixture
def impatient(
    qapp: object,
    data_dir: Path,
    migrated_database_file: Path,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[AppContext, Database, sqlite3.Connection]]:
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 200)
    path = data_dir / "afterword.sqlite3"
    path.write_bytes(migrated_database_file.read_bytes())
    db = open_database(path)
    context = AppContext.create(db, data_dir, clock=clock)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    yield context, db, holder
    context.ops.wait_for_idle()
    holder.close()
    db.close()


def _question(qtbot: QtBot, context: AppContext) -> QMessageBox:
    qtbot.waitUntil(lambda: bool(context.ops.retry_dialogs()))
    [box] = context.ops.retry_dialogs()
    return box


def test_a_busy_database_asks_and_the_retry_saves(
    qtbot: QtBot,
    impatient: tuple[AppContext, Database, sqlite3.Connection],
    now: datetime,
) -> None:
    context, db, holder = impatient
    saved: list[object] = []
    with qtbot.waitSignal(context.ops.changed, timeout=10_000):
        context.ops.write(
            create_contact, db, ContactFields(name="Ada"), now=now, on_success=saved.append
        )
        box = _question(qtbot, context)
        assert box.windowTitle() == "The database is busy"
        assert "busy" in box.text() and "try again" in box.text()
        assert "database is locked" not in box.text()
        holder.execute("ROLLBACK")  # the other program lets go
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Retry), Qt.MouseButton.LeftButton)
    assert len(saved) == 1
    assert [c.name for c in list_contacts(db)] == ["Ada"]


def test_cancel_hands_the_failure_to_the_caller(
    qtbot: QtBot,
    impatient: tuple[AppContext, Database, sqlite3.Connection],
    now: datetime,
) -> None:
    context, db, holder = impatient
    failures: list[BaseException] = []
    context.ops.write(
        create_contact, db, ContactFields(name="Ada"), now=now, on_failure=failures.append
    )
    box = _question(qtbot, context)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(failures))
    assert "busy" in str(failures[0])
    holder.execute("ROLLBACK")
    assert list_contacts(db) == []
