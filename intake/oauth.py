"""App-only sign-in to Microsoft 365: tokens for IMAP and SMTP (XOAUTH2) and for Graph.

One MSAL ``ConfidentialClientApplication`` per process and scope (``app_tokens``), using
the client-credentials flow: its token cache hands out the same token until less than
five minutes remain, so every cycle of a long run shares one token. When a session
drops (Exchange ends it with ``BYE ... AccessTokenExpired`` once the token runs out),
the caller says ``invalidate()`` and the next ``token()`` asks Entra ID for a new one;
a server that rejects a cached token gets one fresh token before lovbot gives up.

Tokens are opaque (learn.microsoft.com/entra/identity-platform/access-tokens): lovbot
never decodes them, and neither they nor the client secret are ever logged.

TLS trust for the token requests is the same as for IMAP and SMTP: OpenSSL's default
file, i.e. ``SSL_CERT_FILE`` when set. requests would otherwise prefer
``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE`` over the session's own ``verify``
(psf/requests#3829).
"""

from __future__ import annotations

import logging
import re
import ssl
import threading
from typing import Any, Protocol

import msal
import requests

from intake.settings import OAuth2Settings
from parsers.errors import LovbotError

__all__ = [
    "AppTokens",
    "OAuth2ConfigError",
    "OAuth2Error",
    "OAuth2Unavailable",
    "TokenSource",
    "app_tokens",
    "tls_session",
    "xoauth2",
]

logger = logging.getLogger(__name__)

# Entra ID answers these when the app registration itself is wrong: asking again will
# not help, a person has to fix [oauth2].
_CONFIG_ERRORS = frozenset(
    {"invalid_client", "unauthorized_client", "invalid_scope", "invalid_request", "invalid_grant"}
)
_TIMEOUT = 30.0
_PEM_KEY = re.compile(
    r"-----BEGIN (?:RSA |EC )?PRIVATE KEY-----.+?-----END (?:RSA |EC )?PRIVATE KEY-----", re.S
)
_PEM_CERTIFICATE = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.S)


class OAuth2Error(LovbotError):
    """Signing in to Microsoft Entra ID failed."""


class OAuth2ConfigError(OAuth2Error):
    """Entra ID refused the app registration in [oauth2]; retrying will not help."""


class OAuth2Unavailable(OAuth2Error):
    """The token endpoint could not be reached or failed; worth retrying."""


class TokenSource(Protocol):
    """Where a mailbox or transport gets its bearer token."""

    def token(self) -> str:
        """A token valid for a while yet (from the cache when it has one)."""
        ...

    def invalidate(self) -> None:
        """The server dropped or refused the session: the next ``token()`` is a new one."""


def xoauth2(user: str, token: str) -> str:
    """The SASL XOAUTH2 initial response, before base64 (developers.google.com/gmail/imap/xoauth2-protocol)."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01"


class _TrustSession(requests.Session):
    """A requests session whose ``verify`` wins over the CA-bundle environment variables."""

    def merge_environment_settings(
        self, url: Any, proxies: Any, stream: Any, verify: Any, cert: Any
    ) -> Any:
        merged = super().merge_environment_settings(url, proxies, stream, verify, cert)
        merged["verify"] = self.verify
        return merged


def tls_session() -> requests.Session:
    """HTTPS that trusts what IMAP and SMTP trust: OpenSSL's default CA file (SSL_CERT_FILE)."""
    session = _TrustSession()
    session.verify = ssl.get_default_verify_paths().cafile or True
    return session


