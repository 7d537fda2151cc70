"""Checklist items kept, not recomputed: the kept items, what they were made for, recent changes.

Revision ID: 0006
Revises: 0005

The checklist's keeper (``afterword.core.checklist.keeper``) replaces the
rows of exactly the subjects each write changed, in that write's
transaction; the per-table change counters of 0005 (and their triggers) are
no longer read and go. The table is filled from the rules by the first
write after the upgrade, or ``afterword.core.checklist.service.make_kept``,
for the user's time zone and the current year (no ``checklist_kept`` row
means "not made yet"; until then Today is worked out from the rules): an
upgrade imports only what Alembic needs for SQLite, not the ORM the rules'
loading uses, and only a reader knows the user's zone.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
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
    for table in COUNTED_TABLES:
        for event in _EVENTS:
            op.execute(f"DROP TRIGGER IF EXISTS count_{event}_{table}")
    op.drop_table("change_counts")
    op.create_table(
        "checklist_items",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("interview_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("overdue_at", sa.DateTime(), nullable=False),
        sa.Column("snoozed_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_checklist_items")),
    )
    for column in ("application_id", "interview_id", "contact_id", "due_at"):
        op.create_index(
            op.f(f"ix_checklist_items_{column}"), "checklist_items", [column], unique=False
        )
    op.create_index(
        "ix_checklist_items_rule_subject", "checklist_items", ["rule", "subject_id"], unique=False
    )
    op.create_table(
        "checklist_kept",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rules_version", sa.Integer(), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("built", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_kept")),
    )
    op.create_table(
        "checklist_changes",
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "generation", "rule", "subject_id", name=op.f("pk_checklist_changes")
        ),
    )


def downgrade() -> None:
    op.drop_table("checklist_changes")
    op.drop_table("checklist_kept")
    op.drop_index("ix_checklist_items_rule_subject", table_name="checklist_items")
    for column in ("application_id", "interview_id", "contact_id", "due_at"):
        op.drop_index(op.f(f"ix_checklist_items_{column}"), table_name="checklist_items")
    op.drop_table("checklist_items")
    op.create_table(
        "change_counts",
        sa.Column("table_name", sa.String(length=50), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", name=op.f("pk_change_counts")),
    )
    for table in COUNTED_TABLES:
        op.execute(f"INSERT INTO change_counts (table_name, changes) VALUES ('{table}', 0)")
        for event in _EVENTS:
            op.execute(
                f"CREATE TRIGGER count_{event}_{table} AFTER {event.upper()} ON {table} "
                f"BEGIN UPDATE change_counts SET changes = changes + 1 "
                f"WHERE table_name = '{table}'; END"
            )
