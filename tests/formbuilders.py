"""Build the form Verksamhetsuppgifter as .docx in every style Word lets people fill it.

``build_form(answers, style, checkboxes=...)`` writes the same answers as a label/answer
table, a table with section rows and other label wordings, content controls found by tag,
by title or by the label beside them, legacy form fields, labels above their answers,
"Label: value" lines, and the kind of change as check boxes of many sorts. Built with
python-docx; what it has no API for (content controls, legacy fields, w14 check boxes) is
written as XML with lxml.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.table import Table
from lxml import etree

from parsers.form import CHANGE_TYPES, FORM_LABELS

__all__ = [
    "CHECKBOX_STYLES",
    "PLACEHOLDER",
    "STYLES",
    "Answers",
    "build_form",
    "docx_from_body",
]

Answers = Mapping[str, "str | Sequence[str]"]

PLACEHOLDER = "Klicka eller tryck här för att ange text."

STYLES = (
    "table",
    "table_sections",
    "table_above",
    "table_pairs",
    "sdt_tag",
    "sdt_alias",
    "sdt_label",
    "legacy_named",
    "legacy_label",
    "label_paragraph",
    "inline",
)

CHECKBOX_STYLES = (
    "glyph",
    "brackets",
    "letter_x",
    "suffix",
    "wingdings",
    "w14",
    "w14_alias",
    "legacy",
    "table_rows",
    "words",
)

_W = nsdecls("w")
_W14 = nsdecls("w", "w14")
_FIELDS = [key for key in FORM_LABELS if key != "typ_av_andring"]

# Sections with the wordings units use; "Namn" and "Telefon" only mean something below
# their heading, and "Kontaktuppgifter" / "Om verksamheten" are mixed-case section rows.
_SECTIONS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "UTFÖRARE",
        (
            ("verksamhetsomrade", "Verksamhetsområde (hemtjänst/daglig verksamhet):"),
            ("utforare", "Namn:"),
            ("organisationsnummer", "Org.nr: *"),
        ),
    ),
    (
        "ENHET",
        (
            ("enhetens_namn", "Namn:"),
            ("tidigare_namn", "Tidigare namn:"),
            ("ansvarskod", "Ansvarskod *"),
            ("startdatum", "Gäller från:"),
        ),
    ),
    (
        "Kontaktuppgifter",
        (
            ("besoksadress", "Adress:"),
            ("postnummer", "Postnr:"),
            ("ort", "Postort:"),
            ("telefon", "Telefon:"),
            ("epost", "E-post:"),
            ("webbadress", "Hemsida:"),
        ),
    ),
    (
        "ANSVARIG CHEF",
        (
            ("ansvarig_chef", "Namn:"),
            ("ansvarig_chef_telefon", "Telefon:"),
            ("ansvarig_chef_epost", "E-post:"),
        ),
    ),
    (
        "Om verksamheten",
        (
            ("beskrivning", "Verksamhetsbeskrivning:"),
            ("inriktning", "Särskilda kompetenser:"),
            ("sprak", "Språk:"),
            ("antal_platser", "Kapacitetstak:"),
            ("oppettider", "Öppet:"),
        ),
    ),
    ("UNDERSKRIFT", (("ifylld_av", "Namn:"), ("datum", "Datum:"))),
)

_SWEDISH_MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


def build_form(
    answers: Answers,
    style: str = "table",
    *,
    checkboxes: str = "glyph",
    empty: str = "",
    area_boxes: bool = False,
    title: bool = True,
    labels: Mapping[str, str] | None = None,
) -> bytes:
    """The form with ``answers`` (keys as in form.md) written in ``style``.

    ``empty`` is what an unanswered field shows ("", "–", placeholder text); control styles
    show Word's placeholder instead. ``area_boxes`` writes Verksamhetsområde as check boxes.
    ``labels`` replaces some of the printed labels (and the titles of "sdt_alias").
    """
    frozen = tuple(
        (key, tuple(value) if not isinstance(value, str) else value)
        for key, value in answers.items()
    )
    label_items = tuple(sorted((labels or {}).items()))
    return _build(frozen, style, checkboxes, empty, area_boxes, title, label_items)


@cache
def _build(
    answers: tuple[tuple[str, Any], ...],
    style: str,
    checkboxes: str,
    empty: str,
    area_boxes: bool,
    title: bool,
    labels: tuple[tuple[str, str], ...],
) -> bytes:
    values = dict(answers)
    document = _blank()
    if title:
        document.add_heading("Verksamhetsuppgifter", level=1)
    document.add_paragraph(
        "Blanketten utgör underlag för uppgifterna i Jämför service och på enhetssidan."
    )
    _CHECKBOX_WRITERS[checkboxes](document, tuple(values.get("typ_av_andring", ())))
    texts: dict[str, str] = {}
    for key in _FIELDS:
        value = values.get(key)
        texts[key] = value if isinstance(value, str) and value else ""
    if area_boxes:
        texts["verksamhetsomrade"] = _area_boxes(texts["verksamhetsomrade"])
    _STYLE_WRITERS[style](document, texts, empty, {**FORM_LABELS, **dict(labels)})
    return _save(document)


def docx_from_body(body_xml: str, *, header_text: str | None = None) -> bytes:
    """A .docx whose body holds ``body_xml`` (elements in the w: namespace)."""
    document = Document()
    body = document.element.body
    for element in list(parse_xml(f"<w:body {_W14}>{body_xml}</w:body>")):
        body.insert(len(body) - 1, element)
    if header_text is not None:
        document.sections[0].header.paragraphs[0].text = header_text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@cache
def _template() -> tuple[DocxDocument, dict[str, bytes]]:
    """One python-docx document reused for every build, and the parts of its package.

    Opening and saving a package through python-docx costs ~25 ms; the builders only ever
    change the body, so they reset it, fill it, and zip it next to the unchanged parts.
    That keeps the form tests well under their time budget.
    """
    document = Document()
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    return document, parts


def _blank() -> DocxDocument:
    document, _ = _template()
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


def _save(document: DocxDocument) -> bytes:
    _, parts = _template()
    xml = etree.tostring(document.element, xml_declaration=True, encoding="UTF-8", standalone=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for name, content in parts.items():
            package.writestr(name, xml if name == "word/document.xml" else content)
    return buffer.getvalue()


def _lines(text: str) -> list[str]:
    return text.split("\n") if text else [""]


def _shown(text: str, empty: str) -> str:
    return text if text else empty


def _area_boxes(area: str) -> str:
    ticked = {"Hemtjänst": "Hemtjänst" in area, "Daglig verksamhet LSS": "Daglig" in area}
    return "   ".join(f"{'☒' if on else '☐'} {name}" for name, on in ticked.items())


# --- field styles --------------------------------------------------------------------


def _fill_cell(cell: Any, text: str) -> None:
    lines = _lines(text)
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def _table(
    document: DocxDocument, texts: dict[str, str], empty: str, labels: dict[str, str]
) -> None:
    table = document.add_table(rows=0, cols=2)
    for key in _FIELDS:
        row = table.add_row()
        row.cells[0].text = labels[key]
        _fill_cell(row.cells[1], _shown(texts[key], empty))


def _table_sections(
    document: DocxDocument, texts: dict[str, str], empty: str, labels: dict[str, str]
) -> None:
    table = document.add_table(rows=0, cols=2)
    for heading, rows in _SECTIONS:
        section = table.add_row()
        merged = section.cells[0].merge(section.cells[1])
        merged.text = heading
        for key, label in rows:
            row = table.add_row()
            row.cells[0].text = label
            _fill_cell(row.cells[1], _shown(texts[key], empty))


def _table_above(
    document: DocxDocument, texts: dict[str, str], empty: str, labels: dict[str, str]
) -> None:
    table = document.add_table(rows=0, cols=1)
    for key in _FIELDS:
        table.add_row().cells[0].text = f"{labels[key]}:"
        _fill_cell(table.add_row().cells[0], _shown(texts[key], empty))


def _table_pairs(
    document: DocxDocument, texts: dict[str, str], empty: str, labels: dict[str, str]
) -> None:
    table: Table = document.add_table(rows=0, cols=4)
    for start in range(0, len(_FIELDS), 2):
        row = table.add_row()
        for offset, key in enumerate(_FIELDS[start : start + 2]):
            row.cells[2 * offset].text = labels[key]
            _fill_cell(row.cells[2 * offset + 1], _shown(texts[key], empty))


def _sdt_properties(*, tag: str | None, alias: str | None, placeholder: bool) -> str:
    parts = ['<w:id w:val="1234"/>']
    if alias is not None:
        parts.append(f"<w:alias w:val={quoteattr(alias)}/>")
    if tag is not None:
        parts.append(f"<w:tag w:val={quoteattr(tag)}/>")
    if placeholder:
        parts.append("<w:showingPlcHdr/>")
    return f"<w:sdtPr>{''.join(parts)}</w:sdtPr>"


def _run_xml(text: str) -> str:
    """One run; line breaks inside a control or field become w:br."""
    pieces = []
    for position, line in enumerate(text.split("\n")):
        if position:
            pieces.append("<w:br/>")
        pieces.append(f'<w:t xml:space="preserve">{escape(line)}</w:t>')
    return f"<w:r>{''.join(pieces)}</w:r>"


def _inline_sdt(text: str, *, tag: str | None, alias: str | None) -> Any:
    shown = text or PLACEHOLDER
    properties = _sdt_properties(tag=tag, alias=alias, placeholder=not text)
    return parse_xml(
        f"<w:sdt {_W}>{properties}<w:sdtContent>{_run_xml(shown)}</w:sdtContent></w:sdt>"
    )


def _block_sdt(text: str, *, tag: str | None, alias: str | None) -> Any:
    shown = text or PLACEHOLDER
    properties = _sdt_properties(tag=tag, alias=alias, placeholder=not text)
    paragraphs = "".join(f"<w:p>{_run_xml(line)}</w:p>" for line in shown.split("\n"))
    return parse_xml(f"<w:sdt {_W}>{properties}<w:sdtContent>{paragraphs}</w:sdtContent></w:sdt>")


def _date_sdt(iso: str) -> Any:
    """A date picker: Word shows a local long date and keeps the ISO day in w:fullDate."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
        return _inline_sdt(iso, tag="", alias=None)
    year, month, day = (int(part) for part in iso.split("-"))
    shown = f"{day} {_SWEDISH_MONTHS[month - 1]} {year}"
    return parse_xml(
        f"<w:sdt {_W}><w:sdtPr><w:id w:val='7'/><w:tag w:val=''/>"
        f"<w:date w:fullDate='{iso}T00:00:00Z'><w:dateFormat w:val='d MMMM yyyy'/>"
        f"<w:lid w:val='sv-SE'/></w:date></w:sdtPr>"
        f"<w:sdtContent>{_run_xml(shown)}</w:sdtContent></w:sdt>"
    )


