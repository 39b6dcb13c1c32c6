"""Large messages are fetched on their own and held one at a time (IMAP on Dovecot, Maildir).

A batch is one UID FETCH of each message's size, date and first LARGE_MESSAGE_BYTES; a
larger message comes deferred and is fetched alone (BODY.PEEK[] of its UID) when its bytes
are read. Memory is measured with tracemalloc, not guessed from the commands.
"""

from __future__ import annotations

import mailbox
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from fixtures_imap import ImapAccount
from local_intake import local_settings
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.cycle import Poller
from intake.mailbox import FetchedMessage, ImapMailbox, MailboxUnavailable, MaildirMailbox
from intake.mailbox.protocol import LARGE_MESSAGE_BYTES
from intake.settings import MailboxSettings
from store.models import MailMessage

_MB = 1024 * 1024
_LARGE = 3 * _MB


def message(subject: str, size: int = 0) -> bytes:
    line = b"x" * 998 + b"\r\n"
    body = line * (size // len(line)) if size else f"Text for {subject}.\r\n".encode()
    return (
        f"From: utforare@example.se\r\nTo: lov@goteborg.se\r\nSubject: {subject}\r\n\r\n"
    ).encode() + body


def _uid_fetches(commands: list[str]) -> list[str]:
    return [c for c in commands if c.upper().startswith("UID FETCH")]


@pytest.mark.imap
def test_large_messages_are_fetched_one_at_a_time(imap_account: ImapAccount) -> None:
    raws = [
        message("liten 1"),
        message("stor 1", _LARGE),
        message("stor 2", _LARGE),
        message("liten 2"),
        message("stor 3", _LARGE),
    ]
    uids = [imap_account.append(raw) for raw in raws]
    large = [uid for uid, raw in zip(uids, raws, strict=True) if len(raw) > LARGE_MESSAGE_BYTES]

    held: list[int] = []
    with (
        imap_account.recorded_commands() as commands,
        ImapMailbox(imap_account.settings()) as box,
    ):
        box.select("INBOX")
        tracemalloc.start()
        try:
            fetched = box.fetch(uids)
            held.append(tracemalloc.get_traced_memory()[0])
            right = []
            for item, raw in zip(fetched, raws, strict=True):
                # As the cycle reads them: in order, each one's bytes asked for thrice.
                right.append(item.raw == raw and item.raw == raw and len(item.raw) == len(raw))
                held.append(tracemalloc.get_traced_memory()[0])
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    assert [m.uid for m in fetched] == uids
    assert all(right)
    # One large message held at a time (three at once before), the batch itself small.
    assert held[0] < _LARGE // 2
    assert max(held) < 2 * _LARGE
    # Reading one is one copy of it: imaplib's debug output no longer formats it (3.25x).
    assert peak < 1.5 * _LARGE
    fetches = _uid_fetches(commands)
    assert len(fetches) == 1 + len(large)
    assert f"BODY.PEEK[]<0.{LARGE_MESSAGE_BYTES}>" in fetches[0]
    assert "RFC822.SIZE" in fetches[0]
    assert fetches[1:] == [f"UID FETCH {uid} (BODY.PEEK[])" for uid in large]
    assert all("\\Seen" not in flags for flags in imap_account.flags().values())


@pytest.mark.imap
def test_a_large_message_gone_before_it_is_read_starts_the_cycle_again(
    imap_account: ImapAccount,
) -> None:
    uid = imap_account.append(message("stor", _LARGE))
    with ImapMailbox(imap_account.settings()) as box:
        box.select("INBOX")
        (fetched,) = box.fetch([uid])
        with imap_account.client() as other:  # a colleague moves it away meanwhile
            other.select_folder("INBOX")
            other.delete_messages([uid])
            other.expunge()
        with pytest.raises(MailboxUnavailable, match="before it was read"):
            _ = fetched.raw


def test_maildir_reads_large_messages_when_asked_and_one_at_a_time(tmp_path: Path) -> None:
    raws = [message("liten"), message("stor 1", _LARGE), message("stor 2", _LARGE)]
    folder = mailbox.Maildir(tmp_path / "mail", create=True)
    for raw in raws:
        folder.add(raw)
    box = MaildirMailbox(MailboxSettings(kind="maildir", path=tmp_path / "mail"))
    with box:
        box.select("INBOX")
        tracemalloc.start()
        try:
            fetched = box.fetch(box.new_uids(0))
            held = [tracemalloc.get_traced_memory()[0]]
            right = []
            for item in fetched:
                right.append(item.raw in raws)
                held.append(tracemalloc.get_traced_memory()[0])
        finally:
            tracemalloc.stop()

    assert right == [True] * len(raws)
    assert held[0] < _LARGE // 2
    assert max(held) < 2 * _LARGE


def test_maildir_large_message_gone_before_it_is_read(tmp_path: Path) -> None:
    folder = mailbox.Maildir(tmp_path / "mail", create=True)
    key = folder.add(message("stor", _LARGE))
    box = MaildirMailbox(MailboxSettings(kind="maildir", path=tmp_path / "mail"))
    with box:
        box.select("INBOX")
        (fetched,) = box.fetch(box.new_uids(0))
        folder.remove(key)
        with pytest.raises(MailboxUnavailable, match="before it was read"):
            _ = fetched.raw


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_cycle_starts_again_when_a_large_message_left_before_it_was_read(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = local_settings(tmp_path, db_url)
    folder = mailbox.Maildir(settings.mailbox.path, create=True)
    small = folder.add(message("liten"))
    large = folder.add(message("stor", _LARGE))

    class MovedAway(MaildirMailbox):
        """A colleague takes the large message out of the folder after the batch is listed
        (a fault that cannot be timed for real)."""

        def fetch(self, uids: Sequence[int]) -> list[FetchedMessage]:
            fetched = super().fetch(uids)
            if large in folder:
                folder.remove(large)
            return fetched

    waits: list[float] = []
    poller = Poller(
        settings,
        sessions,
        lambda: MovedAway(settings.mailbox),
        retry_wait=lambda seconds: bool(waits.append(seconds)),
    )

    report = poller.run_once()

    assert len(waits) == 1  # once round again, then the message is not there
    assert (report.processed, report.failed) == (1, 0)
    with sessions() as session:
        assert session.scalars(select(MailMessage.subject)).all() == ["liten"]
    assert small not in folder  # handled and moved
