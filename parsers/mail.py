"""Raw message bytes → ``ParsedMail``: headers, readable text, attachments.

mail-parser does the MIME work (structure, transfer encodings, attachments). The body text
and the few headers that decide threading and automation are decoded here, because mail
as it arrives lies about its charset: Outlook labels Windows-1252 text "iso-8859-1", old
clients send 8-bit headers and bodies with no charset at all.

The mailbox is open to the internet, so every text is read only as far as a person would
read it (the limits below). A 25 MB body or a 2 MB subject costs what the first pages
cost: oversized text parts are cut in the raw bytes before any MIME parser copies them,
and what reaches the readers downstream is a bounded prefix.

Attachments cost what they are worth to lovbot. mail-parser holds some nine copies of
what it is handed, so it sees large attachments only as their headers (name, type,
disposition: what it reads well): their bodies are set aside in the raw bytes and
replaced by a marker. Only a Word file that may be the form is then decoded, once,
straight from the raw bytes; every other one keeps its name and real size, without its
bytes.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import datetime as dt
import email.errors
import email.message
import email.utils
import html as html_module
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
from parsers.form import MAX_ATTACHMENT_BYTES, is_word_attachment
from parsers.text import clean_header, html_to_text

__all__ = [
    "MAX_BODY_PART_BYTES",
    "MAX_KEPT_ATTACHMENT_BYTES",
    "MAX_SUBJECT_CHARS",
    "MAX_TEXT_CHARS",
    "Attachment",
    "ParsedMail",
    "header_block",
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
# Encoded bytes of all attachments together that mail-parser gets to see whole; a larger
# one, and every one after this many, is set aside (see the module's docstring). A form
# is 30-100 kB, a logo in a signature a few kB: those stay on mail-parser's path.
MAX_KEPT_ATTACHMENT_BYTES: Final = 1024 * 1024
# Transfer encodings a set-aside attachment can be decoded from, as the email package
# decodes them; a part in any other (uuencode, an unknown name) is left whole.
_SET_ASIDE_ENCODINGS: Final = frozenset(
    {"", "7bit", "8bit", "binary", "base64", "quoted-printable"}
)
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
    """One attachment as mail-parser names it; ``size`` is its decoded size in bytes.

    ``set_aside``: its bytes were not decoded (``data`` is empty), because it is too large
    to be worth them and cannot be the form; or it is an attached message whose own large
    attachments were set aside (each is listed too, as mail-parser lists them).
    """

    filename: str | None
    content_type: str | None
    data: bytes
    size: int = -1  # -1: len(data)
    set_aside: bool = False

    def __post_init__(self) -> None:
        if self.size < 0:
            object.__setattr__(self, "size", len(self.data))


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
    bounded, set_aside = _bounded(raw)
    try:
        parsed = mailparser.parse_from_bytes(bounded)
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
    if (not text or _PLACEHOLDER.search(text[:_PLACEHOLDER_CHARS])) and html:
        # "Det här meddelandet är skickat i HTML-format ...": the plain part only points
        # at the HTML one, which holds the mail as the reader sees it.
        shown = _prefix(html_to_text("\n".join(html), max_chars=MAX_TEXT_CHARS + 1))
        text = shown or text
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
        attachments=tuple(_attachments(parsed, raw, set_aside)),
        reply_to_address=_mailbox(header("reply-to"))[1],
    )


def header_block(raw: bytes) -> bytes:
    """The message's header block (up to and with the blank line that ends it).

    For reading a header parse_mail does not keep: the email package's parsers decode
    everything they are handed into one string before they read a header, which for a
    25 MB message with 8-bit bytes is some 300 MB.
    """
    blank = _BLANK_LINE.search(raw)
    return raw[: blank.end()] if blank else raw


def _prefix(text: str) -> str:
    """The first MAX_TEXT_CHARS of a text, ending at a line end where one is near."""
    if len(text) <= MAX_TEXT_CHARS:
        return text
    line_end = text.rfind("\n", MAX_TEXT_CHARS // 2, MAX_TEXT_CHARS + 1)
    return text[: line_end if line_end > 0 else MAX_TEXT_CHARS].rstrip()


_BLANK_LINE = re.compile(rb"\r?\n\r?\n")
_LINE_END_BEFORE = re.compile(rb"\r?\n\Z")
_LINE_END = re.compile(rb"\r?\n")


@dataclass(frozen=True, slots=True)
class _SetAside:
    """An attachment's body left out of what mail-parser sees: where it is in the raw bytes."""

    start: int
    stop: int  # the body as the email package has it: the delimiter's line end excluded
    encoding: str