def _sdt_tag(
    document: DocxDocument, texts: dict[str, str], empty: str, labels: dict[str, str]
) -> None:
    # No visible labels at all: only the tags say which answer is which.
    body = document.element.body
    for key in _FIELDS:
        text = texts[key]
        if "\n" in text:
            body.insert(len(body) - 1, _block_sdt(text, tag=key, alias=None))
        else:
            document.add_paragraph()._p.append(_inline_sdt(text, tag=key, alias=None))


def _sdt_alias(
    document: DocxDocument, texts: dict[str, str], empty: str, labels: dict[str, str]
) -> None:
    for key in _FIELDS:
        paragraph = document.add_paragraph()
        paragraph._p.append(_inline_sdt(texts[key], tag=None, alias=labels[key]))


def _sdt_label(
    document: DocxDocument, texts: dict[str, str], empty: str, labels: dict[str, str]
) -> None:
    # Controls with Word's empty default tag: only the label cell beside them tells.
    table = document.add_table(rows=0, cols=2)
    for key in _FIELDS:
        row = table.add_row()
        row.cells[0].text = labels[key]
        paragraph = row.cells[1].paragraphs[0]
        if key == "startdatum":
            paragraph._p.append(_date_sdt(texts[key]))
        elif "\n" in texts[key]:
            cell = row.cells[1]._tc
            cell.remove(cell.find(qn("w:p")))
            cell.append(_block_sdt(texts[key], tag="", alias=None))
        else:
            paragraph._p.append(_inline_sdt(texts[key], tag="", alias=None))


