"""Sending the outbox: inline, in a thread, or in a process of its own (issue 11).

``Sender`` is what one process needs to send: the transport of ``[smtp]``, kept between
rounds when asked, and the database claims of ``outbox.deliver``. The poller sends
inline (tests, ``check``-like uses) or wakes a ``DeliveryThread``; ``lovbot run`` and
``poll --once`` start a ``DeliveryProcess``: the sending runs on the second core while
this one reads and records, so a backlog's acknowledgements flow at the pace of the SMTP
server instead of sharing one core (and Python's one interpreter lock) with intake.

The process is started with ``spawn`` (this process has threads and connections), opens
its own database engine and SMTP session, ignores SIGINT and SIGTERM (a terminal's
Ctrl+C and systemd's stop reach every process of the group: the parent decides when it
stops, after one last round), stops by itself when the parent is gone (its pipe from the
parent ends), and is started again if it dies. Claims keep it from ever sending what
another sender sends.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from intake.connections import make_transport
from intake.processes import name_process
from intake.settings import Settings
from outbox.deliver import DeliveryReport, Transport, deliver_due, release_dead_senders
from outbox.worker import DeliveryThread
from store.models import utcnow

__all__ = ["DeliveryProcess", "Sender"]

logger = logging.getLogger(__name__)


class Sender:
    """Sends what is due; one delivery at a time in this process."""

    def __init__(
        self,
        settings: Settings,
        sessions: Callable[[], Session],
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.clock = clock
        self._delivering = threading.Lock()
        self._transport: Transport | None = None
        self._released = False  # claims of dead senders on this host given back

    def deliver(self, *, keep_open: bool = False) -> DeliveryReport:
        """Send what is due in the outbox; a database outage only postpones it.

        When a delivery is already running in this process, return at once: it sends
        everything that comes due while it runs. ``keep_open``: keep the SMTP session for
        the next call (``close_transport`` ends it).
        """
        if not self._delivering.acquire(blocking=False):
            logger.info("A delivery is already running; this one is skipped")
            return DeliveryReport()
        try:
            if not self._released:
                release_dead_senders(self.sessions)
                self._released = True
            if self._transport is None:
                self._transport = make_transport(self.settings)
            return deliver_due(
                self.sessions,
                self._transport,
                max_attempts=self.settings.smtp.max_attempts,
                now=self.clock,
                close=not keep_open,
                limits=self.settings.smtp.limits(),
            )
        except DBAPIError as err:
            logger.warning("Outgoing mail not delivered, database unavailable: %s", err)
            return DeliveryReport()
        finally:
            if not keep_open:
                self._transport = None  # deliver_due closed it
            self._delivering.release()

    def close_transport(self) -> None:
        """End a kept SMTP session (waits for a delivery in progress)."""
        with self._delivering:
            if self._transport is not None:
                self._transport.close()
                self._transport = None


class DeliveryProcess:
    """The delivery loop in a process of its own; the same calls as ``DeliveryThread``.

    The parent tells it to wake or stop with one byte over a pipe, never with a
    ``multiprocessing.Event``: an Event's ``set()`` waits for every process asleep on it
    to wake, forever when one was killed in its sleep, and its lock stays taken when a
    process dies holding it. A byte on a pipe cannot hang either side: writing to a dead
    process fails at once (and the next wake starts a new one), and the process sees the
    end of the pipe when the parent is gone, however it ended.
    """

    def __init__(self, settings: Settings, *, retry_seconds: float = 60.0) -> None:
        # A plain Settings (load_settings builds a local subclass, which cannot be pickled).
        self._settings = Settings.model_validate(settings.model_dump())
        self._retry_seconds = retry_seconds
        self._context = multiprocessing.get_context("spawn")
        # sent, failed, deferred: written by the process after each round, read here.
        # No lock, which a killed process could leave taken; a read between two of the
        # three writes is off by one round at most.
        self._counts: Any = self._context.RawArray("q", 3)
        self._process: Any = None
        self._line: Any = None  # the parent's end of the pipe to the process
        self._lock = threading.Lock()

    def start(self) -> None:
        reader, writer = self._context.Pipe(duplex=False)
        self._process = self._context.Process(
            target=_run_delivery,
            args=(self._settings, reader, self._counts, self._retry_seconds, _verbosity()),
            name="lovbot-delivery",
            daemon=True,
        )
        self._process.start()
        reader.close()  # only the process reads; its end of the pipe is its own
        os.set_blocking(writer.fileno(), False)
        if self._line is not None:
            self._line.close()
        self._line = writer

    def wake(self) -> None:
        """There is new mail in the outbox: send it now (and start again if it died)."""
        with self._lock:
            if self._process is not None and not self._process.is_alive():
                logger.warning(
                    "Utskicksprocessen avslutades (kod %s); startar den igen",
                    self._process.exitcode,
                )
                self.start()
            self._tell(_WAKE)

    def finish(self) -> DeliveryReport:
        """One last round for what is due, then stop; returns what was sent in all."""
        with self._lock:
            if self._line is not None:
                os.set_blocking(self._line.fileno(), True)  # the stop must get through
                self._tell(_STOP)
        if self._process is not None:
            self._process.join()
        return self.totals()

    def totals(self) -> DeliveryReport:
        report = DeliveryReport()
        report.sent, report.failed, report.deferred = self._counts[:]
        return report

    def _tell(self, what: bytes) -> None:
        if self._line is None:
            return
        try:
            os.write(self._line.fileno(), what)
        except BlockingIOError:
            pass  # the pipe is full of wake-ups not yet read: one more changes nothing
        except OSError as err:  # BrokenPipeError: the process has ended
            logger.debug("The delivery process did not get %r: %s", what, err)


# What the parent tells the delivery process, one byte each.
_WAKE, _STOP = b"w", b"s"


def _verbosity() -> int:
    """The -v count the CLI set up, read back from the loggers it configured."""
    if logging.getLogger().level == logging.DEBUG:
        return 3
    own = logging.getLogger("intake").level
    return 2 if own == logging.DEBUG else 1 if own == logging.INFO else 0


def _run_delivery(
    settings: Settings,
    line: Any,
    counts: Any,
    retry_seconds: float,
    verbosity: int,
) -> None:
    """The delivery process: its own engine, SMTP session and loop, until told to stop
    or until the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    name_process("lovbot-deliver")
    from intake.cli import setup_logging
    from store.db import make_engine, make_sessionmaker

    setup_logging(verbosity)
    wake, stop = threading.Event(), threading.Event()

    def listen() -> None:
        while True:
            try:
                heard = os.read(line.fileno(), 512)
            except OSError:
                heard = b""
            # The end of the pipe: the parent has ended, also when killed outright
            # (SIGKILL, the OOM killer), which no signal could have told us.
            if not heard or _STOP in heard:
                stop.set()
                wake.set()
                return
            wake.set()

    threading.Thread(target=listen, name="parent-line", daemon=True).start()
    engine = make_engine(settings.database.url)
    sender = Sender(settings, make_sessionmaker(engine))

    def count(report: DeliveryReport) -> None:
        counts[0] += report.sent
        counts[1] += report.failed
        counts[2] = report.deferred

    try:
        DeliveryThread(
            lambda: sender.deliver(keep_open=True),
            sender.close_transport,
            retry_seconds=retry_seconds,
            wake=wake,
            stop=stop,
            on_round=count,
        ).run()
    finally:
        engine.dispose()
