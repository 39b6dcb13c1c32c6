"""Reads and writes of lovbot's records. Every function takes a Session and never commits."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, literal_column, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from store.models import (
    AuditEntry,
    Case,
    CaseSequence,
    MailMessage,
    OutgoingMail,
    PollState,
    utcnow,
)

__all__ = [
    "Duplicates",
    "audit",
    "claim_outgoing",
    "claimed_in_flight",
    "due_outgoing",
    "find_case_by_number",
    "find_thread_case",
    "get_poll_state",
    "has_due_outgoing",
    "is_our_mail",
    "mark_sent",
    "next_case_number",
    "pending_moves",
    "queue_outgoing",
    "recorded_uids",
    "release_claims",
    "release_dead_claims",
    "resolve_failures",
    "sent_since",
    "sha256",
]


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def get_poll_state(session: Session, mailbox: str, folder: str) -> PollState:
    """The folder's state row, created when missing.

    Created with INSERT ... ON CONFLICT DO NOTHING: two pollers starting on a new folder at
    once must not fail on each other's row (a UniqueViolation on PostgreSQL).
    """
    state = session.get(PollState, (mailbox, folder))
    if state is None:
        insert = (
            postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
        )
        session.execute(
            insert(PollState)
            .values(mailbox=mailbox, folder=folder, last_uid=0, errors_since_success=0)
            .on_conflict_do_nothing()
        )
        state = session.get(PollState, (mailbox, folder), populate_existing=True)
        assert state is not None
    return state


def recorded_uids(
    session: Session, mailbox: str, folder: str, uidvalidity: int, uids: Iterable[int]
) -> set[int]:
    """Which of ``uids`` are already recorded at this location (one query for a batch)."""
    wanted = list(uids)
    if not wanted:
        return set()
    return set(
        session.scalars(
            select(MailMessage.uid).where(
                MailMessage.mailbox == mailbox,
                MailMessage.folder == folder,
                MailMessage.uidvalidity == uidvalidity,
                MailMessage.uid.in_(wanted),
            )
        )
    )


class Duplicates:
    """Messages already handled with the same bytes (or, failing that, the same Message-ID),
    for a batch: one query, then the batch's own rows added. Failed attempts do not count:
    a quarantined message that EKU moves back to the inbox is tried again.

    Holds the oldest handled row per SHA-256 and per Message-ID among the candidates, and
    learns each row the batch records, so a message sent twice in one batch is caught too.
    """

    def __init__(self, session: Session, digests: Iterable[str], message_ids: Iterable[str]):
        self._by_digest: dict[str, MailMessage] = {}
        self._by_message_id: dict[str, MailMessage] = {}
        digests, message_ids = list(set(digests)), list({m for m in message_ids if m})
        if not digests and not message_ids:
            return
        for row in session.scalars(
            select(MailMessage)
            .where(
                MailMessage.state != "failed",
                or_(MailMessage.sha256.in_(digests), MailMessage.message_id.in_(message_ids)),
            )
            .order_by(MailMessage.id)
        ):
            self.learn(row)

    def learn(self, row: MailMessage) -> None:
        if row.state == "failed":
            return
        self._by_digest.setdefault(row.sha256, row)
        if row.message_id:
            self._by_message_id.setdefault(row.message_id, row)

    def find(self, digest: str, message_id: str | None) -> MailMessage | None:
        found = self._by_digest.get(digest)
        if found is None and message_id:
            found = self._by_message_id.get(message_id)
        return found


def resolve_failures(session: Session, digests: Iterable[str], *, keep: Iterable[int] = ()) -> int:
    """Earlier failed attempts at the same bytes, now handled: no longer in the digest.

    One statement for a whole batch; rows ``keep`` (the batch's own failures) stay as
    they are.
    """
    wanted, kept = list(set(digests)), list(keep)
    if not wanted:
        return 0
    query = update(MailMessage).where(MailMessage.sha256.in_(wanted), MailMessage.state == "failed")
    if kept:
        query = query.where(MailMessage.id.not_in(kept))
    result = session.execute(
        query.values(state="retried").execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def pending_moves(
    session: Session, mailbox: str, folder: str, uidvalidity: int
) -> dict[str, list[int]]:
    """UIDs recorded but not yet moved on the server, by target folder (a batch just
    committed, or a crash between commit and move). Reads two columns through the
    partial index of unmoved rows (migration 0008): as cheap with a million handled
    messages as with none, on SQLite and PostgreSQL (tests/test_idle_queries.py).
    """
    by_target: dict[str, list[int]] = {}
    for uid, target in session.execute(
        select(MailMessage.uid, MailMessage.target_folder)
        .where(
            MailMessage.mailbox == mailbox,
            MailMessage.folder == folder,
            MailMessage.uidvalidity == uidvalidity,
            MailMessage.moved_at.is_(None),
        )
        .order_by(MailMessage.uid)
    ):
        by_target.setdefault(target, []).append(uid)
    return by_target


def next_case_number(session: Session, year: int) -> str:
    """LOV-YYYY-NNNN, counted per year; the row lock keeps two writers apart on PostgreSQL.

    The year's counter row is read (and locked) once per transaction and counted on in
    memory after that, so a batch of new cases costs one SELECT ... FOR UPDATE and one
    UPDATE at the flush, not a round trip per case.
    """
    transaction = session.get_transaction()
    held: tuple[object, dict[int, CaseSequence]] | None = session.info.get(_SEQUENCES)
    if held is None or held[0] is not transaction:
        held = (transaction, {})
        session.info[_SEQUENCES] = held
    sequence = held[1].get(year)
    if sequence is None or sequence not in session:
        sequence = session.scalars(
            select(CaseSequence).where(CaseSequence.year == year).with_for_update()
        ).first()
        if sequence is None:
            sequence = CaseSequence(year=year, last_number=0)
            session.add(sequence)
            session.flush()  # the row exists (and is ours) from here on
        held[1][year] = sequence
    sequence.last_number += 1
    return f"LOV-{year}-{sequence.last_number:04d}"


_SEQUENCES = "lovbot.case_sequences"


def find_case_by_number(session: Session, number: str) -> Case | None:
    return session.scalars(select(Case).where(func.upper(Case.number) == number.upper())).first()


def find_thread_case(
    session: Session, case_numbers: Iterable[str], message_ids: Iterable[str]
) -> Case | None:
    """The case a reply belongs to: by a case number in its subject, or by its thread headers
    pointing at our own outgoing mail or at a message of the case."""
    for number in case_numbers:
        case = find_case_by_number(session, number)
        if case is not None:
            return case
    ids = [m for m in message_ids if m]
    if not ids:
        return None
    outgoing = session.scalars(
        select(OutgoingMail).where(
            OutgoingMail.message_id.in_(ids), OutgoingMail.case_id.isnot(None)
        )
    ).first()
    if outgoing is not None and outgoing.case_id is not None:
        return session.get(Case, outgoing.case_id)
    incoming = session.scalars(
        select(MailMessage).where(MailMessage.message_id.in_(ids), MailMessage.case_id.isnot(None))
    ).first()
    return incoming.case if incoming is not None else None


def is_our_mail(session: Session, message_ids: Iterable[str]) -> bool:
    """Whether any of ``message_ids`` is mail lovbot sent (a reply names it in its thread)."""
    ids = [m for m in message_ids if m]
    if not ids:
        return False
    found = session.scalar(select(OutgoingMail.id).where(OutgoingMail.message_id.in_(ids)).limit(1))
    return found is not None


def queue_outgoing(
    session: Session,
    *,
    message_id: str,
    purpose: str,
    recipient: str,
    subject: str,
    raw: bytes,
    case: Case | None = None,
    flush: bool = True,
) -> OutgoingMail:
    """Queue one mail in the outbox; ``flush=False`` leaves its id to the next flush."""
    row = OutgoingMail(
        message_id=message_id,
        purpose=purpose,
        recipient=recipient,
        subject=subject,
        raw=raw,
        state="pending",
        attempts=0,
        next_attempt_at=utcnow(),
        case=case,
    )
    session.add(row)
    if flush:
        session.flush()
    return row


# Literals, not bound parameters: only then can SQLite and PostgreSQL (in a generic
# plan of a prepared statement) see that a query lies within a partial index of
# migration 0010: ix_outgoing_mail_pending holds only the pending rows, so finding the
# next due mail never reads through the mail already sent (on SQLite, each of those rows
# read past its stored mail: claims slowed as a backlog went out), and
# ix_outgoing_mail_urgent only the pending orders and digests, so finding them never
# reads through a backlog of acknowledgements.
_PENDING = OutgoingMail.state == literal_column("'pending'")
_URGENT = OutgoingMail.purpose != literal_column("'ack'")
_ACK = OutgoingMail.purpose == literal_column("'ack'")


def _due(now: dt.datetime) -> tuple[Any, ...]:
    """Pending, due, and claimed by no one (or by a sender whose claim has run out)."""
    return (
        _PENDING,
        OutgoingMail.next_attempt_at <= now,
        or_(OutgoingMail.claimed_until.is_(None), OutgoingMail.claimed_until <= now),
    )


def due_outgoing(
    session: Session, now: dt.datetime, *, after_id: int = 0, limit: int | None = 100
) -> Sequence[OutgoingMail]:
    """Unclaimed outgoing mail whose next attempt is due, oldest first, from ``after_id`` on."""
    query = (
        select(OutgoingMail).where(*_due(now), OutgoingMail.id > after_id).order_by(OutgoingMail.id)
    )
    return session.scalars(query if limit is None else query.limit(limit)).all()


def claim_outgoing(
    session: Session,
    now: dt.datetime,
    *,
    claimant: str,
    until: dt.datetime,
    limit: int = 1,
    urgent_limit: int | None = None,
    ack_limit: int | None = None,
) -> list[OutgoingMail]:
    """Claim up to ``limit`` due rows for ``claimant`` until ``until``, counting the
    attempt: orders and digests first (at most ``urgent_limit``), then acknowledgements
    while the whole claim stays within ``ack_limit`` (the orders count), each oldest first.

    During a backlog the acknowledgements of thousands of notices are queued ahead of
    the orders of the latest ones; the system owners should not wait for all of them,
    and near a daily sending limit they must not be left without their orders.

    One UPDATE per group whose WHERE both picks and re-checks the rows, so two senders
    can never claim the same one: PostgreSQL's ``FOR UPDATE SKIP LOCKED`` passes over rows
    another claim is taking, and SQLite runs the statement under its single write lock.
    The caller commits the claim before sending, so a crash mid-send leaves the claim to
    expire.
    """
    urgent_room = limit if urgent_limit is None else min(limit, urgent_limit)
    claimed = _claim(session, now, claimant, until, urgent_room, urgent=True)
    # The orders just claimed count against the same limits as the acknowledgements.
    ack_room = (limit if ack_limit is None else min(limit, ack_limit)) - len(claimed)
    claimed += _claim(session, now, claimant, until, ack_room, urgent=False)
    return claimed


def _claim(
    session: Session,
    now: dt.datetime,
    claimant: str,
    until: dt.datetime,
    limit: int,
    *,
    urgent: bool,
) -> list[OutgoingMail]:
    if limit <= 0:
        return []
    due = (*_due(now), _URGENT if urgent else _ACK)
    oldest = select(OutgoingMail.id).where(*due).order_by(OutgoingMail.id).limit(limit)
    if urgent:
        # SQLite's planner takes the larger index of all pending mail, and would read
        # every pending acknowledgement to find the few orders.
        oldest = oldest.with_hint(OutgoingMail, "INDEXED BY ix_outgoing_mail_urgent", "sqlite")
    if session.get_bind().dialect.name == "postgresql":
        # A materialized CTE: PostgreSQL may run an ``IN (SELECT ... LIMIT n FOR UPDATE
        # SKIP LOCKED)`` once per row it updates, and so claim every due row, not n.
        picked = oldest.with_for_update(skip_locked=True).cte("picked").prefix_with("MATERIALIZED")
        chosen = OutgoingMail.id.in_(select(picked.c.id))
    else:
        chosen = OutgoingMail.id.in_(oldest.scalar_subquery())
    claimed = session.scalars(
        update(OutgoingMail)
        .where(chosen, *due)
        .values(
            claimed_by=claimant,
            claimed_until=until,
            attempts=OutgoingMail.attempts + 1,
        )
        .returning(OutgoingMail)
        .execution_options(populate_existing=True)
    ).all()
    return sorted(claimed, key=lambda row: row.id)


def sent_since(session: Session, since: dt.datetime) -> tuple[int, dt.datetime | None]:
    """How many mails were sent after ``since``, and when the oldest of them was."""
    count, oldest = session.execute(
        select(func.count(), func.min(OutgoingMail.sent_at)).where(OutgoingMail.sent_at > since)
    ).one()
    return int(count), oldest


def claimed_in_flight(session: Session, now: dt.datetime) -> int:
    """Mail claimed by a sender whose claim still runs: being sent now."""
    return int(
        session.scalar(select(func.count()).where(_PENDING, OutgoingMail.claimed_until > now)) or 0
    )


def has_due_outgoing(session: Session, now: dt.datetime) -> bool:
    """Whether any unclaimed mail is due (held back by a sending limit, say)."""
    return session.scalar(select(select(OutgoingMail.id).where(*_due(now)).exists())) or False


_OUTGOING = cast(Table, OutgoingMail.__table__)
# Built once: this runs once per mail sent, and building the statement cost more than
# running it. Values come in as bound parameters.
_MARK_SENT = (
    update(_OUTGOING)
    .where(_OUTGOING.c.id == bindparam("row_id"))
    .values(
        state="sent",
        sent_at=bindparam("at"),
        last_error=None,
        claimed_by=None,
        claimed_until=None,
    )
)
_MARK_OUR_SENT = _MARK_SENT.where(_OUTGOING.c.claimed_by == bindparam("claimant"))


def mark_sent(session: Session, row_id: int, *, claimant: str, at: dt.datetime) -> bool:
    """Record that the server accepted the mail (one UPDATE); False when our claim had
    run out and another sender had taken the row meanwhile (it is marked sent all the
    same: the mail did go out).

    A statement on the table, not the ORM's bulk UPDATE: the ORM's evaluation of an
    UPDATE cost more than the database's work.
    """
    connection = session.connection()
    ours = connection.execute(_MARK_OUR_SENT, {"row_id": row_id, "at": at, "claimant": claimant})
    if ours.rowcount:
        return True
    connection.execute(_MARK_SENT, {"row_id": row_id, "at": at})
    return False


def release_dead_claims(session: Session, host: str, alive: Callable[[int], bool]) -> int:
    """Give back the claims of senders on ``host`` whose process has ended (SIGKILL, a
    crash): a restarted lovbot sends their mail at once instead of after ``CLAIM_FOR``.

    Claimants are named ``host:pid:random`` (outbox/deliver.py). A pid that now belongs
    to another process keeps its claims until they expire: the safe side. A mail the dead
    sender had handed over but not yet marked sent goes out again, as it would on expiry.
    """
    prefix = f"{host}:"
    owners = session.scalars(
        select(OutgoingMail.claimed_by)
        .where(OutgoingMail.state == "pending", OutgoingMail.claimed_by.like(f"{prefix}%"))
        .distinct()
    ).all()
    dead = []
    for owner in owners:
        pid = (owner or "").removeprefix(prefix).split(":", 1)[0]
        if pid.isdigit() and not alive(int(pid)):
            dead.append(owner)
    if not dead:
        return 0
    result = session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.claimed_by.in_(dead), OutgoingMail.state == "pending")
        .values(claimed_by=None, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def release_claims(
    session: Session, claimant: str, *, error: str, next_attempt_at: dt.datetime
) -> int:
    """Give back the rows ``claimant`` claimed but did not send (the server went away)."""
    result = session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.claimed_by == claimant, OutgoingMail.state == "pending")
        .values(
            claimed_by=None,
            claimed_until=None,
            last_error=error,
            next_attempt_at=next_attempt_at,
            attempts=OutgoingMail.attempts - 1,  # claimed, never tried
        )
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def audit(
    session: Session,
    actor: str,
    action: str,
    *,
    case: Case | None = None,
    **detail: Any,
) -> None:
    session.add(
        AuditEntry(
            actor=actor,
            action=action,
            case=case,
            detail={k: v for k, v in detail.items() if v is not None},
        )
    )
