"""Building EKU's digest from the database and printing or mailing it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.orm import Session

from intake.cycle import make_transport
from intake.settings import Settings
from outbox.compose import compose, render
from outbox.deliver import deliver_due
from parsers.understand import STOCKHOLM
from rules.routing import SYSTEM_NAMES
from store.digest import DigestData, collect_digest
from store.models import utcnow
from store.repository import audit, queue_outgoing

__all__ = ["print_digest", "send_digest"]


def _collect(settings: Settings, session: Session, now: dt.datetime) -> DigestData:
    return collect_digest(
        session,
        now=now,
        today=now.astimezone(STOCKHOLM).date(),
        awaiting_days=settings.digest.awaiting_days,
        poll_stale_minutes=settings.digest.poll_stale_minutes,
        system_names={str(k): v for k, v in SYSTEM_NAMES.items()},
        contract_lead_days=settings.register_.contract_lead_days,
        full_days=settings.register_.full_days,
    )


def _context(settings: Settings, data: DigestData) -> dict[str, object]:
    return {
        "d": data,
        "awaiting_days": settings.digest.awaiting_days,
        "stale_minutes": settings.digest.poll_stale_minutes,
        # Each case links to its page in the review app (issue 9).
        "case_url": settings.web.base_url.rstrip("/") + "/cases/",
    }


def print_digest(settings: Settings, sessions: Callable[[], Session]) -> str:
    with sessions() as session:
        data = _collect(settings, session, utcnow())
        return render("digest.txt.j2", subject="", **_context(settings, data))


def send_digest(settings: Settings, sessions: Callable[[], Session]) -> str:
    """Queue today's digest to EKU and deliver it; returns a one-line summary."""
    now = utcnow()
    with sessions() as session, session.begin():
        data = _collect(settings, session, now)
        title = "inget att granska" if data.empty else "att granska"
        mail = compose(
            template="digest",
            sender=settings.smtp.from_address,
            recipient=settings.digest.to,
            subject=f"LOV-brevlådan {data.today}: {title}",
            context=_context(settings, data),
            auto_reply=False,
            now=now,
        )
        queue_outgoing(
            session,
            message_id=mail.message_id,
            purpose="digest",
            recipient=mail.recipient,
            subject=mail.subject,
            raw=mail.raw,
        )
        audit(session, "lovbot", "digest_queued", recipient=mail.recipient)
    report = deliver_due(
        sessions,
        make_transport(settings),
        max_attempts=settings.smtp.max_attempts,
        limits=settings.smtp.limits(),
    )
    return f"Sammanställningen till {settings.digest.to} köad; {report.sent} brev skickade."
