"""Overlapping deliveries never send a mail twice (issue 8 item 1).

A real, slow SMTP server (aiosmtpd holding each DATA until the test lets it go) and both
databases: two deliveries at once each claim their own rows, and a crashed sender's claim
expires so its mail is still sent.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable, Iterator

import pytest
from fixtures_smtp import SmtpServer
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from intake.cycle import Poller
from intake.mailbox import open_mailbox
from intake.settings import DatabaseSettings, Settings, SmtpSettings
from outbox.deliver import DeliveryReport, SmtpTransport, deliver_due
from store.db import make_engine, make_sessionmaker
from store.models import OutgoingMail, utcnow
from store.repository import claim_outgoing, queue_outgoing

T0 = dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)


def _queue(sessions: Callable[[], Session], count: int) -> list[str]:
    ids = [f"<overlap-{i}@lovbot.test>" for i in range(count)]
    with sessions() as session, session.begin():
        for message_id in ids:
            raw = (
                f"From: LOV@stadshuset.goteborg.se\r\nTo: anna.lind@goteborg.se\r\n"
                f"Message-ID: {message_id}\r\nSubject: Kvittens\r\n\r\nHej\r\n"
            ).encode()
            queue_outgoing(
                session,
                message_id=message_id,
                purpose="ack",
                recipient="anna.lind@goteborg.se",
                subject="Kvittens",
                raw=raw,
            )
    return ids


def _transport(smtp: SmtpServer) -> SmtpTransport:
    return SmtpTransport(
        "127.0.0.1", smtp.port, "none", "", "", timeout=60, envelope_from="lov@goteborg.se"
    )


@pytest.fixture
def second_engine(db_url: str) -> Iterator[Engine]:
    """Another pool, as another poller process would have."""
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def test_two_deliveries_at_once_send_each_mail_once(
    sessions: Callable[[], Session], second_engine: Engine, smtp_server: SmtpServer
) -> None:
    ids = _queue(sessions, 6)
    other = make_sessionmaker(second_engine)
    reports: list[DeliveryReport] = []

    def deliver(factory: Callable[[], Session]) -> None:
        # Two rows a claim, so the second sender finds work while the first is held.
        reports.append(deliver_due(factory, _transport(smtp_server), max_attempts=5, claim_batch=2))

    smtp_server.hold()
    first = threading.Thread(target=deliver, args=(sessions,))
    first.start()
    assert smtp_server.wait_held(1)
    second = threading.Thread(target=deliver, args=(other,))
    second.start()
    assert smtp_server.wait_held(2)  # both are sending now, each its own mail
    smtp_server.release()
    first.join()
    second.join()

    sent = Counter(str(m["Message-ID"]) for m in smtp_server.messages)
    assert sorted(sent) == sorted(ids)
    assert [mid for mid, n in sent.items() if n > 1] == []
    assert sum(r.sent for r in reports) == 6
    with sessions() as session:
        states = session.scalars(select(OutgoingMail.state)).all()
    assert set(states) == {"sent"}


class _Crash(BaseException):
    """The process dies in the middle of sending."""


class _CrashingTransport:
    def send(self, row: OutgoingMail) -> None:
        raise _Crash

    def close(self) -> None:
        pass


def test_a_crash_mid_send_is_retried_once_the_claim_expires(
    sessions: Callable[[], Session], smtp_server: SmtpServer
) -> None:
    [message_id] = _queue(sessions, 1)
    with pytest.raises(_Crash):
        deliver_due(sessions, _CrashingTransport(), max_attempts=5, now=lambda: T0)  # type: ignore[arg-type]

    soon = deliver_due(
        sessions, _transport(smtp_server), max_attempts=5, now=lambda: T0 + dt.timedelta(minutes=1)
    )
    assert soon.sent == 0  # another sender may still be at it
    later = deliver_due(
        sessions, _transport(smtp_server), max_attempts=5, now=lambda: T0 + dt.timedelta(hours=1)
    )
    assert later.sent == 1
    assert [str(m["Message-ID"]) for m in smtp_server.messages] == [message_id]


def test_one_process_never_runs_two_deliveries(
    db_url: str, sessions: Callable[[], Session], smtp_server: SmtpServer
) -> None:
    """The poll job's delivery and the one-minute outbox job of one ``lovbot run``."""
    _queue(sessions, 3)
    settings = Settings.model_validate(
        {
            "smtp": SmtpSettings(host="127.0.0.1", port=smtp_server.port, security="none"),
            "database": DatabaseSettings(url=db_url),
        }
    )
    poller = Poller(settings, sessions, lambda: open_mailbox(settings.mailbox), clock=utcnow)
    smtp_server.hold()
    job = threading.Thread(target=poller.deliver)
    job.start()
    assert smtp_server.wait_held(1)

    overlapping = poller.deliver()

    smtp_server.release()
    job.join()
    assert (overlapping.sent, overlapping.deferred, overlapping.failed) == (0, 0, 0)
    assert len(smtp_server.messages) == 3


def test_a_claim_takes_as_many_rows_as_asked_and_the_next_claim_the_next_ones(
    sessions: Callable[[], Session],
) -> None:
    """PostgreSQL may run ``IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED)`` once per row
    and so claim every due row: one sender would then hold the whole outbox."""
    _queue(sessions, 6)
    later = utcnow() + dt.timedelta(seconds=1)
    until = later + dt.timedelta(minutes=5)
    with sessions() as session, session.begin():
        first = [r.id for r in claim_outgoing(session, later, claimant="a", until=until, limit=2)]
    with sessions() as session, session.begin():
        second = [r.id for r in claim_outgoing(session, later, claimant="b", until=until, limit=2)]
    assert len(first) == 2
    assert len(second) == 2
    assert not set(first) & set(second)
