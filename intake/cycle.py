"""One poll cycle: fetch what is new, record each message, then move it, then send.

The order is what makes it safe (style.md §8): a message is recorded with its case,
findings and outgoing mail in one transaction, together with the folder's UID watermark;
only after that commit is the server copy moved, and only after that is mail sent. A crash
anywhere leaves the database saying what is still to do, and the next cycle does it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from intake.cases import Batch, record_case
from intake.connections import make_transport
from intake.delivery import DeliveryProcess, Sender
from intake.mailbox import FetchedMessage, Mailbox, MailboxUnavailable
from intake.pipeline import Analysis, sender_policy
from intake.readers import Pending, Read, Readers
from intake.settings import Settings
from outbox.deliver import DeliveryReport
from outbox.worker import DeliveryThread
from parsers.errors import LovbotError
from parsers.personnummer import mask_personnummer
from store.db import DatabaseError
from store.locks import MailboxLock
from store.models import MailMessage, PollState, utcnow
from store.raw import write_raw
from store.repository import (
    Duplicates,
    get_poll_state,
    pending_moves,
    recorded_uids,
    resolve_failures,
)

__all__ = ["Background", "CycleReport", "Poller", "make_transport"]

# Where the outbox is sent from when not inline: a thread, or a process of its own.
Background = DeliveryThread | DeliveryProcess

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

# The database itself is unreachable (network, restart, dropped connection): retry the
# cycle. Any other database error belongs to the message (e.g. a value PostgreSQL refuses)
# and quarantines it, so one poison message can never stall the mailbox.
_DB_UNAVAILABLE = (OperationalError, InterfaceError)

# A read-ahead batch larger than this is written before the next batch is fetched.
LOOKAHEAD_BYTES = 8_000_000


@dataclass
class CycleReport:
    new: int = 0
    processed: int = 0
    duplicates: int = 0
    failed: int = 0
    moved: Counter[str] = field(default_factory=Counter)
    delivery: DeliveryReport = field(default_factory=DeliveryReport)
    uidvalidity_changed: bool = False
    stopped_early: bool = False
    # Another lovbot holds the mailbox's lock: this one waited and touched nothing.
    standby: bool = False

    def add_delivery(self, delivered: DeliveryReport) -> None:
        self.delivery.sent += delivered.sent
        self.delivery.deferred = delivered.deferred  # what still waits after the last try
        self.delivery.failed += delivered.failed

    def summary(self) -> str:
        if self.standby:
            return (
                "Väntar i reserv: en annan lovbot hämtar redan post från brevlådan; "
                f"{self.delivery.sent} brev skickade."
            )
        moved = ", ".join(f"{n} till {folder}" for folder, n in sorted(self.moved.items()))
        parts = [
            f"{self.new} nya meddelanden",
            f"{self.processed} behandlade",
            f"{self.duplicates} dubbletter",
            f"{self.failed} i karantän",
            f"flyttade: {moved or 'inga'}",
            f"{self.delivery.sent} brev skickade",
        ]
        if self.delivery.deferred:
            parts.append(f"{self.delivery.deferred} brev väntar på SMTP-servern")
        if self.delivery.failed:
            parts.append(f"{self.delivery.failed} brev gick inte att skicka")
        return "; ".join(parts) + "."


class Poller:
    """Runs poll cycles against one mailbox folder; safe to call again after any failure."""

    def __init__(
        self,
        settings: Settings,
        session_factory: Callable[[], Session],
        mailbox_factory: Callable[[], Mailbox],
        *,
        clock: Callable[[], dt.datetime] = utcnow,
        stop: threading.Event | None = None,
        progress: Progress | None = None,
        max_reconnects: int = 5,
        retry_wait: Callable[[float], bool] | None = None,
        timer: Callable[[], float] = time.monotonic,
        readers: int = 0,
    ) -> None:
        self.settings = settings
        self.sessions = session_factory
        self.mailbox_factory = mailbox_factory
        self.clock = clock
        self.stop = stop or threading.Event()
        self.progress = progress
        self.max_reconnects = max_reconnects
        # Waits between reconnects; returns True when asked to stop meanwhile.
        self.retry_wait = retry_wait or self.stop.wait
        self.timer = timer  # seconds, for each message's time budget (intake/pipeline.py)
        self.policy = sender_policy(settings)
        # Reading happens in this process unless readers= says otherwise (the CLI does).
        self.readers = Readers(
            self.policy, readers, timer=None if timer is time.monotonic else timer
        )
        # One delivery at a time in a process; the database claims keep processes apart.
        self.sender = Sender(settings, session_factory, clock)
        self._lock: MailboxLock | None = None
        self.background: Background | None = None
        self._waiting_for_lock = False

    # -- the cycle -----------------------------------------------------------------------

    def run_once(self) -> CycleReport:
        cycle_id = uuid.uuid4().hex[:8]
        logger.info("Poll cycle %s starts", cycle_id)
        report = CycleReport()
        self._deliver_now(report)
        attempt = 0
        while True:
            try:
                if not self._lock_mailbox():
                    report.standby = True
                    return report
                self._poll(report)
                break
            except (MailboxUnavailable, DatabaseError, *_DB_UNAVAILABLE) as err:
                failure = _as_lovbot_error(err)
                attempt += 1
                self._record_error(failure)
                if attempt > self.max_reconnects:
                    if failure is err:
                        raise
                    raise failure from err
                wait = min(2.0**attempt, 60.0)
                logger.warning(
                    "Cycle %s: %s; retrying in %.0f s (%d/%d)",
                    cycle_id,
                    failure,
                    wait,
                    attempt,
                    self.max_reconnects,
                )
                if self.retry_wait(wait):
                    report.stopped_early = True
                    return report
        self._record_success()
        self._deliver_now(report)
        logger.info("Poll cycle %s done: %s", cycle_id, report.summary())
        return report

    def _deliver_now(self, report: CycleReport) -> None:
        """Send the outbox inline, unless a delivery thread does: that one is woken by
        each committed batch (``_record_and_move``) and retries on its own every minute, so
        an idle cycle costs it nothing."""
        if self.background is None:
            report.add_delivery(self.deliver())

    def close(self) -> None:
        """Let go of the mailbox's lock, so a standby lovbot takes over at once."""
        self.readers.close()
        if self._lock is not None:
            self._lock.release()

    def _lock_mailbox(self) -> bool:
        """Whether this poller may work the mailbox now (the lock is kept between cycles).

        A second lovbot on the same mailbox tries again each cycle and says so once: two
        ``lovbot run`` stand as active and standby, and the standby takes over within one
        interval of the active one stopping.
        """
        if self._lock is None:
            # Making a mailbox object does not connect; its identity names the server.
            identity = self.mailbox_factory().identity
            with self.sessions() as session:
                engine = session.get_bind()
            assert isinstance(engine, Engine)
            self._lock = MailboxLock(engine, f"{identity}/{self.settings.mailbox.folder}")
        if self._lock.acquire():
            if self._waiting_for_lock:
                logger.warning(
                    "Brevlådan %s är ledig: den här lovbot hämtar nu posten", self._lock.name
                )
                self._waiting_for_lock = False
            return True
        if not self._waiting_for_lock:
            logger.warning(
                "En annan lovbot hämtar redan post från %s; den här väntar i reserv tills "
                "den slutar",
                self._lock.name,
            )
            self._waiting_for_lock = True
        return False

    def deliver(self, *, keep_open: bool = False) -> DeliveryReport:
        """Send what is due in the outbox now (intake/delivery.py ``Sender.deliver``)."""
        return self.sender.deliver(keep_open=keep_open)

    def deliver_in_background(
        self, *, retry_seconds: float = 60.0, process: bool = False
    ) -> Background:
        """Start sending in the background; from now on ``run_once`` wakes it after each
        committed batch instead of sending. ``process``: in a process of its own (the
        CLI), else in a thread. The caller ends it with ``finish()``, which sends what is
        still due.
        """
        background: Background
        if process:
            background = DeliveryProcess(self.settings, retry_seconds=retry_seconds)
        else:
            background = DeliveryThread(
                lambda: self.deliver(keep_open=True),
                self.sender.close_transport,
                retry_seconds=retry_seconds,
            )
        background.start()
        self.background = background
        return background

    def _poll(self, report: CycleReport) -> None:
        folders = self.settings.folders
        source = self.settings.mailbox.folder
        with self.mailbox_factory() as mailbox:
            mailbox.ensure_folders([folders.handled, folders.review, folders.quarantine])
            status = mailbox.select(source)
            last_uid = self._watermark(mailbox.identity, source, status.uidvalidity, report)
            self._finish_moves(mailbox, source, status.uidvalidity, report)
            uids = mailbox.new_uids(last_uid)
            if uids:
                report.new = max(report.new, len(uids))
            progress = _Progress(done=0, total=len(uids))
            batch_size = self.settings.mailbox.batch_size
            # One batch ahead: while batch k is written here, batch k+1 is read by the
            # reader processes (intake/readers.py). A batch holding large mail is written
            # before the next is fetched, so two of them are never in memory at once.
            ahead: Pending | None = None

            def write_ahead() -> None:
                nonlocal ahead
                if ahead is not None:
                    self._record_and_move(
                        mailbox, source, status.uidvalidity, ahead, report, progress
                    )
                    ahead = None

            for start in range(0, len(uids), batch_size):
                if self.stop.is_set():
                    report.stopped_early = True
                    break
                fetched = sorted(
                    mailbox.fetch(uids[start : start + batch_size]), key=lambda m: m.uid
                )
                for group in _groups(fetched):
                    if ahead is not None and (
                        ahead.holds_large or ahead.size > LOOKAHEAD_BYTES or group[0].is_deferred
                    ):
                        write_ahead()  # large mail: never two batches of it at once
                    reading = self.readers.submit(group)
                    write_ahead()
                    ahead = reading
            write_ahead()

    def _record_and_move(
        self,
        mailbox: Mailbox,
        folder: str,
        uidvalidity: int,
        reading: Pending,
        report: CycleReport,
        progress: _Progress,
    ) -> None:
        progress.done = self._record_batch(
            mailbox.identity, folder, uidvalidity, reading, report, progress.done, progress.total
        )
        self._finish_moves(mailbox, folder, uidvalidity, report)
        if self.background is not None:
            self.background.wake()  # acks flow while the backlog is still read

    def _watermark(self, identity: str, folder: str, uidvalidity: int, report: CycleReport) -> int:
        with self._transaction() as session:
            state = get_poll_state(session, identity, folder)
            if state.uidvalidity is not None and state.uidvalidity != uidvalidity:
                # The server renumbered the folder: read it all again; the SHA-256 and
                # Message-ID checks keep already recorded mail from being processed twice.
                logger.warning(
                    "UIDVALIDITY of %s changed from %s to %s",
                    folder,
                    state.uidvalidity,
                    uidvalidity,
                )
                state.last_uid = 0
                report.uidvalidity_changed = True
            state.uidvalidity = uidvalidity
            return state.last_uid

    def _finish_moves(
        self, mailbox: Mailbox, folder: str, uidvalidity: int, report: CycleReport
    ) -> None:
        with self.sessions() as session:
            by_target = pending_moves(session, mailbox.identity, folder, uidvalidity)
        for target, uids in by_target.items():
            mailbox.move(uids, target)  # the whole set in one command
            with self._transaction() as session:
                session.execute(
                    update(MailMessage)
                    .where(
                        MailMessage.mailbox == mailbox.identity,
                        MailMessage.folder == folder,
                        MailMessage.uidvalidity == uidvalidity,
                        MailMessage.uid.in_(uids),
                    )
                    .values(moved_at=self.clock())
                    .execution_options(synchronize_session=False)
                )
            report.moved[target] += len(uids)

    # -- a batch of messages ---------------------------------------------------------------

    def _record_batch(
        self,
        identity: str,
        folder: str,
        uidvalidity: int,
        reading: Pending,
        report: CycleReport,
        done: int,
        total: int,
    ) -> int:
        """Record a fetched batch in one transaction; returns how many are done in all.

        Each message was read first, outside the transaction (intake/readers.py); then
        the batch's duplicate and location checks are one query each, its rows are
        written with one flush, and one commit covers them with the folder's watermark.
        When anything goes wrong while writing (a value the database refuses, another
        poller's row, a bug), the batch is rolled back and recorded again one message at
        a time, so one poison message still costs only itself (style.md §7) and nothing
        is recorded twice.
        """
        prepared = reading.result()
        if not prepared:
            return done
        counts = CycleReport()
        logged: list[tuple[int, str, str]] = []
        try:
            with self._transaction() as session:
                self._write_batch(session, identity, folder, uidvalidity, prepared, counts, logged)
        except _DB_UNAVAILABLE as err:
            raise DatabaseError(f"Databasen svarar inte: {err.__class__.__name__}") from err
        except Exception as err:
            logger.warning(
                "Batch of %d (uid %s–%s) could not be recorded at once (%s); recording "
                "them one at a time",
                len(prepared),
                prepared[0].message.uid,
                prepared[-1].message.uid,
                err.__class__.__name__,
            )
            for item in prepared:
                self._process(identity, folder, uidvalidity, item, report)
                done += 1
                if self.progress:
                    self.progress(done, total)
            return done
        report.processed += counts.processed
        report.duplicates += counts.duplicates
        report.failed += counts.failed
        for uid, state, target in logged:
            logger.info("Message uid=%s recorded as %s → %s", uid, state, target)
        done += len(prepared)
        if self.progress:
            self.progress(done, total)
        return done

    def _write_batch(
        self,
        session: Session,
        identity: str,
        folder: str,
        uidvalidity: int,
        prepared: list[Read],
        counts: CycleReport,
        logged: list[tuple[int, str, str]],
    ) -> None:
        state = get_poll_state(session, identity, folder)
        known = recorded_uids(
            session, identity, folder, uidvalidity, [p.message.uid for p in prepared]
        )
        duplicates = Duplicates(
            session,
            [p.digest for p in prepared],
            [p.analysis.mail.message_id or "" for p in prepared if p.analysis is not None],
        )
        rows: list[tuple[Read, MailMessage]] = []
        for item in prepared:
            if item.message.uid in known:
                continue  # recorded by an earlier run whose watermark did not move
            row = self._new_row(identity, folder, uidvalidity, item.message, item.digest)
            if item.analysis is not None:
                self._describe(row, item.analysis)
            rows.append((item, row))
        now = self.clock()
        batch = Batch(session, self.settings, [row for item, row in rows if item.analysis])
        resolved: list[str] = []
        failed_here: list[MailMessage] = []
        for item, row in rows:
            if item.analysis is None:
                assert item.error is not None
                self._mark_failed(row, item.error)
                failed_here.append(row)
                counts.failed += 1
            else:
                duplicate = duplicates.find(item.digest, row.message_id)
                if duplicate is not None:
                    self._mark_duplicate(row, duplicate)
                    counts.duplicates += 1
                else:
                    self._record(session, row, item.analysis, item.message.raw, now, batch)
                    duplicates.learn(row)
                    resolved.append(item.digest)
                    counts.processed += 1
            session.add(row)
            logged.append((item.message.uid, row.state, row.target_folder))
        session.flush()
        write_raw(session, [(row, item.message.raw) for item, row in rows])
        resolve_failures(session, resolved, keep=[row.id for row in failed_here])
        state.last_uid = max(state.last_uid, *(p.message.uid for p in prepared))

    def _describe(self, row: MailMessage, analysis: Analysis) -> None:
        mail = analysis.mail
        row.message_id = mail.message_id
        row.from_address = mail.from_address
        row.subject = mask_personnummer(mail.subject)
        row.received_at = mail.date or row.received_at
        row.kind = analysis.understanding.kind

    def _mark_duplicate(self, row: MailMessage, duplicate: MailMessage) -> None:
        row.state = "duplicate"
        row.case_id = duplicate.case_id
        row.target_folder = duplicate.target_folder
        row.replied = "dubblett, redan behandlad"

    def _record(
        self,
        session: Session,
        row: MailMessage,
        analysis: Analysis,
        raw: bytes,
        now: dt.datetime,
        batch: Batch | None = None,
    ) -> None:
        row.state = "processed"
        row.understanding = analysis.understanding.model_dump(mode="json")
        session.add(row)
        outcome = record_case(session, self.settings, analysis, row, raw=raw, now=now, batch=batch)
        row.target_folder = outcome.target
        row.replied = outcome.replied

    @staticmethod
    def _mark_failed(row: MailMessage, err: Exception) -> None:
        row.state = "failed"
        explained = str(err) if isinstance(err, LovbotError) else repr(err)
        row.error = mask_personnummer(
            explained + "\n" + "".join(traceback.format_exception(err))
        ).replace("\x00", "\\x00")  # PostgreSQL text cannot hold NUL
        row.replied = "kunde inte behandlas"

    # -- one message at a time (a batch that could not be recorded at once) ---------------

    def _process(
        self,
        identity: str,
        folder: str,
        uidvalidity: int,
        item: Read,
        report: CycleReport,
    ) -> None:
        message, digest = item.message, item.digest
        message_log = uuid.uuid4().hex[:8]
        try:
            if item.error is not None:
                raise item.error
            assert item.analysis is not None
            with self._transaction() as session:
                state = get_poll_state(session, identity, folder)
                if recorded_uids(session, identity, folder, uidvalidity, [message.uid]):
                    # Recorded by an earlier run whose watermark did not move; just move on.
                    state.last_uid = max(state.last_uid, message.uid)
                    return
                row = self._new_row(identity, folder, uidvalidity, message, digest)
                self._describe(row, item.analysis)
                duplicate = Duplicates(session, [digest], [row.message_id or ""]).find(
                    digest, row.message_id
                )
                if duplicate is not None:
                    self._mark_duplicate(row, duplicate)
                    report.duplicates += 1
                else:
                    self._record(session, row, item.analysis, message.raw, self.clock())
                    resolve_failures(session, [digest])
                    report.processed += 1
                session.add(row)
                write_raw(session, [(row, message.raw)])
                state.last_uid = max(state.last_uid, message.uid)
            logger.info(
                "Message %s uid=%s recorded as %s → %s",
                message_log,
                message.uid,
                row.state,
                row.target_folder,
            )
        except _DB_UNAVAILABLE as err:
            raise DatabaseError(f"Databasen svarar inte: {err.__class__.__name__}") from err
        except IntegrityError as err:
            if self._recorded_elsewhere(identity, folder, uidvalidity, message.uid):
                return
            logger.warning("Message %s uid=%s failed: %s", message_log, message.uid, err)
            self._record_failure(identity, folder, uidvalidity, message, digest, err)
            report.failed += 1
        except Exception as err:
            # The one broad catch (style.md §7): a message that breaks the pipeline is
            # recorded with its error, quarantined, and the cycle goes on.
            logger.warning("Message %s uid=%s failed: %s", message_log, message.uid, err)
            self._record_failure(identity, folder, uidvalidity, message, digest, err)
            report.failed += 1

    def _new_row(
        self, identity: str, folder: str, uidvalidity: int, message: FetchedMessage, digest: str
    ) -> MailMessage:
        return MailMessage(
            mailbox=identity,
            folder=folder,
            uidvalidity=uidvalidity,
            uid=message.uid,
            sha256=digest,
            received_at=message.internal_date,
            state="new",
            target_folder=self.settings.folders.quarantine,
        )

    def _record_failure(
        self,
        identity: str,
        folder: str,
        uidvalidity: int,
        message: FetchedMessage,
        digest: str,
        err: Exception,
    ) -> None:
        try:
            with self._transaction() as session:
                row = self._new_row(identity, folder, uidvalidity, message, digest)
                self._mark_failed(row, err)
                session.add(row)
                write_raw(session, [(row, message.raw)])
                state = get_poll_state(session, identity, folder)
                state.last_uid = max(state.last_uid, message.uid)
        except IntegrityError as db_err:
            if self._recorded_elsewhere(identity, folder, uidvalidity, message.uid):
                return
            raise DatabaseError(
                f"Databasen vägrade spara felet: {db_err.__class__.__name__}"
            ) from db_err
        except DBAPIError as db_err:
            raise DatabaseError(f"Databasen svarar inte: {db_err.__class__.__name__}") from db_err

    def _recorded_elsewhere(self, identity: str, folder: str, uidvalidity: int, uid: int) -> bool:
        """Another poller recorded this message while we worked on it: it is done, not failed."""
        with self.sessions() as session:
            found = bool(recorded_uids(session, identity, folder, uidvalidity, [uid]))
        if found:
            logger.info("Message uid=%s was recorded by another poller meanwhile", uid)
        return found

    # -- bookkeeping ---------------------------------------------------------------------

    def _transaction(self) -> _Transaction:
        return _Transaction(self.sessions)

    def _record_success(self) -> None:
        with self._transaction() as session:
            for state in session.scalars(
                select(PollState).where(PollState.folder == self.settings.mailbox.folder)
            ):
                state.last_success_at = self.clock()
                state.errors_since_success = 0

    def _record_error(self, err: Exception) -> None:
        try:
            with self._transaction() as session:
                for state in session.scalars(
                    select(PollState).where(PollState.folder == self.settings.mailbox.folder)
                ):
                    state.last_error = str(err)[:2000]
                    state.last_error_at = self.clock()
                    state.errors_since_success += 1
        except (DBAPIError, DatabaseError):
            logger.warning("Could not record the poll error either: %s", err)


