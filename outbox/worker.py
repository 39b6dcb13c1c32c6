"""The delivery thread: the outbox is sent while intake goes on (issue 11).

``lovbot run`` and ``lovbot poll --once`` start one. The poller wakes it after every
batch it has committed, so the first acknowledgements of a long backlog go out within
seconds instead of after the last batch; without a wake it still looks every
``retry_seconds`` for mail whose next attempt has come (SMTP was down). What it sends is
claimed in the database first (``deliver_due``), so it never competes with another
delivery, in this process or another.

The SMTP session is kept between rounds and closed after ``keep_open_seconds`` without
anything to send, so a backlog's hundreds of acknowledgements use one connection and an
idle lovbot holds none.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Protocol

from outbox.deliver import DeliveryReport

__all__ = ["DeliveryThread", "Signal"]

logger = logging.getLogger(__name__)


class Signal(Protocol):
    """threading.Event or multiprocessing.Event: the loop runs in a thread or a process."""

    def set(self) -> None: ...

    def clear(self) -> None: ...

    def is_set(self) -> bool: ...

    def wait(self, timeout: float | None = None) -> bool: ...


class DeliveryThread:
    """The delivery loop; ``start()`` runs it in a thread, ``run()`` where it is called
    (intake/delivery.py runs it in a process of its own)."""

    def __init__(
        self,
        deliver: Callable[[], DeliveryReport],
        close: Callable[[], None],
        *,
        retry_seconds: float = 60.0,
        keep_open_seconds: float = 30.0,
        timer: Callable[[], float] = time.monotonic,
        wake: Signal | None = None,
        stop: Signal | None = None,
        on_round: Callable[[DeliveryReport], None] | None = None,
    ) -> None:
        self._deliver = deliver
        self._close = close
        self.retry_seconds = retry_seconds
        self.keep_open_seconds = keep_open_seconds
        self._timer = timer
        self._wake: Signal = wake or threading.Event()
        self._stop: Signal = stop or threading.Event()
        self._on_round = on_round
        self._thread: threading.Thread | None = None
        self._totals = DeliveryReport()
        self._lock = threading.Lock()

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="lovbot-delivery", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """There is new mail in the outbox (a batch was committed): send it now."""
        self._wake.set()

    def finish(self) -> DeliveryReport:
        """One last round for what is due, then stop; returns what was sent in all."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join()
        return self.totals()

    def totals(self) -> DeliveryReport:
        with self._lock:
            report = DeliveryReport()
            report.sent = self._totals.sent
            report.deferred = self._totals.deferred
            report.failed = self._totals.failed
            return report

    def run(self) -> None:
        """The loop itself, until ``stop`` is set (after one last round)."""
        last_sent = self._timer()
        # While a sending limit holds mail back: when its room frees (timer()).
        held_until: float | None = None
        try:
            while True:
                wait = self._wait(last_sent)
                if held_until is not None:
                    wait = min(wait, max(held_until - self._timer(), 0.0))
                woken = self._wake.wait(wait)
                self._wake.clear()
                stopping = self._stop.is_set()
                freed = held_until is not None and self._timer() >= held_until
                if woken or stopping or freed or self._timer() - last_sent >= self.retry_seconds:
                    report = self._round()
                    if report.sent or report.deferred or report.failed:
                        last_sent = self._timer()
                    held_until = (
                        None if report.resume_after is None else self._timer() + report.resume_after
                    )
                if stopping:
                    return
                if self._timer() - last_sent >= self.keep_open_seconds:
                    self._close()  # idle: hold no SMTP session
        finally:
            self._close()

    def _wait(self, last_sent: float) -> float:
        idle = self._timer() - last_sent
        if idle < self.keep_open_seconds:
            return max(self.keep_open_seconds - idle, 0.0)
        return self.retry_seconds

    def _round(self) -> DeliveryReport:
        try:
            report = self._deliver()
        except Exception:
            # A bug here must not end delivery for the rest of the run: the mail stays
            # queued and the next round tries again.
            logger.exception("Delivery round failed; the mail stays in the outbox")
            return DeliveryReport()
        with self._lock:
            self._totals.sent += report.sent
            self._totals.failed += report.failed
            self._totals.deferred = report.deferred
        if self._on_round is not None:
            self._on_round(report)
        return report
