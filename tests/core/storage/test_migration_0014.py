"""Migration 0014: what a reply to a rejection asks for, on its message and its touchpoint;
upgraded from 0013 with rows intact (reading NULL: as before), and back down again."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from afterword.core.checklist import service
from afterword.core.checklist.items import ItemKind, ItemState
from afterword.core.storage.db import open_database
from tests.core.storage.helpers import downgrade

ROWS_AT_0013 = (
    "INSERT INTO applications (id, company, role, posting_url, status, why_interested, "
    "next_steps, still_interested, notes, created_at, updated_at, decided_at) VALUES "
    "(1, 'Acme', 'Engineer', '', 'rejected', '', '', 1, '', '2026-03-01', '2026-03-09', "
    "'2026-03-09 09:00:00')",
    "INSERT INTO contacts (id, name, email, phone, title, company, linkedin_url, notes, "
    "created_at) VALUES (1, 'Ana Ruiz', 'ana@acme.example', '', '', 'Acme', '', '', "
    "'2026-03-01')",
    "INSERT INTO messages (id, contact_id, application_id, purpose, to_name, to_address, "
    "subject, body, bcc_self, status, message_id_header, error, warning, created_at, "
    "updated_at, sent_at) VALUES (1, 1, 1, 'rejection_reply', 'Ana Ruiz', 'ana@acme.example', "
    "'Thank you', 'Dear Ana', 0, 'sent', '', '', '', '2026-03-10', '2026-03-10', '2026-03-10')",
    "INSERT INTO touchpoints (id, contact_id, application_id, kind, purpose, occurred_at, "
    "note, message_id) VALUES (1, 1, 1, 'email', 'rejection_reply', '2026-03-10 09:00:00', "
    "'Thank you', 1)",
)


def test_0014_upgrades_with_rows_intact_and_downgrades_again(data_dir: Path, now: datetime) -> None:
    path = data_dir / "afterword.sqlite3"
    open_database(path, upgrade_to="0013").close()
    with sqlite3.connect(path) as connection:
        for statement in ROWS_AT_0013:
            connection.execute(statement)

    db = open_database(path)
    try:
        # A reply sent before 0014 says nothing about what it asked: it covers all three.
        items = service.checklist_for_application(db, 1, now)
        replies = {ItemKind.ASK_FEEDBACK, ItemKind.SAY_STILL_INTERESTED, ItemKind.ASK_REFERRAL}
        assert {i.kind: i.state for i in items if i.kind in replies} == dict.fromkeys(
            replies, ItemState.DONE
        )
    finally:
        db.close()
    with sqlite3.connect(path) as connection:
        for table in ("messages", "touchpoints"):
            assert connection.execute(f"SELECT id, requests FROM {table}").fetchall() == [(1, None)]
        connection.execute("UPDATE messages SET requests = 'feedback referral'")
        connection.execute("UPDATE touchpoints SET requests = 'feedback referral'")

    downgrade(path, "0013")
    with sqlite3.connect(path) as connection:
        for table in ("messages", "touchpoints"):
            columns = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
            assert "requests" not in columns
        assert connection.execute("SELECT note, message_id FROM touchpoints").fetchall() == [
            ("Thank you", 1)
        ]
        assert connection.execute("SELECT subject, status FROM messages").fetchall() == [
            ("Thank you", "sent")
        ]
