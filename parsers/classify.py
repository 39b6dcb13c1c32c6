"""Which kind of change a message announces, with the words that decided it.

Rules a person can read and EKU can audit: each kind has cue patterns (domain/process.md,
"Kinds of message"), every match is kept as evidence. Swedish first, plain English too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "KIND_ORDER",
    "Classification",
    "Cue",
    "Kind",
    "automated_reason",
    "classify",
    "find_cues",
]

Kind = Literal[
    "new_unit",
    "close_unit",
    "merge_units",
    "rename_unit",
    "update_details",
    "capacity_full",
    "capacity_available",
    "onboarding",
    "other",
    "auto_reply",
]

# contract.md: a message with several changes takes the first of this order as its kind.
KIND_ORDER: tuple[Kind, ...] = (
    "new_unit",
    "merge_units",
    "close_unit",
    "rename_unit",
    "capacity_full",
    "capacity_available",
    "update_details",
    "onboarding",
)

_W = r"(?<![\wåäöÅÄÖ])"  # word start that knows Swedish letters
_E = r"(?![\wåäöÅÄÖ])"  # word end


def _cues(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"{_W}(?:{p}){_E}" for p in patterns), re.IGNORECASE)


_CUES: dict[Kind, re.Pattern[str]] = {
    "new_unit": _cues(
        r"(?:startar|starta|öppnar|öppna|öppnas|startas)\s+(?:upp\s+)?(?:en\s+|vår\s+)?nya?\s+"
        r"(?:enhet|verksamhet|daglig\s+verksamhet|hemtjänst\w*)",
        r"nya?\s+enhet",
        r"vår\s+nya\s+enhet",
        r"nystart\w*",
        r"start\s+av\s+(?:en\s+)?ny\w*",
        r"(?:kommer\s+att\s+)?(?:starta|startar|öppnar|öppnas|startas)",
        r"new\s+unit",
        r"(?:will\s+)?open(?:s|ing)?\s+(?:a\s+)?new",
        r"start(?:s|ing)?\s+(?:a\s+)?new\s+(?:unit|service)",
    ),
    "merge_units": _cues(
        r"slås\s+samman",
        r"slår\s+(?:vi\s+)?ihop",
        r"slås\s+ihop",
        r"sammanslag\w*",
        r"sammanför\w*",
        r"går\s+upp\s+i",
        r"merg(?:e|es|ed|ing|er)",
    ),
    "close_unit": _cues(
        r"avslutar",
        r"avslutas",
        r"avslut",
        r"upphör",
        r"stänger",
        r"stängs",
        r"läggs\s+(?:ned|ner)",
        r"lägger\s+(?:ned|ner)",
        r"nedläggning",
        r"avveckl\w+",
        r"sista\s+(?:dag|öppetdag|verksamhetsdag)",
        r"clos(?:e|es|ing|ure)",
        r"shut(?:s|ting)?\s+down",
    ),
    "rename_unit": _cues(
        r"byter\s+namn",
        r"byta\s+namn",
        r"namnbyte",
        r"namnändring",
        r"nytt\s+namn",
        r"ändrar\s+namn",
        r"ändrat\s+namn",
        r"ska\s+heta",
        r"kommer\s+att\s+heta",
        r"heter\s+numera",
        r"renam(?:e|ed|ing)",
        r"new\s+name",
        r"change\s+of\s+name",
    ),
    "capacity_full": _cues(
        r"kapacitetstak(?:et)?\s+(?:är\s+|har\s+)?(?:nått|uppnått)",
        r"(?:nått|uppnått)\s+(?:vårt\s+|sitt\s+)?kapacitetstak(?:et)?",
        r"(?:sänker|sänkt|sänkt)\s+(?:vårt\s+)?kapacitetstak(?:et)?",
        r"inga\s+lediga\s+platser",
        r"kan\s+(?:vi\s+|ni\s+)?(?:inte|ej)\s+ta\s+emot\s+nya",
        r"tar\s+(?:vi\s+)?(?:inte|ej)\s+emot\s+nya",
        r"fullbelag\w*",
        r"fullt\s+belag\w*",
        r"fullt",
        r"full\s+kapacitet",
        r"(?:at|reached)\s+(?:full\s+)?capacity",
        r"no\s+(?:free|available)\s+places",
    ),
    "capacity_available": _cues(
        r"ledig\s+kapacitet",
        r"lediga\s+platser",
        r"kan\s+(?:vi\s+|ni\s+)?(?:åter\s+|igen\s+|nu\s+)?ta\s+emot\s+nya",
        r"tar\s+(?:vi\s+)?(?:åter\s+|igen\s+|nu\s+)?emot\s+nya",
        r"valbar\w*\s+igen",
        r"(?:free|available)\s+(?:capacity|places)",
        r"can\s+(?:again\s+)?(?:take|accept)\s+new",
    ),
    "update_details": _cues(
        r"ny\s+(?:enhets)?chef",
        r"ny\s+verksamhetschef",
        r"nytt\s+telefonnummer",
        r"nya?\s+(?:telefon|tel\.?|adress|besöksadress|e-?postadress|e-?post|webbadress|hemsida)",
        r"ny\s+beskrivning",
        r"nya\s+öppettider",
        r"ändrade\s+(?:öppettider|kontaktuppgifter|uppgifter)",
        r"särskild\s+kompetens",
        r"särskilda\s+kompetenser",
        r"flyttar\s+till",
        r"ändring\s+av\s+(?:kontaktuppgifter|uppgifter|beskrivning)",
        r"new\s+(?:manager|phone|address|e-?mail|description)",
        r"changed?\s+(?:contact\s+details|address|phone)",
    ),
    "onboarding": _cues(
        r"försäkringsbrev\w*",
        r"försäkringsintyg\w*",
        r"it-?kontakt(?:person)?\w*",
        r"matleverans\w*",
        r"uppstartsmöte\w*",
        r"insurance\s+(?:letter|certificate)",
        r"it\s+contact",
    ),
}

# A cue right after a negation turns around: "kan inte ta emot nya" is a full unit.
_NEGATION = re.compile(r"(?:\binte|\bej|\binga|\bicke|\bnot|\bno|\bcannot|\bcan't)\s+$", re.I)
_NEGATED_TO: dict[Kind, Kind | None] = {
    "capacity_available": "capacity_full",
    "close_unit": None,
    "new_unit": None,
}

_AUTO_SUBJECT = re.compile(
    r"^(?:automatiskt\s+svar|autosvar|auto(?:matic)?\s*reply|frånvaro\w*|out\s+of\s+(?:the\s+)?"
    r"office|abwesenheit|undeliverable|olevererbar\w*|ej\s+levererat|kan\s+inte\s+levereras"
    r"|delivery\s+(?:status\s+notification|has\s+failed|failure)|mail\s+delivery\s+failed"
    r"|returned\s+mail|undelivered\s+mail|leveransrapport|läskvitto|read:|läst:)",
    re.IGNORECASE,
)
_AUTO_BODY = re.compile(
    r"(?:jag\s+är\s+(?:på\s+semester|ledig|tjänstledig|föräldraledig|frånvarande|bortrest)"
    r"|är\s+(?:tillbaka|åter)\s+(?:den|på\s+kontoret|i\s+tjänst)"
    r"|I\s+am\s+(?:out\s+of\s+(?:the\s+)?office|on\s+(?:holiday|vacation|leave)))",
    re.IGNORECASE,
)
_AUTOMATED_SENDER = re.compile(
    r"^(?:mailer-daemon|postmaster|no-?reply|do-?not-?reply|donotreply|bounce[s]?)[@+.\-]",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Cue:
    kind: Kind
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Classification:
    kind: Kind
    also: tuple[Kind, ...]
    evidence: tuple[str, ...]
    cues: tuple[Cue, ...]


def find_cues(text: str) -> list[Cue]:
    """Every cue of every kind in the text, negation applied, in text order."""
    found: list[Cue] = []
    for kind, pattern in _CUES.items():
        for match in pattern.finditer(text):
            actual: Kind | None = kind
            if kind in _NEGATED_TO and _NEGATION.search(
                text[max(0, match.start() - 12) : match.start()]
            ):
                actual = _NEGATED_TO[kind]
            if actual is not None:
                found.append(Cue(actual, match.group(0), match.start(), match.end()))
    found.sort(key=lambda c: c.start)
    return found


def automated_reason(
    headers: Mapping[str, str], from_address: str | None, subject: str, text: str
) -> str | None:
    """Why a message is machine-made (RFC 3834 and common practice), or None."""
    auto = headers.get("auto-submitted", "").strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    if headers.get("x-autoreply") or headers.get("x-autorespond"):
        return "X-Autoreply"
    if "multipart/report" in headers.get("content-type", "").lower():
        return "leveransrapport (multipart/report)"
    if from_address and _AUTOMATED_SENDER.match(from_address):
        return f"automatisk avsändare {from_address}"
    if _AUTO_SUBJECT.match(subject):
        return f"ämnesraden: {subject[:60]}"
    if _AUTO_BODY.search(text) and not find_cues(text):
        return "frånvaromeddelande"
    return None


def classify(
    subject: str,
    new_text: str,
    *,
    automated: str | None = None,
    form_kinds: tuple[Kind, ...] = (),
) -> Classification:
    """Decide the kind from the subject and the new text; a form's ticked boxes fill a gap."""
    if automated:
        return Classification("auto_reply", (), (automated,), ())
    cues = find_cues(subject + "\n" + new_text)
    kinds = {c.kind for c in cues}
    if "merge_units" in kinds:
        # A merge names its new unit and ends the old ones: those words belong to the merge.
        kinds -= {"new_unit", "rename_unit", "close_unit"}
    if "new_unit" in kinds:
        kinds -= {"update_details", "capacity_available"}
    if "rename_unit" in kinds and "close_unit" in kinds:
        kinds.discard("close_unit") if not _strong_close(cues) else None
    if not kinds and form_kinds:
        kinds = set(form_kinds)
        return _result(kinds, tuple(f"blanketten: {k}" for k in form_kinds), cues)
    if not kinds:
        return Classification("other", (), (), tuple(cues))
    evidence = tuple(dict.fromkeys(c.text for c in cues if c.kind in kinds))
    return _result(kinds, evidence, cues)


def _strong_close(cues: list[Cue]) -> bool:
    return any(
        c.kind == "close_unit" and c.text.lower().startswith(("läggs", "nedlägg")) for c in cues
    )


def _result(kinds: set[Kind], evidence: tuple[str, ...], cues: list[Cue]) -> Classification:
    ordered = [k for k in KIND_ORDER if k in kinds]
    return Classification(
        ordered[0], tuple(ordered[1:]), evidence, tuple(c for c in cues if c.kind in kinds)
    )
