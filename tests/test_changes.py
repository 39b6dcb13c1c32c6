"""A message with several changes: each with its own units and date, in the check line,
the acknowledgement and every order (a system owner must see which unit closes and which
is renamed, and from when)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Callable
from email import message_from_bytes
from email.policy import default
from pathlib import Path

from local_intake import local_settings, poll_local
from mails import build_mail
from review_helpers import client_for, seed, sign_in
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_understand import read

from parsers.understand import merge_understandings
from store.models import Case, OutgoingMail

TWO_CHANGES = (
    "Hej!\nVi gör om i Biskopsgården:\n"
    "- Hemtjänst Biskopsgården Norra läggs ned. Sista dag är 2027-06-30.\n"
    "- Hemtjänst Biskopsgården Södra byter namn till Hemtjänst Biskopsgården från och med "
    "2027-07-01.\n\nHälsningar Karin"
)


def test_each_change_has_its_own_units_and_date() -> None:
    u = read(TWO_CHANGES, "Förändringar i Biskopsgården")

    assert [(c.kind, c.units, c.effective_date, c.new_name) for c in u.changes] == [
        ("close_unit", ("Hemtjänst Biskopsgården Norra",), dt.date(2027, 6, 30), None),
        (
            "rename_unit",
            ("Hemtjänst Biskopsgården Södra",),
            dt.date(2027, 7, 1),
            "Hemtjänst Biskopsgården",
        ),
    ]


def test_a_state_now_and_a_closing_later_keep_their_own_days() -> None:
    u = read(
        "Hemtjänst Rödbo är fullbelagd och tar inte emot fler brukare. Dessutom ska enheten "
        "läggas ned – sista dagen blir den 31 december 2027.",
        "Hemtjänst Rödbo",
    )

    assert {c.kind: c.effective_date for c in u.changes} == {
        "close_unit": dt.date(2027, 12, 31),
        "capacity_full": dt.date(2027, 3, 1),  # the message's own day
    }


def test_one_change_has_no_breakdown() -> None:
    assert read("Hemtjänst Norra läggs ned den 30 juni 2027.", "Avslut").changes == ()


def test_check_prints_the_changes(tmp_path: Path) -> None:
    eml = tmp_path / "two.eml"
    eml.write_bytes(build_mail(TWO_CHANGES, subject="Förändringar"))

    out = subprocess.run(
        [sys.executable, "-m", "intake.cli", "check", "--json", str(eml)],
        capture_output=True,
        text=True,
        check=False,
    )

    line = json.loads(out.stdout)
    assert [(c["kind"], c["units"], c["effective_date"]) for c in line["changes"]] == [
        ("close_unit", ["Hemtjänst Biskopsgården Norra"], "2027-06-30"),
        ("rename_unit", ["Hemtjänst Biskopsgården Södra"], "2027-07-01"),
    ]


def test_orders_and_the_acknowledgement_say_which_change_is_which(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = local_settings(tmp_path, db_url)
    poll_local(settings, sessions, build_mail(TWO_CHANGES, subject="Förändringar"))

    with sessions() as session:
        mails = session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)).all()
        texts = {
            (m.purpose, m.recipient): message_from_bytes(m.raw, policy=default)
            .get_body(("plain",))
            .get_content()  # type: ignore[union-attr]
            for m in mails
        }
    order = texts[("order", settings.routing.intraservice)]
    ack = next(text for (purpose, _), text in texts.items() if purpose == "ack")
    for text in (order, ack):
        assert "Enhet avslutas: Hemtjänst Biskopsgården Norra, från 2027-06-30" in text
        assert (
            "Namnändring: Hemtjänst Biskopsgården Södra, nytt namn Hemtjänst Biskopsgården, "
            "från 2027-07-01" in text
        )
    assert "Gäller från" not in order


def test_the_case_page_lists_the_changes(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    seeded = seed(tmp_path, db_url, sessions)
    poll_local(seeded.settings, sessions, build_mail(TWO_CHANGES, subject="Förändringar"))
    with sessions() as session:
        number = session.scalars(select(Case.number).order_by(Case.id.desc())).first()
    client = client_for(seeded, sessions)
    sign_in(client, "eva")

    page = client.get(f"/cases/{number}").text

    assert "Ändringarna var för sig" in page
    assert "Enhet avslutas: Hemtjänst Biskopsgården Norra, från 2027-06-30" in page


def test_a_follow_up_keeps_the_breakdown_and_fills_the_missing_date() -> None:
    first = read(
        "Hemtjänst Norra läggs ned. Hemtjänst Södra byter namn till Hemtjänst Centrum från "
        "1 juli 2027.",
        "Förändringar",
    )
    later = read("Sista dag för Hemtjänst Norra är 30 juni 2027.", "SV: Förändringar")

    merged = merge_understandings(first, later)

    assert [(c.kind, c.effective_date) for c in merged.changes] == [
        ("close_unit", dt.date(2027, 6, 30)),
        ("rename_unit", dt.date(2027, 7, 1)),
    ]
