"""provider onboarding checklist: what a new private provider has delivered (process.md)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "provider",
        sa.Column("domain", sa.String(length=253), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("home_care", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("domain"),
    )
    op.create_table(
        "provider_checklist_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_domain", sa.String(length=253), nullable=False),
        sa.Column("item", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("noted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case.id"],
        ),
        sa.ForeignKeyConstraint(
            ["provider_domain"],
            ["provider.domain"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("provider_domain", "item", name="uq_provider_item"),
    )
    with op.batch_alter_table("provider_checklist_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provider_checklist_item_provider_domain"),
            ["provider_domain"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("provider_checklist_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provider_checklist_item_provider_domain"))

    op.drop_table("provider_checklist_item")
    op.drop_table("provider")
