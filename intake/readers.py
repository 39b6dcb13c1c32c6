"""Reading messages in worker processes, so a backlog uses more than one core (issue 11).

Reading a message (MIME, the form, understanding, the rules) is pure Python and needs no
database: it can run in another process while this one writes the previous batch and
the delivery thread sends. The poller hands each fetched batch to ``Readers.submit``
before it records the batch before it, and takes the analyses when it gets there.

- Messages larger than ``IN_PROCESS_BYTES``, and those the mailbox defers because they
  are large (intake/mailbox/protocol.py), are read here, not copied to a worker: a
  25 MB message must not exist three times over (issue 11's memory goal).
- A worker that dies or a result that cannot be sent back costs nothing but time: the
  batch is read again in this process.
- Workers are started with ``spawn`` (never ``fork``: this process has threads and
  database connections) once per poller, and end with it, also when it is killed.
"""

from __future__ import annotations

import concurrent.futures as futures
import datetime as dt
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from intake.mailbox import FetchedMessage
from intake.pipeline import Analysis, analyse
from intake.processes import name_process
from rules.senders import SenderPolicy
from store.repository import sha256

__all__ = ["IN_PROCESS_BYTES", "Read", "Readers", "default_workers"]

logger = logging.getLogger(__name__)

IN_PROCESS_BYTES = 1_000_000


@dataclass(frozen=True, slots=True)
class Read:
    """A fetched message as read before any database work: its analysis or its error."""

    message: FetchedMessage
    digest: str
    analysis: Analysis | None
    error: Exception | None


def default_workers() -> int:
    """One core is left to the poller (database, IMAP) and the delivery thread."""
    return max(min((os.cpu_count() or 1) - 1, 4), 0)


def _end_with_parent() -> None:
    """In each worker: end when lovbot does, however it ended.

    A worker waits for work on a queue whose pipe it holds both ends of, so a lovbot
    killed outright (SIGKILL, the OOM killer) left its workers waiting for ever, 80 MB
    each; found on this machine after benchmark runs.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    name_process("lovbot-reader")

    def watch() -> None:
        parent.join()  # its sentinel: the end of a pipe that only the parent held open
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def read_one(
    message: FetchedMessage, policy: SenderPolicy, timer: Callable[[], float] | None = None
) -> Read:
    digest = sha256(message.raw)
    try:
        analysis = analyse(
            message.raw, policy, received=message.internal_date, timer=timer or time.monotonic
        )
    except Exception as err:
        # The one broad catch (style.md §7): the poller records and quarantines it.
        return Read(message, digest, None, err)
    return Read(message, digest, analysis, None)


_Answer = tuple[str, Analysis | None, Exception | None]  # a worker's Read, less the bytes


def _read_in_worker(
    raws: list[tuple[int, bytes, dt.datetime | None]], policy: SenderPolicy
) -> list[_Answer]:
    answers: list[_Answer] = []
    for uid, raw, received in raws:
        read = read_one(FetchedMessage(uid, raw, received), policy)
        answers.append((read.digest, read.analysis, read.error))
    return answers


class Pending:
    """A batch being read; ``result()`` gives its ``Read``s in the batch's order."""

    def __init__(
        self,
        messages: Sequence[FetchedMessage],
        policy: SenderPolicy,
        timer: Callable[[], float] | None,
        jobs: list[tuple[list[int], futures.Future[list[_Answer]]]],
    ) -> None:
        self._messages = list(messages)
        self._policy = policy
        self._timer = timer
        self._jobs = jobs  # (indexes of the messages a worker reads, its job)
        # What is held until recorded: the bytes of the ordinary messages, and whether a
        # large (deferred) one is among them.
        self.size = sum(len(m.raw) for m in self._messages if not m.is_deferred)
        self.holds_large = any(m.is_deferred for m in self._messages)

    def result(self) -> list[Read]:
        reads: dict[int, Read] = {}
        for indexes, job in self._jobs:
            try:
                answers = job.result()
            except Exception as err:
                logger.warning("A reader process failed (%s); reading here instead", err)
                continue
            for index, (digest, analysis, error) in zip(indexes, answers, strict=True):
                reads[index] = Read(self._messages[index], digest, analysis, error)
        return [
            reads[i] if i in reads else read_one(m, self._policy, self._timer)
            for i, m in enumerate(self._messages)
        ]


class Readers:
    """``workers`` reader processes; with 0, everything is read in this process."""

    def __init__(
        self,
        policy: SenderPolicy,
        workers: int,
        *,
        timer: Callable[[], float] | None = None,
    ) -> None:
        self.policy = policy
        # An injected timer (tests) cannot cross into a worker: read here then.
        self.workers = workers if timer is None else 0
        self.timer = timer
        self._pool: futures.ProcessPoolExecutor | None = None

    def submit(self, messages: Sequence[FetchedMessage]) -> Pending:
        remote = [
            i
            for i, m in enumerate(messages)
            if not m.is_deferred and len(m.raw) <= IN_PROCESS_BYTES
        ]
        if self.workers <= 0 or not remote:
            return Pending(messages, self.policy, self.timer, [])
        chunks = [remote[k :: self.workers] for k in range(self.workers)]
        jobs = []
        try:
            pool = self._ensure_pool()
            for indexes in chunks:
                if indexes:
                    raws = [
                        (messages[i].uid, messages[i].raw, messages[i].internal_date)
                        for i in indexes
                    ]
                    jobs.append((indexes, pool.submit(_read_in_worker, raws, self.policy)))
        except Exception as err:  # a broken pool: read here, start a new one next time
            logger.warning("Reader processes unavailable (%s); reading here", err)
            self.close()
            return Pending(messages, self.policy, self.timer, [])
        return Pending(messages, self.policy, self.timer, jobs)

    def _ensure_pool(self) -> futures.ProcessPoolExecutor:
        if self._pool is None:
            self._pool = futures.ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_end_with_parent,
            )
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
