"""Real damaged database files for the backup and restore tests (core and GUI)."""

from __future__ import annotations

import random
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

from afterword.core.applications import create_application
from afterword.core.storage.db import Database
from afterword.core.storage.records import ApplicationFields

PAGE = 4096


def fill(db: Database, now: datetime, company: str = "Company") -> None:
    """Enough rows (long notes spill onto pages of their own) for a page in the middle."""
    for number in range(40):
        fields = ApplicationFields(company=f"{company} {number}", role="Role", notes="n" * 3000)
        create_application(db, fields, now=now)


def damage_middle_page(path: Path) -> None:
    """Overwrite the start of a page in the middle of ``path`` with noise.

    The header, the schema and the version still read fine (the cheap checks
    pass); only reading every page notices.
    """
    data = bytearray(path.read_bytes())
    middle = len(data) // PAGE // 2 * PAGE
    noise = random.Random(7)
    data[middle : middle + 64] = bytes(noise.randrange(256) for _ in range(64))
    path.write_bytes(bytes(data))


def damaged_copy(db: Database, target: Path) -> Path:
    """A whole copy of ``db`` (``VACUUM INTO``, no WAL) at ``target``, then damaged."""
    with closing(sqlite3.connect(db.path)) as connection:
        connection.execute("VACUUM INTO ?", (str(target),))
    damage_middle_page(target)
    return target