def _bounded(raw: bytes) -> tuple[bytes, dict[bytes, _SetAside]]:
    """``raw`` with its text body parts cut, at line ends, to MAX_BODY_PART_BYTES in all,
    and its large attachments set aside (by their markers).

    Works on the bytes, before any MIME parser copies them; a structure this cannot
    follow is left as it is (the parser then sees it whole, as before). Unchanged mail
    is returned as it came.
    """
    cutter = _Cutter(raw)
    pieces = cutter.part(0, len(raw), 0, "text/plain", delimited=False, attached=False)
    return (b"".join(pieces) if cutter.cut else raw), cutter.set_aside


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
        self.attachment_room = MAX_KEPT_ATTACHMENT_BYTES
        self.parts = 0
        self.cut = False
        self.set_aside: dict[bytes, _SetAside] = {}

    def part(
        self, start: int, end: int, depth: int, default: str, *, delimited: bool, attached: bool
    ) -> list[memoryview]:
        """The pieces that stand for ``raw[start:end]``, one MIME entity.

        ``delimited``: a multipart delimiter follows, whose line end the entity's body does
        not own. ``attached``: inside an attached message, whose texts are left whole.
        """
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
            return [head, *self._multipart(body, end, boundary, depth, children, attached)]
        encoding = str(headers.get("content-transfer-encoding", "")).strip().lower()
        if headers.get_content_type() == "message/rfc822":
            # An attached message may carry the form (mail-parser lists the attachments
            # inside it) and large attachments of its own: its parts are walked like ours.
            if depth >= _MAX_DEPTH or encoding not in ("", "7bit", "8bit", "binary"):
                return whole
            inner = self.part(
                body, end, depth + 1, "text/plain", delimited=delimited, attached=True
            )
            return [head, *inner]
        disposition = (headers.get_content_disposition() or "").lower()
        is_body = headers.get_content_type() in ("text/plain", "text/html") and not (
            disposition == "attachment" or (headers.get_filename() and disposition != "inline")
        )
        if not is_body:
            return self._attachment(head, body, end, encoding, delimited=delimited)
        if attached:
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

    def _attachment(
        self, head: memoryview, body: int, end: int, encoding: str, *, delimited: bool
    ) -> list[memoryview]:
        """An attachment whole while the room lasts, else its headers and a marker."""
        if end - body <= self.attachment_room or encoding not in _SET_ASIDE_ENCODINGS:
            self.attachment_room = max(0, self.attachment_room - (end - body))
            return [head, self.view[body:end]]
        stop = end
        if delimited:  # RFC 2046 §5.1.1: the line end before a delimiter is the delimiter's
            line_end = _LINE_END_BEFORE.search(self.raw, max(body, end - 2), end)
            stop = line_end.start() if line_end else end
        # Letters and digits, a multiple of four: the same text under every encoding above,
        # and never a real attachment's bytes.
        marker = b"LovbotSetAside%06d" % len(self.set_aside)
        self.set_aside[marker] = _SetAside(body, max(body, stop), encoding)
        self.cut = True
        return [head, memoryview(marker + (b"\r\n" if delimited else b""))]

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
        self, start: int, end: int, boundary: str, depth: int, default: str, attached: bool
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
                kept = self.part(
                    lead.end(),
                    part_end,
                    depth + 1,
                    default,
                    delimited=following is not None,
                    attached=attached,
                )
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
    forwarded: list[str] = []
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
            elif part.get_content_type() == "message/rfc822" and not forwarded:
                # "Originalmeddelandet bifogas": a message forwarded as an attachment is
                # read as a forwarded message below the text, as a client shows it.
                forwarded.append(_forwarded_text(part))
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
    if forwarded and forwarded[0]:
        # Below the body in its own form: an HTML-only body is read from its HTML.
        if html and not plain:
            html.append(f"<pre>{html_module.escape(forwarded[0])}</pre>")
        else:
            plain.append(forwarded[0])
    return plain, html


# A plain part that only says the mail is in HTML ("Det här meddelandet är skickat i
# HTML-format", "This message is in HTML format", "view it in your browser").
_PLACEHOLDER = re.compile(
    r"\A(?=[\s\S]{0,400}\Z)[\s\S]*?(?:HTML|webbläsare|browser|e-postprogram)", re.IGNORECASE
)
_PLACEHOLDER_CHARS = 401


