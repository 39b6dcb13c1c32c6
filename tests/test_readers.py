"""Issue 11: reader processes read a batch while the poller writes the one before; what
they read is what the poller itself would have read, and a broken pool costs only time."""

from __future__ import annotations

import datetime as dt
import mailbox
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import procs
import pytest
from local_intake import local_settings
from mails import build_mail
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.cycle import Poller
from intake.mailbox import FetchedMessage, open_mailbox
from intake.readers import IN_PROCESS_BYTES, Readers
from intake.settings import SendersSettings
from rules.senders import SenderPolicy
from store.models import Case, MailMessage

POLICY = SenderPolicy(trusted_domains=("goteborg.se",), municipal_domains=(), known_providers=())
AT = dt.datetime(2027, 1, 10, 9, 0, tzinfo=dt.UTC)


def messages() -> list[FetchedMessage]:
    raws = [
        build_mail(f"Hej,\nDaglig verksamhet Eken {i} stänger den 30 april 2027.") for i in range(6)
    ]
    raws.append(b"\x00\xff not a mail at all")
    raws.append(build_mail("Hej\n" + "x" * (IN_PROCESS_BYTES + 10)))  # read here, not copied
    return [FetchedMessage(uid, raw, AT) for uid, raw in enumerate(raws, start=1)]


def test_reader_processes_read_as_the_poller_does() -> None:
    batch = messages()
    here = Readers(POLICY, 0).submit(batch).result()
    workers = Readers(POLICY, 2)
    try:
        there = workers.submit(batch).result()
    finally:
        workers.close()
    assert [r.message.uid for r in there] == [r.message.uid for r in here]
    assert [r.digest for r in there] == [r.digest for r in here]
    assert [r.analysis.line if r.analysis else None for r in there] == [
        r.analysis.line if r.analysis else None for r in here
    ]
    assert [type(r.error) for r in there] == [type(r.error) for r in here]


def test_a_broken_pool_is_read_here_instead() -> None:
    readers = Readers(POLICY, 1)
    pending = readers.submit(messages()[:2])
    readers.close()  # the pool is gone before the batch was read
    reads = pending.result()
    assert [r.analysis is not None for r in reads] == [True, True]


@pytest.mark.parametrize("workers", [0, 1])
def test_a_backlog_read_by_workers_is_recorded_once_in_order(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session], workers: int
) -> None:
    settings = local_settings(
        tmp_path, db_url, senders=SendersSettings(max_replies_per_hour=1000)
    ).model_copy()
    settings.mailbox.batch_size = 7
    box = mailbox.Maildir(settings.mailbox.path, create=True)
    for i in range(30):
        box.add(build_mail(f"Hej,\nDaglig verksamhet Eken {i} stänger den 30 april 2027."))
    poller = Poller(settings, sessions, lambda: open_mailbox(settings.mailbox), readers=workers)
    try:
        report = poller.run_once()
    finally:
        poller.close()
    assert report.processed == 30
    with sessions() as session:
        uids = session.scalars(select(MailMessage.uid).order_by(MailMessage.id)).all()
        cases = session.scalars(select(Case.number).order_by(Case.id)).all()
    assert uids == sorted(uids) and len(set(uids)) == 30
    assert len(set(cases)) == 30


def test_reader_processes_end_when_lovbot_is_killed(tmp_path: Path) -> None:
    """A worker waits on a queue whose pipe it holds both ends of: a lovbot killed outright
    (SIGKILL, the OOM killer) left its readers waiting for ever."""
    script = tmp_path / "parent.py"
    script.write_text(
        """
import datetime as dt, time
from intake.mailbox import FetchedMessage
from intake.readers import Readers
from rules.senders import SenderPolicy
if __name__ == "__main__":
    readers = Readers(SenderPolicy(), 2)
    mail = b"From: a@goteborg.se\\r\\nSubject: x\\r\\n\\r\\nHej\\r\\n"
    at = dt.datetime(2027, 1, 10, tzinfo=dt.UTC)
    readers.submit([FetchedMessage(uid, mail, at) for uid in (1, 2)]).result()
    print(" ".join(str(pid) for pid in readers._pool._processes), flush=True)
    time.sleep(600)
""",
        encoding="utf-8",
    )
    with subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True
    ) as parent:
        assert parent.stdout is not None
        workers = [int(pid) for pid in parent.stdout.readline().split()]
        assert workers
        # ps and top tell them from lovbot's other processes, once each has started.
        deadline = time.monotonic() + 30
        while {procs.name(pid) for pid in workers} != {"lovbot-reader"}:
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
        names = {procs.name(pid) for pid in workers}
        parent.kill()
        parent.wait()
    assert names == {"lovbot-reader"}
    deadline = time.monotonic() + 30
    while any(procs.alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(procs.alive(pid) for pid in workers)
