"""An Exchange Online mailbox through Microsoft Graph, for tenants with IMAP switched off.

Graph has no UIDs, so this adapter keeps what IMAP would: each message seen in a folder
gets an increasing number the first time a delta query reports it, under a UIDVALIDITY,
in a small JSON state file (``[mailbox] path``/``graph-<mailbox>.json``) together with
each folder's delta link. Losing the file only renumbers (a new UIDVALIDITY); the
cycle's SHA-256 and Message-ID checks keep recorded mail from being processed twice.

Requests ask for immutable ids (``Prefer: IdType="ImmutableId"``), which stay the same
when a message moves, so a repeated move after a crash finds the message where the
first one put it instead of failing. Only the app's token is sent; Exchange's RBAC for
Applications limits it to this mailbox.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import functools
import json
import logging
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import requests

from intake.mailbox.errors import MailboxError, MailboxLoginError, MailboxUnavailable
from intake.mailbox.protocol import (
    INBOX,
    LARGE_MESSAGE_BYTES,
    ConnectsOnEnter,
    FetchedMessage,
    FolderStatus,
    LargeMessages,
)
from intake.oauth import OAuth2Error, OAuth2Unavailable, TokenSource, tls_session
from intake.settings import MailboxSettings

__all__ = ["GraphMailbox"]

logger = logging.getLogger(__name__)

_DEFAULT_URL = "https://graph.microsoft.com/v1.0"
_PREFER = 'IdType="ImmutableId", odata.maxpagesize=100'


class GraphMailbox(ConnectsOnEnter):
    """The shared mailbox ``settings.username`` through Graph, by folder name and local UID."""

    def __init__(
        self, settings: MailboxSettings, tokens: TokenSource | None, *, url: str = _DEFAULT_URL
    ) -> None:
        if tokens is None:
            raise MailboxError("[mailbox] kind = graph behöver inställningarna under [oauth2]")
        if not settings.username:
            raise MailboxError("[mailbox] username ska vara brevlådans adress för Graph")
        self._settings = settings
        self._tokens = tokens
        self._base = url.rstrip("/")
        self._user_url = f"{self._base}/users/{quote(settings.username, safe='@')}"
        self.identity = f"graph://{settings.username}"
        self._state_path = (
            Path(settings.path).expanduser().absolute() / f"graph-{settings.username}.json"
        )
        self._session: requests.Session | None = None
        self._folder_ids: dict[str, str] = {}
        self._selected: str | None = None
        self._uids: dict[int, str] = {}
        self._large = LargeMessages()

    # -- connection ----------------------------------------------------------------------

    def connect(self) -> None:
        """Open an HTTPS session and check that the token reaches the mailbox."""
        if self._session is not None:
            return
        self._session = tls_session()
        try:
            self._request("GET", "/mailFolders/inbox", params={"$select": "id"})
        except BaseException:
            self.close()
            raise
        logger.info("Connected to %s", self.identity)

    def close(self) -> None:
        session, self._session = self._session, None
        self._selected = None
        if session is not None:
            session.close()

    # -- the protocol --------------------------------------------------------------------

    def select(self, folder: str) -> FolderStatus:
        folder_id = self._folder_id(folder)
        with self._state() as state:
            entry = state["folders"].setdefault(folder, {"delta": None, "uids": {}})
            self._sync(folder_id, entry, state)
            uids = {int(uid): message_id for message_id, uid in entry["uids"].items()}
            status = FolderStatus(state["uidvalidity"], state["next_uid"], len(uids))
        self._selected = folder
        self._uids = uids
        logger.debug("Selected %s on %s: %s", folder, self.identity, status)
        return status

    def new_uids(self, after_uid: int) -> list[int]:
        self._selected_folder()
        return sorted(uid for uid in self._uids if uid > after_uid)

    def fetch(self, uids: Sequence[int]) -> list[FetchedMessage]:
        """Each message's MIME (``$value``), read up to LARGE_MESSAGE_BYTES: a message that
        fits is complete; a larger one comes deferred and is downloaded whole when the
        cycle reads it, one large message held at a time (as over IMAP). Graph gives no
        reliable size first, so the download itself tells."""
        self._selected_folder()
        messages = []
        for uid in sorted(set(uids)):
            message_id = self._uids.get(uid)
            if message_id is None:
                continue
            path = f"/messages/{quote(message_id, safe='')}"
            meta = self._request("GET", path, params={"$select": "receivedDateTime"}, missing=True)
            if meta is None:
                continue  # moved or deleted meanwhile
            received = _received(meta.json())
            first = self._request(
                "GET", f"{path}/$value", raw=True, missing=True, first=LARGE_MESSAGE_BYTES
            )
            if first is None:
                continue
            messages.append(
                FetchedMessage.from_first_bytes(
                    uid, first, received, functools.partial(self._large_raw, message_id, path)
                )
            )
        logger.debug(
            "Fetched %d of %d messages from %s (%d large, downloaded when read)",
            len(messages),
            len(uids),
            self.identity,
            sum(m.is_deferred for m in messages),
        )
        return messages

    def _large_raw(self, message_id: str, path: str) -> bytes:
        """The whole MIME of a large message of ``fetch``, the only large one held."""

        def download() -> bytes:
            raw = self._request("GET", f"{path}/$value", raw=True, missing=True)
            if raw is None:
                # Moved away since the batch was fetched: the cycle starts again and no
                # longer finds it.
                raise MailboxUnavailable(
                    f"{self.identity}: a message left the folder before it was read"
                )
            logger.debug("Downloaded a large message (%d bytes) on its own", len(raw))
            return bytes(raw)

        return self._large.get(message_id, download)

    def ensure_folders(self, names: Iterable[str]) -> None:
        for name in dict.fromkeys(names):
            if name.upper() == INBOX:
                continue
            if self._find_folder(name) is not None:
                continue
            response = self._request(
                "POST", "/mailFolders", json={"displayName": name}, conflict=True
            )
            if response is None:  # created meanwhile by someone else
                self._find_folder(name)
                continue
            self._folder_ids[name] = response.json()["id"]
            logger.info("Created folder %s on %s", name, self.identity)

    def move(self, uids: Sequence[int], target: str) -> None:
        """Move each message; an immutable id already in ``target`` moves nowhere."""
        self._selected_folder()
        target_id = self._folder_id(target)
        moved = 0
        for uid in sorted(set(uids)):
            message_id = self._uids.get(uid)
            if message_id is None:
                continue
            response = self._request(
                "POST",
                f"/messages/{quote(message_id, safe='')}/move",
                json={"destinationId": target_id},
                missing=True,
            )
            moved += response is not None
        logger.info("Moved %d messages to %s on %s (Graph)", moved, target, self.identity)

    # -- folders and delta ---------------------------------------------------------------

    def _folder_id(self, name: str) -> str:
        if name.upper() == INBOX:
            return "inbox"  # Graph's well-known name
        found = self._folder_ids.get(name) or self._find_folder(name)
        if found is None:
            raise MailboxError(f"{self.identity}: no such folder: {name}")
        return found

    def _find_folder(self, name: str) -> str | None:
        for folder in self._pages("/mailFolders", {"$select": "id,displayName", "$top": "100"}):
            self._folder_ids[folder["displayName"]] = folder["id"]
        return self._folder_ids.get(name)

    def _sync(self, folder_id: str, entry: dict[str, Any], state: dict[str, Any]) -> None:
        """Apply the folder's changes since its delta link; new messages get the next UIDs."""
        known: dict[str, int] = entry["uids"]
        link = entry["delta"]
        first = link is None
        path = f"/mailFolders/{quote(folder_id, safe='')}/messages/delta"
        params = {"$select": "receivedDateTime"}
        added: list[tuple[str, str]] = []
        url: str | None = link or self._user_url + path
        while url is not None:
            page = self._request("GET", url, params=params if url.endswith("/delta") else None)
            assert page is not None
            body = page.json()
            for item in body.get("value", []):
                if "@removed" in item:
                    known.pop(item["id"], None)
                elif item["id"] not in known:
                    added.append((item.get("receivedDateTime") or "", item["id"]))
            url = body.get("@odata.nextLink")
            link = body.get("@odata.deltaLink", link)
        # Oldest first, as IMAP numbers them.
        for _received_at, message_id in sorted(added):
            if message_id not in known:
                known[message_id] = state["next_uid"]
                state["next_uid"] += 1
        entry["delta"] = link
        logger.debug(
            "Delta for %s on %s: %d new%s", folder_id, self.identity, len(added), first * " (full)"
        )

    # -- state file ----------------------------------------------------------------------

    @contextlib.contextmanager
    def _state(self) -> Iterator[dict[str, Any]]:
        """The state file, read and written back under an exclusive lock."""
        path = self._state_path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path.with_name(path.name + ".lock"), "a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                state = _read_state(path)
                yield state
                _write_state(path, state)
        except OSError as err:
            raise MailboxError(f"{self.identity}: the state file {path} failed: {err}") from err

    # -- HTTP ----------------------------------------------------------------------------

    def _pages(self, path: str, params: dict[str, str]) -> Iterator[dict[str, Any]]:
        url: str | None = self._user_url + path
        first = True
        while url is not None:
            page = self._request("GET", url, params=params if first else None)
            assert page is not None
            body = page.json()
            yield from body.get("value", [])
            url = body.get("@odata.nextLink")
            first = False

    def _request(
        self,
        method: str,
        path_or_url: str,
        *,
        params: dict[str, str] | None = None,
        json: dict[str, Any] | None = None,
        raw: bool = False,
        missing: bool = False,
        conflict: bool = False,
        first: int | None = None,
    ) -> Any:
        """One Graph call; a refused token is renewed once. None for 404 (``missing``) or 409 (``conflict``).

        ``raw``: the body's bytes; with ``first``, only up to that many (the download stops
        there), so a large message is not held whole just to learn that it is large.
        """
        session = self._connected()
        url = path_or_url if "://" in path_or_url else self._user_url + path_or_url
        if not url.startswith(self._base + "/"):
            # A next or delta link elsewhere would be handed the bearer token.
            raise MailboxError(f"{self.identity}: Graph pointed outside {self._base}: {_path(url)}")
        for attempt in (1, 2):
            try:
                token = self._tokens.token()
            except OAuth2Unavailable as err:
                raise MailboxUnavailable(f"{self.identity}: {err}") from err
            except OAuth2Error as err:
                raise MailboxLoginError(f"{self.identity}: {err}") from err
            try:
                response = session.request(
                    method,
                    url,
                    params=params,
                    json=json,
                    headers={"Authorization": f"Bearer {token}", "Prefer": _PREFER},
                    timeout=self._settings.timeout,
                    stream=first is not None,
                )
            except requests.RequestException as err:
                raise MailboxUnavailable(
                    f"{self.identity}: {method} {_path(url)} failed: {err.__class__.__name__}"
                ) from err
            if response.status_code == 401 and attempt == 1:
                self._tokens.invalidate()
                continue
            break
        status = response.status_code
        if status < 300 and raw and first is not None:
            return _first_bytes(response, first)
        if status < 300:
            return response.content if raw else response
        if (status == 404 and missing) or (status == 409 and conflict):
            return None
        detail = _graph_error(response)
        if status in (401, 403):
            raise MailboxLoginError(
                f"{self.identity}: Graph nekade åtkomst ({status} {detail}); kontrollera appens "
                "behörighet Mail.ReadWrite och RBAC-omfånget för brevlådan"
            )
        if status == 429 or status >= 500:
            raise MailboxUnavailable(f"{self.identity}: Graph svarade {status} {detail}")
        raise MailboxError(f"{self.identity}: {method} {_path(url)} gav {status} {detail}")

    def _connected(self) -> requests.Session:
        if self._session is None:
            raise MailboxError(f"{self.identity}: not connected")
        return self._session

    def _selected_folder(self) -> str:
        if self._selected is None:
            raise MailboxError(f"{self.identity}: no folder selected")
        return self._selected


