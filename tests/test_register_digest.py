"""EKU's questions of the register, in the digest and `lovbot register show` (issue 10)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from local_intake import local_settings
from sqlalchemy.orm import Session

from intake.register_commands import register_summary
from store.digest import DigestData, collect_digest
from store.models import Provider, ProviderChecklistItem, Unit

NOW = dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)


def _digest(session: Session, today: dt.date) -> DigestData:
    return collect_digest(
        session,
        now=dt.datetime.combine(today, dt.time(8), tzinfo=dt.UTC),
        today=today,
        awaiting_days=5,
        poll_stale_minutes=60,
        system_names={},
        contract_lead_days=92,
        full_days=30,
    )


def _register(sessions: Callable[[], Session]) -> None:
    with sessions() as session, session.begin():
        omsorg = Provider(
            name="Omsorgsgruppen AB",
            organisationsnummer="556677-8899",
            domains=["omsorgsgruppen.se"],
            contract_start=dt.date(2025, 7, 1),
            period_end=dt.date(2027, 6, 30),
            options_left=2,
            valbar_decided_on=dt.date(2025, 8, 1),
        )
        aktiv = Provider(name="Daglig Aktiv AB", domains=["dagligaktiv.se"])
        aktiv.items.append(ProviderChecklistItem(item="uppstartsmote"))
        session.add_all([omsorg, aktiv])
        session.flush()
        session.add_all(
            [
                Unit(
                    name="DV Lyktan",
                    provider_id=omsorg.id,
                    state="full",
                    state_from=dt.date(2027, 1, 10),
                    capacity=12,
                    earlier_names=[],
                ),
                Unit(
                    name="Hemtjänst Hovås", provider_id=omsorg.id, state="valbar", earlier_names=[]
                ),
                Unit(
                    name="DV Aktiva",
                    provider_id=aktiv.id,
                    state="planned",
                    starts_on=dt.date(2027, 3, 10),
                    earlier_names=[],
                ),
            ]
        )


@pytest.mark.parametrize(
    ("today", "contract"),
    [
        (dt.date(2027, 3, 29), None),  # 93 days before the period ends: not yet
        (dt.date(2027, 3, 30), "besked om förlängning senast 2027-03-30"),
        (
            dt.date(2027, 3, 31),
            "sista dag för besked om förlängning var 2027-03-30 och har passerat",
        ),
        (dt.date(2027, 7, 1), None),  # the period has ended
    ],
)
def test_contract_warnings_come_on_the_right_days(
    sessions: Callable[[], Session], today: dt.date, contract: str | None
) -> None:
    _register(sessions)
    with sessions() as session:
        reasons = [
            i.reason for i in _digest(session, today).register if i.unit == "Omsorgsgruppen AB"
        ]
    assert reasons == (
        []
        if contract is None
        else [f"avtalsperioden slutar 2027-06-30; {contract} (2 förlängningar kvar)"]
    )


def test_the_digest_names_units_changing_soon_and_full_for_long(
    sessions: Callable[[], Session],
) -> None:
    _register(sessions)
    with sessions() as session:
        early = {(i.unit, i.reason) for i in _digest(session, dt.date(2027, 2, 5)).register}
        later = {(i.unit, i.reason) for i in _digest(session, dt.date(2027, 3, 1)).register}
    assert early == set()  # Lyktan full 26 days; Aktiva starts in more than 14 days
    assert later == {
        ("DV Aktiva", "start 2027-03-10, men utföraren väntar på EKU:s beslut om valbarhet"),
        ("DV Lyktan", "full sedan 2027-01-10 (50 dagar)"),
    }


def test_register_show_answers_ekus_questions(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    _register(sessions)
    settings = local_settings(tmp_path, db_url)
    with sessions() as session:
        text = "\n".join(register_summary(session, settings, dt.date(2027, 4, 1)))
    assert "Valbara enheter i dag (1):\n  Hemtjänst Hovås (Omsorgsgruppen AB)" in text
    assert (
        "Fulla enheter (1):\n  DV Lyktan (Omsorgsgruppen AB) sedan 2027-01-10, kapacitetstak 12"
        in text
    )
    assert "Utförare som saknar försäkringsbrev:\n  Daglig Aktiv AB (dagligaktiv.se)\nAvtal" in text
    assert "Omsorgsgruppen AB: perioden slutar 2027-06-30, besked senast 2027-03-30" in text
    assert "har passerat" in text


def test_the_digest_names_what_a_case_asked_that_the_register_could_not_do(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    from local_intake import poll_local
    from mails import build_mail

    from intake.digest_job import print_digest
    from intake.register_commands import register_apply

    settings = local_settings(tmp_path, db_url)
    poll_local(
        settings,
        sessions,
        build_mail(
            "Daglig verksamhet Okänd upphör. Sista dag är 2027-06-30.",
            date=dt.datetime(2027, 3, 1, tzinfo=dt.UTC),
        ),
    )
    assert "registret ändrades inte" not in print_digest(settings, sessions)
    register_apply(settings, sessions, now=dt.datetime(2027, 7, 1, 9, tzinfo=dt.UTC))
    digest = print_digest(settings, sessions)
    assert "Registret: enheter och avtal (1)" in digest
    assert (
        "Daglig verksamhet Okänd | registret ändrades inte: enheten Daglig verksamhet Okänd "
        "finns inte i registret; inget ändrat"
    ) in digest


def test_register_show_masks_a_sole_traders_number(
    tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sole trader's organisationsnummer is a personnummer: never printed whole."""
    from intake import register_commands

    settings = local_settings(tmp_path, db_url)
    monkeypatch.setattr(
        register_commands,
        "register_summary",
        lambda *_a, **_k: [
            "Utförare som saknar försäkringsbrev:",
            "  Pers Assistans (121212-1212)",
        ],
    )

    assert register_commands.register_show(settings, history=False) == 0

    out = capsys.readouterr().out
    assert "121212-****" in out and "1212)" not in out
