"""One mailbox connection kept open across cycles, for ``lovbot run``.

The cycle enters and leaves its mailbox each time (``with factory() as mailbox``); this
wrapper makes entering connect only when not connected and leaving keep the connection,
so a long run logs in once and can wait with IDLE between cycles. A dropped connection
(MailboxUnavailable) reconnects on the next entry; after any other error the
connection is closed, so the next cycle starts clean.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from typing import Self

from intake.mailbox.errors import MailboxUnavailable
from intake.mailbox.protocol import FetchedMessage, FolderStatus, Mailbox

__all__ = ["KeptOpen"]

logger = logging.getLogger(__name__)


class KeptOpen:
    """A ``Mailbox`` that delegates to ``mailbox`` and closes only on ``shutdown()``."""

    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox
        self.identity = mailbox.identity

    def connect(self) -> None:
        self.mailbox.connect()

    def close(self) -> None:
        """Kept open: the cycle's ``close`` is ignored (see ``shutdown``)."""

    def shutdown(self) -> None:
        self.mailbox.close()

    def select(self, folder: str) -> FolderStatus:
        return self.mailbox.select(folder)

    def new_uids(self, after_uid: int) -> list[int]:
        return self.mailbox.new_uids(after_uid)

    def fetch(self, uids: Sequence[int]) -> list[FetchedMessage]:
        return self.mailbox.fetch(uids)

    def ensure_folders(self, names: Iterable[str]) -> None:
        self.mailbox.ensure_folders(names)

    def move(self, uids: Sequence[int], target: str) -> None:
        self.mailbox.move(uids, target)

    def idle(self, seconds: float, stop: threading.Event) -> bool | None:
        return self.mailbox.idle(seconds, stop)

    def __enter__(self) -> Self:
        self.mailbox.connect()
        return self

    def __exit__(self, *exc_info: object) -> None:
        exc = exc_info[1] if len(exc_info) > 1 else None
        if exc is not None and not isinstance(exc, MailboxUnavailable):
            logger.debug("Closing %s after %r", self.identity, exc)
            self.mailbox.close()
