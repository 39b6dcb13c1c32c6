"""register: providers and units with their lifecycle, and every change to them (issue 10)

Today's onboarding checklist, kept per sender domain in ``provider`` and
``provider_checklist_item``, moves into the register: each domain becomes a provider
(named by its form's utförare, else by its domain) and keeps its items and their cases.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "register_provider",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("organisationsnummer", sa.String(length=11), nullable=True),
        sa.Column("domains", sa.JSON(), nullable=False),
        sa.Column("municipal", sa.Boolean(), nullable=False),
        sa.Column("home_care", sa.Boolean(), nullable=False),
        sa.Column("contract_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("options_left", sa.Integer(), nullable=True),
        sa.Column("valbar_decided_on", sa.Date(), nullable=True),
        sa.Column("valbar_decided_by", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("register_provider", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_register_provider_organisationsnummer"),
            ["organisationsnummer"],
            unique=False,
        )
    op.create_table(
        "register_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("earlier_names", sa.JSON(), nullable=False),
        sa.Column("area", sa.String(length=60), nullable=True),
        sa.Column("ansvarskod", sa.String(length=40), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("postnummer", sa.String(length=10), nullable=True),
        sa.Column("ort", sa.String(length=100), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("manager", sa.Text(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("state_from", sa.Date(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("state_case_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["provider_id"], ["register_provider.id"]),
        sa.ForeignKeyConstraint(["state_case_id"], ["case.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("register_unit", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_register_unit_provider_id"), ["provider_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_register_unit_state"), ["state"], unique=False)
    op.create_table(
        "register_checklist_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("noted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"]),
        sa.ForeignKeyConstraint(["provider_id"], ["register_provider.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("provider_id", "item", name="uq_register_checklist_item"),
    )
    with op.batch_alter_table("register_checklist_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_register_checklist_item_provider_id"), ["provider_id"], unique=False
        )
    op.create_table(
        "register_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("step", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("effective", sa.Date(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"]),
        sa.ForeignKeyConstraint(["provider_id"], ["register_provider.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["register_unit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("register_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_register_change_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_register_change_unit_id"), ["unit_id"], unique=False)
        batch_op.create_index("ix_register_change_case_step", ["case_id", "step"], unique=False)

    _move_checklists_into_register()

    with op.batch_alter_table("provider_checklist_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provider_checklist_item_provider_domain"))
    op.drop_table("provider_checklist_item")
    op.drop_table("provider")


_old_provider = sa.table(
    "provider",
    sa.column("domain", sa.String),
    sa.column("name", sa.Text),
    sa.column("home_care", sa.Boolean),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
_old_item = sa.table(
    "provider_checklist_item",
    sa.column("id", sa.Integer),
    sa.column("provider_domain", sa.String),
    sa.column("item", sa.String),
    sa.column("case_id", sa.Integer),
    sa.column("noted_at", sa.DateTime(timezone=True)),
)
_new_provider = sa.table(
    "register_provider",
    sa.column("id", sa.Integer),
    sa.column("name", sa.Text),
    sa.column("domains", sa.JSON),
    sa.column("municipal", sa.Boolean),
    sa.column("home_care", sa.Boolean),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
_new_item = sa.table(
    "register_checklist_item",
    sa.column("provider_id", sa.Integer),
    sa.column("item", sa.String),
    sa.column("case_id", sa.Integer),
    sa.column("noted_at", sa.DateTime(timezone=True)),
)


def _move_checklists_into_register() -> None:
    connection = op.get_bind()
    ids: dict[str, int] = {}
    for number, old in enumerate(connection.execute(sa.select(_old_provider)).all(), start=1):
        connection.execute(
            sa.insert(_new_provider).values(
                id=number,
                name=old.name or old.domain,
                domains=[old.domain],
                municipal=False,
                home_care=old.home_care,
                created_at=old.created_at or dt.datetime.now(dt.UTC),
            )
        )
        ids[old.domain] = number
    if ids and connection.dialect.name == "postgresql":
        connection.execute(
            sa.text("SELECT setval(pg_get_serial_sequence('register_provider', 'id'), :n)"),
            {"n": len(ids)},
        )
    for item in connection.execute(sa.select(_old_item).order_by(_old_item.c.id)).all():
        connection.execute(
            sa.insert(_new_item).values(
                provider_id=ids[item.provider_domain],
                item=item.item,
                case_id=item.case_id,
                noted_at=item.noted_at,
            )
        )


def downgrade() -> None:
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
        sa.ForeignKeyConstraint(["case_id"], ["case.id"]),
        sa.ForeignKeyConstraint(["provider_domain"], ["provider.domain"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("provider_domain", "item", name="uq_provider_item"),
    )
    with op.batch_alter_table("provider_checklist_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provider_checklist_item_provider_domain"),
            ["provider_domain"],
            unique=False,
        )
    # Providers known by a domain go back with their checklists; the rest of the register
    # (organisationsnummer, units, contracts, changes) has no place in the old schema.
    connection = op.get_bind()
    domain_of: dict[int, str] = {}
    for row in connection.execute(sa.select(_new_provider)).all():
        if not row.domains:
            continue
        domain = str(row.domains[0])
        domain_of[row.id] = domain
        connection.execute(
            sa.insert(_old_provider).values(
                domain=domain, name=row.name, home_care=row.home_care, created_at=row.created_at
            )
        )
    for item in connection.execute(sa.select(_new_item)).all():
        if item.provider_id in domain_of:
            connection.execute(
                sa.insert(_old_item).values(
                    provider_domain=domain_of[item.provider_id],
                    item=item.item,
                    case_id=item.case_id,
                    noted_at=item.noted_at,
                )
            )
    op.drop_table("register_change")
    op.drop_table("register_checklist_item")
    op.drop_table("register_unit")
    op.drop_table("register_provider")
