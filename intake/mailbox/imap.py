"""An IMAP folder through imapclient, by UID.

Each server and library quirk is explained where it is handled; errors from imaplib,
sockets and ssl become ``MailboxError`` and its subclasses here.
"""

from __future__ import annotations

import contextlib
import functools
import imaplib
import logging
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote

from imapclient import DELETED, IMAPClient
from imapclient.exceptions import LoginError

from intake.mailbox.errors import MailboxError, MailboxLoginError, MailboxUnavailable
from intake.mailbox.protocol import (
    INBOX,
    LARGE_MESSAGE_BYTES,
    ConnectsOnEnter,
    FetchedMessage,
    FolderStatus,
    LargeMessages,
)
from intake.oauth import OAuth2Error, OAuth2Unavailable, TokenSource
from intake.settings import MailboxSettings

__all__ = ["HANDLED_KEYWORD", "ImapMailbox"]

logger = logging.getLogger(__name__)

# How often a waiting IDLE looks at the stop flag; the command itself stays open.
_IDLE_SLICE = 1.0
# imaplib's debug level: lines, not the literals in them (see connect()).
_IMAPLIB_DEBUG = 4

# Set on messages that were copied away but could not be removed (a server with neither
# MOVE nor UIDPLUS), so that repeating the move does not copy them twice.
HANDLED_KEYWORD = "$LovbotHandled"


