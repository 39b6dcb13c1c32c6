"""The register helps reading: known unit names, ``unknown_unit`` and ``unit_exists``."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from local_intake import local_settings, poll_local
from mails import build_mail
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_cli import LOVBOT

from parsers.understand import Understanding
from rules.evaluate import evaluate
from rules.register import KnownUnit, RegisterSnapshot, match_unit, register_findings
from rules.senders import SenderPolicy
from store.models import Case, Task, Unit

SNAPSHOT = RegisterSnapshot(
    (
        KnownUnit("Daglig verksamhet Björkängen"),
        KnownUnit("Daglig verksamhet Eriksbo 1"),
        KnownUnit("Hemtjänst Majorna", earlier_names=("Hemtjänstgruppen Linné",)),
        KnownUnit("DV Lyktan"),
        KnownUnit("Daglig verksamhet Gamla Hamnen", state="closed"),
    )
)


@pytest.mark.parametrize(
    ("written", "known", "how"),
    [
        ("daglig  verksamhet BJÖRKÄNGEN", "Daglig verksamhet Björkängen", "exact"),
        ("Hemtjänstgruppen Linné", "Hemtjänst Majorna", "earlier_name"),
        ("HT Majorna", "Hemtjänst Majorna", "unit_type"),
        ("Hemtjänstgruppen Majorna", "Hemtjänst Majorna", "unit_type"),
        ("Daglig verksamhet Lyktan", "DV Lyktan", "unit_type"),
        ("DV Björkangen", "Daglig verksamhet Björkängen", "fuzzy"),
        ("Daglig verksamhet Lycktan", "DV Lyktan", "fuzzy"),
        ("Daglig verksamhet Eriksbo 2", None, None),  # a neighbour, not a typo
        ("Daglig verksamhet Skogen", None, None),
        ("Hemtjänst Björkängen", None, None),  # another kind of unit with the same name
        ("DV Gamla Hamnen", None, None),  # closed units match only as written
    ],
)
def test_unit_names_match_known_units(written: str, known: str | None, how: str | None) -> None:
    match = match_unit(written, SNAPSHOT)
    assert (match.unit.name if match else None, match.how if match else None) == (known, how)


@pytest.mark.parametrize(
    ("kind", "units", "codes"),
    [
        ("close_unit", ["DV Okänd"], ["unknown_unit"]),
        ("rename_unit", ["DV Okänd"], ["unknown_unit"]),
        ("capacity_full", ["DV Okänd"], ["unknown_unit"]),
        ("capacity_available", ["DV Lyktan"], []),
        ("close_unit", ["DV Björkängen"], []),
        ("new_unit", ["Daglig verksamhet Björkängen"], ["unit_exists"]),
        ("new_unit", ["DV Skogen"], []),
        ("update_details", ["DV Okänd"], []),
    ],
)
def test_register_findings(kind: str, units: list[str], codes: list[str]) -> None:
    assert [f.code for f in register_findings([kind], units, None, SNAPSHOT)] == codes
    assert register_findings([kind], units, None, RegisterSnapshot()) == []


POLICY = SenderPolicy(
    trusted_domains=("goteborg.se",), municipal_domains=("goteborg.se",), known_providers=()
)


def _understanding(**values: object) -> Understanding:
    base: dict[str, object] = {
        "sent_on": dt.date(2027, 3, 1),
        "kind": "close_unit",
        "units": ("Daglig verksamhet Okänd",),
        "effective_date": dt.date(2027, 6, 30),
    }
    return Understanding.model_validate({**base, **values})


def test_an_unknown_unit_is_reviewed_and_without_a_register_nothing_changes() -> None:
    u = _understanding()
    sender = "anna@funktionsstod.goteborg.se"
    assert evaluate(u, sender=sender, policy=POLICY).status == "complete"
    assert evaluate(u, sender=sender, policy=POLICY, register=None).status == "complete"
    judged = evaluate(u, sender=sender, policy=POLICY, register=SNAPSHOT)
    assert judged.status == "needs_review"
    (found,) = judged.findings
    assert (found.code, found.severity) == ("unknown_unit", "warning")
    assert "Daglig verksamhet Okänd finns inte i stadens register" in found.message


def test_the_poller_reads_with_the_register_once_it_holds_units(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = local_settings(tmp_path, db_url)
    closing = "Daglig verksamhet Okänd upphör. Sista dag är 2027-06-30."
    poll_local(settings, sessions, build_mail(closing, date=dt.datetime(2027, 3, 1, tzinfo=dt.UTC)))
    with sessions() as session:
        assert session.scalars(select(Case.status)).one() == "complete"
    with sessions() as session, session.begin():
        session.add(Unit(name="Daglig verksamhet Björkängen", state="valbar", earlier_names=[]))
    poll_local(
        settings,
        sessions,
        build_mail(closing, subject="Avslut", date=dt.datetime(2027, 3, 2, tzinfo=dt.UTC)),
        build_mail(
            "DV Björkängen upphör. Sista dag är 2027-06-30.",
            subject="Avslut Björkängen",
            date=dt.datetime(2027, 3, 2, tzinfo=dt.UTC),
        ),
    )
    with sessions() as session:
        cases = session.scalars(select(Case).order_by(Case.id)).all()
        assert [c.status for c in cases] == ["complete", "needs_review", "complete"]
        assert [f.code for f in cases[1].findings] == ["unknown_unit"]
        # needs_review: no orders go out for a unit nobody knows.
        assert session.scalars(select(Task).where(Task.case_id == cases[1].id)).all() == []


def test_check_reads_the_register_file_and_stays_offline(tmp_path: Path) -> None:
    register = tmp_path / "register.csv"
    register.write_text(
        "provider,organisationsnummer,unit,earlier_names,area,ansvarskod,state,state_from,"
        "municipal,provider_domains\nFunktionsstöd,,Daglig verksamhet Björkängen,,,,valbar,,ja,\n"
        "Omsorgsgruppen AB,5566778899,DV Lyktan,,,,valbar,,nej,omsorg.se\n",
        encoding="utf-8",
    )
    config = tmp_path / "lovbot.toml"
    # No database is configured that exists: check must not need one.
    config.write_text(
        f'[register]\nfile = "{register}"\n[database]\nurl = "sqlite:////nonexistent/x.db"\n',
        encoding="utf-8",
    )
    new = tmp_path / "new.eml"
    new.write_bytes(
        build_mail(
            "Vi startar Daglig verksamhet Björkängen den 1 juni 2027. Ansvarskod 4711203.",
            subject="Ny enhet",
        )
    )
    close = tmp_path / "close.eml"
    close.write_bytes(build_mail("DV Okänd upphör. Sista dag är 2027-06-30.", subject="Avslut"))
    full = tmp_path / "full.eml"
    full.write_bytes(build_mail("Kapacitetstaket är nått för DV Lyktan.", sender="eva@omsorg.se"))
    result = subprocess.run(
        [LOVBOT, "check", str(new), str(close), str(full), "--json", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    first, second, third = (json.loads(line) for line in result.stdout.splitlines())
    assert (third["status"], third["findings"]) == ("complete", [])
    assert "unit_exists" in [f["code"] for f in first["findings"]]
    assert second["status"] == "needs_review"
    assert [f["code"] for f in second["findings"]] == ["unknown_unit"]
    assert not (tmp_path / "var").exists()


def test_a_new_units_own_thread_is_not_told_the_unit_exists(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    from formbuilders import build_form
    from test_register_lifecycle import DOCX, FORM

    from intake.register_commands import register_apply

    settings = local_settings(tmp_path, db_url)
    poll_local(
        settings,
        sessions,
        build_mail(
            "Hej! Vi startar Daglig verksamhet Björkängen. Ansvarskod 4711203.",
            subject="Ny enhet",
            date=dt.datetime(2027, 1, 11, 9, tzinfo=dt.UTC),
            attachments=[("Verksamhetsuppgifter.docx", DOCX, build_form(FORM))],
        ),
    )
    register_apply(settings, sessions, now=dt.datetime(2027, 1, 11, 23, tzinfo=dt.UTC))
    with sessions() as session:
        number = session.scalars(select(Case.number)).one()
    poll_local(
        settings,
        sessions,
        build_mail(
            "Ett tillägg: enhetschefen heter Anna Lind.",
            subject=f"SV: Ny enhet [{number}]",
            date=dt.datetime(2027, 1, 12, 9, tzinfo=dt.UTC),
        ),
        build_mail(
            "Hej! Vi startar Daglig verksamhet Björkängen. Ansvarskod 4711299.",
            subject="Ny enhet",
            date=dt.datetime(2027, 1, 12, 10, tzinfo=dt.UTC),
            attachments=[("Verksamhetsuppgifter.docx", DOCX, build_form(FORM))],
        ),
    )
    with sessions() as session:
        own, other = session.scalars(select(Case).order_by(Case.id)).all()
        assert len(own.messages) == 2
        assert [f.code for f in own.findings] == []
        assert [f.code for f in other.findings] == ["unit_exists"]
        assert "Det finns redan en enhet som heter Daglig verksamhet Björkängen" in (
            other.findings[0].message
        )
        assert "(planerad)" in other.findings[0].message


def test_the_registers_providers_are_known_senders(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    from store.models import Provider

    settings = local_settings(tmp_path, db_url)
    with sessions() as session, session.begin():
        omsorg = Provider(
            name="Omsorgsgruppen AB", organisationsnummer="556677-8899", domains=["omsorg.se"]
        )
        # Added from a first onboarding mail alone: nobody has vouched for it yet.
        stranger = Provider(name="ny.se", domains=["ny.se"])
        session.add_all([omsorg, stranger])
        session.flush()
        session.add(Unit(name="DV Lyktan", provider_id=omsorg.id, state="valbar", earlier_names=[]))
    when = dt.datetime(2027, 3, 1, tzinfo=dt.UTC)
    poll_local(
        settings,
        sessions,
        build_mail("Kapacitetstaket är nått för DV Lyktan.", sender="eva@omsorg.se", date=when),
        build_mail("Kapacitetstaket är nått för DV Lyktan.", sender="per@ny.se", date=when),
    )
    with sessions() as session:
        known, unknown = session.scalars(select(Case).order_by(Case.id)).all()
        assert (known.status, [f.code for f in known.findings]) == ("complete", [])
        assert unknown.status == "needs_review"
        assert [f.code for f in unknown.findings] == ["unknown_sender"]
