"""parsers.form: the form Verksamhetsuppgifter read from every style Word allows."""

from __future__ import annotations

import contextlib
import io
import struct
import zipfile
from pathlib import Path

import pytest
from formbuilders import CHECKBOX_STYLES, PLACEHOLDER, STYLES, build_form, docx_from_body
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers.errors import FormUnreadable
from parsers.form import (
    CHANGE_TYPES,
    FORM_LABELS,
    VerksamhetsForm,
    is_word_attachment,
    read_form,
)

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples" / "forms"

MUNICIPAL_DV = {
    "typ_av_andring": ["Ny enhet"],
    "verksamhetsomrade": "Daglig verksamhet LSS",
    "utforare": "Förvaltningen för funktionsstöd",
    "enhetens_namn": "Daglig verksamhet Kvarnen",
    "ansvarskod": "4711203",
    "startdatum": "2027-03-01",
    "besoksadress": "Kvarnbygatan 12",
    "postnummer": "431 34",
    "ort": "Mölndal",
    "telefon": "031-365 40 00",
    "epost": "kvarnen@funktionsstod.goteborg.se",
    "webbadress": "https://goteborg.se/kvarnen",
    "ansvarig_chef": "Anna Lind",
    "ansvarig_chef_telefon": "031-365 12 34",
    "ansvarig_chef_epost": "anna.lind@funktionsstod.goteborg.se",
    "beskrivning": "Vi erbjuder arbete: café och trädgård.\nAnpassad för personer med autism.",
    "inriktning": "Autism, tydliggörande pedagogik",
    "sprak": "Svenska, arabiska",
    "antal_platser": "18",
    "oppettider": "Vardagar 08:00–16:00",
    "ifylld_av": "Bo Ek",
    "datum": "2027-01-08",
}

PRIVATE_PARTIAL = {
    "typ_av_andring": ["Namnändring", "Övriga ändringar"],
    "verksamhetsomrade": "Hemtjänst",
    "utforare": "Omsorgsgruppen AB",
    "organisationsnummer": "556036-0793",
    "enhetens_namn": "Omsorgsgruppen Hemtjänst Väster",
    "tidigare_namn": "Hemtjänst Majorna",
    "startdatum": "1 maj 2027",
    "besoksadress": "Vågen 3",
    "postnummer": "41505",
    "ort": "Göteborg",
    "telefon": "070-123 45 67",
    "webbadress": "www.omsorgsgruppen.se",
    "ansvarig_chef": "Per Holm",
    "beskrivning": "Hemtjänst dygnet runt.",
    "oppettider": "Dygnet runt",
}

SPARSE = {
    "typ_av_andring": [],
    "verksamhetsomrade": "daglig verksamhet",
    "utforare": "SDF Askim-Frölunda-Högsbo",
    "enhetens_namn": "KVARNEN DAGLIG VERKSAMHET",
    "startdatum": "2027-10-01",
    "ansvarig_chef": "Eva Berg",
    "ansvarig_chef_epost": "eva.berg@askim.goteborg.se",
    "beskrivning": "Första stycket.\nAndra stycket.\nTredje stycket, med kolon: så här.",
}

ANSWER_SETS = {"municipal_dv": MUNICIPAL_DV, "private_partial": PRIVATE_PARTIAL, "sparse": SPARSE}


def _expected(answers: dict[str, object]) -> dict[str, str | list[str]]:
    return VerksamhetsForm.model_validate(answers).answers()


def _read(data: bytes) -> VerksamhetsForm:
    form = read_form(data, "Verksamhetsuppgifter.docx")
    assert form is not None
    return form


# --- every style ---------------------------------------------------------------------


@pytest.mark.parametrize("answers_name", sorted(ANSWER_SETS))
@pytest.mark.parametrize("style", STYLES)
def test_every_style_reads_the_answers(style: str, answers_name: str) -> None:
    answers = ANSWER_SETS[answers_name]
    assert _read(build_form(answers, style)).answers() == _expected(answers)