def _form_text_runs(name: str, text: str) -> list[Any]:
    """A legacy FORMTEXT field: begin (with ffData), instruction, separate, result, end."""
    shown = text or "\u2002" * 5
    return [
        parse_xml(
            f"<w:r {_W}><w:fldChar w:fldCharType='begin'><w:ffData>"
            f"<w:name w:val={quoteattr(name)}/><w:enabled/><w:calcOnExit w:val='0'/>"
            f"<w:textInput/></w:ffData></w:fldChar></w:r>"
        ),
        parse_xml(f"<w:r {_W}><w:instrText xml:space='preserve'> FORMTEXT </w:instrText></w:r>"),
        parse_xml(f"<w:r {_W}><w:fldChar w:fldCharType='separate'/></w:r>"),
        parse_xml(_run_xml(shown).replace("<w:r>", f"<w:r {_W}>", 1)),
        parse_xml(f"<w:r {_W}><w:fldChar w:fldCharType='end'/></w:r>"),
    ]


def _form_checkbox_runs(name: str, checked: bool) -> list[Any]:
    state = "<w:checked/>" if checked else ""
    return [
        parse_xml(
            f"<w:r {_W}><w:fldChar w:fldCharType='begin'><w:ffData>"
            f"<w:name w:val={quoteattr(name)}/><w:enabled/><w:calcOnExit w:val='0'/>"
            f"<w:checkBox><w:sizeAuto/><w:default w:val='0'/>{state}</w:checkBox>"
            f"</w:ffData></w:fldChar></w:r>"
        ),
        parse_xml(
            f"<w:r {_W}><w:instrText xml:space='preserve'> FORMCHECKBOX </w:instrText></w:r>"
        ),
        parse_xml(f"<w:r {_W}><w:fldChar w:fldCharType='end'/></w:r>"),
    ]


