"""``lovbot run`` with IMAP IDLE on Dovecot: one connection, woken by new mail.

Every wait here is for a condition (a thread's result, a message at the SMTP server, a
number of IDLE rounds), never a sleep.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator

import pytest
from fixtures_db import _migrated
from fixtures_imap import Dovecot, ImapAccount
from fixtures_m365 import OUTLOOK, Tenant, oauth2_server
from fixtures_smtp import SmtpServer
from mails import build_mail
from sqlalchemy import select

from intake.connections import open_configured_mailbox
from intake.cycle import CycleReport, Poller
from intake.mailbox import Mailbox, open_mailbox
from intake.scheduler import watch
from intake.settings import Settings
from store.db import make_engine, make_sessionmaker
from store.models import PollState

pytestmark = pytest.mark.imap

CLOSE = "Hej,\nDaglig verksamhet Hamnen upphör 2027-06-30.\n\nHälsningar Karin"
JOIN = 30.0  # only so that a broken test ends; nothing is timed


def settings_for(account: ImapAccount, smtp: SmtpServer, tmp_path, **poll: object) -> Settings:
    return Settings.model_validate(
        {
            "mailbox": account.settings().model_dump(),
            "smtp": {"host": "127.0.0.1", "port": smtp.port, "security": "none", "timeout": 5},
            "database": {"url": _migrated(f"sqlite:///{tmp_path / 'lovbot.db'}")},
            "senders": {"trusted_domains": ["goteborg.se"], "max_replies_per_hour": 100},
            "poll": poll,
        }
    )


def logins(caplog: pytest.LogCaptureFixture) -> int:
    """lovbot's own IMAP logins (the test's helpers log in too, so Dovecot's log cannot tell)."""
    return sum(r.getMessage().startswith("Connected to imap://") for r in caplog.records)


class Watching:
    """``watch`` in a thread; counts the waits it begins so tests can await them."""

    def __init__(self, settings: Settings, mailbox: Callable[[], Mailbox]) -> None:
        self.engine = make_engine(settings.database.url)
        self.stop = threading.Event()
        self.rounds = 0
        self.changed = threading.Condition()
        self.poller = Poller(settings, make_sessionmaker(self.engine), self._counted(mailbox))
        self.cycles: list[bool] = []  # one per finished cycle: was it a standby cycle?
        run_once = self.poller.run_once

        def counted_cycle() -> CycleReport:
            report = run_once()
            with self.changed:
                self.cycles.append(report.standby)
                self.changed.notify_all()
            return report

        self.poller.run_once = counted_cycle  # type: ignore[method-assign]
        self.thread = threading.Thread(target=watch, args=(settings, self.poller, self.stop))

    def _counted(self, factory: Callable[[], Mailbox]) -> Callable[[], Mailbox]:
        def make() -> Mailbox:
            mailbox = factory()
            idle = mailbox.idle

            def counted(seconds: float, stop: threading.Event) -> bool | None:
                with self.changed:
                    self.rounds += 1
                    self.changed.notify_all()
                return idle(seconds, stop)

            mailbox.idle = counted  # type: ignore[method-assign]
            return mailbox

        return make

    def await_rounds(self, count: int) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: self.rounds >= count, JOIN)

    def await_cycles(self, count: int) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: len(self.cycles) >= count, JOIN)

    def finish(self) -> None:
        self.stop.set()
        self.thread.join(JOIN)
        assert not self.thread.is_alive()
        self.engine.dispose()


@pytest.fixture
def watching() -> Iterator[Callable[[Settings, Callable[[], Mailbox]], Watching]]:
    started: list[Watching] = []

    def start(settings: Settings, mailbox: Callable[[], Mailbox]) -> Watching:
        started.append(Watching(settings, mailbox))
        started[-1].thread.start()
        return started[-1]

    yield start
    for one in started:
        if one.thread.is_alive():
            one.finish()


def test_idle_returns_when_mail_arrives(imap_account: ImapAccount) -> None:
    mailbox = open_mailbox(imap_account.settings())
    result: list[bool | None] = []
    with mailbox:
        mailbox.select("INBOX")
        waiter = threading.Thread(
            target=lambda: result.append(mailbox.idle(600, threading.Event()))
        )
        waiter.start()
        imap_account.append(build_mail("Ny post"))
        waiter.join(JOIN)
    assert result == [True]


def test_idle_is_none_where_the_server_lacks_it(
    dovecot: Dovecot, imap_account: ImapAccount
) -> None:
    account = imap_account.on(dovecot.variant(without=frozenset({"IDLE"})))
    with open_mailbox(account.settings()) as mailbox:
        mailbox.select("INBOX")
        assert mailbox.idle(600, threading.Event()) is None


