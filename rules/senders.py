"""Who is writing: trusted or unknown, municipal unit or private provider (contract.md)."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

__all__ = ["SenderPolicy", "domain_matches", "is_municipal_sender", "is_trusted_sender"]


class SenderPolicy(BaseModel):
    model_config = ConfigDict(frozen=True)

    trusted_domains: tuple[str, ...] = ("goteborg.se",)
    municipal_domains: tuple[str, ...] = ("goteborg.se",)
    known_providers: tuple[str, ...] = ()  # addresses or domains


def domain_matches(address: str | None, domains: Iterable[str]) -> bool:
    """True when the address's domain is one of ``domains`` or a subdomain of one."""
    if not address or "@" not in address:
        return False
    domain = address.rsplit("@", 1)[1].lower().strip(".")
    for allowed in domains:
        allowed = allowed.lower().strip().lstrip("@").strip(".")
        if allowed and (domain == allowed or domain.endswith("." + allowed)):
            return True
    return False


def is_trusted_sender(address: str | None, policy: SenderPolicy) -> bool:
    if not address:
        return False
    known_addresses = {p.lower() for p in policy.known_providers if "@" in p}
    known_domains = [p for p in policy.known_providers if "@" not in p]
    return (
        address.lower() in known_addresses
        or domain_matches(address, policy.trusted_domains)
        or domain_matches(address, known_domains)
    )


def is_municipal_sender(address: str | None, policy: SenderPolicy) -> bool:
    return domain_matches(address, policy.municipal_domains)
