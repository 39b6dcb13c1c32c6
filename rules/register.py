"""The register helps reading: unit names in a message matched to the units the city knows.

Pure: given an understanding and a snapshot of the register (from the database, or from
the CSV that ``[register] file`` names for ``check``), say which known unit each name is
and what a reader should be warned of (contract.md findings ``unknown_unit`` and
``unit_exists``, issue 10).

Matching, strictest first: the name as written (case and spacing aside), an earlier name,
the same name with its unit type written another way ("DV" / "Daglig verksamhet", "HT" /
"Hemtjänst" / "Hemtjänstgruppen": parsers.units.same_unit), then a fuzzy match.

Fuzzy matching uses the standard library's ``difflib.SequenceMatcher`` rather than
rapidfuzz: the register holds a few hundred units, a message names one to three, so the
speed rapidfuzz buys is not needed, and no compiled dependency is added for it. The
threshold (0.85, on the proper-name part alone, with the unit type set aside) lets a typo
or a dropped letter through ("Björkangen", "Lyktan" / "Lycktan") but not a neighbour
("Eken" / "Ekens" would; "Eriksbo 1" / "Eriksbo 2" differ only in the digit, and digits
must agree; "Eken" / "Skogen" do not).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from parsers.units import core_name, same_unit
from rules.findings import Finding, finding

__all__ = [
    "FUZZY_THRESHOLD",
    "KnownUnit",
    "RegisterSnapshot",
    "UnitMatch",
    "match_unit",
    "normalise_unit_name",
    "register_findings",
]

FUZZY_THRESHOLD = 0.85

# Unit types as people abbreviate them; expanded before names are compared.
_TYPE_WORDS = (
    (re.compile(r"^(?:dv|daglig\s+verksamhet)\b\s*"), "daglig verksamhet "),
    (
        re.compile(r"^(?:ht|hemtjänstgruppen|hemtjänstgrupp|hemtjänsten|hemtjänst)\b\s*"),
        "hemtjänst ",
    ),
)
# Kinds whose unit must already exist for the change to make sense.
_EXISTING_UNIT_KINDS = frozenset(
    {"close_unit", "rename_unit", "capacity_full", "capacity_available", "merge_units"}
)


@dataclass(frozen=True, slots=True)
class KnownUnit:
    """One unit as the register holds it."""

    name: str
    earlier_names: tuple[str, ...] = ()
    state: str = "valbar"
    provider: str | None = None
    unit_id: int | None = None


@dataclass(frozen=True, slots=True)
class RegisterSnapshot:
    """The register's units at one moment, for matching names."""

    units: tuple[KnownUnit, ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        return not self.units


@dataclass(frozen=True, slots=True)
class UnitMatch:
    unit: KnownUnit
    how: str  # exact | earlier_name | unit_type | fuzzy
    score: float = 1.0


def normalise_unit_name(name: str) -> str:
    """Lower case, single spaces, the unit type written out ("DV X" → "daglig verksamhet x")."""
    text = " ".join(name.casefold().replace("–", "-").split())
    for pattern, replacement in _TYPE_WORDS:
        text = pattern.sub(replacement, text, count=1)
    return text.strip()


def _digits(text: str) -> list[str]:
    return re.findall(r"\d+", text)


def match_unit(name: str, snapshot: RegisterSnapshot) -> UnitMatch | None:
    """The known unit ``name`` refers to, or None; closed units match only by exact name."""
    wanted = " ".join(name.casefold().split())
    for unit in snapshot.units:
        if " ".join(unit.name.casefold().split()) == wanted:
            return UnitMatch(unit, "exact")
    live = [u for u in snapshot.units if u.state != "closed"]
    for unit in live:
        if any(" ".join(e.casefold().split()) == wanted for e in unit.earlier_names):
            return UnitMatch(unit, "earlier_name")
    normal = normalise_unit_name(name)
    typed = [u for u in live if _same_name(name, normal, u.name)]
    if len(typed) == 1:
        return UnitMatch(typed[0], "unit_type")
    typed = [u for u in live if any(_same_name(name, normal, e) for e in u.earlier_names)]
    if len(typed) == 1:
        return UnitMatch(typed[0], "earlier_name")
    best: UnitMatch | None = None
    wanted_type, wanted_core = _split_type(normal)
    for unit in live:
        for candidate in (unit.name, *unit.earlier_names):
            other_type, other_core = _split_type(normalise_unit_name(candidate))
            if _digits(other_core) != _digits(wanted_core):
                continue
            if wanted_type and other_type and wanted_type != other_type:
                continue
            score = SequenceMatcher(None, wanted_core, other_core).ratio()
            if score >= FUZZY_THRESHOLD and (best is None or score > best.score):
                best = UnitMatch(unit, "fuzzy", round(score, 3))
    return best


def _split_type(normal: str) -> tuple[str | None, str]:
    """("daglig verksamhet", "björkängen") from a normalised name: the type would make
    any two names of one type look alike to a fuzzy comparison."""
    kind = _type_of(normal)
    return kind, normal[len(kind) :].strip() if kind else normal


def _same_name(name: str, normal: str, known: str) -> bool:
    if normalise_unit_name(known) == normal:
        return True
    # "Hemtjänst Majorna" and "Hemtjänstgruppen Majorna": one unit, the type said two ways.
    return (
        bool(core_name(name))
        and same_unit(name, known)
        and _type_of(normal) == _type_of(normalise_unit_name(known))
    )


def _type_of(normal: str) -> str | None:
    for word in ("daglig verksamhet", "hemtjänst"):
        if normal.startswith(word):
            return word
    return None


def register_findings(
    kinds: Sequence[str], units: Sequence[str], new_name: str | None, snapshot: RegisterSnapshot
) -> list[Finding]:
    """``unknown_unit`` and ``unit_exists`` for one message (issue 10).

    Nothing while the register holds no units: an empty register knows nothing, so every
    unit would be unknown.
    """
    if snapshot.empty:
        return []
    found: list[Finding] = []
    kind_set = set(kinds)
    if kind_set & _EXISTING_UNIT_KINDS:
        # A merge names its new unit among the merged ones only when it is new: skip it.
        for name in units:
            if "merge_units" in kind_set and new_name and name == new_name:
                continue
            if match_unit(name, snapshot) is None:
                found.append(finding("unknown_unit", evidence=name, unit=name))
    if "new_unit" in kind_set:
        for name in units[:1]:
            match = match_unit(name, snapshot)
            if match is not None and match.how in ("exact", "unit_type", "earlier_name"):
                if match.unit.state == "closed" and match.how != "exact":
                    continue
                found.append(
                    finding(
                        "unit_exists",
                        evidence=name,
                        unit=name,
                        known=match.unit.name,
                        state=_STATE_WORDS.get(match.unit.state, match.unit.state),
                    )
                )
    return found


_STATE_WORDS = {
    "planned": "planerad",
    "valbar": "valbar",
    "full": "fullbelagd",
    "closed": "avslutad",
}