def _legacy_name(key: str) -> str:
    # Word's bookmark names: no spaces, at most 20 characters, often CamelCase.
    return "".join(part.capitalize() for part in key.split("_"))[:20]


def _legacy_named(
    document: DocxDocument, texts: dict[str, str], empty: str, labels: dict[str, str]
) -> None:
    for key in _FIELDS:
        paragraph = document.add_paragraph()
        for run in _form_text_runs(_legacy_name(key), texts[key]):
            paragraph._p.append(run)


def _legacy_label(
    document: DocxDocument, texts: dict[str, str], empty: str, labels: dict[str, str]
) -> None:
    table = document.add_table(rows=0, cols=2)
    for number, key in enumerate(_FIELDS, start=1):
        row = table.add_row()
        row.cells[0].text = f"{labels[key]}:"
        for run in _form_text_runs(f"Text{number}", texts[key]):
            row.cells[1].paragraphs[0]._p.append(run)


def _label_paragraph(
    document: DocxDocument, texts: dict[str, str], empty: str, labels: dict[str, str]
) -> None:
    chef = ("ansvarig_chef", "ansvarig_chef_telefon", "ansvarig_chef_epost")
    sub_labels = dict(zip(chef, ("Namn", "Telefon", "E-post"), strict=True))
    for key in _FIELDS:
        if key == "ansvarig_chef":
            document.add_heading("Ansvarig chef", level=2)
        label = sub_labels.get(key, labels[key])
        document.add_paragraph().add_run(label).bold = True
        for line in _lines(_shown(texts[key], empty)):
            document.add_paragraph(line)


def _inline(
    document: DocxDocument, texts: dict[str, str], empty: str, labels: dict[str, str]
) -> None:
    for key in _FIELDS:
        if key == "ort":
            continue
        lines = _lines(_shown(texts[key], empty))
        if key == "postnummer":
            # Two answers on one line, separated by a tab.
            ort = _shown(texts["ort"], empty)
            document.add_paragraph(f"Postnummer: {lines[0]}\tOrt: {ort}")
            continue
        label = labels[key] if labels[key].rstrip().endswith(":") else f"{labels[key]}:"
        document.add_paragraph(f"{label} {lines[0]}")
        for line in lines[1:]:
            document.add_paragraph(line)


_STYLE_WRITERS: dict[str, Callable[[DocxDocument, dict[str, str], str, dict[str, str]], None]] = {
    "table": _table,
    "table_sections": _table_sections,
    "table_above": _table_above,
    "table_pairs": _table_pairs,
    "sdt_tag": _sdt_tag,
    "sdt_alias": _sdt_alias,
    "sdt_label": _sdt_label,
    "legacy_named": _legacy_named,
    "legacy_label": _legacy_label,
    "label_paragraph": _label_paragraph,
    "inline": _inline,
}


# --- check box styles ----------------------------------------------------------------


def _boxes_line(document: DocxDocument, ticked: Sequence[str], render: Callable[..., str]) -> None:
    document.add_paragraph("Typ av ändring:")
    document.add_paragraph("   ".join(render(name, name in ticked) for name in CHANGE_TYPES))