@pytest.mark.parametrize("typ", [["Ny enhet"], ["Sammanslagning", "Övriga ändringar"], []])
@pytest.mark.parametrize("checkboxes", CHECKBOX_STYLES)
def test_every_kind_of_check_box(checkboxes: str, typ: list[str]) -> None:
    form = _read(build_form({**MUNICIPAL_DV, "typ_av_andring": typ}, checkboxes=checkboxes))
    assert form.typ_av_andring == tuple(typ)


@pytest.mark.parametrize("empty", ["–", "saknas", "Ej aktuellt", "se bilaga", PLACEHOLDER])
@pytest.mark.parametrize("style", ["table", "table_above", "label_paragraph", "inline"])
def test_empty_answers_read_as_none(style: str, empty: str) -> None:
    form = _read(build_form(PRIVATE_PARTIAL, style, empty=empty))
    assert form.answers() == _expected(PRIVATE_PARTIAL)
    assert form.epost is None and form.ansvarskod is None


@pytest.mark.parametrize("area", ["Hemtjänst", "Daglig verksamhet LSS"])
@pytest.mark.parametrize("style", ["table", "table_sections", "label_paragraph", "inline"])
def test_area_as_check_boxes(style: str, area: str) -> None:
    form = _read(build_form({**MUNICIPAL_DV, "verksamhetsomrade": area}, style, area_boxes=True))
    assert form.verksamhetsomrade == area


LABEL_VARIANTS = [
    {
        "verksamhetsomrade": "Verksamhetsområde (hemtjänst/daglig verksamhet):",
        "utforare": "Utförarens namn:",
        "organisationsnummer": "Org.nr*",
        "enhetens_namn": "Namn på enheten:",
        "ansvarskod": "ANSVARSKOD",
        "startdatum": "Datum för start",
        "besoksadress": "Adress",
        "postnummer": "Postnr.",
        "ort": "Postort",
        "telefon": "Tel",
        "epost": "Epost",
        "webbadress": "Hemsida/Webbadress",
        "ansvarig_chef": "Enhetschef",
        "ansvarig_chef_telefon": "Telefon chef",
        "ansvarig_chef_epost": "E-post chef",
        "beskrivning": "Beskrivning",
        "inriktning": "Särskilda kompetenser",
        "sprak": "Språk",
        "antal_platser": "Kapacitetstak",
        "oppettider": "Öppet",
        "ifylld_av": "Ifylld av",
        "datum": "Datum för ifyllnad",
    },
    {
        "verksamhetsomrade": "1. Verksamhetsområde",
        "utforare": "Utförare *",
        "organisationsnummer": "Org nr",
        "enhetens_namn": "Enhet",
        "tidigare_namn": "Tidigare namn",
        "ansvarskod": "Ekonomisk  ansvarskod :",
        "startdatum": "Gäller från",
        "besoksadress": "besöksadress",
        "postnummer": "POSTNUMMER",
        "telefon": "Telefon",
        "epost": "Mejl",
        "webbadress": "Webbplats",
        "ansvarig_chef": "Ansvarig chef",
        "ansvarig_chef_telefon": "Ansvarig chef, telefonnummer",
        "ansvarig_chef_epost": "Ansvarig chef, e-postadress",
        "beskrivning": "Verksamhetsbeskrivning",
        "inriktning": "Inriktning",
        "antal_platser": "Antal platser",
        "oppettider": "Öppettider",
    },
]


@pytest.mark.parametrize("style", ["table", "inline"])
@pytest.mark.parametrize("variant", range(len(LABEL_VARIANTS)))
def test_label_variants(variant: int, style: str) -> None:
    data = build_form(MUNICIPAL_DV, style, labels=LABEL_VARIANTS[variant])
    assert _read(data).answers() == _expected(MUNICIPAL_DV)


