"""Opening the SQLite database: checks, backup, migrations, engine and sessions.

:func:`open_database` is the one way in. It refuses files it must not touch
(a newer Afterword's, a corrupt one, something that is not ours) before
writing a byte, copies the file aside before migrating it, and returns a
:class:`Database` whose sessions are short and stay inside the core.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, inspect
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from afterword.core.errors import DatabaseError, NewerDatabaseError, NotAnAfterwordDatabaseError
from afterword.core.storage import changes
from afterword.core.storage.migrations import HEAD_REVISION, KNOWN_REVISIONS
from afterword.core.storage.text import fold

logger = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
MIGRATIONS = Path(__file__).parent / "migrations"
# Tables every Afterword schema has had since 0001; an SQLite file without them
# (another program's, even one that also uses Alembic) is not ours.
_OUR_TABLES = frozenset({"alembic_version", "applications"})
# Execution option marking connections that will write (see _on_begin).
_WRITES = "afterword_writes"
# Key of a write session's change set in ``Session.info``.
_CHANGES = "afterword_changes"


@dataclass(frozen=True)
class Database:
    """An open Afterword database: the file and the engine behind short sessions."""

    path: Path
    engine: Engine
    _sessions: sessionmaker[Session]
    _write_sessions: sessionmaker[Session]

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits on success, rolls back (writing nothing) on error.

        Once it committed, its change set (what its flushes wrote) goes to the
        caller's :func:`~afterword.core.storage.changes.collect_changes`.
        """
        with self._write_sessions() as session:
            with session.begin():
                yield session
                session.flush()
            changes.committed(session.info.pop(_CHANGES, changes.NOTHING))

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only unit of work (no commit)."""
        with self._sessions() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy, not pysqlite, manage transactions (the documented recipe),
    # so BEGIN is explicit and pragmas below run outside a transaction.
    dbapi_connection.isolation_level = None
    dbapi_connection.create_function("af_fold", 1, fold, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _track_flush(session: Session, _context: Any) -> None:
    """Add what this flush wrote to the session's change set (see :mod:`.changes`)."""
    found = session.info.get(_CHANGES, changes.NOTHING)
    modified = [row for row in session.dirty if session.is_modified(row)]
    for rows, deleted in ((session.new, False), (modified, False), (session.deleted, True)):
        for row in rows:
            state = inspect(row)
            table = state.mapper.persist_selectable.name
            found |= changes.row_changes(table, state.dict, deleted=deleted)
    session.info[_CHANGES] = found


def _track_statement(state: ORMExecuteState) -> None:
    """Bulk UPDATE, DELETE and INSERT statements name no rows: record their tables."""
    if state.is_update or state.is_delete or state.is_insert:
        table = getattr(state.statement, "table", None)
        if table is not None:
            found = state.session.info.get(_CHANGES, changes.NOTHING)
            state.session.info[_CHANGES] = found | changes.table_changes([table.name])


