"""Two pollers on one mailbox: active and standby, quiet and truthful (issue 8 item 8).

Real Dovecot, aiosmtpd, SQLite and PostgreSQL. The second poller waits for the mailbox's
lock (an advisory lock on PostgreSQL, a file lock beside SQLite) and says so once; what
the other poller recorded is not reported as a failure, and a message someone else
expunged mid-cycle does not stop the cycle.
"""

from __future__ import annotations

import imaplib
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from fixtures_imap import ImapAccount
from fixtures_smtp import SmtpServer
from mails import build_mail
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session
from test_poll_imap import make_settings

import intake.cycle
from intake.cycle import Poller
from intake.mailbox import FetchedMessage, ImapMailbox, open_mailbox
from intake.settings import Settings
from store.db import make_engine, make_sessionmaker
from store.models import MailMessage
from store.repository import get_poll_state

pytestmark = pytest.mark.imap

CLOSE = "Hej,\nDaglig verksamhet Hamnen {n} upphör 2027-06-30.\n\nHälsningar Karin"


def notice(n: int) -> bytes:
    return build_mail(CLOSE.format(n=n), subject=f"Avslut {n}", message_id=f"<two-{n}@x.se>")


@pytest.fixture
def pollers() -> Iterator[Callable[[Settings], Poller]]:
    made: list[tuple[Poller, Engine]] = []

    def factory(settings: Settings) -> Poller:
        engine = make_engine(settings.database.url)
        poller = Poller(
            settings,
            make_sessionmaker(engine),
            lambda: open_mailbox(settings.mailbox),
            retry_wait=lambda seconds: False,
        )
        made.append((poller, engine))
        return poller

    yield factory
    for poller, engine in made:
        poller.close()
        engine.dispose()


def recorded(engine_url: str) -> int:
    engine = make_engine(engine_url)
    try:
        with engine.connect() as connection:
            return int(connection.scalar(select(func.count()).select_from(MailMessage)) or 0)
    finally:
        engine.dispose()


def test_a_second_poller_waits_as_standby_and_says_so_once(
    imap_account: ImapAccount,
    smtp_server: SmtpServer,
    db_url: str,
    pollers: Callable[[Settings], Poller],
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = make_settings(imap_account, smtp_server, db_url)
    active, standby = pollers(settings), pollers(settings)
    imap_account.append(notice(1))
    assert active.run_once().processed == 1
    imap_account.append(notice(2))

    with caplog.at_level(logging.WARNING, logger="intake.cycle"):
        first, second = standby.run_once(), standby.run_once()

    assert first.standby and second.standby
    assert (first.processed, second.processed) == (0, 0)
    assert "Väntar i reserv" in first.summary()
    waiting = [r for r in caplog.records if "väntar i reserv" in r.getMessage()]
    assert len(waiting) == 1
    assert len(imap_account.uids("INBOX")) == 1  # the standby touched nothing

    active.close()  # the active lovbot stops
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="intake.cycle"):
        took_over = standby.run_once()

    assert not took_over.standby and took_over.processed == 1
    assert any("hämtar nu posten" in r.getMessage() for r in caplog.records)
    assert recorded(db_url) == 2


