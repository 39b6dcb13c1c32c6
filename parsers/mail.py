"""Raw message bytes → ``ParsedMail``: headers, readable text, attachments.

mail-parser does the MIME work (structure, transfer encodings, attachments). The body text
and the few headers that decide threading and automation are decoded here, because mail
as it arrives lies about its charset: Outlook labels Windows-1252 text "iso-8859-1", old
clients send 8-bit headers and bodies with no charset at all.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import email.message
import email.utils
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.header import decode_header, make_header

import mailparser

from parsers.errors import MailParseError
from parsers.text import clean_header, html_to_text

__all__ = ["Attachment", "ParsedMail", "parse_mail"]

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
    subject: str
    date: dt.datetime | None
    in_reply_to: str | None
    references: tuple[str, ...]
    headers: Mapping[str, str]
    text: str
    attachments: tuple[Attachment, ...] = field(default=())

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
    if not raw or not raw.strip():
        raise MailParseError("Meddelandet är tomt.")
    head = raw[:65536].split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    if not re.search(rb"(?im)^(from|date|message-id|subject|received):", head):
        raise MailParseError("Filen saknar e-posthuvud (From, Date, Subject) och är inget e-brev.")
    try:
        parsed = mailparser.parse_from_bytes(raw)
    except Exception as err:  # mail-parser raises many kinds; all mean the same here
        raise MailParseError(f"Meddelandet kunde inte tolkas: {err}") from err
    message = parsed.message
    if message is None:
        raise MailParseError("Meddelandet kunde inte tolkas.")

    raw_headers = _raw_headers(message)

    def header(name: str) -> str:
        return raw_headers.get(name, "")

    plain, html = _body_parts(message)
    text = "\n".join(part for part in plain if part.strip()).strip()
    if not text and html:
        text = html_to_text("\n".join(html))
    name, address = _from(header("from"))
    return ParsedMail(
        message_id=_first_msgid(header("message-id")),
        from_address=address,
        from_name=name,
        subject=clean_header(_decoded(header("subject"))),
        date=_date(header("date")),
        in_reply_to=_first_msgid(header("in-reply-to")),
        references=tuple(_MSGID.findall(header("references"))),
        headers={k: header(k) for k in _KEPT_HEADERS if header(k)},
        text=text.replace("\r\n", "\n").replace("\r", "\n"),
        attachments=tuple(_attachments(parsed)),
    )


def _raw_headers(message: email.message.Message) -> dict[str, str]:
    """The first value of each header, as text, single-spaced (lower-case names)."""
    out: dict[str, str] = {}
    # raw_items() gives the values as stored: 8-bit bytes survive as surrogates, which
    # _repair turns into text; get() would replace them with U+FFFD first.
    for name, value in message.raw_items():
        key = name.lower()
        if key not in out:
            out[key] = clean_header(_repair(str(value)))
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
        text = _decode_text(payload, part.get_content_charset())
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


def _decode_text(data: bytes, declared: str | None) -> str:
    """Bytes as text: the declared charset, else UTF-8, else Windows-1252, never an error."""
    charsets: list[str] = []
    if declared:
        name = declared.strip().strip("\"'").lower()
        charsets.append(_CHARSET_ALIASES.get(name, name))
    # Undeclared or wrongly declared 8-bit text is UTF-8 from modern clients, else Windows-1252.
    charsets += ["utf-8", "cp1252"]
    for charset in charsets:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
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


def _from(value: str) -> tuple[str | None, str | None]:
    # Split before decoding: a decoded display name may hold a comma ("Lind, Anna").
    name, address = email.utils.parseaddr(value)
    if not address:
        name, address = email.utils.parseaddr(_decoded(value))
    name = clean_header(_decoded(name)) if name else ""
    if "@" not in address:
        # "From: Anna Lind" with no address: keep the name for the record.
        return (name or clean_header(_decoded(value)) or None), None
    return (name or None), address.strip().lower()


def _date(value: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        # RFC 5322 "-0000": the time is UTC but the zone is unknown.
        parsed = parsed.replace(tzinfo=dt.UTC)
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
