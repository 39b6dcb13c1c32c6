"""A review app on a real, migrated database holding cases as the poller leaves them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from local_intake import local_settings, poll_local
from mails import build_mail
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.settings import RoutingSettings, Settings
from review.app import create_app
from review.auth import add_user
from store.models import Case, MailMessage, Provider, ProviderChecklistItem, Unit

__all__ = [
    "CLOSE",
    "OFFICER_PASSWORD",
    "QUESTION",
    "SOLE_TRADER",
    "Seeded",
    "client_for",
    "csrf_of",
    "seed",
    "seed_register",
    "sign_in",
]

OFFICER_PASSWORD = "rätt-häst-batteri-häftklammer"
CLOSE = "Hej,\nDaglig verksamhet Hamnen upphör 2027-06-30.\n\nHälsningar Karin"
# Kind `other`, and a personnummer in the text: needs_review, masked on every page.
QUESTION = (
    "Hej!\nVi undrar hur vi fakturerar för brukaren 19121212-1212 i mars.\nHälsningar Per på Hamnen"
)

SOLE_TRADER = "121212-1212"  # a sole trader's organisationsnummer is his personnummer


@dataclass(frozen=True, slots=True)
class Seeded:
    settings: Settings
    held: str  # a close_unit case whose two orders wait for approval
    question: str  # an `other` case with a personnummer: needs_review
    html: str  # a case whose mail has HTML with a script, and an attachment


def _html_mail() -> bytes:
    message = EmailMessage(policy=SMTP)
    message["From"] = "okand@example.com"
    message["To"] = "LOV@stadshuset.goteborg.se"
    message["Subject"] = "Fråga om tider"
    message["Date"] = "Mon, 01 Mar 2027 10:00:00 +0100"
    message["Message-ID"] = "<html-1@example.com>"
    message.set_content("Hej, när öppnar ni? Svara gärna.")
    message.add_alternative(
        "<p>Hej, <b>när</b> öppnar ni?</p><script>alert('x')</script>"
        '<img src="https://tracker.example/pixel.png" alt="">'
        '<a href="javascript:alert(1)">klicka</a>',
        subtype="html",
    )
    message.add_attachment(
        b"%PDF-1.4 test", maintype="application", subtype="pdf", filename="tider.pdf"
    )
    return message.as_bytes()


def seed(tmp_path: Path, db_url: str, sessions: Callable[[], Session]) -> Seeded:
    settings = local_settings(tmp_path, db_url, routing=RoutingSettings(hold_orders=True))
    poll_local(settings, sessions, build_mail(CLOSE, subject="Hamnen upphör"))
    poll_local(
        settings,
        sessions,
        build_mail(QUESTION, subject="Fråga 19121212-1212", message_id="<fraga@goteborg.se>"),
    )
    poll_local(settings, sessions, _html_mail())
    with sessions() as session, session.begin():
        add_user(session, "eva", OFFICER_PASSWORD, "handlaggare")
        add_user(session, "lars", OFFICER_PASSWORD, "lasare")
        numbers = {
            m.message_id: m.case.number
            for m in session.scalars(select(MailMessage)).all()
            if m.case is not None
        }
        by_kind = {c.kind: c.number for c in session.scalars(select(Case))}
    assert by_kind["close_unit"] in numbers.values()
    return Seeded(
        settings=settings,
        held=by_kind["close_unit"],
        question=numbers["<fraga@goteborg.se>"],
        html=numbers["<html-1@example.com>"],
    )


def client_for(seeded: Seeded, sessions: Callable[[], Session]) -> TestClient:
    return TestClient(
        create_app(seeded.settings, sessions),
        base_url="http://127.0.0.1",
        follow_redirects=False,
    )


def csrf_of(response: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', response.text)
    assert found, response.text[:500]
    return found.group(1)


def sign_in(client: TestClient, name: str, password: str = OFFICER_PASSWORD) -> httpx.Response:
    token = csrf_of(client.get("/login"))
    return client.post("/login", data={"username": name, "password": password, "csrf": token})


def seed_register(sessions: Callable[[], Session], today: dt.date) -> None:
    day = dt.timedelta(days=1)
    """A register holding units in every state, two providers awaiting EKU's decision (one
    a sole trader, ready) and a contract period past its day for besked."""
    with sessions() as session, session.begin():
        omsorg = Provider(
            name="Omsorgsgruppen AB",
            organisationsnummer="556677-8899",
            domains=["omsorgsgruppen.se"],
            period_end=today + 60 * day,  # besked three months before: already passed
            options_left=2,
            valbar_decided_on=today - 400 * day,
        )
        aktiv = Provider(name="Daglig Aktiv AB", domains=["dagligaktiv.se"])
        aktiv.items.append(ProviderChecklistItem(item="uppstartsmote"))
        sole = Provider(name="Pers Assistans", organisationsnummer=SOLE_TRADER)
        for item in (
            "uppstartsmote",
            "forsakringsbrev",
            "verksamhetsuppgifter",
            "it_kontaktperson",
        ):
            sole.items.append(ProviderChecklistItem(item=item))
        session.add_all([omsorg, aktiv, sole])
        session.flush()

        def unit(name: str, provider: Provider, state: str, **fields: object) -> Unit:
            return Unit(name=name, provider_id=provider.id, state=state, earlier_names=[], **fields)

        session.add_all(
            [
                unit("Hemtjänst Hovås", omsorg, "valbar", state_from=today - 100 * day),
                unit("DV Lyktan", omsorg, "full", state_from=today - 40 * day, capacity=12),
                unit("DV Fyren", omsorg, "full", state_from=today - 3 * day),
                unit("DV Aktiva", aktiv, "planned", starts_on=today + 5 * day),
                unit("DV Senare", omsorg, "planned", starts_on=today + 30 * day),
                unit("DV Stängd", omsorg, "closed", state_from=today - 3 * day),
                unit("DV Gammal", omsorg, "closed", state_from=today - 200 * day),
            ]
        )
