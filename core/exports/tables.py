"""Everything out: one CSV file per table for spreadsheets, and one JSON file with it all.

Both read the rows as SQLite stores them (text, numbers, NULL), so what goes
out is exactly what is kept. CSV files are UTF-8 with a byte-order mark,
which spreadsheet programs need to read non-ASCII text correctly, and a
text cell that a spreadsheet would run as a formula (starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with ``'``.
The JSON file is what :mod:`afterword.core.imports.everything` reads back.
Every file is written private (0600) under a temporary name, then renamed.
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import text

from afterword.core.storage.db import Database
from afterword.core.storage.files import chosen_folder, create_private_file, make_private
from afterword.core.storage.migrations import HEAD_REVISION
from afterword.core.storage.models import Base
from afterword.core.storage.validation import clock

logger = logging.getLogger(__name__)

EXPORT_FORMAT = "afterword-export"
EXPORT_VERSION = 1
# Bookkeeping kept by triggers and Alembic: rebuilt by the database itself.
_NOT_EXPORTED = frozenset({"change_counts", "alembic_version"})
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def exported_tables() -> list[str]:
    """Tables in an order where every row's parents come first."""
    return [t.name for t in Base.metadata.sorted_tables if t.name not in _NOT_EXPORTED]


def read_tables(db: Database) -> dict[str, dict[str, Any]]:
    """``{table: {"columns": [...], "rows": [[...], ...]}}`` as stored, in one snapshot."""
    tables: dict[str, dict[str, Any]] = {}
    with db.reading() as session:
        for name in exported_tables():
            result = session.execute(text(f'SELECT * FROM "{name}" ORDER BY rowid'))
            tables[name] = {
                "columns": list(result.keys()),
                "rows": [list(row) for row in result],
            }
    return tables


def safe_cell(value: object) -> object:
    """A value a spreadsheet shows as text rather than running as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


@contextmanager
def private_output(
    target: Path, *, encoding: str = "utf-8", newline: str | None = None
) -> Iterator[IO[str]]:
    """A text file for ``target``, 0600, renamed into place only when complete."""
    temporary = target.with_name(f".{target.name}.partial")
    temporary.unlink(missing_ok=True)
    create_private_file(temporary)
    try:
        with temporary.open("w", encoding=encoding, newline=newline) as handle:
            yield handle
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    make_private(target)


def export_csv(db: Database, folder: Path) -> list[Path]:
    """Write ``<table>.csv`` for every table into ``folder``; returns the files."""
    chosen_folder(folder)
    written = []
    for name, table in read_tables(db).items():
        target = folder / f"{name}.csv"
        # The byte-order mark tells spreadsheet programs the file is UTF-8.
        with private_output(target, encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(table["columns"])
            writer.writerows([safe_cell(value) for value in row] for row in table["rows"])
        written.append(target)
    logger.info("Exported %d tables as CSV to %s", len(written), folder)
    return written


def export_json(db: Database, target: Path, *, now: datetime) -> Path:
    """Write every table to one JSON file at ``target``."""
    document = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "schema": HEAD_REVISION,
        "exported_at": clock(now).isoformat(),
        "tables": read_tables(db),
    }
    chosen_folder(target.parent)
    with private_output(target) as handle:
        json.dump(document, handle, ensure_ascii=False, indent=1)
    logger.info("Exported everything as JSON to %s", target)
    return target