def test_manager_phone_under_section_heading_and_datum_is_not_startdatum() -> None:
    form = _read(build_form(MUNICIPAL_DV, "table_sections"))
    assert form.telefon == "031-365 40 00"
    assert form.ansvarig_chef_telefon == "031-365 12 34"
    assert form.ansvarig_chef_epost == "anna.lind@funktionsstod.goteborg.se"
    assert form.utforare == "Förvaltningen för funktionsstöd"
    assert form.ifylld_av == "Bo Ek"
    assert (form.startdatum, form.datum) == ("2027-03-01", "2027-01-08")


def test_date_picker_gives_the_stored_iso_day() -> None:
    # The control shows "1 maj 2027"; w:fullDate keeps 2027-05-01.
    form = _read(build_form({**MUNICIPAL_DV, "startdatum": "2027-05-01"}, "sdt_label"))
    assert form.startdatum == "2027-05-01"


# --- the sample forms ----------------------------------------------------------------


def _sample(name: str) -> VerksamhetsForm:
    return _read((SAMPLES / name).read_bytes())


def test_sample_01_table() -> None:
    form = _sample("01_table.docx")
    assert form.typ_av_andring == ("Ny enhet",)
    assert form.verksamhetsomrade == "Daglig verksamhet LSS"
    assert form.enhetens_namn == "Daglig verksamhet Björkängen"
    assert form.organisationsnummer is None
    assert (form.ansvarskod, form.startdatum, form.datum) == ("4711203", "2027-04-01", "2027-01-08")
    assert form.beskrivning == (
        "Vi erbjuder en meningsfull vardag med arbete inom café, trädgård och montering.\n"
        "Verksamheten är anpassad för personer med autism."
    )
    assert len(form.answers()) == len(FORM_LABELS) - 2  # organisationsnummer, tidigare_namn


def test_sample_02_sections_and_label_variants() -> None:
    form = _sample("02_table_sections.docx")
    assert form.enhetens_namn == "Daglig verksamhet Kvarnen"
    assert (form.besoksadress, form.postnummer, form.ort) == (
        "Kvarnbygatan 12",
        "431 34",
        "Mölndal",
    )
    assert form.telefon == "031-365 40 00"
    assert form.ansvarig_chef_telefon == "031-365 12 34"
    assert form.webbadress == "https://goteborg.se/wps/portal/enhetssida/daglig-verksamhet-kvarnen"
    assert (form.inriktning, form.oppettider) == (
        "Autism, tydliggörande pedagogik",
        "Vardagar 08.00–16.00",
    )
    assert (form.startdatum, form.datum) == ("2027-03-01", "2027-01-08")


def test_sample_04_controls() -> None:
    form = _sample("04_controls.docx")
    assert form.typ_av_andring == ("Ny enhet",)
    assert form.enhetens_namn == "Daglig verksamhet Ateljé Linnea"
    assert form.startdatum == "2027-09-01"
    assert form.ansvarig_chef_epost is None
    assert form.beskrivning is None
    assert form.organisationsnummer is None and form.tidigare_namn is None


def test_sample_07_merge() -> None:
    form = _sample("07_merge.docx")
    assert form.typ_av_andring == ("Sammanslagning",)
    assert form.enhetens_namn == "Daglig verksamhet Vättlefjäll"
    assert form.tidigare_namn == "Daglig verksamhet Angered Centrum, Daglig verksamhet Hjällbo"


def test_samples_agree_with_their_builder_twin() -> None:
    # 01 is the plain table; the builder's "table" style must give the same model.
    form = _sample("01_table.docx")
    assert _read(build_form(form.answers(), "table")) == form


# --- other places Word puts text -------------------------------------------------------

_ROWS = [
    ("Enhetens namn", "Daglig verksamhet Tallen"),
    ("Utförare", "Förvaltningen för funktionsstöd"),
    ("Gäller från datum", "2027-10-01"),
]


