"""The full integrity check after Today shows: a damaged file is reported and writes refused."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from afterword.core.applications import create_application
from afterword.core.errors import DamagedDatabaseError
from afterword.core.storage.db import open_database
from afterword.core.storage.records import ApplicationFields
from afterword.gui.app import _Startup, parse_args
from afterword.gui.single_instance import Outcome, SingleInstance
from tests.gui.helpers import answer_next_box, run_app

CLOCK = datetime(2026, 3, 11, 9, 0, tzinfo=UTC)


def _database_with_a_damaged_page(folder: Path) -> Path:
    """A real Afterword database, then a page in its middle overwritten with noise.

    The header, the schema and the version still read fine: only reading
    every page (the full check) notices.
    """
    path = folder / "afterword.sqlite3"
    db = open_database(path)
    try:
        for number in range(40):
            create_application(
                db,
                ApplicationFields(company=f"Company {number}", role="Role", notes="n" * 3000),
                now=CLOCK,
            )
    finally:
        db.close()
    data = bytearray(path.read_bytes())
    middle = len(data) // 4096 // 2 * 4096
    noise = random.Random(7)
    data[middle : middle + 64] = bytes(noise.randrange(256) for _ in range(64))
    path.write_bytes(bytes(data))
    return path


def test_the_self_test_reports_a_damaged_page_and_how_to_restore(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = _database_with_a_damaged_page(folder)
    content = path.read_bytes()

    result = run_app("--data-dir", str(folder), "--self-test")

    assert result.returncode == 1
    assert "damaged" in result.stderr and "will not save changes" in result.stderr
    # The way to restore a backup, and where the backups are.
    assert "Settings › Your data › Restore from backup…" in result.stderr
    assert str(folder / "backups") in result.stderr
    assert path.read_bytes() == content


def test_the_person_is_told_and_writes_are_refused(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = _database_with_a_damaged_page(folder)
    args, _rest = parse_args(["--data-dir", str(folder)])
    instance = SingleInstance(folder)
    assert instance.claim().outcome == Outcome.PRIMARY
    startup = _Startup(qapp, args, folder, instance)
    try:
        told = answer_next_box(QMessageBox.StandardButton.Ok, attempts=3000)
        startup.window.show()  # first paint, open, Today, then the check in idle time
        qtbot.waitUntil(lambda: bool(told), timeout=30_000)
        assert "damaged" in told[0] and "Restore from backup…" in told[0]
        assert str(folder / "backups") in told[0]
        db = startup.context.db
        assert db.writes_refused == told[0]
        with pytest.raises(DamagedDatabaseError, match="will not save changes"):
            create_application(db, ApplicationFields(company="Acme", role="Role"), now=CLOCK)
        startup.context.ops.wait_for_idle()
    finally:
        startup.window.close()
        if startup.context.has_database:
            startup.context.db.close()
        instance.release()
    assert path.exists()
