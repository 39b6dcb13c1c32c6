"""Raw message bytes → ``ParsedMail``: headers, readable text, attachments.

mail-parser does the MIME work (structure, transfer encodings, attachments). The body text
and the few headers that decide threading and automation are decoded here, because mail
as it arrives lies about its charset: Outlook labels Windows-1252 text "iso-8859-1", old
clients send 8-bit headers and bodies with no charset at all.

The mailbox is open to the internet, so every text is read only as far as a person would
read it (the limits below). A 25 MB body or a 2 MB subject costs what the first pages
cost: oversized text parts are cut in the raw bytes before any MIME parser copies them,
and what reaches the readers downstream is a bounded prefix. Attachments are left whole;
the form reader has its own limits.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import datetime as dt
import email.errors
import email.message
import email.utils
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.policy import default as default_policy
from typing import Final

import mailparser

from parsers.errors import MailParseError
from parsers.text import clean_header, html_to_text

__all__ = [
    "MAX_BODY_PART_BYTES",
    "MAX_SUBJECT_CHARS",
    "MAX_TEXT_CHARS",
    "Attachment",
    "ParsedMail",
    "parse_mail",
]

logger = logging.getLogger(__name__)

# Headers kept for the automation and threading checks (lower-case names).
_KEPT_HEADERS = (
    "auto-submitted",
    "precedence",
    "list-id",
    "list-unsubscribe",
    "return-path",
    "x-autoreply",
    "x-autorespond",
    "x-auto-response-suppress",
    "x-ms-exchange-generated-message-source",
    "content-type",
    "reply-to",
)
_MSGID = re.compile(r"<[^<>\s]+>")

# What a person reads of a message. The readers downstream (classification, unit names,
# dates) grow faster than linearly with their input: 10,000 characters (four pages, far
# beyond any notice EKU has received, with room for the quoted mail that may fill a gap)
# read in 0.05-0.25 s; 20,000 took up to 1 s, 400,000 took 23 s.
MAX_TEXT_CHARS: Final = 10_000
# Outlook stops a subject at 255 characters; a few times that is still a subject.
MAX_SUBJECT_CHARS: Final = 1_000
# Encoded bytes of all text body parts together (plain and HTML) that the MIME parser
# gets to see; the rest is cut before it copies anything. 1 MB holds the 10,000
# characters in any transfer encoding (quoted-printable UTF-8 takes up to 9 bytes for
# "å"), and the same text in Outlook's HTML (some 20 bytes of markup per character).
MAX_BODY_PART_BYTES: Final = 1024 * 1024
# Characters of one header value kept; References is read from the whole value.
_MAX_HEADER_CHARS: Final = 16_000
# An address header longer than this holds no more useful addresses up front.
_MAX_ADDRESS_HEADER_CHARS: Final = 2_000
# RFC 5322 §3.6.4 lets References grow with the thread; the first (the thread's root) and
# the last ones (the parents) are the ones that find a case.
_MAX_REFERENCES: Final = 30
# MIME nesting deeper than this is not mail a person wrote: what is deeper is left out
# (each level costs a scan of what it holds).
_MAX_DEPTH: Final = 20
# MIME parts in one message: a mail with a hundred attachments is rare; the parts after
# this many are left out before the parser sees them.
_MAX_PARTS: Final = 500
# Bytes of one header field (with its folded lines) the MIME parser gets to see. The
# parser and mail-parser decode every header whole; a 2 MB subject of encoded words took
# 10 s there. 32 kB still holds a References header of some 400 message ids.
_MAX_HEADER_FIELD_BYTES: Final = 32 * 1024
# Dates outside these are a broken or hostile clock, never a real sending time; they are
# treated as missing, so the server's own date counts (and date arithmetic on a year
# like 9999 cannot overflow).
_EARLIEST_DATE: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_LATEST_DATE: Final = dt.datetime(2200, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass(frozen=True, slots=True)
class ParsedMail:
    message_id: str | None
    from_address: str | None
    from_name: str | None
    subject: str  # at most MAX_SUBJECT_CHARS
    date: dt.datetime | None
    in_reply_to: str | None
    references: tuple[str, ...]
    headers: Mapping[str, str]
    text: str  # at most MAX_TEXT_CHARS
    attachments: tuple[Attachment, ...] = field(default=())
    reply_to_address: str | None = None

    @property
    def sender_domain(self) -> str | None:
        if not self.from_address or "@" not in self.from_address:
            return None
        return self.from_address.rsplit("@", 1)[1]


def parse_mail(raw: bytes) -> ParsedMail:
    """Read one RFC 5322 message; raise MailParseError when the bytes are not a message."""
    # A byte-order mark or blank lines in front of the headers are editor debris, not a
    # different message.
    raw = raw.removeprefix(b"\xef\xbb\xbf").lstrip(b"\r\n")
    if not raw or raw.isspace():  # not raw.strip(): that copies a 25 MB message
        raise MailParseError("Meddelandet är tomt.")
    head = raw[:65536].split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    if not re.search(rb"(?im)^(from|date|message-id|subject|received):", head):
        raise MailParseError("Filen saknar e-posthuvud (From, Date, Subject) och är inget e-brev.")
    try:
        parsed = mailparser.parse_from_bytes(_bounded(raw))
    except Exception as err:  # mail-parser raises many kinds; all mean the same here
        raise MailParseError(f"Meddelandet kunde inte tolkas: {err}") from err
    message = parsed.message
    if message is None:
        raise MailParseError("Meddelandet kunde inte tolkas.")

    raw_headers = _raw_headers(message)

    def header(name: str) -> str:
        return raw_headers.get(name, "")

    plain, html = _body_parts(message)
    text = _prefix("\n".join(part for part in plain if part.strip()).strip())
    if not text and html:
        text = _prefix(html_to_text("\n".join(html), max_chars=MAX_TEXT_CHARS + 1))
    name, address = _mailbox(header("from"))
    return ParsedMail(
        message_id=_first_msgid(header("message-id")),
        from_address=address,
        from_name=name,
        subject=clean_header(_decoded(header("subject")))[:MAX_SUBJECT_CHARS],
        date=_date(header("date")),
        in_reply_to=_first_msgid(header("in-reply-to")),
        references=_references(str(message.get("references") or "")),
        headers={k: header(k) for k in _KEPT_HEADERS if header(k)},
        text=text.replace("\r\n", "\n").replace("\r", "\n"),
        attachments=tuple(_attachments(parsed)),
        reply_to_address=_mailbox(header("reply-to"))[1],
    )


def _prefix(text: str) -> str:
    """The first MAX_TEXT_CHARS of a text, ending at a line end where one is near."""
    if len(text) <= MAX_TEXT_CHARS:
        return text
    line_end = text.rfind("\n", MAX_TEXT_CHARS // 2, MAX_TEXT_CHARS + 1)
    return text[: line_end if line_end > 0 else MAX_TEXT_CHARS].rstrip()


_BLANK_LINE = re.compile(rb"\r?\n\r?\n")
_LINE_END = re.compile(rb"\r?\n")


def _bounded(raw: bytes) -> bytes:
    """``raw`` with its text body parts cut, at line ends, to MAX_BODY_PART_BYTES in all.

    Works on the bytes, before any MIME parser copies them; attachments, attached messages
    and everything else pass unchanged, and a structure this cannot follow is left as it
    is (the parser then sees it whole, as before). Unchanged mail is returned as it came.
    """
    cutter = _Cutter(raw)
    pieces = cutter.part(0, len(raw), 0, "text/plain")
    return b"".join(pieces) if cutter.cut else raw


# Where a header field begins: a line end not followed by folding white space.
_FIELD_START = re.compile(rb"\n(?![ \t])")


def _cut_field(field: bytes) -> bytes:
    """A header field cut to _MAX_HEADER_FIELD_BYTES at a fold, its line ending kept."""
    cut = field.rfind(b"\n", 0, _MAX_HEADER_FIELD_BYTES)
    kept = field[:cut] if cut > 0 else field[:_MAX_HEADER_FIELD_BYTES]
    return kept.rstrip(b"\r\n") + (b"\r" if field.endswith(b"\r") else b"")


class _Cutter:
    """One walk over a message's MIME structure, by offsets into the raw bytes."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self.view = memoryview(raw)
        self.room = MAX_BODY_PART_BYTES
        self.parts = 0
        self.cut = False

    def part(self, start: int, end: int, depth: int, default: str) -> list[memoryview]:
        """The pieces that stand for ``raw[start:end]``, one MIME entity."""
        body = self._body_start(start, end)
        head = self._head(start, body)
        whole = [head, self.view[body:end]]
        headers = BytesHeaderParser(policy=compat32).parsebytes(bytes(head))
        headers.set_default_type(default)
        if headers.get_content_maintype() == "multipart":
            boundary = headers.get_boundary()
            if depth >= _MAX_DEPTH:
                self.cut = True
                return [head]
            if not boundary:
                return whole
            digest = headers.get_content_subtype() == "digest"
            children = "message/rfc822" if digest else "text/plain"
            return [head, *self._multipart(body, end, boundary, depth, children)]
        disposition = (headers.get_content_disposition() or "").lower()
        is_body = headers.get_content_type() in ("text/plain", "text/html") and not (
            disposition == "attachment" or (headers.get_filename() and disposition != "inline")
        )
        if not is_body:
            return whole
        if end - body <= self.room:
            self.room -= end - body
            return whole
        # Whole lines where there are any; a text with no line end in the room (one
        # endless line, unbroken base64) is cut where the room ends, and decoding drops
        # a character or base64 quantum cut in half.
        last_line_end = self.raw.rfind(b"\n", body, body + self.room)
        keep = last_line_end + 1 if last_line_end >= 0 else body + self.room
        self.room = 0
        self.cut = True
        return [head, self.view[body:keep]]

    def _head(self, start: int, body: int) -> memoryview:
        """The header block, every field cut to _MAX_HEADER_FIELD_BYTES."""
        if body - start <= _MAX_HEADER_FIELD_BYTES:
            return self.view[start:body]
        fields = _FIELD_START.split(bytes(self.view[start:body]))
        if all(len(f) <= _MAX_HEADER_FIELD_BYTES for f in fields):
            return self.view[start:body]
        self.cut = True
        kept = [f if len(f) <= _MAX_HEADER_FIELD_BYTES else _cut_field(f) for f in fields]
        return memoryview(b"\n".join(kept))

    def _body_start(self, start: int, end: int) -> int:
        """Where the body begins: after the blank line that ends the header block."""
        empty = _LINE_END.match(self.raw, start, end)
        if empty:  # no headers at all
            return empty.end()
        blank = _BLANK_LINE.search(self.raw, start, end)
        return blank.end() if blank else end

    def _multipart(
        self, start: int, end: int, boundary: str, depth: int, default: str
    ) -> list[memoryview]:
        try:
            marker = boundary.encode("ascii")
        except UnicodeEncodeError:
            return [self.view[start:end]]
        # A literal first (no "^"), so the regex engine can skip to each candidate; a
        # delimiter must still start a line. Found lazily: no scan past the last part kept.
        delimiter = re.compile(rb"--" + re.escape(marker) + rb"(--)?[ \t]*\r?$", re.MULTILINE)
        found = (
            m
            for m in delimiter.finditer(self.raw, start, end)
            if m.start() == start or self.raw[m.start() - 1] == 0x0A
        )
        match = next(found, None)
        if match is None:
            return [self.view[start:end]]
        out = [self.view[start : match.start()]]  # the preamble
        while match is not None:
            out.append(self.view[match.start() : match.end()])
            if match.group(1):  # the close delimiter; the epilogue follows unchanged
                out.append(self.view[match.end() : end])
                break
            self.parts += 1
            if self.parts > _MAX_PARTS:
                self.cut = True
                out.append(memoryview(b"--\r\n"))  # this delimiter becomes the close one
                break
            following = next(found, None)
            part_end = following.start() if following is not None else end
            lead = _LINE_END.match(self.raw, match.end(), part_end)
            if lead is None:
                out.append(self.view[match.end() : part_end])
            else:
                out.append(self.view[match.end() : lead.end()])
                kept = self.part(lead.end(), part_end, depth + 1, default)
                out.extend(kept)
                if kept and len(kept[-1]) and kept[-1][-1:] != b"\n":
                    out.append(memoryview(b"\r\n"))  # the next delimiter must start a line
            match = following
        return out


