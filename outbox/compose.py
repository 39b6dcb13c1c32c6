"""Composing lovbot's mail from templates: acknowledgements, orders to system owners, digest.

Everything a person reads is Swedish and comes from ``outbox/templates``. Header values
taken from incoming mail are cleaned of CR/LF first; personal identity numbers are masked
in every body and subject.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from parsers.personnummer import mask_personnummer
from parsers.text import clean_header, clean_subject
from parsers.understand import STOCKHOLM

__all__ = ["ComposedMail", "compose", "render", "reply_subject"]

_env = Environment(
    loader=PackageLoader("outbox", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
    undefined=StrictUndefined,
    trim_blocks=False,
    keep_trailing_newline=True,
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
    return f"SV: {base} [{case_number}]" if base else f"Kvittens [{case_number}]"


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
    subject = mask_personnummer(clean_header(subject))
    domain = sender.rsplit("@", 1)[-1] if "@" in sender else "lovbot.invalid"
    # Short enough that the header is never folded: some clients thread badly on folds.
    message_id = f"<lovbot.{secrets.token_hex(10)}@{domain}>"
    message = EmailMessage(policy=SMTP)
    message["From"] = sender
    message["To"] = clean_header(recipient)
    message["Subject"] = subject
    message["Date"] = format_datetime(now or dt.datetime.now(dt.UTC))
    message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = clean_header(in_reply_to)
        chain = [clean_header(r) for r in (*references, in_reply_to) if r]
        message["References"] = " ".join(dict.fromkeys(chain))
    if auto_reply:
        # RFC 3834 and Exchange: our replies must never start a mail loop.
        message["Auto-Submitted"] = "auto-replied"
        message["X-Auto-Response-Suppress"] = "All"
    else:
        message["Auto-Submitted"] = "auto-generated"
    context = {**context, "subject": subject}
    message.set_content(render(f"{template}.txt.j2", **context))
    message.add_alternative(render(f"{template}.html.j2", **context), subtype="html")
    return ComposedMail(message_id, clean_header(recipient), subject, message.as_bytes())
