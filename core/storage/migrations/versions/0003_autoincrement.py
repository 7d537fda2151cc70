"""Ids of applications, interviews and contacts are never reused (AUTOINCREMENT).

Undo puts deleted rows back under their old ids, and checklist keys name ids,
so a new row must never get the id of a deleted one.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

TABLES = ("applications", "interviews", "contacts")


def upgrade() -> None:
    # Rebuilding a parent table is safe: afterword.core.storage.db runs
    # migrations with foreign keys off.
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, recreate="always"):
            pass