def test_a_message_the_other_poller_recorded_is_not_a_failure(
    imap_account: ImapAccount,
    smtp_server: SmtpServer,
    db_url: str,
    pollers: Callable[[Settings], Poller],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The race the lock prevents, injected: the other poller commits the same message
    after this one looked for it and before this one commits."""
    imap_account.append(notice(1))
    settings = make_settings(imap_account, smtp_server, db_url)
    poller = pollers(settings)
    other_engine = make_engine(db_url)
    other = make_sessionmaker(other_engine)
    real_find = intake.cycle.recorded_uids
    raced: list[int] = []

    def find_then_lose_the_race(
        session: Session, mailbox: str, folder: str, uidvalidity: int, uids: list[int]
    ) -> set[int]:
        if not raced:
            uid = uids[0]
            raced.append(uid)
            with other() as session2, session2.begin():
                session2.add(
                    MailMessage(
                        mailbox=mailbox,
                        folder=folder,
                        uidvalidity=uidvalidity,
                        uid=uid,
                        sha256="0" * 64,
                        state="processed",
                        target_folder="Behandlat",
                    )
                )
            return set()
        return real_find(session, mailbox, folder, uidvalidity, uids)

    monkeypatch.setattr(intake.cycle, "recorded_uids", find_then_lose_the_race)
    with caplog.at_level(logging.INFO):
        report = poller.run_once()

    assert raced
    assert (report.processed, report.failed) == (0, 0)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Databasen svarar inte" not in logged
    assert " failed" not in logged
    with other() as session:
        states = session.scalars(select(MailMessage.state)).all()
    other_engine.dispose()
    assert states == ["processed"]


def test_poll_state_is_created_once_when_two_pollers_start_together(pg_url: str) -> None:
    """The second INSERT waits for the first transaction; it must not then fail."""
    engine_a, engine_b = make_engine(pg_url), make_engine(pg_url)
    errors: list[BaseException] = []
    try:
        a, b = make_sessionmaker(engine_a), make_sessionmaker(engine_b)
        with a() as first, first.begin():
            get_poll_state(first, "imap://lov@server:993", "INBOX")

            def start_second() -> None:
                try:
                    with b() as second, second.begin():
                        get_poll_state(second, "imap://lov@server:993", "INBOX")
                except BaseException as err:
                    errors.append(err)

            thread = threading.Thread(target=start_second)
            thread.start()
            _wait_for_a_blocked_backend(engine_a)
        thread.join()
    finally:
        engine_a.dispose()
        engine_b.dispose()
    assert errors == []


def _wait_for_a_blocked_backend(engine: Engine) -> None:
    """Until some other session of this database waits for a lock."""
    event = threading.Event()
    with engine.connect() as connection:
        while not event.is_set():
            waiting = connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'"
                )
            )
            connection.rollback()
            if waiting:
                event.set()
            else:
                event.wait(0.01)


class _OtherSessionExpunges(ImapMailbox):
    """Someone (Outlook, the other poller) moves a message away between SEARCH and FETCH,
    and the server answers the FETCH ``NO [EXPUNGEISSUED]`` (RFC 5530), as Dovecot does
    when the message's file is gone before this session heard of the expunge. Dovecot
    shows that only under load, so the answer itself is injected."""

    def __init__(self, account: ImapAccount, settings: Settings) -> None:
        super().__init__(settings.mailbox)
        self.account = account

    def fetch(self, uids: Sequence[int]) -> list[FetchedMessage]:
        with self.account.client() as client:
            client.select_folder("INBOX")
            client.move([min(uids)], "Behandlat")
        assert self._client is not None
        real_fetch = self._client.fetch

        def fetch_once_refused(*args: Any, **kwargs: Any) -> Any:
            self._client.fetch = real_fetch  # type: ignore[union-attr]
            raise imaplib.IMAP4.error(
                "UID FETCH: [EXPUNGEISSUED] Some of the requested messages no longer exist"
            )

        self._client.fetch = fetch_once_refused  # type: ignore[method-assign]
        return super().fetch(uids)


def test_a_message_expunged_by_someone_else_mid_cycle_does_not_fail_the_poll(
    imap_account: ImapAccount, smtp_server: SmtpServer, db_url: str
) -> None:
    for n in (1, 2, 3):
        imap_account.append(notice(n))
    settings = make_settings(imap_account, smtp_server, db_url)
    engine = make_engine(db_url)
    try:
        poller = Poller(
            settings,
            make_sessionmaker(engine),
            lambda: _OtherSessionExpunges(imap_account, settings),
            retry_wait=lambda seconds: False,
        )
        report = poller.run_once()
        poller.close()
    finally:
        engine.dispose()
    assert (report.processed, report.failed) == (2, 0)
    assert imap_account.uids("INBOX") == []


def test_when_the_active_pollers_connection_dies_the_standby_takes_over(
    imap_account: ImapAccount,
    smtp_server: SmtpServer,
    pg_url: str,
    pollers: Callable[[Settings], Poller],
) -> None:
    """A crashed or cut-off active lovbot holds nothing: the lock went with its session."""
    settings = make_settings(imap_account, smtp_server, pg_url)
    active, standby = pollers(settings), pollers(settings)
    imap_account.append(notice(1))
    assert active.run_once().processed == 1
    assert standby.run_once().standby

    admin = make_engine(pg_url)
    try:
        with admin.connect() as connection:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks "
                    "WHERE locktype = 'advisory' AND granted"
                )
            )
            connection.commit()
    finally:
        admin.dispose()
    imap_account.append(notice(2))

    took_over = standby.run_once()
    back = active.run_once()

    assert not took_over.standby and took_over.processed == 1
    assert back.standby  # the old active finds the lock taken and waits in turn
