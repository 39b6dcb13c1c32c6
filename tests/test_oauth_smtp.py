"""App-only sending over SMTP: STARTTLS, AUTH XOAUTH2 with a long line, SendAs rules."""

from __future__ import annotations

import pytest
from fixtures_m365 import OUTLOOK, SmtpOAuthServer, Tenant
from mails import build_mail

from intake.connections import make_transport
from intake.oauth import app_tokens
from intake.settings import OUTLOOK_SCOPE, Settings
from outbox.errors import DeliveryError
from outbox.transport import SmtpTransport
from store.models import OutgoingMail

MAILBOX = "lov@stadshuset.goteborg.se"


def row(number: int = 1) -> OutgoingMail:
    return OutgoingMail(
        id=number,
        purpose="ack",
        recipient="anna.lind@funktionsstod.goteborg.se",
        raw=build_mail(f"Tack {number}", sender=MAILBOX),
    )


def settings(tenant: Tenant, server: SmtpOAuthServer, secret: str | None = None, **smtp: object):
    app = next(iter(tenant.apps.values()))
    values = {
        "mailbox": {"kind": "imap", "auth": "oauth2", "username": MAILBOX},
        "smtp": {
            "host": "127.0.0.1",
            "port": server.port,
            "security": "starttls",
            "username": MAILBOX,
            "from_address": MAILBOX,
            "timeout": 10,
            **smtp,
        },
        "oauth2": tenant.settings(app, **({"client_secret": secret} if secret else {})),
    }
    return Settings.model_validate(values)


def test_smtp_auth_defaults_to_the_mailboxs_and_sends_with_xoauth2(
    tenant: Tenant, smtp_oauth: SmtpOAuthServer
) -> None:
    tenant.add_app(MAILBOX)
    transport = make_transport(settings(tenant, smtp_oauth))
    assert isinstance(transport, SmtpTransport)
    try:
        transport.send(row(1))
        transport.send(row(2))
    finally:
        transport.close()

    assert [str(m["Subject"]) for m in smtp_oauth.messages] == ["Ändring", "Ändring"]
    assert smtp_oauth.handler.logins == [MAILBOX]
    assert smtp_oauth.handler.senders == [MAILBOX, MAILBOX]
    assert tenant.issued[OUTLOOK] == 1


def test_password_auth_for_smtp_can_be_chosen_apart_from_the_mailbox(
    tenant: Tenant, smtp_oauth: SmtpOAuthServer
) -> None:
    tenant.add_app(MAILBOX)
    configured = settings(tenant, smtp_oauth, auth="password", password="x")
    assert configured.smtp_auth == "password"
    transport = make_transport(configured)
    with pytest.raises(DeliveryError, match="godtog inte inloggningen"):
        transport.send(row())
    assert tenant.issued[OUTLOOK] == 0


@pytest.mark.parametrize("tokens", ["expired", "forged"])
def test_a_bad_token_is_refused_after_one_fresh_try(
    tenant: Tenant, smtp_oauth: SmtpOAuthServer, tokens: str
) -> None:
    tenant.add_app(MAILBOX, tokens=tokens)
    transport = make_transport(settings(tenant, smtp_oauth))

    with pytest.raises(DeliveryError, match=r"godtog inte appens token \(535"):
        transport.send(row())

    assert smtp_oauth.messages == []
    assert tenant.issued[OUTLOOK] == 2


def test_another_sender_than_the_granted_mailbox_is_send_as_denied(
    tenant: Tenant, smtp_oauth: SmtpOAuthServer
) -> None:
    tenant.add_app(MAILBOX)
    transport = make_transport(
        settings(tenant, smtp_oauth, from_address="eku@goteborg.se", username=MAILBOX)
    )

    with pytest.raises(DeliveryError, match="SendAsDenied"):
        transport.send(row())
    transport.close()


def test_a_wrong_client_secret_is_explained_and_the_mail_waits(
    tenant: Tenant, smtp_oauth: SmtpOAuthServer
) -> None:
    tenant.add_app(MAILBOX)
    transport = make_transport(settings(tenant, smtp_oauth, secret="fel"))

    with pytest.raises(
        DeliveryError, match=r"client_secret \(eller certificate_path\) under \[oauth2\]"
    ):
        transport.send(row())


def test_a_session_ended_for_its_token_reconnects_with_one_fresh_token(
    tenant: Tenant, smtp_oauth: SmtpOAuthServer
) -> None:
    app = tenant.add_app(MAILBOX)
    transport = make_transport(settings(tenant, smtp_oauth))
    transport.send(row(1))
    smtp_oauth.handler.drop_next = True

    with pytest.raises(DeliveryError, match="AccessTokenExpired"):
        transport.send(row(2))
    transport.send(row(2))
    transport.close()

    assert len(smtp_oauth.messages) == 2
    assert tenant.issued[OUTLOOK] == 2
    assert app_tokens(tenant.settings(app), OUTLOOK_SCOPE).token()  # still served from cache
    assert tenant.issued[OUTLOOK] == 2
