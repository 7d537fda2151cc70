"""The storage audit's file defects: private modes, rotated and verified migration
backups, read-only and misplaced data folders noticed at open, a locked database
and statement parameters kept out of error messages.

Each test failed before its fix. Modes are read from the real files, with a
permissive umask so that nothing passes by luck.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest

from afterword.core.contacts import create_contact
from afterword.core.errors import DatabaseBusyError, DatabaseError
from afterword.core.storage import db as db_module
from afterword.core.storage.db import KEEP_MIGRATION_BACKUPS, Database, open_database
from afterword.core.storage.models import Contact
from afterword.core.storage.records import ContactFields
from tests.core.storage.conftest import Disk
from tests.core.storage.helpers import file_state, row_counts

NOTE = "Hiring manager Zebedee-7c41 mentioned her divorce"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """umask 022, as on most desktops: without explicit modes files come out 0644."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _at_0001(folder: Path) -> Path:
    path = folder / "afterword.sqlite3"
    open_database(path, upgrade_to="0001").close()
    return path


def _backups(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.bak-*"))


# --- private by default ----------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_new_data_folder_and_database_are_private(
    tmp_path: Path, open_umask: None, now: datetime
) -> None:
    folder = tmp_path / "new" / "data"
    db = open_database(folder / "afterword.sqlite3")
    try:
        create_contact(db, ContactFields(name="Ada"), now=now)
        with db.reading() as session:  # the WAL and SHM exist while a connection is open
            session.get(Contact, 1)
            assert _mode(folder) == 0o700
            for name in ("afterword.sqlite3", "afterword.sqlite3-wal", "afterword.sqlite3-shm"):
                assert _mode(folder / name) == 0o600, name
    finally:
        db.close()


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_an_existing_open_database_is_made_private(data_dir: Path, open_umask: None) -> None:
    path = data_dir / "afterword.sqlite3"
    open_database(path).close()
    data_dir.chmod(0o755)
    path.chmod(0o644)
    open_database(path).close()
    assert (_mode(data_dir), _mode(path)) == (0o700, 0o600)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_migration_backup_is_private_even_under_an_open_umask(
    data_dir: Path, open_umask: None
) -> None:
    path = _at_0001(data_dir)
    path.chmod(0o644)  # as an older Afterword left it
    open_database(path).close()
    [backup] = _backups(path)
    assert _mode(backup) == 0o600


# --- migration backups -----------------------------------------------------------------------


def _fail_next_migrations(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("a migration script failed")

    monkeypatch.setattr(db_module, "_migrate", broken)


def test_failed_opens_keep_only_the_last_three_backups(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The failure is injected (a migration script that raises): a real one
    # would need a broken script shipped with the app.
    path = _at_0001(data_dir)
    _fail_next_migrations(monkeypatch)
    stamps = iter(f"2026031{n}T100000Z" for n in range(5))

    class Clock(datetime):
        @classmethod
        def now(cls, tz: object = None) -> datetime:  # type: ignore[override]
            return datetime.strptime(next(stamps), "%Y%m%dT%H%M%SZ")

    monkeypatch.setattr(db_module, "datetime", Clock)
    for _ in range(5):
        with pytest.raises(DatabaseError, match="a migration script failed"):
            open_database(path)
    names = [p.name for p in _backups(path)]
    assert len(names) == KEEP_MIGRATION_BACKUPS
    assert names == [f"afterword.sqlite3.bak-0001-2026031{n}T100000Z" for n in (2, 3, 4)]
    for backup in _backups(path):
        with closing(sqlite3.connect(backup)) as copy:
            assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_full_disk_leaves_no_partial_backup_and_the_database_untouched(
    small_disk: Disk,
) -> None:
    path = _at_0001(small_disk.path)
    before = file_state(path)
    small_disk.fill(leave_free=path.stat().st_size // 2)
    with pytest.raises(DatabaseError, match="backup") as refused:
        open_database(path)
    assert "free some disk space" in str(refused.value)
    leftovers = sorted(p.name for p in small_disk.path.iterdir())
    assert leftovers == ["afterword.sqlite3", "filler"]  # no 0-byte or partial copy
    assert path.read_bytes() == before.data


# --- data folders that cannot be used ------------------------------------------------------------


def test_a_data_folder_that_is_a_file_is_named_as_such(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.write_text("not a folder")
    with pytest.raises(DatabaseError, match="is a file, not a folder"):
        open_database(folder / "afterword.sqlite3")
    with pytest.raises(DatabaseError, match="is a file, not a folder"):
        open_database(folder / "deeper" / "afterword.sqlite3")
    assert folder.read_text() == "not a folder"


def test_a_read_only_data_folder_is_noticed_when_opening(small_disk: Disk) -> None:
    path = small_disk.path / "afterword.sqlite3"
    open_database(path).close()
    before = path.read_bytes()
    small_disk.make_read_only()
    with pytest.raises(DatabaseError, match="read-only") as refused:
        open_database(path)
    assert "Your data was left untouched" in str(refused.value)
    assert path.read_bytes() == before


def test_a_read_only_database_file_is_noticed_when_opening(small_disk: Disk) -> None:
    path = small_disk.path / "afterword.sqlite3"
    open_database(path).close()
    before = path.read_bytes()
    small_disk.make_file_read_only(path)
    with pytest.raises(DatabaseError, match="cannot write to the file") as refused:
        open_database(path)
    assert "read-only" in str(refused.value)
    assert path.read_bytes() == before


# --- a locked database ---------------------------------------------------------------------------


def test_a_lock_held_past_the_busy_timeout_is_a_clear_message(
    data_dir: Path, migrated_database_file: Path, monkeypatch: pytest.MonkeyPatch, now: datetime
) -> None:
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 200)
    path = data_dir / "afterword.sqlite3"
    path.write_bytes(migrated_database_file.read_bytes())
    db = open_database(path)
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(DatabaseBusyError) as caught:
            create_contact(db, ContactFields(name="Ada", notes=NOTE), now=now)
        message = str(caught.value)
        assert "busy" in message
        assert "try again" in message
        assert "database is locked" not in message
        holder.execute("ROLLBACK")
        # and trying again works
        create_contact(db, ContactFields(name="Ada", notes=NOTE), now=now)
        assert row_counts(db)["contacts"] == 1
    finally:
        holder.close()
        db.close()


# --- no personal text in error messages -------------------------------------------------------


def test_a_failing_statement_does_not_carry_its_values(db: Database, now: datetime) -> None:
    # A trigger that refuses every new contact: a statement that really fails in SQLite.
    with closing(sqlite3.connect(db.path)) as raw:
        raw.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON contacts BEGIN SELECT RAISE(ABORT, 'no'); END"
        )
        raw.commit()
    with pytest.raises(Exception) as caught:
        create_contact(db, ContactFields(name="Ada", notes=NOTE), now=now)
    assert "Zebedee" not in str(caught.value)
    assert "parameters hidden" in str(caught.value)


def test_concurrent_reads_during_a_held_lock_still_work(db: Database, now: datetime) -> None:
    holder = sqlite3.connect(db.path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        result: list[int] = []
        reader = threading.Thread(target=lambda: result.append(row_counts(db)["contacts"]))
        reader.start()
        reader.join()
        assert result == [0]
    finally:
        holder.close()