def test_run_answers_new_mail_on_one_connection(
    imap_account: ImapAccount,
    smtp_server: SmtpServer,
    tmp_path,
    watching,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="intake.mailbox.imap")
    settings = settings_for(imap_account, smtp_server, tmp_path)
    imap_account.append(build_mail(CLOSE, message_id="<foere@funktionsstod.goteborg.se>"))
    run = watching(settings, lambda: open_mailbox(settings.mailbox))
    acks = lambda: [m for m in smtp_server.messages if m["In-Reply-To"]]  # noqa: E731

    run.await_rounds(1)  # the first mail is answered; the loop has been in IDLE once
    imap_account.append(build_mail(CLOSE, message_id="<under@funktionsstod.goteborg.se>"))
    with smtp_server.recorder.arrived:
        smtp_server.recorder.arrived.wait_for(lambda: len(acks()) >= 2, JOIN)
    run.finish()

    assert sorted(str(m["In-Reply-To"]) for m in acks()) == [
        "<foere@funktionsstod.goteborg.se>",
        "<under@funktionsstod.goteborg.se>",
    ]
    assert len(imap_account.uids("Behandlat")) == 2
    assert logins(caplog) == 1


def test_idle_is_renewed_with_a_cycle_between(
    imap_account: ImapAccount,
    smtp_server: SmtpServer,
    tmp_path,
    watching,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="intake.mailbox.imap")
    settings = settings_for(imap_account, smtp_server, tmp_path, idle_renew_seconds=1)
    run = watching(settings, lambda: open_mailbox(settings.mailbox))

    run.await_rounds(3)
    run.finish()

    assert logins(caplog) == 1
    with run.poller.sessions() as session:
        state = session.scalars(select(PollState)).one()
        assert state.last_success_at is not None


def test_without_idle_run_polls_on_the_interval(
    dovecot: Dovecot, imap_account: ImapAccount, smtp_server: SmtpServer, tmp_path, watching
) -> None:
    account = imap_account.on(dovecot.variant(without=frozenset({"IDLE"})))
    settings = settings_for(account, smtp_server, tmp_path)
    account.append(build_mail(CLOSE))
    run = watching(settings, lambda: open_mailbox(settings.mailbox))

    run.await_rounds(1)
    run.finish()

    assert len(account.uids("Behandlat")) == 1


def test_a_session_kicked_in_idle_reconnects_with_one_new_token_and_reads_on(
    dovecot: Dovecot,
    tenant: Tenant,
    imap_account: ImapAccount,
    smtp_server: SmtpServer,
    tmp_path,
    watching,
) -> None:
    server = oauth2_server(dovecot, tenant)
    app = tenant.add_app(imap_account.username)
    settings = settings_for(imap_account, smtp_server, tmp_path)
    settings = settings.model_copy(
        update={
            "mailbox": settings.mailbox.model_copy(
                update={"auth": "oauth2", "port": server.tls_port, "security": "ssl"}
            ),
            "smtp": settings.smtp.model_copy(update={"auth": "password"}),
            "oauth2": tenant.settings(app),
        }
    )
    run = watching(settings, lambda: open_configured_mailbox(settings))
    run.await_rounds(1)
    assert tenant.issued[OUTLOOK] == 1

    # Stands in for Exchange's "* BYE Session invalidated - AccessTokenExpired".
    server.kick(imap_account.username)
    run.await_rounds(2)  # the loop came back and waits again
    imap_account.append(build_mail(CLOSE, message_id="<efter@funktionsstod.goteborg.se>"))
    with smtp_server.recorder.arrived:
        assert smtp_server.recorder.arrived.wait_for(
            lambda: any(m["In-Reply-To"] for m in smtp_server.recorder.messages()), JOIN
        )
    run.finish()

    assert tenant.issued[OUTLOOK] == 2
    assert len(imap_account.uids("Behandlat")) == 1


def test_a_standby_run_waits_without_idling_while_the_active_one_reads(
    imap_account: ImapAccount, smtp_server: SmtpServer, tmp_path, watching
) -> None:
    settings = settings_for(imap_account, smtp_server, tmp_path)
    active = watching(settings, lambda: open_mailbox(settings.mailbox))
    active.await_rounds(1)
    standby = watching(settings, lambda: open_mailbox(settings.mailbox))
    standby.await_cycles(1)

    imap_account.append(build_mail(CLOSE, message_id="<aktiv@funktionsstod.goteborg.se>"))
    with smtp_server.recorder.arrived:
        assert smtp_server.recorder.arrived.wait_for(
            lambda: any(m["In-Reply-To"] for m in smtp_server.recorder.messages()), JOIN
        )
    standby.finish()
    active.finish()

    assert standby.cycles == [True]
    assert standby.rounds == 0  # never in IDLE: it holds no connection
    assert len(imap_account.uids("Behandlat")) == 1
