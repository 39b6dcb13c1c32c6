"""Delivering queued mail after commit: over SMTP, or as .eml files when no server is set.

Each outbox row is claimed by one sender before it is sent (``claim_outgoing``), marked
sent only when the server accepted it; a failure schedules the next attempt with
exponential backoff.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable

from sqlalchemy.orm import Session

from outbox.errors import DeliveryError
from outbox.transport import FileTransport, SmtpTransport, Transport
from store.models import OutgoingMail, utcnow
from store.repository import claim_outgoing, due_outgoing

__all__ = [
    "CLAIM_FOR",
    "DeliveryError",
    "DeliveryReport",
    "FileTransport",
    "SmtpTransport",
    "Transport",
    "deliver_due",
]

logger = logging.getLogger(__name__)

# How long a claimed row is left to its sender before another may try it. Far longer than
# one send can take (each SMTP operation times out after [smtp] timeout, 30 s by default),
# so a slow server never makes two senders; a crashed sender's mail waits this long.
CLAIM_FOR = dt.timedelta(minutes=15)


class DeliveryReport:
    def __init__(self) -> None:
        self.sent = 0
        self.deferred = 0
        self.failed = 0


def backoff(attempts: int) -> dt.timedelta:
    """30 s, 1 min, 2 min, ... capped at one hour."""
    return dt.timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def deliver_due(
    session_factory: Callable[[], Session],
    transport: Transport,
    *,
    max_attempts: int,
    now: Callable[[], dt.datetime] = utcnow,
    claim_for: dt.timedelta = CLAIM_FOR,
) -> DeliveryReport:
    """Send every due row that no one else is sending; each outcome is committed at once.

    Each row is claimed (and the claim committed) before it is sent, so two deliveries
    at once, in one process or in two, never send the same mail; a sender that dies
    mid-send leaves a claim that expires after ``claim_for``, and the mail is tried again.
    """
    report = DeliveryReport()
    claimant = uuid.uuid4().hex[:16]
    try:
        while True:
            with session_factory() as session, session.begin():
                row = claim_outgoing(session, now(), claimant=claimant, until=now() + claim_for)
                if row is None:
                    return report
                session.expunge(row)
            error = _deliver_one(session_factory, transport, row, max_attempts, now, report)
            if error is not None and transport.defer_rest:
                # The server is down: the rest would fail the same way; try them later.
                report.deferred += _defer_rest(session_factory, now(), error)
                return report
    finally:
        transport.close()


def _deliver_one(
    session_factory: Callable[[], Session],
    transport: Transport,
    claimed: OutgoingMail,
    max_attempts: int,
    now: Callable[[], dt.datetime],
    report: DeliveryReport,
) -> DeliveryError | None:
    try:
        transport.send(claimed)
    except DeliveryError as err:
        with session_factory() as session, session.begin():
            row = session.get(OutgoingMail, claimed.id)
            assert row is not None  # outgoing rows are never deleted
            row.last_error = str(err)
            row.claimed_by = row.claimed_until = None
            if row.attempts >= max_attempts:
                row.state = "failed"
                report.failed += 1
            else:
                row.next_attempt_at = now() + backoff(row.attempts)
                report.deferred += 1
        logger.warning("Outgoing mail %s not delivered: %s", claimed.id, err)
        return err
    with session_factory() as session, session.begin():
        row = session.get(OutgoingMail, claimed.id)
        assert row is not None
        if row.claimed_by != claimed.claimed_by:
            # Our claim ran out while the server took its time and someone else took the
            # row: a mail may have gone out twice. Make the claim longer than any send.
            logger.warning("Outgoing mail %s: the claim expired during sending", claimed.id)
        row.state = "sent"
        row.sent_at = now()
        row.last_error = None
        row.claimed_by = row.claimed_until = None
    report.sent += 1
    return None


def _defer_rest(session_factory: Callable[[], Session], at: dt.datetime, err: Exception) -> int:
    deferred = 0
    with session_factory() as session, session.begin():
        for row in due_outgoing(session, at, limit=None):
            row.last_error = str(err)
            row.next_attempt_at = at + backoff(max(row.attempts, 1))
            deferred += 1
    return deferred