def _first_bytes(response: requests.Response, limit: int) -> bytes:
    """The body up to ``limit`` bytes (all of it when shorter); the rest is not read."""
    body = bytearray()
    try:
        for chunk in response.iter_content(chunk_size=64 * 1024):
            body += chunk
            if len(body) >= limit:
                break
    except requests.RequestException as err:
        raise MailboxUnavailable(f"Graph-svaret bröts: {err.__class__.__name__}") from err
    finally:
        response.close()
    return bytes(body)


def _path(url: str) -> str:
    """The URL without its query, whose delta tokens need not reach a log."""
    return url.split("?", 1)[0]


def _graph_error(response: requests.Response) -> str:
    try:
        error = response.json().get("error", {})
        return f"{error.get('code', '')}: {error.get('message', '')}".strip(": ")
    except ValueError:
        return response.reason or ""


def _received(meta: dict[str, Any]) -> dt.datetime | None:
    value = meta.get("receivedDateTime")
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _read_state(path: Path) -> dict[str, Any]:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"uidvalidity": int(time.time()), "next_uid": 1, "folders": {}}
    except ValueError as err:
        # Renumbering silently would hand out old UIDs under the same UIDVALIDITY.
        raise MailboxError(f"{path} is damaged; delete it to renumber the mailbox") from err
    if not isinstance(state, dict) or not {"uidvalidity", "next_uid", "folders"} <= state.keys():
        raise MailboxError(f"{path} is damaged; delete it to renumber the mailbox")
    return state


def _write_state(path: Path, state: dict[str, Any]) -> None:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with open(temporary, "w", encoding="utf-8") as out:
        json.dump(state, out, indent=1, sort_keys=True)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)
