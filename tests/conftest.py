"""Fixtures every part of the suite shares: a real database file and a fixed clock."""

import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, settings

from afterword.core.storage.db import Database, open_database
from afterword.core.storage.paths import DATABASE_FILENAME

pytest_plugins = [
    "tests.support.keyring",
    "tests.support.smtp",
    "tests.support.dovecot",
    "tests.support.oauth",
]

BERLIN = ZoneInfo("Europe/Berlin")

# Property tests: a quick profile for local runs, the full one in CI (which
# sets CI=true). HYPOTHESIS_PROFILE picks one explicitly.
settings.register_profile(
    "ci", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "quick", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "quick")
)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture(scope="session")
def migrated_database_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file migrated once per session, for tests to copy."""
    path = tmp_path_factory.mktemp("migrated") / DATABASE_FILENAME
    open_database(path).close()
    return path


@pytest.fixture
def db(data_dir: Path, migrated_database_file: Path) -> Iterator[Database]:
    """A fresh, migrated Afterword database in a real SQLite file in ``data_dir``.

    A copy of the session's migrated file: opening an up-to-date file skips
    Alembic, which keeps per-test set-up cheap. Migrations themselves are
    tested in ``tests/core/storage``.
    """
    target = data_dir / DATABASE_FILENAME
    shutil.copyfile(migrated_database_file, target)
    database = open_database(target)
    yield database
    database.close()


@pytest.fixture
def now() -> datetime:
    """A fixed, time-zone aware "now": Wednesday 2026-03-11 10:00 in Berlin."""
    return datetime(2026, 3, 11, 10, 0, tzinfo=BERLIN)
