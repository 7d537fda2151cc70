"""Opening a database: fresh, upgraded (after a backup), refused when newer or not ours."""

from __future__ import annotations

import random
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from afterword.core.applications import create_application, get_application
from afterword.core.checklist import service
from afterword.core.errors import (
    DamagedDatabaseError,
    DatabaseError,
    NewerDatabaseError,
    NotAnAfterwordDatabaseError,
)
from afterword.core.interviews import list_interviews
from afterword.core.storage import head_schema
from afterword.core.storage.db import (
    MIGRATIONS,
    Database,
    _migrate,
    migrate_new_file,
    open_database,
)
from afterword.core.storage.integrity import check_file, damaged_message
from afterword.core.storage.migrations import HEAD_REVISION, KNOWN_REVISIONS
from afterword.core.storage.models import Base
from afterword.core.storage.records import ApplicationFields, ParticipantFields, TouchpointFields
from afterword.core.storage.schema import schema_rows
from afterword.core.storage.values import ApplicationStatus, TouchpointKind
from afterword.core.touchpoints import list_touchpoints, log_touchpoint
from tests.core.storage.helpers import (
    application,
    contact,
    file_state,
    interview,
    raw_rows,
    row_counts,
)

ROOT = Path(__file__).resolve().parents[3]
CLOCK = datetime(2026, 3, 11, 9, 0, tzinfo=UTC)


def _revision(path: Path) -> str:
    return str(raw_rows(path, "SELECT version_num FROM alembic_version")[0][0])


# The search index and its queue are not models (FTS5 tables, and SQLite's own
# shadow tables behind them): see afterword.core.storage.search_index.
SEARCH_TABLES = frozenset({"application_search", "contact_search", "search_queue"})


def _search_table(name: str | None) -> bool:
    return any(name == table or str(name).startswith(f"{table}_") for table in SEARCH_TABLES)


def _tables(path: Path) -> set[str]:
    """User tables (not SQLite's own, such as sqlite_sequence, nor the search index's)."""
    rows = raw_rows(
        path, "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
    )
    return {str(row[0]) for row in rows if not _search_table(str(row[0]))}


def _execute(path: Path, *statements: str) -> None:
    with closing(sqlite3.connect(path)) as connection, connection:
        for statement in statements:
            connection.execute(statement)


