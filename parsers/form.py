"""Read the form *Verksamhetsuppgifter* out of a Word attachment.

Units fill EKU's form in every way Word allows (domain/form.md): a table of labels and
answers, section rows, content controls, legacy form fields, labels as paragraphs with the
answer below, "Label: value" lines, and check boxes drawn as characters or as controls.
This module turns all of them into one :class:`VerksamhetsForm`.

The package is bounded (size, members, declared sizes, compression ratio) before anything
is decompressed, and its XML parts are parsed with lxml directly rather than through
python-docx: python-docx has no API for content controls or legacy fields, and reading
the parts ourselves lets us open only the parts we need with a parser we configured.
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from lxml import etree
from pydantic import BaseModel, ConfigDict, field_validator

from parsers.errors import FormUnreadable

__all__ = [
    "CHANGE_TYPES",
    "FORM_LABELS",
    "MAX_ATTACHMENT_BYTES",
    "MAX_COMPRESSION_RATIO",
    "MAX_MEMBER_BYTES",
    "MAX_UNCOMPRESSED_BYTES",
    "MAX_ZIP_MEMBERS",
    "VerksamhetsForm",
    "is_word_attachment",
    "read_form",
]

# The labels as printed on EKU's form, in the order of domain/form.md. They name fields in
# the messages the bot writes ("Blanketten saknar: Ansvarig chef, e-post").
FORM_LABELS: Final[dict[str, str]] = {
    "typ_av_andring": "Typ av ändring",
    "verksamhetsomrade": "Verksamhetsområde",
    "utforare": "Utförare",
    "organisationsnummer": "Organisationsnummer",
    "enhetens_namn": "Enhetens namn",
    "tidigare_namn": "Tidigare namn (vid namnändring/sammanslagning)",
    "ansvarskod": "Ekonomisk ansvarskod",
    "startdatum": "Gäller från datum",
    "besoksadress": "Besöksadress",
    "postnummer": "Postnummer",
    "ort": "Ort",
    "telefon": "Telefonnummer",
    "epost": "E-postadress",
    "webbadress": "Webbadress",
    "ansvarig_chef": "Ansvarig chef, namn",
    "ansvarig_chef_telefon": "Ansvarig chef, telefon",
    "ansvarig_chef_epost": "Ansvarig chef, e-post",
    "beskrivning": "Beskrivning av verksamheten",
    "inriktning": "Inriktning / särskilda kompetenser",
    "sprak": "Språk som talas i verksamheten",
    "antal_platser": "Antal platser (kapacitetstak)",
    "oppettider": "Öppettider",
    "ifylld_av": "Ifylld av (namn)",
    "datum": "Datum",
}

CHANGE_TYPES: Final = ("Ny enhet", "Sammanslagning", "Namnändring", "Övriga ändringar")

_HEMTJANST: Final = "Hemtjänst"
_DAGLIG_VERKSAMHET: Final = "Daglig verksamhet LSS"

# Bounds checked on the zip directory before anything is decompressed. A mail server
# rarely passes more than ~15 MB; a real .docx has a few dozen members and its XML
# compresses 5-40:1, so a large member packed beyond 100:1 is a zip bomb, not a form.
MAX_ATTACHMENT_BYTES: Final = 15 * 1024 * 1024
MAX_ZIP_MEMBERS: Final = 1000
MAX_MEMBER_BYTES: Final = 25 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES: Final = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO: Final = 100
_RATIO_APPLIES_FROM: Final = 1024 * 1024

# A document is the form when the title is there and two fields are, or, without the
# title, five fields of which two belong to this form only: a letter's signature block
# ("Telefon", "E-post", "Datum") must not pass for a form.
_MIN_FIELDS_WITH_TITLE: Final = 2
_MIN_FIELDS_WITHOUT_TITLE: Final = 5
_MIN_SPECIFIC_FIELDS: Final = 2
_GENERIC_FIELDS: Final = frozenset(
    {"besoksadress", "postnummer", "ort", "telefon", "epost", "webbadress", "sprak"}
    | {"oppettider", "ifylld_av", "datum"}
)

# Answers that hold several paragraphs; every other field takes the first line only when
# it is read from free-flowing paragraphs (a table cell bounds its answer by itself).
_MULTILINE_KEYS: Final = frozenset(
    {"typ_av_andring", "tidigare_namn", "beskrivning", "inriktning", "sprak", "oppettider"}
)


class VerksamhetsForm(BaseModel):
    """The answers of one filled-in form; every field is optional, rules decide."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    typ_av_andring: tuple[str, ...] = ()
    verksamhetsomrade: str | None = None
    utforare: str | None = None
    organisationsnummer: str | None = None
    enhetens_namn: str | None = None
    tidigare_namn: str | None = None
    ansvarskod: str | None = None
    startdatum: str | None = None
    besoksadress: str | None = None
    postnummer: str | None = None
    ort: str | None = None
    telefon: str | None = None
    epost: str | None = None
    webbadress: str | None = None
    ansvarig_chef: str | None = None
    ansvarig_chef_telefon: str | None = None
    ansvarig_chef_epost: str | None = None
    beskrivning: str | None = None
    inriktning: str | None = None
    sprak: str | None = None
    antal_platser: str | None = None
    oppettider: str | None = None
    ifylld_av: str | None = None
    datum: str | None = None

    @field_validator("typ_av_andring", mode="before")
    @classmethod
    def _canonical_change_types(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = (value,)
        if not isinstance(value, (list, tuple)):
            return value
        wanted = set()
        for item in value:
            canonical = _change_type(str(item))
            if canonical is None:
                raise ValueError(f"unknown change type: {item!r}")
            wanted.add(canonical)
        return tuple(name for name in CHANGE_TYPES if name in wanted)

    @field_validator("verksamhetsomrade", mode="before")
    @classmethod
    def _canonical_area(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        cleaned = _clean_answer(value)
        return None if cleaned is None else _normalise_area(cleaned)

    @field_validator(
        *[key for key in FORM_LABELS if key not in ("typ_av_andring", "verksamhetsomrade")],
        mode="before",
    )
    @classmethod
    def _empty_answers_are_none(cls, value: Any) -> Any:
        return _clean_answer(value) if isinstance(value, str) else value

    def answers(self) -> dict[str, str | list[str]]:
        """The non-empty answers keyed as in domain/form.md, in the form's order."""
        result: dict[str, str | list[str]] = {}
        for key in FORM_LABELS:
            value = getattr(self, key)
            if key == "typ_av_andring":
                if value:
                    result[key] = list(value)
            elif value is not None:
                result[key] = value
        return result


# --- attachments ---------------------------------------------------------------------

_WORD_EXTENSIONS: Final = (".doc", ".docx", ".docm", ".dot", ".dotx", ".dotm", ".rtf")
_MACRO_EXTENSIONS: Final = (".docm", ".dotm")
_WORD_CONTENT_TYPES: Final = frozenset(
    {
        "application/msword",
        "application/x-msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.template",
        "application/vnd.ms-word.document.macroenabled.12",
        "application/vnd.ms-word.template.macroenabled.12",
        "application/rtf",
        "text/rtf",
    }
)


def is_word_attachment(filename: str | None, content_type: str | None) -> bool:
    """True for anything Word saves: .doc/.docx/.docm/.dot/.dotx/.dotm and .rtf.

    RTF counts because Word offers it under "Spara som" and a form saved that way must be
    reported as unreadable, not silently ignored, just like a .doc.
    """
    if filename and filename.strip().lower().endswith(_WORD_EXTENSIONS):
        return True
    if content_type:
        media_type = content_type.split(";", 1)[0].strip().lower()
        return media_type in _WORD_CONTENT_TYPES
    return False


# --- reading the package -------------------------------------------------------------

_OLE2_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_RTF_MAGIC: Final = b"{\\rtf"
_MAIN_CONTENT_TYPES: Final = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    }
)
_OFFICE_DOCUMENT_REL: Final = "/officeDocument"
_CT_NS: Final = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REL_NS: Final = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_STRICT_W_NS: Final = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
_W_NS: Final = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# Everything zipfile and zlib raise on hostile or truncated input: bad directories,
# CRC errors, unknown compression methods, encrypted members, negative seeks.
_ZIP_ERRORS: Final = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    struct.error,
    EOFError,
    OSError,
    ValueError,
    KeyError,
    IndexError,
    NotImplementedError,
    RuntimeError,
    OverflowError,
)

