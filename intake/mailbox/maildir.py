"""A local Maildir++ tree read like an IMAP folder, for running without a server."""

from __future__ import annotations

import contextlib
import functools
import logging
import mailbox
import os
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from imapclient.imap_utf7 import encode as encode_utf7

from intake.mailbox.errors import MailboxError, MailboxUnavailable
from intake.mailbox.protocol import (
    INBOX,
    LARGE_MESSAGE_BYTES,
    ConnectsOnEnter,
    FetchedMessage,
    FolderStatus,
    LargeMessages,
)
from intake.mailbox.uidlist import sync_uidlist
from intake.settings import MailboxSettings

__all__ = ["MaildirMailbox"]

logger = logging.getLogger(__name__)


class MaildirMailbox(ConnectsOnEnter):
    """A local Maildir++ tree with IMAP-like UIDs, for running without a server.

    INBOX is the root; other folders are ``.Name`` subfolders, their names in modified
    UTF-7 as Dovecot writes them. Each folder keeps ``lovbot-uidlist`` (``uidlist.py``),
    which gives every file an increasing UID the first time it is seen and holds the
    folder's UIDVALIDITY.
    """

    def __init__(self, settings: MailboxSettings) -> None:
        self._root = Path(settings.path).expanduser().absolute()
        self.identity = f"maildir:{self._root}"
        self._maildir: mailbox.Maildir | None = None
        self._selected: Path | None = None
        self._large = LargeMessages()

    def connect(self) -> None:
        """Open the Maildir, creating it if missing."""
        with self._errors("open"):
            self._root.parent.mkdir(parents=True, exist_ok=True)
            self._maildir = mailbox.Maildir(self._root, factory=None, create=True)
            for sub in ("tmp", "new", "cur"):
                (self._root / sub).mkdir(mode=0o700, exist_ok=True)
        logger.debug("Opened %s", self.identity)

    def close(self) -> None:
        self._maildir = None
        self._selected = None
        self._large.clear()

    def select(self, folder: str) -> FolderStatus:
        path = self._folder_path(folder)
        if not (path / "cur").is_dir() or not (path / "new").is_dir():
            raise MailboxError(f"{self.identity}: no such folder: {folder}")
        with self._errors(f"select {folder}"):
            uidlist = sync_uidlist(path)
        self._selected = path
        self._large.clear()
        return FolderStatus(
            uidvalidity=uidlist.uidvalidity, uidnext=uidlist.next_uid, exists=len(uidlist.files)
        )

    def new_uids(self, after_uid: int) -> list[int]:
        with self._errors("list"):
            uidlist = sync_uidlist(self._selected_path())
        return sorted(uid for uid in uidlist.files if uid > after_uid)

    def fetch(self, uids: Sequence[int]) -> list[FetchedMessage]:
        wanted = sorted(set(uids))
        if not wanted:
            return []
        messages = []
        with self._errors("fetch"):
            files = sync_uidlist(self._selected_path()).files
            for uid in wanted:
                path = files.get(uid)
                if path is None:
                    continue
                try:
                    stat = path.stat()
                    # Maildir's delivery time is the file's mtime, as Dovecot reads it.
                    received = datetime.fromtimestamp(stat.st_mtime, UTC)
                    if stat.st_size >= LARGE_MESSAGE_BYTES:
                        # Read when the cycle comes to it, one large message at a time.
                        key = (self._selected_path(), uid)
                        read = functools.partial(
                            self._large.get, key, functools.partial(self._read_large, *key)
                        )
                        messages.append(FetchedMessage.deferred(uid, received, read))
                        continue
                    raw = path.read_bytes()
                except FileNotFoundError:
                    continue  # moved away meanwhile (e.g. new/ to cur/ by a mail client)
                messages.append(FetchedMessage(uid, raw, received))
        return messages

    def _read_large(self, folder: Path, uid: int) -> bytes:
        """A large message's bytes, from wherever its file is now."""
        with self._errors("fetch"):
            for _attempt in range(2):
                path = sync_uidlist(folder).files.get(uid)
                if path is None:
                    break
                try:
                    return path.read_bytes()
                except FileNotFoundError:
                    continue  # moved from new/ to cur/ meanwhile: look again
        # Moved away since the batch was listed: the cycle starts again without it.
        raise MailboxUnavailable(
            f"{self.identity}: message {uid} left the folder before it was read"
        )

    def ensure_folders(self, names: Iterable[str]) -> None:
        maildir = self._opened()
        for name in dict.fromkeys(names):
            if name.upper() == INBOX:
                continue
            directory = _folder_dirname(name)
            if (self._root / directory).is_dir():
                continue
            with self._errors(f"create {name}"):
                maildir.add_folder(directory[1:])
            logger.info("Created folder %s in %s", name, self.identity)

    def move(self, uids: Sequence[int], target: str) -> None:
        """Rename the files into ``target`` (which must exist); safe to repeat."""
        # The cycle moves a batch once it has read it: its large message is done with.
        self._large.clear()
        wanted = sorted(set(uids))
        if not wanted:
            return
        target_path = self._folder_path(target)
        if not (target_path / "cur").is_dir():
            raise MailboxError(f"{self.identity}: no such folder: {target}")
        moved = 0
        with self._errors(f"move to {target}"):
            files = sync_uidlist(self._selected_path()).files
            for uid in wanted:
                source = files.get(uid)
                if source is None:
                    continue
                with contextlib.suppress(FileNotFoundError):
                    os.rename(source, target_path / source.parent.name / source.name)
                    moved += 1
        logger.info("Moved %d messages to %s in %s", moved, target, self.identity)

    def _opened(self) -> mailbox.Maildir:
        if self._maildir is None:
            raise MailboxError(f"{self.identity}: not connected")
        return self._maildir

    def _selected_path(self) -> Path:
        if self._selected is None:
            raise MailboxError(f"{self.identity}: no folder selected")
        return self._selected

    def _folder_path(self, folder: str) -> Path:
        self._opened()
        if folder.upper() == INBOX:
            return self._root
        return self._root / _folder_dirname(folder)

    @contextlib.contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except OSError as err:
            raise MailboxError(f"{self.identity}: {action} failed: {err}") from err


def _folder_dirname(name: str) -> str:
    if not name or name.startswith(".") or "/" in name or "\x00" in name:
        raise MailboxError(f"not a usable Maildir folder name: {name!r}")
    return "." + encode_utf7(name).decode("ascii")
