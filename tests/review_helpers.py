"""A review app on a real, migrated database holding cases as the poller leaves them."""

from __future__ import annotations

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
from store.models import Case, MailMessage

__all__ = [
    "CLOSE",
    "OFFICER_PASSWORD",
    "QUESTION",
    "Seeded",
    "client_for",
    "csrf_of",
    "seed",
    "sign_in",
]

OFFICER_PASSWORD = "rätt-häst-batteri-häftklammer"
CLOSE = "Hej,\nDaglig verksamhet Hamnen upphör 2027-06-30.\n\nHälsningar Karin"
# Kind `other`, and a personnummer in the text: needs_review, masked on every page.
QUESTION = (
    "Hej!\nVi undrar hur vi fakturerar för brukaren 19121212-1212 i mars.\nHälsningar Per på Hamnen"
)


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
