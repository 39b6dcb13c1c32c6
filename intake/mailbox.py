"""Where incoming mail is read and where handled mail is put away: IMAP or a local Maildir.

Both kinds speak the same small protocol, keyed by UID and UIDVALIDITY so the cycle can
remember what it has seen. Errors from below (imaplib, sockets, ssl, the file system) are
translated here into ``MailboxError`` and its subclasses.
"""

from __future__ import annotations

import contextlib
import fcntl
import imaplib
import logging
import mailbox
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Protocol, Self
from urllib.parse import quote

from imapclient import DELETED, IMAPClient
from imapclient.exceptions import LoginError
from imapclient.imap_utf7 import encode as encode_utf7

from intake.settings import MailboxSettings
from parsers.errors import LovbotError

__all__ = [
    "HANDLED_KEYWORD",
    "FetchedMessage",
    "FolderStatus",
    "ImapMailbox",
    "Mailbox",
    "MailboxError",
    "MailboxLoginError",
    "MailboxUnavailable",
    "MaildirMailbox",
    "open_mailbox",
]

logger = logging.getLogger(__name__)

# Set on messages that were copied away but could not be removed (a server with neither
# MOVE nor UIDPLUS), so that repeating the move does not copy them twice.
HANDLED_KEYWORD = "$LovbotHandled"

_INBOX = "INBOX"


class MailboxError(LovbotError):
    """The mailbox server refused or failed an operation."""


class MailboxUnavailable(MailboxError):
    """The mailbox could not be reached (network, timeout, connection lost); worth retrying."""


class MailboxLoginError(MailboxError):
    """The server rejected the credentials."""


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

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc_info: object) -> None: ...


def open_mailbox(settings: MailboxSettings) -> Mailbox:
    """Return the (not yet connected) mailbox that ``settings.kind`` names."""
    if settings.kind == "imap":
        return ImapMailbox(settings)
    return MaildirMailbox(settings)


