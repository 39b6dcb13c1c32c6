"""A message's bytes are kept as received: written in slices (store/raw.py), read back whole."""

from __future__ import annotations

import mailbox
from collections.abc import Callable
from hashlib import sha256
from pathlib import Path
from typing import Any

import pytest
from hostile import NOTICE, raw_mail
from local_intake import local_settings
from mails import build_mail
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import intake.cycle
from intake import readers
from intake.cycle import Poller
from intake.mailbox import open_mailbox
from intake.pipeline import Analysis
from store.models import MailMessage, MailMessageRaw
from store.raw import SLICE_BYTES, read_raw, write_raw

_MB = 1024 * 1024

# NUL bytes, 8-bit bytes that are no UTF-8, a bare CR and LF line ends: kept as they came.
ODD = (
    b"From: anna.lind@funktionsstod.goteborg.se\r\n"
    b"To: lov@stadshuset.goteborg.se\r\n"
    b"Subject: Avslut Hamnen\r\n"
    b"Content-Type: text/plain; charset=iso-8859-1\r\n"
    b"Content-Transfer-Encoding: 8bit\r\n\r\n"
    b"Daglig verksamhet Hamnen upph\xf6r 2027-06-30.\n\x00\x00\xff\xfe\r\x80 slut"
)


def _noise(size: int) -> bytes:
    block = bytes(range(256)) * 4096
    return (block * (size // len(block) + 1))[:size]


def _poller(tmp_path: Path, db_url: str, sessions: Callable[[], Session], *raws: bytes) -> Poller:
    box = mailbox.Maildir(tmp_path / "mailbox", create=True)
    for raw in raws:
        box.add(raw)
    settings = local_settings(tmp_path, db_url)
    return Poller(settings, sessions, lambda: open_mailbox(settings.mailbox))


def _stored(sessions: Callable[[], Session]) -> dict[str, tuple[str, bytes | None]]:
    """sha256 of what was received → (state, the bytes read back through the model)."""
    with sessions() as session:
        rows = session.scalars(select(MailMessage).order_by(MailMessage.uid)).all()
        found = {row.sha256: (row.state, row.raw) for row in rows}
        for row in rows:
            assert read_raw(session, row.id) == row.raw
        count = session.scalar(select(func.count()).select_from(MailMessageRaw))
        assert count == len(rows)  # one row of bytes per message, none left over
        return found


def _one_at_a_time(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """The batch fails after its bytes are written: rolled back, then one message a time."""
    real = intake.cycle.resolve_failures
    failed: list[bool] = []

    def fail_once(*args: object, **kwargs: object) -> None:
        if not failed:
            failed.append(True)
            raise RuntimeError("a bug in the batch path")
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(intake.cycle, "resolve_failures", fail_once)
    return failed


@pytest.mark.parametrize("path", ["batch", "one at a time"])
def test_raw_bytes_come_back_byte_for_byte_from_a_poll(
    tmp_path: Path,
    db_url: str,
    sessions: Callable[[], Session],
    monkeypatch: pytest.MonkeyPatch,
    path: str,
) -> None:
    plain = build_mail("Daglig verksamhet Berget upphör 2027-06-30.", subject="Avslut Berget")
    # Exactly one slice, and one byte over: the edges of the slicing.
    fill = SLICE_BYTES - len(raw_mail(NOTICE, message_id="<edge@goteborg.se>"))
    edge = raw_mail(NOTICE + "x" * fill, message_id="<edge@goteborg.se>")
    over = raw_mail(NOTICE + "x" * (fill + 1), message_id="<over@goteborg.se>")
    raws = [plain, ODD, edge, over]
    fallen_back = _one_at_a_time(monkeypatch) if path == "one at a time" else [True]

    report = _poller(tmp_path, db_url, sessions, *raws).run_once()

    assert report.new == len(raws) and fallen_back
    assert len(edge) == SLICE_BYTES
    stored = _stored(sessions)
    assert {digest: raw for digest, (_state, raw) in stored.items()} == {
        sha256(raw).hexdigest(): raw for raw in raws
    }


def test_a_25_mb_message_is_kept_byte_for_byte(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    # Not encoded at all: every byte value, NUL and bare CR and LF among them.
    large = raw_mail(_noise(25 * _MB), content_type="application/octet-stream", encoding="binary")
    raws = [build_mail("Daglig verksamhet Berget upphör 2027-06-30."), large]

    report = _poller(tmp_path, db_url, sessions, *raws).run_once()

    assert report.new == 2
    stored = _stored(sessions)
    _state, raw = stored[sha256(large).hexdigest()]
    assert raw is not None and len(raw) == len(large) and raw == large


@pytest.mark.parametrize("path", ["batch", "one at a time"])
def test_a_failed_message_keeps_its_bytes(
    tmp_path: Path,
    db_url: str,
    sessions: Callable[[], Session],
    monkeypatch: pytest.MonkeyPatch,
    path: str,
) -> None:
    def broken(raw: bytes, *args: Any, **kwargs: Any) -> Analysis:
        if b"\x00" in raw:
            raise RuntimeError("a message this version cannot read")
        return real(raw, *args, **kwargs)

    real = readers.analyse
    monkeypatch.setattr(readers, "analyse", broken)
    fallen_back = _one_at_a_time(monkeypatch) if path == "one at a time" else [True]
    fine = build_mail("Daglig verksamhet Berget upphör 2027-06-30.", subject="Avslut Berget")

    report = _poller(tmp_path, db_url, sessions, ODD, fine).run_once()

    assert (report.processed, report.failed) == (1, 1) and fallen_back
    assert _stored(sessions) == {
        sha256(ODD).hexdigest(): ("failed", ODD),
        sha256(fine).hexdigest(): ("processed", fine),
    }


def test_bytes_the_database_refuses_raise_its_error_as_sqlalchemys(
    sessions: Callable[[], Session],
) -> None:
    # No message 4711: the foreign key refuses the bytes, on SQLite in the INSERT, on
    # PostgreSQL in the COPY (raised by psycopg itself, translated by write_raw).
    orphan = MailMessage(id=4711)
    with sessions() as session, session.begin(), pytest.raises(IntegrityError):
        write_raw(session, [(orphan, b"x" * (SLICE_BYTES + 1))])


def test_the_model_refuses_bytes_it_would_not_store() -> None:
    with pytest.raises(AttributeError, match="write_raw"):
        MailMessage(raw=b"x")
