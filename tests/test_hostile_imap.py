"""Issue 8.3, 8.4, 8.5 against the real servers: Dovecot's INTERNALDATE stands in for an
absurd Date, the acknowledgement goes over SMTP to the address in the angle brackets, and
its thread headers carry no personnummer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from fixtures_imap import ImapAccount
from fixtures_smtp import SmtpServer
from hostile import PERSONNUMMER_SERIALS, raw_mail
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from intake.cycle import Poller
from intake.mailbox import open_mailbox
from intake.settings import DatabaseSettings, SendersSettings, Settings, SmtpSettings
from store.db import make_engine, make_sessionmaker
from store.models import Case, MailMessage

pytestmark = pytest.mark.imap

# In the past: Dovecot replaces an APPEND date in the future with its own clock.
ARRIVED = dt.datetime(2026, 3, 1, 10, 15, tzinfo=dt.UTC)


@pytest.fixture
def sessions_for(db_url: str) -> Iterator[Callable[[], Session]]:
    engines: list[Engine] = [make_engine(db_url)]
    yield make_sessionmaker(engines[0])
    engines[0].dispose()


def test_a_forged_looking_mail_is_read_as_rfc_5322_says_over_imap_and_smtp(
    imap_account: ImapAccount,
    smtp_server: SmtpServer,
    db_url: str,
    sessions_for: Callable[[], Session],
) -> None:
    raw = raw_mail(
        "Hej!\r\nDaglig verksamhet Hamnen upphör 2027-06-30.\r\n",
        sender="=?utf-8?Q?Karin:=20x@evil.example?= <karin.ek@vastra.goteborg.se>",
        date="Fri, 31 Dec 9999 23:59:59 +0000",
        message_id="<850709-9805.2027@verksamhet.goteborg.se>",
        subject="Avslut, gäller 850709 9805",
    )
    imap_account.append(raw, internal_date=ARRIVED)
    settings = Settings.model_validate(
        {
            "mailbox": imap_account.settings(),
            "smtp": SmtpSettings(host="127.0.0.1", port=smtp_server.port, security="none"),
            "database": DatabaseSettings(url=db_url),
            "senders": SendersSettings(trusted_domains=["goteborg.se"]),
        }
    )
    poller = Poller(
        settings, sessions_for, lambda: open_mailbox(settings.mailbox), retry_wait=lambda s: False
    )

    report = poller.run_once()

    assert (report.processed, report.failed) == (1, 0)
    assert len(imap_account.uids("Behandlat")) == 1
    with sessions_for() as session:
        row = session.scalars(select(MailMessage)).one()
        assert row.received_at == ARRIVED  # the server's date, not year 9999
        case = session.scalars(select(Case)).one()
        assert case.status == "complete"  # notice counted from the server's date
        assert case.sender == "karin.ek@vastra.goteborg.se"
    [ack] = [m for m in smtp_server.wait_for(3) if m["In-Reply-To"] is not None]
    assert str(ack["To"]) == "karin.ek@vastra.goteborg.se"
    assert str(ack["In-Reply-To"]) == "<850709-****.2027@verksamhet.goteborg.se>"
    assert "850709 ****" in str(ack["Subject"])
    text = ack.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert [s for s in PERSONNUMMER_SERIALS if s in text + str(ack["References"])] == []
