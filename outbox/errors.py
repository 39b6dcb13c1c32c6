"""The outbox's exceptions, kept together."""

from __future__ import annotations

from parsers.errors import LovbotError

__all__ = ["DeliveryError"]


class DeliveryError(LovbotError):
    """The mail server did not accept a message (worth retrying later)."""
