"""The whole intake path against real servers: Dovecot, aiosmtpd, SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from email.header import Header
from email.message import Message

import pytest
from fixtures_imap import ImapAccount
from fixtures_smtp import SmtpServer
from mails import build_mail
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from intake.cycle import Poller
from intake.mailbox import open_mailbox
from intake.settings import (
    DatabaseSettings,
    RoutingSettings,
    SendersSettings,
    Settings,
    SmtpSettings,
)
from store.db import make_engine, make_sessionmaker
from store.models import Case, MailMessage, OutgoingMail, PollState, Task

CLOSE = "Hej,\nDaglig verksamhet Hamnen upphör 2027-06-30.\n\nHälsningar Karin"
RENAME_NO_DATE = "Hej!\nVi vill byta namn på Daglig verksamhet Eken till Daglig verksamhet Almen."


def make_settings(
    account: ImapAccount, smtp: SmtpServer, db_url: str, **sections: object
) -> Settings:
    values: dict[str, object] = {
        "mailbox": account.settings(batch_size=7),
        "smtp": SmtpSettings(host="127.0.0.1", port=smtp.port, security="none", timeout=5),
        "database": DatabaseSettings(url=db_url),
        "senders": SendersSettings(trusted_domains=["goteborg.se"], max_replies_per_hour=100),
    }
    values.update(sections)
    return Settings.model_validate(values)


PollerFactory = Callable[[Settings], tuple[Poller, Callable[[], Session]]]


@pytest.fixture
def make_poller() -> Iterator[PollerFactory]:
    engines: list[Engine] = []

    def factory(settings: Settings) -> tuple[Poller, Callable[[], Session]]:
        engines.append(make_engine(settings.database.url))
        sessions = make_sessionmaker(engines[-1])
        poller = Poller(
            settings,
            sessions,
            lambda: open_mailbox(settings.mailbox),
            retry_wait=lambda seconds: False,
        )
        return poller, sessions

    yield factory
    for engine in engines:
        engine.dispose()


def acks(messages: list[Message]) -> list[Message]:
    """Acknowledgements only (complete cases also send orders to system owners)."""
    return [m for m in messages if m["In-Reply-To"] is not None]


def count(sessions: Callable[[], Session], model: type, *where: object) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_batch_processed_once_moved_and_acknowledged_once(
    imap_account: ImapAccount,
    smtp_server: SmtpServer,
    db_url: str,
    make_poller: PollerFactory,
) -> None:
    ids = [f"<batch-{i}@funktionsstod.goteborg.se>" for i in range(16)]
    for i, message_id in enumerate(ids):
        body = CLOSE.replace("Hamnen", f"Hamnen {i + 1}")
        imap_account.append(build_mail(body, subject=f"Avslut {i}", message_id=message_id))
    settings = make_settings(imap_account, smtp_server, db_url)
    poller, sessions = make_poller(settings)

    report = poller.run_once()

    assert (report.new, report.processed, report.failed) == (16, 16, 0)
    assert imap_account.uids("INBOX") == []
    assert len(imap_account.uids("Behandlat")) == 16
    replies = acks(smtp_server.wait_for(16 * 3))
    assert sorted(str(m["In-Reply-To"]) for m in replies) == sorted(ids)
    for ack in replies:
        assert ack["Auto-Submitted"] == "auto-replied"
        assert ack["X-Auto-Response-Suppress"] == "All"
        assert "[LOV-2027-" in str(ack["Subject"])
        assert str(ack["To"]) == "anna.lind@funktionsstod.goteborg.se"
        text = ack.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert "Gäller från: 2027-06-30" in text
    assert count(sessions, Case) == 16
    assert count(sessions, OutgoingMail, OutgoingMail.state == "sent") == 16 * 3

    again = poller.run_once()

    assert (again.new, again.processed) == (0, 0)
    assert len(smtp_server.messages) == 16 * 3
    assert count(sessions, MailMessage) == 16


def test_idle_poll_is_one_search_from_the_watermark(
    imap_account: ImapAccount,
    smtp_server: SmtpServer,
    db_url: str,
    make_poller: PollerFactory,
) -> None:
    for i in range(3):
        imap_account.append(build_mail(CLOSE, message_id=f"<idle-{i}@goteborg.se>"))
    settings = make_settings(imap_account, smtp_server, db_url)
    poller, _ = make_poller(settings)
    poller.run_once()

    with imap_account.recorded_commands() as commands:
        poller.run_once()

    searches = [c for c in commands if c.upper().startswith("UID SEARCH")]
    assert len(searches) == 1
    assert not [c for c in commands if "FETCH" in c.upper()]


def test_garbage_is_quarantined_and_the_next_message_processed(
    imap_account: ImapAccount,
    smtp_server: SmtpServer,
    db_url: str,
    make_poller: PollerFactory,
) -> None:
    imap_account.append(b"\x00\x01 this is not mail at all \xff\xfe")
    imap_account.append(build_mail(CLOSE, message_id="<after-garbage@goteborg.se>"))
    settings = make_settings(imap_account, smtp_server, db_url)
    poller, sessions = make_poller(settings)

    report = poller.run_once()

    assert (report.failed, report.processed) == (1, 1)
    assert len(imap_account.uids("Karantän")) == 1
    assert len(imap_account.uids("Behandlat")) == 1
    with sessions() as session:
        failed = session.scalars(select(MailMessage).where(MailMessage.state == "failed")).one()
        assert failed.error and "e-posthuvud" in failed.error
        assert [failed.raw] == imap_account.messages("Karantän")
    assert len(acks(smtp_server.wait_for(3))) == 1


@pytest.mark.parametrize(
    "headers,sender,subject",
    [
        (
            {"Auto-Submitted": "auto-replied"},
            "karin.ek@funktionsstod.goteborg.se",
            "Automatiskt svar",
        ),
        ({}, "MAILER-DAEMON@mx.goteborg.se", "Undelivered Mail Returned to Sender"),
        ({"Precedence": "bulk"}, "nyhetsbrev@goteborg.se", "Nyhetsbrev"),
        ({"List-Id": "<lov.lists.goteborg.se>"}, "lista@goteborg.se", "Veckobrev"),
        ({"Return-Path": "<>"}, "system@goteborg.se", "Rapport"),
        ({}, "LOV@stadshuset.goteborg.se", "Vårt eget brev"),
    ],
)
def test_automated_mail_is_recorded_and_never_answered(
    imap_account: ImapAccount,
    smtp_server: SmtpServer,
    db_url: str,
    headers: dict[str, str],
    sender: str,
    subject: str,
    make_poller: PollerFactory,
) -> None:
    imap_account.append(build_mail(CLOSE, sender=sender, subject=subject, headers=headers))
    imap_account.append(build_mail(CLOSE, message_id="<human@funktionsstod.goteborg.se>"))
    settings = make_settings(imap_account, smtp_server, db_url)
    poller, sessions = make_poller(settings)

    poller.run_once()

    assert count(sessions, MailMessage) == 2
    replies = acks(smtp_server.wait_for(3))
    assert [str(m["In-Reply-To"]) for m in replies] == ["<human@funktionsstod.goteborg.se>"]
    with sessions() as session:
        quiet = session.scalars(
            select(MailMessage).where(MailMessage.message_id != "<human@funktionsstod.goteborg.se>")
        ).one()
        assert quiet.replied != "ack"
    assert count(sessions, OutgoingMail, OutgoingMail.purpose == "ack") == 1


def test_crlf_in_an_encoded_subject_does_not_break_the_reply(
    imap_account: ImapAccount,
    smtp_server: SmtpServer,
    db_url: str,
    make_poller: PollerFactory,
) -> None:
    evil = Header("Avslut\r\nBcc: victim@example.com\r\nX-Evil: 1", "utf-8").encode()
    raw = build_mail(CLOSE, subject="placeholder").replace(
        b"Subject: placeholder", b"Subject: " + evil.encode()
    )
    imap_account.append(raw)
    settings = make_settings(imap_account, smtp_server, db_url)
    poller, _ = make_poller(settings)

    poller.run_once()

    (ack,) = acks(smtp_server.wait_for(3))
    assert all(m["Bcc"] is None for m in smtp_server.messages)
    assert "victim@example.com" not in {r for rcpts in smtp_server.recipients for r in rcpts}
    assert ack["Bcc"] is None and ack["X-Evil"] is None
    assert "\n" not in str(ack["Subject"]) and "\r" not in str(ack["Subject"])
    assert "[LOV-2027-" in str(ack["Subject"])


def test_smtp_down_then_back_sends_each_reply_once(
    imap_account: ImapAccount,
    smtp_server: SmtpServer,
    db_url: str,
    make_poller: PollerFactory,
) -> None:
    for i in range(3):
        imap_account.append(build_mail(CLOSE, message_id=f"<down-{i}@goteborg.se>"))
    settings = make_settings(imap_account, smtp_server, db_url)
    poller, sessions = make_poller(settings)
    smtp_server.stop()

    report = poller.run_once()

    assert report.processed == 3
    assert report.delivery.deferred == 9
    assert len(imap_account.uids("Behandlat")) == 3
    assert count(sessions, OutgoingMail, OutgoingMail.state == "pending") == 9

    smtp_server.start()
    with sessions() as session, session.begin():
        for row in session.scalars(select(OutgoingMail)):
            row.next_attempt_at = dt.datetime.now(dt.UTC)  # the backoff has passed
    poller.run_once()
    poller.run_once()

    replies = acks(smtp_server.wait_for(9))
    assert sorted(str(m["In-Reply-To"]) for m in replies) == [
        f"<down-{i}@goteborg.se>" for i in range(3)
    ]
    assert len(smtp_server.messages) == 9
    assert count(sessions, OutgoingMail, OutgoingMail.state == "sent") == 9


def test_changed_uidvalidity_neither_drops_nor_doubles_mail(
    imap_account: ImapAccount,
    smtp_server: SmtpServer,
    db_url: str,
    make_poller: PollerFactory,
) -> None:
    raws = [build_mail(CLOSE, message_id=f"<uv-{i}@goteborg.se>") for i in range(3)]
    for raw in raws:
        imap_account.append(raw)
    settings = make_settings(imap_account, smtp_server, db_url)
    poller, sessions = make_poller(settings)
    poller.run_once()
    # The server renumbers: the same mail shows up again under new UIDs, plus one new mail.
    for raw in raws:
        imap_account.append(raw)
    imap_account.append(build_mail(CLOSE, message_id="<uv-new@goteborg.se>"))
    with sessions() as session, session.begin():
        session.scalars(select(PollState)).one().uidvalidity = 1

    report = poller.run_once()

    assert report.uidvalidity_changed
    assert (report.duplicates, report.processed) == (3, 1)
    assert count(sessions, Case) == 4
    assert len(acks(smtp_server.wait_for(12))) == 4
    assert imap_account.uids("INBOX") == []


def test_follow_up_completes_the_case_and_orders_go_out(
    imap_account: ImapAccount,
    smtp_server: SmtpServer,
    db_url: str,
    make_poller: PollerFactory,
) -> None:
    imap_account.append(
        build_mail(RENAME_NO_DATE, subject="Namnbyte", message_id="<rename-1@goteborg.se>")
    )
    settings = make_settings(
        imap_account,
        smtp_server,
        db_url,
        routing=RoutingSettings(intraservice="intra@goteborg.se", kom="kom@goteborg.se"),
    )
    poller, sessions = make_poller(settings)
    poller.run_once()
    (first_ack,) = smtp_server.wait_for(1)
    assert "Vi hittar inget datum" in first_ack.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    with sessions() as session:
        case = session.scalars(select(Case)).one()
        assert case.status == "awaiting_information"

    reply = build_mail(
        "Det nya namnet gäller från och med 1 juni 2027.\n\n> Vi hittar inget datum",
        subject=f"SV: {first_ack['Subject']}",
        message_id="<rename-2@goteborg.se>",
        headers={"In-Reply-To": str(first_ack["Message-ID"])},
        date=dt.datetime(2027, 3, 2, 9, 0, tzinfo=dt.UTC),
    )
    imap_account.append(reply)
    poller.run_once()

    mails = smtp_server.wait_for(4)
    with sessions() as session:
        case = session.scalars(select(Case)).one()
        assert case.status == "complete"
        assert case.effective_date == dt.date(2027, 6, 1)
        assert case.new_name == "Daglig verksamhet Almen"
        systems = {t.system: t.state for t in case.tasks}
    assert systems == {
        "jamfor_service": "open",
        "serviceguiden": "open",
        "utforarregister": "open",
        "treserva": "ordered",
        "enhetssida": "ordered",
    }
    orders = [m for m in mails if str(m["Subject"]).startswith("Beställning")]
    assert sorted(str(m["To"]) for m in orders) == ["intra@goteborg.se", "kom@goteborg.se"]
    order_text = orders[0].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "2027-06-01" in order_text and case.number in order_text
    second_ack = [m for m in mails if str(m["In-Reply-To"]) == "<rename-2@goteborg.se>"]
    assert len(second_ack) == 1
    assert "Vi har fått allt vi behöver" in second_ack[0].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert count(sessions, Task) == 5


def test_held_orders_wait_for_approval(
    imap_account: ImapAccount,
    smtp_server: SmtpServer,
    db_url: str,
    make_poller: PollerFactory,
) -> None:
    imap_account.append(build_mail(CLOSE, message_id="<held@goteborg.se>"))
    settings = make_settings(
        imap_account, smtp_server, db_url, routing=RoutingSettings(hold_orders=True)
    )
    poller, sessions = make_poller(settings)
    poller.run_once()
    assert len(smtp_server.wait_for(1)) == 1
    assert count(sessions, Task, Task.state == "held") == 2
    assert count(sessions, OutgoingMail, OutgoingMail.purpose == "order") == 0