def _backups(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.bak-*"))


# --- fresh and up to date -------------------------------------------------------------


def test_a_fresh_database_is_at_head_with_every_table(data_dir: Path) -> None:
    path = data_dir / "afterword.sqlite3"
    open_database(path).close()
    assert _revision(path) == HEAD_REVISION
    assert _tables(path) == set(Base.metadata.tables) | {"alembic_version"}
    assert _backups(path) == []  # nothing to back up


def test_an_empty_file_becomes_a_fresh_database(data_dir: Path) -> None:
    # A zero-byte file (created by "touch", or an interrupted first start) holds nothing to lose.
    path = data_dir / "afterword.sqlite3"
    path.touch()
    open_database(path).close()
    assert _revision(path) == HEAD_REVISION


def test_an_up_to_date_database_opens_without_importing_alembic(db: Database) -> None:
    # Start-up time: the migration machinery is only loaded when there is work for it.
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from afterword.core.storage.db import open_database\n"
        f"open_database(Path({str(db.path)!r})).close()\n"
        "print('alembic' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# --- upgrade from the first revision ----------------------------------------------------

ROWS_AT_0001 = (
    "INSERT INTO applications (id, company, role, posting_url, status, why_interested,"
    " next_steps, decision_expected, still_interested, notes, created_at, updated_at,"
    " decided_at) VALUES (1, 'Initech', 'Engineer', 'https://initech.example/jobs/1',"
    " 'interviewing', 'Good team', 'They call by Friday', '2026-03-20', 1, 'Parking: B2',"
    " '2026-03-01 09:00:00.000000', '2026-03-02 10:00:00.000000', NULL)",
    "INSERT INTO contacts (id, name, email, phone, title, company, linkedin_url, notes,"
    " cadence_days, created_at) VALUES (1, 'Peter Gibbons', 'peter@initech.example', '',"
    " 'Manager', 'Initech', '', '', 90, '2026-03-01 09:00:00.000000')",
    "INSERT INTO interviews (id, application_id, round_name, starts_at, timezone,"
    " duration_minutes, format, location, notes, outcome) VALUES (1, 1, 'Onsite',"
    " '2026-03-10 08:00:00.000000', 'Europe/Berlin', 90, 'onsite', 'HQ', 'Went well', NULL)",
    "INSERT INTO participants (id, interview_id, contact_id, notes)"
    " VALUES (1, 1, 1, 'Asked about TPS reports')",
    "INSERT INTO touchpoints (id, contact_id, application_id, interview_id, kind, purpose,"
    " occurred_at, note) VALUES (1, 1, 1, 1, 'email', 'thank_you',"
    " '2026-03-10 12:00:00.000000', 'Thanks!')",
    "INSERT INTO settings (key, value) VALUES ('follow_up_business_days', '3')",
    "INSERT INTO checklist_states (key, mark, snoozed_until, updated_at)"
    " VALUES ('thank_you:i1:c1', 'done', NULL, '2026-03-10 12:00:00.000000')",
)


@pytest.fixture
def at_0001(data_dir: Path) -> Path:
    """A database made by the first release, with a user's rows in it."""
    path = data_dir / "afterword.sqlite3"
    open_database(path, upgrade_to="0001").close()
    assert _revision(path) == "0001"
    _execute(path, *ROWS_AT_0001)
    return path


def test_a_0001_database_is_upgraded_with_its_rows_intact(at_0001: Path) -> None:
    db = open_database(at_0001)
    try:
        assert _revision(at_0001) == HEAD_REVISION
        app = get_application(db, 1)
        assert (app.company, app.role, app.status, app.notes) == (
            "Initech",
            "Engineer",
            ApplicationStatus.INTERVIEWING,
            "Parking: B2",
        )
        assert app.decision_expected is not None and app.decision_expected.isoformat() == (
            "2026-03-20"
        )
        assert app.created_at == datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
        [round_one] = list_interviews(db, 1)
        assert round_one.starts_at == datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
        assert [(p.contact_name, p.notes) for p in round_one.participants] == [
            ("Peter Gibbons", "Asked about TPS reports")
        ]
        [thanks] = list_touchpoints(db, 1)
        assert (thanks.application_id, thanks.interview_id, thanks.message_id) == (1, 1, None)
        assert thanks.note == "Thanks!"
        assert raw_rows(at_0001, "SELECT key, value FROM settings") == [
            ("follow_up_business_days", "3")
        ]
        assert raw_rows(at_0001, "SELECT key, mark FROM checklist_states") == [
            ("thank_you:i1:c1", "done")
        ]
        assert raw_rows(at_0001, "PRAGMA foreign_key_check") == []
    finally:
        db.close()


def test_the_upgrade_keeps_a_backup_of_the_0001_file(at_0001: Path) -> None:
    open_database(at_0001).close()
    [backup] = _backups(at_0001)
    assert re.fullmatch(r"afterword\.sqlite3\.bak-0001-\d{8}T\d{6}Z", backup.name)
    assert _revision(backup) == "0001"
    assert "messages" not in _tables(backup)
    assert raw_rows(backup, "SELECT company FROM applications") == [("Initech",)]
    assert raw_rows(backup, "PRAGMA integrity_check") == [("ok",)]
    open_database(at_0001).close()
    assert _backups(at_0001) == [backup]  # already up to date: no second copy


# --- refusals ---------------------------------------------------------------------------


def _stamp(path: Path, revision: str) -> None:
    _execute(path, f"UPDATE alembic_version SET version_num = '{revision}'")


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(data_dir: Path) -> None:
    path = data_dir / "afterword.sqlite3"
    open_database(path).close()
    _stamp(path, "9999")
    before = file_state(path)
    with pytest.raises(NewerDatabaseError, match="newer version of Afterword") as refused:
        open_database(path)
    assert "left untouched" in str(refused.value)
    assert file_state(path) == before  # same bytes, same mtime, no -wal, -shm or backup


def test_a_newer_database_open_in_another_program_is_refused_too(data_dir: Path) -> None:
    path = data_dir / "afterword.sqlite3"
    open_database(path).close()
    _stamp(path, "9999")
    with closing(sqlite3.connect(path)) as other:
        other.execute("SELECT count(*) FROM applications").fetchone()  # its -wal file exists
        data = path.read_bytes()
        with pytest.raises(NewerDatabaseError):
            open_database(path)
        assert path.read_bytes() == data


def _head_database(path: Path) -> None:
    """An Afterword database with enough rows to span many pages."""
    db = open_database(path)
    try:
        for number in range(40):
            create_application(
                db,
                ApplicationFields(company=f"Company {number}", role="Role", notes="n" * 3000),
                now=CLOCK,
            )
    finally:
        db.close()


def _garble(path: Path, start: int, end: int) -> None:
    data = bytearray(path.read_bytes())
    noise = random.Random(start)
    for offset in range(start, min(end, len(data))):
        data[offset] = noise.randrange(256)
    path.write_bytes(bytes(data))


def _text_file(path: Path) -> None:
    path.write_text("company,role\nAcme,Engineer\n", encoding="utf-8")


def _header_only(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00")


def _garbled_after_header(path: Path) -> None:
    _head_database(path)
    _garble(path, 100, path.stat().st_size)


def _damaged_page(path: Path) -> None:
    # A page in the middle with its page header overwritten: the schema and the
    # version still read fine, only an integrity check notices.
    _head_database(path)
    middle = path.stat().st_size // 4096 // 2
    _garble(path, middle * 4096, middle * 4096 + 64)


def _truncated_mid_file(path: Path) -> None:
    _head_database(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 3 // 5 + 123])


def _truncated_in_last_page(path: Path) -> None:
    # An interrupted copy: only the end of the last page is missing.
    _head_database(path)
    data = path.read_bytes()
    path.write_bytes(data[:-1000])


def _unrelated_sqlite(path: Path) -> None:
    _execute(
        path, "CREATE TABLE songs (title TEXT, artist TEXT)", "INSERT INTO songs VALUES ('a', 'b')"
    )


def _other_alembic_app(path: Path) -> None:
    _execute(
        path,
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
        "INSERT INTO alembic_version VALUES ('3f2a9c1b7d')",
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)",
    )


def _no_schema_version(path: Path) -> None:
    open_database(path).close()
    _execute(path, "DELETE FROM alembic_version")


NOT_OURS: dict[str, Callable[[Path], None]] = {
    "text file": _text_file,
    "header only": _header_only,
    "garbled after the header": _garbled_after_header,
    "truncated mid-file": _truncated_mid_file,
    "truncated in the last page": _truncated_in_last_page,
    "unrelated SQLite database": _unrelated_sqlite,
    "another program's Alembic database": _other_alembic_app,
    "no schema version": _no_schema_version,
}


@pytest.mark.parametrize("make", NOT_OURS.values(), ids=NOT_OURS.keys())
def test_a_file_that_is_not_a_usable_afterword_database_is_refused_untouched(
    data_dir: Path, make: Callable[[Path], None]
) -> None:
    path = data_dir / "afterword.sqlite3"
    make(path)
    before = file_state(path)
    with pytest.raises(NotAnAfterwordDatabaseError, match="left untouched"):
        open_database(path)
    assert file_state(path) == before


def test_a_folder_in_place_of_the_file_gives_a_clear_error(data_dir: Path) -> None:
    path = data_dir / "afterword.sqlite3"
    path.mkdir()
    with pytest.raises(DatabaseError, match="cannot be read"):
        open_database(path)


# --- the scripts and the models agree -----------------------------------------------------


def test_known_revisions_match_the_migration_scripts() -> None:
    scripts = ScriptDirectory(str(MIGRATIONS))
    in_order = tuple(script.revision for script in reversed(list(scripts.walk_revisions())))
    assert in_order == KNOWN_REVISIONS
    assert scripts.get_heads() == [HEAD_REVISION]


@pytest.mark.parametrize("start", ["fresh", "upgraded from 0001"])
def test_the_models_match_the_migrated_schema(data_dir: Path, start: str) -> None:
    path = data_dir / "afterword.sqlite3"
    if start != "fresh":
        open_database(path, upgrade_to="0001").close()
    db = open_database(path)
    try:
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    "include_name": lambda name, kind, _parent: not _search_table(name),
                },
            )
            assert compare_metadata(context, Base.metadata) == []
    finally:
        db.close()


