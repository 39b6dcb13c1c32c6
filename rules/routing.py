"""Which systems a change must reach, and who owns them (domain/process.md, seed 002 table).

``hitta_utforare`` is fetched automatically from Jämför service and gets no task.
Onboarding creates no system task until EKU judges the checklist complete.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict

__all__ = ["OWNERS", "ROUTES", "SYSTEM_NAMES", "Owner", "RoutedTask", "System", "route"]

System = Literal["jamfor_service", "serviceguiden", "treserva", "enhetssida", "utforarregister"]
Owner = Literal["eku", "intraservice", "kom"]

OWNERS: dict[System, Owner] = {
    "jamfor_service": "eku",
    "serviceguiden": "eku",
    "utforarregister": "eku",
    "treserva": "intraservice",
    "enhetssida": "kom",
}

SYSTEM_NAMES: dict[System, str] = {
    "jamfor_service": "Jämför service",
    "serviceguiden": "Serviceguiden",
    "utforarregister": "Stadens utförarregister",
    "treserva": "Treserva",
    "enhetssida": "Enhetens sida på goteborg.se",
}

_ALL: tuple[System, ...] = (
    "jamfor_service",
    "serviceguiden",
    "utforarregister",
    "treserva",
    "enhetssida",
)
ROUTES: dict[str, tuple[System, ...]] = {
    "new_unit": _ALL,
    "close_unit": _ALL,
    "merge_units": _ALL,
    "rename_unit": _ALL,
    "update_details": ("jamfor_service", "utforarregister"),
    "capacity_full": ("jamfor_service",),
    "capacity_available": ("jamfor_service",),
}


class RoutedTask(BaseModel):
    model_config = ConfigDict(frozen=True)

    system: System
    owner: Owner
    due: dt.date | None


def route(kinds: Iterable[str], due: dt.date | None) -> list[RoutedTask]:
    """One task per system that any of the kinds reaches, in the routing table's order."""
    systems: list[System] = []
    for kind in kinds:
        for system in ROUTES.get(kind, ()):
            if system not in systems:
                systems.append(system)
    return [RoutedTask(system=s, owner=OWNERS[s], due=due) for s in systems]
