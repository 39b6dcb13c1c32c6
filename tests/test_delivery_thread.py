"""Issue 11: acknowledgements go out while a backlog is still being read, over one kept
SMTP session, and a restarted lovbot sends at once what a killed one had claimed."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import procs
import pytest
from fixtures_imap import ImapAccount
from fixtures_smtp import SmtpServer
from mails import build_mail
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.cycle import Poller
from intake.delivery import DeliveryProcess
from intake.mailbox import open_mailbox
from intake.settings import DatabaseSettings, SendersSettings, Settings, SmtpSettings
from outbox.deliver import DeliveryReport, claimant_name, this_host
from outbox.worker import DeliveryThread
from store.models import OutgoingMail, utcnow
from store.repository import claim_outgoing, queue_outgoing, release_dead_claims

LOVBOT = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "lovbot"


def notice(i: int) -> bytes:
    return build_mail(
        f"Hej,\nVi har nått kapacitetstaket på Daglig verksamhet Hamnen {i} från 2027-04-01.",
        subject=f"Kapacitet Hamnen {i}",
        message_id=f"<flow-{i}@funktionsstod.goteborg.se>",
    )


@pytest.mark.imap
def test_acknowledgements_go_out_while_the_backlog_is_still_read(
    imap_account: ImapAccount, smtp_server: SmtpServer, db_url: str, sessions: Callable[[], Session]
) -> None:
    n = 30
    for i in range(n):
        imap_account.append(notice(i))
    settings = Settings(
        mailbox=imap_account.settings(batch_size=5),
        smtp=SmtpSettings(host="127.0.0.1", port=smtp_server.port, security="none", timeout=5),
        database=DatabaseSettings(url=db_url),
        senders=SendersSettings(trusted_domains=["goteborg.se"], max_replies_per_hour=1000),
    )
    sent_while_reading: list[int] = []

    def after_each_batch(done: int, total: int) -> None:
        if done == 10:
            # The first two batches are committed: their acknowledgements must arrive
            # before the poller goes on with the rest.
            sent_while_reading.append(len(smtp_server.wait_for(1, timeout=10)))

    poller = Poller(
        settings,
        sessions,
        lambda: open_mailbox(settings.mailbox),
        progress=after_each_batch,
    )
    delivery = poller.deliver_in_background()
    try:
        report = poller.run_once()
    finally:
        totals = delivery.finish()
        poller.close()

    assert report.processed == n
    assert sent_while_reading and sent_while_reading[0] >= 1
    assert totals.sent == n
    replies = smtp_server.wait_for(n)
    assert len(replies) == n
    # One kept session for the whole backlog, not one per round.
    assert smtp_server.connections <= 2


def test_the_thread_sends_when_woken_and_once_more_when_finished() -> None:
    rounds: list[str] = []
    woken = threading.Event()

    def deliver() -> DeliveryReport:
        rounds.append("round")
        woken.set()
        report = DeliveryReport()
        report.sent = 1
        return report

    thread = DeliveryThread(deliver, lambda: None, retry_seconds=3600, keep_open_seconds=3600)
    thread.start()
    thread.wake()
    assert woken.wait(10)
    totals = thread.finish()
    assert len(rounds) >= 2  # the woken round and the last one
    assert totals.sent == len(rounds)


def test_a_failing_round_does_not_end_delivery() -> None:
    calls: list[int] = []
    second = threading.Event()

    def deliver() -> DeliveryReport:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("a bug")
        second.set()
        return DeliveryReport()

    thread = DeliveryThread(deliver, lambda: None, retry_seconds=3600, keep_open_seconds=3600)
    thread.start()
    thread.wake()
    thread.wake()
    while not second.is_set() and len(calls) < 2:
        thread.wake()
        second.wait(0.05)
    assert second.wait(10)
    thread.finish()


def test_an_idle_session_is_closed() -> None:
    closed = threading.Event()
    now = [0.0]

    def deliver() -> DeliveryReport:
        return DeliveryReport()

    thread = DeliveryThread(
        deliver, closed.set, retry_seconds=3600, keep_open_seconds=5, timer=lambda: now[0]
    )
    thread.start()
    now[0] = 6.0  # more than keep_open_seconds since the last mail
    thread.wake()
    assert closed.wait(10)
    thread.finish()


def _queue(sessions: Callable[[], Session], count: int, first: int = 0) -> None:
    with sessions() as session, session.begin():
        for i in range(first, first + count):
            queue_outgoing(
                session,
                message_id=f"<dead-{i}@lovbot.test>",
                purpose="ack",
                recipient="anna.lind@goteborg.se",
                subject="Kvittens",
                raw=b"Subject: Kvittens\r\n\r\nHej\r\n",
            )


@pytest.mark.parametrize(
    ("owner", "alive", "released"),
    [
        (f"{this_host()}:999999:deadbeef", False, 3),  # a killed lovbot on this host
        (f"{this_host()}:999999:deadbeef", True, 0),  # still running: its claims stand
        ("another-host:999999:deadbeef", False, 0),  # another host's: let them expire
    ],
)
def test_claims_of_a_dead_sender_on_this_host_are_given_back(
    sessions: Callable[[], Session], owner: str, alive: bool, released: int
) -> None:
    _queue(sessions, 3)
    later = utcnow() + dt.timedelta(seconds=1)
    with sessions() as session, session.begin():
        claim_outgoing(
            session, later, claimant=owner, until=later + dt.timedelta(minutes=15), limit=3
        )
    with sessions() as session, session.begin():
        assert release_dead_claims(session, this_host(), lambda pid: alive) == released
    with sessions() as session:
        unclaimed = session.scalars(
            select(OutgoingMail.id).where(OutgoingMail.claimed_by.is_(None))
        ).all()
    assert len(unclaimed) == released


def test_a_claimant_name_fits_its_column() -> None:
    assert len(claimant_name()) <= 40
    assert claimant_name().startswith(f"{this_host()}:")


@pytest.mark.imap
def test_the_delivery_process_sends_and_is_started_again_when_it_dies(
    imap_account: ImapAccount, smtp_server: SmtpServer, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = Settings(
        mailbox=imap_account.settings(batch_size=5),
        smtp=SmtpSettings(host="127.0.0.1", port=smtp_server.port, security="none", timeout=5),
        database=DatabaseSettings(url=db_url),
        senders=SendersSettings(trusted_domains=["goteborg.se"], max_replies_per_hour=1000),
    )
    for i in range(5):
        imap_account.append(notice(i))
    poller = Poller(settings, sessions, lambda: open_mailbox(settings.mailbox))
    delivery = poller.deliver_in_background(process=True)
    try:
        assert poller.run_once().processed == 5
        assert len(smtp_server.wait_for(5, timeout=30)) == 5
        assert isinstance(delivery, DeliveryProcess)
        delivery._process.kill()  # the process dies (OOM killer, a bug in a library)
        delivery._process.join()
        for i in range(5, 8):
            imap_account.append(notice(i))
        assert poller.run_once().processed == 3  # wakes it: started again
        assert len(smtp_server.wait_for(8, timeout=30)) == 8
    finally:
        totals = delivery.finish()
        poller.close()
    assert totals.sent >= 3  # the counts outlive a restarted process
    assert len({str(m["In-Reply-To"]) for m in smtp_server.messages}) == 8


def test_the_delivery_process_ends_when_lovbot_is_killed(tmp_path: Path) -> None:
    """A killed parent cannot stop its delivery process; it must not live on."""
    script = tmp_path / "parent.py"
    script.write_text(
        f"""
