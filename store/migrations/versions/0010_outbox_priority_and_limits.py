"""outgoing_mail: partial indexes of the pending mail and of pending orders; sent_at

Claims looked for the next due mail by reading the table in id order: past every mail
already sent, and on SQLite past each one's stored bytes (state comes after raw), so
claims slowed as a backlog went out (a 10,000-notice backlog's last 11,000 mails took
55 s). ix_outgoing_mail_pending holds only the pending rows. Orders and digests are
claimed before acknowledgements (store.repository.claim_outgoing):
ix_outgoing_mail_urgent holds only the pending ones, so finding them never reads through
a backlog of thousands of pending acknowledgements. ``sent_at`` is indexed for the sending
limits ([smtp] max_per_minute and max_per_day, outbox/limits.py), which count the mail
sent in the last minute and the last 24 hours before each claim.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_PENDING = sa.text("state = 'pending'")
_URGENT = sa.text("state = 'pending' AND purpose <> 'ack'")


def upgrade() -> None:
    op.create_index(
        "ix_outgoing_mail_pending",
        "outgoing_mail",
        ["id"],
        unique=False,
        sqlite_where=_PENDING,
        postgresql_where=_PENDING,
    )
    op.create_index(
        "ix_outgoing_mail_urgent",
        "outgoing_mail",
        ["id"],
        unique=False,
        sqlite_where=_URGENT,
        postgresql_where=_URGENT,
    )
    op.create_index("ix_outgoing_mail_sent_at", "outgoing_mail", ["sent_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_outgoing_mail_sent_at", table_name="outgoing_mail")
    op.drop_index("ix_outgoing_mail_urgent", table_name="outgoing_mail")
    op.drop_index("ix_outgoing_mail_pending", table_name="outgoing_mail")
