"""Restore refuses every unusable file and works on a damaged database (real files)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from afterword.core.applications import list_applications
from afterword.core.backups.restore import restore_backup
from afterword.core.backups.snapshots import back_up_now, default_folder, list_backups, prune
from afterword.core.errors import (
    DamagedDatabaseError,
    DatabaseError,
    NotAnAfterwordDatabaseError,
)
from afterword.core.storage.db import Database, open_database
from afterword.core.storage.integrity import check_file, damaged_message
from tests.core.backups.damage import damage_middle_page, damaged_copy, fill
from tests.core.storage.helpers import application, file_state


def _companies(db: Database, now: datetime) -> list[str]:
    return sorted(a.company for a in list_applications(db, now=now))


def _refused_and_nothing_changed(
    db: Database, chosen: Path, now: datetime, data_dir: Path, error: type[Exception], says: str
) -> str:
    """Restore ``chosen``: refused with ``says``; the data, the file and the folders unchanged."""
    before = _companies(db, now)
    chosen_before = file_state(chosen)
    live_before = db.path.read_bytes()
    with pytest.raises(error, match=says) as refused:
        restore_backup(db, chosen, default_folder(data_dir), now=now)
    message = str(refused.value)
    assert str(chosen) in message
    assert "data folder" not in message and "move it away" not in message  # a backup's advice
    assert file_state(chosen) == chosen_before
    assert db.path.read_bytes() == live_before
    assert _companies(db, now) == before
    assert list_backups(default_folder(data_dir)) == []  # nothing was even backed up
    assert not [p for p in data_dir.iterdir() if p.name.startswith(".afterword-restore")]
    return message


def test_a_backup_with_a_damaged_page_is_refused_like_opening_a_damaged_file(
    db: Database, now: datetime, data_dir: Path, tmp_path: Path
) -> None:
    fill(db, now)
    chosen = damaged_copy(db, tmp_path / "afterword-20260301T090000Z.sqlite3")
    open_database(chosen).close()  # the cheap checks of opening pass: only the full check sees it
    for side in tmp_path.glob("afterword-20260301T090000Z.sqlite3-*"):
        side.unlink()
    assert check_file(chosen) is not None
    message = _refused_and_nothing_changed(
        db, chosen, now, data_dir, NotAnAfterwordDatabaseError, "is damaged and cannot be read"
    )
    assert message.endswith("choose another backup.")


def test_an_empty_file_is_refused_and_no_fresh_database_replaces_the_data(
    db: Database, now: datetime, data_dir: Path, tmp_path: Path
) -> None:
    application(db, now, company="Kept")
    chosen = tmp_path / "afterword-20260310T090000Z.sqlite3"
    chosen.write_bytes(b"")
    _refused_and_nothing_changed(db, chosen, now, data_dir, NotAnAfterwordDatabaseError, "empty")
    assert chosen.read_bytes() == b""


def test_an_sqlite_file_without_tables_is_refused(
    db: Database, now: datetime, data_dir: Path, tmp_path: Path
) -> None:
    application(db, now, company="Kept")
    chosen = tmp_path / "blank.sqlite3"
    with closing(sqlite3.connect(chosen)) as connection:
        connection.execute("PRAGMA user_version = 1")  # writes the header page, no tables
        connection.commit()
    _refused_and_nothing_changed(
        db, chosen, now, data_dir, NotAnAfterwordDatabaseError, "holds no Afterword data"
    )


def test_a_file_lacking_part_of_the_schema_is_refused(
    db: Database, now: datetime, data_dir: Path, tmp_path: Path
) -> None:
    application(db, now, company="Kept")
    chosen = tmp_path / "partial.sqlite3"
    open_database(chosen).close()
    with closing(sqlite3.connect(chosen)) as connection:
        connection.execute("DROP TABLE templates")
        connection.execute("PRAGMA journal_mode=DELETE")
        connection.commit()
    message = _refused_and_nothing_changed(
        db, chosen, now, data_dir, NotAnAfterwordDatabaseError, "lacks part"
    )
    assert "table templates" in message


def test_a_text_file_is_refused_with_advice_for_a_backup(
    db: Database, now: datetime, data_dir: Path, tmp_path: Path
) -> None:
    chosen = tmp_path / "notes.sqlite3"
    chosen.write_text("my notes\n" * 1000)
    message = _refused_and_nothing_changed(
        db, chosen, now, data_dir, NotAnAfterwordDatabaseError, "not an SQLite file"
    )
    assert message.endswith("choose another backup.")


def test_the_live_database_itself_is_refused(db: Database, now: datetime, data_dir: Path) -> None:
    application(db, now, company="Kept")  # in the WAL: a plain copy of the file would lose it
    folder = default_folder(data_dir)
    with pytest.raises(DatabaseError, match="using now, not a backup") as refused:
        restore_backup(db, db.path, folder, now=now)
    assert str(folder) in str(refused.value)
    assert _companies(db, now) == ["Kept"]
    assert list_backups(folder) == []


def test_a_backup_in_use_with_its_wal_is_restored_whole(
    db: Database, now: datetime, data_dir: Path, tmp_path: Path
) -> None:
    """Another Afterword's database, open, with committed rows still in its WAL."""
    other = open_database(tmp_path / "other" / "afterword.sqlite3")
    try:
        application(other, now, company="Only in the WAL")
        assert other.path.with_name("afterword.sqlite3-wal").stat().st_size > 0
        restored, _before = restore_backup(db, other.path, default_folder(data_dir), now=now)
    finally:
        other.close()
    try:
        assert _companies(restored, now) == ["Only in the WAL"]
    finally:
        restored.close()