# --- how a future migration behaves ---------------------------------------------------------

NEXT = "test_next"
NEXT_SCRIPT = '''"""Test-only revision on top of the real head."""

import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
{body}


def downgrade() -> None:
    pass
'''


def _scripts_with_a_next(tmp_path: Path, body: str) -> Path:
    """The shipped scripts plus one more, whose upgrade() is ``body``."""
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / f"{NEXT}.py").write_text(
        NEXT_SCRIPT.format(revision=NEXT, head=HEAD_REVISION, body=body), encoding="utf-8"
    )
    return scripts


@pytest.fixture
def linked_rows(db: Database) -> Database:
    """An application with an interview, a participant and a touchpoint pointing at it."""
    app = application(db, CLOCK)
    person = contact(db, CLOCK)
    meeting = interview(db, CLOCK, app.id, ParticipantFields(contact_id=person.id))
    log_touchpoint(
        db,
        TouchpointFields(
            contact_id=person.id,
            kind=TouchpointKind.EMAIL,
            occurred_at=CLOCK,
            application_id=app.id,
            interview_id=meeting.id,
        ),
        now=CLOCK,
    )
    return db


def test_a_migration_that_rebuilds_a_parent_table_keeps_the_child_rows(
    linked_rows: Database, tmp_path: Path
) -> None:
    # Batch mode copies "applications" and drops the original; with foreign keys
    # enforced, the drop would cascade and delete every interview.
    body = (
        '    with op.batch_alter_table("applications", recreate="always") as batch:\n'
        '        batch.alter_column("notes", existing_type=sa.Text(), nullable=False)'
    )
    before = row_counts(linked_rows)
    _migrate(linked_rows.engine, NEXT, _scripts_with_a_next(tmp_path, body))
    assert _revision(linked_rows.path) == NEXT
    assert row_counts(linked_rows) == before
    assert raw_rows(linked_rows.path, "SELECT application_id, interview_id FROM touchpoints") == [
        (1, 1)
    ]


