"""Issue 8.4: the sender's address is the one RFC 5322 gives, whatever the display name says."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hostile import ADDRESS_FORMS, acknowledgements, raw_mail
from local_intake import local_settings, poll_local
from sqlalchemy import select
from sqlalchemy.orm import Session

from parsers.mail import parse_mail
from store.models import Case, CaseFinding


@pytest.mark.parametrize(("header", "address", "name"), ADDRESS_FORMS)
def test_from(header: str, address: str | None, name: str | None) -> None:
    mail = parse_mail(raw_mail(sender=header))
    assert (mail.from_address, mail.from_name) == (address, name)


@pytest.mark.parametrize(("header", "address", "name"), ADDRESS_FORMS)
def test_reply_to(header: str, address: str | None, name: str | None) -> None:
    mail = parse_mail(raw_mail(headers=(("Reply-To", header),)))
    assert mail.reply_to_address == address
    assert mail.from_address == "anna.lind@funktionsstod.goteborg.se"


def test_an_address_hidden_in_an_encoded_display_name_gets_no_acknowledgement(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = local_settings(tmp_path, db_url)
    raw = raw_mail(sender="=?utf-8?Q?Karin:=20x@evil.example?= <karin.ek@vastra.goteborg.se>")

    poll_local(settings, sessions, raw)

    [ack] = acknowledgements(tmp_path / "outbox")
    assert ack["To"] == "karin.ek@vastra.goteborg.se"
    with sessions() as session:
        case = session.scalars(select(Case)).one()
        assert case.sender == "karin.ek@vastra.goteborg.se"
        codes = session.scalars(select(CaseFinding.code)).all()
        assert "unknown_sender" not in codes
