"""Sign-in with OpenID Connect, as against Entra ID, through a small OIDC provider of our own.

The provider runs under uvicorn on 127.0.0.1 and does what Entra ID does for the code flow:
metadata, an authorize endpoint that consents at once, a token endpoint handing out an
RS256-signed ID token with ``oid``, ``name`` and the app ``roles``, and its JWKS. The app
fetches the metadata, the token and the keys over real HTTP with authlib.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import RSAKey
from review_helpers import csrf_of, seed
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from intake.settings import WebSettings
from review.app import create_app
from store.models import AuditEntry, Case

CLIENT_ID = "lovbot-granskning"
OID = "7f3c1f4e-0000-4000-8000-000000000001"


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


@pytest.fixture(scope="module")
def entra() -> Iterator[FakeEntra]:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    fake = FakeEntra()
    fake.issuer = f"http://127.0.0.1:{port}"
    server = uvicorn.Server(
        uvicorn.Config(fake.app(), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    started = threading.Event()
    while not server.started and thread.is_alive():
        started.wait(0.01)
    assert server.started
    yield fake
    server.should_exit = True
    thread.join()


def _client(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session], entra: FakeEntra
) -> tuple[TestClient, str]:
    seeded = seed(tmp_path, db_url, sessions)
    settings = seeded.settings.model_copy(
        update={
            "web": WebSettings(
                base_url="http://127.0.0.1",
                local_accounts=False,
                oidc_metadata_url=f"{entra.issuer}/v2.0/.well-known/openid-configuration",
                oidc_client_id=CLIENT_ID,
            )
        }
    )
    client = TestClient(
        create_app(settings, sessions), base_url="http://127.0.0.1", follow_redirects=False
    )
    return client, seeded.held


def _sign_in(client: TestClient) -> httpx.Response:
    to_provider = client.get("/login/oidc")
    assert to_provider.status_code == 302
    consent = httpx.get(to_provider.headers["location"], follow_redirects=False)
    back = urlsplit(consent.headers["location"])
    assert back.path == "/auth/callback" and "code" in parse_qs(back.query)
    return client.get(f"{back.path}?{back.query}")


def test_an_officer_signs_in_with_entra_id_and_acts_as_their_oid(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session], entra: FakeEntra
) -> None:
    client, held = _client(tmp_path, db_url, sessions, entra)
    assert "Logga in med ditt Göteborgs Stad-konto" in client.get("/login").text
    entra.claims = {"sub": "s1", "oid": OID, "name": "Eva Ek", "roles": ["LOV.Handlaggare"]}
    signed_in = _sign_in(client)
    assert (signed_in.status_code, signed_in.headers["location"]) == (303, "/")
    page = client.get(f"/cases/{held}")
    assert "Inloggad som Eva Ek (handläggare)" in page.text
    with sessions() as session:
        version = session.scalars(select(Case.version).where(Case.number == held)).one()
    client.post(
        f"/cases/{held}/orders/release", data={"csrf": csrf_of(page), "version": str(version)}
    )
    with sessions() as session:
        actors = set(
            session.scalars(select(AuditEntry.actor).where(AuditEntry.action == "order_approved"))
        )
    assert actors == {f"Eva Ek ({OID})"}


def test_a_reader_role_can_only_read_and_no_role_cannot_sign_in(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session], entra: FakeEntra
) -> None:
    client, held = _client(tmp_path, db_url, sessions, entra)
    entra.claims = {"sub": "s2", "oid": "oid-2", "name": "Lars Läs", "roles": ["LOV.Lasare"]}
    _sign_in(client)
    page = client.get(f"/cases/{held}")
    assert "läsbehörighet" in page.text and "Godkänn beställningarna" not in page.text

    stranger = client
    stranger.cookies.clear()
    entra.claims = {"sub": "s3", "oid": "oid-3", "name": "Utan Roll"}
    refused = _sign_in(stranger)
    assert refused.status_code == 403 and "ingen roll" in refused.text
    assert client.get("/").status_code == 303  # still not signed in
    # With OIDC only, the local sign-in form is gone.
    assert 'name="password"' not in client.get("/login").text
