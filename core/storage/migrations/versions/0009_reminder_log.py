"""The reminders' notified-once log: one row per notification event already shown.

Revision ID: 0009
Revises: 0007 (for merging: 0008)

A row's key names the event and the state it was about (for example
``overdue:thank_you:i12:c5:20260312T1600``), so an item is notified at most
once per change of state, whichever process showed it. The morning digest
records its day here too (``digest:2026-03-11``), which is what makes it
at most once a day across two running copies.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reminder_log",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("notified_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_reminder_log")),
    )


def downgrade() -> None:
    op.drop_table("reminder_log")
