"""Who is signed in, what they may do, and the CSRF token every POST must carry.

Two ways in: local accounts (the embedded default, ``lovbot user add``) and OpenID Connect
against Entra ID (production). Either way the signed session cookie holds only the user's
name, role and CSRF token: Starlette's session is signed, not encrypted.

Passwords are hashed with argon2id (argon2-cffi): memory-hard, OWASP's first choice, and
its PHC string carries salt and cost, so the cost can be raised later without a migration.
"""

from __future__ import annotations

import secrets
import time
from collections import deque
from dataclasses import dataclass
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import HTTPException, Request
from sqlalchemy.orm import Session

from parsers.errors import LovbotError
from store.models import ReviewUser

__all__ = [
    "ROLES",
    "AccountError",
    "LoginThrottle",
    "Role",
    "User",
    "add_user",
    "check_csrf",
    "csrf_token",
    "current_user",
    "officer",
    "role_from_claims",
    "sign_in",
    "verify_login",
]

Role = Literal["handlaggare", "lasare"]
ROLES: tuple[Role, ...] = ("handlaggare", "lasare")
# Entra ID app roles (the `roles` claim) and what they mean here.
_APP_ROLES: dict[str, Role] = {"LOV.Handlaggare": "handlaggare", "LOV.Lasare": "lasare"}
_hasher = PasswordHasher()
# Verifying against this when the user does not exist costs the same as a real check, so
# the answer's timing does not tell which user names exist.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(LovbotError):
    """A local account could not be created as asked."""


@dataclass(frozen=True, slots=True)
class User:
    name: str  # what the audit log says: the account name, or Entra ID's name and oid
    display: str
    role: Role

    @property
    def can_change(self) -> bool:
        return self.role == "handlaggare"


def add_user(session: Session, name: str, password: str, role: str) -> ReviewUser:
    """Create or replace a local account (replacing is how a password is changed)."""
    name = name.strip()
    if not name:
        raise AccountError("Användarnamnet får inte vara tomt.")
    if role not in ROLES:
        raise AccountError(f"Okänd roll {role!r}: välj handlaggare eller lasare.")
    if len(password) < 12:
        raise AccountError("Lösenordet måste ha minst 12 tecken.")
    user = session.get(ReviewUser, name)
    if user is None:
        user = ReviewUser(name=name, password_hash="", role=role)
        session.add(user)
    user.password_hash = _hasher.hash(password)
    user.role = role
    session.flush()
    return user


def verify_login(session: Session, name: str, password: str) -> User | None:
    """The user when name and password match a local account, else None."""
    account = session.get(ReviewUser, name.strip())
    try:
        _hasher.verify(account.password_hash if account else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if account is None or account.role not in ROLES:
        return None
    role: Role = "handlaggare" if account.role == "handlaggare" else "lasare"
    return User(name=account.name, display=account.name, role=role)


def role_from_claims(claims: dict[str, object]) -> Role | None:
    """The strongest app role in an Entra ID token's ``roles`` claim, None without one."""
    raw = claims.get("roles")
    roles = raw if isinstance(raw, list) else []
    found = {_APP_ROLES[r] for r in roles if isinstance(r, str) and r in _APP_ROLES}
    if "handlaggare" in found:
        return "handlaggare"
    return "lasare" if "lasare" in found else None


def sign_in(request: Request, user: User) -> None:
    """Start a fresh session for ``user``, with a new CSRF token (no session fixation)."""
    request.session.clear()
    request.session.update(
        {
            "user": user.name,
            "display": user.display,
            "role": user.role,
            "csrf": secrets.token_urlsafe(32),
        }
    )


def csrf_token(request: Request) -> str:
    """The session's CSRF token; a visitor not signed in gets one for the sign-in form."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def check_csrf(request: Request) -> None:
    """403 unless the form field ``csrf`` (or htmx's X-CSRF-Token header) is the session's."""
    expected = request.session.get("csrf")
    sent = request.headers.get("x-csrf-token")
    if sent is None:
        form = await request.form()
        value = form.get("csrf")
        sent = value if isinstance(value, str) else None
    if not isinstance(expected, str) or not sent or not secrets.compare_digest(expected, sent):
        raise HTTPException(403, "Formuläret har gått ut eller kom inte härifrån. Ladda om sidan.")


def current_user(request: Request) -> User:
    """The signed-in user; anyone else is sent to the sign-in page."""
    name, role = request.session.get("user"), request.session.get("role")
    if not isinstance(name, str) or role not in ROLES:
        raise HTTPException(303, headers={"Location": "/login"})
    display = request.session.get("display")
    return User(name=name, display=display if isinstance(display, str) else name, role=role)


def officer(request: Request) -> User:
    """The signed-in user, who must be allowed to change cases (LOV.Handlaggare)."""
    user = current_user(request)
    if not user.can_change:
        raise HTTPException(403, "Du har läsbehörighet och kan inte ändra ärenden.")
    return user


class LoginThrottle:
    """At most ``limit`` failed sign-ins per user name and per address within ``window`` s.

    In memory: one process serves the app, and a restart forgetting the count is harmless
    next to argon2's cost per guess.
    """

    def __init__(self, limit: int = 5, window: float = 900.0) -> None:
        self._limit = limit
        self._window = window
        self._failures: dict[str, deque[float]] = {}

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        return any(len(self._recent(key, now)) >= self._limit for key in keys)

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        for key in keys:
            self._recent(key, now).append(now)

    def succeeded(self, *keys: str) -> None:
        for key in keys:
            self._failures.pop(key, None)

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and now - times[0] > self._window:
            times.popleft()
        return times
