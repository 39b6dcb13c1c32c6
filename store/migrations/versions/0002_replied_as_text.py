"""mail_message.replied holds a Swedish sentence, not a code: make it text

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mail_message") as batch_op:
        batch_op.alter_column(
            "replied", existing_type=sa.String(length=40), type_=sa.Text(), existing_nullable=True
        )


def downgrade() -> None:
    with op.batch_alter_table("mail_message") as batch_op:
        batch_op.alter_column(
            "replied", existing_type=sa.Text(), type_=sa.String(length=40), existing_nullable=True
        )
