"""Indexes for the Today list: thank-you notes, touchpoints by person and by application.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("touchpoints", schema=None) as batch_op:
        # Only the notes that make a thank-you done, in (interview, person)
        # order: the checklist merges this with the participants' own index.
        batch_op.create_index(
            "ix_touchpoints_thank_you_notes",
            ["interview_id", "contact_id", "purpose", "kind"],
            unique=False,
            sqlite_where=sa.text("purpose = 'thank_you' AND kind IN ('email', 'letter')"),
        )
        # A person's last touchpoint, and their LinkedIn touchpoints after a date.
        batch_op.create_index(
            "ix_touchpoints_contact_id_occurred_at",
            ["contact_id", "occurred_at", "kind"],
            unique=False,
        )
        # An application's follow-ups and rejection replies, by date.
        batch_op.create_index(
            "ix_touchpoints_application_id_purpose",
            ["application_id", "purpose", "occurred_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("touchpoints", schema=None) as batch_op:
        batch_op.drop_index("ix_touchpoints_application_id_purpose")
        batch_op.drop_index("ix_touchpoints_contact_id_occurred_at")
        batch_op.drop_index("ix_touchpoints_thank_you_notes")
