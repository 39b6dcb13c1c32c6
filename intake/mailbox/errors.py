"""The mailbox's exceptions, kept together (style.md: one place for the error classes)."""

from __future__ import annotations

from parsers.errors import LovbotError

__all__ = ["MailboxError", "MailboxLoginError", "MailboxUnavailable"]


class MailboxError(LovbotError):
    """The mailbox server refused or failed an operation."""


class MailboxUnavailable(MailboxError):
    """The mailbox could not be reached (network, timeout, connection lost); worth retrying."""


class MailboxLoginError(MailboxError):
    """The server rejected the credentials."""
