"""``Authentication-Results`` (RFC 8601) → what the receiving server found: DMARC, SPF, DKIM.

Only the syntax: which header to believe is the caller's decision (intake/cases.py).
Exchange Online writes the header without the authserv-id RFC 8601 requires, e.g.
``spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=x.se; dkim=pass (signature was
verified) header.d=x.se;dmarc=pass action=none header.from=x.se;compauth=pass reason=100``,
so a first element that is already ``method=result`` is read as a result, and
``authserv_id`` is then None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["AuthResults", "MethodResult", "parse_authentication_results"]

# A header is at most a few hundred bytes from a real server; a forged one may be huge.
_MAX_CHARS = 8000
_METHOD = re.compile(r"^([A-Za-z0-9_.-]+)(?:/\d+)?\s*=\s*([A-Za-z0-9_-]+)$")
_PROPERTY = re.compile(r"^([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+)\s*=\s*(.*)$")


@dataclass(frozen=True, slots=True)
class MethodResult:
    method: str  # dmarc, spf, dkim, ... (lower-case)
    result: str  # pass, fail, none, softfail, ... (lower-case)
    properties: dict[str, str] = field(default_factory=dict)  # header.from, smtp.mailfrom


@dataclass(frozen=True, slots=True)
class AuthResults:
    authserv_id: str | None
    results: tuple[MethodResult, ...]

    def first(self, method: str) -> MethodResult | None:
        return next((r for r in self.results if r.method == method), None)

    def all(self, method: str) -> list[MethodResult]:
        return [r for r in self.results if r.method == method]


def parse_authentication_results(value: str) -> AuthResults:
    """Read one header value; what cannot be read is left out, never guessed."""
    text = _drop_comments(" ".join(value[:_MAX_CHARS].split()))
    parts = [part.strip() for part in _split_outside_quotes(text, ";")]
    authserv_id: str | None = None
    if parts and not _METHOD.match(_tokens(parts[0])[0] if _tokens(parts[0]) else ""):
        head = _tokens(parts.pop(0))
        authserv_id = head[0].lower() if head else None
    results = []
    for part in parts:
        tokens = _tokens(part)
        if not tokens:
            continue
        method = _METHOD.match(tokens[0])
        if method is None:
            continue  # "none" (no result) or something unreadable
        properties = {}
        for token in tokens[1:]:
            prop = _PROPERTY.match(token)
            if prop:
                properties[prop.group(1).lower()] = prop.group(2).strip('"').lower()
        results.append(MethodResult(method.group(1).lower(), method.group(2).lower(), properties))
    return AuthResults(authserv_id, tuple(results))


def _drop_comments(text: str) -> str:
    """Remove (comments), which may nest and hold anything (RFC 5322 CFWS)."""
    out: list[str] = []
    depth, quoted = 0, False
    for char in text:
        if char == '"' and depth == 0:
            quoted = not quoted
        if not quoted and char == "(":
            depth += 1
            continue
        if not quoted and char == ")" and depth:
            depth -= 1
            continue
        if depth == 0:
            out.append(char)
    return "".join(out)


def _split_outside_quotes(text: str, separator: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == separator and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _tokens(part: str) -> list[str]:
    """Whitespace-separated tokens, with ``a = b`` joined back to ``a=b``."""
    joined = re.sub(r"\s*=\s*", "=", part.strip())
    return joined.split()
