"""Acknowledgements go only to senders our receiving server could vouch for (issue 8 item 12).

The receiving server's Authentication-Results (RFC 8601) decides, as Exchange Online writes
it; where no such header is written the bot behaves as before.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from local_intake import local_settings, poll_local
from mails import build_mail
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.settings import SendersSettings
from parsers.authresults import parse_authentication_results
from store.models import Case, MailMessage, OutgoingMail

CLOSE = "Hej,\nDaglig verksamhet Hamnen upphör 2027-06-30.\n\nHälsningar Karin"
# As Exchange Online writes them: no authserv-id, comments, ';' without a space.
EXO_PASS = (
    "spf=pass (sender IP is 192.0.2.10) smtp.mailfrom={d}; dkim=pass (signature was "
    "verified) header.d={d};dmarc=pass action=none header.from={d};compauth=pass reason=100"
)
EXO_FAIL = (
    "spf=fail (sender IP is 203.0.113.5) smtp.mailfrom=mailer.example; dkim=none (message "
    "not signed) header.d=none;dmarc=fail action=quarantine header.from={d};compauth=fail "
    "reason=000"
)
EXO_NONE_SPF_OTHER = (
    "spf=pass (sender IP is 203.0.113.5) smtp.mailfrom=bulk.example; dkim=none (message not "
    "signed) header.d=none;dmarc=none action=none header.from={d};compauth=softpass reason=201"
)
EXO_NONE_SPF_ALIGNED = (
    "spf=pass (sender IP is 192.0.2.10) smtp.mailfrom=bounce.{d}; dkim=none (message not "
    "signed) header.d=none;dmarc=none action=none header.from={d};compauth=pass reason=102"
)


def mail(sender: str, *results: str) -> bytes:
    raw = build_mail(CLOSE, subject="Avslut Hamnen", sender=sender)
    # Each server prepends its headers: the first given is the topmost.
    return b"".join(f"Authentication-Results: {r}\r\n".encode() for r in results) + raw


def outcome(sessions: Callable[[], Session]) -> tuple[list[str], MailMessage, Case]:
    with sessions() as session:
        acks = session.scalars(select(OutgoingMail.purpose)).all()
        row = session.scalars(select(MailMessage)).one()
        case = session.scalars(select(Case)).one()
        session.expunge_all()
    return list(acks), row, case


@pytest.mark.parametrize(
    ("header", "answered"),
    [
        (EXO_FAIL, False),
        (EXO_NONE_SPF_OTHER, False),  # SPF passed, but for another domain than From
        (EXO_NONE_SPF_ALIGNED, True),
        (EXO_PASS, True),
        (None, True),  # no header written (Dovecot, some on-premises servers): as before
    ],
)
def test_an_unknown_sender_is_answered_only_when_its_server_vouches_for_it(
    tmp_path: Path,
    db_url: str,
    sessions: Callable[[], Session],
    header: str | None,
    answered: bool,
) -> None:
    sender = "info@omsorgsbolaget.example"
    settings = local_settings(tmp_path, db_url)
    headers = [header.format(d="omsorgsbolaget.example")] if header else []

    poll_local(settings, sessions, mail(sender, *headers))

    acks, row, case = outcome(sessions)
    assert ("ack" in acks) is answered
    assert row.target_folder == "Granska"  # unknown senders are EKU's to look at anyway
    assert case.status == "needs_review"
    if not answered:
        assert "besvaras inte" in (row.replied or "")


def test_a_trusted_domain_failing_dmarc_goes_to_review_unanswered_and_orders_nothing(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = local_settings(tmp_path, db_url)

    poll_local(settings, sessions, mail("karin.ek@goteborg.se", EXO_FAIL.format(d="goteborg.se")))

    acks, row, case = outcome(sessions)
    assert acks == []  # neither acknowledgement nor orders to system owners
    assert row.target_folder == "Granska"
    assert case.status == "needs_review"
    with sessions() as session:
        codes = [f.code for f in session.get(Case, case.id).findings]  # type: ignore[union-attr]
    assert "sender_not_authenticated" in codes


def test_a_trusted_domain_passing_dmarc_is_handled_as_always(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = local_settings(tmp_path, db_url)

    poll_local(settings, sessions, mail("karin.ek@goteborg.se", EXO_PASS.format(d="goteborg.se")))

    acks, row, case = outcome(sessions)
    assert "ack" in acks and "order" in acks
    assert (row.target_folder, case.status) == ("Behandlat", "complete")


@pytest.mark.parametrize(
    ("headers", "answered"),
    [
        # Our server's 'fail' on top; a 'pass' the forger wrote below it changes nothing.
        (["mx.goteborg.se; dmarc=fail header.from={d}", "mx.goteborg.se; dmarc=pass"], False),
        # The topmost header names another server: not ours, so the bot behaves as before.
        (["relay.example; dmarc=fail header.from={d}"], True),
        (["mx.goteborg.se; dmarc=pass header.from={d}"], True),
    ],
)
def test_only_our_own_servers_topmost_header_is_believed(
    tmp_path: Path,
    db_url: str,
    sessions: Callable[[], Session],
    headers: list[str],
    answered: bool,
) -> None:
    domain = "omsorgsbolaget.example"
    settings = local_settings(
        tmp_path, db_url, senders=SendersSettings(authserv_id="mx.goteborg.se")
    )

    poll_local(settings, sessions, mail(f"info@{domain}", *(h.format(d=domain) for h in headers)))

    acks, _row, _case = outcome(sessions)
    assert ("ack" in acks) is answered


def test_the_check_can_be_turned_off(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = local_settings(tmp_path, db_url, senders=SendersSettings(check_authentication=False))
    domain = "omsorgsbolaget.example"

    poll_local(settings, sessions, mail(f"info@{domain}", EXO_FAIL.format(d=domain)))

    acks, _row, _case = outcome(sessions)
    assert acks == ["ack"]


@pytest.mark.parametrize(
    ("value", "authserv_id", "methods"),
    [
        (
            EXO_PASS.format(d="goteborg.se"),
            None,
            [("spf", "pass"), ("dkim", "pass"), ("dmarc", "pass"), ("compauth", "pass")],
        ),
        # RFC 8601 appendix B.4 (with a version and nested comments).
        (
            "example.com 1; spf=pass smtp.mailfrom=example.net (a (nested) comment)",
            "example.com",
            [("spf", "pass")],
        ),
        ("mx.goteborg.se; none", "mx.goteborg.se", []),
        ('mx.example; dkim=pass header.d="a;b.example"', "mx.example", [("dkim", "pass")]),
        ("", None, []),
    ],
)
def test_authentication_results_are_read_as_rfc_8601_and_exchange_write_them(
    value: str, authserv_id: str | None, methods: list[tuple[str, str]]
) -> None:
    parsed = parse_authentication_results(value)
    assert parsed.authserv_id == authserv_id
    assert [(r.method, r.result) for r in parsed.results] == methods


def test_a_forged_follow_up_to_a_complete_case_changes_no_order(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = local_settings(tmp_path, db_url)
    poll_local(settings, sessions, mail("karin.ek@goteborg.se", EXO_PASS.format(d="goteborg.se")))
    with sessions() as session:
        case = session.scalars(select(Case)).one()
        number, sent_before = case.number, len(session.scalars(select(OutgoingMail)).all())
    forged = build_mail(
        "Rättelse: Daglig verksamhet Hamnen upphör redan 2027-05-31.",
        subject=f"SV: Avslut Hamnen [{number}]",
        sender="karin.ek@goteborg.se",
        message_id="<forged-1@evil.example>",
    )
    header = f"Authentication-Results: {EXO_FAIL.format(d='goteborg.se')}\r\n".encode()

    poll_local(settings, sessions, header + forged)

    with sessions() as session:
        case = session.scalars(select(Case)).one()
        assert len(session.scalars(select(OutgoingMail)).all()) == sent_before
        assert str(case.effective_date) == "2027-06-30"
        assert case.status == "needs_review"
        assert "sender_not_authenticated" in [f.code for f in case.findings]
        forged_row = session.scalars(
            select(MailMessage).where(MailMessage.message_id == "<forged-1@evil.example>")
        ).one()
        assert forged_row.target_folder == "Granska"
