"""What a reply to a rejection asks for, kept with the draft and with the touchpoint.

Revision ID: 0014
Revises: 0013

- ``messages.requests``: the requests ticked when the reply was drafted
  (feedback, still interested, referral, staying in touch), as sorted words
  separated by spaces; NULL for every other note.
- ``touchpoints.requests``: copied from the message when the reply is sent,
  so the checklist ticks off only the reply items it asked for; NULL (a
  touchpoint logged by hand, or any recorded before this revision) covers
  them all, as before.

Both are plain ``ADD COLUMN``: the tables keep their triggers, and every
existing row reads NULL, which means what it meant before.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

_TABLES = ("messages", "touchpoints")


def upgrade() -> None:
    for table in _TABLES:
        op.execute(f"ALTER TABLE {table} ADD COLUMN requests VARCHAR(200)")


def downgrade() -> None:
    for table in reversed(_TABLES):
        op.execute(f"ALTER TABLE {table} DROP COLUMN requests")
