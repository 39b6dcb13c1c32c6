"""From settings to the live mailbox and mail transport, signed in as configured.

The one place that decides password or app-only OAuth2 and IMAP, Maildir or Graph, so
that every command and job of a process shares one token source per scope
(``intake.oauth.app_tokens``).
"""

from __future__ import annotations

from intake.mailbox import Mailbox, open_mailbox
from intake.oauth import AppTokens, app_tokens, tls_session
from intake.settings import Settings
from outbox.transport import FileTransport, SmtpTransport, Transport

__all__ = ["mailbox_tokens", "make_transport", "open_configured_mailbox"]


def mailbox_tokens(settings: Settings) -> AppTokens | None:
    """The token source the mailbox signs in with, or None for a password."""
    graph = settings.mailbox.kind == "graph"
    if not graph and settings.mailbox.auth != "oauth2":
        return None
    return app_tokens(settings.oauth2, settings.oauth2.scope_for(graph=graph))


def open_configured_mailbox(settings: Settings) -> Mailbox:
    """The (not yet connected) mailbox of ``[mailbox]``."""
    if settings.mailbox.kind == "graph":
        from intake.mailbox.graph import GraphMailbox

        return GraphMailbox(settings.mailbox, mailbox_tokens(settings), url=settings.graph.url)
    return open_mailbox(settings.mailbox, mailbox_tokens(settings))


def make_transport(settings: Settings) -> Transport:
    """The transport of ``[smtp]``: SMTP, Graph sendMail, or .eml files without a host."""
    smtp = settings.smtp
    if smtp.kind == "graph":
        from outbox.graph import GraphTransport

        return GraphTransport(
            settings.graph.url,
            smtp.from_address,
            app_tokens(settings.oauth2, settings.oauth2.scope_for(graph=True)),
            tls_session(),
            timeout=settings.graph.timeout,
        )
    if not smtp.host:
        return FileTransport(smtp.outbox_dir)
    tokens = None
    if settings.smtp_auth == "oauth2":
        tokens = app_tokens(settings.oauth2, settings.oauth2.scope_for(graph=False))
    return SmtpTransport(
        smtp.host,
        smtp.port,
        smtp.security,
        smtp.username,
        smtp.password.get_secret_value(),
        smtp.timeout,
        smtp.from_address,
        tokens,
    )
