"""Every connection is set up the same way, and two writers share the file politely."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

from afterword.core.applications import (
    create_application,
    get_application,
    list_applications,
    update_application,
)
from afterword.core.storage.db import BUSY_TIMEOUT_MS, Database, open_database
from afterword.core.storage.models import Interview
from afterword.core.storage.records import ApplicationFields
from tests.core.storage.helpers import application, row_counts


def _pragmas(connection: Connection) -> tuple[object, object, object]:
    return (
        connection.exec_driver_sql("PRAGMA foreign_keys").scalar(),
        connection.exec_driver_sql("PRAGMA journal_mode").scalar(),
        connection.exec_driver_sql("PRAGMA busy_timeout").scalar(),
    )


EXPECTED = (1, "wal", BUSY_TIMEOUT_MS)


def test_every_connection_in_the_pool_gets_the_pragmas(db: Database) -> None:
    # Two connections held at once: the pool has to open a second one.
    with db.engine.connect() as first, db.engine.connect() as second:
        assert first.connection.driver_connection is not second.connection.driver_connection
        assert _pragmas(first) == EXPECTED
        assert _pragmas(second) == EXPECTED
    db.engine.dispose()  # and brand-new connections after the pool was emptied
    with db.engine.connect() as fresh:
        assert _pragmas(fresh) == EXPECTED


def test_sessions_enforce_foreign_keys(db: Database, now: datetime) -> None:
    with pytest.raises(IntegrityError), db.session() as session:
        session.add(Interview(application_id=404, starts_at=now, timezone="Europe/Berlin"))
    assert row_counts(db)["interviews"] == 0


def test_foreign_keys_are_back_on_after_a_migration(data_dir: Path) -> None:
    # Migrations switch enforcement off while they run; the pooled connection
    # they used must not keep it off for everything after.
    path = data_dir / "afterword.sqlite3"
    open_database(path, upgrade_to="0001").close()
    db = open_database(path)
    try:
        with db.engine.connect() as connection:
            assert _pragmas(connection) == EXPECTED
    finally:
        db.close()


def test_relative_path_opens_and_reopens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    open_database(Path("afterword.sqlite3")).close()
    db = open_database(Path("afterword.sqlite3"))  # an existing file is checked before use
    try:
        assert db.path == tmp_path / "afterword.sqlite3"
    finally:
        db.close()


def test_folder_name_with_url_characters(tmp_path: Path, now: datetime) -> None:
    folder = tmp_path / "Données #1 ?100%"
    path = folder / "afterword.sqlite3"
    db = open_database(path)
    application(db, now, company="Umlaut GmbH")
    db.close()
    db = open_database(path)
    try:
        assert [a.company for a in list_applications(db, now=now)] == ["Umlaut GmbH"]
        # Nothing was created next to the folder under a cut-off name.
        assert sorted(p.name for p in tmp_path.iterdir()) == [folder.name]
    finally:
        db.close()


@pytest.fixture
def second_db(db: Database) -> Iterator[Database]:
    """Another Database on the same file, as a second Afterword window would have."""
    other = open_database(db.path)
    yield other
    other.close()


def test_two_databases_writing_at_once_do_not_lock_each_other_out(
    db: Database, second_db: Database, now: datetime
) -> None:
    shared = application(db, now)
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def work(database: Database, tag: str) -> None:
        start.wait()
        try:
            for i in range(60):
                # Read-then-write (update) and plain inserts, interleaved.
                update_application(
                    database,
                    shared.id,
                    ApplicationFields(company=f"{tag} {i}", role="Engineer"),
                    now=now,
                )
                create_application(
                    database, ApplicationFields(company=f"{tag} {i}", role="Tester"), now=now
                )
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [
        threading.Thread(target=work, args=(database, tag))
        for database, tag in ((db, "first"), (second_db, "second"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert row_counts(db)["applications"] == 1 + 2 * 60


def test_a_writer_waits_for_another_writer_to_finish(
    db: Database, second_db: Database, now: datetime
) -> None:
    record = application(db, now)
    holding = threading.Event()

    def hold_the_write_lock() -> None:
        with db.session() as session:
            session.execute(
                text("UPDATE applications SET notes = 'first' WHERE id = :id"), {"id": record.id}
            )
            holding.set()
            time.sleep(0.5)

    holder = threading.Thread(target=hold_the_write_lock)
    holder.start()
    holding.wait()
    started = time.monotonic()
    updated = update_application(
        second_db, record.id, ApplicationFields(company="Acme", role="Lead"), now=now
    )
    waited = time.monotonic() - started
    holder.join()
    assert updated.role == "Lead"
    assert waited >= 0.3  # it queued behind the other writer instead of failing
    # The later writer's whole form was saved over the earlier one.
    assert (get_application(db, record.id).role, get_application(db, record.id).notes) == (
        "Lead",
        "",
    )


def test_the_engine_is_made_on_first_use_and_once(data_dir: Path, now: datetime) -> None:
    db = open_database(data_dir / "afterword.sqlite3")
    try:
        assert db._orm is None  # opening needs no SQLAlchemy
        engines = set()

        def first_use() -> None:
            engines.add(id(db.engine))

        threads = [threading.Thread(target=first_use) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(engines) == 1
        application(db, now)
        assert row_counts(db)["applications"] == 1
    finally:
        db.close()


def test_a_plain_connection_reads_with_the_same_settings_and_never_writes(
    db: Database, now: datetime
) -> None:
    application(db, now, company="Initech")
    connection = db.connect()
    try:
        assert connection.execute("SELECT company FROM applications").fetchall() == [("Initech",)]
        assert connection.execute("PRAGMA foreign_keys").fetchone() == (1,)
        assert connection.execute("SELECT af_fold('ÄB')").fetchone() == ("äb",)
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            connection.execute("DELETE FROM applications")
    finally:
        connection.close()
