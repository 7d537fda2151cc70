"""Opening the SQLite database: checks, creation, migrations, engine and sessions.

:func:`open_database` is the one way in. It refuses files it must not touch
(a newer Afterword's, one that is not ours, one cut short) before writing a
byte, creates a new database from the head schema in one step, checks and
copies a file aside before migrating it, and returns a :class:`Database`
whose sessions are short and stay inside the core.

Opening an up-to-date file needs only the standard library's ``sqlite3``
(a few milliseconds): SQLAlchemy's engine and ORM load on the first
session (or when the app calls :meth:`Database.load_orm` in idle time),
Alembic only when there is something to migrate. The full integrity check
is not part of opening (see :mod:`afterword.core.storage.integrity`).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from afterword.core.errors import (
    DamagedDatabaseError,
    DatabaseBusyError,
    DatabaseError,
    NewerDatabaseError,
    NotAnAfterwordDatabaseError,
)
from afterword.core.storage import changes, hooks, integrity
from afterword.core.storage.files import (
    check_writable,
    create_private_file,
    keep_newest,
    private_database,
    usable_folder,
    write_snapshot,
)
from afterword.core.storage.migrations import HEAD_REVISION, KNOWN_REVISIONS
from afterword.core.storage.parking import ParkedRows
from afterword.core.storage.text import fold

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

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
# Migration backups kept beside the database (older ones are deleted).
KEEP_MIGRATION_BACKUPS = 3


class _Orm:
    """What SQLAlchemy adds to an open database, made on first use."""

    __slots__ = ("engine", "sessions", "write_sessions")

    def __init__(
        self,
        engine: Engine,
        sessions: sessionmaker[Session],
        write_sessions: sessionmaker[Session],
    ) -> None:
        self.engine = engine
        self.sessions = sessions
        self.write_sessions = write_sessions


# A plain class rather than a dataclass: opening is on the start-up path, and
# building a dataclass costs milliseconds at import.
class Database:
    """An open Afterword database: the file, and the engine behind short sessions."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._orm: _Orm | None = None
        self._lock = threading.Lock()
        self._refusal: str | None = None
        # Rows waiting for an out-of-order undo (see ParkedRows).
        self.parked = ParkedRows()

    def __repr__(self) -> str:
        return f"Database(path={self.path!r})"

    @property
    def engine(self) -> Engine:
        return self.load_orm().engine

    @property
    def _sessions(self) -> sessionmaker[Session]:
        return self.load_orm().sessions

    @property
    def _write_sessions(self) -> sessionmaker[Session]:
        return self.load_orm().write_sessions

    @property
    def orm_loaded(self) -> bool:
        """Whether SQLAlchemy was loaded for this database (reads before it use ``sqlite3``)."""
        return self._orm is not None

    def warm_up(self) -> None:
        """Import the models and make the engine now (in idle time), so the first
        edit does not wait for them."""
        import afterword.core.storage.models  # noqa: F401

        self.load_orm()

    def load_orm(self) -> _Orm:
        """The engine and session makers, made (importing SQLAlchemy) on first use."""
        orm = self._orm
        if orm is None:
            with self._lock:
                if self._orm is None:
                    self._orm = _make_orm(self)
                orm = self._orm
        return orm

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits on success, rolls back (writing nothing) on error.

        Before it commits, the hooks registered in :mod:`.hooks` see its change
        set (what its flushes wrote), in the same transaction; once it committed,
        the change set goes to the caller's
        :func:`~afterword.core.storage.changes.collect_changes`.
        """
        with _explained(self.path), self._write_sessions() as session:
            with session.begin():
                yield session
                session.flush()
                hooks.before_commit(session, session.info.get(_CHANGES, changes.NOTHING))
            changes.committed(session.info.pop(_CHANGES, changes.NOTHING))

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only unit of work (no commit)."""
        with _explained(self.path), self._sessions() as session:
            yield session

    def connect(self) -> sqlite3.Connection:
        """A plain ``sqlite3`` connection, set up as the engine's are, for reads that
        need no ORM (the start-up path). The caller closes it."""
        connection = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
        )
        _on_connect(connection, None)
        connection.execute("PRAGMA query_only=ON")
        return connection

    def refuse_writes(self, reason: str) -> None:
        """From now on every write session raises :class:`DamagedDatabaseError` with ``reason``."""
        logger.error("Refusing writes to %s: %s", self.path, reason)
        self._refusal = reason

    @property
    def writes_refused(self) -> str | None:
        """Why writes are refused (a damaged file), or ``None``."""
        return self._refusal

    def close(self) -> None:
        if self._orm is not None:
            self._orm.engine.dispose()


@contextmanager
def _explained(path: Path) -> Iterator[None]:
    """SQLite's operational errors that a person can act on, as messages written for them."""
    try:
        yield
    except Exception as exc:
        from sqlalchemy.exc import OperationalError

        problem = explain(exc.orig, path) if isinstance(exc, OperationalError) else None
        if problem is None:
            raise
        raise problem from exc


