"""A newly approved provider's way from *godkänd* to *valbar* (process.md, seed 000).

EKU judges a provider selectable once the start-up meeting is attended, the insurance
letter and the form are sent, an IT contact person is named (and trained by Intraservice),
and, for home care, ready-made food deliveries are arranged. lovbot keeps the checklist;
EKU decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["CHECKLIST", "items_mentioned", "missing_items"]

# item id → what the acknowledgement and the digest call it
CHECKLIST: dict[str, str] = {
    "uppstartsmote": "deltagit i uppstartsmöte",
    "forsakringsbrev": "försäkringsbrev",
    "verksamhetsuppgifter": "blanketten Verksamhetsuppgifter",
    "it_kontaktperson": "IT-kontaktperson",
    "matleverans": "hantering av matleveranser (hemtjänst)",
}

_CUES: dict[str, re.Pattern[str]] = {
    "uppstartsmote": re.compile(r"uppstartsmöte|start-?up\s+meeting", re.IGNORECASE),
    "forsakringsbrev": re.compile(r"försäkrings(?:brev|intyg)|insurance", re.IGNORECASE),
    "it_kontaktperson": re.compile(r"it-?\s?kontakt|it\s+contact", re.IGNORECASE),
    "matleverans": re.compile(r"matleverans|food\s+deliver", re.IGNORECASE),
}


def items_mentioned(texts: Iterable[str], *, form_attached: bool) -> set[str]:
    """The checklist items a message delivers or reports (its words and a readable form)."""
    found = {item for text in texts for item, cue in _CUES.items() if cue.search(text)}
    if form_attached:
        found.add("verksamhetsuppgifter")
    return found


def missing_items(done: Iterable[str], *, home_care: bool) -> list[str]:
    """What is still missing, in the checklist's order (food deliveries only for home care)."""
    have = set(done)
    return [item for item in CHECKLIST if item not in have and (home_care or item != "matleverans")]
