"""One poller per mailbox folder: a lock that a second ``lovbot run`` waits for as standby.

PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``) held on a connection
of its own for as long as the poller lives; it goes with that connection, so a poller that
dies or loses the database frees it for the standby at once.

SQLite: an exclusive ``flock`` on a file beside the database. SQLite is one file on one
machine, so pollers sharing it share the machine, and the kernel drops the lock with the
process. (SQLite itself would only serialise their writes, not stop both fetching.)
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import weakref
import zlib
from pathlib import Path

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

__all__ = ["MailboxLock"]

logger = logging.getLogger(__name__)

# pg_advisory_lock(int, int): lovbot's own first key, so other users of the database's
# advisory locks cannot collide with ours ("LOVB" as a number).
_NAMESPACE = 0x4C4F5642


class _Held:
    """What holds the lock; released when the lock object goes, too."""

    def __init__(self) -> None:
        self.connection: Connection | None = None
        self.fd: int | None = None

    def release(self) -> None:
        if self.connection is not None:
            # Closed for real, not returned to the pool: the lock belongs to the server
            # session and would otherwise live on in a pooled connection.
            # Unlocked first: a closed connection's server session ends a moment later,
            # and the standby must find the lock free as soon as this returns.
            with contextlib.suppress(SQLAlchemyError):
                self.connection.execute(text("SELECT pg_advisory_unlock_all()"))
            with contextlib.suppress(SQLAlchemyError):
                self.connection.invalidate()
                self.connection.close()
            self.connection = None
        if self.fd is not None:
            os.close(self.fd)  # closing the file drops the flock
            self.fd = None


class MailboxLock:
    """``acquire()`` says whether this process may poll ``name`` now; it never blocks.

    A poller dropped without ``release()`` lets go of the lock as it is collected.
    """

    def __init__(self, engine: Engine, name: str) -> None:
        self.engine, self.name = engine, name
        self._held = _Held()
        weakref.finalize(self, self._held.release)

    @property
    def held(self) -> bool:
        return self._held.connection is not None or self._held.fd is not None

    def acquire(self) -> bool:
        if self.engine.dialect.name == "postgresql":
            return self._acquire_advisory()
        if self.engine.dialect.name == "sqlite":
            return self._acquire_file()
        return True

    def release(self) -> None:
        self._held.release()

    def _acquire_advisory(self) -> bool:
        if self._held.connection is not None:
            try:
                self._held.connection.execute(text("SELECT 1"))
                return True
            except SQLAlchemyError:
                logger.warning("Lost the connection holding the lock for %s", self.name)
                self.release()
        connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            got = connection.scalar(
                text("SELECT pg_try_advisory_lock(:namespace, :key)"),
                {"namespace": _NAMESPACE, "key": _key(self.name)},
            )
        except BaseException:
            connection.close()
            raise
        if not got:
            connection.close()
            return False
        self._held.connection = connection
        return True

    def _acquire_file(self) -> bool:
        if self._held.fd is not None:
            return True
        database = self.engine.url.database
        if not database or database == ":memory:":
            return True  # a private database: no one else can poll into it
        path = Path(f"{database}.poll-{_key(self.name) & 0xFFFFFFFF:08x}.lock")
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._held.fd = fd
        return True


def _key(name: str) -> int:
    """A stable signed 32-bit key for the mailbox folder's name."""
    value = zlib.crc32(name.encode("utf-8"))
    return value - (1 << 32) if value >= 1 << 31 else value
