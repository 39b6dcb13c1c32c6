"""Composing lovbot's mail from templates: acknowledgements, orders to system owners, digest.

Everything a person reads is Swedish and comes from ``outbox/templates``. Header values
taken from incoming mail are cleaned of CR/LF first; personal identity numbers are masked
in every body, subject and thread header.

Whatever a mail repeats of what lovbot received (subject, unit names, form answers,
findings with their evidence) is bounded first, so a 2 MB subject is answered with a
subject of a line, not a 5 MB acknowledgement: every text value in a template's context
is cut to ``MAX_ECHO_CHARS`` (form answers, which an order must pass on whole, to
``MAX_FORM_ANSWER_CHARS``), every list to ``MAX_ECHO_ITEMS``, the subject to
``MAX_SUBJECT_CHARS`` with its case number kept.
"""

from __future__ import annotations

import binascii
import datetime as dt
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from email.charset import QP, Charset
from email.header import Header
from email.utils import format_datetime
from typing import Any, Final

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from pydantic import BaseModel

from parsers.personnummer import mask_personnummer
from parsers.text import clean_header, clean_subject
from parsers.understand import STOCKHOLM

__all__ = [
    "MAX_ECHO_CHARS",
    "MAX_ECHO_ITEMS",
    "MAX_FORM_ANSWER_CHARS",
    "MAX_SUBJECT_CHARS",
    "ComposedMail",
    "compose",
    "render",
    "reply_subject",
]

# A unit name, an address, a finding with its evidence: a few lines at most.
MAX_ECHO_CHARS: Final = 500
# An order passes the form on to the system owner; the description (beskrivning) is the
# longest answer and goes on the unit's web page whole.
MAX_FORM_ANSWER_CHARS: Final = 3_000
# More units or findings than this in one mail are not something to list back.
MAX_ECHO_ITEMS: Final = 30
# A subject line a mail client shows in full.
MAX_SUBJECT_CHARS: Final = 200
_CASE_TAG = re.compile(r"\s*\[LOV-\d{4}-\d+\]$")

# For RFC 2047 encoded words in headers (outbox writes the mail itself: see _wire).
_UTF8 = Charset("utf-8")
_UTF8.header_encoding = QP

