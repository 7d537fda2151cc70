"""Everything out: one CSV file per table for spreadsheets, and one JSON file with it all.

The JSON file holds every table as SQLite stores it (text, numbers, NULL),
so nothing is lost: it is what :mod:`afterword.core.imports.everything`
reads back.

The CSV files are for reading in a spreadsheet. There is one per table of
the person's data (:data:`CSV_TABLES`: applications, interviews, contacts,
participants, touchpoints, messages, templates, mail accounts (never a
password: those are in the keyring), settings and the checklist marks made
by hand); the app's own bookkeeping (kept checklist items, the record of
what changed them, calendar sequence numbers, reminders already shown,
schema version) is left out. A time is written as ISO 8601 with its UTC
offset (``2026-03-11T14:00:00+01:00``): an interview's in its own time
zone, every other in the zone the export is made in. Dates and other
values are as stored. The files are UTF-8 with a byte-order mark, which
spreadsheet programs need to read non-ASCII text correctly, and a text
cell that a spreadsheet would run as a formula (starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with ``'``.

Every file is written private (0600) under a temporary name, then renamed.
"""

from __future__ import annotations

import contextlib
import csv
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import text

from afterword.core.storage.db import Database
from afterword.core.storage.files import chosen_folder, create_private_file, make_private
from afterword.core.storage.migrations import HEAD_REVISION
from afterword.core.storage.models import Base, UTCDateTime
from afterword.core.storage.validation import clock

logger = logging.getLogger(__name__)

EXPORT_FORMAT = "afterword-export"
EXPORT_VERSION = 1
# Bookkeeping kept by triggers and Alembic: rebuilt by the database itself.
_NOT_EXPORTED = frozenset({"change_counts", "alembic_version"})
# The app's own bookkeeping, derived or kept for its rules: not the person's data.
_BOOKKEEPING = frozenset(
    {"checklist_items", "checklist_kept", "checklist_changes", "calendar_sequences", "reminder_log"}
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def exported_tables() -> list[str]:
    """Tables in an order where every row's parents come first."""
    return [t.name for t in Base.metadata.sorted_tables if t.name not in _NOT_EXPORTED]


CSV_TABLES = tuple(name for name in exported_tables() if name not in _BOOKKEEPING)


def read_tables(db: Database, names: tuple[str, ...] | None = None) -> dict[str, dict[str, Any]]:
    """``{table: {"columns": [...], "rows": [[...], ...]}}`` as stored, in one snapshot
    (every exported table, or ``names``)."""
    tables: dict[str, dict[str, Any]] = {}
    with db.reading() as session:
        for name in exported_tables() if names is None else names:
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


def with_extension(target: Path, suffix: str) -> Path:
    """``target`` ending in ``suffix`` (".json"): added, never put in place of what
    looks like one ("Afterword 2026.03.11" becomes "Afterword 2026.03.11.json")."""
    if target.name.casefold().endswith(suffix.casefold()):
        return target
    return target.with_name(target.name + suffix)


def csv_files(folder: Path) -> list[Path]:
    """The files :func:`export_csv` writes into ``folder``."""
    return [folder / f"{name}.csv" for name in CSV_TABLES]


def _time_columns(table: str) -> frozenset[str]:
    columns = Base.metadata.tables[table].columns
    return frozenset(c.name for c in columns if isinstance(c.type, UTCDateTime))


def _row_zone(columns: list[str], row: list[Any], zone: tzinfo) -> tzinfo:
    """The row's own time zone (an interview's ``timezone``), else ``zone``."""
    if "timezone" in columns:
        with contextlib.suppress(ZoneInfoNotFoundError, ValueError, TypeError):
            return ZoneInfo(row[columns.index("timezone")])
    return zone


def _local_time(value: object, zone: tzinfo) -> object:
    """A stored UTC time (naive text) as ISO 8601 with its offset in ``zone``."""
    if not isinstance(value, str):
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value  # not a time after all: as stored
    return moment.replace(tzinfo=UTC).astimezone(zone).isoformat()


def _csv_rows(
    table: str, columns: list[str], rows: list[list[Any]], zone: tzinfo
) -> list[list[Any]]:
    """The rows as a spreadsheet should show them: times with offsets, no formulas."""
    times = [index for index, name in enumerate(columns) if name in _time_columns(table)]
    out = []
    for row in rows:
        cells = list(row)
        row_zone = _row_zone(columns, row, zone) if times else zone
        for index in times:
            cells[index] = _local_time(cells[index], row_zone)
        out.append([safe_cell(value) for value in cells])
    return out


def export_csv(db: Database, folder: Path, *, zone: tzinfo) -> list[Path]:
    """Write ``<table>.csv`` for every table of :data:`CSV_TABLES` into ``folder``;
    returns the files. Times are shown in ``zone`` (an interview's in its own)."""
    chosen_folder(folder)
    written = []
    for name, table in read_tables(db, CSV_TABLES).items():
        target = folder / f"{name}.csv"
        # The byte-order mark tells spreadsheet programs the file is UTF-8.
        with private_output(target, encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(table["columns"])
            writer.writerows(_csv_rows(name, table["columns"], table["rows"], zone))
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
