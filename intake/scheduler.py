"""``lovbot run``: APScheduler 3 runs the poll, the digest, gallring and the register's daily
changes; the outbox is sent from a process of its own (intake/delivery.py).

One job instance at a time (``max_instances=1``), missed runs coalesced; SIGTERM/SIGINT set
the stop event, the message in hand is finished, then the scheduler shuts down.

With ``[poll] idle = true`` (the default) the poll job is ``watch``: one mailbox
connection for the whole run, a cycle, then IMAP IDLE until the server announces new
mail (or ``idle_renew_seconds`` pass, below the 30-minute limit servers put on IDLE),
then the next cycle. A mailbox without IDLE (Maildir, Graph, an IMAP server without
the capability) is polled every ``interval_seconds`` instead.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.exc import DBAPIError

from intake.cycle import Poller
from intake.mailbox import KeptOpen
from intake.settings import Settings
from parsers.errors import LovbotError

__all__ = ["run_forever", "watch"]

logger = logging.getLogger(__name__)


def run_forever(settings: Settings, poller: Poller, stop: threading.Event) -> int:
    scheduler = BlockingScheduler(timezone=settings.digest.timezone)

    def poll() -> None:
        if stop.is_set():
            return
        try:
            report = poller.run_once()
            logger.info("%s", report.summary())
        except LovbotError as err:
            # Recorded in poll_state by the poller; the digest reports it. Try next time.
            logger.error("Poll failed: %s", err)
        except DBAPIError as err:
            # A refusal the poller did not expect (not an outage: those are LovbotErrors):
            # one line, not a scheduler traceback; the next cycle starts over.
            logger.error("Hämtningen avbröts, databasen vägrade: %s", err.__class__.__name__)

    def digest() -> None:
        from intake.digest_job import send_digest

        try:
            logger.info("%s", send_digest(settings, poller.sessions))
        except LovbotError as err:
            logger.error("Digest failed: %s", err)

    def gallra() -> None:
        from intake.commands import gallring

        try:
            logger.info("%s", gallring(settings, poller.sessions))
        except (LovbotError, DBAPIError) as err:
            logger.error("Gallringen misslyckades: %s", err)

    def register() -> None:
        from intake.register_commands import register_apply

        try:
            logger.info("%s", register_apply(settings, poller.sessions))
        except (LovbotError, DBAPIError) as err:
            logger.error("Registret kunde inte uppdateras: %s", err)

    common = {"max_instances": 1, "coalesce": True, "misfire_grace_time": 300}
    if settings.poll.idle:
        scheduler.add_job(
            watch, args=(settings, poller, stop), id="poll", next_run_time=dt.datetime.now(dt.UTC)
        )
    else:
        scheduler.add_job(
            poll,
            IntervalTrigger(seconds=settings.poll.interval_seconds),
            id="poll",
            next_run_time=dt.datetime.now(dt.UTC),
            **common,
        )
    scheduler.add_job(
        digest,
        CronTrigger.from_crontab(settings.digest.cron, timezone=settings.digest.timezone),
        id="digest",
        **common,
    )
    scheduler.add_job(
        gallra,
        CronTrigger.from_crontab(settings.retention.cron, timezone=settings.digest.timezone),
        id="gallra",
        **common,
    )
    scheduler.add_job(
        register,
        CronTrigger.from_crontab(settings.register_.cron, timezone=settings.digest.timezone),
        id="register",
        **common,
    )
    watcher = threading.Thread(target=_shutdown_on_stop, args=(scheduler, stop), daemon=True)
    watcher.start()
    how = (
        f"väntar på ny post med IMAP IDLE (annars var {settings.poll.interval_seconds}:e sekund)"
        if settings.poll.idle
        else f"hämtar post var {settings.poll.interval_seconds}:e sekund"
    )
    print(
        f"lovbot kör: {how}, sammanställning enligt '{settings.digest.cron}'. Avsluta med Ctrl+C.",
        flush=True,
    )
    # The outbox is sent from a process of its own, woken by each committed batch and
    # every minute for retries (intake/delivery.py).
    delivery = poller.deliver_in_background(retry_seconds=60.0, process=True)
    try:
        scheduler.start()
    finally:
        delivery.finish()
        poller.close()
    print("lovbot har stoppats.", flush=True)
    return 0


def watch(settings: Settings, poller: Poller, stop: threading.Event) -> None:
    """Cycle, then wait for news on the same connection, until ``stop`` is set."""
    kept = KeptOpen(poller.mailbox_factory())
    poller.mailbox_factory = lambda: kept
    interval = float(settings.poll.interval_seconds)
    try:
        while not stop.is_set():
            try:
                report = poller.run_once()
                logger.info("%s", report.summary())
            except LovbotError as err:
                # Recorded in poll_state by the poller; the digest reports it.
                logger.error("Poll failed: %s", err)
                stop.wait(interval)
                continue
            except DBAPIError as err:
                logger.error("Hämtningen avbröts, databasen vägrade: %s", err.__class__.__name__)
                stop.wait(interval)
                continue
            except Exception:
                # This loop is the whole poll job of a long run: a bug must not end polling
                # for good (the interval job it replaces was simply run again).
                logger.exception("Poll cycle crashed; trying again in %.0f s", interval)
                stop.wait(interval)
                continue
            if report.standby:
                # Another lovbot works this mailbox; ask again after the interval.
                stop.wait(interval)
                continue
            if report.processed or report.duplicates or report.failed:
                continue  # mail may have come while this batch was handled
            try:
                news = kept.idle(settings.poll.idle_renew_seconds, stop)
            except LovbotError as err:
                # A dropped session (e.g. an expired token): the next cycle reconnects.
                logger.warning("IDLE ended: %s", err)
                continue
            if news is None:
                stop.wait(interval)
    finally:
        kept.shutdown()


def _shutdown_on_stop(scheduler: BlockingScheduler, stop: threading.Event) -> None:
    stop.wait()
    # A signal may come before BlockingScheduler.start() has set itself running.
    while not scheduler.running:
        time.sleep(0.05)
    scheduler.shutdown(wait=True)
