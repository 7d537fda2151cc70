"""Backups on real files: snapshots, rotation (7 daily, 4 weekly, labelled copies kept
30 days), and restore."""

from __future__ import annotations

import os
import sqlite3
import stat
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from afterword.core.applications import list_applications
from afterword.core.backups.restore import restore_backup
from afterword.core.backups.snapshots import (
    KEEP_DAILY,
    KEEP_LABELLED,
    KEEP_LABELLED_DAYS,
    KEEP_WEEKLY,
    back_up_now,
    daily_backup,
    default_folder,
    list_backups,
    prune,
)
from afterword.core.errors import DatabaseError, NewerDatabaseError, NotAnAfterwordDatabaseError
from afterword.core.storage.db import Database, open_database
from tests.core.storage.helpers import application, file_state

NOON = datetime(2026, 3, 11, 12, 0, tzinfo=UTC)


def _companies(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as connection:
        return [r[0] for r in connection.execute("SELECT company FROM applications ORDER BY id")]


def test_a_backup_is_a_whole_private_snapshot_including_the_wal(
    db: Database, now: datetime, data_dir: Path
) -> None:
    application(db, now, company="In the WAL")  # committed, not yet checkpointed
    assert db.path.with_name("afterword.sqlite3-wal").stat().st_size > 0
    folder = default_folder(data_dir)
    backup = back_up_now(db, folder, now=now)
    assert _companies(backup.path) == ["In the WAL"]
    with closing(sqlite3.connect(backup.path)) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    if os.name == "posix":
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE(backup.path.stat().st_mode) == 0o600
    assert [p.name for p in folder.iterdir()] == [backup.path.name]  # no temporary left
    assert list_backups(folder) == [backup]


def test_the_daily_backup_runs_once_a_day(db: Database, data_dir: Path) -> None:
    folder = data_dir / "chosen"
    first = daily_backup(db, folder, now=NOON)
    assert first is not None
    assert daily_backup(db, folder, now=NOON + timedelta(hours=3)) is None
    assert daily_backup(db, folder, now=NOON + timedelta(days=1)) is not None
    assert len(list_backups(folder)) == 2


def test_rotation_keeps_seven_daily_and_four_weekly(db: Database, data_dir: Path) -> None:
    folder = data_dir / "backups"
    start = NOON - timedelta(days=59)
    for day in range(60):
        hours = (0, 5) if day >= 59 - KEEP_DAILY else (5,)  # two a day lately: newest stays
        for hour in hours:
            back_up_now(db, folder, now=start + timedelta(days=day, hours=hour))
    (folder / "notes.txt").write_text("mine")  # not a backup: never touched
    prune(folder, now=NOON + timedelta(hours=5))
    kept = [b.taken_at for b in list_backups(folder)]
    assert len(kept) == KEEP_DAILY + KEEP_WEEKLY
    newest_days = [(NOON + timedelta(hours=5) - timedelta(days=d)) for d in range(KEEP_DAILY)]
    assert kept[:KEEP_DAILY] == newest_days
    weeks = [t.isocalendar()[:2] for t in kept[KEEP_DAILY:]]
    assert len(set(weeks)) == KEEP_WEEKLY
    assert not set(weeks) & {t.isocalendar()[:2] for t in newest_days}
    assert (folder / "notes.txt").read_text() == "mine"


def _day(n: int, hour: int = 10) -> datetime:
    """Day ``n`` of a run of days (day 0 is 2026-03-01), at ``hour`` UTC."""
    return datetime(2026, 3, 1, hour, tzinfo=UTC) + timedelta(days=n)


def test_two_restores_in_a_day_keep_both_safety_copies_past_the_next_daily(
    db: Database, data_dir: Path
) -> None:
    """Restore the wrong backup, then the right one: the first safety copy is the only
    copy of what was typed that day, and the next day's rotation must keep it."""
    folder = data_dir / "backups"
    application(db, _day(0), company="Old")
    old = daily_backup(db, folder, now=_day(0))
    assert old is not None
    application(db, _day(9), company="Typed today")
    daily_backup(db, folder, now=_day(9, 8))
    db, first = restore_backup(db, old.path, folder, now=_day(9, 11))  # the wrong one
    db, second = restore_backup(db, old.path, folder, now=_day(9, 12))
    try:
        back_up_now(db, folder, now=_day(9, 13))  # "Back up now" afterwards, the same day
        assert daily_backup(db, folder, now=_day(10)) is not None
        kept = {b.path for b in list_backups(folder)}
        assert {first.path, second.path} <= kept
        assert first.label == second.label == "before-restore"
        assert _companies(first.path) == ["Old", "Typed today"]
    finally:
        db.close()


def test_labelled_copies_are_kept_thirty_days_and_the_newest_three_for_good(
    db: Database, data_dir: Path
) -> None:
    folder = data_dir / "backups"
    labelled = []
    for n in range(50):  # a daily backup every day, rotated each time
        daily_backup(db, folder, now=_day(n, 12))
        if n < 4:  # and a restore on each of the first four days, after the daily
            labelled.append(back_up_now(db, folder, now=_day(n, 13), label="before-restore"))
        kept = {b.path for b in list_backups(folder)}
        for copy in labelled:
            if (_day(n, 12) - copy.taken_at).days <= KEEP_LABELLED_DAYS:
                assert copy.path in kept, (n, copy.path.name)
    kept = {b.path for b in list_backups(folder)}
    assert [c.path in kept for c in labelled] == [False, True, True, True]  # the newest 3
    assert KEEP_LABELLED == 3
    unlabelled = [b for b in list_backups(folder) if not b.label]
    assert len(unlabelled) == KEEP_DAILY + KEEP_WEEKLY  # the day rule is unchanged


def test_restore_brings_the_backup_back_and_keeps_the_current_one(
    db: Database, now: datetime, data_dir: Path
) -> None:
    folder = default_folder(data_dir)
    application(db, now, company="Before")
    chosen = back_up_now(db, folder, now=now).path
    application(db, now, company="After")
    restored, previous = restore_backup(db, chosen, folder, now=now + timedelta(minutes=1))
    try:
        assert [a.company for a in list_applications(restored, now=now)] == ["Before"]
        assert _companies(previous.path) == ["Before", "After"]
        assert "before-restore" in previous.path.name
        assert sorted(p.name for p in data_dir.iterdir() if p.name.startswith(".")) == []
    finally:
        restored.close()


def test_an_older_backup_is_migrated_on_restore(
    db: Database, now: datetime, data_dir: Path, tmp_path: Path
) -> None:
    old = tmp_path / "old.sqlite3"
    open_database(old, upgrade_to="0001").close()
    for sibling in tmp_path.glob("old.sqlite3-*"):
        sibling.unlink()
    before = file_state(old)
    restored, _previous = restore_backup(db, old, default_folder(data_dir), now=now)
    try:
        assert list_applications(restored, now=now) == []
        assert file_state(old) == before  # the chosen file itself was not migrated
    finally:
        restored.close()


def _newer(path: Path) -> None:
    open_database(path).close()
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
        connection.commit()


def _foreign(path: Path) -> None:
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
        connection.commit()


def _damaged(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + b"\x10\x00" + os.urandom(4096 - 18))


@pytest.mark.parametrize(
    ("make", "error", "says"),
    [
        (_newer, NewerDatabaseError, "newer version of Afterword"),
        (_foreign, NotAnAfterwordDatabaseError, "not one Afterword made"),
        (_damaged, DatabaseError, "damaged"),
    ],
    ids=["newer", "foreign", "damaged"],
)
def test_a_file_opening_would_refuse_is_refused_and_nothing_changes(
    db: Database,
    now: datetime,
    data_dir: Path,
    tmp_path: Path,
    make: object,
    error: type[Exception],
    says: str,
) -> None:
    application(db, now, company="Current")
    chosen = tmp_path / "chosen.sqlite3"
    make(chosen)  # type: ignore[operator]
    for sibling in tmp_path.glob("chosen.sqlite3-*"):
        sibling.unlink()
    before = file_state(chosen)
    with pytest.raises(error, match=says) as refused:
        restore_backup(db, chosen, default_folder(data_dir), now=now)
    assert str(chosen) in str(refused.value)
    assert ".afterword-restore" not in str(refused.value)
    assert file_state(chosen) == before
    assert [a.company for a in list_applications(db, now=now)] == ["Current"]
    assert list_backups(default_folder(data_dir)) == []
    assert not [p for p in data_dir.iterdir() if p.name.startswith(".afterword-restore")]