def _paragraph(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def test_title_in_the_header_and_fields_in_a_text_box() -> None:
    box = "".join(_paragraph(f"{label}: {value}") for label, value in _ROWS)
    # Word writes a text box twice: the DrawingML choice and a VML fallback.
    drawing = (
        '<w:p><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/'
        'markup-compatibility/2006"><mc:Choice Requires="wps"><w:drawing><w:txbxContent>'
        f"{box}</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict>"
        f"<w:txbxContent>{box}</w:txbxContent></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p>"
    )
    form = _read(docx_from_body(drawing, header_text="Verksamhetsuppgifter"))
    assert form.enhetens_namn == "Daglig verksamhet Tallen"
    assert form.startdatum == "2027-10-01"


def test_legacy_dropdown_and_simple_field() -> None:
    dropdown = (
        "<w:p><w:r><w:t>Verksamhetsområde: </w:t></w:r>"
        "<w:r><w:fldChar w:fldCharType='begin'><w:ffData><w:name w:val='Listruta1'/>"
        "<w:ddList><w:result w:val='1'/><w:listEntry w:val='Hemtjänst'/>"
        "<w:listEntry w:val='Daglig verksamhet'/></w:ddList></w:ffData></w:fldChar></w:r>"
        "<w:r><w:instrText> FORMDROPDOWN </w:instrText></w:r>"
        "<w:r><w:fldChar w:fldCharType='end'/></w:r></w:p>"
    )
    simple = (
        "<w:p><w:r><w:t>Webbadress: </w:t></w:r><w:fldSimple w:instr=' HYPERLINK x '>"
        "<w:r><w:t>https://goteborg.se/tallen</w:t></w:r></w:fldSimple></w:p>"
    )
    body = _paragraph("Verksamhetsuppgifter") + dropdown + simple
    body += "".join(_paragraph(f"{label}: {value}") for label, value in _ROWS)
    form = _read(docx_from_body(body))
    assert form.verksamhetsomrade == "Daglig verksamhet LSS"
    assert form.webbadress == "https://goteborg.se/tallen"


def test_label_above_answer_in_paragraphs_spans_paragraphs() -> None:
    body = _paragraph("VERKSAMHETSUPPGIFTER")
    body += _paragraph("Beskrivning av verksamheten:")
    body += _paragraph("Första stycket.") + "<w:p/>" + _paragraph("Andra stycket.")
    body += _paragraph("Enhetens namn:") + _paragraph("Tallen")
    form = _read(docx_from_body(body))
    assert form.beskrivning == "Första stycket.\nAndra stycket."
    assert form.enhetens_namn == "Tallen"


def test_unnamed_controls_and_label_value_cells() -> None:
    control = (
        "<w:sdt><w:sdtPr><w:id w:val='5'/><w:tag w:val=''/></w:sdtPr><w:sdtContent>"
        "<w:r><w:t>{}</w:t></w:r></w:sdtContent></w:sdt>"
    )
    placeholder = (
        "<w:sdt><w:sdtPr><w:id w:val='6'/><w:showingPlcHdr/></w:sdtPr><w:sdtContent>"
        "<w:r><w:t>Click or tap here to enter text.</w:t></w:r></w:sdtContent></w:sdt>"
    )
    cell = "<w:tc>{}</w:tc>"
    body = _paragraph("Verksamhetsuppgifter")
    body += "<w:p><w:r><w:t xml:space='preserve'>Enhetens namn: </w:t></w:r>"
    body += control.format("Daglig verksamhet Tallen") + "</w:p>"
    body += _paragraph("Utförare:") + f"<w:p>{placeholder}</w:p>"
    body += "<w:tbl><w:tr>" + cell.format(_paragraph("Ort: Göteborg")) + "</w:tr><w:tr>"
    body += cell.format(_paragraph("Postnummer: 415 05")) + cell.format(_paragraph("Tel: 031-1"))
    body += "</w:tr></w:tbl>"
    form = _read(docx_from_body(body))
    assert (form.enhetens_namn, form.utforare) == ("Daglig verksamhet Tallen", None)
    assert (form.ort, form.postnummer, form.telefon) == ("Göteborg", "415 05", "031-1")


def test_strict_open_xml_namespace() -> None:
    data = (SAMPLES / "01_table.docx").read_bytes()
    strict = _rewrite(
        data,
        "word/document.xml",
        lambda xml: xml.replace(
            b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
            b"http://purl.oclc.org/ooxml/wordprocessingml/main",
        ),
    )
    assert _read(strict).enhetens_namn == "Daglig verksamhet Björkängen"


# --- not the form --------------------------------------------------------------------


@pytest.mark.parametrize(
    "paragraphs",
    [
        [
            "Hej!",
            "Här kommer blanketten Verksamhetsuppgifter för vår nya enhet, se bifogad fil.",
            "Med vänlig hälsning",
            "Anna Lind",
            "Telefon: 031-365 12 34",
            "E-post: anna.lind@funktionsstod.goteborg.se",
            "Datum: 2027-01-08",
            "Adress: Björkängsgatan 4",
        ],
        ["Protokoll", "Närvarande: Anna, Bo", "Ort: Göteborg", "Datum: 2027-01-08", "§1 Öppnande"],
        [],
    ],
)
def test_a_document_that_is_not_the_form_gives_none(paragraphs: list[str]) -> None:
    data = docx_from_body("".join(_paragraph(text) for text in paragraphs))
    assert read_form(data, "brev.docx") is None


# --- unreadable ----------------------------------------------------------------------


def _rewrite(data: bytes, name: str, change: object) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == name:
                content = change(content)  # type: ignore[operator]
            target.writestr(info.filename, content)
    return buffer.getvalue()


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as package:
        for name, content in members.items():
            package.writestr(name, content)
    return buffer.getvalue()


def _sample_bytes() -> bytes:
    return (SAMPLES / "01_table.docx").read_bytes()


def _declared_size(data: bytes, size: int) -> bytes:
    """The zip with its first central-directory entry claiming ``size`` bytes unpacked."""
    at = data.index(b"PK\x01\x02")
    return data[: at + 24] + struct.pack("<I", size) + data[at + 28 :]


_DOCM_TYPE = b"application/vnd.ms-word.document.macroEnabled.main+xml"
_DOCX_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

UNREADABLE = {
    "doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504,
    "rtf": b"{\\rtf1\\ansi Verksamhetsuppgifter}",
    "random": b"not a zip at all",
    "empty": b"",
    "truncated": _sample_bytes()[:5000],
    "docm content type": _rewrite(
        _sample_bytes(), "[Content_Types].xml", lambda xml: xml.replace(_DOCX_TYPE, _DOCM_TYPE)
    ),
    "vba project": _zip({"word/document.xml": b"<x/>", "word/vbaProject.bin": b"\0"}),
    "no document.xml": _zip({"word/styles.xml": b"<w:styles/>"}),
    "broken xml": _rewrite(_sample_bytes(), "word/document.xml", lambda xml: xml[:-40]),
    "dtd": _rewrite(
        _sample_bytes(),
        "word/document.xml",
        lambda xml: xml.replace(b"?>", b'?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">]>', 1),
    ),
    "zip bomb": _zip({"word/document.xml": b" " * (4 * 1024 * 1024)}),
    "too many members": _zip({f"m{n}.xml": b"" for n in range(1200)}, zipfile.ZIP_STORED),
    "huge declared member": _declared_size(
        _zip({"word/document.xml": b"<x/>"}, zipfile.ZIP_STORED), 60 * 1024 * 1024
    ),
    "too large": b"PK\x03\x04" + b"\0" * (15 * 1024 * 1024 + 1),
    "spreadsheet": _zip(
        {
            "[Content_Types].xml": b'<Types xmlns="http://schemas.openxmlformats.org/package/'
            b'2006/content-types"><Override PartName="/word/document.xml" ContentType="'
            b'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            b"</Types>",
            "word/document.xml": b"<x/>",
        }
    ),
}


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_unreadable_inputs_raise_form_unreadable(name: str) -> None:
    with pytest.raises(FormUnreadable) as raised:
        read_form(UNREADABLE[name], "Verksamhetsuppgifter.docx")
    assert str(raised.value)  # a short Swedish reason for the finding


def test_docm_filename_is_refused_before_opening() -> None:
    with pytest.raises(FormUnreadable, match="makron"):
        read_form(_sample_bytes(), "Verksamhetsuppgifter.docm")


def test_doc_reason_names_the_old_format() -> None:
    with pytest.raises(FormUnreadable, match=r"\.doc"):
        read_form(UNREADABLE["doc"], "Verksamhetsuppgifter Tallen.doc")


def test_errors_from_below_are_chained() -> None:
    with pytest.raises(FormUnreadable) as raised:
        read_form(UNREADABLE["random"])
    assert isinstance(raised.value.__cause__, zipfile.BadZipFile)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_random_bytes_never_raise_anything_else(data: bytes) -> None:
    with contextlib.suppress(FormUnreadable):
        assert read_form(data) is None  # random bytes are never the form


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cut=st.integers(min_value=0, max_value=40000),
    flips=st.lists(
        st.tuples(st.integers(min_value=0, max_value=40000), st.integers(0, 255)), max_size=8
    ),
)
def test_damaged_real_forms_never_raise_anything_else(
    cut: int, flips: list[tuple[int, int]]
) -> None:
    data = bytearray(_sample_bytes())
    for position, value in flips:
        if position < len(data):
            data[position] = value
    with contextlib.suppress(FormUnreadable):
        read_form(bytes(data[: cut or None]))


