"""Indexed search: FTS5 trigram tables over folded text, a queue kept by triggers.

Revision ID: 0007
Revises: 0006

See :mod:`afterword.core.storage.search_index` for what the index holds.
The triggers only queue ids (plain SQL, so every writer and every ON DELETE
CASCADE keeps the queue right); the database layer indexes the queued rows
again in Python before each write commits, because folding ("Straße" to
"strasse") needs Unicode tables SQLite does not have. The trigger SQL is
written out here rather than imported: a migration must keep doing what it
did when later code changes. Building the index for existing rows uses the
current :func:`~afterword.core.storage.search_index.refresh`, which is what
"index these rows again" means at any later revision too.
"""

from collections.abc import Sequence

from alembic import op

from afterword.core.storage import search_index

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

_APPLICATION_OF_INTERVIEW = "(SELECT application_id FROM interviews WHERE id = {row}.interview_id)"
_APPLICATIONS_OF_CONTACT = (
    "SELECT 'a', i.application_id FROM participants p JOIN interviews i ON i.id = p.interview_id"
    " WHERE p.contact_id = {row}.id"
)
# (trigger name, event, table, body statements)
_TRIGGERS = (
    ("search_insert_application", "INSERT", "applications", ["VALUES ('a', NEW.id)"]),
    (
        "search_update_application",
        "UPDATE OF company, role, notes",
        "applications",
        ["VALUES ('a', NEW.id)"],
    ),
    ("search_delete_application", "DELETE", "applications", ["VALUES ('a', OLD.id)"]),
    ("search_insert_contact", "INSERT", "contacts", ["VALUES ('c', NEW.id)"]),
    (
        "search_update_contact",
        "UPDATE OF name, email, company, title, notes",
        "contacts",
        ["VALUES ('c', NEW.id)", _APPLICATIONS_OF_CONTACT.format(row="NEW")],
    ),
    ("search_delete_contact", "DELETE", "contacts", ["VALUES ('c', OLD.id)"]),
    (
        "search_insert_interview",
        "INSERT",
        "interviews",
        ["VALUES ('a', NEW.application_id)"],
    ),
    (
        "search_update_interview",
        "UPDATE OF application_id, notes",
        "interviews",
        ["VALUES ('a', OLD.application_id)", "VALUES ('a', NEW.application_id)"],
    ),
    ("search_delete_interview", "DELETE", "interviews", ["VALUES ('a', OLD.application_id)"]),
    (
        "search_insert_participant",
        "INSERT",
        "participants",
        [f"SELECT 'a', {_APPLICATION_OF_INTERVIEW.format(row='NEW')}"],
    ),
    (
        "search_update_participant",
        "UPDATE",
        "participants",
        [
            f"SELECT 'a', {_APPLICATION_OF_INTERVIEW.format(row='OLD')}",
            f"SELECT 'a', {_APPLICATION_OF_INTERVIEW.format(row='NEW')}",
        ],
    ),
    (
        # With the interview already gone (a cascade from deleting it or its
        # application), the sub-select finds nothing: those deletes queue
        # the application themselves.
        "search_delete_participant",
        "DELETE",
        "participants",
        [
            f"SELECT 'a', {_APPLICATION_OF_INTERVIEW.format(row='OLD')} WHERE EXISTS "
            "(SELECT 1 FROM interviews WHERE id = OLD.interview_id)"
        ],
    ),
)


def upgrade() -> None:
    op.execute(
        "CREATE TABLE search_queue (kind TEXT NOT NULL, id INTEGER NOT NULL,"
        " PRIMARY KEY (kind, id)) WITHOUT ROWID"
    )
    for index in ("application_search", "contact_search"):
        op.execute(
            f"CREATE VIRTUAL TABLE {index} USING fts5(key, notes,"
            " tokenize='trigram case_sensitive 1')"
        )
    for name, event, table, rows in _TRIGGERS:
        body = " ".join(f"INSERT OR IGNORE INTO search_queue (kind, id) {row};" for row in rows)
        op.execute(f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {body} END")
    connection = op.get_bind().connection.driver_connection
    search_index.queue_everything(connection)
    search_index.refresh(connection)


def downgrade() -> None:
    for name, *_rest in _TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    op.execute("DROP TABLE application_search")
    op.execute("DROP TABLE contact_search")
    op.execute("DROP TABLE search_queue")
