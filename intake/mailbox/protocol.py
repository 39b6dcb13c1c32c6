"""The small protocol every mailbox adapter speaks, keyed by UID and UIDVALIDITY."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, Self

__all__ = ["INBOX", "ConnectsOnEnter", "FetchedMessage", "FolderStatus", "Mailbox"]

INBOX = "INBOX"


@dataclass(frozen=True, slots=True)
class FolderStatus:
    """What SELECT tells about a folder; UIDs are only comparable under one uidvalidity."""

    uidvalidity: int
    uidnext: int | None
    exists: int


@dataclass(frozen=True, slots=True)
class FetchedMessage:
    """A message as stored: its bytes and when the mailbox received it (aware)."""

    uid: int
    raw: bytes
    internal_date: datetime | None


class Mailbox(Protocol):
    """Where lovbot reads mail and puts it away, by folder and UID.

    Every method may raise ``MailboxError``; ``MailboxUnavailable`` means try again later.
    Usable as a context manager: entering connects, leaving closes.
    """

    # Stable name for the database, without secrets: "imap://user@host:port", "maildir:/path".
    identity: str

    def connect(self) -> None:
        """Open the mailbox (for IMAP: connect, secure, log in)."""

    def close(self) -> None:
        """Release the mailbox; never raises."""

    def select(self, folder: str) -> FolderStatus:
        """Make ``folder`` the one the other methods work on."""
        ...

    def new_uids(self, after_uid: int) -> list[int]:
        """UIDs above ``after_uid`` in the selected folder, ascending."""
        ...

    def fetch(self, uids: Sequence[int]) -> list[FetchedMessage]:
        """``uids`` in one round trip, without marking them seen; missing ones are left out."""
        ...

    def ensure_folders(self, names: Iterable[str]) -> None:
        """Create the folders that do not exist yet."""

    def move(self, uids: Sequence[int], target: str) -> None:
        """Move ``uids`` from the selected folder into ``target``; safe to repeat."""

    def idle(self, seconds: float, stop: threading.Event) -> bool | None:
        """Wait up to ``seconds`` for new mail in the selected folder (IMAP IDLE).

        True: new mail arrived; False: time is up or ``stop`` was set; None: this
        mailbox cannot push, poll it on an interval instead.
        """
        ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc_info: object) -> None: ...


class ConnectsOnEnter:
    """Mixin: ``with`` connects on entry and closes on exit."""

    def connect(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def idle(self, seconds: float, stop: threading.Event) -> bool | None:
        """No push by default: the caller polls on an interval."""
        return None

    def __enter__(self) -> Self:
        self.connect()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
