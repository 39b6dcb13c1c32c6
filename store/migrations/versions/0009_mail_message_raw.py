"""mail_message_raw: a message's bytes in a table of their own, written in slices

The bytes of each message not yet removed by gallring move from ``mail_message.raw`` to
``mail_message_raw``; the column goes. The downgrade puts them back (removed ones as
``b""``, as gallring left them before).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mail_message_raw",
        sa.Column("message_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),  # the last column (store/raw.py)
        sa.ForeignKeyConstraint(["message_id"], ["mail_message.id"]),
        sa.PrimaryKeyConstraint("message_id"),
    )
    op.execute(
        "INSERT INTO mail_message_raw (message_id, raw) "
        "SELECT id, raw FROM mail_message WHERE purged_at IS NULL"
    )
    # In place, not by copy and rename: with foreign keys on, SQLite refuses to drop the
    # old mail_message while mail_message_raw's rows point at it. SQLite drops a column
    # in place since 3.35.
    with op.batch_alter_table("mail_message", recreate="never") as batch_op:
        batch_op.drop_column("raw")


def downgrade() -> None:
    with op.batch_alter_table("mail_message", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("raw", sa.LargeBinary(), nullable=True))
    op.execute(
        "UPDATE mail_message SET raw = "
        "(SELECT r.raw FROM mail_message_raw r WHERE r.message_id = mail_message.id)"
    )
    mail_message = sa.table("mail_message", sa.column("raw", sa.LargeBinary()))
    op.execute(mail_message.update().where(mail_message.c.raw.is_(None)).values(raw=b""))
    op.drop_table("mail_message_raw")
    # Nothing points at mail_message any more: SQLite may copy and rename it now.
    with op.batch_alter_table("mail_message") as batch_op:
        batch_op.alter_column("raw", existing_type=sa.LargeBinary(), nullable=False)
