"""The reading drives the acknowledgement and the orders, through the poller (issue 7).

The acknowledgement never asks for a date, a code or a field that the mail or its form
holds; a reading that is not sure holds every order for EKU, whatever the configuration.
Run through the embedded defaults (Maildir, file outbox) on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
from formbuilders import build_form
from local_intake import local_settings, poll_local
from mails import build_mail
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake import commands
from intake.digest_job import print_digest
from store.models import Case, Task

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
JANUARY = dt.datetime(2027, 1, 11, 9, 0, tzinfo=dt.UTC)
FORM = {
    "typ_av_andring": ["Ny enhet"],
    "verksamhetsomrade": "Daglig verksamhet LSS",
    "utforare": "Förvaltningen för funktionsstöd",
    "enhetens_namn": "Daglig verksamhet Björkängen",
    "startdatum": "2027-04-01",
    "besoksadress": "Björkängsgatan 4",
    "postnummer": "415 05",
    "ort": "Göteborg",
    "telefon": "031-365 40 00",
    "epost": "bjorkangen@funktionsstod.goteborg.se",
    "ansvarig_chef": "Anna Lind",
    "ansvarig_chef_epost": "anna.lind@funktionsstod.goteborg.se",
    "beskrivning": "Vi erbjuder en meningsfull vardag.",
    "antal_platser": "18",
}
# What the acknowledgement says when it asks for something (rules/findings.py).
ASKS = ("Vi hittar inget datum", "ansvarskoden saknas", "Blanketten saknar", "Blanketten")


def _acknowledgement(outbox: Path) -> str:
    (path,) = outbox.glob("*-ack.eml")
    message = message_from_bytes(path.read_bytes(), policy=default)
    assert isinstance(message, EmailMessage)
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


@pytest.mark.parametrize(
    ("body", "form"),
    [
        # The date only in the form, the code only in the mail.
        ("Hej! Vi startar Daglig verksamhet Björkängen. Ansvarskod 4711203.", FORM),
        # The code only in the form, the date only in the mail, in words.
        (
            "Hej! Daglig verksamhet Björkängen öppnar den första april. Blanketten bifogas.",
            {**FORM, "ansvarskod": "4711203", "startdatum": ""},
        ),
    ],
    ids=["date-in-form", "code-in-form"],
)
def test_the_acknowledgement_asks_for_nothing_the_mail_or_form_holds(
    tmp_path: Path,
    db_url: str,
    sessions: Callable[[], Session],
    body: str,
    form: dict[str, object],
) -> None:
    settings = local_settings(tmp_path, db_url)
    raw = build_mail(
        body,
        subject="Ny enhet",
        date=JANUARY,
        attachments=[("Verksamhetsuppgifter.docx", DOCX, build_form(form))],  # type: ignore[arg-type]
    )

    poll_local(settings, sessions, raw)

    with sessions() as session:
        case = session.scalars(select(Case)).one()
        assert (case.kind, case.status, case.effective_date) == (
            "new_unit",
            "complete",
            dt.date(2027, 4, 1),
        )
        assert case.ansvarskod == "4711203"
    ack = _acknowledgement(tmp_path / "outbox")
    assert not [ask for ask in ASKS[:3] if ask in ack]


def test_an_unsure_reading_holds_every_order_until_eku_approves(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    # The subject announces free places, the text a closing: hold_orders is off.
    settings = local_settings(tmp_path, db_url)
    raw = build_mail(
        "Hej! Daglig verksamhet Hamnen läggs ned den 30 juni 2027.",
        subject="Lediga platser",
        date=JANUARY,
    )

    poll_local(settings, sessions, raw)

    with sessions() as session:
        case = session.scalars(select(Case)).one()
        assert case.status == "needs_review"
        assert "kind_unsure" in [f.code for f in case.findings]
        number = case.number
        assert set(session.scalars(select(Task.state).where(Task.owner != "eku"))) == {"held"}
    assert not list((tmp_path / "outbox").glob("*-order.eml"))
    # EKU sees why in the digest.
    digest = print_digest(settings, sessions)
    assert number in digest and "EKU läser meddelandet innan något beställs" in digest

    assert commands.approve(settings, number, by="Eva på EKU") == 0

    with sessions() as session:
        assert set(session.scalars(select(Task.state).where(Task.owner != "eku"))) == {"ordered"}
    assert len(list((tmp_path / "outbox").glob("*-order.eml"))) == 2


def test_the_most_filled_in_of_two_forms_is_read(tmp_path: Path) -> None:
    """A half-empty first draft attached before the real form does not hide it."""
    from parsers.mail import parse_mail
    from parsers.understand import understand

    draft = {
        k: v
        for k, v in FORM.items()
        if k in ("typ_av_andring", "enhetens_namn", "utforare", "telefon")
    }
    raw = build_mail(
        "Hej! Vi startar Daglig verksamhet Björkängen. Ansvarskod 4711203.",
        subject="Ny enhet",
        date=JANUARY,
        attachments=[
            ("Utkast.docx", DOCX, build_form(draft)),  # type: ignore[arg-type]
            ("Verksamhetsuppgifter.docx", DOCX, build_form(FORM)),  # type: ignore[arg-type]
        ],
    )

    u = understand(parse_mail(raw))

    assert u.form is not None and u.form.beskrivning == FORM["beskrivning"]