class _ConnectsOnEnter:
    def connect(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.connect()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


# --- IMAP -------------------------------------------------------------------------------


class ImapMailbox(_ConnectsOnEnter):
    """A folder on an IMAP server, through imapclient with UIDs."""

    def __init__(self, settings: MailboxSettings) -> None:
        self._settings = settings
        self.identity = _imap_identity(settings)
        self._client: IMAPClient | None = None
        self._lost = False

    def connect(self) -> None:
        """Connect, secure the connection as configured and log in."""
        if self._client is not None:
            return
        s = self._settings
        logger.debug("Connecting to %s (security %s)", self.identity, s.security)
        with self._errors("connect"):
            client = IMAPClient(
                s.host, s.port, use_uid=True, ssl=s.security == "ssl", timeout=s.timeout
            )
        try:
            with self._errors("STARTTLS"):
                if s.security == "starttls":
                    client.starttls()
            self._login(client)
        except BaseException:
            _shutdown_quietly(client)
            raise
        # Aware datetimes, in the offset the server gave.
        client.normalise_times = False
        self._client = client
        self._lost = False
        logger.info("Connected to %s", self.identity)

    def _login(self, client: IMAPClient) -> None:
        username = self._settings.username
        password = self._settings.password.get_secret_value()
        with self._errors("login"):
            try:
                # LOGIN is ASCII-only; AUTHENTICATE PLAIN carries UTF-8 (RFC 4616), which a
                # Swedish password may need.
                if username.isascii() and password.isascii():
                    client.login(username, password)
                else:
                    client.plain_login(username, password)
            except LoginError as err:
                # imapclient turns every failure during login into LoginError, even a
                # lost connection, whose exception is then the __context__.
                if isinstance(err.__context__, imaplib.IMAP4.abort | OSError) or (
                    "[UNAVAILABLE]" in str(err)
                ):
                    raise MailboxUnavailable(f"{self.identity}: login failed: {err}") from err
                raise MailboxLoginError(
                    f"{self.identity}: the server rejected the credentials: {err}"
                ) from err

    def close(self) -> None:
        """Log out and close the connection; never raises."""
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.logout()
        except Exception as err:
            logger.debug("Logout from %s failed: %s", self.identity, err)
            _shutdown_quietly(client)
        logger.debug("Closed %s", self.identity)

    def select(self, folder: str) -> FolderStatus:
        client = self._connected()
        with self._errors(f"SELECT {folder}"):
            response = client.select_folder(folder)
        if b"UIDVALIDITY" not in response:
            raise MailboxError(f"{self.identity}: the server sent no UIDVALIDITY for {folder}")
        status = FolderStatus(
            uidvalidity=response[b"UIDVALIDITY"],
            uidnext=response.get(b"UIDNEXT"),
            exists=response.get(b"EXISTS", 0),
        )
        logger.debug("Selected %s on %s: %s", folder, self.identity, status)
        return status

    def new_uids(self, after_uid: int) -> list[int]:
        """UIDs above ``after_uid`` in the selected folder, ascending."""
        client = self._connected()
        with self._errors("UID SEARCH"):
            found = client.search(["UID", f"{after_uid + 1}:*"])
        # "n:*" means "n up to the highest UID", so with nothing newer the server answers
        # with the last message (RFC 3501 6.4.8).
        return sorted(uid for uid in found if uid > after_uid)

    def fetch(self, uids: Sequence[int]) -> list[FetchedMessage]:
        """The raw bytes and INTERNALDATE of ``uids``, in one command; \\Seen is not set."""
        wanted = sorted(set(uids))
        if not wanted:
            return []
        client = self._connected()
        with self._errors("UID FETCH"):
            response = _fetch_present(client, wanted)
        messages = []
        for uid in wanted:
            data = response.get(uid)
            if data is None or data.get(b"BODY[]") is None:
                continue
            messages.append(
                FetchedMessage(
                    uid=uid,
                    raw=bytes(data[b"BODY[]"]),
                    internal_date=_stdlib_tz(data.get(b"INTERNALDATE")),
                )
            )
        logger.debug("Fetched %d of %d messages from %s", len(messages), len(wanted), self.identity)
        return messages

    def ensure_folders(self, names: Iterable[str]) -> None:
        """Create each folder that does not exist yet (and subscribe to it)."""
        wanted = [name for name in dict.fromkeys(names) if name.upper() != _INBOX]
        if not wanted:
            return
        client = self._connected()
        with self._errors("LIST"):
            existing = {name for _flags, _delimiter, name in client.list_folders()}
        for name in wanted:
            if name in existing:
                continue
            with self._errors(f"CREATE {name}"):
                try:
                    client.create_folder(name)
                except imaplib.IMAP4.abort:
                    raise
                except imaplib.IMAP4.error:
                    # Someone else may have created it since the LIST.
                    if not client.folder_exists(name):
                        raise
                client.subscribe_folder(name)
            logger.info("Created folder %s on %s", name, self.identity)

    def move(self, uids: Sequence[int], target: str) -> None:
        """Move ``uids`` from the selected folder to ``target``; safe to repeat.

        Without MOVE, UIDPLUS lets us expunge exactly these messages. Without either, the
        originals stay and get ``HANDLED_KEYWORD``: a plain EXPUNGE would also remove mail
        that someone else marked \\Deleted.
        """
        wanted = sorted(set(uids))
        if not wanted:
            return
        client = self._connected()
        with self._errors(f"move to {target}"):
            if client.has_capability("MOVE"):
                client.move(wanted, target)
                how = "MOVE"
            else:
                how = self._copy_and_remove(client, wanted, target)
        logger.info("Moved %d messages to %s on %s (%s)", len(wanted), target, self.identity, how)

    @staticmethod
    def _copy_and_remove(client: IMAPClient, uids: list[int], target: str) -> str:
        handled = HANDLED_KEYWORD.lower().encode()
        flags = client.get_flags(uids)
        present = [uid for uid in uids if uid in flags]
        # Copied before, by a run that failed before the originals were removed.
        pending = [uid for uid in present if handled not in {f.lower() for f in flags[uid]}]
        if pending:
            client.copy(pending, target)
        if client.has_capability("UIDPLUS"):
            if present:
                client.add_flags(present, [DELETED, HANDLED_KEYWORD], silent=True)
                client.uid_expunge(present)
            return "COPY and UID EXPUNGE"
        if pending:
            client.add_flags(pending, [HANDLED_KEYWORD], silent=True)
        return f"COPY and {HANDLED_KEYWORD}"

    def _connected(self) -> IMAPClient:
        if self._client is None:
            if self._lost:
                raise MailboxUnavailable(f"{self.identity}: the connection was lost")
            raise MailboxError(f"{self.identity}: not connected")
        return self._client

    @contextlib.contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        try:
            yield
        # abort (connection lost) is a subclass of error, so it comes first.
        except (imaplib.IMAP4.abort, OSError) as err:
            self._drop()
            raise MailboxUnavailable(f"{self.identity}: {action} failed: {err}") from err
        except imaplib.IMAP4.error as err:
            raise MailboxError(f"{self.identity}: {action} failed: {err}") from err

    def _drop(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            self._lost = True
            _shutdown_quietly(client)


def _fetch_present(client: IMAPClient, uids: list[int]) -> dict[int, dict[bytes, Any]]:
    """UID FETCH that lets messages go which another session expunged meanwhile.

    RFC 5530 ``[EXPUNGEISSUED]``: someone (a colleague in Outlook, a second poller) moved
    some of ``uids`` away before this session was told. NOOP brings the news; the second
    FETCH returns what is left, and the rest is simply no longer ours to read.
    """
    items = [b"BODY.PEEK[]", b"INTERNALDATE"]
    try:
        return client.fetch(uids, items)
    except imaplib.IMAP4.abort:
        raise
    except imaplib.IMAP4.error as err:
        if "EXPUNGEISSUED" not in str(err).upper():
            raise
        logger.info("Some messages were expunged by another session; fetching the rest")
        client.noop()
        return client.fetch(uids, items)


def _imap_identity(settings: MailboxSettings) -> str:
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    user = f"{quote(settings.username, safe='')}@" if settings.username else ""
    return f"imap://{user}{host}:{settings.port}"


def _shutdown_quietly(client: IMAPClient) -> None:
    try:
        client.shutdown()
    except Exception as err:
        logger.debug("Closing the socket failed: %s", err)


def _stdlib_tz(value: object) -> datetime | None:
    """imapclient's FixedOffset replaced by a stdlib timezone with the same offset."""
    if not isinstance(value, datetime):
        return None
    offset = value.utcoffset()
    if offset is None:
        return None
    return value.replace(tzinfo=UTC if offset == timedelta(0) else timezone(offset))


# --- Maildir ----------------------------------------------------------------------------

_UIDLIST = "lovbot-uidlist"
_UIDLIST_VERSION = "1"


class MaildirMailbox(_ConnectsOnEnter):
    """A local Maildir++ tree with IMAP-like UIDs, for running without a server.

    INBOX is the root; other folders are ``.Name`` subfolders, their names in modified
    UTF-7 as Dovecot writes them. Each folder keeps ``lovbot-uidlist``, which gives every
    file an increasing UID the first time it is seen and holds the folder's UIDVALIDITY.
    """

    def __init__(self, settings: MailboxSettings) -> None:
        self._root = Path(settings.path).expanduser().absolute()
        self.identity = f"maildir:{self._root}"
        self._maildir: mailbox.Maildir | None = None
        self._selected: Path | None = None

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

    def select(self, folder: str) -> FolderStatus:
        path = self._folder_path(folder)
        if not (path / "cur").is_dir() or not (path / "new").is_dir():
            raise MailboxError(f"{self.identity}: no such folder: {folder}")
        with self._errors(f"select {folder}"):
            uidlist = _sync_uidlist(path)
        self._selected = path
        return FolderStatus(
            uidvalidity=uidlist.uidvalidity, uidnext=uidlist.next_uid, exists=len(uidlist.files)
        )

    def new_uids(self, after_uid: int) -> list[int]:
        with self._errors("list"):
            uidlist = _sync_uidlist(self._selected_path())
        return sorted(uid for uid in uidlist.files if uid > after_uid)

    def fetch(self, uids: Sequence[int]) -> list[FetchedMessage]:
        wanted = sorted(set(uids))
        if not wanted:
            return []
        messages = []
        with self._errors("fetch"):
            files = _sync_uidlist(self._selected_path()).files
            for uid in wanted:
                path = files.get(uid)
                if path is None:
                    continue
                try:
                    raw = path.read_bytes()
                    mtime = path.stat().st_mtime
                except FileNotFoundError:
                    continue  # moved away meanwhile (e.g. new/ to cur/ by a mail client)
                # Maildir's delivery time is the file's mtime, as Dovecot reads it.
                messages.append(FetchedMessage(uid, raw, datetime.fromtimestamp(mtime, UTC)))
        return messages

    def ensure_folders(self, names: Iterable[str]) -> None:
        maildir = self._opened()
        for name in dict.fromkeys(names):
            if name.upper() == _INBOX:
                continue
            directory = _folder_dirname(name)
            if (self._root / directory).is_dir():
                continue
            with self._errors(f"create {name}"):
                maildir.add_folder(directory[1:])
            logger.info("Created folder %s in %s", name, self.identity)

    def move(self, uids: Sequence[int], target: str) -> None:
        """Rename the files into ``target`` (which must exist); safe to repeat."""
        wanted = sorted(set(uids))
        if not wanted:
            return
        target_path = self._folder_path(target)
        if not (target_path / "cur").is_dir():
            raise MailboxError(f"{self.identity}: no such folder: {target}")
        moved = 0
        with self._errors(f"move to {target}"):
            files = _sync_uidlist(self._selected_path()).files
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
        if folder.upper() == _INBOX:
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


@dataclass(frozen=True, slots=True)
class _UidList:
    uidvalidity: int
    next_uid: int
    files: dict[int, Path]


def _sync_uidlist(folder: Path) -> _UidList:
    """Give every message file in ``folder`` a UID, remembering earlier ones."""
    lock_path = folder / f"{_UIDLIST}.lock"
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        uidvalidity, next_uid, known = _read_uidlist(folder / _UIDLIST)
        present = _scan_maildir(folder)
        unseen = sorted(
            (key for key in present if key not in known),
            key=lambda key: (_mtime(present[key]), key),
        )
        for key in unseen:
            known[key] = next_uid
            next_uid += 1
        kept = {key: uid for key, uid in known.items() if key in present}
        if unseen or len(kept) != len(known) or not (folder / _UIDLIST).exists():
            _write_uidlist(folder / _UIDLIST, uidvalidity, next_uid, kept)
    return _UidList(uidvalidity, next_uid, {uid: present[key] for key, uid in kept.items()})


def _read_uidlist(path: Path) -> tuple[int, int, dict[str, int]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return int(time.time()), 1, {}
    try:
        version, validity, next_uid = lines[0].split()
        if version != _UIDLIST_VERSION or validity[0] != "V" or next_uid[0] != "N":
            raise ValueError(lines[0])
        known = {}
        for line in lines[1:]:
            uid, key = line.split(" ", 1)
            known[key] = int(uid)
        return int(validity[1:]), int(next_uid[1:]), known
    except (ValueError, IndexError) as err:
        # Renumbering silently would hand out old UIDs under the same UIDVALIDITY.
        raise MailboxError(f"{path} is damaged; delete it to renumber the folder") from err


def _write_uidlist(path: Path, uidvalidity: int, next_uid: int, known: dict[str, int]) -> None:
    lines = [f"{_UIDLIST_VERSION} V{uidvalidity} N{next_uid}"]
    lines += [f"{uid} {key}" for key, uid in sorted(known.items(), key=lambda item: item[1])]
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with open(temporary, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)


def _scan_maildir(folder: Path) -> dict[str, Path]:
    """Message files in new/ and cur/ by their Maildir key (the name before ':')."""
    found: dict[str, Path] = {}
    for sub in ("new", "cur"):
        for entry in os.scandir(folder / sub):
            if entry.name.startswith(".") or not entry.is_file():
                continue
            found[entry.name.split(":", 1)[0]] = Path(entry.path)
    return found


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0
