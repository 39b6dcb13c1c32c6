"""App-only sign-in to IMAP: MSAL against the fake tenant, Dovecot validating its tokens.

Dovecot's oauth2 passdb checks each token's RS256 signature against the tenant's key,
its issuer, its expiry, and that its mailbox claim names the account logging in.
"""

from __future__ import annotations

import functools
import os
import select
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from fixtures_imap import Dovecot, ImapAccount
from fixtures_m365 import OUTLOOK, App, Tenant, oauth2_server
from imapclient import IMAPClient
from mails import build_mail
from pydantic import SecretStr

from intake.mailbox import Mailbox, MailboxLoginError, MailboxUnavailable, open_mailbox
from intake.oauth import AppTokens, app_tokens
from intake.settings import OUTLOOK_SCOPE, OAuth2Settings

pytestmark = pytest.mark.imap


def oauth2_mailbox(
    dovecot: Dovecot, tenant: Tenant, account: ImapAccount, app: App
) -> tuple[Mailbox, AppTokens]:
    server = oauth2_server(dovecot, tenant)
    settings = account.on(server).settings(
        port=server.tls_port, security="ssl", auth="oauth2", password=SecretStr("")
    )
    tokens = app_tokens(tenant.settings(app), OUTLOOK_SCOPE)
    return open_mailbox(settings, tokens), tokens


def test_a_valid_token_reads_the_mailbox_over_imaps(
    dovecot: Dovecot, tenant: Tenant, imap_account: ImapAccount
) -> None:
    uid = imap_account.append(build_mail("Hej"))
    app = tenant.add_app(imap_account.username)
    mailbox, _tokens = oauth2_mailbox(dovecot, tenant, imap_account, app)

    with mailbox:
        mailbox.select("INBOX")
        assert mailbox.new_uids(0) == [uid]
        assert b"Hej" in mailbox.fetch([uid])[0].raw

    assert tenant.issued[OUTLOOK] == 1


@pytest.mark.parametrize(
    ("tokens", "granted", "dovecot_says"),
    [
        ("expired", "self", "expired"),
        ("forged", "self", "signature"),
        ("valid", "someone-else", "did not match"),
    ],
)
def test_a_bad_token_is_a_login_error_after_one_fresh_try(
    dovecot: Dovecot,
    tenant: Tenant,
    imap_account: ImapAccount,
    tokens: str,
    granted: str,
    dovecot_says: str,
) -> None:
    mailbox_claim = imap_account.username if granted == "self" else "lov-annan"
    app = tenant.add_app(mailbox_claim, tokens=tokens)
    mailbox, _tokens = oauth2_mailbox(dovecot, tenant, imap_account, app)
    log_before = len(oauth2_server(dovecot, tenant).log_text())

    with pytest.raises(MailboxLoginError, match="AUTHENTICATIONFAILED"):
        mailbox.connect()

    # The cached token once, then one fresh token, then the answer stands.
    assert tenant.issued[OUTLOOK] == 2
    # Dovecot's reason, from this test's lines of the shared server's log.
    assert dovecot_says in oauth2_server(dovecot, tenant).log_text()[log_before:].lower()


def test_a_wrong_client_secret_is_a_swedish_configuration_error(
    dovecot: Dovecot, tenant: Tenant, imap_account: ImapAccount
) -> None:
    app = tenant.add_app(imap_account.username)
    server = oauth2_server(dovecot, tenant)
    settings = imap_account.on(server).settings(port=server.tls_port, security="ssl", auth="oauth2")
    tokens = app_tokens(tenant.settings(app, client_secret="fel-hemlighet"), OUTLOOK_SCOPE)

    with pytest.raises(MailboxLoginError) as caught:
        open_mailbox(settings, tokens).connect()

    message = str(caught.value)
    assert "godtar inte appens inloggning (invalid_client" in message
    assert "client_secret (eller certificate_path) under [oauth2]" in message
    assert "fel-hemlighet" not in message
    assert tenant.issued[OUTLOOK] == 0


def test_an_unreachable_tenant_is_worth_retrying(tenant: Tenant, imap_account: ImapAccount) -> None:
    app = tenant.add_app(imap_account.username)
    settings = tenant.settings(app)
    tenant.stop()
    mailbox = open_mailbox(
        imap_account.settings(auth="oauth2"), app_tokens(settings, OUTLOOK_SCOPE)
    )

    with pytest.raises(MailboxUnavailable, match="svarar inte"):
        mailbox.connect()


