"""Whether lovbot may answer a message at all (RFC 3834, contract.md "never answered")."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

__all__ = ["reply_block_reason"]

_AUTOMATED_LOCALPART = re.compile(
    r"^(?:mailer-daemon|postmaster|no-?reply|do-?not-?reply|donotreply|bounces?)(?:[+.\-]|$)",
    re.IGNORECASE,
)


def reply_block_reason(
    headers: Mapping[str, str],
    from_address: str | None,
    *,
    kind: str,
    own_addresses: Iterable[str],
) -> str | None:
    """Why no acknowledgement may go to this sender, or None when one may."""
    if kind == "auto_reply":
        return "automatiskt meddelande"
    auto = headers.get("auto-submitted", "").strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    precedence = headers.get("precedence", "").strip().lower()
    if precedence in {"bulk", "list", "junk", "auto_reply"}:
        return f"Precedence: {precedence}"
    if headers.get("list-id") or headers.get("list-unsubscribe"):
        return "utskick från e-postlista"
    if "multipart/report" in headers.get("content-type", "").lower():
        return "leveransrapport"
    if "return-path" in headers and headers["return-path"].replace(" ", "") == "<>":
        return "tom returadress"
    if not from_address:
        return "ingen avsändaradress"
    if _AUTOMATED_LOCALPART.match(from_address.split("@", 1)[0]):
        return f"automatisk avsändare {from_address}"
    own = [a.lower() for a in own_addresses if a]
    if from_address.lower() in own:
        return "vår egen adress"
    return None
