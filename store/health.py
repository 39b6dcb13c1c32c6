"""The three facts ``lovbot health`` reports, read in one short session (never commits).

Each is one aggregate query over an indexed column, so a monitoring check every minute
costs nothing as the tables grow.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.models import MailMessage, OutgoingMail, PollState

__all__ = ["HealthFacts", "health_facts"]


@dataclass(frozen=True, slots=True)
class HealthFacts:
    last_success: dt.datetime | None  # the latest successful poll of any folder
    outbox_pending: int  # queued mail not yet accepted by the server
    outbox_failed: int  # mail given up on after max_attempts
    quarantined: int  # messages that broke the pipeline and are not yet retried


def health_facts(session: Session) -> HealthFacts:
    last = session.scalar(select(func.max(PollState.last_success_at)))
    outbox = dict(
        session.execute(
            select(OutgoingMail.state, func.count())
            .where(OutgoingMail.state.in_(("pending", "failed")))
            .group_by(OutgoingMail.state)
        ).all()
    )
    quarantined = session.scalar(
        select(func.count()).select_from(MailMessage).where(MailMessage.state == "failed")
    )
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=dt.UTC)  # SQLite returns what was stored in UTC, naive
    return HealthFacts(
        last_success=last,
        outbox_pending=int(outbox.get("pending", 0)),
        outbox_failed=int(outbox.get("failed", 0)),
        quarantined=int(quarantined or 0),
    )