def explain(error: BaseException | None, path: Path) -> DatabaseError | None:
    """A :class:`DatabaseError` saying what to do about ``error``, if it is one we know."""
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return DatabaseBusyError(
            f"The database {path} is busy: another program (or another Afterword) has been "
            "writing to it for a while. Nothing was saved; try again in a moment."
        )
    if "readonly" in text or "read-only" in text:
        return DatabaseError(
            f"The database {path} has become read-only. Nothing was saved; make the file "
            "and its folder writable again, then restart Afterword."
        )
    if "disk is full" in text:
        return DatabaseError(
            f"The disk holding {path} is full. Nothing was saved; free some space and try again."
        )
    return None


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
    from sqlalchemy import inspect

    found = session.info.get(_CHANGES, changes.NOTHING)
    modified = [row for row in session.dirty if session.is_modified(row)]
    for rows, deleted in ((session.new, False), (modified, False), (session.deleted, True)):
        for row in rows:
            state = inspect(row)
            table = state.mapper.persist_selectable.name
            found |= changes.row_changes(table, state.dict, deleted=deleted)
            if state.committed_state:
                # What a changed row named before, too: an interview moved to
                # another application changes the one it left.
                found |= changes.row_changes(table, state.committed_state)
    session.info[_CHANGES] = found


def _track_statement(state: ORMExecuteState) -> None:
    """Bulk UPDATE, DELETE and INSERT statements name no rows: record their tables."""
    if state.is_update or state.is_delete or state.is_insert:
        table = getattr(state.statement, "table", None)
        if table is not None:
            found = state.session.info.get(_CHANGES, changes.NOTHING)
            state.session.info[_CHANGES] = found | changes.table_changes([table.name])


def _index_before_commit(session: Session) -> None:
    """Index the rows this unit of work queued for search (same transaction)."""
    from afterword.core.storage import search_index

    session.flush()
    driver = session.connection().connection.driver_connection
    assert driver is not None  # a connection in a transaction is live
    search_index.refresh(driver)


def _on_begin(database: Database | None, connection: Any) -> None:
    # A unit of work that will write takes the write lock up front. A deferred
    # BEGIN that reads first and writes later fails at once with "database is
    # locked" when another connection wrote in between: the busy timeout
    # cannot help, because waiting would not make its snapshot current again.
    writes = connection.get_execution_options().get(_WRITES, False)
    if writes and database is not None and database.writes_refused:
        raise DamagedDatabaseError(database.writes_refused)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def _make_engine(path: Path, database: Database | None = None) -> Engine:
    from sqlalchemy import URL, create_engine, event

    # URL.create, not an f-string: a folder name with "?" or "#" must stay a path.
    engine = create_engine(
        URL.create("sqlite", database=str(path)),
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
        # A failing statement's values are people's notes and names: they must
        # not reach an exception message, and from there a log.
        hide_parameters=True,
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", lambda connection: _on_begin(database, connection))
    return engine


def _make_orm(database: Database) -> _Orm:
    from sqlalchemy import event
    from sqlalchemy.orm import sessionmaker

    engine = _make_engine(database.path, database)
    write_sessions = sessionmaker(
        engine.execution_options(**{_WRITES: True}), expire_on_commit=False
    )
    event.listen(write_sessions, "after_flush", _track_flush)
    event.listen(write_sessions, "do_orm_execute", _track_statement)
    event.listen(write_sessions, "before_commit", _index_before_commit)
    return _Orm(engine, sessionmaker(engine, expire_on_commit=False), write_sessions)


# What a refusal at opening tells the person to do about their data file (a
# restore passes its own advice: the file is a backup they picked).
_MOVE_AWAY = "move it away or choose another data folder"
_RESTORE = (
    "move it out of the data folder and start Afterword again, then restore your newest "
    "backup with Settings › Your data › Restore from backup… (backups are in the "
    "backups folder beside it, unless you chose another folder)"
)


def damaged_error(path: Path, reason: object, *, advice: str = "") -> NotAnAfterwordDatabaseError:
    """The refusal of a damaged file, with ``advice`` (by default: how to restore a backup)."""
    return NotAnAfterwordDatabaseError(
        f"{path} is damaged and cannot be read ({reason}). It was left untouched; "
        f"{advice or _RESTORE}."
    )


def newer_error(path: Path, revision: str) -> NewerDatabaseError:
    """The refusal of a file a newer Afterword wrote."""
    return NewerDatabaseError(
        f"{path} was written by a newer version of Afterword (schema {revision}). "
        "Please update Afterword; the file was left untouched."
    )


def stamped_revision(path: Path, *, advice: str = "") -> str | None:
    """The Alembic revision in the file; ``None`` for an empty database.

    The cheap checks only (header, whole pages, our tables, a version): the
    full check reads every page (see :mod:`.integrity`). Reads through a
    read-only connection so a file we end up refusing is never modified
    (not even by creating a WAL file). A refusal ends with ``advice`` (what
    to do instead) when given, else with the advice for a data file.
    """
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
        size = path.stat().st_size
    except OSError as exc:
        raise DatabaseError(
            f"{path} cannot be read ({exc.strerror}). Check the file's permissions "
            f"or {advice or 'choose another data folder'}."
        ) from exc
    if not header.startswith(SQLITE_HEADER):
        raise NotAnAfterwordDatabaseError(
            f"{path} is not an Afterword database (it is not an SQLite file). "
            f"It was left untouched; {advice or _MOVE_AWAY}."
        )
    # A file cut short inside its last page still opens, and SQLite's checks
    # pass; its rows read back as zeros. Real database files are whole pages.
    page_size = int.from_bytes(header[16:18], "big") if len(header) == 100 else 0
    page_size = 65536 if page_size == 1 else page_size  # how the format writes 64 KiB
    if not page_size or size % page_size:
        raise damaged_error(path, "the file is cut short", advice=advice)
    # The header's page count (trusted by SQLite 3.7+ when the change counters
    # agree) finds a file cut short by whole pages without reading them.
    pages = int.from_bytes(header[28:32], "big")
    if header[24:28] == header[92:96] and pages * page_size > size:
        raise damaged_error(path, "the file is cut short", advice=advice)
    try:
        connection = sqlite3.connect(integrity.read_only_uri(path), uri=True)
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
                    f"It was left untouched; {advice or _MOVE_AWAY}."
                )
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise damaged_error(path, exc, advice=advice) from exc
    if row is None:
        raise NotAnAfterwordDatabaseError(
            f"{path} has no schema version; it was left untouched"
            + (f": {advice}." if advice else ".")
        )
    return str(row[0])