@pytest.mark.parametrize("kicked", ["before IDLE", "while idling"])
def test_a_kicked_session_reconnects_with_exactly_one_new_token(
    dovecot: Dovecot,
    tenant: Tenant,
    imap_account: ImapAccount,
    monkeypatch: pytest.MonkeyPatch,
    kicked: str,
) -> None:
    first = imap_account.append(build_mail("Först"))
    app = tenant.add_app(imap_account.username)
    server = oauth2_server(dovecot, tenant)
    mailbox, _tokens = oauth2_mailbox(dovecot, tenant, imap_account, app)
    mailbox.connect()
    mailbox.select("INBOX")
    assert mailbox.new_uids(0) == [first]
    assert tenant.issued[OUTLOOK] == 1

    # The kick stands in for Exchange's "* BYE Session invalidated - AccessTokenExpired",
    # which may come before IDLE is sent (the BYE is then IDLE's first answer) or while
    # it waits. Each order is made certain by waiting on the socket or on IDLE itself.
    idle = IMAPClient.idle
    idling = threading.Event()

    def idle_in_order(client: IMAPClient) -> object:
        if kicked == "before IDLE":
            server.kick(imap_account.username)
            readable, _, _ = select.select([client.socket()], [], [], 30)
            assert readable, "the server never said BYE"
        answer = idle(client)
        idling.set()
        return answer

    monkeypatch.setattr(IMAPClient, "idle", idle_in_order)
    kicker = threading.Thread(target=lambda: idling.wait(30) and server.kick(imap_account.username))
    if kicked == "while idling":
        kicker.start()
    with pytest.raises(MailboxUnavailable):
        mailbox.idle(60, threading.Event())
    if kicker.is_alive():
        kicker.join()
    monkeypatch.setattr(IMAPClient, "idle", idle)

    second = imap_account.append(build_mail("Sedan"))
    mailbox.connect()
    try:
        mailbox.select("INBOX")
        assert mailbox.new_uids(first) == [second]
    finally:
        mailbox.close()
    assert tenant.issued[OUTLOOK] == 2


def test_sessions_share_the_cached_token(
    dovecot: Dovecot, tenant: Tenant, imap_account: ImapAccount
) -> None:
    app = tenant.add_app(imap_account.username)
    for _ in range(3):
        mailbox, _tokens = oauth2_mailbox(dovecot, tenant, imap_account, app)
        with mailbox:
            mailbox.select("INBOX")

    assert tenant.issued[OUTLOOK] == 1


def test_oauth2_without_its_settings_is_a_swedish_configuration_error(
    imap_account: ImapAccount,
) -> None:
    tokens = app_tokens(OAuth2Settings(client_id="bara-id"), OUTLOOK_SCOPE)
    mailbox = open_mailbox(imap_account.settings(auth="oauth2"), tokens)

    with pytest.raises(MailboxLoginError, match=r"\[oauth2\] saknar tenant_id, client_secret"):
        mailbox.connect()


def test_the_cli_explains_a_wrong_secret_in_swedish_without_a_traceback(
    dovecot: Dovecot, tenant: Tenant, imap_account: ImapAccount, tmp_path: Path
) -> None:
    app = tenant.add_app(imap_account.username)
    server = oauth2_server(dovecot, tenant)
    env = {
        **os.environ,  # SSL_CERT_FILE: the test CA (the tenant fixture set it)
        "LOVBOT_MAILBOX__KIND": "imap",
        "LOVBOT_MAILBOX__AUTH": "oauth2",
        "LOVBOT_MAILBOX__HOST": "127.0.0.1",
        "LOVBOT_MAILBOX__PORT": str(server.tls_port),
        "LOVBOT_MAILBOX__USERNAME": imap_account.username,
        "LOVBOT_OAUTH2__TENANT_ID": tenant.tenant_id,
        "LOVBOT_OAUTH2__CLIENT_ID": app.client_id,
        "LOVBOT_OAUTH2__CLIENT_SECRET": "fel-hemlighet",
        "LOVBOT_OAUTH2__AUTHORITY": tenant.authority,
    }
    lovbot = str(Path(sys.executable).parent / "lovbot")
    run = functools.partial(
        subprocess.run, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert run([lovbot, "db", "upgrade"]).returncode == 0

    result = run([lovbot, "poll", "--once"])

    assert result.returncode == 1
    assert "Microsoft Entra ID godtar inte appens inloggning (invalid_client" in result.stderr
    assert "Traceback" not in result.stderr
    assert "fel-hemlighet" not in result.stderr + result.stdout


def test_a_certificate_signs_in_instead_of_a_secret(
    dovecot: Dovecot, tenant: Tenant, imap_account: ImapAccount
) -> None:
    uid = imap_account.append(build_mail("Hej"))
    app = tenant.add_app(imap_account.username, certificate=True)
    server = oauth2_server(dovecot, tenant)
    settings = imap_account.on(server).settings(port=server.tls_port, security="ssl", auth="oauth2")
    oauth2 = tenant.settings(app, client_secret="", certificate_path=app.certificate_path)

    with open_mailbox(settings, app_tokens(oauth2, OUTLOOK_SCOPE)) as mailbox:
        mailbox.select("INBOX")
        assert mailbox.new_uids(0) == [uid]
    assert tenant.issued[OUTLOOK] == 1

    other = tenant.add_app(imap_account.username, certificate=True)
    assert other.certificate_path is not None
    wrong = tenant.settings(app, client_secret="", certificate_path=other.certificate_path)
    with pytest.raises(MailboxLoginError, match="invalid_client"):
        open_mailbox(settings, app_tokens(wrong, OUTLOOK_SCOPE)).connect()
