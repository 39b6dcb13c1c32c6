"""A stored message as an officer sees it: its text, its HTML made harmless, its attachments.

Nothing from a mail may run or load in the officer's browser. The HTML goes through nh3
(ammonia, the Rust sanitiser): scripts, styles, forms, frames and images are gone, links
keep only http(s)/mailto and get ``rel="noopener noreferrer"``; the page's CSP
(``img-src 'self'``, no inline script) is the second wall.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from email import message_from_bytes
from email.message import Message
from email.policy import default

import nh3

__all__ = ["AttachmentInfo", "MailView", "attachment", "read_mail", "sanitise_html"]

_TAGS = {
    "a", "b", "blockquote", "br", "code", "div", "em", "i", "li", "ol", "p", "pre", "span",
    "strong", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
# Types a browser may be told as they are; anything else downloads as bytes.
_SAFE_TYPES = frozenset(
    {
        "application/pdf",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "text/plain",
        "text/csv",
        "image/png",
        "image/jpeg",
    }
)


@dataclass(frozen=True, slots=True)
class AttachmentInfo:
    index: int
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True, slots=True)
class MailView:
    text: str
    html: str | None  # sanitised
    attachments: tuple[AttachmentInfo, ...]


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes={"a": {"href", "title"}, "td": {"colspan", "rowspan"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def _parts(raw: bytes) -> list[Message]:
    return list(message_from_bytes(raw, policy=default).walk())


def _is_attachment(part: Message) -> bool:
    return not part.is_multipart() and (
        part.get_content_disposition() == "attachment" or part.get_filename() is not None
    )


def read_mail(raw: bytes) -> MailView:
    text: list[str] = []
    html: str | None = None
    attachments: list[AttachmentInfo] = []
    for part in _parts(raw):
        if part.is_multipart():
            continue
        if _is_attachment(part):
            data = part.get_payload(decode=True) or b""
            assert isinstance(data, bytes)
            attachments.append(
                AttachmentInfo(
                    index=len(attachments),
                    filename=part.get_filename() or f"bilaga-{len(attachments) + 1}",
                    content_type=part.get_content_type(),
                    size=len(data),
                )
            )
            continue
        content_type = part.get_content_type()
        try:
            body = (
                part.get_content()  # type: ignore[attr-defined]
                if content_type.startswith("text/")
                else None
            )
        except (LookupError, ValueError):
            payload = part.get_payload(decode=True)
            body = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else None
        if not isinstance(body, str):
            continue
        if content_type == "text/plain":
            text.append(body)
        elif content_type == "text/html" and html is None:
            html = sanitise_html(body)
    return MailView(text="\n".join(text).strip(), html=html, attachments=tuple(attachments))


def attachment(raw: bytes, index: int) -> tuple[str, str, bytes] | None:
    """(file name, content type to serve, bytes) of the ``index``-th attachment."""
    found = [p for p in _parts(raw) if _is_attachment(p)]
    if not 0 <= index < len(found):
        return None
    part = found[index]
    data = part.get_payload(decode=True) or b""
    assert isinstance(data, bytes)
    filename = part.get_filename() or f"bilaga-{index + 1}"
    declared = part.get_content_type()
    guessed = mimetypes.guess_type(filename)[0]
    content_type = declared if declared in _SAFE_TYPES else guessed or "application/octet-stream"
    if content_type not in _SAFE_TYPES:
        content_type = "application/octet-stream"
    return filename, content_type, data
