"""Sending through Microsoft Graph's sendMail, for tenants with SMTP AUTH switched off.

The message goes as it was composed: its MIME bytes, base64-encoded, posted as
``text/plain`` to ``/users/{from}/sendMail`` (learn.microsoft.com/graph/api/user-sendmail,
"send message in MIME format"); Exchange keeps a copy in Sent Items. The app needs
``Mail.Send``, limited to the shared mailbox by RBAC for Applications.
"""

from __future__ import annotations

import base64
import logging
from urllib.parse import quote

import requests

from outbox.errors import DeliveryError
from outbox.transport import TokenSource
from store.models import OutgoingMail

__all__ = ["GraphTransport"]

logger = logging.getLogger(__name__)


class GraphTransport:
    """``sendMail`` as ``sender``; one HTTPS session, one token source."""

    # Throttling (429) and outages are the server's state, not the message's.
    defer_rest = True

    def __init__(
        self,
        url: str,
        sender: str,
        tokens: TokenSource,
        session: requests.Session,
        *,
        timeout: float,
    ) -> None:
        self._url = f"{url.rstrip('/')}/users/{quote(sender, safe='@')}/sendMail"
        self._tokens = tokens
        self._session = session
        self._timeout = timeout

    def send(self, row: OutgoingMail) -> None:
        body = base64.b64encode(row.raw)
        for attempt in (1, 2):
            try:
                token = self._tokens.token()
            except Exception as err:
                # intake.oauth's errors already speak Swedish; the mail waits for the next try.
                raise DeliveryError(str(err)) from err
            try:
                response = self._session.post(
                    self._url,
                    data=body,
                    headers={"Authorization": f"Bearer {token}", "Content-Type": "text/plain"},
                    timeout=self._timeout,
                )
            except requests.RequestException as err:
                raise DeliveryError(f"Graph svarar inte: {err.__class__.__name__}") from err
            if response.status_code == 401 and attempt == 1:
                self._tokens.invalidate()
                continue
            break
        if response.status_code == 202:
            logger.debug("Outgoing mail %s accepted by Graph", row.id)
            return
        raise DeliveryError(
            f"Graph tog inte emot brevet ({response.status_code} {_graph_error(response)})"
        )

    def close(self) -> None:
        self._session.close()


def _graph_error(response: requests.Response) -> str:
    try:
        error = response.json().get("error", {})
        return f"{error.get('code', '')}: {error.get('message', '')}".strip(": ")
    except ValueError:
        return response.reason or ""
