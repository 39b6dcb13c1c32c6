"""Delivering queued mail after commit: over SMTP, or as .eml files when no server is set.

Each outbox row is claimed by one sender before it is sent (``claim_outgoing``), marked
sent only when the server accepted it; a failure schedules the next attempt with
exponential backoff.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterator

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from outbox.errors import DeliveryError
from outbox.limits import NO_LIMITS, SendingLimits
from outbox.transport import FileTransport, SmtpTransport, Transport
from store.models import OutgoingMail, utcnow
from store.repository import (
    claim_outgoing,
    due_outgoing,
    has_due_outgoing,
    mark_sent,
    release_claims,
    release_dead_claims,
)

__all__ = [
    "CLAIM_BATCH",
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
# Rows claimed per round trip: few enough that a second sender still finds work, and that
# a server going down leaves only these to give back.
CLAIM_BATCH = 10


class DeliveryReport:
    def __init__(self) -> None:
        self.sent = 0
        self.deferred = 0
        self.failed = 0
        # Mail is due but held by a sending limit: look again after these seconds.
        self.resume_after: float | None = None


def backoff(attempts: int) -> dt.timedelta:
    """30 s, 1 min, 2 min, ... capped at one hour."""
    return dt.timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def claimant_name() -> str:
    """``host:pid:random`` (at most 40 characters): whose claim it is, so a restarted
    lovbot can give back the claims of a process on its host that has died."""
    return f"{this_host()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def this_host() -> str:
    return socket.gethostname()[:24]


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def release_dead_senders(session_factory: Callable[[], Session]) -> int:
    """At start: claims left by a lovbot on this host that was killed mid-delivery."""
    with session_factory() as session, session.begin():
        released = release_dead_claims(session, this_host(), process_alive)
    if released:
        logger.warning("%d brev som en avbruten lovbot hade börjat skicka skickas nu", released)
    return released


def deliver_due(
    session_factory: Callable[[], Session],
    transport: Transport,
    *,
    max_attempts: int,
    now: Callable[[], dt.datetime] = utcnow,
    claim_for: dt.timedelta = CLAIM_FOR,
    claim_batch: int = CLAIM_BATCH,
    close: bool = True,
    limits: SendingLimits = NO_LIMITS,
) -> DeliveryReport:
    """Send every due row that no one else is sending; each outcome is committed at once.

    Rows are claimed ``claim_batch`` at a time (the claim committed) before they are sent,
    so two deliveries at once, in one process or in two, never send the same mail; a
    sender that dies mid-send leaves claims that expire after ``claim_for``, and the mail
    is tried again. ``close=False`` leaves the transport's connection open for the next
    call (the delivery thread of ``lovbot run`` keeps one SMTP session).

    Orders and digests are claimed before acknowledgements. ``limits`` (the sending
    mailbox's, ``[smtp] max_per_minute`` and ``max_per_day``) bound what is claimed; mail
    they hold back stays due, and ``resume_after`` in the report says when room frees.
    """
    report = DeliveryReport()
    claimant = claimant_name()
    try:
        with _on_one_connection(session_factory) as sessions:
            _deliver_claimed(
                sessions,
                transport,
                claimant,
                max_attempts,
                now,
                claim_for,
                claim_batch,
                limits,
                report,
            )
        return report
    finally:
        if close:
            transport.close()


@contextlib.contextmanager
def _on_one_connection(
    session_factory: Callable[[], Session],
) -> Iterator[Callable[[], Session]]:
    """Sessions that all use one database connection, for one delivery.

    Each mail's outcome is still its own transaction, but the connection is taken from
    the pool (and pinged, ``pool_pre_ping``) once per delivery instead of once per mail:
    that check was a sixth of the time a mail took to send.
    """
    with session_factory() as probe:
        bind = probe.get_bind()
    if isinstance(bind, Connection):  # the caller's sessions already share one
        yield session_factory
        return
    with bind.connect() as connection:
        yield lambda: Session(bind=connection, expire_on_commit=False)


def _deliver_claimed(
    session_factory: Callable[[], Session],
    transport: Transport,
    claimant: str,
    max_attempts: int,
    now: Callable[[], dt.datetime],
    claim_for: dt.timedelta,
    claim_batch: int,
    limits: SendingLimits,
    report: DeliveryReport,
) -> None:
    while True:
        with session_factory() as session, session.begin():
            at = now()
            allowance = limits.allowance(session, at)
            rows = claim_outgoing(
                session,
                at,
                claimant=claimant,
                until=at + claim_for,
                limit=claim_batch,
                urgent_limit=allowance.urgent,
                ack_limit=allowance.acks,
            )
            for row in rows:
                session.expunge(row)
            if not rows and allowance.frees_at is not None and has_due_outgoing(session, at):
                report.resume_after = max((allowance.frees_at - at).total_seconds(), 0.0)
                _log_held(allowance.reason or "", allowance.frees_at)
                return
        if not rows:
            return
        for row in rows:
            error = _deliver_one(
                session_factory, transport, row, claimant, max_attempts, now, report
            )
            if error is not None and transport.defer_rest:
                # The server is down: the rest would fail the same way; try them later.
                report.deferred += _defer_rest(session_factory, now(), error, claimant)
                return


# When each sending limit was last logged (time.monotonic()): a limit that holds a
# backlog for hours is said once every ten minutes, not at every wake-up.
_held_logged: dict[str, float] = {}


def _log_held(reason: str, frees_at: dt.datetime) -> None:
    last = _held_logged.get(reason)
    if last is not None and time.monotonic() - last < 600:
        return
    _held_logged[reason] = time.monotonic()
    logger.info(
        "Sändningsgränsen är nådd (%s): brev som väntar går från %s UTC",
        reason,
        frees_at.strftime("%Y-%m-%d %H:%M:%S"),
    )


def _deliver_one(
    session_factory: Callable[[], Session],
    transport: Transport,
    claimed: OutgoingMail,
    claimant: str,
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
        if not mark_sent(session, claimed.id, claimant=claimant, at=now()):
            # Our claim ran out while the server took its time and someone else took the
            # row: a mail may have gone out twice. Make the claim longer than any send.
            logger.warning("Outgoing mail %s: the claim expired during sending", claimed.id)
    report.sent += 1
    return None


def _defer_rest(
    session_factory: Callable[[], Session], at: dt.datetime, err: Exception, claimant: str
) -> int:
    deferred = 0
    with session_factory() as session, session.begin():
        deferred += release_claims(
            session, claimant, error=str(err), next_attempt_at=at + backoff(1)
        )
        for row in due_outgoing(session, at, limit=None):
            row.last_error = str(err)
            row.next_attempt_at = at + backoff(max(row.attempts, 1))
            deferred += 1
    return deferred
