"""Migration 0013: roles and who delivered the outcome on participants, referrals as
touchpoints; upgraded from 0012 with rows intact, and back down again."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from afterword.core.storage.db import open_database
from tests.core.storage.helpers import downgrade

ROWS_AT_0012 = (
    "INSERT INTO applications (id, company, role, posting_url, status, why_interested, "
    "next_steps, still_interested, notes, created_at, updated_at) VALUES "
    "(1, 'Acme', 'Engineer', '', 'interviewing', '', '', 1, '', '2026-03-01', '2026-03-01')",
    "INSERT INTO interviews (id, application_id, round_name, starts_at, timezone, "
    "duration_minutes, format, location, notes) VALUES "
    "(1, 1, '', '2026-03-02 10:00:00', 'UTC', 60, 'video', '', '')",
    "INSERT INTO contacts (id, name, email, phone, title, company, linkedin_url, notes, "
    "created_at) VALUES (1, 'Ana Ruiz', '', '', '', 'Acme', '', '', '2026-03-01')",
    "INSERT INTO participants (id, interview_id, contact_id, notes) VALUES (1, 1, 1, 'Kind.')",
    "INSERT INTO touchpoints (id, contact_id, kind, purpose, occurred_at, note) VALUES "
    "(1, 1, 'replied', 'other', '2026-03-03 09:00:00', 'Thanks!')",
)


def test_0013_upgrades_with_rows_intact_and_downgrades_again(data_dir: Path) -> None:
    path = data_dir / "afterword.sqlite3"
    open_database(path, upgrade_to="0012").close()
    with sqlite3.connect(path) as connection:
        for statement in ROWS_AT_0012:
            connection.execute(statement)

    open_database(path).close()
    with sqlite3.connect(path) as connection:
        assert connection.execute(
            "SELECT notes, role, delivered_outcome FROM participants"
        ).fetchall() == [("Kind.", "interviewer", 0)]
        connection.execute(
            "INSERT INTO touchpoints (contact_id, kind, purpose, occurred_at, note, "
            "referral_outcome) VALUES (1, 'referral', 'other', '2026-03-04', '', 'referred')"
        )
        triggers = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        assert "search_insert_participant" in triggers  # adding columns kept them

    downgrade(path, "0012")
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT * FROM participants").fetchall() == [(1, 1, 1, "Kind.")]
        # Referrals cannot be stored at 0012; the other touchpoints stay.
        assert connection.execute("SELECT kind, note FROM touchpoints").fetchall() == [
            ("replied", "Thanks!")
        ]
