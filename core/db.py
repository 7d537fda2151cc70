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

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from core.errors import DatabaseError, NewerDatabaseError, NotAnAfterwordDatabaseError
from core.migrations import HEAD_REVISION, KNOWN_REVISIONS
from core.text import fold

logger = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


@dataclass(frozen=True)
class Database:
    """An open Afterword database: the file and the engine behind short sessions."""

    path: Path
    engine: Engine
    _sessions: sessionmaker[Session]

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits on success, rolls back (writing nothing) on error."""
        with self._sessions() as session, session.begin():
            yield session

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


def _on_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


def _make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def _stamped_revision(path: Path) -> str | None:
    """The Alembic revision in the file; ``None`` for an empty database.

    Reads through a read-only connection so a file we end up refusing is
    never modified (not even by creating a WAL file).
    """
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise NotAnAfterwordDatabaseError(
            f"{path} is not an Afterword database (it is not an SQLite file). "
            "It was left untouched; move it away or choose another data folder."
        )
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if not tables:
                return None
            if "alembic_version" not in tables:
                raise NotAnAfterwordDatabaseError(
                    f"{path} is an SQLite database, but not one Afterword made. "
                    "It was left untouched; move it away or choose another data folder."
                )
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise NotAnAfterwordDatabaseError(
            f"{path} is damaged and cannot be read ({exc}). It was left untouched; "
            "restore a backup (afterword.sqlite3.bak-* files in the same folder) or move it away."
        ) from exc
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


def _migrate(engine: Engine, target: str = HEAD_REVISION) -> None:
    # Alembic is imported only when there is something to migrate: an
    # up-to-date database opens without paying for it.
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, target)


def open_database(path: Path, *, upgrade_to: str = HEAD_REVISION) -> Database:
    """Open (creating or migrating as needed) the Afterword database at ``path``.

    Raises :class:`NewerDatabaseError` or :class:`NotAnAfterwordDatabaseError`
    without touching the file. ``upgrade_to`` exists for migration tests.
    """
    path = Path(path)
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
    return Database(
        path=path, engine=engine, _sessions=sessionmaker(engine, expire_on_commit=False)
    )
