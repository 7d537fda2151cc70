"""The head schema, created in one step, and the comparison that keeps it honest.

A new database does not run the migrations one by one (and so never loads
Alembic or SQLAlchemy): :func:`create_head_schema` replays the statements
and seed rows in :mod:`afterword.core.storage.head_schema`, which were taken
from a database the migrations built, and stamps it with their revision.
A test holds that a database created this way equals one the migrations
produce (:func:`schema_rows`, every table, index and trigger).
:func:`missing_from_head` names what a file (a backup about to be restored)
lacks of that schema.

After adding a migration, write the file again (this needs Alembic)::

    .venv/bin/python -m afterword.core.storage.schema
"""

from __future__ import annotations

import re
import sqlite3
import sys
import tempfile
from pathlib import Path

from afterword.core.storage import head_schema

_SPACE = re.compile(r"\s+")
# Tables SQLite makes itself: its own, and the shadow tables behind a virtual table.
_SHADOW_SUFFIXES = ("_data", "_idx", "_content", "_docsize", "_config")
_ORDER = {"table": 0, "view": 1, "index": 2, "trigger": 3}


def _made_by_sqlite(name: str, virtual: set[str]) -> bool:
    return name.startswith("sqlite_") or any(
        name == f"{table}{suffix}" for table in virtual for suffix in _SHADOW_SUFFIXES
    )


def _virtual_tables(connection: sqlite3.Connection) -> set[str]:
    return {
        name
        for name, sql in connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
        )
        if sql and sql.upper().startswith("CREATE VIRTUAL TABLE")
    }


def _normalized(sql: str | None) -> str:
    """``sql`` with spaces collapsed and a table's columns and constraints sorted.

    Alembic's batch mode rebuilds a table with its constraints in the order it
    reflected them, which varies between runs; the order means nothing.
    """
    text = _SPACE.sub(" ", sql or "").strip()
    start, end = text.find("("), text.rfind(")")
    if not text.startswith("CREATE TABLE") or start < 0:
        return text
    parts, depth, current = [], 0, []
    for char in text[start + 1 : end]:
        depth += (char == "(") - (char == ")")
        if char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return f"{text[:start]}({', '.join(sorted(parts))}){text[end + 1 :]}"


def schema_rows(connection: sqlite3.Connection) -> list[tuple[str, str, str, str]]:
    """Every object in ``sqlite_master`` (type, name, table, normalized SQL), sorted."""
    return sorted(
        (kind, name, table, _normalized(sql))
        for kind, name, table, sql in connection.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master"
        )
    )


def _objects(connection: sqlite3.Connection) -> set[str]:
    """Every table, index, trigger and column in the database, by name."""
    virtual = _virtual_tables(connection)
    found = set()
    for kind, name in connection.execute("SELECT type, name FROM sqlite_master").fetchall():
        if _made_by_sqlite(name, virtual):
            continue
        found.add(f"{kind} {name}")
        if kind == "table":
            columns = connection.execute(f'PRAGMA table_info("{name}")').fetchall()
            found.update(f"column {name}.{column[1]}" for column in columns)
    return found


def missing_from_head(connection: sqlite3.Connection) -> list[str]:
    """What the head schema has and ``connection``'s database lacks ("table contacts",
    "column contacts.email", ...), tables, indexes and triggers first; empty for a
    whole Afterword schema.

    Names only, not the SQL: Alembic versions word a rebuilt table differently,
    and a file the migrations brought to head is whole if nothing is missing.
    """
    head = sqlite3.connect(":memory:", isolation_level=None)
    try:
        create_head_schema(head)
        wanted = _objects(head)
    finally:
        head.close()
    # Whole objects before their columns: "table templates" says more than its columns.
    return sorted(wanted - _objects(connection), key=lambda item: (item.startswith("column"), item))


def _statements(connection: sqlite3.Connection) -> list[str]:
    virtual = _virtual_tables(connection)
    rows = connection.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL")
    wanted = [
        (_ORDER[kind], number, sql)
        for number, (kind, name, sql) in enumerate(rows)
        if not _made_by_sqlite(name, virtual)
    ]
    return [sql for _order, _number, sql in sorted(wanted)]


def _seed_rows(connection: sqlite3.Connection) -> list[tuple[str, tuple[object, ...]]]:
    virtual = _virtual_tables(connection)
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        )
        if not _made_by_sqlite(name, virtual) and name not in virtual
    ]
    return [
        (table, tuple(row))
        for table in tables
        for row in connection.execute(f'SELECT * FROM "{table}" ORDER BY 1')
    ]


def create_head_schema(connection: sqlite3.Connection) -> str:
    """Create the head schema on an empty database in one transaction; returns its revision.

    ``connection`` must be in autocommit mode (``isolation_level=None``).
    """
    connection.execute("BEGIN IMMEDIATE")
    try:
        for statement in head_schema.STATEMENTS:
            connection.execute(statement)
        for table, values in head_schema.ROWS:
            marks = ", ".join("?" * len(values))
            connection.execute(f'INSERT INTO "{table}" VALUES ({marks})', values)
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    return head_schema.REVISION


def render(connection: sqlite3.Connection, revision: str) -> str:
    """The source of :mod:`afterword.core.storage.head_schema` for a migrated database."""
    lines = [
        '"""The database schema at the head revision, for creating a new database in one step.',
        "",
        "Generated from a database the migrations built; do not edit by hand. Write it",
        "again with ``python -m afterword.core.storage.schema`` after adding a migration.",
        '"""',
        "",
        f"REVISION = {revision!r}",
        "",
        "STATEMENTS: tuple[str, ...] = (",
        *(f"    {sql!r}," for sql in _statements(connection)),
        ")",
        "",
        "ROWS: tuple[tuple[str, tuple[object, ...]], ...] = (",
        *(f"    ({table!r}, {values!r})," for table, values in _seed_rows(connection)),
        ")",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    """Migrate a scratch database to head and write ``head_schema.py`` from it."""
    from afterword.core.storage.db import migrate_new_file
    from afterword.core.storage.migrations import HEAD_REVISION

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "head.sqlite3"
        migrate_new_file(path)
        connection = sqlite3.connect(path)
        try:
            source = render(connection, HEAD_REVISION)
        finally:
            connection.close()
    target = Path(head_schema.__file__)
    target.write_text(source, encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