def _glyph(document: DocxDocument, ticked: Sequence[str]) -> None:
    _boxes_line(document, ticked, lambda name, on: f"{'☒' if on else '☐'} {name}")


def _suffix(document: DocxDocument, ticked: Sequence[str]) -> None:
    _boxes_line(document, ticked, lambda name, on: f"{name} {'✓' if on else '☐'}")


def _brackets(document: DocxDocument, ticked: Sequence[str]) -> None:
    document.add_paragraph("Typ av ändring (kryssa i):")
    for name in CHANGE_TYPES:
        document.add_paragraph(f"[{'X' if name in ticked else ' '}] {name}")


def _letter_x(document: DocxDocument, ticked: Sequence[str]) -> None:
    # Unticked options carry no mark at all; a ticked one has an "X" typed before it.
    document.add_paragraph("Typ av ändring")
    for name in CHANGE_TYPES:
        document.add_paragraph(f"X {name}" if name in ticked else name)


def _wingdings(document: DocxDocument, ticked: Sequence[str]) -> None:
    paragraph = document.add_paragraph("Typ av ändring: ")
    for name in CHANGE_TYPES:
        char = "F0FE" if name in ticked else "F0A8"
        paragraph._p.append(
            parse_xml(f"<w:r {_W}><w:sym w:font='Wingdings' w:char='{char}'/></w:r>")
        )
        paragraph.add_run(f" {name}   ")


def _w14_box(checked: bool, alias: str | None) -> Any:
    alias_xml = f"<w:alias w:val={quoteattr(alias)}/>" if alias else ""
    return parse_xml(
        f"<w:sdt {_W14}><w:sdtPr>{alias_xml}<w:id w:val='99'/><w14:checkbox>"
        f"<w14:checked w14:val='{1 if checked else 0}'/>"
        f"<w14:checkedState w14:val='2612' w14:font='MS Gothic'/>"
        f"<w14:uncheckedState w14:val='2610' w14:font='MS Gothic'/></w14:checkbox></w:sdtPr>"
        f"<w:sdtContent><w:r><w:t>{'☒' if checked else '☐'}</w:t></w:r></w:sdtContent></w:sdt>"
    )


def _w14(document: DocxDocument, ticked: Sequence[str]) -> None:
    paragraph = document.add_paragraph("Typ av ändring: ")
    for name in CHANGE_TYPES:
        paragraph._p.append(_w14_box(name in ticked, None))
        paragraph.add_run(f" {name}   ")


def _w14_alias(document: DocxDocument, ticked: Sequence[str]) -> None:
    # The boxes stand in a row of their own; only their titles name the options.
    document.add_paragraph("Typ av ändring (Ny enhet, Sammanslagning, Namnändring, Övrigt):")
    paragraph = document.add_paragraph()
    for name in CHANGE_TYPES:
        paragraph._p.append(_w14_box(name in ticked, name))
        paragraph.add_run("  ")


def _legacy_boxes(document: DocxDocument, ticked: Sequence[str]) -> None:
    paragraph = document.add_paragraph("Typ av ändring: ")
    for number, name in enumerate(CHANGE_TYPES, start=1):
        for run in _form_checkbox_runs(f"Kontroll{number}", name in ticked):
            paragraph._p.append(run)
        paragraph.add_run(f" {name}   ")


def _table_rows(document: DocxDocument, ticked: Sequence[str]) -> None:
    table = document.add_table(rows=0, cols=2)
    heading = table.add_row()
    heading.cells[0].merge(heading.cells[1]).text = "TYP AV ÄNDRING"
    for name in CHANGE_TYPES:
        row = table.add_row()
        row.cells[0].text = "☒" if name in ticked else "☐"
        row.cells[1].text = name


def _words(document: DocxDocument, ticked: Sequence[str]) -> None:
    document.add_paragraph(f"Typ av ändring: {', '.join(ticked)}")


_CHECKBOX_WRITERS: dict[str, Callable[[DocxDocument, Sequence[str]], None]] = {
    "glyph": _glyph,
    "brackets": _brackets,
    "letter_x": _letter_x,
    "suffix": _suffix,
    "wingdings": _wingdings,
    "w14": _w14,
    "w14_alias": _w14_alias,
    "legacy": _legacy_boxes,
    "table_rows": _table_rows,
    "words": _words,
}
