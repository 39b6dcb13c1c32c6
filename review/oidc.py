"""Sign-in with OpenID Connect against Entra ID (production), with authlib.

The tenant's v2.0 metadata URL (``common`` fails authlib's issuer check, authlib#605).
Users are known by their ``oid`` claim (stable across renames, unlike e-mail or upn);
their rights come from the app roles ``LOV.Handlaggare`` and ``LOV.Lasare`` in ``roles``.
Someone without either role is refused.
"""

from __future__ import annotations

from typing import Any

from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.starlette_client import OAuth
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from intake.settings import Settings
from review.auth import User, role_from_claims, sign_in

__all__ = ["register_oidc"]


def register_oidc(app: FastAPI, settings: Settings, templates: Jinja2Templates) -> OAuth:
    web = settings.web
    oauth = OAuth()
    oauth.register(
        name="entra",
        server_metadata_url=web.oidc_metadata_url,
        client_id=web.oidc_client_id,
        client_secret=web.oidc_client_secret.get_secret_value(),
        client_kwargs={"scope": "openid profile email"},
    )
    client: Any = oauth.create_client("entra")
    callback = web.base_url.rstrip("/") + "/auth/callback"

    @app.get("/login/oidc")
    async def oidc_login(request: Request) -> Response:
        response: Response = await client.authorize_redirect(request, callback)
        return response

    @app.get("/auth/callback")
    async def oidc_callback(request: Request) -> Response:
        try:
            token = await client.authorize_access_token(request)
        except OAuthError as err:
            raise HTTPException(
                403, f"Inloggningen misslyckades: {err.description or err.error}"
            ) from err
        claims: dict[str, Any] = dict(token.get("userinfo") or {})
        oid = claims.get("oid") or claims.get("sub")
        role = role_from_claims(claims)
        if not isinstance(oid, str) or role is None:
            raise HTTPException(
                403,
                "Ditt konto har ingen roll i LOV-granskningen (LOV.Handlaggare eller LOV.Lasare).",
            )
        name = str(claims.get("name") or claims.get("preferred_username") or oid)
        sign_in(request, User(name=f"{name} ({oid})", display=name, role=role))
        return RedirectResponse("/", 303)

    return oauth
