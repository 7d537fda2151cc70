"""No personal text in the logs, and the logs themselves are private.

A statement fails for real (a trigger in the file refuses the insert) while
it carries a private note; the failure goes the app's two ways to the log:
a write through ``context.ops`` and an unhandled exception caught by the
crash hook. Then every log file, and stderr, is searched for the note.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import sys
import threading
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from afterword.core.contacts import create_contact
from afterword.core.storage.db import Database
from afterword.core.storage.records import ContactFields
from afterword.gui import app as app_module
from afterword.gui import crash
from afterword.gui.app import setup_logging
from afterword.gui.context import AppContext

NOTE = "Hiring manager Zebedee-7c41 mentioned her divorce"


@pytest.fixture
def app_logging(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The app's log and crash hook, with a tiny log size so that it rotates."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    monkeypatch.setattr(app_module, "LOG_BYTES", 2000)
    previous_umask = os.umask(0o022)
    before = list(logging.getLogger().handlers)
    log_file = setup_logging(data_dir)
    crash.install(log_file)
    yield log_file
    for handler in logging.getLogger().handlers:
        if handler not in before:
            logging.getLogger().removeHandler(handler)
            handler.close()
    for box in crash.open_dialogs():
        box.close()
    os.umask(previous_umask)


def _refuse_new_contacts(db: Database) -> None:
    with closing(sqlite3.connect(db.path)) as raw:
        raw.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON contacts BEGIN SELECT RAISE(ABORT, 'no'); END"
        )
        raw.commit()


def test_a_failing_statement_leaves_no_note_in_any_log(
    qtbot: QtBot,
    context: AppContext,
    db: Database,
    now: datetime,
    app_logging: Path,
    capfd: pytest.CaptureFixture[str],
) -> None:
    _refuse_new_contacts(db)
    values = ContactFields(name="Zebedee Moss", notes=NOTE)
    for _ in range(3):  # enough failures to rotate the log at least once
        context.ops.write(create_contact, db, values, now=now)
        assert context.ops.wait_for_idle()

    def unhandled() -> None:
        create_contact(db, values, now=now)

    QTimer.singleShot(0, unhandled)
    qtbot.waitUntil(lambda: crash.unhandled_count() > 0)
    for handler in logging.getLogger().handlers:
        handler.flush()

    logs = sorted(p for p in app_logging.parent.iterdir() if p.is_file())
    assert len(logs) > 1, "the log should have rotated"
    text = "".join(p.read_text(encoding="utf-8") for p in logs)
    assert "IntegrityError" in text  # the failures were logged...
    assert "parameters hidden" in text
    assert "Zebedee" not in text  # ...without what they carried
    assert "divorce" not in text
    captured = capfd.readouterr()
    assert "Zebedee" not in captured.err + captured.out


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_logs_and_their_folder_are_private(context: AppContext, app_logging: Path) -> None:
    for i in range(100):  # several rotations
        logging.getLogger("afterword.test").info("line %d of a log that rotates", i)
    logs = sorted(p for p in app_logging.parent.iterdir() if p.is_file())
    assert len(logs) > 1
    assert stat.S_IMODE(app_logging.parent.stat().st_mode) == 0o700
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in logs} == {p.name: 0o600 for p in logs}
