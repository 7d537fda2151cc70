"""Read a full JSON export back into an empty database (moving to another computer).

The file is checked before a row is written: its format, that it comes from
this schema, that every table and column is one the database has, and that
every value is plain (text, number, nothing). Rows go in, parents first, in
one transaction: a file that breaks a rule (a link to a missing row, say)
writes nothing. The database must be empty, so nothing is ever merged or
overwritten.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from afterword.core.errors import DatabaseError
from afterword.core.exports.tables import EXPORT_FORMAT, EXPORT_VERSION, exported_tables
from afterword.core.storage.db import Database
from afterword.core.storage.migrations import HEAD_REVISION
from afterword.core.storage.models import Base

logger = logging.getLogger(__name__)

# Rows Afterword makes on its own when it opens (built-in templates): the
# export's copies replace them.
_REPLACED_ON_IMPORT = ("templates",)


class ImportRefused(DatabaseError):
    """The export file cannot be imported; nothing was written."""


def read_export(path: Path) -> dict[str, dict[str, Any]]:
    """The tables of the export at ``path``, checked; raises :class:`ImportRefused`."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeError, ValueError) as exc:
        raise ImportRefused(f"{path} cannot be read as an Afterword export ({exc}).") from exc
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise ImportRefused(f"{path} is not an Afterword export.")
    if document.get("version") != EXPORT_VERSION or document.get("schema") != HEAD_REVISION:
        raise ImportRefused(
            f"{path} was exported by another version of Afterword (schema "
            f"{document.get('schema')!r}). Export again with this version, or update Afterword."
        )
    tables = document.get("tables")
    known = set(exported_tables())
    if not isinstance(tables, dict) or not set(tables) <= known:
        raise ImportRefused(f"{path} has tables Afterword does not know.")
    for name, table in tables.items():
        _check_table(path, name, table)
    return tables


def _check_table(path: Path, name: str, table: Any) -> None:
    columns = {c.name for c in Base.metadata.tables[name].columns}
    if (
        not isinstance(table, dict)
        or not isinstance(table.get("columns"), list)
        or not set(table["columns"]) <= columns
        or len(set(table["columns"])) != len(table["columns"])
        or not isinstance(table.get("rows"), list)
    ):
        raise ImportRefused(f"{path}: the table {name} is not in the expected shape.")
    width = len(table["columns"])
    for row in table["rows"]:
        if not isinstance(row, list) or len(row) != width:
            raise ImportRefused(f"{path}: a row of {name} has the wrong number of values.")
        if not all(value is None or isinstance(value, str | int | float) for value in row):
            raise ImportRefused(f"{path}: a row of {name} holds something that is not a value.")


def import_everything(db: Database, path: Path) -> dict[str, int]:
    """Fill the empty ``db`` from the export at ``path``; returns rows per table."""
    tables = read_export(path)
    counts: dict[str, int] = {}
    try:
        with db.session() as session:
            for name in exported_tables():
                if name in _REPLACED_ON_IMPORT:
                    session.execute(text(f'DELETE FROM "{name}"'))
                elif session.scalar(select(func.count()).select_from(text(f'"{name}"'))):
                    raise ImportRefused(
                        f"The database {db.path} already holds data; an export is only "
                        "imported into an empty data folder."
                    )
            for name in exported_tables():
                table = tables.get(name, {"columns": [], "rows": []})
                columns = table["columns"]
                names = ", ".join(f'"{c}"' for c in columns)
                marks = ", ".join(f":p{i}" for i in range(len(columns)))
                statement = text(f'INSERT INTO "{name}" ({names}) VALUES ({marks})')
                rows = [{f"p{i}": v for i, v in enumerate(row)} for row in table["rows"]]
                if rows:
                    session.execute(statement, rows)
                counts[name] = len(rows)
    except IntegrityError as exc:
        raise ImportRefused(
            f"{path} breaks the database's rules ({exc.orig}); nothing was imported."
        ) from exc
    logger.info("Imported %d rows from %s", sum(counts.values()), path)
    return counts
