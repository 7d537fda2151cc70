"""Per-table change counters kept by triggers, so the checklist can tell a mark from other writes.

Revision ID: 0005
Revises: 0004

Every insert, update or delete on a table the checklist reads adds one to
that table's row in ``change_counts``, whichever connection or program
writes. The SQL is written out here rather than imported: a migration must
keep doing what it did when later code changes.

A batch migration that rebuilds one of these tables (copy, drop, rename)
drops its triggers with the original: such a migration must create them
again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

COUNTED_TABLES = (
    "applications",
    "interviews",
    "participants",
    "contacts",
    "touchpoints",
    "checklist_states",
    "settings",
)
_EVENTS = ("insert", "update", "delete")


def upgrade() -> None:
    op.create_table(
        "change_counts",
        sa.Column("table_name", sa.String(length=50), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", name=op.f("pk_change_counts")),
    )
    for table in COUNTED_TABLES:
        op.execute(f"INSERT INTO change_counts (table_name, changes) VALUES ('{table}', 0)")
        for event in _EVENTS:
            # FOR EACH ROW is the only kind SQLite has: a statement that
            # changes 100 rows adds 100, which is as good as adding 1.
            op.execute(
                f"CREATE TRIGGER count_{event}_{table} AFTER {event.upper()} ON {table} "
                f"BEGIN UPDATE change_counts SET changes = changes + 1 "
                f"WHERE table_name = '{table}'; END"
            )


def downgrade() -> None:
    for table in COUNTED_TABLES:
        for event in _EVENTS:
            op.execute(f"DROP TRIGGER count_{event}_{table}")
    op.drop_table("change_counts")
