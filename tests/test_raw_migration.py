"""Migration 0009 moves each message's bytes to mail_message_raw; its downgrade puts them back."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import Engine, select, text

from store.db import _alembic_config, make_sessionmaker, upgrade
from store.models import MailMessage

KEPT = b"Subject: Avslut\r\n\r\nDaglig verksamhet Hamnen upph\xf6r\x00\xff\r\n"
AT = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)


def _insert(engine: Engine, uid: int, raw: bytes, purged_at: dt.datetime | None) -> None:
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO mail_message (mailbox, folder, uidvalidity, uid, sha256, raw, state,"
                " target_folder, created_at, purged_at) VALUES ('test', 'INBOX', 1, :uid, :sha,"
                " :raw, 'processed', 'Behandlat', :at, :purged)"
            ),
            {"uid": uid, "sha": "0" * 64, "raw": raw, "at": AT, "purged": purged_at},
        )


def test_existing_bytes_move_to_their_own_table_and_back(engine: Engine) -> None:
    config = _alembic_config(engine)
    command.downgrade(config, "0007")
    _insert(engine, 1, KEPT, None)
    _insert(engine, 2, b"", AT)  # removed by gallring before 0009
    _insert(engine, 3, b"", None)  # an empty message is still a message

    upgrade(engine)

    assert _raws(engine) == {1: KEPT, 2: None, 3: b""}
    with make_sessionmaker(engine)() as session:
        rows = {m.uid: m for m in session.scalars(select(MailMessage))}
    with engine.connect() as connection:
        moved = connection.execute(
            text("SELECT message_id FROM mail_message_raw ORDER BY message_id")
        ).scalars()
        assert list(moved) == [rows[1].id, rows[3].id]

    command.downgrade(config, "0007")

    with engine.connect() as connection:
        back = connection.execute(text("SELECT uid, raw FROM mail_message ORDER BY uid")).all()
        assert [(uid, bytes(raw)) for uid, raw in back] == [(1, KEPT), (2, b""), (3, b"")]
    upgrade(engine)
    assert _raws(engine) == {1: KEPT, 2: None, 3: b""}


def _raws(engine: Engine) -> dict[int, bytes | None]:
    with make_sessionmaker(engine)() as session:
        return {m.uid: m.raw for m in session.scalars(select(MailMessage))}