def _as_lovbot_error(err: Exception) -> LovbotError:
    """Outages from below as lovbot's own errors, so the CLI can explain them in Swedish."""
    if isinstance(err, LovbotError):
        return err
    return DatabaseError(f"Databasen svarar inte: {err.__class__.__name__}: {err}")


def _groups(fetched: list[FetchedMessage]) -> list[list[FetchedMessage]]:
    """A batch as written: runs of ordinary messages, and each large (deferred) message
    alone, in UID order; so a large message is read, recorded and let go before the
    next one is read (the mailbox holds one at a time)."""
    groups: list[list[FetchedMessage]] = []
    for message in fetched:
        if message.is_deferred or not groups or groups[-1][0].is_deferred:
            groups.append([message])
        else:
            groups[-1].append(message)
    return groups


@dataclass(slots=True)
class _Progress:
    done: int
    total: int


class _Transaction:
    """``with`` a session whose work commits on success and rolls back on any error."""

    def __init__(self, factory: Callable[[], Session]) -> None:
        self._factory = factory
        self._session: Session | None = None

    def __enter__(self) -> Session:
        self._session = self._factory()
        self._session.begin()
        return self._session

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        assert self._session is not None
        try:
            if exc_type is None:
                self._session.commit()
            else:
                self._session.rollback()
        finally:
            self._session.close()
