"""Check boxes for the kind of change and the area: glyphs, symbol fonts, controls, words."""

from __future__ import annotations

import re
from typing import Final

from parsers.form.text import squash

__all__ = [
    "AREA_OPTIONS",
    "AREA_RE",
    "CHANGE_OPTIONS",
    "CHANGE_RE",
    "CHANGE_TYPES",
    "DAGLIG_VERKSAMHET",
    "HEMTJANST",
    "SYMBOL_BOXES",
    "change_type",
    "normalise_area",
    "option_for_name",
    "option_name",
    "scan_boxes",
]

CHANGE_TYPES: Final = ("Ny enhet", "Sammanslagning", "Namnändring", "Övriga ändringar")

HEMTJANST: Final = "Hemtjänst"
DAGLIG_VERKSAMHET: Final = "Daglig verksamhet LSS"

_TICKED: Final = frozenset(
    {"☒", "☑", "✓", "✔", "✗", "✘", "■", "⊠", "x", "X", "[x]", "[X]", "[✓]", "[✔]", "(x)", "(X)"}
)
_UNTICKED: Final = frozenset({"☐", "□", "◻", "▢", "❏", "❑", "❒", "⬜", "[]", "()"})
_BOX_SPACING_RE: Final = re.compile(r"([\[(])\s*([xX✓✔]?)\s*([\])])")

# Symbol-font check boxes (Wingdings, Wingdings 2) arrive as private-use code points.
SYMBOL_BOXES: Final = {
    0xF0FD: "☒",
    0xF0FE: "☑",
    0xF0FC: "✓",
    0xF0A8: "☐",
    0xF06F: "☐",
    0xF054: "☒",
    0xF052: "☑",
    0xF050: "✓",
    0xF0A3: "☐",
}

CHANGE_OPTIONS: Final[dict[str, str]] = {
    "ny enhet": "Ny enhet",
    "nystart": "Ny enhet",
    "ny verksamhet": "Ny enhet",
    "start av ny enhet": "Ny enhet",
    "nyetablering": "Ny enhet",
    "sammanslagning": "Sammanslagning",
    "sammanslagning av enheter": "Sammanslagning",
    "namnändring": "Namnändring",
    "namnbyte": "Namnändring",
    "byte av namn": "Namnändring",
    "övriga ändringar": "Övriga ändringar",
    "övrig ändring": "Övriga ändringar",
    "övrigt": "Övriga ändringar",
    "annan ändring": "Övriga ändringar",
    "andra ändringar": "Övriga ändringar",
    "övriga förändringar": "Övriga ändringar",
    "ändrade uppgifter": "Övriga ändringar",
    # English forms, as providers translate the form for themselves.
    "new unit": "Ny enhet",
    "new service": "Ny enhet",
    "merger": "Sammanslagning",
    "merger of units": "Sammanslagning",
    "merging of units": "Sammanslagning",
    "name change": "Namnändring",
    "change of name": "Namnändring",
    "other changes": "Övriga ändringar",
    "other change": "Övriga ändringar",
}
AREA_OPTIONS: Final[dict[str, str]] = {
    "hemtjänst": HEMTJANST,
    "daglig verksamhet": DAGLIG_VERKSAMHET,
    "daglig verksamhet lss": DAGLIG_VERKSAMHET,
    "daglig verksamhet enligt lss": DAGLIG_VERKSAMHET,
    "home care": HEMTJANST,
    "home help": HEMTJANST,
    "home care services": HEMTJANST,
    "daily activities": DAGLIG_VERKSAMHET,
    "daily activity": DAGLIG_VERKSAMHET,
    "daily activities lss": DAGLIG_VERKSAMHET,
}


def _options_re(options: dict[str, str]) -> re.Pattern[str]:
    alternatives = sorted(options, key=len, reverse=True)
    body = "|".join(r"\s+".join(map(re.escape, option.split())) for option in alternatives)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


CHANGE_RE: Final = _options_re(CHANGE_OPTIONS)
AREA_RE: Final = _options_re(AREA_OPTIONS)


def option_name(matched: str, options: dict[str, str]) -> str:
    return options[" ".join(matched.lower().split())]


def change_type(text: str) -> str | None:
    match = CHANGE_RE.fullmatch(text.strip())
    return option_name(match.group(0), CHANGE_OPTIONS) if match else None


def normalise_area(text: str) -> str:
    """The canonical area when the answer names exactly one of the two, else the answer."""
    squashed = squash(text)
    is_daglig = (
        "dagligverksamhet" in squashed or "dailyactivit" in squashed or squashed in ("lss", "dv")
    )
    is_hemtjanst = any(word in squashed for word in ("hemtjanst", "homecare", "homehelp"))
    if is_daglig and not is_hemtjanst:
        return DAGLIG_VERKSAMHET
    if is_hemtjanst and not is_daglig:
        return HEMTJANST
    return text


# "Ny enhet | Ja", "Sammanslagning: nej": a yes or no written beside the option.
_YES: Final = frozenset({"ja", "yes"})
_NO: Final = frozenset({"nej", "no"})


def _marker(token: str) -> bool | None:
    token = token.strip(",;:.")
    if token in _TICKED or token.lower() in _YES:
        return True
    if token in _UNTICKED or token.lower() in _NO:
        return False
    return None


def scan_boxes(text: str, pattern: re.Pattern[str], options: dict[str, str]) -> dict[str, bool]:
    """Which options a line marks as ticked or not: "☒ Ny enhet ☐ Sammanslagning".

    Markers stand either before every option or after every option; the reading that
    finds more markers wins (before, on a tie), so option names inside a label such as
    "Verksamhetsområde (hemtjänst/daglig verksamhet): ☒ Hemtjänst" do not shift it.
    Options without a marker are left out.
    """
    text = _BOX_SPACING_RE.sub(r"\1\2\3", text)
    matches = list(pattern.finditer(text))
    if not matches:
        return {}
    before: list[bool | None] = []
    after: list[bool | None] = []
    for position, match in enumerate(matches):
        start = matches[position - 1].end() if position else 0
        end = matches[position + 1].start() if position + 1 < len(matches) else len(text)
        preceding = text[start : match.start()].split()
        following = text[match.end() : end].split()
        before.append(_marker(preceding[-1]) if preceding else None)
        after.append(_marker(following[0]) if following else None)
    found = sum(state is not None for state in before)
    chosen = before if found >= sum(state is not None for state in after) else after
    states: dict[str, bool] = {}
    for match, state in zip(matches, chosen, strict=True):
        if state is not None:
            option = option_name(match.group(0), options)
            states[option] = states.get(option, False) or state
    return states


def option_for_name(name: str | None) -> tuple[str, str] | None:
    """("typ_av_andring", "Ny enhet") for a check box control titled or tagged "Ny enhet"."""
    if not name:
        return None
    squashed = squash(name.replace("_", " "))
    for options, key in ((CHANGE_OPTIONS, "typ_av_andring"), (AREA_OPTIONS, "verksamhetsomrade")):
        for option, canonical in options.items():
            if squash(option) == squashed or (
                len(squashed) > len(squash(option)) and squashed.endswith(squash(option))
            ):
                return key, canonical
    return None
