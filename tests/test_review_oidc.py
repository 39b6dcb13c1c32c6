"""Sign-in with OpenID Connect, as against Entra ID, through a small OIDC provider of our own.

The provider (tests/fake_entra.py) runs under uvicorn on 127.0.0.1; the app fetches its
metadata, the token and the keys over real HTTP with authlib.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fake_entra import CLIENT_ID, FakeEntra, running_entra
from fastapi.testclient import TestClient
from review_helpers import csrf_of, seed
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.settings import WebSettings
from review.app import create_app
from store.models import AuditEntry, Case

OID = "7f3c1f4e-0000-4000-8000-000000000001"


@pytest.fixture(scope="module")
def entra() -> Iterator[FakeEntra]:
    with running_entra() as fake:
        yield fake


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
