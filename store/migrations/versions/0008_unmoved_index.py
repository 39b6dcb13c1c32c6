"""a partial index of the messages not yet moved on the server (issue 11)

Each poll cycle asks for the messages recorded but not yet moved. The index on
(moved_at, target_folder) was passed over: SQLite and PostgreSQL took the unique index on
(mailbox, folder, uidvalidity, uid), which matches every message ever handled in the
folder, and checked moved_at row by row, each check reading past the stored message:
an idle cycle grew from 11 to 25 ms between 100 and 10,000 handled messages. An index
holding only the unmoved rows is chosen by both, and stays as small as what is in
flight.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_UNMOVED = sa.text("moved_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("mail_message", schema=None) as batch_op:
        batch_op.drop_index("ix_mail_message_pending_move")
    op.create_index(
        "ix_mail_message_unmoved",
        "mail_message",
        ["mailbox", "folder", "uidvalidity", "uid"],
        unique=False,
        sqlite_where=_UNMOVED,
        postgresql_where=_UNMOVED,
    )


def downgrade() -> None:
    op.drop_index("ix_mail_message_unmoved", table_name="mail_message")
    with op.batch_alter_table("mail_message", schema=None) as batch_op:
        batch_op.create_index(
            "ix_mail_message_pending_move", ["moved_at", "target_folder"], unique=False
        )
