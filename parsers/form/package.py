"""Opening a Word attachment: the .docx package, its bounds and its XML parts.

The package is bounded (size, members, declared sizes, compression ratio) before anything
is decompressed; the parts read are inflated in chunks against limits on the bytes that
really come out (the declared sizes may lie); and its XML parts are parsed with lxml
directly rather than through python-docx: python-docx has no API for content controls or
legacy fields, and reading the parts ourselves lets us open only the parts we need with
a parser we configured.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from typing import Any, Final

from lxml import etree

from parsers.errors import FormUnreadable

__all__ = [
    "MAX_ATTACHMENT_BYTES",
    "MAX_COMPRESSION_RATIO",
    "MAX_MEMBER_BYTES",
    "MAX_PARTS_BYTES",
    "MAX_PART_BYTES",
    "MAX_UNCOMPRESSED_BYTES",
    "MAX_ZIP_MEMBERS",
    "W_NS",
    "is_word_attachment",
    "open_package",
    "refuse_oversized",
]

# Bounds checked on the zip directory before anything is decompressed. A mail server
# rarely passes more than ~15 MB; a real .docx has a few dozen members and its XML
# compresses 5-40:1, so a large member packed beyond 100:1 is a zip bomb, not a form.
MAX_ATTACHMENT_BYTES: Final = 15 * 1024 * 1024
MAX_ZIP_MEMBERS: Final = 1000
MAX_MEMBER_BYTES: Final = 25 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES: Final = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO: Final = 100
_RATIO_APPLIES_FROM: Final = 1024 * 1024

# The directory's sizes are the sender's word: a member that declares 1 KB may inflate to
# gigabytes. So the parts we read (the package's two indexes, the body, headers, footers)
# are inflated in small chunks and the bytes that really come out are counted. A filled-in
# form's document.xml is 5-20 KB and even Word's styles.xml (a part we never read) is
# under 0.5 MB, so 4 MB per part is far beyond any form; 8 MB for all parts together
# keeps the parsed XML trees (several times their text in memory) well inside the
# per-message memory the poller can afford.
MAX_PART_BYTES: Final = 4 * 1024 * 1024
MAX_PARTS_BYTES: Final = 8 * 1024 * 1024
_INFLATE_CHUNK_BYTES: Final = 64 * 1024
# Word writes stored and deflated members only. zipfile inflates bzip2 and LZMA members
# without any bound on the output, so they are refused before a byte is inflated.
_WORD_COMPRESSIONS: Final = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
_TOO_LARGE: Final = "Filen packas upp till orimlig storlek och öppnas inte."


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
W_NS: Final = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

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


def refuse_oversized(size: int) -> None:
    """Raise FormUnreadable for a Word attachment of ``size`` bytes too large to be the form.

    The first bound, checked before the bytes are looked at; parse_mail does not even
    decode an attachment this large (it is set aside, its size known), so the reason is
    the same whether the bytes are at hand or not.
    """
    if size > MAX_ATTACHMENT_BYTES:
        raise FormUnreadable("Filen är större än 15 MB.")


def open_package(data: bytes, filename: str | None) -> list[Any]:
    """The parsed body, then headers and footers, after every bound has been checked."""
    refuse_oversized(len(data))
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
            parts = _PartReader(package, members)
            main = _main_part(parts)
            folder = main.rsplit("/", 1)[0] + "/" if "/" in main else ""
            extras = sorted(
                name
                for name in members
                if re.fullmatch(re.escape(folder) + r"(header|footer)\d*\.xml", name)
            )
            return [_parse_xml(parts.read(name)) for name in (main, *extras)]
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
            raise FormUnreadable(_TOO_LARGE)
        if info.file_size > _RATIO_APPLIES_FROM and info.file_size > MAX_COMPRESSION_RATIO * max(
            info.compress_size, 1
        ):
            raise FormUnreadable("Filen är misstänkt hårt packad (zip-bomb) och öppnas inte.")
    return {info.filename: info for info in infos}


class _PartReader:
    """Reads package parts in bounded chunks, counting the bytes that really come out."""

    def __init__(self, package: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> None:
        self.members = members
        self._package = package
        self._total = 0

    def read(self, name: str) -> bytes:
        info = self.members[name]
        if info.compress_type not in _WORD_COMPRESSIONS:
            raise FormUnreadable(_UNREADABLE_ZIP)
        chunks: list[bytes] = []
        size = 0
        with self._package.open(info) as member:
            while chunk := member.read(_INFLATE_CHUNK_BYTES):
                size += len(chunk)
                self._total += len(chunk)
                if size > MAX_PART_BYTES or self._total > MAX_PARTS_BYTES:
                    raise FormUnreadable(_TOO_LARGE)
                chunks.append(chunk)
        return b"".join(chunks)


def _main_part(parts: _PartReader) -> str:
    """The name of the main document part, refusing macro-enabled and non-Word packages."""
    members = parts.members
    if any(name.lower().endswith("vbaproject.bin") for name in members):
        raise FormUnreadable("Filen innehåller makron (.docm) och öppnas inte.")
    main = "word/document.xml"
    if "_rels/.rels" in members:
        rels = _parse_xml(parts.read("_rels/.rels"))
        for rel in rels.iter(f"{_REL_NS}Relationship"):
            if (rel.get("Type") or "").endswith(_OFFICE_DOCUMENT_REL) and rel.get("Target"):
                main = (rel.get("Target") or "").lstrip("/")
                break
    if main not in members:
        raise FormUnreadable("Filen saknar dokumentinnehåll (word/document.xml).")
    if "[Content_Types].xml" in members:
        types = _parse_xml(parts.read("[Content_Types].xml"))
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
        data = data.replace(_STRICT_W_NS, W_NS.encode())
    try:
        root = etree.fromstring(data, parser=_xml_parser())
    except (etree.LxmlError, ValueError) as err:
        raise FormUnreadable("Dokumentets innehåll (XML) är skadat och kan inte läsas.") from err
    if root.getroottree().docinfo.doctype:
        raise FormUnreadable("Dokumentet innehåller en DTD och öppnas inte.")
    return root