def test_a_migration_that_would_orphan_rows_is_rolled_back(
    linked_rows: Database, tmp_path: Path
) -> None:
    body = '    op.execute("DELETE FROM applications")'
    before = row_counts(linked_rows)
    with pytest.raises(DatabaseError, match="break links"):
        _migrate(linked_rows.engine, NEXT, _scripts_with_a_next(tmp_path, body))
    assert _revision(linked_rows.path) == HEAD_REVISION
    assert row_counts(linked_rows) == before


def test_the_upgrade_to_0006_drops_the_change_counters_and_leaves_the_kept_items_to_make(
    at_0001: Path,
) -> None:
    open_database(at_0001).close()
    assert raw_rows(at_0001, "SELECT count(*) FROM checklist_kept") == [(0,)]
    db = open_database(at_0001)
    try:
        assert service.make_kept(db, CLOCK.astimezone(ZoneInfo("Europe/Berlin")))
    finally:
        db.close()

    triggers = raw_rows(
        at_0001,
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'count_%'",
    )
    assert triggers == []
    assert "change_counts" not in _tables(at_0001)
    kept = raw_rows(at_0001, "SELECT key FROM checklist_items ORDER BY key")
    # From the rules: Initech's interview had its answer recorded and its one
    # interviewer thanked; the follow-ups and Peter's check-in are to come.
    assert [key for (key,) in kept] == [
        "status_follow_up:a1:1",
        "stay_in_touch:c1:2026-06-08",
    ]
    assert raw_rows(at_0001, "SELECT rules_version, zone, year FROM checklist_kept") == [
        (1, "Europe/Berlin", 2026)
    ]


# --- a new database in one step; Alembic only for upgrades ----------------------------------


