"""Whole poll cycles signed in app-only: IMAPS and SMTP with XOAUTH2, one token for all."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

import pytest
from fixtures_db import _migrated
from fixtures_imap import Dovecot, ImapAccount
from fixtures_m365 import OUTLOOK, SmtpOAuthServer, Tenant, oauth2_server
from mails import build_mail

from intake.connections import open_configured_mailbox
from intake.cycle import Poller
from intake.settings import Settings
from store.db import make_engine, make_sessionmaker

pytestmark = pytest.mark.imap

CLOSE = "Hej,\nDaglig verksamhet Hamnen upphör 2027-06-30.\n\nHälsningar Karin"


@pytest.fixture
def poller(
    dovecot: Dovecot,
    tenant: Tenant,
    smtp_oauth: SmtpOAuthServer,
    imap_account: ImapAccount,
    tmp_path,
) -> Iterator[Poller]:
    server = oauth2_server(dovecot, tenant)
    app = tenant.add_app(imap_account.username)
    settings = Settings.model_validate(
        {
            "mailbox": {
                "kind": "imap",
                "auth": "oauth2",
                "host": "127.0.0.1",
                "port": server.tls_port,
                "security": "ssl",
                "username": imap_account.username,
                "timeout": 10,
            },
            "smtp": {
                "host": "127.0.0.1",
                "port": smtp_oauth.port,
                "security": "starttls",
                "username": imap_account.username,
                "from_address": imap_account.username,
                "timeout": 10,
            },
            "oauth2": tenant.settings(app),
            "database": {"url": _migrated(f"sqlite:///{tmp_path / 'lovbot.db'}")},
            "senders": {"trusted_domains": ["goteborg.se"], "max_replies_per_hour": 100},
        }
    )
    engine = make_engine(settings.database.url)
    yield Poller(
        settings,
        make_sessionmaker(engine),
        lambda: open_configured_mailbox(settings),
        retry_wait=lambda seconds: False,
    )
    engine.dispose()


def test_several_cycles_read_and_answer_with_one_token(
    poller: Poller,
    tenant: Tenant,
    smtp_oauth: SmtpOAuthServer,
    imap_account: ImapAccount,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    for cycle in range(3):
        imap_account.append(build_mail(CLOSE.replace("Hamnen", f"Hamnen {cycle}")))
        report = poller.run_once()
        assert (report.processed, report.failed) == (1, 0)

    assert len(imap_account.uids("Behandlat")) == 3
    assert len([m for m in smtp_oauth.messages if m["In-Reply-To"]]) == 3
    assert tenant.issued[OUTLOOK] == 1
    # Neither the secret nor any token ever reaches a log line.
    app = next(iter(tenant.apps.values()))
    logged = caplog.text
    assert app.secret not in logged
    assert "eyJ" not in logged  # every JWT starts so


def test_a_session_ended_mid_cycle_reconnects_with_exactly_one_new_token(
    poller: Poller, tenant: Tenant, dovecot: Dovecot, imap_account: ImapAccount
) -> None:
    imap_account.append(build_mail(CLOSE))
    assert poller.run_once().processed == 1
    server = oauth2_server(dovecot, tenant)
    kicked: list[bool] = []
    original = poller.mailbox_factory

    def kick_after_connect():
        mailbox = original()
        connect = mailbox.connect

        def connect_then_get_kicked() -> None:
            connect()
            if not kicked:
                kicked.append(True)
                server.kick(imap_account.username)
                # Wait for the BYE (a command sent before the server acts on the kick
                # may still be answered); the session is gone when this raises.
                mailbox.select("INBOX")
                mailbox.idle(60, threading.Event())

        mailbox.connect = connect_then_get_kicked  # type: ignore[method-assign]
        return mailbox

    poller.mailbox_factory = kick_after_connect
    imap_account.append(build_mail(CLOSE.replace("Hamnen", "Eken")))

    report = poller.run_once()

    assert kicked and report.processed == 1
    assert tenant.issued[OUTLOOK] == 2
