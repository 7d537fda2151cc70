"""Fixtures every part of the suite shares: a real database file and a fixed clock."""

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core.db import Database, open_database

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def db(data_dir: Path) -> Iterator[Database]:
    """A fresh, migrated Afterword database in a real SQLite file."""
    database = open_database(data_dir / "afterword.sqlite3")
    yield database
    database.close()


@pytest.fixture
def now() -> datetime:
    """A fixed, time-zone aware "now": Wednesday 2026-03-11 10:00 in Berlin."""
    return datetime(2026, 3, 11, 10, 0, tzinfo=BERLIN)
