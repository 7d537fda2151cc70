"""A version number on the rows people edit in forms, for optimistic concurrency.

Revision ID: 0008
Revises: 0007

Every update of an application, contact or interview adds one to its
``version``; an edit made from a form that read an older version is refused
instead of silently overwriting what changed meanwhile. ``ADD COLUMN`` with a
constant default keeps existing rows (at version 1) and the tables' triggers.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

VERSIONED_TABLES = ("applications", "contacts", "interviews")


def upgrade() -> None:
    for table in VERSIONED_TABLES:
        op.add_column(
            table,
            sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")),
        )


def downgrade() -> None:
    for table in VERSIONED_TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("version")