_env = Environment(
    loader=PackageLoader("outbox", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
    undefined=StrictUndefined,
    trim_blocks=False,
    keep_trailing_newline=True,
    # The templates ship with lovbot: no stat() of the file before every mail.
    auto_reload=False,
)


def _local_time(moment: dt.datetime | None) -> str:
    """A moment as a reader in Göteborg reads it: '2027-03-01 10:15'."""
    if moment is None:
        return "–"
    return moment.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")


_env.filters["local_time"] = _local_time


@dataclass(frozen=True, slots=True)
class ComposedMail:
    message_id: str
    recipient: str
    subject: str
    raw: bytes


def render(template: str, **context: Any) -> str:
    """One template rendered, personal identity numbers masked."""
    return mask_personnummer(_env.get_template(template).render(**context))


def reply_subject(original: str, case_number: str) -> str:
    """'SV: <original> [LOV-YYYY-NNNN]', without stacking prefixes or case tags."""
    base = clean_subject(original).replace(f"[{case_number}]", "").strip()
    return _bounded_subject(f"SV: {base} [{case_number}]" if base else f"Kvittens [{case_number}]")


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _bounded_subject(subject: str) -> str:
    """The subject cut to MAX_SUBJECT_CHARS, the case number at its end kept for threading."""
    tag = _CASE_TAG.search(subject)
    if tag is None or len(subject) <= MAX_SUBJECT_CHARS:
        return _shorten(subject, MAX_SUBJECT_CHARS)
    return _shorten(subject[: tag.start()], MAX_SUBJECT_CHARS - len(tag.group())) + tag.group()


def _echo(value: Any, limit: int = MAX_ECHO_CHARS) -> Any:
    """``value`` with every text in it bounded; the shapes templates read are kept."""
    if isinstance(value, str):
        return _shorten(value, limit)
    if isinstance(value, BaseModel):
        return _echo(value.model_dump(), limit)
    if isinstance(value, dict):
        return {
            key: _echo(item, MAX_FORM_ANSWER_CHARS if key == "fields" else limit)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        items = [_echo(item, limit) for item in value[:MAX_ECHO_ITEMS]]
        return tuple(items) if isinstance(value, tuple) else items
    return value


def _encoded_words(value: str) -> list[str]:
    """``value`` as a header may carry it, word by word: each run of words with non-ASCII
    letters as RFC 2047 encoded words, the rest as it is ("SV: =?utf-8?q?St=C3=A4ngning?=
    av Hamnen [LOV-2027-0001]"), so the case number stays readable in the raw mail. A run
    is encoded whole, spaces included: the space between two encoded words is dropped on
    decoding."""
    if value.isascii():
        return value.split(" ")
    out: list[str] = []
    run: list[str] = []

    def encode_run() -> None:
        # Header.encode splits a long run into encoded words of at most 75 characters.
        out.extend(Header(" ".join(run), _UTF8).encode(linesep="\n").split("\n "))
        run.clear()

    for word in value.split(" "):
        if word.isascii():
            if run:
                encode_run()
            out.append(word)
        else:
            run.append(word)
    if run:
        encode_run()
    return out


def _header(name: str, value: str) -> str:
    """One header field, folded at spaces before 78 characters (RFC 5322 2.1.1)."""
    lines: list[str] = []
    line = f"{name}:"
    for word in _encoded_words(value):
        if len(line) + 1 + len(word) > 78 and line != f"{name}:":
            lines.append(line)
            line = ""
        line += " " + word
    lines.append(line)
    return "\r\n".join(lines)


def _quoted_printable(text: str) -> bytes:
    """UTF-8 text as quoted-printable lines (at most 76 characters) ending in CRLF."""
    encoded = binascii.b2a_qp(text.replace("\r\n", "\n").encode("utf-8"), istext=True)
    return encoded.replace(b"\n", b"\r\n")


def _wire(headers: list[tuple[str, str]], plain: str, html: str) -> bytes:
    """The whole mail as sent: multipart/alternative, UTF-8 quoted-printable, CRLF.

    Written out directly: the email package parses and refolds every header it is given,
    which made composing most of a backlog's recording time (issue 11). The boundary
    starts with "=_", which quoted-printable never leaves in a body.
    """
    boundary = f"=_lovbot_{secrets.token_hex(12)}"
    head = [_header(name, value) for name, value in headers]
    head += ["MIME-Version: 1.0", f'Content-Type: multipart/alternative;\r\n boundary="{boundary}"']
    out = ["\r\n".join(head).encode("ascii"), b"\r\n\r\n"]
    for subtype, body in (("plain", plain), ("html", html)):
        out.append(
            f'--{boundary}\r\nContent-Type: text/{subtype}; charset="utf-8"\r\n'
            "Content-Transfer-Encoding: quoted-printable\r\n\r\n".encode("ascii")
        )
        out.append(_quoted_printable(body))
        out.append(b"\r\n")
    out.append(f"--{boundary}--\r\n".encode("ascii"))
    return b"".join(out)


def compose(
    *,
    template: str,
    sender: str,
    recipient: str,
    subject: str,
    context: dict[str, Any],
    in_reply_to: str | None = None,
    references: Sequence[str] = (),
    auto_reply: bool = True,
    now: dt.datetime | None = None,
) -> ComposedMail:
    """A multipart/alternative mail (plain text + HTML) with its Message-ID fixed now."""
    subject = _bounded_subject(mask_personnummer(clean_header(subject)))
    domain = sender.rsplit("@", 1)[-1] if "@" in sender else "lovbot.invalid"
    # Short enough that the header is never folded: some clients thread badly on folds.
    message_id = f"<lovbot.{secrets.token_hex(10)}@{domain}>"
    headers: list[tuple[str, str]] = [
        ("From", sender),
        ("To", clean_header(recipient)),
        ("Subject", subject),
        ("Date", format_datetime(now or dt.datetime.now(dt.UTC))),
        ("Message-ID", message_id),
    ]
    if in_reply_to:
        # A Message-ID can hold a personnummer (some systems build it from the case); the
        # sender's client then threads the reply by subject instead.
        chain = [
            mask_personnummer(clean_header(r))
            for r in (*references[-MAX_ECHO_ITEMS:], in_reply_to)
            if r
        ]
        headers.append(("In-Reply-To", mask_personnummer(clean_header(in_reply_to))))
        headers.append(("References", " ".join(dict.fromkeys(chain))))
    if auto_reply:
        # RFC 3834 and Exchange: our replies must never start a mail loop.
        headers += [("Auto-Submitted", "auto-replied"), ("X-Auto-Response-Suppress", "All")]
    else:
        headers.append(("Auto-Submitted", "auto-generated"))
    context = {**_echo(context), "subject": subject}
    raw = _wire(
        headers,
        render(f"{template}.txt.j2", **context),
        render(f"{template}.html.j2", **context),
    )
    return ComposedMail(message_id, clean_header(recipient), subject, raw)