class ImapMailbox(ConnectsOnEnter):
    """A folder on an IMAP server, through imapclient with UIDs."""

    def __init__(self, settings: MailboxSettings, tokens: TokenSource | None = None) -> None:
        if settings.auth == "oauth2" and tokens is None:
            raise MailboxError("[mailbox] auth = oauth2 behöver inställningarna under [oauth2]")
        self._settings = settings
        self._tokens = tokens if settings.auth == "oauth2" else None
        self.identity = _imap_identity(settings)
        self._client: IMAPClient | None = None
        self._lost = False
        # The highest UID new_uids has reported in the selected folder (for idle()).
        self._newest_uid: int | None = None
        # The selected folder and its UIDVALIDITY, which name a deferred message.
        self._selected: tuple[str, int] | None = None
        self._large = LargeMessages()

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
        # imapclient sets imaplib's debug level to 5, at which imaplib formats every
        # untagged response with %r before its logger is asked whether it logs at all: a
        # 25 MB message became 55 MB of text, twice, on each FETCH. Level 4 still logs
        # every line sent and received, without the literals.
        client._imap.debug = min(client._imap.debug, _IMAPLIB_DEBUG)
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
        if self._tokens is not None:
            self._oauth2_login(client, self._tokens)
            return
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
                raise self._login_failure(err) from err

    def _oauth2_login(self, client: IMAPClient, tokens: TokenSource) -> None:
        """AUTHENTICATE XOAUTH2 with the app's token; a refused cached token is renewed once.

        The cache may hold a token the server already considers ended (revoked, or
        expired by the server's clock); one new token settles that, two refusals are an
        answer.
        """
        username = self._settings.username
        for attempt in (1, 2):
            token = self._token(tokens)
            with self._errors("login"):
                try:
                    client.oauth2_login(username, token)
                    return
                except LoginError as err:
                    failure = self._login_failure(err)
                    if not isinstance(failure, MailboxLoginError):
                        raise failure from err
                    if attempt == 2:
                        raise MailboxLoginError(
                            f"{self.identity}: servern godtog inte appens token ({err}). "
                            "Kontrollera att appen har IMAP.AccessAsApp och FullAccess till "
                            f"brevlådan {username} (README, Microsoft 365)."
                        ) from err
                    logger.info("%s refused the cached token; asking for a new one", self.identity)
                    tokens.invalidate()

    def _token(self, tokens: TokenSource) -> str:
        try:
            return tokens.token()
        except OAuth2Unavailable as err:
            raise MailboxUnavailable(f"{self.identity}: {err}") from err
        except OAuth2Error as err:
            raise MailboxLoginError(f"{self.identity}: {err}") from err

    def _login_failure(self, err: LoginError) -> MailboxError:
        # imapclient turns every failure during login into LoginError, even a lost
        # connection, whose exception is then the __context__.
        if isinstance(err.__context__, imaplib.IMAP4.abort | OSError) or (
            "[UNAVAILABLE]" in str(err)
        ):
            return MailboxUnavailable(f"{self.identity}: login failed: {err}")
        return MailboxLoginError(f"{self.identity}: the server rejected the credentials: {err}")

    def close(self) -> None:
        """Log out and close the connection; never raises."""
        client, self._client = self._client, None
        self._large.clear()
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
        self._newest_uid = None
        self._selected = None
        self._large.clear()
        with self._errors(f"SELECT {folder}"):
            response = client.select_folder(folder)
        if b"UIDVALIDITY" not in response:
            raise MailboxError(f"{self.identity}: the server sent no UIDVALIDITY for {folder}")
        status = FolderStatus(
            uidvalidity=response[b"UIDVALIDITY"],
            uidnext=response.get(b"UIDNEXT"),
            exists=response.get(b"EXISTS", 0),
        )
        self._selected = (folder, status.uidvalidity)
        logger.debug("Selected %s on %s: %s", folder, self.identity, status)
        return status

    def new_uids(self, after_uid: int) -> list[int]:
        """UIDs above ``after_uid`` in the selected folder, ascending."""
        client = self._connected()
        with self._errors("UID SEARCH"):
            found = client.search(["UID", f"{after_uid + 1}:*"])
        # "n:*" means "n up to the highest UID", so with nothing newer the server answers
        # with the last message (RFC 3501 6.4.8).
        uids = sorted(uid for uid in found if uid > after_uid)
        self._newest_uid = max([after_uid, *uids])
        return uids

    def fetch(self, uids: Sequence[int]) -> list[FetchedMessage]:
        """``uids`` with their INTERNALDATE, in one command; \\Seen is not set.

        The command asks for each message's size and its first LARGE_MESSAGE_BYTES: a
        message that fits is complete in this one round trip; a larger one comes deferred
        and is fetched on its own (BODY.PEEK[] of that UID alone) when the cycle reads it,
        one large message held at a time.
        """
        wanted = sorted(set(uids))
        if not wanted:
            return []
        client = self._connected()
        selected = self._selected
        if selected is None:
            raise MailboxError(f"{self.identity}: FETCH before a folder is selected")
        with self._errors("UID FETCH"):
            response = _fetch_present(client, wanted, _FIRST_BYTES)
        messages = []
        for uid in wanted:
            data = response.pop(uid, None)
            first = data.get(_FIRST_BYTES_KEY) if data is not None else None
            if data is None or first is None:
                continue
            received = _stdlib_tz(data.get(b"INTERNALDATE"))
            # Fewer bytes than asked for are the whole message. RFC822.SIZE is not used to
            # decide: Exchange reports an estimate.
            message = FetchedMessage.from_first_bytes(
                uid, bytes(first), received, functools.partial(self._large_raw, selected, uid)
            )
            if message.is_deferred:
                logger.debug(
                    "Message uid=%s (%s bytes) is fetched on its own",
                    uid,
                    data.get(b"RFC822.SIZE"),
                )
            messages.append(message)
        logger.debug(
            "Fetched %d of %d messages from %s (%d large, fetched when read)",
            len(messages),
            len(wanted),
            self.identity,
            sum(m.is_deferred for m in messages),
        )
        return messages

    def _large_raw(self, selected: tuple[str, int], uid: int) -> bytes:
        """The bytes of a large message of ``fetch``, the only large one held."""
        return self._large.get((*selected, uid), lambda: self._fetch_whole(selected, uid))

    def _fetch_whole(self, selected: tuple[str, int], uid: int) -> bytes:
        if self._selected != selected:
            raise MailboxError(
                f"{self.identity}: message {uid} of {selected[0]} was read after another "
                "folder was selected"
            )
        client = self._connected()
        with self._errors(f"UID FETCH {uid}"):
            response = _fetch_present(client, [uid], [b"BODY.PEEK[]"])
        raw = response.get(uid, {}).get(b"BODY[]")
        if raw is None:
            # Moved away (by a colleague, a second poller) since the batch was fetched:
            # the cycle starts again, and no longer finds it.
            raise MailboxUnavailable(
                f"{self.identity}: message {uid} left {selected[0]} before it was read"
            )
        logger.debug("Fetched large message uid=%s (%d bytes) on its own", uid, len(raw))
        return bytes(raw)

    def ensure_folders(self, names: Iterable[str]) -> None:
        """Create each folder that does not exist yet (and subscribe to it)."""
        wanted = [name for name in dict.fromkeys(names) if name.upper() != INBOX]
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
        # The cycle moves a batch once it has read it: its large message is done with.
        self._large.clear()
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

    def idle(self, seconds: float, stop: threading.Event) -> bool | None:
        """IDLE (RFC 2177) on the selected folder until new mail, ``seconds`` or ``stop``.

        None when the server does not offer IDLE. The caller renews by calling again:
        servers end an IDLE after 30 minutes (Exchange sooner), so ``seconds`` stays below.
        """
        client = self._connected()
        self._large.clear()  # not held while waiting for the next cycle
        if not client.has_capability("IDLE"):
            return None
        if self._newest_uid is not None:
            # Mail that came after the cycle's search is announced (* n EXISTS) in the
            # answer to whatever command comes next; imapclient leaves such announcements
            # in imaplib's store instead of handing them over, and IDLE does not repeat
            # them, so the mail would wait for the next renewal. Forget the old ones, look
            # again, and count an announcement made during that look as news.
            _take_announced(client)
            with self._errors("UID SEARCH"):
                found = client.search(["UID", f"{self._newest_uid + 1}:*"])
            if any(uid > self._newest_uid for uid in found) or _take_announced(client):
                return True
        deadline = time.monotonic() + seconds
        news = False
        with self._errors("IDLE"):
            try:
                client.idle()
            except imaplib.IMAP4.error:
                # A session ended just before IDLE answers "* BYE" where "+ idling" was
                # expected; imapclient calls that an unexpected response, but imaplib has
                # kept the BYE, and its own check turns it into a lost connection (abort).
                client._imap._check_bye()
                raise
            try:
                while not news and not stop.is_set():
                    left = deadline - time.monotonic()
                    if left <= 0:
                        break
                    responses = client.idle_check(timeout=min(left, _IDLE_SLICE))
                    news = any(_announces_mail(response) for response in responses)
                    if any(_is_bye(response) for response in responses):
                        # Exchange: "* BYE Session invalidated - AccessTokenExpired".
                        raise imaplib.IMAP4.abort(f"the server ended the session: {responses}")
            finally:
                if self._client is not None:
                    client.idle_done()
        logger.debug("IDLE on %s ended: %s", self.identity, "new mail" if news else "no news")
        return news

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
            if self._tokens is not None:
                # Exchange ends a session whose token ran out (BYE ... AccessTokenExpired);
                # the reconnect must not present the cached one again.
                self._tokens.invalidate()


