"""Calendar invites, calendar export and imports: the columns and the table they need.

Revision ID: 0010
Revises: 0009

Interviews keep the invite they came from (its UID and SEQUENCE, so an update
changes the same interview), whether it was cancelled, and its video link.
Applications keep what a job posting said (location, salary, date posted,
description), because postings vanish from the web. ``calendar_sequences``
remembers, per exported UID, what was last written and its SEQUENCE, so a
calendar app sees a changed event as an update, not as a new one.

Only columns are added (ALTER TABLE ADD COLUMN): no table is rebuilt, so the
change-count triggers of 0005 stay in place.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "interviews",
        sa.Column("ical_uid", sa.String(length=1000), nullable=False, server_default=""),
    )
    op.add_column(
        "interviews",
        sa.Column("ical_sequence", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column(
        "interviews",
        sa.Column("cancelled", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "interviews",
        sa.Column("video_link", sa.String(length=2000), nullable=False, server_default=""),
    )
    op.create_index("ix_interviews_ical_uid", "interviews", ["ical_uid"])
    for name, column_type in (
        ("location", sa.String(length=200)),
        ("salary", sa.String(length=200)),
        ("description", sa.Text()),
    ):
        op.add_column(
            "applications",
            sa.Column(name, column_type, nullable=False, server_default=""),
        )
    op.add_column("applications", sa.Column("date_posted", sa.Date(), nullable=True))
    op.create_table(
        "calendar_sequences",
        sa.Column("uid", sa.String(length=1000), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("uid", name=op.f("pk_calendar_sequences")),
    )


def downgrade() -> None:
    op.drop_table("calendar_sequences")
    op.drop_index("ix_interviews_ical_uid", table_name="interviews")
    for table, names in (
        ("applications", ("date_posted", "description", "salary", "location")),
        ("interviews", ("video_link", "cancelled", "ical_sequence", "ical_uid")),
    ):
        for name in names:
            op.drop_column(table, name)
