"""A message's bytes as received: written in slices, read only when asked for.

An ORM INSERT of a 25 MB ``raw`` has the drivers copy it two or three times over in C
(sqlite3 and SQLite build the whole record, psycopg and libpq the escaped parameter and
the message): +70 MB of RSS per copy-set, which is most of a poll's peak. Here the bytes
go to the database in 1 MB slices of the caller's buffer, inside the caller's transaction
(style.md §8), so no driver ever holds a copy of them:

- SQLite: the row is inserted with ``zeroblob(n)``, then written through
  ``sqlite3.Connection.blobopen``. SQLite keeps a zeroblob unexpanded only when it is the
  last column of the record, hence the table of its own with ``raw`` last.
- PostgreSQL: one binary ``COPY ... FROM STDIN`` for the whole batch, its data written
  slice by slice (psycopg passes each buffer on to libpq as it is).

Like every store function, nothing here commits.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from store.models import MailMessage, MailMessageRaw

__all__ = ["SLICE_BYTES", "read_raw", "write_raw"]

SLICE_BYTES = 1024 * 1024

# PostgreSQL's binary COPY format: signature, flags, header extension length; each row is
# its field count and (length, bytes) per field; -1 ends the data.
_COPY = "COPY mail_message_raw (message_id, raw) FROM STDIN (FORMAT binary)"
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)
_COPY_TRAILER = struct.pack("!h", -1)


def write_raw(session: Session, rows: Sequence[tuple[MailMessage, bytes]]) -> None:
    """Store each row's message bytes (``mail_message_raw``) in the session's transaction.

    The rows are flushed first, for their ids. A failure of the driver is raised as
    SQLAlchemy's error for it (``OperationalError`` for a lost connection, and so on),
    as the ORM would have raised it.
    """
    if not rows:
        return
    session.flush()
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        _write_sqlite(connection, rows)
    else:
        _write_postgresql(connection, rows)
    for row, _ in rows:
        session.expire(row, ["raw"])  # read again from the table when next asked for


def read_raw(session: Session, message_id: int) -> bytes | None:
    """The message's bytes, or None where gallring removed them."""
    return session.scalar(select(MailMessageRaw.raw).where(MailMessageRaw.message_id == message_id))


def _write_sqlite(connection: Connection, rows: Sequence[tuple[MailMessage, bytes]]) -> None:
    connection.execute(
        insert(MailMessageRaw).values(
            message_id=bindparam("id_"), raw=func.zeroblob(bindparam("size"))
        ),
        [{"id_": row.id, "size": len(raw)} for row, raw in rows],
    )
    with _driver(connection, "blobopen mail_message_raw.raw") as sqlite:
        for row, raw in rows:
            if not raw:
                continue
            # The table's INTEGER PRIMARY KEY is its rowid.
            with sqlite.blobopen("mail_message_raw", "raw", row.id) as blob:
                for piece in _slices(raw):
                    blob.write(piece)


def _write_postgresql(connection: Connection, rows: Sequence[tuple[MailMessage, bytes]]) -> None:
    with _driver(connection, _COPY) as pg, pg.cursor() as cursor, cursor.copy(_COPY) as copy:
        write: Callable[[Any], None] = copy.write
        write(_COPY_HEADER)
        for row, raw in rows:
            # Two fields: message_id as int4, then raw.
            write(struct.pack("!hiii", 2, 4, row.id, len(raw)))
            for piece in _slices(raw):
                write(piece)
        write(_COPY_TRAILER)


def _slices(raw: bytes) -> Iterator[memoryview]:
    view = memoryview(raw)
    for start in range(0, len(view), SLICE_BYTES):
        yield view[start : start + SLICE_BYTES]


@contextmanager
def _driver(connection: Connection, statement: str) -> Iterator[Any]:
    """The driver's own connection (sqlite3, psycopg), its errors raised as SQLAlchemy's.

    Translated where they enter (style.md §6), so the cycle tells a lost database (retry
    the cycle) from a value the database refuses (quarantine the message) as it does for
    everything else it writes.
    """
    dialect = connection.dialect
    driver = connection.connection.driver_connection
    try:
        yield driver
    except dialect.loaded_dbapi.Error as err:
        lost = dialect.is_disconnect(err, connection.connection.dbapi_connection, None)
        if lost:
            connection.invalidate(err)
        raise DBAPIError.instance(
            statement,
            None,
            err,
            dialect.loaded_dbapi.Error,
            connection_invalidated=lost,
            dialect=dialect,
        ) from err