class AppTokens:
    """Client-credentials tokens for one scope, from one MSAL app built on first use."""

    def __init__(self, settings: OAuth2Settings, scope: str) -> None:
        self._settings = settings
        self.scope = scope
        self._app: msal.ConfidentialClientApplication | None = None
        self._stale = False
        self._lock = threading.Lock()

    def token(self) -> str:
        with self._lock:
            app = self._application()
            if self._stale:
                # MSAL would hand back the cached token the server just ended the session for.
                app.remove_tokens_for_client()
                self._stale = False
            try:
                result = app.acquire_token_for_client([self.scope])
            except requests.RequestException as err:
                raise OAuth2Unavailable(
                    f"Microsoft Entra ID ({self._settings.authority}) svarar inte: "
                    f"{err.__class__.__name__}"
                ) from err
        if result and "access_token" in result:
            logger.debug("Token for %s (%s)", self.scope, result.get("token_source", "?"))
            return str(result["access_token"])
        return self._refused(result or {})

    def invalidate(self) -> None:
        with self._lock:
            self._stale = True

    def _refused(self, result: dict[str, Any]) -> str:
        error = str(result.get("error", "okänt fel"))
        # The first line of the description: Entra's code and sentence, without trace ids.
        description = str(result.get("error_description", "")).splitlines()[:1]
        detail = f"{error}: {description[0]}" if description else error
        if error in _CONFIG_ERRORS:
            raise OAuth2ConfigError(
                f"Microsoft Entra ID godtar inte appens inloggning ({detail}). Kontrollera "
                "tenant_id, client_id och client_secret (eller certificate_path) under [oauth2] "
                "och att appen har behörigheten för brevlådan."
            )
        raise OAuth2Unavailable(f"Microsoft Entra ID gav ingen token ({detail}).")

    def _credential(self) -> str | dict[str, str] | None:
        """The client secret, or the certificate's key and certificate for MSAL."""
        path = self._settings.certificate_path
        if path is None:
            return self._settings.client_secret.get_secret_value() or None
        try:
            pem = path.read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as err:
            raise OAuth2ConfigError(
                f"[oauth2] certificate_path {path} går inte att läsa: {err.__class__.__name__}"
            ) from err
        key = _PEM_KEY.search(pem)
        certificate = _PEM_CERTIFICATE.search(pem)
        if key is None or certificate is None:
            raise OAuth2ConfigError(
                f"[oauth2] certificate_path {path} ska innehålla både den privata nyckeln och "
                "certifikatet (PEM)."
            )
        # MSAL signs its client assertion with the key and names the certificate by its
        # SHA-256 thumbprint (msal >= 1.35).
        return {"private_key": key.group(0), "public_certificate": certificate.group(0)}

    def _application(self) -> msal.ConfidentialClientApplication:
        if self._app is not None:
            return self._app
        s = self._settings
        credential = self._credential()
        missing = [
            name
            for name, value in (("tenant_id", s.tenant_id), ("client_id", s.client_id))
            if not value
        ]
        if credential is None:
            missing.append("client_secret (eller certificate_path)")
        if missing:
            raise OAuth2ConfigError(f"[oauth2] saknar {', '.join(missing)}.")
        authority = f"{s.authority.rstrip('/')}/{s.tenant_id}"
        try:
            # Built lazily because the constructor already fetches the OpenID discovery
            # document. No instance discovery: the authority is configured, never looked
            # up at login.microsoftonline.com.
            self._app = msal.ConfidentialClientApplication(
                s.client_id,
                client_credential=credential,
                authority=authority,
                instance_discovery=False,
                http_client=tls_session(),
                timeout=_TIMEOUT,
            )
        except requests.RequestException as err:
            raise OAuth2Unavailable(
                f"Microsoft Entra ID ({authority}) svarar inte: {err.__class__.__name__}"
            ) from err
        except (ValueError, TypeError) as err:
            raise OAuth2ConfigError(
                f"[oauth2] går inte att använda (authority {authority}): {err}"
            ) from err
        logger.info("Signing in app-only as %s at %s", s.client_id, authority)
        return self._app


_shared: dict[tuple[str, ...], AppTokens] = {}
_shared_lock = threading.Lock()


def app_tokens(settings: OAuth2Settings, scope: str) -> AppTokens:
    """The process's one ``AppTokens`` for this app registration and scope."""
    key = (
        settings.authority,
        settings.tenant_id,
        settings.client_id,
        settings.client_secret.get_secret_value(),
        str(settings.certificate_path or ""),
        scope,
    )
    with _shared_lock:
        if key not in _shared:
            _shared[key] = AppTokens(settings, scope)
        return _shared[key]
