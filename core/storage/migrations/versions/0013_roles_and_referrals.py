"""People's roles on an application, who delivered the outcome, and referrals.

Revision ID: 0013
Revises: 0012

- ``participants.role``: recruiter, hiring manager, interviewer (the default,
  as every person listed so far was one), referrer or other.
- ``participants.delivered_outcome``: this person told you the interview's
  outcome; a reply to a rejection goes to them.
- ``touchpoints.kind`` gains ``referral`` and ``touchpoints.referral_outcome``
  says how a referral went (asked, referred, declined, led to an interview).
  SQLite cannot change a CHECK constraint, so ``touchpoints`` is rebuilt (it
  has no triggers since 0006). ``participants`` only gains columns (plain
  ``ADD COLUMN``), which keeps its search triggers.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

_ROLES = ("recruiter", "hiring_manager", "interviewer", "referrer", "other")
_OLD_KINDS = ("email", "linkedin", "call", "letter", "meeting", "replied")
_NEW_KINDS = (*_OLD_KINDS, "referral")
_OUTCOMES = ("asked", "referred", "declined", "interview")


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    roles = ", ".join(f"'{role}'" for role in _ROLES)
    op.execute(
        "ALTER TABLE participants ADD COLUMN role VARCHAR(32) DEFAULT 'interviewer' NOT NULL "
        f"CONSTRAINT participant_role CHECK (role IN ({roles}))"
    )
    op.execute("ALTER TABLE participants ADD COLUMN delivered_outcome BOOLEAN DEFAULT 0 NOT NULL")
    with op.batch_alter_table("touchpoints", recreate="always") as batch_op:
        batch_op.alter_column(
            "kind",
            existing_type=_enum(_OLD_KINDS, "touchpoint_kind"),
            type_=_enum(_NEW_KINDS, "touchpoint_kind"),
            existing_nullable=False,
        )
        batch_op.add_column(
            sa.Column("referral_outcome", _enum(_OUTCOMES, "referral_outcome"), nullable=True)
        )


def downgrade() -> None:
    op.execute("DELETE FROM touchpoints WHERE kind = 'referral'")
    with op.batch_alter_table("touchpoints", recreate="always") as batch_op:
        batch_op.drop_constraint("referral_outcome", type_="check")
        batch_op.drop_column("referral_outcome")
        batch_op.alter_column(
            "kind",
            existing_type=_enum(_NEW_KINDS, "touchpoint_kind"),
            type_=_enum(_OLD_KINDS, "touchpoint_kind"),
            existing_nullable=False,
        )
    op.execute("ALTER TABLE participants DROP COLUMN delivered_outcome")
    op.execute("ALTER TABLE participants DROP COLUMN role")
