"""How a queued mail leaves lovbot: SMTP (password or XOAUTH2), Graph sendMail, or a file.

``deliver.py`` decides what is due and records the outcome; a ``Transport`` only hands
one message over and says ``DeliveryError`` when that failed. ``defer_rest`` tells
``deliver.py`` whether one failure means the server is down (so the rest wait too).
"""

from __future__ import annotations

import contextlib
import logging
import os
import smtplib
import ssl
import time
from pathlib import Path
from typing import Protocol

from outbox.errors import DeliveryError
from store.models import OutgoingMail

__all__ = ["DeliveryError", "FileTransport", "SmtpTransport", "TokenSource", "Transport"]

logger = logging.getLogger(__name__)


class Transport(Protocol):
    """Hands one outgoing mail to the world."""

    # True when one failure means the server is unreachable, so the rest are postponed.
    defer_rest: bool

    def send(self, row: OutgoingMail) -> None:
        """Deliver ``row.raw`` to ``row.recipient``, or raise ``DeliveryError``."""

    def close(self) -> None:
        """Release the connection; never raises."""


class TokenSource(Protocol):
    """A bearer token for XOAUTH2 (``intake.oauth.AppTokens`` is one)."""

    def token(self) -> str: ...

    def invalidate(self) -> None: ...


class SmtpTransport:
    """One SMTP connection, opened on the first mail; password or XOAUTH2 login."""

    defer_rest = True
    # A session unused this long is checked with NOOP before the next mail.
    CHECK_AFTER_SECONDS = 10.0

    def __init__(
        self,
        host: str,
        port: int,
        security: str,
        username: str,
        password: str,
        timeout: float,
        envelope_from: str,
        tokens: TokenSource | None = None,
    ) -> None:
        self.host, self.port, self.security = host, port, security
        self.username, self._password = username, password
        self.timeout, self.envelope_from = timeout, envelope_from
        self._tokens = tokens
        self._client: smtplib.SMTP | None = None
        self._used = 0.0  # time.monotonic() of the last mail handed over

    def _connect(self) -> smtplib.SMTP:
        if self._client is not None:
            if time.monotonic() - self._used < self.CHECK_AFTER_SECONDS:
                return self._client
            try:
                # A kept session may have been dropped by the server while idle (Exchange
                # does after a few minutes): ask before handing it a mail.
                if self._client.noop()[0] == 250:
                    return self._client
            except (OSError, smtplib.SMTPException):
                pass
            self.close()
        try:
            client: smtplib.SMTP
            if self.security == "ssl":
                client = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
                )
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
                if self.security == "starttls":
                    client.starttls(context=ssl.create_default_context())
        except (OSError, smtplib.SMTPException) as err:
            raise DeliveryError(f"SMTP-servern {self.host}:{self.port} svarar inte: {err}") from err
        try:
            if self._tokens is not None:
                self._xoauth2_login(client, self._tokens)
            elif self.username:
                client.login(self.username, self._password)
        except DeliveryError:
            _quit_quietly(client)
            raise
        except (OSError, smtplib.SMTPException) as err:
            _quit_quietly(client)
            raise DeliveryError(
                f"SMTP-servern {self.host}:{self.port} godtog inte inloggningen: {err}"
            ) from err
        self._client = client
        return client

    def _xoauth2_login(self, client: smtplib.SMTP, tokens: TokenSource) -> None:
        """AUTH XOAUTH2 (smtplib's ``login()`` never picks it); a refused cached token is renewed once."""
        # Unlike login(), auth() sends no EHLO, and after STARTTLS the server has
        # forgotten the first one (RFC 3207 4.2): without it no AUTH is offered.
        client.ehlo_or_helo_if_needed()
        for attempt in (1, 2):
            try:
                token = tokens.token()
            except Exception as err:
                # intake.oauth's errors already speak Swedish; the mail waits for the next try.
                raise DeliveryError(str(err)) from err
            try:
                client.auth("XOAUTH2", _XOAuth2(self.username or self.envelope_from, token))
                return
            except smtplib.SMTPAuthenticationError as err:
                if attempt == 2:
                    raise DeliveryError(
                        f"SMTP-servern {self.host}:{self.port} godtog inte appens token "
                        f"({err.smtp_code} {_text(err.smtp_error)}). Kontrollera att appen har "
                        "SMTP.SendAsApp och att SMTP AUTH är påslaget för brevlådan."
                    ) from err
                tokens.invalidate()

    def send(self, row: OutgoingMail) -> None:
        client = self._connect()
        try:
            refused = client.sendmail(self.envelope_from, [row.recipient], row.raw)
        except (OSError, smtplib.SMTPException) as err:
            self.close()
            dropped = isinstance(err, smtplib.SMTPServerDisconnected | OSError) or (
                getattr(err, "smtp_code", None) == 421
            )
            if self._tokens is not None and dropped:
                # Exchange ends the session when the token runs out; do not present it again.
                self._tokens.invalidate()
            raise DeliveryError(f"SMTP-servern tog inte emot brevet: {err}") from err
        self._used = time.monotonic()
        if refused:
            raise DeliveryError(f"Mottagaren avvisades: {refused}")

    def close(self) -> None:
        if self._client is not None:
            with contextlib.suppress(TimeoutError, OSError, smtplib.SMTPException):
                self._client.quit()
            self._client = None


class _XOAuth2:
    """smtplib's auth object: the initial response once, then "" to end a 334 error challenge (RFC 7628 3.2.3)."""

    def __init__(self, user: str, token: str) -> None:
        self._response = f"user={user}\x01auth=Bearer {token}\x01\x01"

    def __call__(self, challenge: bytes | None = None) -> str:
        response, self._response = self._response, ""
        return response


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply


def _quit_quietly(client: smtplib.SMTP) -> None:
    with contextlib.suppress(TimeoutError, OSError, smtplib.SMTPException):
        client.quit()


class FileTransport:
    """Writes each mail as ``<id>.eml`` in a folder: the embedded default, needs no server."""

    defer_rest = False

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, row: OutgoingMail) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self.folder / f"{row.id:06d}-{row.purpose}.eml"
            tmp = target.with_suffix(".tmp")
            tmp.write_bytes(row.raw)
            os.replace(tmp, target)
        except OSError as err:
            raise DeliveryError(f"Kunde inte skriva till utkorgen {self.folder}: {err}") from err

    def close(self) -> None:
        pass
