"""Raw message bytes → ``ParsedMail``: headers, readable text, attachments.

mail-parser does the MIME work (charsets, quoted-printable, base64); the few headers that
decide threading and automation are read here with the standard library, which keeps
their exact values.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
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
    if not raw or not raw.strip():
        raise MailParseError("Meddelandet är tomt.")
    head = raw[:65536].split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    if not re.search(rb"(?im)^(from|date|message-id|subject|received):", head):
        raise MailParseError("Filen saknar e-posthuvud (From, Date, Subject) och är inget e-brev.")
    try:
        parsed = mailparser.parse_from_bytes(raw)
    except Exception as err:  # mail-parser raises many kinds; all mean the same here
        raise MailParseError(f"Meddelandet kunde inte tolkas: {err}") from err

    headers = {name: _header(parsed, name) for name in _KEPT_HEADERS}
    name, address = _from(parsed)
    text = "\n".join(part for part in parsed.text_plain if part).strip()
    if not text and parsed.text_html:
        text = html_to_text("\n".join(parsed.text_html))
    return ParsedMail(
        message_id=_first_msgid(_header(parsed, "message-id")),
        from_address=address,
        from_name=name,
        subject=clean_header(_decoded(_header(parsed, "subject"))),
        date=_date(_header(parsed, "date")),
        in_reply_to=_first_msgid(_header(parsed, "in-reply-to")),
        references=tuple(_MSGID.findall(_header(parsed, "references"))),
        headers={k: v for k, v in headers.items() if v},
        text=text.replace("\r\n", "\n"),
        attachments=tuple(_attachments(parsed)),
    )


def _header(parsed: mailparser.MailParser, name: str) -> str:
    message = parsed.message
    value = message.get(name)
    if value is None:
        return ""
    return clean_header(str(value))


def _decoded(value: str) -> str:
    try:
        return str(make_header(decode_header(value)))
    except (UnicodeDecodeError, LookupError, binascii.Error, ValueError):
        return value


def _first_msgid(value: str) -> str | None:
    match = _MSGID.search(value or "")
    return match.group(0) if match else None


def _from(parsed: mailparser.MailParser) -> tuple[str | None, str | None]:
    raw = _decoded(_header(parsed, "from"))
    name, address = email.utils.parseaddr(raw)
    address = address.strip().lower()
    if "@" not in address:
        return (name or None), None
    return (name or None), address


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
