"""The small protocol every mailbox adapter speaks, keyed by UID and UIDVALIDITY."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Protocol, Self

__all__ = [
    "INBOX",
    "LARGE_MESSAGE_BYTES",
    "ConnectsOnEnter",
    "FetchedMessage",
    "FolderStatus",
    "LargeMessages",
    "Mailbox",
]

INBOX = "INBOX"

# A message larger than this is read on its own, when the cycle comes to it, and only one
# such message is held at a time: a batch of a hundred 25 MB messages would otherwise
# hold 2.5 GB before the first is read. Ordinary notices (text, a 50 kB form) are far
# below it and still come a batch per round trip.
LARGE_MESSAGE_BYTES: Final = 256 * 1024


@dataclass(frozen=True, slots=True)
class FolderStatus:
    """What SELECT tells about a folder; UIDs are only comparable under one uidvalidity."""

    uidvalidity: int
    uidnext: int | None
    exists: int


class FetchedMessage:
    """A message as stored: its bytes and when the mailbox received it (aware).

    A large message comes *deferred* (``FetchedMessage.deferred``): its bytes are read
    when ``raw`` is first asked for, through the adapter's ``LargeMessages``, which holds
    one large message at a time. The cycle reads a batch's messages in order, so each is
    read once and a batch never holds several large ones.
    """

    __slots__ = ("_raw", "_read", "internal_date", "uid")

    def __init__(self, uid: int, raw: bytes, internal_date: datetime | None) -> None:
        self.uid = uid
        self.internal_date = internal_date
        self._raw: bytes | None = raw
        self._read: Callable[[], bytes] | None = None

    @classmethod
    def deferred(
        cls, uid: int, internal_date: datetime | None, read: Callable[[], bytes]
    ) -> FetchedMessage:
        """A message whose bytes ``read`` returns when they are asked for.

        ``read`` raises ``MailboxUnavailable`` when the message has left the folder
        meanwhile: the cycle then starts again and no longer finds it.
        """
        message = cls(uid, b"", internal_date)
        message._raw, message._read = None, read
        return message

    @classmethod
    def from_first_bytes(
        cls,
        uid: int,
        first: bytes,
        internal_date: datetime | None,
        read_whole: Callable[[], bytes],
    ) -> FetchedMessage:
        """From a read of at most LARGE_MESSAGE_BYTES: fewer bytes are the whole message;
        otherwise it is large, and comes deferred (``read_whole`` when asked for)."""
        if len(first) < LARGE_MESSAGE_BYTES:
            return cls(uid, first, internal_date)
        return cls.deferred(uid, internal_date, read_whole)

    @property
    def is_deferred(self) -> bool:
        """A large message whose bytes are read only when asked for (see the class)."""
        return self._read is not None

    @property
    def raw(self) -> bytes:
        if self._raw is not None:
            return self._raw
        assert self._read is not None
        return self._read()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FetchedMessage):
            return NotImplemented
        return (self.uid, self.internal_date, self.raw) == (
            other.uid,
            other.internal_date,
            other.raw,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        how = "deferred" if self._raw is None else f"{len(self._raw)} bytes"
        return f"FetchedMessage(uid={self.uid}, {how}, internal_date={self.internal_date!r})"


class LargeMessages:
    """The bytes of one large message at a time, by key; asking for another lets go first."""

    def __init__(self) -> None:
        self._key: Hashable = None
        self._raw = b""

    def get(self, key: Hashable, read: Callable[[], bytes]) -> bytes:
        if self._key is None or key != self._key:
            # Let go of the last one before reading the next, so two are never held.
            self._key, self._raw = None, b""
            self._raw = read()
            self._key = key
        return self._raw

    def clear(self) -> None:
        self._key, self._raw = None, b""


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
        """``uids`` in one round trip, without marking them seen; missing ones are left out.

        A message over LARGE_MESSAGE_BYTES may come deferred: read when its ``raw`` is
        first asked for, one such message held at a time.
        """
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
