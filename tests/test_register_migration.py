"""Migration 0007 moves today's per-domain onboarding checklist into the register."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import Engine, text

from store.db import _alembic_config, make_sessionmaker, upgrade
from store.register import provider_for_domain


def test_checklists_kept_per_domain_become_register_providers(engine: Engine) -> None:
    config = _alembic_config(engine)
    command.downgrade(config, "0005")
    noted = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO provider (domain, name, home_care, created_at) VALUES "
                "('dagligaktiv.se', NULL, false, :at), ('lindomsorg.se', 'Lind Omsorg AB', true, :at)"
            ),
            {"at": noted},
        )
        connection.execute(
            text(
                "INSERT INTO provider_checklist_item (provider_domain, item, case_id, noted_at) "
                "VALUES ('dagligaktiv.se', 'forsakringsbrev', NULL, :at), "
                "('lindomsorg.se', 'uppstartsmote', NULL, :at), "
                "('lindomsorg.se', 'matleverans', NULL, :at)"
            ),
            {"at": noted},
        )
    upgrade(engine)
    with make_sessionmaker(engine)() as session:
        aktiv = provider_for_domain(session, "dagligaktiv.se")
        lind = provider_for_domain(session, "lindomsorg.se")
        assert aktiv is not None and lind is not None
        assert aktiv.name == "dagligaktiv.se" and not aktiv.home_care
        assert lind.name == "Lind Omsorg AB" and lind.home_care
        assert [i.item for i in aktiv.items] == ["forsakringsbrev"]
        assert sorted(i.item for i in lind.items) == ["matleverans", "uppstartsmote"]
        assert aktiv.items[0].noted_at == noted
    with engine.begin() as connection:
        # New providers get ids after the moved ones (PostgreSQL's sequence was moved on).
        connection.execute(
            text(
                "INSERT INTO register_provider (name, domains, municipal, home_care, created_at)"
                " VALUES ('Ny AB', '[]', false, false, :at)"
            ),
            {"at": noted},
        )


def test_downgrade_gives_the_checklists_back_per_domain(engine: Engine) -> None:
    from store.models import Provider, ProviderChecklistItem, Unit

    sessions = make_sessionmaker(engine)
    with sessions() as session, session.begin():
        provider = Provider(name="Daglig Aktiv AB", domains=["dagligaktiv.se"])
        provider.items.append(ProviderChecklistItem(item="forsakringsbrev"))
        session.add(provider)
        session.flush()
        session.add(Unit(name="DV Aktiva", provider_id=provider.id, state="planned"))
    command.downgrade(_alembic_config(engine), "0005")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT domain, name FROM provider")).all() == [
            ("dagligaktiv.se", "Daglig Aktiv AB")
        ]
        assert connection.execute(
            text("SELECT provider_domain, item FROM provider_checklist_item")
        ).all() == [("dagligaktiv.se", "forsakringsbrev")]
    upgrade(engine)
    with sessions() as session:
        again = provider_for_domain(session, "dagligaktiv.se")
        assert again is not None and [i.item for i in again.items] == ["forsakringsbrev"]
