"""Issue 11: acknowledgements go out while a backlog is still being read, over one kept
SMTP session, and a restarted lovbot sends at once what a killed one had claimed."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from fixtures_imap import ImapAccount
from fixtures_smtp import SmtpServer
from mails import build_mail
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.cycle import Poller
from intake.mailbox import open_mailbox
from intake.settings import DatabaseSettings, SendersSettings, Settings, SmtpSettings
from outbox.deliver import DeliveryReport, claimant_name, this_host
from outbox.worker import DeliveryThread
from store.models import OutgoingMail, utcnow
from store.repository import claim_outgoing, queue_outgoing, release_dead_claims


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


def _queue(sessions: Callable[[], Session], count: int) -> None:
    with sessions() as session, session.begin():
        for i in range(count):
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
