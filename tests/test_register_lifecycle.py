"""Cases keep the register: a unit's life told by mail, read by the poller, applied day by
day with the clock injected (issue 10, seeds 000 and 004)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from formbuilders import build_form
from local_intake import local_settings, poll_local
from mails import build_mail
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.digest_job import print_digest
from intake.register_commands import register_apply
from intake.settings import SendersSettings, Settings
from store.models import Case, OutgoingMail, Provider, RegisterChange, Unit
from store.register import RegisterError, changes_ahead, decide_valbar, export_rows, undo_change
from store.register_csv import write_register_csv

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORM = {
    "typ_av_andring": ["Ny enhet"],
    "verksamhetsomrade": "Daglig verksamhet LSS",
    "utforare": "Förvaltningen för funktionsstöd",
    "enhetens_namn": "Daglig verksamhet Björkängen",
    "startdatum": "2027-04-01",
    "besoksadress": "Björkängsgatan 4",
    "postnummer": "415 05",
    "ort": "Göteborg",
    "telefon": "031-365 40 00",
    "epost": "bjorkangen@funktionsstod.goteborg.se",
    "ansvarig_chef": "Anna Lind",
    "ansvarig_chef_epost": "anna.lind@funktionsstod.goteborg.se",
    "beskrivning": "Vi erbjuder en meningsfull vardag.",
    "antal_platser": "18",
}


def on(month: int, day: int) -> dt.datetime:
    return dt.datetime(2027, month, day, 9, 0, tzinfo=dt.UTC)


def apply_on(settings: Settings, sessions: Callable[[], Session], month: int, day: int) -> str:
    return register_apply(settings, sessions, now=on(month, day))


def unit_named(sessions: Callable[[], Session], name: str) -> Unit:
    with sessions() as session:
        unit = session.scalars(select(Unit).where(Unit.name == name)).one()
        session.expunge(unit)
        return unit


def last_ack(sessions: Callable[[], Session]) -> str:
    with sessions() as session:
        row = session.scalars(
            select(OutgoingMail)
            .where(OutgoingMail.purpose == "ack")
            .order_by(OutgoingMail.id.desc())
        ).first()
        assert row is not None
        body = message_from_bytes(row.raw, policy=default).get_body(("plain",))
        assert body is not None
        return str(body.get_content())


def test_a_unit_opened_renamed_full_available_merged_and_closed(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = local_settings(tmp_path, db_url)
    with sessions() as session, session.begin():  # in the city's register from before
        session.add(Unit(name="Daglig verksamhet Linden", state="valbar", earlier_names=[]))
    poll_local(
        settings,
        sessions,
        build_mail(
            "Hej! Vi startar Daglig verksamhet Björkängen. Ansvarskod 4711203.",
            subject="Ny enhet",
            date=on(1, 11),
            attachments=[("Verksamhetsuppgifter.docx", DOCX, build_form(FORM))],
        ),
    )
    with sessions() as session:
        assert session.scalars(select(Case.status)).one() == "complete"

    assert "planerad" in apply_on(settings, sessions, 1, 11)
    unit = unit_named(sessions, "Daglig verksamhet Björkängen")
    assert (unit.state, unit.starts_on, unit.ansvarskod) == ("planned", on(4, 1).date(), "4711203")
    assert (unit.address, unit.capacity) == ("Björkängsgatan 4", 18)
    assert apply_on(settings, sessions, 3, 31) == "Registret 2027-03-31: inget att ändra."
    assert "planerad → valbar" in apply_on(settings, sessions, 4, 1)
    assert apply_on(settings, sessions, 4, 1) == "Registret 2027-04-01: inget att ändra."

    poll_local(
        settings,
        sessions,
        build_mail(
            "Daglig verksamhet Björkängen byter namn till Daglig verksamhet Eken "
            "från och med 2027-04-15.",
            subject="Namnbyte",
            date=on(3, 1),
        ),
    )
    apply_on(settings, sessions, 4, 14)
    assert unit_named(sessions, "Daglig verksamhet Björkängen").state == "valbar"
    apply_on(settings, sessions, 4, 15)
    unit = unit_named(sessions, "Daglig verksamhet Eken")
    assert unit.earlier_names == ["Daglig verksamhet Björkängen"]

    poll_local(
        settings,
        sessions,
        build_mail(
            "Kapacitetstaket är nått för DV Eken från och med 2027-04-25.",
            subject="Fullt",
            date=on(4, 20),
        ),
    )
    apply_on(settings, sessions, 4, 25)
    assert unit_named(sessions, "Daglig verksamhet Eken").state == "full"

    poll_local(
        settings,
        sessions,
        build_mail(
            "DV Eken har lediga platser från 2027-05-01 men det finns fortfarande kö.",
            subject="Lediga platser",
            date=on(4, 28),
        ),
    )
    assert "kön" in last_ack(sessions) and "inte valbar" in last_ack(sessions)
    assert "kön finns kvar" in apply_on(settings, sessions, 5, 1)
    assert unit_named(sessions, "Daglig verksamhet Eken").state == "full"

    poll_local(
        settings,
        sessions,
        build_mail(
            "DV Eken har ledig kapacitet utan kö från och med 2027-05-10.",
            subject="Ledig kapacitet",
            date=on(5, 3),
        ),
    )
    apply_on(settings, sessions, 5, 10)
    unit = unit_named(sessions, "Daglig verksamhet Eken")
    assert (unit.state, unit.state_from) == ("valbar", dt.date(2027, 5, 10))

    # Merged with Linden into Skogen: the register changes on the merge day, not before.
    merge_form = {
        **FORM,
        "typ_av_andring": ["Sammanslagning"],
        "enhetens_namn": "Daglig verksamhet Skogen",
        "startdatum": "2027-06-01",
    }
    poll_local(
        settings,
        sessions,
        build_mail(
            "Daglig verksamhet Eken och Daglig verksamhet Linden slås samman den 2027-06-01 "
            "till Daglig verksamhet Skogen. Ansvarskod 4711203.",
            subject="Sammanslagning",
            date=on(5, 15),
            attachments=[("Verksamhetsuppgifter.docx", DOCX, build_form(merge_form))],
        ),
    )
    with sessions() as session:
        merge = session.scalars(select(Case).order_by(Case.id.desc())).first()
        assert merge is not None and (merge.kind, merge.status) == ("merge_units", "complete")
        ahead = changes_ahead(session, dt.date(2027, 5, 20))
        assert [(c.day, c.unit, c.what) for c in ahead] == [
            (
                dt.date(2027, 6, 1),
                "Daglig verksamhet Eken, Daglig verksamhet Linden",
                "slås samman den 2027-06-01",
            )
        ]
    apply_on(settings, sessions, 5, 31)
    assert unit_named(sessions, "Daglig verksamhet Eken").state == "valbar"
    with sessions() as session:
        assert (
            session.scalars(select(Unit).where(Unit.name == "Daglig verksamhet Skogen")).all() == []
        )
    apply_on(settings, sessions, 6, 1)
    for name in ("Daglig verksamhet Eken", "Daglig verksamhet Linden"):
        unit = unit_named(sessions, name)
        assert (unit.state, unit.state_from) == ("closed", dt.date(2027, 6, 1)), name
    unit = unit_named(sessions, "Daglig verksamhet Skogen")
    assert (unit.state, unit.state_from) == ("valbar", dt.date(2027, 6, 1))

    poll_local(
        settings,
        sessions,
        build_mail(
            "Daglig verksamhet Skogen upphör. Sista dag är 2027-06-30.",
            subject="Avslut",
            date=on(6, 2),
        ),
    )
    apply_on(settings, sessions, 6, 30)
    assert unit_named(sessions, "Daglig verksamhet Skogen").state == "valbar"
    apply_on(settings, sessions, 7, 1)
    unit = unit_named(sessions, "Daglig verksamhet Skogen")
    assert (unit.state, unit.state_from) == ("closed", dt.date(2027, 7, 1))

    # The register as it was on each day, from the changes it kept.
    with sessions() as session:
        states = {
            day: sorted((r.unit, r.state) for r in export_rows(session, at=day) if r.unit)
            for day in (
                dt.date(2027, 1, 10),
                dt.date(2027, 3, 1),
                dt.date(2027, 4, 10),
                dt.date(2027, 4, 26),
                dt.date(2027, 5, 5),
                dt.date(2027, 5, 31),
                dt.date(2027, 6, 1),
                dt.date(2027, 6, 30),
                dt.date(2027, 7, 2),
            )
        }
    linden = ("Daglig verksamhet Linden", "valbar")
    assert states == {
        dt.date(2027, 1, 10): [linden],  # the day before the mail came
        dt.date(2027, 3, 1): [("Daglig verksamhet Björkängen", "planned"), linden],
        dt.date(2027, 4, 10): [("Daglig verksamhet Björkängen", "valbar"), linden],
        dt.date(2027, 4, 26): [("Daglig verksamhet Eken", "full"), linden],
        dt.date(2027, 5, 5): [("Daglig verksamhet Eken", "full"), linden],
        dt.date(2027, 5, 31): [("Daglig verksamhet Eken", "valbar"), linden],
        dt.date(2027, 6, 1): [
            ("Daglig verksamhet Eken", "closed"),
            ("Daglig verksamhet Linden", "closed"),
            ("Daglig verksamhet Skogen", "valbar"),
        ],
        dt.date(2027, 6, 30): [
            ("Daglig verksamhet Eken", "closed"),
            ("Daglig verksamhet Linden", "closed"),
            ("Daglig verksamhet Skogen", "valbar"),
        ],
        dt.date(2027, 7, 2): [
            ("Daglig verksamhet Eken", "closed"),
            ("Daglig verksamhet Linden", "closed"),
            ("Daglig verksamhet Skogen", "closed"),
        ],
    }


def test_a_merge_closes_the_merged_units_and_the_new_unit_is_valbar(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = local_settings(tmp_path, db_url)
    with sessions() as session, session.begin():
        for name in ("Daglig verksamhet Eken", "Daglig verksamhet Linden"):
            session.add(Unit(name=name, state="valbar", earlier_names=[]))
    form = {
        **FORM,
        "typ_av_andring": ["Sammanslagning"],
        "enhetens_namn": "Daglig verksamhet Skogen",
        "startdatum": "2027-06-01",
    }
    poll_local(
        settings,
        sessions,
        build_mail(
            "Daglig verksamhet Eken och Daglig verksamhet Linden slås samman den 2027-06-01 "
            "till Daglig verksamhet Skogen. Ansvarskod 4711203.",
            subject="Sammanslagning",
            date=on(5, 1),
            attachments=[("Verksamhetsuppgifter.docx", DOCX, build_form(form))],
        ),
    )
    with sessions() as session:
        case = session.scalars(select(Case)).one()
        assert (case.kind, case.status, case.new_name) == (
            "merge_units",
            "complete",
            "Daglig verksamhet Skogen",
        )
    apply_on(settings, sessions, 5, 31)
    assert unit_named(sessions, "Daglig verksamhet Eken").state == "valbar"
    apply_on(settings, sessions, 6, 1)
    assert unit_named(sessions, "Daglig verksamhet Eken").state == "closed"
    assert unit_named(sessions, "Daglig verksamhet Linden").state == "closed"
    assert unit_named(sessions, "Daglig verksamhet Skogen").state == "valbar"


def test_eku_undoes_a_change_newest_first(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = local_settings(tmp_path, db_url)
    with sessions() as session, session.begin():
        session.add(Unit(name="Daglig verksamhet Eken", state="valbar", earlier_names=[]))
    for body, date in (
        ("Kapacitetstaket är nått för DV Eken från och med 2027-04-25.", on(4, 20)),
        ("Daglig verksamhet Eken upphör. Sista dag är 2027-06-30.", on(5, 2)),
    ):
        poll_local(settings, sessions, build_mail(body, subject="Ändring", date=date))
    apply_on(settings, sessions, 7, 1)
    with sessions() as session:
        full, closed = session.scalars(select(RegisterChange).order_by(RegisterChange.id)).all()
    with sessions() as session, session.begin(), pytest.raises(RegisterError, match="ångra den"):
        undo_change(session, full.id, actor="Eva på EKU")
    with sessions() as session, session.begin():
        undo_change(session, closed.id, actor="Eva på EKU")
    assert unit_named(sessions, "Daglig verksamhet Eken").state == "full"
    with sessions() as session, session.begin():
        undo_change(session, full.id, actor="Eva på EKU")
    assert unit_named(sessions, "Daglig verksamhet Eken").state == "valbar"
    # Undone stays undone: applying again does not redo what EKU took back.
    assert apply_on(settings, sessions, 7, 2) == "Registret 2027-07-02: inget att ändra."
    with sessions() as session, session.begin(), pytest.raises(RegisterError, match="redan"):
        undo_change(session, full.id, actor="Eva på EKU")


def test_export_writes_the_fixed_columns(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    with sessions() as session, session.begin():
        session.add(
            Unit(
                name="Hemtjänst Hovås",
                earlier_names=["Care4U Hovås"],
                state="full",
                state_from=dt.date(2027, 1, 5),
            )
        )
    out = io.StringIO()
    with sessions() as session:
        write_register_csv(export_rows(session), out)
    header, row = out.getvalue().splitlines()
    assert header.split(",")[:8] == [
        "provider",
        "organisationsnummer",
        "unit",
        "earlier_names",
        "area",
        "ansvarskod",
        "state",
        "state_from",
    ]
    assert row.startswith(",,Hemtjänst Hovås,Care4U Hovås,,,full,2027-01-05,")


def _private(tmp_path: Path, db_url: str) -> Settings:
    return local_settings(
        tmp_path,
        db_url,
        senders=SendersSettings(
            trusted_domains=["goteborg.se"], known_providers=["dagligaktiv.se"]
        ),
    )


def test_a_provider_from_first_mail_to_valbar(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = _private(tmp_path, db_url)
    sender = "sara@dagligaktiv.se"
    poll_local(
        settings,
        sessions,
        build_mail(
            "Hej,\nBifogat finns vårt försäkringsbrev enligt överenskommelse på uppstartsmötet.",
            subject="Försäkringsbrev",
            sender=sender,
            date=on(3, 1),
        ),
        build_mail(
            "Vår IT-kontaktperson är Jonas Ström.",
            subject="IT-kontaktperson",
            sender=sender,
            date=on(3, 2),
        ),
    )
    assert "klar för beslut" not in print_digest(settings, sessions)
    form = {
        **FORM,
        "utforare": "Daglig Aktiv AB",
        "organisationsnummer": "556677-8899",
        "enhetens_namn": "Daglig verksamhet Aktiva",
        "startdatum": "2027-06-01",
        "ansvarskod": "",
        "epost": "aktiva@dagligaktiv.se",
        "ansvarig_chef_epost": "sara@dagligaktiv.se",
    }
    poll_local(
        settings,
        sessions,
        build_mail(
            "Hej! Vi startar Daglig verksamhet Aktiva den 1 juni 2027. Blanketten bifogas.",
            subject="Ny enhet",
            sender=sender,
            date=on(3, 10),
            attachments=[("Verksamhetsuppgifter.docx", DOCX, build_form(form))],
        ),
    )
    with sessions() as session:
        case = session.scalars(select(Case).order_by(Case.id.desc())).first()
        assert case is not None and (case.kind, case.status) == ("new_unit", "complete")
    digest = print_digest(settings, sessions)
    assert "klar för beslut" in digest and "lovbot provider valbar dagligaktiv.se" in digest

    apply_on(settings, sessions, 6, 1)
    # Start day, but EKU has not decided: the unit waits as planned.
    assert unit_named(sessions, "Daglig verksamhet Aktiva").state == "planned"
    with sessions() as session, session.begin():
        provider, opened = decide_valbar(
            session, "dagligaktiv.se", today=dt.date(2027, 6, 2), actor="Eva på EKU"
        )
        assert [u.name for u in opened] == ["Daglig verksamhet Aktiva"]
    unit = unit_named(sessions, "Daglig verksamhet Aktiva")
    assert (unit.state, unit.state_from) == ("valbar", dt.date(2027, 6, 2))
    assert "klar för beslut" not in print_digest(settings, sessions)
    with sessions() as session:
        provider = session.scalars(select(Provider)).one()
        assert provider.valbar_decided_by == "Eva på EKU"
        assert sorted(i.item for i in provider.items) == [
            "forsakringsbrev",
            "it_kontaktperson",
            "uppstartsmote",
            "verksamhetsuppgifter",
        ]


def test_update_details_copies_the_forms_changed_fields_from_their_date(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = local_settings(tmp_path, db_url)
    with sessions() as session, session.begin():
        session.add(
            Unit(
                name="Daglig verksamhet Eken",
                state="valbar",
                earlier_names=[],
                phone="031-100 00 00",
                capacity=10,
            )
        )
    form = {
        "typ_av_andring": ["Ändrade uppgifter"],
        "verksamhetsomrade": "Daglig verksamhet LSS",
        "utforare": "Förvaltningen för funktionsstöd",
        "enhetens_namn": "Daglig verksamhet Eken",
        "startdatum": "2027-05-01",
        "telefon": "031-365 99 99",
        "antal_platser": "14",
    }
    poll_local(
        settings,
        sessions,
        build_mail(
            "Daglig verksamhet Eken får nytt telefonnummer och fler platser från och med "
            "2027-05-01. Blanketten bifogas.",
            subject="Nya uppgifter",
            date=on(4, 20),
            attachments=[("Verksamhetsuppgifter.docx", DOCX, build_form(form))],
        ),
    )
    with sessions() as session:
        case = session.scalars(select(Case)).one()
        assert (case.kind, case.status) == ("update_details", "complete")
    apply_on(settings, sessions, 4, 30)
    unit = unit_named(sessions, "Daglig verksamhet Eken")
    assert (unit.phone, unit.capacity) == ("031-100 00 00", 10)
    apply_on(settings, sessions, 5, 1)
    unit = unit_named(sessions, "Daglig verksamhet Eken")
    assert (unit.phone, unit.capacity, unit.state) == ("031-365 99 99", 14, "valbar")


def test_an_established_providers_new_unit_opens_on_its_start_day(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = local_settings(tmp_path, db_url)
    with sessions() as session, session.begin():
        # In the city's register, approved before lovbot kept checklists.
        session.add(
            Provider(
                name="Omsorgsgruppen AB", organisationsnummer="556677-8899", domains=["omsorg.se"]
            )
        )
    form = {
        **FORM,
        "utforare": "Omsorgsgruppen AB",
        "organisationsnummer": "556677-8899",
        "enhetens_namn": "Daglig verksamhet Ljuset",
        "startdatum": "2027-06-01",
        "epost": "ljuset@omsorg.se",
        "ansvarig_chef_epost": "eva@omsorg.se",
    }
    poll_local(
        settings,
        sessions,
        build_mail(
            "Hej! Vi startar Daglig verksamhet Ljuset den 1 juni 2027. Blanketten bifogas.",
            subject="Ny enhet",
            sender="eva@omsorg.se",
            date=on(3, 10),
            attachments=[("Verksamhetsuppgifter.docx", DOCX, build_form(form))],
        ),
    )
    apply_on(settings, sessions, 6, 1)
    unit = unit_named(sessions, "Daglig verksamhet Ljuset")
    assert (unit.state, unit.state_from) == ("valbar", dt.date(2027, 6, 1))
    with sessions() as session:
        provider = session.scalars(select(Provider)).one()
        assert unit.provider_id == provider.id


def test_a_case_whose_orders_eku_approved_out_of_granska_keeps_the_register(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    """An unsure reading holds its orders until EKU approves them; once approved, the
    owners act on them, so the register must follow as it does for a complete case."""
    from intake import commands

    settings = local_settings(tmp_path, db_url)
    with sessions() as session, session.begin():
        session.add(Unit(name="Daglig verksamhet Hamnen", state="valbar", earlier_names=[]))
    # The subject announces free places, the text a closing: the reading is unsure.
    poll_local(
        settings,
        sessions,
        build_mail(
            "Hej! Daglig verksamhet Hamnen läggs ned den 30 juni 2027.",
            subject="Lediga platser",
            date=on(1, 10),
        ),
    )
    with sessions() as session:
        case = session.scalars(select(Case)).one()
        assert case.status == "needs_review"
        number = case.number
    # Not approved yet: the register waits, as the orders do.
    assert apply_on(settings, sessions, 7, 1) == "Registret 2027-07-01: inget att ändra."
    assert unit_named(sessions, "Daglig verksamhet Hamnen").state == "valbar"

    assert commands.approve(settings, number, by="Eva på EKU") == 0
    apply_on(settings, sessions, 7, 1)
    assert unit_named(sessions, "Daglig verksamhet Hamnen").state == "closed"
