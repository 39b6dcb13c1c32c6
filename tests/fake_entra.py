"""A small OpenID Connect provider that answers as Entra ID does in the code flow, under
uvicorn on 127.0.0.1: metadata, an authorize endpoint that consents at once, a token
endpoint handing out an RS256-signed ID token with ``oid``, ``name`` and app ``roles``
(whatever ``claims`` says for the next sign-in), and its JWKS."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

import uvicorn
from joserfc import jwt
from joserfc.jwk import RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

__all__ = ["CLIENT_ID", "FakeEntra", "free_port", "running_entra", "serve"]

CLIENT_ID = "lovbot-granskning"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serve(app: Any, port: int) -> Iterator[None]:
    """``app`` under uvicorn on 127.0.0.1:``port`` until the block ends."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    started = threading.Event()
    while not server.started and thread.is_alive():
        started.wait(0.01)
    assert server.started, "uvicorn did not start"
    try:
        yield
    finally:
        server.should_exit = True
        thread.join()


class FakeEntra:
    """The provider's state: who signs in next, and the codes it has handed out."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
        self.claims: dict[str, Any] = {}
        self.codes: dict[str, str] = {}  # code -> nonce
        self.issuer = ""

    def app(self) -> Starlette:
        def metadata(_: Request) -> Response:
            return JSONResponse(
                {
                    "issuer": self.issuer,
                    "authorization_endpoint": f"{self.issuer}/authorize",
                    "token_endpoint": f"{self.issuer}/token",
                    "jwks_uri": f"{self.issuer}/keys",
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["pairwise"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                }
            )

        def authorize(request: Request) -> Response:
            q = request.query_params
            code = f"code-{len(self.codes)}"
            self.codes[code] = q.get("nonce", "")
            query = urlencode({"code": code, "state": q["state"]})
            return RedirectResponse(f"{q['redirect_uri']}?{query}", 302)

        async def token(request: Request) -> Response:
            form = await request.form()
            nonce = self.codes.pop(str(form["code"]))
            now = int(time.time())
            claims = {
                "iss": self.issuer,
                "aud": CLIENT_ID,
                "iat": now,
                "exp": now + 3600,
                "nonce": nonce,
                **self.claims,
            }
            id_token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, self.key)
            return JSONResponse(
                {
                    "access_token": "at",
                    "token_type": "Bearer",
                    "expires_in": 3600,
                    "id_token": id_token,
                }
            )

        def keys(_: Request) -> Response:
            return JSONResponse({"keys": [self.key.as_dict(private=False)]})

        return Starlette(
            routes=[
                Route("/v2.0/.well-known/openid-configuration", metadata),
                Route("/authorize", authorize),
                Route("/token", token, methods=["POST"]),
                Route("/keys", keys),
            ]
        )


@contextmanager
def running_entra() -> Iterator[FakeEntra]:
    port = free_port()
    fake = FakeEntra()
    fake.issuer = f"http://127.0.0.1:{port}"
    with serve(fake.app(), port):
        yield fake
