"""pytest plugin: a fake Microsoft 365 on 127.0.0.1 that lovbot's real clients talk to.

- ``pki``: a CA, a certificate for 127.0.0.1 and the tenant's RS256 signing key, made
  with ``cryptography``; ``SSL_CERT_FILE`` points at the CA for the test, so IMAP, SMTP
  and MSAL's token requests trust it exactly as they would trust Microsoft.
- ``tenant``: an HTTPS server with Entra ID's OpenID discovery, client-credentials token
  endpoint and keys, issuing RS256 JWTs shaped like app-only tokens (``aud``, ``iss``,
  ``appid``, ``oid``, ``roles``). Real Exchange tokens carry no mailbox; Dovecot needs one,
  so these carry the test-only claim ``x_mailbox`` (the mailbox the app was granted).
  Each app registration can be made to issue expired or forged tokens. The same server
  answers a small Microsoft Graph (``tests/fixtures_graph.py`` adds the mail routes).
- ``smtp_oauth``: aiosmtpd with STARTTLS and an ``AUTH XOAUTH2`` that checks the token's
  signature, expiry, audience and that MAIL FROM is the granted mailbox (SendAs).

The fakes prove lovbot speaks the protocols; they prove nothing about a real tenant.
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import socket
import ssl
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import IPv4Address
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from fixtures_imap import Dovecot, DovecotServer

from intake.settings import OAuth2Settings

__all__ = [
    "Pki",
    "SmtpOAuthServer",
    "Tenant",
    "oauth2_server",
    "pki",
    "smtp_oauth",
    "tenant",
]

OUTLOOK = "https://outlook.office365.com"
GRAPH = "https://graph.microsoft.com"


# --- PKI --------------------------------------------------------------------------------


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem_private(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _pem_public(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@dataclass
class Pki:
    """Files in ``directory``: ca.pem, server.pem, server.key; signing keys in memory."""

    directory: Path
    signing_key: rsa.RSAPrivateKey
    forger_key: rsa.RSAPrivateKey
    kid: str = "lovbot-test-key"
    # One tenant id per session, so one Dovecot (which checks the issuer) serves every
    # test; each test still gets its own tenant server, apps and token counts.
    tenant_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def ca(self) -> Path:
        return self.directory / "ca.pem"

    @property
    def cert(self) -> Path:
        return self.directory / "server.pem"

    @property
    def key(self) -> Path:
        return self.directory / "server.key"

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context

    def public_pem(self) -> bytes:
        return _pem_public(self.signing_key)

    def jwk(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.signing_key.public_key()))
        return {**public, "kid": self.kid, "use": "sig", "alg": "RS256"}


def make_pki(directory: Path) -> Pki:
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o755)
    now = dt.datetime.now(dt.UTC)
    ca_key, server_key = _key(), _key()
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "lovbot test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    server = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(IPv4Address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    pki = Pki(directory, signing_key=_key(), forger_key=_key())
    pki.ca.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    pki.cert.write_bytes(server.public_bytes(serialization.Encoding.PEM))
    pki.key.write_bytes(_pem_private(server_key))
    for path in (pki.ca, pki.cert, pki.key):
        path.chmod(0o644)  # read by Dovecot's unprivileged processes too
    return pki


def _app_certificate(path: Path, client_id: str) -> tuple[x509.Certificate, Path]:
    """A self-signed certificate as uploaded to an app registration, with its key in one PEM."""
    key = _key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"lovbot {client_id}")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(_pem_private(key) + certificate.public_bytes(serialization.Encoding.PEM))
    path.chmod(0o600)
    return certificate, path


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def trust_test_ca(pki: Pki, monkeypatch: pytest.MonkeyPatch) -> Pki:
    """Only the test CA is trusted, through SSL_CERT_FILE as in production."""
    monkeypatch.setenv("SSL_CERT_FILE", str(pki.ca))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    return pki


# --- the tenant -------------------------------------------------------------------------


@dataclass
class App:
    """An app registration: its secret, the mailbox it was granted, how its tokens come out."""

    client_id: str
    secret: str
    mailbox: str
    # "valid" | "expired" | "forged"
    tokens: str = "valid"
    roles: tuple[str, ...] = ("IMAP.AccessAsApp", "SMTP.SendAsApp", "Mail.ReadWrite", "Mail.Send")
    oid: str = field(default_factory=lambda: str(uuid.uuid4()))
    # Signs in with a certificate instead: its public key, and the PEM file lovbot reads.
    certificate: x509.Certificate | None = None
    certificate_path: Path | None = None


# (handler, path, request body) -> (status, JSON-able payload, raw bytes or None)
Route = Callable[["_Handler", str, bytes], tuple[int, Any]]


class Tenant:
    """The fake Entra ID tenant (and Graph host) on one HTTPS port."""

    def __init__(self, pki: Pki) -> None:
        self.pki = pki
        self.tenant_id = pki.tenant_id
        self.apps: dict[str, App] = {}
        self.issued: Counter[str] = Counter()  # tokens issued, by audience
        self.requests: list[tuple[str, str]] = []
        self.routes: list[tuple[str, str, Route]] = []  # method, path prefix, handler
        self._lock = threading.Lock()
        self._numbers = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.tenant = self  # type: ignore[attr-defined]
        self._server.socket = pki.server_context().wrap_socket(
            self._server.socket, server_side=True
        )
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def authority(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def issuer(self) -> str:
        return f"https://sts.windows.net/{self.tenant_id}/"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def add_app(self, mailbox: str, *, tokens: str = "valid", certificate: bool = False) -> App:
        number = next(self._numbers)
        app = App(str(uuid.uuid4()), f"hemlig~{number}.{uuid.uuid4().hex}", mailbox, tokens)
        if certificate:
            app.certificate, app.certificate_path = _app_certificate(
                self.pki.directory / f"app-{app.client_id}.pem", app.client_id
            )
        self.apps[app.client_id] = app
        return app

    def settings(self, app: App, **overrides: Any) -> OAuth2Settings:
        values: dict[str, Any] = {
            "tenant_id": self.tenant_id,
            "client_id": app.client_id,
            "client_secret": app.secret,
            "authority": self.authority,
        }
        values.update(overrides)
        return OAuth2Settings.model_validate(values)

    def mint(self, app: App, audience: str, *, lifetime: int = 3600) -> str:
        """An access token as the token endpoint would issue it to ``app``."""
        now = int(time.time())
        expires = now - 600 if app.tokens == "expired" else now + lifetime
        claims = {
            "aud": audience,
            "iss": self.issuer,
            "iat": now - 5,
            "nbf": now - 5,
            "exp": expires,
            "appid": app.client_id,
            "oid": app.oid,
            "sub": app.oid,
            "tid": self.tenant_id,
            "roles": list(app.roles),
            "x_mailbox": app.mailbox,
        }
        key = self.pki.forger_key if app.tokens == "forged" else self.pki.signing_key
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.pki.kid})

    def verify(self, token: str, audience: str) -> dict[str, Any]:
        """The claims of a token this tenant issued for ``audience``; raises jwt errors."""
        return jwt.decode(
            token,
            self.pki.signing_key.public_key(),
            algorithms=["RS256"],
            audience=audience,
            issuer=self.issuer,
        )

    def _token(self, form: dict[str, str]) -> tuple[int, Any]:
        app = self.apps.get(form.get("client_id", ""))
        if form.get("grant_type") != "client_credentials":
            return 400, {"error": "unsupported_grant_type", "error_description": "AADSTS70003"}
        if app is None:
            return 400, {
                "error": "unauthorized_client",
                "error_description": "AADSTS700016: Application not found in the directory.",
            }
        if "client_assertion" in form:
            refused = self._check_assertion(app, form["client_assertion"])
            if refused is not None:
                return refused
        elif form.get("client_secret") != app.secret:
            return 401, {
                "error": "invalid_client",
                "error_description": "AADSTS7000215: Invalid client secret provided.\r\nTrace ID: x",
            }
        scope = form.get("scope", "")
        audience = scope.removesuffix("/.default")
        if audience not in (OUTLOOK, GRAPH):
            return 400, {"error": "invalid_scope", "error_description": f"AADSTS70011: {scope}"}
        with self._lock:
            self.issued[audience] += 1
        return 200, {
            "token_type": "Bearer",
            "expires_in": 3599,
            "ext_expires_in": 3599,
            "access_token": self.mint(app, audience),
        }

    def _check_assertion(self, app: App, assertion: str) -> tuple[int, Any] | None:
        """RFC 7523 client assertion: signed by the app's certificate, for this endpoint."""
        refused = (
            401,
            {"error": "invalid_client", "error_description": "AADSTS700027: bad assertion."},
        )
        if app.certificate is None:
            return refused
        try:
            claims = jwt.decode(
                assertion,
                app.certificate.public_key(),  # type: ignore[arg-type]
                algorithms=["RS256", "PS256"],
                audience=f"{self.authority}/{self.tenant_id}/oauth2/v2.0/token",
                issuer=app.client_id,
            )
        except jwt.PyJWTError:
            return refused
        return None if claims.get("sub") == app.client_id else refused

    def _discovery(self) -> dict[str, Any]:
        base = f"{self.authority}/{self.tenant_id}"
        return {
            "issuer": f"https://login.microsoftonline.com/{self.tenant_id}/v2.0",
            "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
            "token_endpoint": f"{base}/oauth2/v2.0/token",
            "jwks_uri": f"{base}/discovery/v2.0/keys",
            "response_types_supported": ["code", "id_token", "token"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }

    def route(self, handler: _Handler, method: str) -> tuple[int, Any]:
        path = urlsplit(handler.path).path
        with self._lock:
            self.requests.append((method, handler.path))
        base = f"/{self.tenant_id}"
        if method == "GET" and path == f"{base}/v2.0/.well-known/openid-configuration":
            return 200, self._discovery()
        if method == "GET" and path == f"{base}/discovery/v2.0/keys":
            return 200, {"keys": [self.pki.jwk()]}
        if method == "POST" and path == f"{base}/oauth2/v2.0/token":
            form = {k: v[0] for k, v in parse_qs(handler.body().decode()).items()}
            return self._token(form)
        for route_method, prefix, route in self.routes:
            if method == route_method and path.startswith(prefix):
                return route(handler, path, handler.body())
        return 404, {"error": {"code": "NotFound", "message": path}}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: ThreadingHTTPServer

    _body: bytes | None = None

    def body(self) -> bytes:
        if self._body is None:
            length = int(self.headers.get("Content-Length") or 0)
            self._body = self.rfile.read(length) if length else b""
        return self._body

    def _answer(self, method: str) -> None:
        self._body = None  # one handler serves every request of a keep-alive connection
        tenant: Tenant = self.server.tenant  # type: ignore[attr-defined]
        status, payload = tenant.route(self, method)
        self.body()  # drain what was not read, so keep-alive stays in step
        if isinstance(payload, bytes):
            raw, content_type = payload, "message/rfc822"
        else:
            raw = b"" if payload is None else json.dumps(payload).encode()
            content_type = "application/json"
        self.send_response(status)
        if raw:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def do_PATCH(self) -> None:
        self._answer("PATCH")

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def tenant(trust_test_ca: Pki) -> Iterator[Tenant]:
    """A fresh tenant per test, so token counts belong to the test."""
    fake = Tenant(trust_test_ca)
    fake.start()
    yield fake
    fake.stop()


def oauth2_server(dovecot: Dovecot, tenant: Tenant) -> DovecotServer:
    """The session's Dovecot variant that takes this tenant's tokens (IMAPS on tls_port)."""
    return dovecot.oauth2_variant(
        issuer=tenant.issuer,
        kid=tenant.pki.kid,
        public_key_pem=tenant.pki.public_pem(),
        cert=tenant.pki.cert,
        key=tenant.pki.key,
    )


# --- SMTP with XOAUTH2 ------------------------------------------------------------------


class _LongAuthSMTP(SMTP):
    """aiosmtpd rejects a realistic 1,500-character AUTH XOAUTH2 line as shipped."""

    # RFC 4954 4: a server should accept an AUTH line of 12,288 octets.
    line_length_limit = 16384

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Per instance: SMTP.__init__ clears the class-wide table it shares with all servers.
        self.command_size_limits = _SizeLimits(AUTH=12288)


class _SizeLimits(dict[str, int]):
    def __missing__(self, key: str) -> int:
        return SMTP.command_size_limit


# What Exchange Online answers a refused XOAUTH2 token.
_REFUSED = "535 5.7.3 Authentication unsuccessful"


@dataclass
class _OAuthHandler:
    tenant: Tenant
    messages: list[Message] = field(default_factory=list)
    senders: list[str] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    # The next MAIL FROM ends the session as Exchange does when the token runs out.
    drop_next: bool = False
    arrived: threading.Condition = field(default_factory=threading.Condition)

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        if len(args) < 2:
            raw = await server.challenge_auth("", encode_to_b64=False)
            if raw is None:
                return AuthResult(success=False, handled=True)
            response = bytes(raw)
        else:
            response = base64.b64decode(args[1])
        fields = dict(part.split("=", 1) for part in response.decode().split("\x01") if "=" in part)
        user = fields.get("user", "")
        token = fields.get("auth", "").removeprefix("Bearer ")
        try:
            claims = self.tenant.verify(token, OUTLOOK)
        except jwt.PyJWTError:
            return AuthResult(success=False, handled=False, message=_REFUSED)
        if claims.get("x_mailbox") != user or "SMTP.SendAsApp" not in claims.get("roles", []):
            return AuthResult(success=False, handled=False, message=_REFUSED)
        self.logins.append(user)
        return AuthResult(success=True, auth_data=user)

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        if session.auth_data is None:
            return "530 5.7.57 Client not authenticated to send mail"
        if self.drop_next:
            self.drop_next = False
            return "421 4.7.0 Session invalidated - AccessTokenExpired"
        if address.lower() != str(session.auth_data).lower():
            # What Exchange answers when the From is not the granted mailbox.
            return f"554 5.2.252 SendAsDenied; {session.auth_data} not allowed to send as {address}"
        envelope.mail_from = address
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        with self.arrived:
            self.messages.append(message_from_bytes(envelope.content, policy=default))
            self.senders.append(str(envelope.mail_from))
            self.arrived.notify_all()
        return "250 2.0.0 OK"


class _Controller(Controller):
    def factory(self) -> SMTP:
        return _LongAuthSMTP(self.handler, **self.SMTP_kwargs)


class SmtpOAuthServer:
    """Can be stopped and started again on the same port (a new Controller each time)."""

    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant
        self.handler = _OAuthHandler(tenant)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        self._controller: _Controller | None = None

    def start(self) -> None:
        self._controller = _Controller(
            self.handler,
            hostname="127.0.0.1",
            port=self.port,
            tls_context=self.tenant.pki.server_context(),
            require_starttls=True,
            auth_require_tls=True,
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def messages(self) -> list[Message]:
        return list(self.handler.messages)


@pytest.fixture
def smtp_oauth(tenant: Tenant) -> Iterator[SmtpOAuthServer]:
    server = SmtpOAuthServer(tenant)
    server.start()
    yield server
    server.stop()
