"""Shared helpers for the storage tests: row counts, file fingerprints, quick rows."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine

from afterword.core.applications import create_application
from afterword.core.contacts import create_contact
from afterword.core.interviews import save_interview
from afterword.core.storage.db import MIGRATIONS, Database
from afterword.core.storage.records import (
    ApplicationFields,
    ApplicationRecord,
    ContactFields,
    ContactRecord,
    InterviewFields,
    InterviewRecord,
    ParticipantFields,
)

TABLES = (
    "applications",
    "interviews",
    "contacts",
    "participants",
    "touchpoints",
    "messages",
    "mail_accounts",
    "templates",
    "checklist_states",
    "settings",
)


def row_counts(db: Database) -> dict[str, int]:
    """Committed rows per table, read through a connection of its own."""
    with closing(sqlite3.connect(db.path)) as connection:
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in TABLES
        }


def raw_rows(path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    """Rows straight from the file, bypassing the core.

    Not a read-only connection: that would leave -wal and -shm files behind.
    """
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(sql, params).fetchall()


@dataclass(frozen=True)
class FileState:
    """Everything a refused open must leave as it was."""

    data: bytes
    mtime_ns: int
    siblings: tuple[str, ...]


def file_state(path: Path) -> FileState:
    return FileState(
        data=path.read_bytes(),
        mtime_ns=path.stat().st_mtime_ns,
        siblings=tuple(sorted(p.name for p in path.parent.iterdir())),
    )


def application(
    db: Database, now: datetime, company: str = "Acme", role: str = "Engineer"
) -> ApplicationRecord:
    return create_application(db, ApplicationFields(company=company, role=role), now=now)


def contact(
    db: Database, now: datetime, name: str = "Ada Lovelace", **values: object
) -> ContactRecord:
    return create_contact(db, ContactFields(name=name, **values), now=now)


def interview(
    db: Database,
    now: datetime,
    application_id: int,
    *people: ParticipantFields,
    starts_in: timedelta = timedelta(days=1),
) -> InterviewRecord:
    fields = InterviewFields(
        application_id=application_id,
        starts_at=now + starts_in,
        timezone="Europe/Berlin",
        round_name="First round",
    )
    return save_interview(db, fields, people, now=now)


def downgrade(path: Path, target: str) -> None:
    """Run the migrations' ``downgrade()`` on the file at ``path`` down to ``target``.

    The app never downgrades; the migration tests do, to show each step reverses.
    """
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    directory = ScriptDirectory(str(MIGRATIONS))
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:

        def steps(revision: Any, _context: Any) -> Any:
            return directory._downgrade_revs(target, revision)

        context = MigrationContext.configure(connection, opts={"fn": steps, "script": directory})
        with Operations.context(context):
            context.run_migrations()
    engine.dispose()
