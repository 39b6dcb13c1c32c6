"""Unit names as people write them, and what a rename or merge says about them.

A unit name is a unit type ("Daglig verksamhet", "DV", "Hemtjänstgruppen", ...) followed
by a proper name in capitals ("Björkängen", "Angered Centrum", "Eriksbo 2"), or any name
in quotes after "enheten". Names keep the words the sender wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["MergeInfo", "RenameInfo", "core_name", "find_units", "merge_info", "rename_info"]

_UPPER = "A-ZÅÄÖÉÜ"
_LOWER = "a-zåäöéü"
_NAME_WORD = rf"[{_UPPER}][{_UPPER}{_LOWER}'’\-]*"
_MONTHS = (
    "jan|januari|feb|februari|mars|mar|april|apr|maj|juni|jun|juli|jul|augusti|aug|september"
    "|sept|sep|oktober|okt|november|nov|december|dec|january|february|march|may|june|july"
    "|august|october"
)
# Parts of a proper name: capitalised words, a few lower-case joiners, a short number
# ("Eriksbo 2") that is not the start of a date ("Kvarnen 1 mars").
_NAME = (
    rf"{_NAME_WORD}"
    rf"(?:[ \t]+(?:(?:i|på|av|vid)[ \t]+)?{_NAME_WORD}"
    rf"|[ \t]+\d{{1,2}}(?![\d/.:\-])(?![ \t]+(?:{_MONTHS})\b)(?![ \t]*(?:/|-\d)))*"
)
_TYPE = (
    r"daglig(?:a)?\s+verksamhet(?:en)?|dagverksamhet(?:en)?|DV"
    r"|hemtjänst(?:en|gruppen|grupp|sgruppen|sgrupp|sområde)?|hemtjänstområde"
    r"|gruppbostad(?:en)?|korttidsboende(?:t)?|servicebostad(?:en)?"
)
# Only the unit type is case-insensitive: the name must start with a capital.
_TYPED = re.compile(rf"(?<![\wåäö])(?P<type>(?i:{_TYPE}))[ \t]+(?P<name>{_NAME})")
_QUOTED = re.compile(r"[\"“”«»']\s*(?P<name>[^\"“”«»'\n]{2,60}?)\s*[\"“”«»']")
_ENHET = re.compile(rf"(?<![\wåäö])(?i:enhet(?:en)?|verksamhet(?:en)?|unit)[ \t]+(?P<name>{_NAME})")
# Words that start with a capital only because they begin a sentence or are common nouns.
_NOT_NAMES = frozenset(
    [
        "Vi",
        "Jag",
        "Den",
        "Det",
        "De",
        "Hej",
        "Från",
        "Till",
        "Och",
        "Med",
        "Som",
        "Är",
        "Ansvarskod",
        "Ekonomisk",
        "Blankett",
        "Blanketten",
        "Verksamhetsuppgifter",
        "LSS",
        "AB",
        "Ny",
        "Nya",
        "Nytt",
        "Enhet",
        "Enheten",
        "Fr",
        "Tom",
    ]
)


def _fix_case_sensitive(match: re.Match[str]) -> str | None:
    """The regex runs case-insensitively for the type; the name itself must be capitalised."""
    name = match.group("name")
    words = name.split()
    kept: list[str] = []
    for word in words:
        if word[0].isdigit() or word in {"i", "på", "av", "vid"}:
            kept.append(word)
            continue
        if not word[0].isupper() or word in _NOT_NAMES:
            break
        kept.append(word)
    while kept and (kept[-1] in {"i", "på", "av", "vid"}):
        kept.pop()
    if not kept or kept[0][0].isdigit():
        return None
    return " ".join(kept)


def core_name(unit: str) -> str:
    """The proper-name part, for comparing "Hemtjänst Majorna Norra" with "Hemtjänstgruppen ..."."""
    match = _TYPED.match(unit)
    name = match.group("name") if match else unit
    return " ".join(name.lower().split())


@dataclass(frozen=True, slots=True)
class UnitMention:
    name: str
    start: int
    end: int


def find_unit_mentions(text: str) -> list[UnitMention]:
    found: list[UnitMention] = []
    for match in _TYPED.finditer(text):
        name = _fix_case_sensitive(match)
        if name is None:
            continue
        full = f"{match.group('type')} {name}"
        if match.group("type").isupper() or match.group("type")[0].isupper():
            written = full
        else:
            written = full[0].upper() + full[1:]
        found.append(UnitMention(written, match.start(), match.start("name") + len(name)))
    taken = [(m.start, m.end) for m in found]
    for pattern in (_ENHET, _QUOTED):
        for match in pattern.finditer(text):
            if any(s <= match.start("name") < e for s, e in taken):
                continue
            if pattern is _QUOTED:
                name = match.group("name").strip()
                if not name[:1].isupper():
                    continue
            else:
                fixed = _fix_case_sensitive(match)
                if fixed is None:
                    continue
                name = fixed
            found.append(UnitMention(name, match.start("name"), match.start("name") + len(name)))
            taken.append((match.start("name"), match.start("name") + len(name)))
    found.sort(key=lambda m: m.start)
    return found


def find_units(*texts: str) -> list[str]:
    """Unit names in the texts, first mention first, one per unit."""
    seen: dict[str, str] = {}
    for text in texts:
        for mention in find_unit_mentions(text):
            key = core_name(mention.name)
            if key and key not in seen and not any(key in k or k in key for k in seen):
                seen[key] = mention.name
    return list(seen.values())


_RENAME_TO = re.compile(
    rf"(?i:byter\s+namn\s+till|byta\s+namn[^.\n]{{0,80}}?\s+till|ändrar\s+namn(?:et)?\s+till"
    rf"|ska\s+heta|kommer\s+att\s+heta|heter\s+numera|heter\s+nu|nytt\s+namn(?:\s+blir|\s+är|:)"
    rf"|nya\s+namnet\s+(?:blir|är|:)|renamed\s+(?:to|as)|new\s+name\s+(?:is|will\s+be|:)"
    rf"|change[sd]?\s+(?:its\s+)?name\s+to|blir|till)\s*[:\-–]?\s*[\"“”«']?"
    rf"(?P<new>(?:(?i:{_TYPE})[ \t]+)?{_NAME})"
)


@dataclass(frozen=True, slots=True)
class RenameInfo:
    old: str | None
    new: str | None
    evidence: str | None


def rename_info(text: str) -> RenameInfo:
    """The old and new name in a rename notice ("X byter namn till Y")."""
    for match in _RENAME_TO.finditer(text):
        cue = match.group(0).split()[0].lower()
        if cue in {"blir", "till"} and not re.search(
            r"(?:namn|heta|renam)", text[max(0, match.start() - 120) : match.start()], re.I
        ):
            continue
        new = _clean_new(match.group("new"))
        if new is None:
            continue
        before = [
            m
            for m in find_unit_mentions(text[: match.start("new")])
            if core_name(m.name) != core_name(new)
        ]
        old = before[-1].name if before else None
        return RenameInfo(old, new, match.group(0).strip())
    return RenameInfo(None, None, None)


def _clean_new(raw: str) -> str | None:
    typed = _TYPED.match(raw)
    if typed:
        name = _fix_case_sensitive(typed)
        if name:
            kind = typed.group("type")
            return f"{kind[0].upper()}{kind[1:]} {name}"
    words: list[str] = []
    for i, word in enumerate(raw.split()):
        if i == 0 or word[0].isupper() or word[0].isdigit() or word in {"i", "på", "av", "vid"}:
            if word in _NOT_NAMES and i > 0:
                break
            words.append(word)
        else:
            break
    if not words:
        return None
    name = " ".join(words)
    name = name[0].upper() + name[1:]
    if name.split()[0] in _NOT_NAMES or len(name) < 3:
        return None
    return name


_MERGE_NEW = re.compile(
    rf"(?i:nya\s+enheten\s+(?:ska\s+)?(?:heter|heta|kommer\s+att\s+heta|får\s+namnet|blir)"
    rf"|slås\s+samman\s+(?:till|under\s+namnet)(?!\s+en\b)|bildar(?:\s+tillsammans)?"
    rf"|under\s+namnet|nya\s+namnet\s+(?:blir|är)|merged?\s+into|new\s+unit\s+(?:is\s+)?called)"
    rf"\s*[:\-–]?\s*[\"“”«']?(?P<new>(?:(?i:{_TYPE})[ \t]+)?{_NAME})"
)
_REMAINS = re.compile(
    r"(?:finns\s+kvar|blir\s+kvar|kvarstår|behålls|behåller|fortsätter\s+som|går\s+upp\s+i"
    r"|ingen\s+av\s+(?:de\s+)?(?:gamla\s+)?enhet\w*|remains?|continues?\s+as|ny\s+enhet\s+bildas)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class MergeInfo:
    units: tuple[str, ...]
    new_name: str | None
    remaining_stated: bool
    evidence: str | None


def merge_info(text: str) -> MergeInfo:
    """The units of a merge, the new name if any, and whether it says what remains."""
    new_name: str | None = None
    evidence: str | None = None
    match = _MERGE_NEW.search(text)
    if match:
        new_name = _clean_new(match.group("new"))
        evidence = match.group(0).strip()
    units = [u for u in find_units(text) if new_name is None or core_name(u) != core_name(new_name)]
    remains = _REMAINS.search(text)
    return MergeInfo(
        tuple(units),
        new_name,
        remains is not None,
        evidence or (remains.group(0) if remains else None),
    )