def _damaged_live(db: Database, now: datetime) -> None:
    """``db``'s file damaged under it, as the app finds it: writes refused."""
    db.close()
    damage_middle_page(db.path)
    problem = check_file(db.path)
    assert problem is not None
    db.refuse_writes(damaged_message(db.path, problem, backups=Path("backups")))


def test_restore_works_on_a_damaged_database_and_keeps_a_raw_copy_of_it(
    db: Database, now: datetime, data_dir: Path
) -> None:
    folder = default_folder(data_dir)
    fill(db, now, company="Good")
    good = back_up_now(db, folder, now=now - timedelta(days=1))
    _damaged_live(db, now)
    damaged_bytes = db.path.read_bytes()
    with pytest.raises(DamagedDatabaseError):  # why the mandatory backup cannot be made
        back_up_now(db, folder, now=now, label="before-restore")
    assert list_backups(folder) == [good]  # and it left nothing behind

    restored, before = restore_backup(db, good.path, folder, now=now)
    try:
        assert before.label == "damaged"
        assert before.path.parent == folder
        assert before.path.name == "damaged-afterword-20260311T090000Z.sqlite3"
        assert before.path.read_bytes() == damaged_bytes  # as it was, byte for byte
        assert check_file(restored.path) is None
        assert restored.writes_refused is None
        assert len(_companies(restored, now)) == 40
        # Not a backup: never listed, so never offered by rotation for deletion.
        assert list_backups(folder) == [good]
        prune(folder, now=now + timedelta(days=400))
        assert before.path.exists()
    finally:
        restored.close()


def test_a_restore_whose_backup_folder_is_unusable_leaves_the_damaged_file(
    db: Database, now: datetime, data_dir: Path, tmp_path: Path
) -> None:
    fill(db, now)
    good = back_up_now(db, tmp_path / "elsewhere", now=now)
    _damaged_live(db, now)
    damaged_bytes = db.path.read_bytes()
    blocked = data_dir / "backups"
    blocked.write_text("a file where the backup folder should be")
    with pytest.raises(DatabaseError, match="is a file, not a folder"):
        restore_backup(db, good.path, blocked, now=now)
    assert db.path.read_bytes() == damaged_bytes
    assert not [p for p in data_dir.iterdir() if p.name.startswith(".afterword-restore")]


def test_the_damaged_message_points_to_restore_and_the_backup_folder(tmp_path: Path) -> None:
    folder = tmp_path / "Cloud" / "Afterword backups"
    message = damaged_message(tmp_path / "afterword.sqlite3", "page 3: bad", backups=folder)
    assert "Settings › Your data › Restore from backup…" in message
    assert str(folder) in message
    assert ".bak-" not in message
    assert message.endswith("What SQLite found: page 3: bad")


def test_a_data_file_too_damaged_to_open_says_how_to_get_back_to_a_backup(
    data_dir: Path, now: datetime
) -> None:
    path = data_dir / "afterword.sqlite3"
    db = open_database(path)
    fill(db, now)
    db.close()
    path.write_bytes(path.read_bytes()[:-100])  # cut short
    with pytest.raises(NotAnAfterwordDatabaseError, match="damaged") as refused:
        open_database(path)
    message = str(refused.value)
    assert "Restore from backup…" in message and "backups folder" in message
    assert ".bak-" not in message
