"""intake.mailbox over a local Maildir: the same contract as IMAP, on files."""

from __future__ import annotations

import mailbox as stdlib_mailbox
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from intake.mailbox import FetchedMessage, MailboxError, MaildirMailbox
from intake.settings import MailboxSettings

TARGETS = ["Behandlat", "Granska", "Karantän"]


def message(subject: str) -> bytes:
    return f"From: utforare@example.se\nSubject: {subject}\n\nText for {subject}.\n".encode()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "var" / "mailbox"


@pytest.fixture
def settings(root: Path) -> MailboxSettings:
    return MailboxSettings(kind="maildir", path=root)


def deliver(root: Path, raw: bytes, *, mtime: float | None = None) -> Path:
    """Put ``raw`` into new/ as an MTA would; returns the file."""
    root.parent.mkdir(parents=True, exist_ok=True)
    key = stdlib_mailbox.Maildir(root, create=True).add(raw)
    path = root / "new" / key
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def read_by_mail_client(path: Path) -> Path:
    """Move a file from new/ to cur/ and mark it seen, as a mail client does."""
    target = path.parent.parent / "cur" / f"{path.name}:2,S"
    os.rename(path, target)
    return target


def test_connect_creates_a_missing_maildir(settings, root):
    with MaildirMailbox(settings) as mailbox:
        status = mailbox.select("INBOX")
    assert all((root / sub).is_dir() for sub in ("new", "cur", "tmp"))
    assert status.exists == 0
    assert status.uidnext == 1


def test_identity_is_the_absolute_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    mailbox = MaildirMailbox(MailboxSettings(kind="maildir", path=Path("var/mailbox")))
    assert mailbox.identity == f"maildir:{tmp_path / 'var' / 'mailbox'}"


def test_uids_follow_delivery_order_and_survive_reopening(settings, root):
    for number, mtime in enumerate([1_700_000_300, 1_700_000_100, 1_700_000_200]):
        deliver(root, message(f"m{number}"), mtime=mtime)

    with MaildirMailbox(settings) as mailbox:
        first = mailbox.select("INBOX")
        uids = mailbox.new_uids(0)
        raws = [m.raw for m in mailbox.fetch(uids)]
    assert uids == [1, 2, 3]
    assert raws == [message("m1"), message("m2"), message("m0")]
    assert first.exists == 3
    assert first.uidnext == 4

    with MaildirMailbox(settings) as mailbox:
        again = mailbox.select("INBOX")
        assert [m.raw for m in mailbox.fetch(mailbox.new_uids(0))] == raws
    assert again == first


def test_new_uids_after_a_watermark(settings, root):
    with MaildirMailbox(settings) as mailbox:
        mailbox.select("INBOX")
        deliver(root, message("a"))
        deliver(root, message("b"))
        assert mailbox.new_uids(0) == [1, 2]
        assert mailbox.new_uids(1) == [2]
        assert mailbox.new_uids(2) == []
        deliver(root, message("c"))
        assert mailbox.new_uids(2) == [3]


def test_files_in_new_and_cur_are_both_seen_and_keep_their_uid(settings, root):
    old = deliver(root, message("old"))
    with MaildirMailbox(settings) as mailbox:
        mailbox.select("INBOX")
        assert mailbox.new_uids(0) == [1]
        read_by_mail_client(old)
        deliver(root, message("new"))
        assert mailbox.new_uids(0) == [1, 2]
        assert [m.raw for m in mailbox.fetch([1, 2])] == [message("old"), message("new")]


def test_fetch_reads_without_touching_the_files(settings, root):
    path = deliver(root, message("a"), mtime=1_700_000_000)
    with MaildirMailbox(settings) as mailbox:
        mailbox.select("INBOX")
        fetched = mailbox.fetch([1, 99])
    assert fetched == [FetchedMessage(1, message("a"), datetime.fromtimestamp(1_700_000_000, UTC))]
    assert path.exists()  # still in new/, flags unchanged: a peek
    assert mailbox.fetch([]) == []