def _schema(path: Path) -> list[tuple[str, str, str, str]]:
    with closing(sqlite3.connect(path)) as connection:
        return schema_rows(connection)


def test_a_new_database_equals_the_one_the_migrations_build(data_dir: Path) -> None:
    created = data_dir / "created.sqlite3"
    migrated = data_dir / "migrated.sqlite3"
    open_database(created).close()
    migrate_new_file(migrated)
    assert head_schema.REVISION == HEAD_REVISION, "run: python -m afterword.core.storage.schema"
    # Every table (the search index's shadow tables too), index and trigger.
    assert _schema(created) == _schema(migrated)
    for table in ("alembic_version", "checklist_kept", "settings", "templates", "search_queue"):
        query = f"SELECT * FROM {table} ORDER BY 1"
        assert raw_rows(created, query) == raw_rows(migrated, query), table
    assert _revision(created) == HEAD_REVISION


def _imports_after(script: str) -> set[str]:
    """Which of the heavy packages ``script`` (run in a fresh interpreter) imported."""
    heavy = (
        "sqlalchemy",
        "sqlalchemy.orm",
        "alembic",
        "sqlalchemy.dialects.postgresql",
        "sqlalchemy.dialects.mysql",
        "alembic.autogenerate",
        "pygments",
        "afterword.core.storage.models",
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"{script}\nimport sys\nprint(repr([m for m in {heavy!r} if m in sys.modules]))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(eval(result.stdout.strip().splitlines()[-1]))  # our own repr


def test_creating_and_opening_need_neither_sqlalchemy_nor_alembic(data_dir: Path) -> None:
    script = (
        "from pathlib import Path\n"
        "from afterword.core.storage.db import open_database\n"
        f"path = Path({str(data_dir / 'new.sqlite3')!r})\n"
        "open_database(path).close()\n"  # created
        "open_database(path).close()\n"  # opened, up to date
    )
    assert _imports_after(script) == set()


def test_an_upgrade_loads_alembic_for_sqlite_only(at_0001: Path) -> None:
    script = (
        "from pathlib import Path\n"
        "from afterword.core.storage.db import open_database\n"
        f"open_database(Path({str(at_0001)!r})).close()\n"
    )
    assert _imports_after(script) == {"sqlalchemy", "alembic"}
    assert _revision(at_0001) == HEAD_REVISION


# --- the full integrity check: off the opening path, before a migration ----------------------


def test_a_damaged_page_is_found_by_the_full_check_and_writes_are_refused(
    data_dir: Path,
) -> None:
    path = data_dir / "afterword.sqlite3"
    _damaged_page(path)
    before = file_state(path)
    db = open_database(path)  # the cheap checks pass: the schema and version read fine
    try:
        problem = check_file(path)
        assert problem is not None
        db.refuse_writes(damaged_message(path, problem, backups=data_dir / "backups"))
        with pytest.raises(DamagedDatabaseError, match="Restore from backup"):
            create_application(db, ApplicationFields(company="Acme", role="Role"), now=CLOCK)
        assert db.writes_refused is not None
    finally:
        db.close()
    assert file_state(path) == before


def test_a_sound_file_passes_the_full_check(db: Database) -> None:
    assert check_file(db.path) is None


def test_a_damaged_file_is_not_migrated_and_left_untouched(at_0001: Path) -> None:
    db = open_database(at_0001, upgrade_to="0001")
    try:
        for number in range(40):
            _execute(
                at_0001,
                "INSERT INTO contacts (name, email, phone, title, company, linkedin_url, notes,"
                f" cadence_days, created_at) VALUES ('P{number}', '', '', '', '', '',"
                f" '{'n' * 3000}', NULL, '2026-03-01 09:00:00.000000')",
            )
    finally:
        db.close()
    with closing(sqlite3.connect(at_0001)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    middle = at_0001.stat().st_size // 4096 // 2
    _garble(at_0001, middle * 4096, middle * 4096 + 64)
    before = file_state(at_0001)
    with pytest.raises(NotAnAfterwordDatabaseError, match="damaged"):
        open_database(at_0001)
    assert file_state(at_0001) == before
    assert _backups(at_0001) == []