def _on_begin(connection: Any) -> None:
    # A unit of work that will write takes the write lock up front. A deferred
    # BEGIN that reads first and writes later fails at once with "database is
    # locked" when another connection wrote in between: the busy timeout
    # cannot help, because waiting would not make its snapshot current again.
    writes = connection.get_execution_options().get(_WRITES, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def _make_engine(path: Path) -> Engine:
    # URL.create, not an f-string: a folder name with "?" or "#" must stay a path.
    engine = create_engine(
        URL.create("sqlite", database=str(path)),
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def _damaged(path: Path, reason: object) -> NotAnAfterwordDatabaseError:
    return NotAnAfterwordDatabaseError(
        f"{path} is damaged and cannot be read ({reason}). It was left untouched; "
        f"restore a backup ({path.name}.bak-* files in the same folder) or move it away."
    )


def _stamped_revision(path: Path) -> str | None:
    """The Alembic revision in the file; ``None`` for an empty database.

    Reads through a read-only connection so a file we end up refusing is
    never modified (not even by creating a WAL file).
    """
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
        size = path.stat().st_size
    except OSError as exc:
        raise DatabaseError(
            f"{path} cannot be read ({exc.strerror}). Check the file's permissions "
            "or choose another data folder."
        ) from exc
    if not header.startswith(SQLITE_HEADER):
        raise NotAnAfterwordDatabaseError(
            f"{path} is not an Afterword database (it is not an SQLite file). "
            "It was left untouched; move it away or choose another data folder."
        )
    # A file cut short inside its last page still opens, and SQLite's checks
    # pass; its rows read back as zeros. Real database files are whole pages.
    page_size = int.from_bytes(header[16:18], "big") if len(header) == 100 else 0
    page_size = 65536 if page_size == 1 else page_size  # how the format writes 64 KiB
    if not page_size or size % page_size:
        raise _damaged(path, "the file is cut short")
    # Read-only still creates -wal and -shm files for a WAL database. With no
    # -wal file there is nothing outside the main file to read, so it can be
    # opened as immutable, which creates nothing.
    wal = path.with_name(f"{path.name}-wal")
    immutable = "" if wal.exists() else "&immutable=1"
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro{immutable}", uri=True)
        try:
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if not tables:
                return None
            if not _OUR_TABLES.issubset(tables):
                raise NotAnAfterwordDatabaseError(
                    f"{path} is an SQLite database, but not one Afterword made. "
                    "It was left untouched; move it away or choose another data folder."
                )
            # Cheap for a personal database (milliseconds) and it finds damaged
            # pages before a migration or the first save could make things worse.
            (check,) = connection.execute("PRAGMA quick_check(1)").fetchone()
            if check != "ok":
                raise _damaged(path, check)
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise _damaged(path, exc) from exc
    if row is None:
        raise NotAnAfterwordDatabaseError(f"{path} has no schema version; it was left untouched.")
    return str(row[0])


def _backup(path: Path, revision: str) -> Path:
    """Copy the database aside (with SQLite's backup API, so a WAL is included)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.bak-{revision}-{stamp}")
    source = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    logger.info("Backed up %s to %s before migrating", path, target)
    return target


def _migrate(engine: Engine, target: str = HEAD_REVISION, scripts: Path = MIGRATIONS) -> None:
    """Upgrade to ``target`` in one transaction, with foreign keys checked at the end.

    Batch migrations rebuild a table by copying it and dropping the original;
    with foreign keys on, dropping a parent table would run its ON DELETE
    CASCADE and empty the child tables. So enforcement is off while the
    scripts run (SQLite only honours the switch outside a transaction) and
    ``foreign_key_check`` must find nothing before the upgrade commits.
    ``scripts`` exists for tests.
    """
    # Alembic is imported only when there is something to migrate: an
    # up-to-date database opens without paying for it.
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(scripts))
    with engine.execution_options(**{_WRITES: True}).connect() as connection:
        driver = connection.connection.driver_connection
        assert driver is not None  # a connection checked out of the pool is live
        driver.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, target)
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise DatabaseError(f"the upgrade would break links between rows: {broken}")
        finally:
            driver.execute("PRAGMA foreign_keys=ON")


def open_database(path: Path, *, upgrade_to: str = HEAD_REVISION) -> Database:
    """Open (creating or migrating as needed) the Afterword database at ``path``.

    Raises :class:`NewerDatabaseError` or :class:`NotAnAfterwordDatabaseError`
    without touching the file. ``upgrade_to`` exists for migration tests.
    """
    # Absolute, because file: URIs (used for read-only checks) cannot be relative.
    path = Path(path).absolute()
    revision = _stamped_revision(path) if path.exists() and path.stat().st_size else None
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise NewerDatabaseError(
            f"{path} was written by a newer version of Afterword (schema {revision}). "
            "Please update Afterword; the file was left untouched."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = _make_engine(path)
    try:
        if revision != upgrade_to:
            if revision is not None:
                _backup(path, revision)
            logger.info("Migrating %s from %s to %s", path, revision or "empty", upgrade_to)
            _migrate(engine, upgrade_to)
    except Exception as exc:
        engine.dispose()
        raise DatabaseError(f"Could not prepare the database {path}: {exc}") from exc
    write_sessions = sessionmaker(
        engine.execution_options(**{_WRITES: True}), expire_on_commit=False
    )
    event.listen(write_sessions, "after_flush", _track_flush)
    event.listen(write_sessions, "do_orm_execute", _track_statement)
    return Database(
        path=path,
        engine=engine,
        _sessions=sessionmaker(engine, expire_on_commit=False),
        _write_sessions=write_sessions,
    )
