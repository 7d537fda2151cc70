"""Built-in templates come in variants: a panel, a phone screen, after a rejection...

Revision ID: 0012
Revises: 0011

``templates.variant`` names which shipped text a built-in template is ("" for
the main one of its purpose); the new variants are copied in at start-up like
every built-in template.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("templates", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("variant", sa.String(length=32), nullable=False, server_default="")
        )


def downgrade() -> None:
    # Variants other than the main one would clash with it once the column is gone.
    op.execute("DELETE FROM templates WHERE builtin AND variant != ''")
    with op.batch_alter_table("templates", schema=None) as batch_op:
        batch_op.drop_column("variant")