# What fetch asks for: the size, the date and the first LARGE_MESSAGE_BYTES, which for
# all but large messages is the whole message. The server answers "BODY[]<0>".
_FIRST_BYTES = [b"RFC822.SIZE", b"INTERNALDATE", b"BODY.PEEK[]<0.%d>" % LARGE_MESSAGE_BYTES]
_FIRST_BYTES_KEY = b"BODY[]<0>"


def _fetch_present(
    client: IMAPClient, uids: list[int], items: list[bytes]
) -> dict[int, dict[bytes, Any]]:
    """UID FETCH that lets messages go which another session expunged meanwhile.

    RFC 5530 ``[EXPUNGEISSUED]``: someone (a colleague in Outlook, a second poller) moved
    some of ``uids`` away before this session was told. NOOP brings the news; the second
    FETCH returns what is left, and the rest is simply no longer ours to read.
    """
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


def _take_announced(client: IMAPClient) -> bool:
    """Whether EXISTS was announced since the last call (imaplib's untagged store, cleared)."""
    return client._imap.response("EXISTS")[1] != [None]


def _announces_mail(response: object) -> bool:
    return isinstance(response, tuple) and len(response) >= 2 and response[1] == b"EXISTS"


def _is_bye(response: object) -> bool:
    return isinstance(response, tuple) and bool(response) and response[0] == b"BYE"


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
