"""Progress through a backlog: a bar on a terminal, a log line now and then otherwise.

Shown only for a backlog of more than ``MIN_BACKLOG`` messages (issue 11): an ordinary
cycle of a few new mails says nothing until its summary. On a terminal the bar is
redrawn after every batch with the rate and the time left; without one (systemd's
journal, a log file) a line is written every ``LOG_EVERY_SECONDS`` and at the end.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

__all__ = ["BacklogProgress"]

MIN_BACKLOG = 100
LOG_EVERY_SECONDS = 30.0
_WIDTH = 30


class BacklogProgress:
    """Callable as ``progress(done, total)`` by the poller."""

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        is_terminal: bool | None = None,
    ) -> None:
        self.stream = stream or sys.stderr
        self.clock = clock
        self.is_terminal = self.stream.isatty() if is_terminal is None else is_terminal
        self._started: float | None = None
        self._logged_at = 0.0
        self._total = 0

    def __call__(self, done: int, total: int) -> None:
        if total <= MIN_BACKLOG:
            return
        now = self.clock()
        if self._started is None or total != self._total or done <= 0:
            self._started, self._logged_at, self._total = now, now, total
        elapsed = now - self._started
        rate = done / elapsed if elapsed > 0 else 0.0
        left = f"{(total - done) / rate:.0f} s kvar" if rate > 0 else "beräknar tid kvar"
        if self.is_terminal:
            filled = int(_WIDTH * done / total)
            bar = "█" * filled + "·" * (_WIDTH - filled)
            end = "\n" if done >= total else ""
            print(
                f"\rBehandlar {bar} {done}/{total} ({rate:.0f} meddelanden/s, {left})",
                end=end,
                file=self.stream,
                flush=True,
            )
        elif done >= total or now - self._logged_at >= LOG_EVERY_SECONDS:
            self._logged_at = now
            # A line of its own on stderr, which systemd's journal keeps (whatever -v says).
            print(
                f"Behandlat {done} av {total} meddelanden ({rate:.0f}/s, {left})",
                file=self.stream,
                flush=True,
            )