def _raw_headers(message: email.message.Message) -> dict[str, str]:
    """The first value of each header, as text, single-spaced (lower-case names)."""
    out: dict[str, str] = {}
    # raw_items() gives the values as stored: 8-bit bytes survive as surrogates, which
    # _repair turns into text; get() would replace them with U+FFFD first.
    for name, value in message.raw_items():
        key = name.lower()
        if key not in out:
            out[key] = clean_header(_repair(str(value)[:_MAX_HEADER_CHARS]))
    return out


def _repair(value: str) -> str:
    """A header that carried raw 8-bit bytes, decoded as UTF-8 or else Windows-1252."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _decode_text(value.encode("ascii", "surrogateescape"), None)
    return value


def _body_parts(message: email.message.Message) -> tuple[list[str], list[str]]:
    """The text/plain and text/html parts a reader sees as the body, decoded."""
    plain: list[str] = []
    html: list[str] = []
    pending: list[email.message.Message] = [message]
    while pending:
        part = pending.pop(0)
        disposition = (part.get_content_disposition() or "").lower()
        if part.is_multipart():
            # An attached message or container is an attachment, not the body.
            if part is message or disposition != "attachment":
                children = part.get_payload()
                if isinstance(children, list):
                    pending[0:0] = [c for c in children if isinstance(c, email.message.Message)]
            continue
        if disposition == "attachment" or (part.get_filename() and disposition != "inline"):
            continue
        content_type = part.get_content_type()
        if content_type not in ("text/plain", "text/html"):
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        # _bounded left at most MAX_BODY_PART_BYTES; a transfer encoding may have been
        # cut inside a character, which the incremental decode drops.
        text = _decode_text(payload, part.get_content_charset(), final=False)
        (html if content_type == "text/html" else plain).append(text)
    return plain, html


# WHATWG's rule, which mail needs as much as the web: a text labelled Latin-1 or ASCII is
# read as Windows-1252 (its superset), so "–" (0x96) and "’" (0x92) survive.
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "windows-1252": "cp1252",
    "x-unknown": "utf-8",
    "unknown-8bit": "utf-8",
}


def _decode_text(data: bytes, declared: str | None, *, final: bool = True) -> str:
    """Bytes as text: the declared charset, else UTF-8, else Windows-1252, never an error.

    ``final=False`` reads a text that may have been cut short: a character whose bytes
    were cut is left out rather than turning the whole text into the next charset.
    """
    charsets: list[str] = []
    if declared:
        name = declared.strip().strip("\"'").lower()
        charsets.append(_CHARSET_ALIASES.get(name, name))
    # Undeclared or wrongly declared 8-bit text is UTF-8 from modern clients, else Windows-1252.
    charsets += ["utf-8", "cp1252"]
    for charset in charsets:
        try:
            return codecs.getincrementaldecoder(charset)().decode(data, final=final)
        except (LookupError, UnicodeDecodeError, ValueError):
            continue
    # cp1252 leaves five bytes undefined; Latin-1 decodes every byte.
    return data.decode("latin-1")


def _decoded(value: str) -> str:
    try:
        return str(make_header(decode_header(value)))
    except (UnicodeDecodeError, LookupError, binascii.Error, ValueError):
        return value


def _first_msgid(value: str) -> str | None:
    match = _MSGID.search(value or "")
    return match.group(0) if match else None


def _references(value: str) -> tuple[str, ...]:
    ids = _MSGID.findall(value)
    if len(ids) > _MAX_REFERENCES:
        ids = [ids[0], *ids[-(_MAX_REFERENCES - 1) :]]
    return tuple(ids)


# An addr-spec standing on its own, for headers the RFC 5322 parser gives up on.
_BARE_ADDRESS = re.compile(r"[^\s\"@:\[\]\\]+@[^\s\"@:\[\]\\]+")
_TOKEN_SEPARATORS = re.compile(r"[\s<>(),;]+")
_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")


def _mailbox(value: str) -> tuple[str | None, str | None]:
    """(display name, address) of the first mailbox in a From or Reply-To header.

    RFC 5322 decides what the address is: the angle-bracketed addr-spec, whatever the
    display name says once its encoded words are decoded ("Karin: x@evil.example"), and
    the obsolete syntax of §4.4 (route addresses, comments, spaces around dots, empty list
    elements). The standard library's ``email.headerregistry`` implements exactly that and
    decodes encoded words only inside the display name. Only a header it cannot read as
    an address list ("Anna Lind anna@x.se", missing angle brackets) falls back to the one
    bare addr-spec written in it, never to one inside an encoded word.
    """
    value = value[:_MAX_ADDRESS_HEADER_CHARS]
    if not value.strip():
        return None, None
    name, address = "", None
    try:
        parsed = default_policy.header_factory("from", value)
        invalid = any(isinstance(d, email.errors.InvalidHeaderDefect) for d in parsed.defects)
        for candidate in parsed.addresses:
            if candidate.username and candidate.domain and not invalid:
                name, address = candidate.display_name, candidate.addr_spec
                break
    except Exception:  # the header parser raises on some crafted input; fall back below
        logger.debug("From/Reply-To not parsed as RFC 5322", exc_info=True)
    if address is None:
        plain = _ENCODED_WORD.sub(" ", value)
        found = [t for t in _TOKEN_SEPARATORS.split(plain) if _BARE_ADDRESS.fullmatch(t)]
        if len(found) == 1:
            address = found[0]
            name = _decoded(value.replace(address, " ")).strip(' <>"')
    if not name and address:
        # "anna@x.se (Anna Lind)": the old convention of a comment for the name.
        comment_name, comment_address = email.utils.parseaddr(value)
        if comment_address.lower() == address.lower():
            name = _decoded(comment_name)
    if address is None:
        # "From: Anna Lind" with no address: keep the name for the record.
        return (clean_header(_decoded(value)).strip("<>") or None), None
    # An encoded word in an unknown or broken charset decodes to lone surrogates, which
    # no database or JSON line accepts: read those bytes as 8-bit header text.
    return (clean_header(_repair(name)) or None), address.strip().lower()


def _date(value: str) -> dt.datetime | None:
    """The Date header as a moment, or None when it is missing, unreadable or absurd."""
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
        if parsed.tzinfo is None:
            # RFC 5322 "-0000": the time is UTC but the zone is unknown.
            parsed = parsed.replace(tzinfo=dt.UTC)
        if not _EARLIEST_DATE <= parsed < _LATEST_DATE:
            return None
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed


def _attachments(parsed: mailparser.MailParser) -> list[Attachment]:
    out: list[Attachment] = []
    for item in parsed.attachments:
        payload = item.get("payload") or ""
        try:
            data = (
                base64.b64decode(payload)
                if item.get("binary")
                else payload.encode(item.get("charset") or "utf-8", "replace")
            )
        except (binascii.Error, ValueError, LookupError):
            logger.debug("Attachment %r could not be decoded", item.get("filename"))
            data = b""
        out.append(
            Attachment(
                filename=item.get("filename"),
                content_type=(item.get("mail_content_type") or "").lower() or None,
                data=data,
            )
        )
    return out
