"""pytest plugin: a small Microsoft Graph for one shared mailbox, on the fake tenant's port.

Enough of ``/v1.0/users/{mailbox}`` for lovbot's Graph route: top-level mail folders
(list, create, the well-known ``inbox``), delta queries on a folder's messages (paged,
with ``@removed`` for messages that left), a message's ``receivedDateTime`` and MIME
``$value``, ``move`` with immutable ids, and ``sendMail`` with a MIME body. Every call
needs a token of the tenant for Graph whose mailbox claim is this mailbox (what RBAC for
Applications would allow) and the role the call needs.
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import jwt
import pytest
from fixtures_m365 import GRAPH, Tenant, _Handler

__all__ = ["FakeGraph", "graph"]

PAGE = 3  # small, so that lovbot must follow @odata.nextLink


@dataclass
class _Message:
    id: str
    folder: str
    raw: bytes
    received: dt.datetime
    seq: int  # change number of its arrival in ``folder``


@dataclass
class FakeGraph:
    tenant: Tenant
    mailbox: str
    folders: dict[str, str] = field(default_factory=dict)  # id -> displayName
    messages: dict[str, _Message] = field(default_factory=dict)
    removed: list[tuple[int, str, str]] = field(default_factory=list)  # seq, folder, id
    sent: list[bytes] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    # Answer the next n move calls with 503, as an outage between commit and move.
    fail_moves: int = 0
    _seq: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.inbox = self._new_folder("Inbox")

    @property
    def url(self) -> str:
        return f"{self.tenant.authority}/v1.0"

    # -- helpers for tests -----------------------------------------------------------------

    def deliver(self, raw: bytes, folder: str = "Inbox") -> str:
        with self._lock:
            folder_id = self._by_name(folder)
            message = _Message(
                f"imm-{uuid.uuid4().hex}",
                folder_id,
                raw,
                dt.datetime.now(dt.UTC),
                next(self._seq),
            )
            self.messages[message.id] = message
            return message.id

    def in_folder(self, name: str) -> list[bytes]:
        folder_id = self._by_name(name)
        return [m.raw for m in self.messages.values() if m.folder == folder_id]

    # -- the API ---------------------------------------------------------------------------

    def _new_folder(self, name: str) -> str:
        folder_id = f"folder-{uuid.uuid4().hex}"
        self.folders[folder_id] = name
        return folder_id

    def _by_name(self, name: str) -> str:
        for folder_id, display in self.folders.items():
            if display == name:
                return folder_id
        raise KeyError(name)

    def _folder(self, ref: str) -> str | None:
        if ref.lower() == "inbox":
            return self.inbox
        return ref if ref in self.folders else None

    def _authorised(self, handler: _Handler, role: str) -> tuple[int, Any] | None:
        header = handler.headers.get("Authorization", "")
        try:
            claims = self.tenant.verify(header.removeprefix("Bearer "), GRAPH)
        except jwt.PyJWTError as err:
            return 401, {"error": {"code": "InvalidAuthenticationToken", "message": str(err)}}
        if claims.get("x_mailbox") != self.mailbox or role not in claims.get("roles", []):
            return 403, {"error": {"code": "ErrorAccessDenied", "message": "Access is denied."}}
        return None

    def route(self, handler: _Handler, path: str, body: bytes) -> tuple[int, Any]:
        method = handler.command
        rest = path.removeprefix(f"/v1.0/users/{quote(self.mailbox, safe='@')}")
        self.calls.append(f"{method} {rest}")
        role = "Mail.Send" if rest == "/sendMail" else "Mail.ReadWrite"
        refused = self._authorised(handler, role)
        if refused is not None:
            return refused
        query = {k: v[0] for k, v in parse_qs(urlsplit(handler.path).query).items()}
        parts = rest.strip("/").split("/")
        with self._lock:
            if rest == "/sendMail" and method == "POST":
                self.sent.append(base64.b64decode(body))
                return 202, None
            if parts[0] == "mailFolders":
                return self._folders(method, parts[1:], query, body)
            if parts[0] == "messages" and len(parts) >= 2:
                return self._message(method, parts[1], parts[2:], body)
        return 404, {"error": {"code": "NotFound", "message": rest}}

    def _folders(
        self, method: str, parts: list[str], query: dict[str, str], body: bytes
    ) -> tuple[int, Any]:
        if not parts and method == "GET":
            value = [{"id": i, "displayName": n} for i, n in self.folders.items()]
            return 200, {"value": value}
        if not parts and method == "POST":
            name = json.loads(body)["displayName"]
            if name in self.folders.values():
                return 409, {"error": {"code": "ErrorFolderExists", "message": name}}
            return 201, {"id": self._new_folder(name), "displayName": name}
        folder_id = self._folder(parts[0])
        if folder_id is None:
            return 404, {"error": {"code": "ErrorItemNotFound", "message": parts[0]}}
        if len(parts) == 1 and method == "GET":
            return 200, {"id": folder_id, "displayName": self.folders[folder_id]}
        if parts[1:] == ["messages", "delta"] and method == "GET":
            return 200, self._delta(folder_id, query)
        return 404, {"error": {"code": "NotFound", "message": "/".join(parts)}}

    def _delta(self, folder_id: str, query: dict[str, str]) -> dict[str, Any]:
        if "$skiptoken" in query:
            since, offset = map(int, query["$skiptoken"].split("-"))
        else:
            since, offset = int(query.get("$deltatoken", "0")), 0
        changes: list[dict[str, Any]] = [
            {"id": m.id, "receivedDateTime": m.received.isoformat().replace("+00:00", "Z")}
            for m in sorted(self.messages.values(), key=lambda m: m.seq)
            if m.folder == folder_id and m.seq > since
        ]
        changes += [
            {"id": message_id, "@removed": {"reason": "deleted"}}
            for seq, folder, message_id in self.removed
            if folder == folder_id and seq > since
        ]
        base = f"{self.url}/users/{self.mailbox}/mailFolders/{folder_id}/messages/delta"
        page = changes[offset : offset + PAGE]
        if offset + PAGE < len(changes):
            return {"value": page, "@odata.nextLink": f"{base}?$skiptoken={since}-{offset + PAGE}"}
        latest = max(
            [since, *(m.seq for m in self.messages.values()), *(r[0] for r in self.removed)]
        )
        return {"value": page, "@odata.deltaLink": f"{base}?$deltatoken={latest}"}

    def _message(
        self, method: str, message_id: str, parts: list[str], body: bytes
    ) -> tuple[int, Any]:
        message = self.messages.get(message_id)
        if message is None:
            return 404, {"error": {"code": "ErrorItemNotFound", "message": message_id}}
        if not parts and method == "GET":
            received = message.received.isoformat().replace("+00:00", "Z")
            return 200, {"id": message.id, "receivedDateTime": received}
        if parts == ["$value"] and method == "GET":
            return 200, message.raw
        if parts == ["move"] and method == "POST":
            if self.fail_moves:
                self.fail_moves -= 1
                return 503, {"error": {"code": "ServiceUnavailable", "message": "try later"}}
            target = self._folder(json.loads(body)["destinationId"])
            if target is None:
                return 400, {"error": {"code": "ErrorInvalidIdMalformed", "message": "target"}}
            if target != message.folder:
                seq = next(self._seq)
                self.removed.append((seq, message.folder, message.id))
                message.folder, message.seq = target, seq
            return 201, {"id": message.id}
        return 404, {"error": {"code": "NotFound", "message": "/".join(parts)}}


@pytest.fixture
def graph(tenant: Tenant) -> FakeGraph:
    """A Graph mailbox ``lov@stadshuset.goteborg.se`` on the test's tenant."""
    fake = FakeGraph(tenant, "lov@stadshuset.goteborg.se")
    tenant.routes.append(("GET", "/v1.0/", fake.route))
    tenant.routes.append(("POST", "/v1.0/", fake.route))
    return fake