_UNREADABLE_ZIP: Final = "Filen är skadad eller inte ett Word-dokument (.docx)."


def read_form(data: bytes, filename: str | None = None) -> VerksamhetsForm | None:
    """Read the form from a Word attachment.

    Returns ``None`` for a readable Word document that is not the form and raises
    :class:`FormUnreadable` with a short Swedish reason for anything that cannot be read:
    .doc and encrypted files (both OLE2), RTF, macro-enabled documents, corrupt packages
    and packages beyond the bounds.
    """
    parts = _open_package(data, filename)
    try:
        reader = _Reader()
        for position, root in enumerate(parts):
            reader.read_part(root, is_body=position == 0)
        return reader.result()
    except RecursionError as err:
        raise FormUnreadable("Dokumentet är för djupt nästlat för att läsas.") from err


def _open_package(data: bytes, filename: str | None) -> list[Any]:
    """The parsed body, then headers and footers, after every bound has been checked."""
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise FormUnreadable("Filen är större än 15 MB.")
    if data.startswith(_OLE2_MAGIC):
        # Word 97-2003 files and password-protected .docx both arrive as OLE2 compound files.
        raise FormUnreadable(
            "Filen är i det äldre Word-formatet (.doc) eller lösenordsskyddad och kan inte läsas."
        )
    if data.lstrip()[:5] == _RTF_MAGIC:
        raise FormUnreadable("Filen är sparad i RTF-format och kan inte läsas.")
    if filename and filename.strip().lower().endswith(_MACRO_EXTENSIONS):
        raise FormUnreadable("Filen innehåller makron (.docm) och öppnas inte.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = _checked_members(package)
            main = _main_part(package, members)
            folder = main.rsplit("/", 1)[0] + "/" if "/" in main else ""
            extras = sorted(
                name
                for name in members
                if re.fullmatch(re.escape(folder) + r"(header|footer)\d*\.xml", name)
            )
            return [_parse_xml(package.read(name)) for name in (main, *extras)]
    except FormUnreadable:
        raise
    except _ZIP_ERRORS as err:
        raise FormUnreadable(_UNREADABLE_ZIP) from err


def _checked_members(package: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = package.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise FormUnreadable("Filen innehåller orimligt många delar och öppnas inte.")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_MEMBER_BYTES or total > MAX_UNCOMPRESSED_BYTES:
            raise FormUnreadable("Filen packas upp till orimlig storlek och öppnas inte.")
        if info.file_size > _RATIO_APPLIES_FROM and info.file_size > MAX_COMPRESSION_RATIO * max(
            info.compress_size, 1
        ):
            raise FormUnreadable("Filen är misstänkt hårt packad (zip-bomb) och öppnas inte.")
    return {info.filename: info for info in infos}


def _main_part(package: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> str:
    """The name of the main document part, refusing macro-enabled and non-Word packages."""
    if any(name.lower().endswith("vbaproject.bin") for name in members):
        raise FormUnreadable("Filen innehåller makron (.docm) och öppnas inte.")
    main = "word/document.xml"
    if "_rels/.rels" in members:
        rels = _parse_xml(package.read("_rels/.rels"))
        for rel in rels.iter(f"{_REL_NS}Relationship"):
            if (rel.get("Type") or "").endswith(_OFFICE_DOCUMENT_REL) and rel.get("Target"):
                main = (rel.get("Target") or "").lstrip("/")
                break
    if main not in members:
        raise FormUnreadable("Filen saknar dokumentinnehåll (word/document.xml).")
    if "[Content_Types].xml" in members:
        types = _parse_xml(package.read("[Content_Types].xml"))
        for override in types.iter(f"{_CT_NS}Override"):
            if (override.get("PartName") or "").lstrip("/") != main:
                continue
            content_type = (override.get("ContentType") or "").lower()
            if "macroenabled" in content_type:
                raise FormUnreadable("Filen innehåller makron (.docm) och öppnas inte.")
            if content_type not in _MAIN_CONTENT_TYPES:
                raise FormUnreadable("Filen är inte ett Word-dokument.")
    return main


def _xml_parser() -> Any:
    # No DTD loading, no entity expansion, no network, no huge trees: a package part is
    # data from a stranger.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


def _parse_xml(data: bytes) -> Any:
    if _STRICT_W_NS in data:
        # "Strict Open XML" (a Save As choice in Word) only renames the namespace.
        data = data.replace(_STRICT_W_NS, _W_NS.encode())
    try:
        root = etree.fromstring(data, parser=_xml_parser())
    except (etree.LxmlError, ValueError) as err:
        raise FormUnreadable("Dokumentets innehåll (XML) är skadat och kan inte läsas.") from err
    if root.getroottree().docinfo.doctype:
        raise FormUnreadable("Dokumentet innehåller en DTD och öppnas inte.")
    return root


# --- labels, names and answers -------------------------------------------------------


def _alternatives(text: str) -> frozenset[str]:
    """Long word lists are written as one "a|b|c" string to keep them readable."""
    return frozenset(text.split("|"))


# Ways the form, its older versions and the units phrase each label. Matching ignores
# case, spacing, punctuation, "*", a trailing ":" and Swedish diacritics (see _squash).
# One string per field, alternatives separated by "|".
_SYNONYMS: Final[dict[str, str]] = {
    "typ_av_andring": (
        "Typ av ändring|Typ av förändring|Ändringstyp|Ändringen avser|Ändring avser|Typ av ärende"
    ),
    "verksamhetsomrade": (
        "Verksamhetsområde|Verksamhetsform|Verksamhetstyp|Typ av verksamhet|Verksamhet avser"
    ),
    "utforare": (
        "Utförare|Utförarens namn|Utförarnamn|Namn på utförare|Namn på utföraren|Anordnare|"
        "Leverantör|Företag|Företagets namn|Företagsnamn|Huvudman|Förvaltning"
    ),
    "organisationsnummer": (
        "Organisationsnummer|Org.nr|Org nr|Orgnr|Org.nummer|Organisationsnr|"
        "Utförarens organisationsnummer"
    ),
    "enhetens_namn": (
        "Enhetens namn|Namn på enheten|Namn på enhet|Enhet|Enhetsnamn|Verksamhetens namn|"
        "Namn på verksamheten|Enhetens nya namn|Nytt namn"
    ),
    "tidigare_namn": (
        "Tidigare namn|Enhetens tidigare namn|Tidigare enhetsnamn|Gammalt namn|"
        "Tidigare enheter|Enheter som slås samman|Sammanslagna enheter"
    ),
    "ansvarskod": "Ekonomisk ansvarskod|Ansvarskod|Ansvarsnummer|Kostnadsställe|Ekonomiskt ansvar",
    "startdatum": (
        "Gäller från datum|Gäller från|Gäller fr.o.m.|Gäller från och med|Gäller from|"
        "Startdatum|Datum för start|Startar|Från och med|Ändringen gäller från|"
        "Datum för ändring|Datum för ändringen|Ändringsdatum"
    ),
    "besoksadress": "Besöksadress|Adress|Gatuadress|Enhetens adress",
    "postnummer": "Postnummer|Postnr|Post nr",
    "ort": "Ort|Postort",
    "telefon": (
        "Telefonnummer|Telefon|Tel|Tfn|Telefonnr|Tel.nr|Telefon enhet|Telefon till enheten|"
        "Enhetens telefon|Enhetens telefonnummer|Växel"
    ),
    "epost": (
        "E-postadress|E-post|Epost|E-mail|Mejl|Mejladress|Mail|Mailadress|E-post enhet|"
        "E-post till enheten|Enhetens e-post|Enhetens e-postadress|Funktionsbrevlåda"
    ),
    "webbadress": "Webbadress|Hemsida|Webbplats|Webbsida|Hemsideadress|Länk till hemsida|URL",
    "ansvarig_chef": (
        "Ansvarig chef, namn|Ansvarig chef|Namn ansvarig chef|Ansvarig chefs namn|Chefens namn|"
        "Enhetschef|Chef|Verksamhetschef"
    ),
    "ansvarig_chef_telefon": (
        "Ansvarig chef, telefon|Ansvarig chef, telefonnummer|Telefon chef|Telefonnummer chef|"
        "Telefon ansvarig chef|Telefonnummer ansvarig chef|Chefens telefon|"
        "Chefens telefonnummer|Enhetschef telefon|Telefon enhetschef|Mobil chef"
    ),
    "ansvarig_chef_epost": (
        "Ansvarig chef, e-post|Ansvarig chef, e-postadress|E-post chef|E-postadress chef|"
        "E-post ansvarig chef|E-postadress ansvarig chef|Chefens e-post|Chefens e-postadress|"
        "Enhetschef e-post|E-post enhetschef|Mejl chef"
    ),
    "beskrivning": (
        "Beskrivning av verksamheten|Beskrivning|Verksamhetsbeskrivning|Kort beskrivning|"
        "Kort beskrivning av verksamheten|Beskrivning av enheten|Om verksamheten|"
        "Presentation av verksamheten"
    ),
    "inriktning": (
        "Inriktning / särskilda kompetenser|Inriktning|Särskilda kompetenser|"
        "Särskild inriktning|Inriktning och kompetenser|Inriktning/profil|Kompetenser"
    ),
    "sprak": "Språk som talas i verksamheten|Språk|Språkkompetens|Talade språk",
    "antal_platser": (
        "Antal platser (kapacitetstak)|Antal platser|Kapacitetstak|Platser|Max antal platser"
    ),
    "oppettider": "Öppettider|Öppet|Öppettid|Öppethållande|Verksamhetstid",
    "ifylld_av": "Ifylld av (namn)|Ifylld av|Ifyllt av|Uppgiftslämnare|Namnförtydligande",
    "datum": "Datum|Datum för ifyllnad|Datum för ifyllande|Ifylld datum",
}

# Labels that name a different field under a section heading: "Telefon" below
# "ANSVARIG CHEF" is the manager's phone, "Namn" below "ENHET" the unit's name. "" marks a
# label that belongs to no field there (it still ends the answer above it).
_IGNORED: Final = ""
_CONTEXT_LABELS: Final[dict[str, dict[str, str]]] = {
    "": {"Namn": _IGNORED, "Mobil": _IGNORED, "Mobilnummer": _IGNORED},
    "chef": {
        "Namn": "ansvarig_chef",
        "Telefon": "ansvarig_chef_telefon",
        "Telefonnummer": "ansvarig_chef_telefon",
        "Tel": "ansvarig_chef_telefon",
        "Tfn": "ansvarig_chef_telefon",
        "Mobil": "ansvarig_chef_telefon",
        "Mobilnummer": "ansvarig_chef_telefon",
        "E-post": "ansvarig_chef_epost",
        "E-postadress": "ansvarig_chef_epost",
        "Epost": "ansvarig_chef_epost",
        "E-mail": "ansvarig_chef_epost",
        "Mejl": "ansvarig_chef_epost",
        "Mail": "ansvarig_chef_epost",
    },
    "enhet": {"Namn": "enhetens_namn", "Mobil": _IGNORED, "Mobilnummer": _IGNORED},
    "utforare": {"Namn": "utforare", "Mobil": _IGNORED, "Mobilnummer": _IGNORED},
    "underskrift": {
        "Namn": "ifylld_av",
        "Datum": "datum",
        "Telefon": _IGNORED,
        "Telefonnummer": _IGNORED,
        "E-post": _IGNORED,
        "E-postadress": _IGNORED,
        "Mobil": _IGNORED,
        "Mobilnummer": _IGNORED,
    },
}

# An empty label line with one of these texts opens a section even when it is not styled
# as a heading ("Ansvarig chef" alone, then "Namn:", "Telefon:").
_SECTION_WORDS: Final = frozenset(
    {"ansvarigchef", "chef", "enhetschef", "enhet", "enheten", "utforare", "utforaren"}
    | {"underskrift", "ifylldav"}
)

_EMPTY_ANSWERS: Final = _alternatives(
    "bifogas|e/a|ea|ej|ej aktuell|ej aktuellt|ej bestämt|ej klart|ej tillämplig|"
    "ej tillämpligt|finns ej|finns inte|inga|ingen|inget|inte aktuellt|kommer senare|n/a|"
    "na|nej|none|saknas|se bifogad bilaga|se bifogad fil|se bifogat|se bilaga|se ovan|tbd"
)

# Word's own placeholder texts (Swedish and English installations) and the home-made ones.
_PLACEHOLDERS: Final = _alternatives(
    "ange datum|ange ett datum|ange text|choose an item|click here to enter a date|"
    "click here to enter text|click or tap here to enter text|click or tap to enter a date|"
    "fyll i här|klicka eller tryck för att ange ett datum|"
    "klicka eller tryck här för att ange text|klicka här för att ange ett datum|"
    "klicka här för att ange text|skriv här|skriv text här|välj ett objekt"
)


def _squash(text: str) -> str:
    """Letters and digits only, lower case, without diacritics: how labels are compared."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def _index(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    return {_squash(label): key for label, key in pairs}


_LABEL_INDEX: Final = _index(
    [(label, key) for key, labels in _SYNONYMS.items() for label in labels.split("|")]
    + [(label, key) for key, label in FORM_LABELS.items()]
    + [(key, key) for key in FORM_LABELS]
)
_CONTEXT_INDEX: Final = {
    section: _index(list(labels.items())) for section, labels in _CONTEXT_LABELS.items()
}
_NUMBERING_RE: Final = re.compile(r"^\s*(?:\d{1,2}|[a-zA-Z])\s*[.)]\s+")
_CONTEXT_WORDS: Final = frozenset(word for index in _CONTEXT_INDEX.values() for word in index)
_PAREN_RE: Final = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_MAX_LABEL_CHARS: Final = 80


def _label_key(text: str, section: str) -> str | None:
    """The field a label names in this section, ``""`` for a known label of no field here,
    ``None`` when the text is not a label."""
    text = text.strip()
    if not text or len(text) > _MAX_LABEL_CHARS:
        return None
    text = _NUMBERING_RE.sub("", text).replace("*", "")
    context = _CONTEXT_INDEX.get(section, _CONTEXT_INDEX[""])

    def lookup(candidate: str) -> str | None:
        squashed = _squash(candidate)
        if squashed in context:
            return context[squashed]
        if squashed in _LABEL_INDEX:
            return _LABEL_INDEX[squashed]
        return _IGNORED if squashed in _CONTEXT_INDEX[""] else None

    without_notes = _PAREN_RE.sub(" ", text)
    for candidate in (text, without_notes):
        key = lookup(candidate)
        if key is not None:
            return key
    # "Hemsida/Webbadress" names one field twice; "Telefon/E-post" is two fields, no label.
    if "/" in without_notes:
        keys = {lookup(part) for part in without_notes.split("/")}
        if len(keys) == 1 and None not in keys:
            return keys.pop()
    return None


def _name_key(name: str | None) -> str | None:
    """The field a control's tag or title, or a legacy field's bookmark name, stands for."""
    if not name or not name.strip():
        return None
    spaced = re.sub(r"(?<=[a-zåäö])(?=[A-ZÅÄÖ])", " ", name).replace("_", " ")
    key = _label_key(spaced, "")
    return key or None


def _section_of(text: str) -> str:
    """The section a heading opens, which decides what "Namn" or "Telefon" means below it."""
    squashed = _squash(_PAREN_RE.sub(" ", text))
    if "chef" in squashed:
        return "chef"
    if any(word in squashed for word in ("underskrift", "ifylldav", "uppgiftslamnare", "intyg")):
        return "underskrift"
    if any(word in squashed for word in ("utforar", "anordnare", "leverantor", "foretag")):
        return "utforare"
    if "enhet" in squashed:
        return "enhet"
    return ""


def _clean_answer(text: str) -> str | None:
    """Whitespace tidied, one line per paragraph; ``None`` for answers that say nothing."""
    lines = []
    for raw in text.replace("\r", "\n").split("\n"):
        line = " ".join(raw.split())
        if line and not _is_empty_answer(line):
            lines.append(line)
    if not lines:
        return None
    joined = "\n".join(lines)
    return None if _is_empty_answer(joined) else joined


def _is_empty_answer(text: str) -> bool:
    lowered = " ".join(text.lower().split()).strip(" .:;!")
    if not lowered or lowered in _EMPTY_ANSWERS or lowered in _PLACEHOLDERS:
        return True
    # Lines of underscores, dots or dashes are the blanks of a printed form.
    return not any(ch.isalnum() for ch in lowered)


# --- check boxes ---------------------------------------------------------------------

_TICKED: Final = frozenset(
    {"☒", "☑", "✓", "✔", "✗", "✘", "■", "⊠", "x", "X", "[x]", "[X]", "[✓]", "[✔]", "(x)", "(X)"}
)
_UNTICKED: Final = frozenset({"☐", "□", "◻", "▢", "❏", "❑", "❒", "⬜", "[]", "()"})
_BOX_SPACING_RE: Final = re.compile(r"([\[(])\s*([xX✓✔]?)\s*([\])])")

# Symbol-font check boxes (Wingdings, Wingdings 2) arrive as private-use code points.
_SYMBOL_BOXES: Final = {
    0xF0FD: "☒",
    0xF0FE: "☑",
    0xF0FC: "✓",
    0xF0A8: "☐",
    0xF06F: "☐",
    0xF054: "☒",
    0xF052: "☑",
    0xF050: "✓",
    0xF0A3: "☐",
}

_CHANGE_OPTIONS: Final[dict[str, str]] = {
    "ny enhet": "Ny enhet",
    "nystart": "Ny enhet",
    "ny verksamhet": "Ny enhet",
    "start av ny enhet": "Ny enhet",
    "nyetablering": "Ny enhet",
    "sammanslagning": "Sammanslagning",
    "sammanslagning av enheter": "Sammanslagning",
    "namnändring": "Namnändring",
    "namnbyte": "Namnändring",
    "byte av namn": "Namnändring",
    "övriga ändringar": "Övriga ändringar",
    "övrig ändring": "Övriga ändringar",
    "övrigt": "Övriga ändringar",
    "annan ändring": "Övriga ändringar",
    "andra ändringar": "Övriga ändringar",
}
_AREA_OPTIONS: Final[dict[str, str]] = {
    "hemtjänst": _HEMTJANST,
    "daglig verksamhet": _DAGLIG_VERKSAMHET,
    "daglig verksamhet lss": _DAGLIG_VERKSAMHET,
    "daglig verksamhet enligt lss": _DAGLIG_VERKSAMHET,
}


def _options_re(options: dict[str, str]) -> re.Pattern[str]:
    alternatives = sorted(options, key=len, reverse=True)
    body = "|".join(r"\s+".join(map(re.escape, option.split())) for option in alternatives)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


_CHANGE_RE: Final = _options_re(_CHANGE_OPTIONS)
_AREA_RE: Final = _options_re(_AREA_OPTIONS)


def _option_name(matched: str, options: dict[str, str]) -> str:
    return options[" ".join(matched.lower().split())]


def _change_type(text: str) -> str | None:
    match = _CHANGE_RE.fullmatch(text.strip())
    return _option_name(match.group(0), _CHANGE_OPTIONS) if match else None


def _normalise_area(text: str) -> str:
    """The canonical area when the answer names exactly one of the two, else the answer."""
    squashed = _squash(text)
    is_daglig = "dagligverksamhet" in squashed or squashed in ("lss", "dv")
    is_hemtjanst = "hemtjanst" in squashed
    if is_daglig and not is_hemtjanst:
        return _DAGLIG_VERKSAMHET
    if is_hemtjanst and not is_daglig:
        return _HEMTJANST
    return text


def _marker(token: str) -> bool | None:
    token = token.strip(",;:.")
    if token in _TICKED:
        return True
    if token in _UNTICKED:
        return False
    return None


def _scan_boxes(text: str, pattern: re.Pattern[str], options: dict[str, str]) -> dict[str, bool]:
    """Which options a line marks as ticked or not: "☒ Ny enhet ☐ Sammanslagning".

    Markers stand either before every option or after every option; the reading that
    finds more markers wins (before, on a tie), so option names inside a label such as
    "Verksamhetsområde (hemtjänst/daglig verksamhet): ☒ Hemtjänst" do not shift it.
    Options without a marker are left out.
    """
    text = _BOX_SPACING_RE.sub(r"\1\2\3", text)
    matches = list(pattern.finditer(text))
    if not matches:
        return {}
    before: list[bool | None] = []
    after: list[bool | None] = []
    for position, match in enumerate(matches):
        start = matches[position - 1].end() if position else 0
        end = matches[position + 1].start() if position + 1 < len(matches) else len(text)
        preceding = text[start : match.start()].split()
        following = text[match.end() : end].split()
        before.append(_marker(preceding[-1]) if preceding else None)
        after.append(_marker(following[0]) if following else None)
    found = sum(state is not None for state in before)
    chosen = before if found >= sum(state is not None for state in after) else after
    states: dict[str, bool] = {}
    for match, state in zip(matches, chosen, strict=True):
        if state is not None:
            option = _option_name(match.group(0), options)
            states[option] = states.get(option, False) or state
    return states


def _option_for_name(name: str | None) -> tuple[str, str] | None:
    """("typ_av_andring", "Ny enhet") for a check box control titled or tagged "Ny enhet"."""
    if not name:
        return None
    squashed = _squash(name.replace("_", " "))
    for options, key in ((_CHANGE_OPTIONS, "typ_av_andring"), (_AREA_OPTIONS, "verksamhetsomrade")):
        for option, canonical in options.items():
            if _squash(option) == squashed or (
                len(squashed) > len(_squash(option)) and squashed.endswith(_squash(option))
            ):
                return key, canonical
    return None


# --- walking the XML -----------------------------------------------------------------


def _w(name: str) -> str:
    return f"{{{_W_NS}}}{name}"


_W14_NS: Final = "http://schemas.microsoft.com/office/word/2010/wordml"
_MC_NS: Final = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_P, _R, _T, _TBL, _TR, _TC = _w("p"), _w("r"), _w("t"), _w("tbl"), _w("tr"), _w("tc")
_SDT, _SDT_PR, _SDT_CONTENT = _w("sdt"), _w("sdtPr"), _w("sdtContent")
_TXBX = _w("txbxContent")
_MC_ALTERNATE, _MC_CHOICE = f"{{{_MC_NS}}}AlternateContent", f"{{{_MC_NS}}}Choice"
_W14_CHECKBOX, _W14_CHECKED = f"{{{_W14_NS}}}checkbox", f"{{{_W14_NS}}}checked"
_W14_VAL = f"{{{_W14_NS}}}val"
_VAL = _w("val")
# Containers whose children are read as if they stood in the parent.
_INLINE_WRAPPERS: Final = frozenset(
    _w(name)
    for name in ("hyperlink", "smartTag", "customXml", "ins", "moveTo", "fldSimple", "dir", "bdo")
)
_BLOCK_WRAPPERS: Final = frozenset(_w(name) for name in ("customXml", "ins", "moveTo"))
_HEADING_STYLE_RE: Final = re.compile(r"^(heading|rubrik|title|titel|overskrift)", re.IGNORECASE)
_ISO_DATE_RE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass
class _Para:
    lines: list[str]
    heading: bool


@dataclass
class _Table:
    rows: list[list[list[_Para | _Table]]]


_Block = _Para | _Table


@dataclass
class _Field:
    """An open legacy form field (w:fldChar begin ... separate ... end)."""

    ffdata: Any
    in_result: bool = False
    result: list[str] = field(default_factory=list)


@dataclass
class _Named:
    """An answer whose field a control's tag/title or a field's name gives directly."""

    key: str
    value: str


@dataclass
class _ControlInfo:
    tag: str | None
    alias: str | None
    placeholder: bool
    checked: bool | None
    full_date: str | None


def _on(element: Any, attribute: str = _VAL) -> bool:
    if element is None:
        return False
    value = element.get(attribute)
    return value is None or value.strip().lower() in ("1", "true", "on")


def _control_info(properties: Any) -> _ControlInfo:
    if properties is None:
        return _ControlInfo(None, None, False, None, None)
    tag = properties.find(_w("tag"))
    alias = properties.find(_w("alias"))
    placeholder = properties.find(_w("showingPlcHdr"))
    checkbox = properties.find(_W14_CHECKBOX)
    checked = None
    if checkbox is not None:
        checked = _on(checkbox.find(_W14_CHECKED), _W14_VAL)
    date = properties.find(_w("date"))
    full_date = date.get(_w("fullDate")) if date is not None else None
    return _ControlInfo(
        tag=tag.get(_VAL) if tag is not None else None,
        alias=alias.get(_VAL) if alias is not None else None,
        placeholder=placeholder is not None and _on(placeholder),
        checked=checked,
        full_date=full_date if full_date and _ISO_DATE_RE.match(full_date) else None,
    )


def _find_textboxes(element: Any) -> Iterator[Any]:
    for child in element:
        if child.tag == _TXBX:
            yield child
        elif child.tag == _MC_ALTERNATE:
            # The Fallback repeats the Choice as VML; reading both would double the text.
            choice = child.find(_MC_CHOICE)
            if choice is not None:
                yield from _find_textboxes(choice)
        else:
            yield from _find_textboxes(child)


def _blocks_text(blocks: Sequence[_Block]) -> str:
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, _Para):
            lines.extend(block.lines)
        else:
            for row in block.rows:
                for cell in row:
                    lines.append(_blocks_text(cell))
    return "\n".join(lines)


class _PartWalker:
    """Turns one XML part into paragraphs and tables of plain text.

    On the way it renders check box controls and legacy check boxes as ☒/☐, drops
    placeholder text, and records answers that a control's tag or title, or a legacy
    field's name, ties to a field.
    """

    def __init__(self, named: list[_Named], boxes: list[tuple[str, str, bool]]) -> None:
        self._named = named
        self._boxes = boxes
        self._fields: list[_Field] = []
        self._out: list[str] = []
        self._textboxes: list[Any] = []

    def blocks(self, container: Any) -> list[_Block]:
        result: list[_Block] = []
        for child in container:
            tag = child.tag
            if tag == _P:
                result.append(self._paragraph(child))
                boxes, self._textboxes = self._textboxes, []
                for box in boxes:
                    result.extend(self.blocks(box))
            elif tag == _TBL:
                result.append(self._table(child))
            elif tag == _SDT:
                result.extend(self._block_control(child))
            elif tag in _BLOCK_WRAPPERS:
                result.extend(self.blocks(child))
            elif tag == _MC_ALTERNATE:
                choice = child.find(_MC_CHOICE)
                if choice is not None:
                    result.extend(self.blocks(choice))
        return result

    def _paragraph(self, paragraph: Any) -> _Para:
        self._out = []
        self._inline(paragraph)
        text = "".join(self._out).translate(_SYMBOL_BOXES)
        style = paragraph.find(f"{_w('pPr')}/{_w('pStyle')}")
        heading = style is not None and bool(_HEADING_STYLE_RE.match(style.get(_VAL) or ""))
        return _Para(lines=text.split("\n"), heading=heading)

    def _table(self, table: Any) -> _Table:
        rows = []
        for row in self._rows(table):
            cells: list[list[_Block]] = []
            for cell, key, placeholder in self._cells(row, None, False):
                blocks = [] if placeholder else self.blocks(cell)
                if key:
                    self._named.append(_Named(key, "" if placeholder else _blocks_text(blocks)))
                cells.append(blocks)
            rows.append(cells)
        return _Table(rows=rows)

    def _rows(self, element: Any) -> Iterator[Any]:
        for child in element:
            if child.tag == _TR:
                yield child
            elif child.tag == _SDT:
                content = child.find(_SDT_CONTENT)
                if content is not None:
                    yield from self._rows(content)
            elif child.tag in _BLOCK_WRAPPERS:
                yield from self._rows(child)

    def _cells(
        self, row: Any, key: str | None, placeholder: bool
    ) -> Iterator[tuple[Any, str | None, bool]]:
        """Each cell with the field and placeholder state of a control wrapped around it."""
        for child in row:
            if child.tag == _TC:
                yield child, key, placeholder
            elif child.tag == _SDT:
                info = _control_info(child.find(_SDT_PR))
                content = child.find(_SDT_CONTENT)
                if content is not None:
                    inner_key = _name_key(info.tag) or _name_key(info.alias)
                    yield from self._cells(content, inner_key, info.placeholder)
            elif child.tag in _BLOCK_WRAPPERS:
                yield from self._cells(child, key, placeholder)

    def _block_control(self, control: Any) -> list[_Block]:
        info = _control_info(control.find(_SDT_PR))
        content = control.find(_SDT_CONTENT)
        key = _name_key(info.tag) or _name_key(info.alias)
        if info.placeholder:
            if key:
                self._named.append(_Named(key, ""))
            return []
        if content is None:
            return []
        blocks = self.blocks(content)
        structured = (
            content.find(f".//{_TBL}") is not None or content.find(f".//{_SDT}") is not None
        )
        if key and not structured:
            self._named.append(_Named(key, _blocks_text(blocks)))
        return blocks

    # Inline content ----------------------------------------------------------------

    def _in_field_code(self) -> bool:
        return any(not open_field.in_result for open_field in self._fields)

    def _emit(self, text: str) -> None:
        if self._in_field_code():
            return
        self._out.append(text)
        for open_field in self._fields:
            open_field.result.append(text)

    def _inline(self, element: Any) -> None:
        for child in element:
            tag = child.tag
            if tag == _R:
                self._run(child)
            elif tag == _SDT:
                self._inline_control(child)
            elif tag in _INLINE_WRAPPERS:
                self._inline(child)
            elif tag == _MC_ALTERNATE:
                choice = child.find(_MC_CHOICE)
                if choice is not None:
                    self._inline(choice)

    def _run(self, run: Any) -> None:
        for child in run:
            tag = child.tag
            if tag == _T:
                self._emit(child.text or "")
            elif tag in (_w("tab"), _w("ptab")):
                self._emit("\t")
            elif tag in (_w("br"), _w("cr")):
                self._emit("\n")
            elif tag == _w("noBreakHyphen"):
                self._emit("-")
            elif tag == _w("sym"):
                self._emit(_symbol(child.get(_w("char"))))
            elif tag == _w("fldChar"):
                self._field_char(child)
            elif tag in (_w("drawing"), _w("pict"), _w("object"), _MC_ALTERNATE):
                self._textboxes.extend(_find_textboxes(child))

    def _inline_control(self, control: Any) -> None:
        info = _control_info(control.find(_SDT_PR))
        if info.checked is not None:
            self._emit("☒" if info.checked else "☐")
            option = _option_for_name(info.alias) or _option_for_name(info.tag)
            if option:
                self._boxes.append((option[0], option[1], info.checked))
            return
        content = control.find(_SDT_CONTENT)
        saved, self._out = self._out, []
        if content is not None:
            self._inline(content)
        text = "".join(self._out)
        self._out = saved
        if info.placeholder:
            text = ""
        elif info.full_date:
            # The date picker stores the chosen day locale-free; prefer it to the display.
            text = info.full_date[:10]
        if not self._in_field_code():
            self._out.append(text)
        key = _name_key(info.tag) or _name_key(info.alias)
        if key:
            self._named.append(_Named(key, text))

    def _field_char(self, char: Any) -> None:
        kind = char.get(_w("fldCharType"))
        if kind == "begin":
            self._fields.append(_Field(ffdata=char.find(_w("ffData"))))
        elif kind == "separate" and self._fields:
            self._fields[-1].in_result = True
        elif kind == "end" and self._fields:
            self._finish_field(self._fields.pop())

    def _finish_field(self, closed: _Field) -> None:
        ffdata = closed.ffdata
        if ffdata is None:
            return
        name_element = ffdata.find(_w("name"))
        name = name_element.get(_VAL) if name_element is not None else None
        checkbox = ffdata.find(_w("checkBox"))
        if checkbox is not None:
            checked_element = checkbox.find(_w("checked"))
            if checked_element is None:
                checked_element = checkbox.find(_w("default"))
            checked = _on(checked_element)
            self._emit("☒" if checked else "☐")
            option = _option_for_name(name)
            if option:
                self._boxes.append((option[0], option[1], checked))
            return
        dropdown = ffdata.find(_w("ddList"))
        if dropdown is not None:
            # A legacy drop-down shows its chosen entry without any result runs.
            entries = [entry.get(_VAL) or "" for entry in dropdown.findall(_w("listEntry"))]
            chosen = dropdown.find(_w("result"))
            if chosen is None:
                chosen = dropdown.find(_w("default"))
            index = _int_or_zero(chosen.get(_VAL) if chosen is not None else None)
            value = entries[index] if 0 <= index < len(entries) else ""
            self._emit(value)
        else:
            value = "".join(closed.result)
        key = _name_key(name)
        if key:
            self._named.append(_Named(key, value))


def _int_or_zero(text: str | None) -> int:
    try:
        return int(text or "0")
    except ValueError:
        return 0


def _symbol(char: str | None) -> str:
    try:
        code = int(char or "", 16)
    except ValueError:
        return ""
    if code < 0xF000:
        code += 0xF000
    return _SYMBOL_BOXES.get(code, "")


# --- from text to answers ------------------------------------------------------------

_RANK_NAMED, _RANK_TABLE, _RANK_FLOW = 0, 1, 2
_CHUNK_SPLIT_RE: Final = re.compile(r"\t+| {3,}|\s\|\s")
_TITLE: Final = "verksamhetsuppgifter"
# "Verksamhetsuppgifter – daglig verksamhet" is a title; a sentence that mentions the
# form ("Här kommer blanketten Verksamhetsuppgifter för ...") is not.
_MAX_TITLE_WORDS: Final = 6


@dataclass
class _Candidate:
    key: str
    value: str | None
    rank: int
    order: int


@dataclass
class _Pending:
    """A label waiting for its answer in the lines that follow."""

    key: str
    label: str
    heading: bool
    lines: list[str] = field(default_factory=list)


class _Flow:
    """Reads a run of lines: "Label: value", or a label with the answer in later lines."""

    def __init__(self, reader: _Reader, rank: int) -> None:
        self._reader = reader
        self._rank = rank
        self._pending: _Pending | None = None

    def line(self, text: str, *, heading: bool = False, weak_heading: bool = False) -> None:
        text = text.strip()
        if not text:
            return
        pairs = self._reader.label_line(text)
        if pairs is not None:
            self.flush()
            # Resolve again: closing an empty section label above may have changed context.
            pairs = self._reader.label_line(text) or pairs
            for key, _label, value in pairs[:-1]:
                self._reader.add(key, value, self._rank)
            key, label, value = pairs[-1]
            self._pending = _Pending(key, label, heading or weak_heading or _all_caps(label))
            if value:
                self._take(value)
            return
        waiting_for_answer = self._pending is not None and not self._pending.lines
        if heading or ((weak_heading or _all_caps(text)) and not waiting_for_answer):
            self.flush()
            self._reader.section = _section_of(text)
            return
        if self._pending is not None:
            self._take(text)

    def _take(self, text: str) -> None:
        if self._pending is None:
            return
        self._pending.lines.append(text)
        if self._pending.key not in _MULTILINE_KEYS:
            self.flush()

    def flush(self) -> None:
        pending, self._pending = self._pending, None
        if pending is None:
            return
        if pending.lines:
            self._reader.add(pending.key, "\n".join(pending.lines), self._rank)
            return
        self._reader.add(pending.key, None, self._rank)
        squashed = _squash(pending.label)
        if squashed in _SECTION_WORDS or (pending.heading and squashed not in _CONTEXT_WORDS):
            # An empty "ANSVARIG CHEF" opens a section; an empty "TELEFON" inside one does not.
            self._reader.section = _section_of(pending.label)


def _all_caps(text: str) -> bool:
    """A short line in capitals is a section heading ("KONTAKTUPPGIFTER"), not "LSS"."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 5 and len(text) <= 60 and all(ch.isupper() for ch in letters)


class _Reader:
    """Collects candidate answers from every style and picks one per field."""

    def __init__(self) -> None:
        self.section = ""
        self.title = False
        self._candidates: list[_Candidate] = []
        self._named: list[_Named] = []
        self._boxes: list[tuple[str, str, bool]] = []
        self._change_states: dict[str, bool] = {}
        self._area_states: dict[str, bool] = {}

    # Input -------------------------------------------------------------------------

    def read_part(self, root: Any, *, is_body: bool) -> None:
        body = root.find(_w("body")) if is_body else root
        if body is None:
            return
        before = len(self._named)
        blocks = _PartWalker(self._named, self._boxes).blocks(body)
        for named in self._named[before:]:
            value = self._without_own_label(named.key, named.value)
            self.add(named.key, value, _RANK_NAMED)
        self.section = ""
        flow = _Flow(self, _RANK_FLOW)
        self._blocks(blocks, flow)
        flow.flush()

    def add(self, key: str, value: str | None, rank: int) -> None:
        if key == _IGNORED:
            return
        self._candidates.append(_Candidate(key, value, rank, len(self._candidates)))

    def label_line(self, text: str) -> list[tuple[str, str, str]] | None:
        """(key, label, value) for each label on a line that starts with one, else None.

        Labels and answers may share a line as "Label: value", or sit in tab-separated
        chunks ("Postnummer:<tab>415 05<tab>Ort:<tab>Göteborg").
        """
        pairs: list[list[str]] = []
        for chunk in _CHUNK_SPLIT_RE.split(text):
            chunk = chunk.strip()
            if not chunk:
                continue
            found = self._chunk_label(chunk)
            if found is not None:
                pairs.append(list(found))
            elif pairs:
                pairs[-1][2] = f"{pairs[-1][2]} {chunk}".strip()
            else:
                return None
        if not pairs:
            return None
        result: list[tuple[str, str, str]] = []
        for key, label, value in pairs:
            result.extend(self._split_embedded(key, label, value))
        return result

    def _chunk_label(self, chunk: str) -> tuple[str, str, str] | None:
        key = _label_key(chunk, self.section)
        if key is not None:
            return key, chunk, ""
        head, colon, rest = chunk.partition(":")
        if colon and head.strip():
            key = _label_key(head, self.section)
            if key is not None:
                return key, head, rest.lstrip(" :").strip()
        return None

    def _split_embedded(self, key: str, label: str, value: str) -> list[tuple[str, str, str]]:
        """A value like "415 05 Ort: Göteborg" holds a second label; free text may not."""
        if key in _MULTILINE_KEYS or ":" not in value:
            return [(key, label, value)]
        for match in re.finditer(":", value):
            words = value[: match.start()].split()
            for size in range(min(4, len(words)), 0, -1):
                inner_label = " ".join(words[-size:])
                inner_key = _label_key(inner_label, self.section)
                if inner_key is not None and size < len(words):
                    head = " ".join(words[:-size])
                    rest = value[match.end() :].strip()
                    return [(key, label, head), *self._split_embedded(inner_key, inner_label, rest)]
        return [(key, label, value)]

    def _without_own_label(self, key: str, value: str) -> str:
        """A control wrapped around "Enhetens namn: Kvarnen" answers "Kvarnen"."""
        lines = value.split("\n")
        first = lines[0].strip()
        pairs = self.label_line(first) if first else None
        if pairs and pairs[0][0] == key:
            lines[0] = pairs[0][2]
        return "\n".join(lines)

    # Walking blocks ------------------------------------------------------------------

    def _blocks(self, blocks: Sequence[_Block], flow: _Flow) -> None:
        for block in blocks:
            if isinstance(block, _Para):
                for line in block.lines:
                    self._scan(line)
                    flow.line(line, heading=block.heading)
            else:
                self._table(block, flow)

    def _table(self, table: _Table, flow: _Flow) -> None:
        rows = table.rows
        index = 0
        while index < len(rows):
            cells = rows[index]
            next_row = rows[index + 1] if index + 1 < len(rows) else None
            if len(cells) <= 1:
                # A full-width row: a section heading, a label above its answer, or
                # free text. It continues the surrounding flow of lines.
                blocks = cells[0] if cells else []
                text = _blocks_text(blocks).strip()
                single_line = "\n" not in text and len(text) <= 60
                before_pairs = next_row is not None and len(next_row) > 1
                for block in blocks:
                    if isinstance(block, _Para) and single_line:
                        for line in block.lines:
                            self._scan(line)
                            flow.line(line, heading=block.heading, weak_heading=before_pairs)
                    else:
                        self._blocks([block], flow)
                index += 1
                continue
            flow.flush()
            texts = [_blocks_text(cell).strip() for cell in cells]
            # Boxes may sit in one cell and their options in the next ("☒" | "Ny enhet");
            # label cells stay out so that options printed in a label are not read as marked.
            self._scan(
                " ".join(
                    " ".join(text.split())
                    for text in texts
                    if _label_key(text.split("\n", 1)[0], self.section) is None
                )
            )
            if next_row is not None and self._header_row(texts, next_row):
                for text, value_cell in zip(texts, next_row, strict=False):
                    key = _label_key(text, self.section)
                    if key is not None:
                        self.add(key, _blocks_text(value_cell), _RANK_TABLE)
                index += 2
                continue
            self._pairs(cells, texts)
            index += 1

    def _header_row(self, texts: list[str], next_row: list[list[_Block]]) -> bool:
        """A row of labels whose answers stand in the row below, column by column."""
        labels = [text for text in texts if text]
        if len(labels) < 2 or len(next_row) != len(texts):
            return False
        if any(_label_key(text, self.section) is None for text in labels):
            return False
        below = [_blocks_text(cell).strip() for cell in next_row]
        return any(below) and all(_label_key(text, self.section) is None for text in below)

    def _pairs(self, cells: list[list[_Block]], texts: list[str]) -> None:
        """Label in one cell, answer in the next; any other cell is read as free text."""
        position = 0
        while position < len(cells):
            text = texts[position]
            first_line = text.split("\n", 1)[0]
            key = _label_key(first_line, self.section)
            has_next = position + 1 < len(cells)
            next_is_answer = (
                has_next and _label_key(texts[position + 1].split("\n", 1)[0], self.section) is None
            )
            if key is not None and ("\n" not in text or (next_is_answer and texts[position + 1])):
                if next_is_answer:
                    self.add(key, _blocks_text(cells[position + 1]), _RANK_TABLE)
                    position += 2
                else:
                    self.add(key, None, _RANK_TABLE)
                    position += 1
                continue
            cell_flow = _Flow(self, _RANK_TABLE)
            self._blocks(cells[position], cell_flow)
            cell_flow.flush()
            position += 1

    def _scan(self, line: str) -> None:
        if _TITLE in line.lower() and len(line.split()) <= _MAX_TITLE_WORDS:
            self.title = True
        if not line.strip():
            return
        for option, state in _scan_boxes(line, _CHANGE_RE, _CHANGE_OPTIONS).items():
            self._change_states[option] = self._change_states.get(option, False) or state
        for option, state in _scan_boxes(line, _AREA_RE, _AREA_OPTIONS).items():
            self._area_states[option] = self._area_states.get(option, False) or state

    # Output ------------------------------------------------------------------------

    def _best(self, key: str) -> str | None:
        found = [c for c in self._candidates if c.key == key and c.value is not None]
        answered = [c for c in found if _clean_answer(c.value or "") is not None]
        if not answered:
            return None
        return min(answered, key=lambda c: (c.rank, c.order)).value

    def result(self) -> VerksamhetsForm | None:
        for key, option, state in self._boxes:
            states = self._change_states if key == "typ_av_andring" else self._area_states
            states[option] = states.get(option, False) or state
        recognised = {c.key for c in self._candidates}
        if self._change_states:
            recognised.add("typ_av_andring")
        if self._area_states:
            recognised.add("verksamhetsomrade")
        specific = recognised - _GENERIC_FIELDS
        is_form = (self.title and len(recognised) >= _MIN_FIELDS_WITH_TITLE) or (
            len(recognised) >= _MIN_FIELDS_WITHOUT_TITLE and len(specific) >= _MIN_SPECIFIC_FIELDS
        )
        if not is_form:
            return None
        answers: dict[str, Any] = {key: self._best(key) for key in FORM_LABELS}
        answers["typ_av_andring"] = self._change_types(answers["typ_av_andring"])
        answers["verksamhetsomrade"] = self._area(answers["verksamhetsomrade"])
        return VerksamhetsForm(**answers)

    def _change_types(self, text: str | None) -> tuple[str, ...]:
        if self._change_states:
            ticked = {option for option, state in self._change_states.items() if state}
        else:
            # No boxes anywhere: the answer names the change in words ("Ny enhet"), unless
            # it names all four, which is the printed list of options left unmarked.
            ticked = {
                _option_name(match.group(0), _CHANGE_OPTIONS)
                for match in _CHANGE_RE.finditer(text or "")
            }
            if len(ticked) == len(CHANGE_TYPES):
                ticked = set()
        return tuple(option for option in CHANGE_TYPES if option in ticked)

    def _area(self, text: str | None) -> str | None:
        if not self._area_states:
            return text
        ticked = [name for name in (_HEMTJANST, _DAGLIG_VERKSAMHET) if self._area_states.get(name)]
        return ", ".join(ticked) or None
