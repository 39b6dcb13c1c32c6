"""Building test mail as units and providers send it."""

from __future__ import annotations

import datetime as dt
import itertools
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

__all__ = ["build_mail"]

_counter = itertools.count(1)


def build_mail(
    body: str,
    *,
    subject: str = "Ändring",
    sender: str = "anna.lind@funktionsstod.goteborg.se",
    date: dt.datetime | None = None,
    message_id: str | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, str, bytes]] = (),  # type: ignore[assignment]
) -> bytes:
    message = EmailMessage(policy=SMTP)
    message["From"] = sender
    message["To"] = "LOV@stadshuset.goteborg.se"
    message["Subject"] = subject
    message["Date"] = format_datetime(date or dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC))
    message["Message-ID"] = message_id or f"<test-{next(_counter)}@funktionsstod.goteborg.se>"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    for filename, content_type, data in attachments:
        maintype, subtype = content_type.split("/", 1)
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()
