"""Where incoming mail is read and where handled mail is put away: IMAP, Graph or a Maildir.

Every kind speaks the same small protocol (``protocol.py``), keyed by UID and UIDVALIDITY
so the cycle can remember what it has seen; one module per adapter. Errors from below
(imaplib, sockets, ssl, the file system) are translated in each adapter into
``MailboxError`` and its subclasses (``errors.py``).
"""

from __future__ import annotations

from intake.mailbox.errors import MailboxError, MailboxLoginError, MailboxUnavailable
from intake.mailbox.imap import HANDLED_KEYWORD, ImapMailbox
from intake.mailbox.kept import KeptOpen
from intake.mailbox.maildir import MaildirMailbox
from intake.mailbox.protocol import FetchedMessage, FolderStatus, Mailbox
from intake.oauth import TokenSource
from intake.settings import MailboxSettings

__all__ = [
    "HANDLED_KEYWORD",
    "FetchedMessage",
    "FolderStatus",
    "ImapMailbox",
    "KeptOpen",
    "Mailbox",
    "MailboxError",
    "MailboxLoginError",
    "MailboxUnavailable",
    "MaildirMailbox",
    "open_mailbox",
]


def open_mailbox(settings: MailboxSettings, tokens: TokenSource | None = None) -> Mailbox:
    """Return the (not yet connected) mailbox that ``settings.kind`` names.

    ``tokens`` signs in with ``auth = "oauth2"`` (``intake.connections`` passes the
    process's one token source).
    """
    if settings.kind == "imap":
        return ImapMailbox(settings, tokens)
    if settings.kind == "graph":
        from intake.mailbox.graph import GraphMailbox

        return GraphMailbox(settings, tokens)
    return MaildirMailbox(settings)
