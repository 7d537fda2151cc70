"""Mail with the big providers: OAuth sign-in, a copy in Sent, replies noticed, warnings.

Revision ID: 0011
Revises: 0010

- ``mail_accounts.sign_in``: the password, or OAuth with Microsoft or Google.
- ``mail_accounts`` learns its IMAP server (empty: the provider's, if known),
  the Sent folder chosen by hand (empty: found by special use or name), and
  whether to look for replies (opt-in) and when it last looked.
- ``messages.warning``: something that went wrong after a message was sent
  (its copy could not be filed in Sent); shown in the Outbox, never a resend.
- ``touchpoints.kind`` gains ``replied``: a reply from the person, noticed in
  the inbox. SQLite cannot change a CHECK constraint, so the table is
  rebuilt. (0006 dropped 0005's change-count triggers: the rebuild has none
  to create again.)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

_OLD_KINDS = ("email", "linkedin", "call", "letter", "meeting")
_NEW_KINDS = (*_OLD_KINDS, "replied")


def _kind(values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(
        *values, name="touchpoint_kind", native_enum=False, create_constraint=True, length=32
    )


def _security() -> sa.Enum:
    return sa.Enum(
        "ssl", "starttls", "none", name="imap_security", native_enum=False, create_constraint=True,
        length=32,
    )  # fmt: skip


def _sign_in() -> sa.Enum:
    return sa.Enum(
        "password", "microsoft", "google", name="sign_in", native_enum=False,
        create_constraint=True, length=32,
    )  # fmt: skip


def _rebuild_touchpoints(old: tuple[str, ...], new: tuple[str, ...]) -> None:
    with op.batch_alter_table("touchpoints", recreate="always") as batch_op:
        batch_op.alter_column(
            "kind", existing_type=_kind(old), type_=_kind(new), existing_nullable=False
        )


def upgrade() -> None:
    with op.batch_alter_table("mail_accounts", recreate="always") as batch_op:
        batch_op.add_column(
            sa.Column("sign_in", _sign_in(), nullable=False, server_default="password")
        )
        batch_op.add_column(
            sa.Column("imap_host", sa.String(length=255), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("imap_port", sa.Integer(), nullable=False, server_default="993")
        )
        batch_op.add_column(
            sa.Column("imap_security", _security(), nullable=False, server_default="ssl")
        )
        batch_op.add_column(
            sa.Column("sent_folder", sa.String(length=255), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("watch_replies", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("replies_checked_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("messages") as batch_op:
        batch_op.add_column(sa.Column("warning", sa.Text(), nullable=False, server_default=""))
    _rebuild_touchpoints(_OLD_KINDS, _NEW_KINDS)


def downgrade() -> None:
    op.execute("DELETE FROM touchpoints WHERE kind = 'replied'")
    _rebuild_touchpoints(_NEW_KINDS, _OLD_KINDS)
    with op.batch_alter_table("messages") as batch_op:
        batch_op.drop_column("warning")
    with op.batch_alter_table("mail_accounts", recreate="always") as batch_op:
        for column in (
            "replies_checked_at",
            "watch_replies",
            "sent_folder",
            "imap_security",
            "imap_port",
            "imap_host",
            "sign_in",
        ):
            batch_op.drop_column(column)