def _forwarded_text(part: email.message.Message) -> str:
    """An attached message as a forward shows it: its header lines, then its text."""
    inner = part.get_payload()
    if not isinstance(inner, list) or not inner or not isinstance(inner[0], email.message.Message):
        return ""
    attached = inner[0]
    plain, html = _body_parts(attached)
    text = "\n".join(p for p in plain if p.strip()).strip()
    if not text and html:
        text = html_to_text("\n".join(html), max_chars=MAX_TEXT_CHARS)
    if not text:
        return ""
    lines = ["-------- Vidarebefordrat meddelande --------"]
    for label, name in (("Från", "from"), ("Skickat", "date"), ("Ämne", "subject")):
        value = clean_header(_decoded(str(attached.get(name) or "")))
        if value:
            lines.append(f"{label}: {value}")
    return "\n".join(lines) + "\n\n" + text[:MAX_TEXT_CHARS]


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


# A marker as mail-parser may hand it back: base64-encoded, with a line end or two.
_MARKER_MAX_CHARS: Final = 40
_MARKER = re.compile(rb"LovbotSetAside\d{6}")


def _attachments(
    parsed: mailparser.MailParser, raw: bytes, set_aside: Mapping[bytes, _SetAside]
) -> list[Attachment]:
    # A set-aside body reaches mail-parser as its marker: as it stands under base64, and
    # base64-encoded by mail-parser under every other transfer encoding.
    markers = {**set_aside, **{base64.b64encode(m): s for m, s in set_aside.items()}}
    out: list[Attachment] = []
    for item in parsed.attachments:
        payload = item.get("payload") or ""
        filename = item.get("filename")
        content_type = (item.get("mail_content_type") or "").lower() or None
        aside = (
            markers.get(payload.strip().encode("ascii", "replace"))
            if set_aside and len(payload) <= _MARKER_MAX_CHARS
            else None
        )
        if aside is not None:
            out.append(_set_aside_attachment(raw, aside, filename, content_type))
            continue
        try:
            data = (
                base64.b64decode(payload)
                if item.get("binary")
                else payload.encode(item.get("charset") or "utf-8", "replace")
            )
        except (binascii.Error, ValueError, LookupError):
            logger.debug("Attachment %r could not be decoded", filename)
            data = b""
        inner = _MARKER.findall(data) if set_aside and not item.get("binary") else []
        if inner:
            # An attached message whose own attachments were set aside: mail-parser
            # handed it back with their markers; its size is that of the message as sent.
            size = len(data) + sum(
                set_aside[m].stop - set_aside[m].start - len(m) for m in inner if m in set_aside
            )
            out.append(Attachment(filename, content_type, data=b"", size=size, set_aside=True))
            continue
        out.append(Attachment(filename=filename, content_type=content_type, data=data))
    return out


def _set_aside_attachment(
    raw: bytes, aside: _SetAside, filename: str | None, content_type: str | None
) -> Attachment:
    """A set-aside attachment: decoded from the raw bytes if it may be the form, else its size."""
    size = _decoded_size(raw, aside)
    if size <= MAX_ATTACHMENT_BYTES and is_word_attachment(filename, content_type):
        data = _decode(raw, aside)
        return Attachment(filename=filename, content_type=content_type, data=data)
    return Attachment(
        filename=filename, content_type=content_type, data=b"", size=size, set_aside=True
    )


# Bytes decoded at a time when only the size of a quoted-printable attachment is wanted.
_QP_CHUNK_BYTES: Final = 1024 * 1024


def _decoded_size(raw: bytes, aside: _SetAside) -> int:
    """The size of a set-aside body once decoded, without holding it decoded."""
    start, stop = aside.start, aside.stop
    if aside.encoding == "base64":
        # What the decoder keeps: all but line ends, blanks and the padding.
        length = stop - start - sum(raw.count(c, start, stop) for c in (b"\n", b"\r", b" ", b"\t"))
        tail = raw[max(start, stop - 64) : stop].rstrip()
        length -= len(tail) - len(tail.rstrip(b"="))
        return length * 3 // 4
    if aside.encoding == "quoted-printable":
        view, size = memoryview(raw), 0
        while start < stop:
            cut = raw.find(b"\n", min(start + _QP_CHUNK_BYTES, stop - 1), stop)
            chunk_end = stop if cut < 0 else cut + 1
            size += len(binascii.a2b_qp(view[start:chunk_end]))
            start = chunk_end
        return size
    return stop - start


def _decode(raw: bytes, aside: _SetAside) -> bytes:
    """A set-aside body decoded as the email package decodes it; b"" when it cannot be."""
    body = memoryview(raw)[aside.start : aside.stop]
    try:
        if aside.encoding == "base64":
            return binascii.a2b_base64(body)
        if aside.encoding == "quoted-printable":
            return binascii.a2b_qp(body)
    except (binascii.Error, ValueError):
        logger.debug("A set-aside attachment could not be decoded")
        return b""
    return bytes(body)