import time
from intake.delivery import DeliveryProcess
from intake.settings import DatabaseSettings, Settings, SmtpSettings
settings = Settings(
    smtp=SmtpSettings(outbox_dir={str(tmp_path / "outbox")!r}),
    database=DatabaseSettings(url="sqlite:///{tmp_path / "lovbot.db"}"),
)
if __name__ == "__main__":
    delivery = DeliveryProcess(settings)
    delivery.start()
    print(delivery._process.pid, flush=True)
    time.sleep(600)
""",
        encoding="utf-8",
    )
    subprocess.run(
        [LOVBOT, "db", "upgrade"],
        env={**os.environ, "LOVBOT_DATABASE__URL": f"sqlite:///{tmp_path / 'lovbot.db'}"},
        check=True,
        capture_output=True,
    )
    with subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True
    ) as parent:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        # ps and top show it as lovbot's delivery, once it has started up.
        deadline = time.monotonic() + 30
        while procs.name(child) != "lovbot-deliver" and time.monotonic() < deadline:
            time.sleep(0.05)
        name = procs.name(child)
        parent.kill()
        parent.wait()
    assert name == "lovbot-deliver"
    deadline = time.monotonic() + 30
    while procs.alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not procs.alive(child)


def _asleep(pid: int) -> bool:
    """Every thread of ``pid`` is blocked (state S): waiting, not working."""
    states = [
        stat.read_text().rsplit(")", 1)[1].split()[0]
        for stat in Path(f"/proc/{pid}/task").glob("*/stat")
    ]
    return bool(states) and all(state == "S" for state in states)


def test_waking_a_delivery_process_killed_in_its_sleep_does_not_hang_lovbot(
    tmp_path: Path, sessions: Callable[[], Session], db_url: str
) -> None:
    """A multiprocessing.Event's set() waited forever for a sleeper that had been killed:
    the poller hung at its next wake-up, with the mail still in the outbox."""
    outbox = tmp_path / "outbox"
    settings = Settings(smtp=SmtpSettings(outbox_dir=outbox), database=DatabaseSettings(url=db_url))

    delivery = DeliveryProcess(settings)
    delivery.start()
    try:
        _queue(sessions, 1)
        delivery.wake()
        deadline = time.monotonic() + 30
        while delivery.totals().sent < 1 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert delivery.totals().sent == 1
        pid = delivery._process.pid
        while not _asleep(pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _asleep(pid), "the delivery process never went back to waiting"
        os.kill(pid, signal.SIGKILL)
        delivery._process.join()

        _queue(sessions, 1, first=1)
        woken = threading.Thread(target=delivery.wake, daemon=True)
        woken.start()
        woken.join(10)
        assert not woken.is_alive(), "wake() hung on the killed process"
        while len(list(outbox.glob("*.eml"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(list(outbox.glob("*.eml"))) == 2  # sent by the process started again
    finally:
        finisher = threading.Thread(target=delivery.finish, daemon=True)
        finisher.start()
        finisher.join(30)
    assert not finisher.is_alive(), "finish() hung"