def test_ensure_folders_creates_maildir_plus_plus_subfolders(settings, root):
    with MaildirMailbox(settings) as mailbox:
        mailbox.ensure_folders([*TARGETS, "INBOX"])
        mailbox.ensure_folders(TARGETS)
    # Dovecot's on-disk names: the IMAP name in modified UTF-7 after a dot.
    folders = {".Behandlat", ".Granska", ".Karant&AOQ-n"}
    assert {p.name for p in root.iterdir() if p.name.startswith(".")} >= folders
    assert all((root / name / "maildirfolder").exists() for name in folders)
    assert all((root / name / "cur").is_dir() for name in folders)


@pytest.mark.parametrize("target", TARGETS)
def test_move_takes_the_file_out_of_the_source(settings, root, target):
    first = deliver(root, message("a"))
    second = read_by_mail_client(deliver(root, message("b")))
    deliver(root, message("stays"))
    with MaildirMailbox(settings) as mailbox:
        mailbox.ensure_folders([target])
        mailbox.select("INBOX")
        mailbox.move([1, 2], target)
        mailbox.move([1, 2], target)  # a repeat changes nothing
        assert mailbox.new_uids(0) == [3]
        assert [m.raw for m in mailbox.fetch([1, 2, 3])] == [message("stays")]

        status = mailbox.select(target)
        assert status.exists == 2
        assert [m.raw for m in mailbox.fetch(mailbox.new_uids(0))] == [
            message("a"),
            message("b"),
        ]
    assert not first.exists() and not second.exists()
    moved = {p.relative_to(root).parts[1:] for p in root.glob(".*/*/*") if p.parent.name != "tmp"}
    assert moved == {("new", first.name), ("cur", second.name)}


def test_uids_are_never_reused(settings, root):
    deliver(root, message("a"))
    deliver(root, message("b"))
    with MaildirMailbox(settings) as mailbox:
        mailbox.ensure_folders(["Behandlat"])
        mailbox.select("INBOX")
        mailbox.move([2], "Behandlat")
        deliver(root, message("c"))
        assert mailbox.new_uids(0) == [1, 3]
    with MaildirMailbox(settings) as mailbox:
        assert mailbox.select("INBOX").uidnext == 4


def test_uidvalidity_is_fixed_at_creation(settings, root):
    with MaildirMailbox(settings) as mailbox:
        mailbox.ensure_folders(["Behandlat"])
        created = mailbox.select("INBOX").uidvalidity
        deliver(root, message("a"))
        mailbox.move(mailbox.new_uids(0), "Behandlat")
    with MaildirMailbox(settings) as mailbox:
        assert mailbox.select("INBOX").uidvalidity == created


def test_uidlist_is_written_atomically(settings, root):
    deliver(root, message("a"))
    with MaildirMailbox(settings) as mailbox:
        mailbox.select("INBOX")
    names = {p.name for p in root.iterdir() if p.is_file()}
    assert names == {"lovbot-uidlist", "lovbot-uidlist.lock"}
    header, entry = (root / "lovbot-uidlist").read_text().splitlines()
    assert header.startswith("1 V") and header.endswith(" N2")
    assert entry.startswith("1 ")


def test_a_damaged_uidlist_is_a_mailbox_error(settings, root):
    deliver(root, message("a"))
    (root / "lovbot-uidlist").write_text("garbage\n")
    with MaildirMailbox(settings) as mailbox, pytest.raises(MailboxError):
        mailbox.select("INBOX")


@pytest.mark.parametrize("folder", ["Finns-inte", "../etc", ".hidden", ""])
def test_missing_or_unusable_folders_are_mailbox_errors(settings, folder):
    with MaildirMailbox(settings) as mailbox:
        with pytest.raises(MailboxError):
            mailbox.select(folder)
        mailbox.select("INBOX")
        with pytest.raises(MailboxError):
            mailbox.move([1], folder)


def test_calls_need_a_connection_and_a_selected_folder(settings):
    mailbox = MaildirMailbox(settings)
    mailbox.close()
    with pytest.raises(MailboxError):
        mailbox.select("INBOX")
    mailbox.connect()
    with pytest.raises(MailboxError):
        mailbox.new_uids(0)
    mailbox.close()
    mailbox.close()
