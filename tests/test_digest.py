"""EKU's digest built from a database holding one case of every kind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from local_intake import local_settings, poll_local
from mails import build_mail
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.digest_job import print_digest, send_digest
from intake.settings import (
    DatabaseSettings,
    RoutingSettings,
    SendersSettings,
    Settings,
)
from store.models import Case, OutgoingMail, PollState, Task

SENT = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
MAILS = {
    "new_unit": ("Ny enhet", "Vi startar Daglig verksamhet Solrosen den 2 augusti 2027."),
    "close_unit": ("Avslut", "Daglig verksamhet Hamnen upphör 2027-03-10."),
    "merge_units": (
        "Sammanslagning",
        "DV Ek och DV Ask slås samman 1 juni 2027. Den nya enheten heter DV Lind.",
    ),
    "rename_unit": ("Namnbyte", "Vi vill byta namn på DV Gran till DV Tall."),
    "update_details": ("Ny chef", "Från 15 mars 2027 är Lena ny enhetschef för DV Kvarnen."),
    "capacity_full": ("Fullt", "Kapacitetstaket för DV Lunden är nått från 2027-03-05."),
    "capacity_available": ("Ledigt", "DV Lunden har ledig kapacitet från 2027-04-01."),
    "onboarding": ("Försäkringsbrev", "Här kommer vårt försäkringsbrev."),
    "other": ("Fråga", "Hur lång tid tar det innan ändringar syns i Jämför service?"),
    "unknown": ("Avslut", "Daglig verksamhet Berget upphör 2027-06-30."),
}


@pytest.fixture
def populated(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> tuple[Settings, Callable[[], Session]]:
    settings = local_settings(
        tmp_path,
        db_url,
        senders=SendersSettings(
            max_replies_per_hour=100, trusted_domains=["goteborg.se", "lindomsorg.se"]
        ),
        routing=RoutingSettings(hold_orders=True),
    )
    raws = [
        build_mail(
            body,
            subject=subject,
            # A new provider's onboarding comes from the provider (the city's own units
            # are never onboarded: intake/pipeline.py).
            sender={"unknown": "kalle@gmail.com", "onboarding": "sara@lindomsorg.se"}.get(
                key, "anna@funktionsstod.goteborg.se"
            ),
            date=SENT,
        )
        for key, (subject, body) in MAILS.items()
    ]
    poll_local(settings, sessions, *raws, b"not a mail at all")
    return settings, sessions


def test_digest_lists_what_needs_a_human_in_priority_order(
    populated: tuple[Settings, Callable[[], Session]],
) -> None:
    settings, sessions = populated
    with sessions() as session, session.begin():
        rename = session.scalars(select(Case).where(Case.kind == "rename_unit")).one()
        rename.status_changed_at = dt.datetime.now(dt.UTC) - dt.timedelta(days=9)
        soon = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=3)
        for task in session.scalars(select(Task).where(Task.owner == "eku")):
            task.due = soon

    text = print_digest(settings, sessions)

    headings = [
        "Meddelanden i Karantän (1)",
        "Ärenden att granska (2)",
        "Beställningar som väntar eller inte gått fram",
        "Sena anmälningar sedan förra sammanställningen (1)",
        "Väntar på komplettering i mer än 5 dagar (1)",
        "EKU:s uppgifter inom 14 dagar eller försenade",
    ]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "kalle@gmail.com" in text  # the unknown sender, for review
    assert "Daglig verksamhet Hamnen" in text  # the late closing
    assert "DV Gran" in text and "väntat på komplettering i 9 dagar" in text
    assert "lovbot approve" in text
    assert "lovbot done" in text
    assert "Inläsningen: senaste lyckade hämtning" in text


def test_empty_day_says_nothing_to_review(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = Settings(database=DatabaseSettings(url=db_url))
    with sessions() as session, session.begin():
        session.add(
            PollState(
                mailbox="m",
                folder="INBOX",
                last_uid=0,
                errors_since_success=0,
                last_success_at=dt.datetime.now(dt.UTC),
            )
        )

    text = print_digest(settings, sessions)

    assert "Inget att granska idag" in text
    assert "VARNING" not in text


def test_digest_warns_when_no_poll_succeeded_lately(
    db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = Settings(database=DatabaseSettings(url=db_url))
    with sessions() as session, session.begin():
        session.add(
            PollState(
                mailbox="m",
                folder="INBOX",
                last_uid=0,
                errors_since_success=4,
                last_error="IMAP-servern svarar inte",
                last_success_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=5),
            )
        )

    text = print_digest(settings, sessions)

    assert "VARNING: ingen hämtning har lyckats" in text
    assert "4 fel sedan dess" in text and "IMAP-servern svarar inte" in text


def test_send_digest_mails_eku_and_late_notices_are_listed_once(
    populated: tuple[Settings, Callable[[], Session]], tmp_path: Path
) -> None:
    settings, sessions = populated
    assert "Sena anmälningar" in print_digest(settings, sessions)

    send_digest(settings, sessions)

    with sessions() as session:
        digest = session.scalars(select(OutgoingMail).where(OutgoingMail.purpose == "digest")).one()
        assert digest.state == "sent" and digest.recipient == settings.digest.to
        assert b"Auto-Submitted: auto-generated" in digest.raw
    assert "Sena anmälningar" not in print_digest(settings, sessions)
