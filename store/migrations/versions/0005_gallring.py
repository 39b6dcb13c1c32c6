"""gallring: when a raw message or outgoing mail was removed after its retention period

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("mail_message", "outgoing_mail"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    for table in ("outgoing_mail", "mail_message"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("purged_at")
