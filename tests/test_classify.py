"""Kinds from wording: Swedish as written, English too, with evidence and negation."""

import pytest

from parsers.classify import automated_reason, classify


@pytest.mark.parametrize(
    ("subject", "text", "kind"),
    [
        ("Ny enhet", "Vi startar en ny enhet, DV Eriksbo 2, den 1 april.", "new_unit"),
        ("", "Daglig verksamhet Kvarnen öppnar den 1 mars 2027.", "new_unit"),
        ("Nystart", "Hemtjänstgruppen Kortedala nystartar i höst.", "new_unit"),
        ("New unit", "We will open a new unit, DV Lyktan, on 1 May 2027.", "new_unit"),
        ("", "Daglig verksamhet Hamnen upphör 2027-06-30.", "close_unit"),
        ("", "Hemtjänstgruppen Majorna Norra läggs ned, sista dag är 15 april.", "close_unit"),
        ("", "Vi stänger DV Berget vid månadsskiftet.", "close_unit"),
        ("", "Verksamheten avvecklas under våren.", "close_unit"),
        ("", "DV Lyktan will close on 30 June.", "close_unit"),
        ("", "DV Ek och DV Ask slås samman den 1 maj.", "merge_units"),
        ("Sammanslagning", "Vi slår ihop två grupper.", "merge_units"),
        ("", "The two units merge on 1 May.", "merge_units"),
        ("", "DV Lillegården byter namn till DV Gröna Gården.", "rename_unit"),
        ("Namnändring", "Nytt namn från 1 maj.", "rename_unit"),
        ("", "The unit is renamed to DV Ljuset.", "rename_unit"),
        ("", "Kapacitetstaket är nått från 1 februari.", "capacity_full"),
        ("", "Vi har inga lediga platser just nu.", "capacity_full"),
        ("", "Vi kan inte ta emot nya brukare tills vidare.", "capacity_full"),
        ("", "Vi har ledig kapacitet igen.", "capacity_available"),
        ("", "Nu kan vi ta emot nya brukare igen.", "capacity_available"),
        ("", "Lena Berg är ny enhetschef från 15 mars.", "update_details"),
        ("", "Enheten har nytt telefonnummer: 031-123 45 67.", "update_details"),
        ("", "We have a new manager from 1 March.", "update_details"),
        ("", "Här kommer vårt försäkringsbrev.", "onboarding"),
        ("", "Vår IT-kontaktperson är Jonas.", "onboarding"),
        ("", "Hur lång tid tar det innan ändringar syns i Jämför service?", "other"),
    ],
)
def test_kind(subject: str, text: str, kind: str) -> None:
    result = classify(subject, text)
    assert result.kind == kind
    if kind != "other":
        assert result.evidence, "a decision must carry the words that triggered it"


def test_several_changes_take_the_contract_order() -> None:
    result = classify("", "DV Eken byter namn till DV Almen och får ny enhetschef från 1 maj.")
    assert result.kind == "rename_unit"
    assert result.also == ("update_details",)


def test_new_unit_wins_over_close() -> None:
    result = classify("", "DV Gamla stänger 30 april och vi startar en ny enhet, DV Nya, 1 maj.")
    assert result.kind == "new_unit"
    assert "close_unit" in result.also


def test_merge_absorbs_its_new_name_and_closing_units() -> None:
    text = "DV Ek och DV Ask slås samman. Den nya enheten heter DV Lind. DV Ask upphör."
    result = classify("", text)
    assert result.kind == "merge_units"
    assert result.also == ()


def test_form_boxes_fill_a_gap_only() -> None:
    assert (
        classify("Blankett", "Här kommer blanketten.", form_kinds=("new_unit",)).kind == "new_unit"
    )
    assert classify("", "DV Ek upphör 1 maj.", form_kinds=("new_unit",)).kind == "close_unit"


@pytest.mark.parametrize(
    ("headers", "sender", "subject", "text"),
    [
        ({"auto-submitted": "auto-replied"}, "a@goteborg.se", "Kvittens", ""),
        ({"auto-submitted": "auto-generated"}, "a@goteborg.se", "x", ""),
        ({"x-autoreply": "yes"}, "a@goteborg.se", "x", ""),
        ({"content-type": "multipart/report; report-type=delivery-status"}, "a@b.se", "x", ""),
        ({}, "MAILER-DAEMON@mx.goteborg.se", "Undelivered", ""),
        ({}, "a@goteborg.se", "Automatiskt svar: Kvittens LOV-2027-0012", ""),
        ({}, "a@goteborg.se", "Frånvaro", ""),
        ({}, "a@goteborg.se", "Out of Office: LOV", ""),
        ({}, "a@goteborg.se", "Re: x", "Jag är på semester till och med 31 juli."),
    ],
)
def test_automated_mail(headers: dict[str, str], sender: str, subject: str, text: str) -> None:
    assert automated_reason(headers, sender, subject, text)


def test_human_mail_is_not_automated() -> None:
    assert automated_reason({"auto-submitted": "no"}, "a@goteborg.se", "Ny enhet", "Hej") is None
