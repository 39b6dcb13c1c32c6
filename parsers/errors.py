"""lovbot's exception hierarchy.

Exceptions are for broken machinery only; a business problem is a ``Finding``.
The root lives here because ``parsers`` is the package every other one may import.
"""

__all__ = ["FormUnreadable", "LovbotError", "MailParseError"]


class LovbotError(Exception):
    """Root of every error lovbot raises on purpose."""


class MailParseError(LovbotError):
    """The bytes could not be read as an e-mail message."""


class FormUnreadable(LovbotError):
    """A Word attachment that may be the form could not be read."""