def _backup(path: Path, revision: str) -> Path:
    """Copy the database aside, verified, keeping the newest few such copies."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = write_snapshot(path, path.with_name(f"{path.name}.bak-{revision}-{stamp}"))
    logger.info("Backed up %s to %s before migrating", path, target)
    # Names end with a UTC stamp: sorting on it puts the oldest first.
    copies = sorted(path.parent.glob(f"{path.name}.bak-*"), key=lambda p: p.name.rsplit("-")[-1])
    keep_newest(copies, KEEP_MIGRATION_BACKUPS)
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
    from afterword.core.storage.migrations.runner import upgrade

    with engine.execution_options(**{_WRITES: True}).connect() as connection:
        driver = connection.connection.driver_connection
        assert driver is not None  # a connection checked out of the pool is live
        driver.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                upgrade(connection, target, scripts)
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise DatabaseError(f"the upgrade would break links between rows: {broken}")
        finally:
            driver.execute("PRAGMA foreign_keys=ON")


def migrate_new_file(path: Path, target: str = HEAD_REVISION) -> None:
    """Build a database at ``path`` by running the migrations up to ``target``."""
    engine = _make_engine(path)
    try:
        _migrate(engine, target)
    finally:
        engine.dispose()


def _create(path: Path) -> None:
    """A new database from the head schema, in one transaction (no Alembic, no SQLAlchemy)."""
    from afterword.core.storage.schema import create_head_schema

    connection = sqlite3.connect(path, isolation_level=None)
    try:
        _on_connect(connection, None)
        create_head_schema(connection)
    finally:
        connection.close()


def open_database(path: Path, *, upgrade_to: str = HEAD_REVISION) -> Database:
    """Open (creating or migrating as needed) the Afterword database at ``path``.

    Raises :class:`NewerDatabaseError` or :class:`NotAnAfterwordDatabaseError`
    without touching the file. ``upgrade_to`` exists for migration tests.
    """
    from afterword.core.storage import head_schema

    # Absolute, because file: URIs (used for read-only checks) cannot be relative.
    path = Path(path).absolute()
    revision = stamped_revision(path) if path.exists() and path.stat().st_size else None
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise newer_error(path, revision)
    if revision is not None and revision != upgrade_to:
        # Never migrate (or copy) damaged pages: that could make things worse.
        problem = integrity.check_file(path)
        if problem is not None:
            raise damaged_error(path, problem)
    usable_folder(path.parent)
    check_writable(path)
    if not path.exists():
        create_private_file(path)  # SQLite gives the -wal and -shm files this mode too
    try:
        if revision is None and upgrade_to == HEAD_REVISION == head_schema.REVISION:
            logger.info("Creating %s at schema %s", path, HEAD_REVISION)
            _create(path)
        elif revision != upgrade_to:
            if revision is not None:
                _backup(path, revision)
            logger.info("Migrating %s from %s to %s", path, revision or "empty", upgrade_to)
            migrate_new_file(path, upgrade_to)
    except Exception as exc:
        raise DatabaseError(f"Could not prepare the database {path}: {exc}") from exc
    private_database(path)
    return Database(path)