# --- attachments and the model -----------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "content_type", "expected"),
    [
        ("Verksamhetsuppgifter.docx", None, True),
        ("blankett.DOC", "application/octet-stream", True),
        ("mall.dotx", None, True),
        ("makro.docm", None, True),
        ("sparad.rtf", None, True),
        (None, "application/msword", True),
        (None, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", True),
        ("x", "application/vnd.ms-word.document.macroEnabled.12; name=x.docm", True),
        ("Forsakringsbrev_2027.pdf", "application/pdf", False),
        ("bild.png", "image/png", False),
        (None, None, False),
    ],
)
def test_is_word_attachment(filename: str | None, content_type: str | None, expected: bool) -> None:
    assert is_word_attachment(filename, content_type) is expected


def test_model_cleans_and_orders() -> None:
    form = VerksamhetsForm(
        typ_av_andring=["övriga ändringar", "Ny enhet", "Ny enhet"],
        verksamhetsomrade=" daglig verksamhet enligt LSS ",
        enhetens_namn="  Tallen ",
        epost="–",
        beskrivning="Ett.\n\n  Två.  ",
        webbadress=PLACEHOLDER,
    )
    assert form.typ_av_andring == ("Ny enhet", "Övriga ändringar")
    assert form.verksamhetsomrade == "Daglig verksamhet LSS"
    assert form.answers() == {
        "typ_av_andring": ["Ny enhet", "Övriga ändringar"],
        "verksamhetsomrade": "Daglig verksamhet LSS",
        "enhetens_namn": "Tallen",
        "beskrivning": "Ett.\nTvå.",
    }
    assert list(FORM_LABELS) == list(VerksamhetsForm.model_fields)[: len(FORM_LABELS)]
    assert form.unmatched_labels == ()
    assert CHANGE_TYPES == ("Ny enhet", "Sammanslagning", "Namnändring", "Övriga ändringar")
    with pytest.raises(ValueError):
        VerksamhetsForm(typ_av_andring=["Flytt"])
