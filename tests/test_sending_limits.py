"""Exchange Online's sending limits: lovbot paces itself instead of getting the mailbox
blocked, and orders and digests go before acknowledgements (issue 11).

A real SMTP server (aiosmtpd) and both databases; the clock is injected, so a minute and
a day pass without waiting.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from fixtures_smtp import SmtpServer
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.delivery import Sender
from intake.settings import DatabaseSettings, Settings, SmtpSettings
from outbox.deliver import DeliveryReport, SmtpTransport, deliver_due
from outbox.limits import SendingLimits
from outbox.worker import DeliveryThread
from store.models import OutgoingMail
from store.repository import claim_outgoing, queue_outgoing

T0 = dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now


def _queue(sessions: Callable[[], Session], purpose: str, count: int, tag: str) -> None:
    with sessions() as session, session.begin():
        for i in range(count):
            message_id = f"<limit-{tag}-{i}@lovbot.test>"
            queue_outgoing(
                session,
                message_id=message_id,
                purpose=purpose,
                recipient="anna.lind@goteborg.se",
                subject=f"{purpose} {i}",
                raw=(
                    f"From: LOV@stadshuset.goteborg.se\r\nTo: anna.lind@goteborg.se\r\n"
                    f"Message-ID: {message_id}\r\nSubject: {purpose} {i}\r\n\r\nHej\r\n"
                ).encode(),
            )


def _transport(smtp: SmtpServer) -> SmtpTransport:
    return SmtpTransport(
        "127.0.0.1", smtp.port, "none", "", "", timeout=30, envelope_from="lov@goteborg.se"
    )


def _deliver(
    sessions: Callable[[], Session], smtp: SmtpServer, clock: Clock, limits: SendingLimits
) -> DeliveryReport:
    return deliver_due(sessions, _transport(smtp), max_attempts=5, now=clock, limits=limits)


def _subjects(smtp: SmtpServer) -> list[str]:
    return [str(message["Subject"]) for message in smtp.messages]


def _pending(sessions: Callable[[], Session]) -> int:
    with sessions() as session:
        return len(
            session.scalars(select(OutgoingMail.id).where(OutgoingMail.state == "pending")).all()
        )


def test_no_more_than_the_minutes_limit_goes_out_and_orders_go_first(
    sessions: Callable[[], Session], smtp_server: SmtpServer
) -> None:
    _queue(sessions, "ack", 40, "a")
    _queue(sessions, "order", 2, "o")
    clock, limits = Clock(), SendingLimits(per_minute=30)

    first = _deliver(sessions, smtp_server, clock, limits)

    assert first.sent == 30
    assert _subjects(smtp_server)[:2] == ["order 0", "order 1"]  # queued last, sent first
    assert first.resume_after == 60.0  # when the first of the 30 leaves the minute
    assert _pending(sessions) == 12

    clock.now += dt.timedelta(seconds=30)
    assert _deliver(sessions, smtp_server, clock, limits).sent == 0  # still the same minute

    clock.now += dt.timedelta(seconds=31)
    rest = _deliver(sessions, smtp_server, clock, limits)
    assert rest.sent == 12
    assert rest.resume_after is None
    assert len(smtp_server.messages) == 42


def test_orders_and_acknowledgements_share_the_minute(
    sessions: Callable[[], Session], smtp_server: SmtpServer
) -> None:
    """Fewer left in the minute than one claim takes: the orders go, and only as many
    acknowledgements as the minute still has room for (found by a real lovbot run:
    5 orders and 5 acks went out under a limit of 5)."""
    _queue(sessions, "ack", 10, "a")
    _queue(sessions, "order", 3, "o")
    clock, limits = Clock(), SendingLimits(per_minute=5)

    first = _deliver(sessions, smtp_server, clock, limits)

    assert first.sent == 5
    assert _subjects(smtp_server) == ["order 0", "order 1", "order 2", "ack 0", "ack 1"]
    assert first.resume_after == 60.0


def test_the_days_last_tenth_is_kept_for_orders_and_digests(
    sessions: Callable[[], Session], smtp_server: SmtpServer
) -> None:
    limits = SendingLimits(per_day=20)  # 2 kept for orders and digests
    clock = Clock()
    _queue(sessions, "ack", 25, "a")

    day = _deliver(sessions, smtp_server, clock, limits)
    assert day.sent == 18  # 20 less the reserve
    assert day.resume_after == 24 * 3600.0

    # Later that day a notice is read and its order is queued: it still goes out.
    clock.now += dt.timedelta(hours=3)
    _queue(sessions, "order", 1, "o")
    _queue(sessions, "digest", 1, "d")
    later = _deliver(sessions, smtp_server, clock, limits)
    assert later.sent == 2
    assert _subjects(smtp_server)[-2:] == ["order 0", "digest 0"]
    assert _pending(sessions) == 7  # the acknowledgements wait for the next day

    clock.now = T0 + dt.timedelta(days=1, seconds=1)
    assert _deliver(sessions, smtp_server, clock, limits).sent == 7
    assert _pending(sessions) == 0


def test_the_count_is_kept_in_the_database_so_a_restart_does_not_reset_it(
    sessions: Callable[[], Session], smtp_server: SmtpServer
) -> None:
    _queue(sessions, "ack", 12, "a")
    clock, limits = Clock(), SendingLimits(per_minute=5)
    assert _deliver(sessions, smtp_server, clock, limits).sent == 5
    # A new delivery (a restarted lovbot: nothing kept in memory) in the same minute.
    assert _deliver(sessions, smtp_server, clock, SendingLimits(per_minute=5)).sent == 0
    assert len(smtp_server.messages) == 5


def test_mail_another_sender_has_claimed_counts_as_sent(
    sessions: Callable[[], Session], smtp_server: SmtpServer
) -> None:
    """The digest job and the delivery process send side by side: what one has claimed
    and not yet sent must not be sent over the limit by the other."""
    _queue(sessions, "ack", 12, "a")
    clock, limits = Clock(), SendingLimits(per_minute=5)
    with sessions() as session, session.begin():
        allowance = limits.allowance(session, clock())
        claimed = claim_outgoing(
            session,
            clock(),
            claimant="other-sender",
            until=clock() + dt.timedelta(minutes=15),
            limit=10,
            urgent_limit=allowance.urgent,
            ack_limit=allowance.acks,
        )
    assert len(claimed) == 5  # in flight at the other sender

    assert _deliver(sessions, smtp_server, clock, limits).sent == 0
    assert smtp_server.messages == []


def test_without_limits_nothing_waits(
    sessions: Callable[[], Session], smtp_server: SmtpServer
) -> None:
    _queue(sessions, "ack", 35, "a")
    report = _deliver(sessions, smtp_server, Clock(), SendingLimits())
    assert report.sent == 35
    assert report.resume_after is None


def test_the_limits_come_from_the_smtp_settings() -> None:
    smtp = SmtpSettings(host="smtp.office365.com", max_per_minute=30, max_per_day=9000)
    limits = Settings(smtp=smtp).smtp.limits()
    assert (limits.per_minute, limits.per_day, limits.reserve) == (30, 9000, 900)
    assert not Settings().smtp.limits().active
    with pytest.raises(ValidationError):
        SmtpSettings(max_per_day=5)  # a tenth kept for orders would leave no room


class _Signal:
    """A wake-up signal on a pretend clock: a wait that nothing ends lets its whole
    timeout pass at once, and the test sees how long each wait was allowed to take."""

    def __init__(self) -> None:
        self.now = 0.0
        self.woken = False
        self.timeouts: list[float | None] = []

    def set(self) -> None:
        self.woken = True

    def clear(self) -> None:
        self.woken = False

    def is_set(self) -> bool:
        return self.woken

    def wait(self, timeout: float | None = None) -> bool:
        self.timeouts.append(timeout)
        if not self.woken and timeout is not None:
            self.now += timeout
        return self.woken


def test_the_delivery_loop_looks_again_when_the_limit_frees_not_after_the_retry_interval() -> None:
    wake, stop = _Signal(), threading.Event()
    rounds: list[float] = []  # when each round ran, on the pretend clock

    def deliver() -> DeliveryReport:
        rounds.append(wake.now)
        report = DeliveryReport()
        if len(rounds) == 1:
            report.sent, report.resume_after = 30, 42.0  # the minute's 30 are used
        else:
            report.sent = 12
            stop.set()
        return report

    thread = DeliveryThread(
        deliver,
        lambda: None,
        retry_seconds=3600,
        keep_open_seconds=3600,
        timer=lambda: wake.now,
        wake=wake,
        stop=stop,
    )
    wake.set()
    thread.run()

    assert rounds[:2] == [0.0, 42.0]  # the second when the room freed, not an hour later


def test_lovbots_own_sender_keeps_the_configured_limit(
    sessions: Callable[[], Session], smtp_server: SmtpServer, db_url: str
) -> None:
    _queue(sessions, "ack", 5, "a")
    settings = Settings(
        smtp=SmtpSettings(
            host="127.0.0.1", port=smtp_server.port, security="none", max_per_minute=2
        ),
        database=DatabaseSettings(url=db_url),
    )
    report = Sender(settings, sessions).deliver()
    assert report.sent == 2
    assert report.resume_after is not None and 0 < report.resume_after <= 60
    assert len(smtp_server.messages) == 2
    assert _pending(sessions) == 3
