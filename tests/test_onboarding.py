"""A new provider's checklist from godkänd to valbar: kept per provider, acknowledged,
and shown to EKU when it moves (process.md, seed 000)."""

from __future__ import annotations

from collections.abc import Callable
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from local_intake import local_settings, poll_local
from mails import build_mail
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.digest_job import print_digest
from intake.settings import (
    SendersSettings,
    Settings,
)
from rules.onboarding import items_mentioned, missing_items
from store.models import OutgoingMail, Provider
from store.register import provider_for_domain

SENDER = "sara@dagligaktiv.se"


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("Bifogat finns vårt försäkringsbrev.", {"forsakringsbrev"}),
        ("Vår IT-kontaktperson är Jonas.", {"it_kontaktperson"}),
        ("Vi deltog på uppstartsmötet i går.", {"uppstartsmote"}),
        ("Matleveranser sköts av Matbolaget.", {"matleverans"}),
        (
            "Here is our insurance certificate; our IT contact is Jonas.",
            {"forsakringsbrev", "it_kontaktperson"},
        ),
        ("Hej, en fråga om fakturor.", set()),
    ],
)
def test_items_mentioned(text: str, items: set[str]) -> None:
    assert items_mentioned([text], form_attached=False) == items


def test_food_deliveries_only_for_home_care() -> None:
    done = ["uppstartsmote", "forsakringsbrev", "verksamhetsuppgifter", "it_kontaktperson"]
    assert missing_items(done, home_care=False) == []
    assert missing_items(done, home_care=True) == ["matleverans"]


def settings_for(tmp_path: Path, db_url: str) -> Settings:
    return local_settings(
        tmp_path,
        db_url,
        senders=SendersSettings(
            trusted_domains=["goteborg.se"], known_providers=["dagligaktiv.se"]
        ),
    )


def last_ack_text(sessions: Callable[[], Session]) -> str:
    with sessions() as session:
        row = session.scalars(
            select(OutgoingMail)
            .where(OutgoingMail.purpose == "ack")
            .order_by(OutgoingMail.id.desc())
        ).first()
        assert row is not None
        body = message_from_bytes(row.raw, policy=default).get_body(("plain",))
        assert body is not None
        return str(body.get_content())


def test_checklist_is_kept_per_provider_across_messages(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = settings_for(tmp_path, db_url)

    poll_local(
        settings,
        sessions,
        build_mail(
            "Hej,\nBifogat finns vårt försäkringsbrev enligt överenskommelse på uppstartsmötet.",
            subject="Försäkringsbrev",
            sender=SENDER,
        ),
    )

    ack = last_ack_text(sessions)
    assert "Mottaget: deltagit i uppstartsmöte, försäkringsbrev" in ack
    assert "Kvar: blanketten Verksamhetsuppgifter, IT-kontaktperson" in ack
    digest = print_digest(settings, sessions)
    assert "Nya utförare" in digest and "dagligaktiv.se" in digest

    poll_local(
        settings,
        sessions,
        build_mail(
            "Vår IT-kontaktperson är Jonas Ström. Vi bedriver hemtjänst.",
            subject="IT-kontakt",
            sender=SENDER,
        ),
    )

    ack = last_ack_text(sessions)
    assert "Kvar: blanketten Verksamhetsuppgifter, hantering av matleveranser (hemtjänst)" in ack
    with sessions() as session:
        provider = provider_for_domain(session, "dagligaktiv.se")
        assert provider is not None and provider.home_care
        assert sorted(i.item for i in provider.items) == [
            "forsakringsbrev",
            "it_kontaktperson",
            "uppstartsmote",
        ]


def test_municipal_units_have_no_provider_checklist(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = settings_for(tmp_path, db_url)
    poll_local(
        settings,
        sessions,
        build_mail("Vi var på uppstartsmötet i går.", subject="Uppstartsmöte"),
    )
    with sessions() as session:
        assert session.scalars(select(Provider)).all() == []
    assert "Checklista" not in last_ack_text(sessions)
