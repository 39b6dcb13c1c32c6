"""Nothing lost, nothing doubled: SIGKILL mid-batch, a dropped IMAP connection, a dropped
database connection — each followed by a run that finishes the work exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures_imap import ImapAccount
from fixtures_smtp import SmtpServer
from mails import build_mail
from sqlalchemy import Engine, func, select, text

from intake.cycle import Poller
from intake.mailbox import open_mailbox
from intake.settings import DatabaseSettings, SendersSettings, Settings, SmtpSettings
from store.db import make_engine, make_sessionmaker
from store.models import Case, MailMessage, OutgoingMail

LOVBOT = str(Path(sys.executable).parent / "lovbot")


def notice(i: int) -> bytes:
    # Capacity notices route to EKU only: one outgoing mail (the acknowledgement) each.
    return build_mail(
        f"Hej,\nVi har nått kapacitetstaket på Daglig verksamhet Hamnen {i} från 2027-04-01.",
        subject=f"Kapacitet Hamnen {i}",
        message_id=f"<crash-{i}@funktionsstod.goteborg.se>",
    )


def write_config(path: Path, account: ImapAccount, smtp: SmtpServer, db_url: str) -> Path:
    path.write_text(
        f"""
[mailbox]
kind = "imap"
host = "{account.host}"
port = {account.port}
security = "none"
username = "{account.username}"
password = "{account.password}"
timeout = 10
batch_size = 10

[smtp]
host = "127.0.0.1"
port = {smtp.port}
security = "none"

[database]
url = "{db_url}"

[senders]
trusted_domains = ["goteborg.se"]
max_replies_per_hour = 1000
""",
        encoding="utf-8",
    )
    return path


def recorded(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(MailMessage)) or 0)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def assert_each_processed_once(
    engine: Engine, account: ImapAccount, smtp: SmtpServer, n: int, *, in_flight: int = 0
) -> None:
    """Every message recorded, moved and acknowledged once.

    ``in_flight``: acknowledgements a SIGKILL may have caught between the SMTP server's
    250 and our commit of "sent"; SMTP cannot tell us whether it took them, so they are
    sent again after the restart (at least once, never lost). One per kill at most: the
    delivery thread hands over one mail at a time.
    """
    with engine.connect() as connection:
        ids = connection.scalars(select(MailMessage.message_id)).all()
        cases = connection.scalar(select(func.count()).select_from(Case))
        acks = connection.scalar(
            select(func.count()).select_from(OutgoingMail).where(OutgoingMail.purpose == "ack")
        )
    assert sorted(ids) == sorted(f"<crash-{i}@funktionsstod.goteborg.se>" for i in range(n))
    assert cases == n
    assert acks == n
    assert account.uids("INBOX") == []
    assert len(account.uids("Behandlat")) == n
    replies = smtp.wait_for(n)
    answered = Counter(str(m["In-Reply-To"]) for m in replies)
    assert sorted(answered) == sorted(ids)
    assert sum(count - 1 for count in answered.values()) <= in_flight


def test_sigkill_mid_batch_loses_nothing_and_doubles_nothing(
    imap_account: ImapAccount,
    smtp_server: SmtpServer,
    db_url: str,
    engine: Engine,
    tmp_path: Path,
) -> None:
    n = 150
    for i in range(n):
        imap_account.append(notice(i))
    config = write_config(tmp_path / "lovbot.toml", imap_account, smtp_server, db_url)
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}

    process = subprocess.Popen(
        [LOVBOT, "--config", str(config), "poll", "--once"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while recorded(engine) < 12 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    at_kill = recorded(engine)
    assert 0 < at_kill < n, f"the kill did not land mid-batch ({at_kill} of {n} recorded)"

    finished = subprocess.run(
        [LOVBOT, "--config", str(config), "poll", "--once"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert finished.returncode == 0, finished.stderr
    assert_each_processed_once(engine, imap_account, smtp_server, n, in_flight=1)


def make_settings(account: ImapAccount, smtp: SmtpServer, db_url: str) -> Settings:
    return Settings(
        mailbox=account.settings(batch_size=5),
        smtp=SmtpSettings(host="127.0.0.1", port=smtp.port, security="none", timeout=5),
        database=DatabaseSettings(url=db_url),
        senders=SendersSettings(trusted_domains=["goteborg.se"], max_replies_per_hour=1000),
    )


def test_dropped_imap_connection_resumes_where_it_was(
    imap_account: ImapAccount, smtp_server: SmtpServer, db_url: str, engine: Engine
) -> None:
    n = 20
    for i in range(n):
        imap_account.append(notice(i))
    settings = make_settings(imap_account, smtp_server, db_url)
    kicked: list[int] = []

    def kick_once(done: int, total: int) -> None:
        if done >= 7 and not kicked:  # progress comes per batch of 5
            kicked.append(done)
            imap_account.server.kick(imap_account.username)  # the server drops us, for real

    poller = Poller(
        settings,
        make_sessionmaker(engine),
        lambda: open_mailbox(settings.mailbox),
        progress=kick_once,
        retry_wait=lambda seconds: False,
    )
    poller.run_once()

    assert kicked
    assert_each_processed_once(engine, imap_account, smtp_server, n)


def test_dropped_database_connection_is_retried(
    imap_account: ImapAccount, smtp_server: SmtpServer, pg_url: str
) -> None:
    # Only a server has connections to drop; SQLite is a file.
    db_url = pg_url
    engine = make_engine(db_url)
    n = 12
    for i in range(n):
        imap_account.append(notice(i))
    settings = make_settings(imap_account, smtp_server, db_url)
    dropped: list[int] = []

    def drop_connections(done: int, total: int) -> None:
        if done == 5 and not dropped:
            with engine.connect() as admin:
                dropped.append(
                    len(
                        admin.execute(
                            text(
                                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                            )
                        ).all()
                    )
                )
                admin.commit()

    poller_engine = make_engine(db_url)
    try:
        poller = Poller(
            settings,
            make_sessionmaker(poller_engine),
            lambda: open_mailbox(settings.mailbox),
            progress=drop_connections,
            retry_wait=lambda seconds: False,
        )
        poller.run_once()
    finally:
        poller_engine.dispose()

    try:
        assert dropped and dropped[0] >= 1
        assert_each_processed_once(engine, imap_account, smtp_server, n)
    finally:
        engine.dispose()
