"""Delivering queued mail after commit: over SMTP, or as .eml files when no server is set.

Each outbox row is sent at most once per attempt and marked sent only when the server
accepted it; a failure schedules the next attempt with exponential backoff.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from sqlalchemy.orm import Session

from outbox.errors import DeliveryError
from outbox.transport import FileTransport, SmtpTransport, Transport
from store.models import OutgoingMail, utcnow
from store.repository import due_outgoing

__all__ = [
    "DeliveryError",
    "DeliveryReport",
    "FileTransport",
    "SmtpTransport",
    "Transport",
    "deliver_due",
]

logger = logging.getLogger(__name__)


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
) -> DeliveryReport:
    """Send every due row; each outcome is committed at once so nothing is sent twice."""
    report = DeliveryReport()
    after_id = 0
    try:
        while True:
            with session_factory() as session:
                ids = [row.id for row in due_outgoing(session, now(), after_id=after_id)]
            if not ids:
                return report
            for row_id in ids:
                error = _deliver_one(session_factory, transport, row_id, max_attempts, now, report)
                if error is not None and transport.defer_rest:
                    # The server is down: the rest would fail the same way; try them later.
                    report.deferred += _defer_rest(session_factory, row_id, now(), error)
                    return report
            after_id = ids[-1]
    finally:
        transport.close()


def _deliver_one(
    session_factory: Callable[[], Session],
    transport: Transport,
    row_id: int,
    max_attempts: int,
    now: Callable[[], dt.datetime],
    report: DeliveryReport,
) -> DeliveryError | None:
    with session_factory() as session, session.begin():
        row = session.get(OutgoingMail, row_id)
        if row is None or row.state != "pending":
            return None
        row.attempts += 1
        try:
            transport.send(row)
        except DeliveryError as err:
            row.last_error = str(err)
            if row.attempts >= max_attempts:
                row.state = "failed"
                report.failed += 1
            else:
                row.next_attempt_at = now() + backoff(row.attempts)
                report.deferred += 1
            logger.warning("Outgoing mail %s not delivered: %s", row.id, err)
            return err
        row.state = "sent"
        row.sent_at = now()
        row.last_error = None
        report.sent += 1
        return None


def _defer_rest(
    session_factory: Callable[[], Session], after_id: int, at: dt.datetime, err: Exception
) -> int:
    deferred = 0
    with session_factory() as session, session.begin():
        for row in due_outgoing(session, at, after_id=after_id, limit=None):
            row.last_error = str(err)
            row.next_attempt_at = at + backoff(max(row.attempts, 1))
            deferred += 1
    return deferred
