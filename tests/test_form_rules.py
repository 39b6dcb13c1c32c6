"""rules.form_rules: required fields and formats of the form (domain/form.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.form import FORM_LABELS, VerksamhetsForm, read_form
from rules.form_rules import (
    REQUIRED_ALWAYS,
    describe_fields,
    invalid_fields,
    is_municipal_provider,
    missing_fields,
)

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples" / "forms"

COMPLETE_MUNICIPAL = VerksamhetsForm(
    typ_av_andring=("Ny enhet",),
    verksamhetsomrade="Daglig verksamhet LSS",
    utforare="Förvaltningen för funktionsstöd",
    enhetens_namn="Daglig verksamhet Björkängen",
    ansvarskod="4711203",
    startdatum="2027-04-01",
    besoksadress="Björkängsgatan 4",
    postnummer="415 05",
    ort="Göteborg",
    telefon="031-365 40 00",
    epost="bjorkangen@funktionsstod.goteborg.se",
    ansvarig_chef="Anna Lind",
    ansvarig_chef_epost="anna.lind@funktionsstod.goteborg.se",
    beskrivning="Vi erbjuder en meningsfull vardag.",
    antal_platser="18",
)


def _sample(name: str) -> VerksamhetsForm:
    form = read_form((SAMPLES / name).read_bytes(), name)
    assert form is not None
    return form


@pytest.mark.parametrize("name", ["01_table.docx", "02_table_sections.docx", "07_merge.docx"])
def test_complete_samples_miss_nothing_and_are_valid(name: str) -> None:
    form = _sample(name)
    assert is_municipal_provider(form.utforare)
    assert missing_fields(form, municipal=True) == []
    assert invalid_fields(form) == []


def test_sample_04_misses_manager_email_and_description() -> None:
    form = _sample("04_controls.docx")
    assert missing_fields(form, municipal=True) == ["ansvarig_chef_epost", "beskrivning"]
    assert describe_fields(missing_fields(form, municipal=True)) == (
        "Ansvarig chef, e-post, Beskrivning av verksamheten"
    )


def test_required_always_follows_form_md() -> None:
    assert set(REQUIRED_ALWAYS) == {
        "typ_av_andring",
        "verksamhetsomrade",
        "utforare",
        "enhetens_namn",
        "startdatum",
        "besoksadress",
        "postnummer",
        "ort",
        "telefon",
        "epost",
        "ansvarig_chef",
        "ansvarig_chef_epost",
        "beskrivning",
    }
    assert list(REQUIRED_ALWAYS) == [key for key in FORM_LABELS if key in REQUIRED_ALWAYS]


def test_municipal_needs_ansvarskod_private_needs_organisationsnummer() -> None:
    form = COMPLETE_MUNICIPAL.model_copy(update={"ansvarskod": None})
    assert missing_fields(form, municipal=True) == ["ansvarskod"]
    assert missing_fields(form, municipal=False) == ["organisationsnummer"]
    assert missing_fields(COMPLETE_MUNICIPAL, municipal=False) == ["organisationsnummer"]


def test_antal_platser_only_for_daglig_verksamhet() -> None:
    dv = COMPLETE_MUNICIPAL.model_copy(update={"antal_platser": None})
    assert missing_fields(dv, municipal=True) == ["antal_platser"]
    hemtjanst = dv.model_copy(update={"verksamhetsomrade": "Hemtjänst"})
    assert missing_fields(hemtjanst, municipal=True) == []


def test_empty_form_misses_every_required_field_in_form_order() -> None:
    missing = missing_fields(VerksamhetsForm(), municipal=False)
    assert missing == [
        key for key in FORM_LABELS if key in {*REQUIRED_ALWAYS, "organisationsnummer"}
    ]
    assert missing[0] == "typ_av_andring"


@pytest.mark.parametrize(
    ("utforare", "expected"),
    [
        ("Förvaltningen för funktionsstöd", True),
        ("Stadsdelsförvaltningen Västra Göteborg", True),
        ("GÖTEBORGS STAD", True),
        ("Göteborgs stad, Äldre samt vård- och omsorgsförvaltningen", True),
        ("SDF Askim-Frölunda-Högsbo", True),
        ("Omsorgsgruppen AB", False),
        ("Attendo Sverige AB", False),
        ("", False),
        (None, False),
    ],
)
def test_is_municipal_provider(utforare: str | None, expected: bool) -> None:
    assert is_municipal_provider(utforare) is expected


VALID = {
    "organisationsnummer": ["556036-0793", "5560360793", "212000-1355"],
    "postnummer": ["415 05", "41505", "SE-415 05"],
    "epost": ["a.b@funktionsstod.goteborg.se", "info@omsorgsgruppen.se", "mailto:x@y.se"],
    "ansvarig_chef_epost": ["anna.lind@vastra.goteborg.se", "åsa@hemtjänst.se"],
    "telefon": [
        "031-365 40 00",
        "031-3654000",
        "08-12 34 56",
        "+46 31 365 40 00",
        "+46 (0)31 365 40 00",
        "0046 70 123 45 67",
        "Växel: 031-365 00 00",
        "031-365 40 00, 070-123 45 67",
    ],
    "ansvarig_chef_telefon": ["070-123 45 67", "0701234567", "(031) 365 12 34"],
    "antal_platser": ["18", "120"],
    "ansvarskod": ["4711203", "4711 203"],
    "startdatum": ["2027-04-01", "20270401", "1/4/2027", "1.4.2027", "1 april 2027"],
    "datum": ["2027-01-08"],
    "webbadress": [
        "https://goteborg.se/wps/portal/enhetssida/daglig-verksamhet-björkängen",
        "www.omsorgsgruppen.se",
        "omsorgsgruppen.se/vaster",
    ],
}

INVALID = {
    "organisationsnummer": ["556036-0794", "55603607", "556036-07930", "SE556036079301"],
    "postnummer": ["4150", "415 055", "015 05", "Göteborg"],
    "epost": ["anna.lind", "anna@", "@goteborg.se", "anna lind@goteborg.se", "a..b@x.se"],
    "ansvarig_chef_epost": ["anna.lind@goteborg", "anna@@goteborg.se"],
    "telefon": ["12345", "070-123 45", "031-365 40 00 00 00", "+47 22 00 00 00", "ring växeln"],
    "ansvarig_chef_telefon": ["0701", "00 00 00 00"],
    "antal_platser": ["ca 18", "18 platser", "-3", "tolv"],
    "ansvarskod": ["47-11", "abc"],
    "startdatum": ["2027-02-30", "1 april", "april 2027", "snarast", "32/1/2027"],
    "datum": ["igår"],
    "webbadress": ["goteborg", "http://", "se hemsidan"],
}


@pytest.mark.parametrize(
    ("key", "value"), [(key, value) for key, values in VALID.items() for value in values]
)
def test_valid_formats(key: str, value: str) -> None:
    assert invalid_fields(VerksamhetsForm.model_validate({key: value})) == []


@pytest.mark.parametrize(
    ("key", "value"), [(key, value) for key, values in INVALID.items() for value in values]
)
def test_invalid_formats(key: str, value: str) -> None:
    assert invalid_fields(VerksamhetsForm.model_validate({key: value})) == [key]


def test_invalid_fields_in_form_order_and_empty_fields_are_not_checked() -> None:
    form = VerksamhetsForm(
        epost="fel", postnummer="1", organisationsnummer="123", telefon=None, webbadress="–"
    )
    assert invalid_fields(form) == ["organisationsnummer", "postnummer", "epost"]
    assert invalid_fields(VerksamhetsForm()) == []


def test_describe_fields_uses_the_form_labels() -> None:
    assert describe_fields(["ansvarig_chef_epost"]) == "Ansvarig chef, e-post"
    assert describe_fields(["startdatum", "telefon"]) == "Gäller från datum, Telefonnummer"
    assert describe_fields([]) == ""
