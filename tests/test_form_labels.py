"""parsers.form: labels matched by meaning, not by exact text (contract.md, issue 7).

Each field is printed with wordings of our own, Swedish and English, none of them taken
from the sample forms, and read back through the real reader from a built .docx. The
whole form must come back unchanged: the relabelled field found, and no other field
taking its answer.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from formbuilders import STYLES, build_form, docx_from_body
from mails import build_mail

from parsers.form import VerksamhetsForm, read_form
from parsers.form.text import clean_answer

LOVBOT = str(Path(sys.executable).parent / "lovbot")

ANSWERS = {
    "typ_av_andring": ["Ny enhet"],
    "verksamhetsomrade": "Daglig verksamhet LSS",
    "utforare": "Solrosen Omsorg AB",
    "organisationsnummer": "556036-0793",
    "enhetens_namn": "Solrosen Ateljé",
    "tidigare_namn": "Ateljé Solrosen Väst",
    "ansvarskod": "4711299",
    "startdatum": "2027-09-01",
    "besoksadress": "Linnégatan 12",
    "postnummer": "413 04",
    "ort": "Göteborg",
    "telefon": "031-700 10 10",
    "epost": "atelje@solrosen.se",
    "webbadress": "https://solrosen.se/atelje",
    "ansvarig_chef": "Mira Holm",
    "ansvarig_chef_telefon": "070-111 22 33",
    "ansvarig_chef_epost": "mira.holm@solrosen.se",
    "beskrivning": "Skapande daglig verksamhet med keramik och måleri.",
    "inriktning": "Autism, AKK",
    "sprak": "Svenska, finska",
    "antal_platser": "14",
    "oppettider": "Vardagar 08.30–15.30",
    "ifylld_av": "Jonas Berg",
    "datum": "2027-05-20",
}

WORDINGS: dict[str, list[str]] = {
    "verksamhetsomrade": ["Område", "Typ av verksamhet *", "Service area", "Type of service"],
    "utforare": [
        "Anordnare:",
        "Företagets namn",
        "Leverantör (företag)",
        "Provider",
        "Name of provider",
        "Company name",
    ],
    "organisationsnummer": [
        "Org.nummer",
        "Organisationsnummer (utförare)",
        "Utförarens org. nr",
        "Organisation number",
        "Company registration number",
        "Corporate ID no.",
    ],
    "enhetens_namn": [
        "Enhetsnamn *",
        "Enhetens fullständiga namn",
        "Namn på verksamheten",
        "Name of the unit",
        "Unit name:",
        "Enhetens nya namn",
        "Vad heter enheten?",
        "Namn (enhet)",
        "Enhetens namn efter ändring",
    ],
    "tidigare_namn": [
        "Gammalt namn",
        "F.d. namn",
        "Enhetens tidigare namn (vid namnbyte)",
        "Previous name",
        "Former name of the unit",
        "Vad hette enheten tidigare?",
        "Namn före ändringen",
        "Enheter som slås ihop",
    ],
    "ansvarskod": [
        "Ansvarskod:",
        "Kostnadsställe",
        "Ekonomisk ansvarskod (7 siffror)",
        "Responsibility code",
        "Cost centre",
        "Ansvarsnr",
        "Ekonomisk kod",
    ],
    "startdatum": [
        "Startdatum för enheten",
        "Fr.o.m.",
        "Gäller fr o m",
        "Ändringen gäller från och med",
        "Datum då förändringen träder i kraft",
        "Öppningsdatum",
        "Start date",
        "Effective date",
        "Valid from",
        "Date of change",
        "Vilket datum gäller ändringen?",
        "Planerad start",
        "Datum för sammanslagning",
        "Första dag",
    ],
    "besoksadress": ["Gatuadress:", "Adress till enheten", "Besöksadr.", "Visiting address"],
    "postnummer": ["Post nr", "Postnr.", "Postal code", "Postcode", "Zip code"],
    "ort": ["Postort:", "Orten", "City", "Town"],
    "telefon": [
        "Tfn",
        "Tel.",
        "Telefonnr",
        "Enhetens telefon",
        "Tel. till enheten",
        "Telefon (växel)",
        "Telefonummer",
        "Phone",
        "Telephone number",
        "Phone (unit)",
        "Kontakttelefon",
        "Telefon dagtid:",
    ],
    "epost": [
        "Mejl",
        "Mail:",
        "E-mail",
        "Epost-adress",
        "Enhetens mejladress",
        "Funktionsbrevlåda",
        "E-mail address",
        "Email",
    ],
    "webbadress": [
        "Hemsida:",
        "Webbplats",
        "Länk till enhetens webbsida",
        "URL",
        "Website",
        "Web address",
        "Homepage",
        "Länk till enhetens sida",
    ],
    "ansvarig_chef": [
        "Chef:",
        "Enhetschef",
        "Verksamhetschef (namn)",
        "Föreståndare",
        "Namn på chef",
        "Manager",
        "Unit manager",
        "Name of manager",
    ],
    "ansvarig_chef_telefon": [
        "Chefens telefonnummer",
        "Telefon till chef",
        "Tel. enhetschef",
        "Föreståndarens mobil",
        "Chefstelefon",
        "Manager's phone",
        "Manager phone number",
    ],
    "ansvarig_chef_epost": [
        "Chefens mejl",
        "Mejladress chef",
        "E-post till ansvarig chef",
        "Enhetschefens e-postadress",
        "Manager e-mail",
        "Manager's email address",
    ],
    "beskrivning": [
        "Beskriv verksamheten kort",
        "Verksamhetsbeskrivning:",
        "Presentation av enheten",
        "Description",
        "Description of the unit",
        "About the service",
        "Om oss",
    ],
    "inriktning": [
        "Profil",
        "Särskild kompetens",
        "Verksamhetens inriktning",
        "Specialisation",
        "Focus",
        "Special competence",
        "Har ni särskild kompetens?",
        "Målgrupp",
    ],
    "sprak": [
        "Språkkunskaper",
        "Språk som talas",
        "Språk som personalen talar",
        "Languages",
        "Languages spoken",
    ],
    "antal_platser": [
        "Antal platser:",
        # A qualifier after the label proper: what the number follows.
        "Antal platser enligt tillståndet",
        "Kapacitet",
        "Max antal platser",
        "Number of places",
        "Capacity",
        "Hur många platser?",
        "Antal brukare",
    ],
    "oppettider": [
        "Öppet:",
        "Öppethållande",
        "Verksamhetens öppettider",
        "Öppet dagar och tider",
        "Opening hours",
    ],
    "ifylld_av": [
        "Ifyllt av:",
        "Uppgiftslämnare",
        "Blanketten ifylld av",
        "Filled in by",
        "Completed by",
        "Vem har fyllt i blanketten?",
    ],
    "datum": ["Datum:", "Datum för ifyllande", "Date", "Date completed"],
}

CASES = [
    pytest.param(key, wording, style, id=f"{key}-{wording}-{style}")
    for key, wordings in WORDINGS.items()
    for wording in wordings
    for style in ("table", "inline", "label_paragraph")
    # The inline style prints postnummer and ort together on one line of its own; the
    # paragraph style prints the manager's fields as "Namn", "Telefon", "E-post" below
    # a heading of their own.
    if not (style == "inline" and key in ("postnummer", "ort"))
    and not (style == "label_paragraph" and key.startswith("ansvarig_chef"))
]


def _read(data: bytes) -> VerksamhetsForm:
    form = read_form(data, "Verksamhetsuppgifter.docx")
    assert form is not None
    return form


def _paragraphs(*lines: str) -> str:
    return "".join(
        f"<w:p><w:r><w:t xml:space='preserve'>{line}</w:t></w:r></w:p>" for line in lines
    )


def _control(tag: str, text: str) -> str:
    return (
        f"<w:p><w:sdt><w:sdtPr><w:tag w:val='{tag}'/></w:sdtPr><w:sdtContent>"
        f"<w:r><w:t xml:space='preserve'>{text}</w:t></w:r></w:sdtContent></w:sdt></w:p>"
    )


@pytest.mark.parametrize(("key", "wording", "style"), CASES)
def test_a_label_worded_differently_still_names_its_field(
    key: str, wording: str, style: str
) -> None:
    form = _read(build_form(ANSWERS, style, labels={key: wording}))
    assert form.answers() == VerksamhetsForm.model_validate(ANSWERS).answers()
    assert form.unmatched_labels == ()


# Labels that share words with another field's label: each must land on its own field.
SHARED_WORDS = [
    ("telefon", "Telefon till enheten"),
    ("ansvarig_chef_telefon", "Ansvarig chef, telefon"),
    ("telefon", "Enhetens telefonnummer"),
    ("ansvarig_chef_telefon", "Telefonnummer till ansvarig chef"),
    ("epost", "E-post till enheten"),
    ("ansvarig_chef_epost", "E-post till enhetschefen"),
    ("startdatum", "Datum då ändringen gäller"),
    ("startdatum", "Gäller från"),
    ("datum", "Datum"),
    ("tidigare_namn", "Tidigare namn"),
    ("enhetens_namn", "Enhetens namn"),
    ("enhetens_namn", "Namn på enheten efter sammanslagningen"),
    ("tidigare_namn", "Enheter som slås samman"),
    ("ansvarig_chef", "Ansvarig chef, namn"),
    ("ifylld_av", "Ifylld av (namn)"),
]


@pytest.mark.parametrize(("key", "wording"), SHARED_WORDS, ids=[w for _, w in SHARED_WORDS])
def test_labels_that_share_words_name_their_own_field(key: str, wording: str) -> None:
    # The other fields keep their printed labels, so both readings compete in one form.
    form = _read(build_form(ANSWERS, "table", labels={key: wording}))
    assert getattr(form, key) == ANSWERS[key]
    assert form.answers() == VerksamhetsForm.model_validate(ANSWERS).answers()


# --- labels the reader cannot place --------------------------------------------------

# Labels of no field on the form; each keeps its answer in form.unmatched_labels.
UNKNOWN = [
    ("Kontaktperson", "Eva Lund"),
    ("Har enheten parkering?", "Ja, på gården"),
    ("Parkering", "Finns på gården"),
    ("Favoritfärg", "Blå"),
    ("Tillgänglighet", "Ramp vid entrén"),
]


@pytest.mark.parametrize("style", ["table", "inline"])
@pytest.mark.parametrize(("label", "answer"), UNKNOWN, ids=[label for label, _ in UNKNOWN])
def test_an_unknown_label_is_listed_with_its_answer(style: str, label: str, answer: str) -> None:
    # The unknown label takes the place of "Öppettider": that field is then missing, and
    # the listing shows EKU what the sender wrote instead.
    form = _read(build_form({**ANSWERS, "oppettider": answer}, style, labels={"oppettider": label}))
    assert form.oppettider is None
    assert [(u.label, u.answer) for u in form.unmatched_labels] == [(label, answer)]
    expected = VerksamhetsForm.model_validate({**ANSWERS, "oppettider": None}).answers()
    assert form.answers() == expected


def test_an_unknown_label_left_empty_is_not_listed() -> None:
    form = _read(
        build_form({**ANSWERS, "oppettider": ""}, "table", labels={"oppettider": "Parkering"})
    )
    assert form.unmatched_labels == ()


def test_a_label_that_asks_two_things_is_listed_not_guessed() -> None:
    # "Telefon/E-post" is two fields in one: neither is guessed from it.
    form = _read(
        build_form(
            {**ANSWERS, "besoksadress": "Linnégatan 12, 413 04 Göteborg"},
            "table",
            labels={"besoksadress": "Telefon/E-post"},
        )
    )
    assert form.telefon == ANSWERS["telefon"] and form.epost == ANSWERS["epost"]
    assert [(u.label, u.answer) for u in form.unmatched_labels] == [
        ("Telefon/E-post", "Linnégatan 12, 413 04 Göteborg")
    ]


@pytest.mark.parametrize(
    "answer",
    ["Daglig verksamhet Kvarnen", "Förvaltningen för funktionsstöd", "Ny enhet", "Hemtjänst"],
)
def test_answers_that_share_words_with_labels_are_not_taken_for_labels(answer: str) -> None:
    # Table style decides label or answer cell by cell: these must stay answers.
    form = _read(build_form({**ANSWERS, "enhetens_namn": answer}, "table"))
    assert form.enhetens_namn == answer
    assert form.unmatched_labels == ()


def test_check_json_lists_unmatched_labels(tmp_path: Path) -> None:
    docx = build_form(
        {**ANSWERS, "oppettider": "Eva Lund"}, "table", labels={"oppettider": "Kontaktperson"}
    )
    with_form = tmp_path / "form.eml"
    with_form.write_bytes(
        build_mail(
            "Hej! Solrosen Ateljé startar 2027-09-01. Blanketten bifogas.",
            subject="Ny enhet",
            attachments=[
                (
                    "Verksamhetsuppgifter.docx",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    docx,
                )
            ],
        )
    )
    without_form = tmp_path / "plain.eml"
    without_form.write_bytes(build_mail("Daglig verksamhet Hamnen upphör 2027-06-30."))
    result = subprocess.run(
        [LOVBOT, "check", "--json", str(with_form), str(without_form)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    first, second = (json.loads(line)["form"] for line in result.stdout.splitlines())
    assert first["unmatched_labels"] == [{"label": "Kontaktperson", "answer": "Eva Lund"}]
    assert "oppettider" not in first["fields"]
    assert second["unmatched_labels"] == []


def test_a_form_written_wholly_in_english() -> None:
    lines = [
        "Unit details form",
        "Type of change: ☒ New unit ☐ Merger ☐ Name change ☐ Other changes",
        "Area of service: ☐ Home care ☒ Daily activities",
        "Provider: Green Steps Care AB",
        "Company registration number: 556036-0793",
        "Unit name: Green Steps Verkstan",
        "Start date: 2028-02-01",
        "Visiting address: Kortedala Torg 5",
        "Postcode: 415 14",
        "City: Göteborg",
        "Phone: 031-700 88 10",
        "E-mail: verkstan@greensteps.se",
        "Website: https://www.greensteps.se/verkstan",
        "Manager: Priya Nair",
        "Manager's phone: 073-555 01 22",
        "Manager's e-mail: priya.nair@greensteps.se",
        "Description: Outdoor work and animal care.",
        "Languages spoken: English, Swedish",
        "Number of places: 12",
        "Opening hours: Weekdays 8-16",
        "Completed by: Priya Nair",
        "Date: 2027-11-20",
    ]
    body = "".join(
        f"<w:p><w:r><w:t xml:space='preserve'>{line}</w:t></w:r></w:p>" for line in lines
    )
    form = _read(docx_from_body(body))
    assert form.answers() == {
        "typ_av_andring": ["Ny enhet"],
        "verksamhetsomrade": "Daglig verksamhet LSS",
        "utforare": "Green Steps Care AB",
        "organisationsnummer": "556036-0793",
        "enhetens_namn": "Green Steps Verkstan",
        "startdatum": "2028-02-01",
        "besoksadress": "Kortedala Torg 5",
        "postnummer": "415 14",
        "ort": "Göteborg",
        "telefon": "031-700 88 10",
        "epost": "verkstan@greensteps.se",
        "webbadress": "https://www.greensteps.se/verkstan",
        "ansvarig_chef": "Priya Nair",
        "ansvarig_chef_telefon": "073-555 01 22",
        "ansvarig_chef_epost": "priya.nair@greensteps.se",
        "beskrivning": "Outdoor work and animal care.",
        "sprak": "English, Swedish",
        "antal_platser": "12",
        "oppettider": "Weekdays 8-16",
        "ifylld_av": "Priya Nair",
        "datum": "2027-11-20",
    }
    assert form.unmatched_labels == ()


def test_the_unmatched_listing_is_bounded() -> None:
    # A form followed by hundreds of "Label: answer" lines of no field: the listing, which
    # is echoed in every JSON line and case record, stays short and each answer bounded.
    extra = _paragraphs(
        *(f"Rad nummer{'x' * (n % 7)}{chr(97 + n % 26)}: {'svar ' * 200}" for n in range(300))
    )
    body = "".join(
        f"<w:p><w:r><w:t xml:space='preserve'>{label} {value}</w:t></w:r></w:p>"
        for label, value in [("Enhetens namn:", "Solrosen"), ("Utförare:", "Solrosen AB")]
    )
    form = _read(
        docx_from_body("<w:p><w:r><w:t>Verksamhetsuppgifter</w:t></w:r></w:p>" + body + extra)
    )
    assert form.enhetens_namn == "Solrosen"
    assert 0 < len(form.unmatched_labels) <= 40
    assert all(len(item.answer) <= 500 for item in form.unmatched_labels)


def test_gäller_names_the_change_alone_and_the_start_with_a_date_or_from() -> None:
    lines = [
        "Verksamhetsuppgifter",
        "Ändringen gäller: ☐ Ny enhet ☒ Namnändring",
        "Enhetens nya namn: Solrosen Ateljé",
        "Tidigare namn: Ateljé Solrosen Väst",
        "Ändringen gäller från och med: 2027-09-01",
        "Datum: 2027-05-20",
    ]
    body = "".join(
        f"<w:p><w:r><w:t xml:space='preserve'>{line}</w:t></w:r></w:p>" for line in lines
    )
    form = _read(docx_from_body(body))
    assert form.typ_av_andring == ("Namnändring",)
    assert (form.enhetens_namn, form.tidigare_namn) == ("Solrosen Ateljé", "Ateljé Solrosen Väst")
    assert (form.startdatum, form.datum) == ("2027-09-01", "2027-05-20")


def test_dot_and_underscore_leaders_of_a_printed_form() -> None:
    body = _paragraphs(
        "Verksamhetsuppgifter",
        "Enhetens namn ........ Solrosen Ateljé",
        "Telefon ........ 031-700 10 10",
        "E-post ________ atelje@solrosen.se",
        "Startdatum …… 2027-09-01",
    )
    form = _read(docx_from_body(body))
    assert (form.enhetens_namn, form.telefon) == ("Solrosen Ateljé", "031-700 10 10")
    assert (form.epost, form.startdatum) == ("atelje@solrosen.se", "2027-09-01")


def test_controls_named_by_their_author_in_other_ways() -> None:
    body = _paragraphs("Verksamhetsuppgifter") + "".join(
        _control(tag, text)
        for tag, text in [
            ("txtEnhetsnamn", "Solrosen Ateljé"),
            ("Telefon2", "031-700 10 10"),
            ("ChefEpost", "mira.holm@solrosen.se"),
            ("fld_startdatum", "2027-09-01"),
            ("Text7", "ingenting"),
        ]
    )
    form = _read(docx_from_body(body))
    assert form.answers() == {
        "enhetens_namn": "Solrosen Ateljé",
        "startdatum": "2027-09-01",
        "telefon": "031-700 10 10",
        "ansvarig_chef_epost": "mira.holm@solrosen.se",
    }


def test_english_section_headings_give_name_and_phone_their_owner() -> None:
    body = _paragraphs(
        "Verksamhetsuppgifter",
        "UNIT",
        "Name: Green Steps Verkstan",
        "Phone: 031-700 88 10",
        "MANAGER",
        "Name: Priya Nair",
        "Phone: 073-555 01 22",
        "E-mail: priya.nair@greensteps.se",
        "SIGNATURE",
        "Name: Jonas Berg",
        "Date: 2027-11-20",
    )
    form = _read(docx_from_body(body))
    assert form.answers() == {
        "enhetens_namn": "Green Steps Verkstan",
        "telefon": "031-700 88 10",
        "ansvarig_chef": "Priya Nair",
        "ansvarig_chef_telefon": "073-555 01 22",
        "ansvarig_chef_epost": "priya.nair@greensteps.se",
        "ifylld_av": "Jonas Berg",
        "datum": "2027-11-20",
    }


@pytest.mark.parametrize(
    ("label", "answer", "expected"),
    [
        ("Postnummer och ort", "431 34 Mölndal", ("Kvarnbygatan 12", "431 34", "Mölndal")),
        ("Postnr/Ort", "43134 Mölndal", ("Kvarnbygatan 12", "43134", "Mölndal")),
        ("Postcode and city", "431 34 Mölndal", ("Kvarnbygatan 12", "431 34", "Mölndal")),
    ],
)
def test_one_label_for_postnummer_and_ort(
    label: str, answer: str, expected: tuple[str, str, str]
) -> None:
    body = _paragraphs(
        "Verksamhetsuppgifter",
        "Enhetens namn: Solrosen Ateljé",
        "Besöksadress: Kvarnbygatan 12",
        f"{label}: {answer}",
    )
    form = _read(docx_from_body(body))
    assert (form.besoksadress, form.postnummer, form.ort) == expected
    assert form.unmatched_labels == ()


@pytest.mark.parametrize(
    "label", ["Adress, postnummer och ort", "Besöksadress (gata, postnummer, ort)", "Adress"]
)
def test_an_address_written_whole_answers_postnummer_and_ort(label: str) -> None:
    body = _paragraphs(
        "Verksamhetsuppgifter",
        "Enhetens namn: Solrosen Ateljé",
        f"{label}: Kvarnbygatan 12, 431 34 Mölndal",
        "Telefon: 031-700 10 10",
    )
    form = _read(docx_from_body(body))
    assert (form.besoksadress, form.postnummer, form.ort) == (
        "Kvarnbygatan 12",
        "431 34",
        "Mölndal",
    )


def test_a_combined_label_whose_answer_does_not_split_is_listed() -> None:
    body = _paragraphs(
        "Verksamhetsuppgifter",
        "Enhetens namn: Solrosen Ateljé",
        "Besöksadress: Kvarnbygatan 12",
        "Postnummer och ort: Mölndal",
    )
    form = _read(docx_from_body(body))
    assert (form.postnummer, form.ort) == (None, None)
    assert [(u.label, u.answer) for u in form.unmatched_labels] == [
        ("Postnummer och ort", "Mölndal")
    ]


def test_change_types_answered_yes_or_no_beside_each_option() -> None:
    rows = [("Ny enhet", "Nej"), ("Sammanslagning", "Ja"), ("Namnändring", "nej")]
    table = "".join(
        f"<w:tr><w:tc><w:p><w:r><w:t>{option}</w:t></w:r></w:p></w:tc>"
        f"<w:tc><w:p><w:r><w:t>{answer}</w:t></w:r></w:p></w:tc></w:tr>"
        for option, answer in rows
    )
    body = _paragraphs("Verksamhetsuppgifter", "Typ av ändring", "Enhetens namn: Solrosen")
    form = _read(docx_from_body(body + f"<w:tbl>{table}</w:tbl>"))
    assert form.typ_av_andring == ("Sammanslagning",)
    assert form.unmatched_labels == ()


@pytest.mark.parametrize(
    ("key", "wording"),
    [
        ("telefon", "Telefon dagtid"),
        ("epost", "E-post arbetstid"),
        ("besoksadress", "Besöksadress Hisingen"),
        ("ansvarig_chef", "Ansvarig chef (namn)"),
        ("oppettider", "Öppettider sommartid"),
    ],
)
def test_a_table_label_may_hold_one_word_of_its_own(key: str, wording: str) -> None:
    # Beside an answer cell, a label with one unknown word is still read as its field.
    form = _read(build_form(ANSWERS, "table", labels={key: wording}))
    assert form.answers() == VerksamhetsForm.model_validate(ANSWERS).answers()
    assert form.unmatched_labels == ()


@pytest.mark.parametrize("style", STYLES)
def test_a_form_with_every_label_known_lists_nothing_unmatched(style: str) -> None:
    # A description whose sentences hold a colon is prose, not "label: answer" lines.
    prose = "Vi erbjuder två spår: keramik och måleri.\nObservera: vi har stängt i juli."
    # Check boxes in a table of their own, so no "Typ av ändring:" line above gathers the
    # text below it.
    form = _read(build_form({**ANSWERS, "beskrivning": prose}, style, checkboxes="table_rows"))
    assert form.beskrivning == prose
    assert form.unmatched_labels == ()


def test_minutes_with_label_like_lines_are_not_the_form() -> None:
    # Labels read only by their meaning are weaker evidence than the form's own wording:
    # meeting minutes with "Ansvarig:", "Plats:" and "Verksamhetens inriktning:" lines
    # are not a form whose missing fields the sender would be asked for.
    minutes = _paragraphs(
        "Protokoll",
        "Datum: 2027-01-10",
        "Närvarande: Anna, Bo",
        "Ansvarig: Anna Lind",
        "Plats: Kvarnen",
        "Telefon: 031-365 10 00",
        "E-post: anna.lind@goteborg.se",
        "Beslut: Enheten startar i mars.",
        "Verksamhetens inriktning: autism",
    )
    assert read_form(docx_from_body(minutes), "Protokoll.docx") is None


@pytest.mark.parametrize(
    "answer",
    [
        "(meddelas senare)",
        "(rekrytering pågår – meddelas senare)",
        "Ej tillsatt ännu",
        "Återkommer med detta",
        "TBD",
        "Vakant",
    ],
)
def test_an_answer_still_to_come_is_no_answer(answer: str) -> None:
    assert clean_answer(answer) is None


@pytest.mark.parametrize("answer", ["Anna Berg (tillträder 1 mars)", "Klart 1 mars"])
def test_an_answer_with_a_remark_stays(answer: str) -> None:
    assert clean_answer(answer) == answer


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Verksamhet (hemtjänst / daglig verksamhet)", "verksamhetsomrade"),
        ("Enhetens namn så som det ska visas", "enhetens_namn"),
    ],
)
def test_older_templates_labels(label: str, key: str) -> None:
    from parsers.form.labels import label_key

    assert label_key(label, "") == key
