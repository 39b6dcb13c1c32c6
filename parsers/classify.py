"""Which kind of change a message announces, with the words that decided it.

Rules a person can read and EKU can audit: each kind has cue patterns (domain/process.md,
"Kinds of message"), every match is kept as evidence. Swedish first, plain English too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from parsers.units import UnitMention, find_unit_mentions

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


_UNIT_NOUN = (
    r"(?:enhet\w*|verksamhet\w*|daglig\s+verksamhet|hemtjänst\w*|grupp\w*|dagverksamhet\w*)"
)
_NEW_PEOPLE = r"(?:nya|fler)(?:\s+\w+)?"  # "nya brukare", "fler deltagare", "nya uppdrag"

_CUES: dict[Kind, re.Pattern[str]] = {
    "new_unit": _cues(
        rf"(?:startar|starta|startas|öppnar|öppna|öppnas)\s+(?:upp\s+)?(?:en\s+|vår\s+|ännu\s+en\s+)?"
        rf"nya?\s+{_UNIT_NOUN}",
        r"nya?\s+enhet(?:er)?",
        r"vår\s+nya\s+(?:enhet|verksamhet|daglig\s+verksamhet)\w*",
        r"nya?\s+(?:daglig\s+verksamhet|dagverksamhet|hemtjänst(?:grupp|enhet)?|verksamhet)",
        r"nystart\w*",
        r"start\s+av\s+(?:en\s+)?ny\w*",
        r"uppstart\s+av\s+(?:en\s+)?(?:ny|vår)\w*",
        r"new\s+(?:unit|service|daily\s+activit(?:y|ies)(?:\s+unit)?|home\s+care\s+unit)",
        r"(?:will\s+)?open(?:s|ing)?\s+(?:a\s+|our\s+)?new",
        r"start(?:s|ing)?\s+(?:up\s+)?(?:a\s+)?new\s+(?:unit|service)",
    ),
    "merge_units": _cues(
        r"slås\s+(?:samman|ihop)",
        r"slår\s+(?:vi\s+)?(?:samman|ihop)",
        # "Från 1 oktober slås Hemtjänst A och Hemtjänst B samman": the units stand between.
        r"(?:slås|slår|läggs)\s+(?:[\wåäöÅÄÖ\-]+\s+){1,8}?(?:samman|ihop)",
        r"blir\s+en\s+(?:gemensam\s+|ny\s+)?(?:enhet|grupp|verksamhet)",
        r"går\s+samman",
        r"sammanslås",
        r"sammanslag\w*",
        r"sammanför\w*",
        r"går\s+upp\s+i",
        r"uppgår\s+i",
        r"införlivas",
        r"merg(?:e|es|ed|ing|er)",
        r"combined\s+into",
    ),
    "close_unit": _cues(
        r"avslutar",
        r"avslutas",
        r"avsluta",
        r"avslut",
        r"upphör",
        r"upphöra",
        r"upphörande",
        # Past tense too: a change already made is still that change (rules: date_in_past).
        r"upphörde",
        r"stängde",
        r"stängdes",
        r"avslutades",
        r"(?:lades|lagts)\s+(?:ned|ner)",
        r"stänger",
        r"stängs",
        r"stängas",
        r"stänga",
        r"läggs\s+(?:den\s+|det\s+)?(?:ned|ner)",
        r"läggas\s+(?:ned|ner)",
        r"lägga\s+(?:ned|ner)",
        r"lägger\s+(?:vi\s+)?(?:ned|ner)",
        r"nedläggning",
        r"avveckl\w+",
        r"sista\s+(?:dag|dagen|öppetdag(?:en)?|verksamhetsdag(?:en)?|arbetsdag(?:en)?)",
        r"clos(?:e|es|ing|ure)",
        r"shut(?:s|ting)?\s+down",
        r"cease[sd]?\s+(?:operations|operating)",
        r"last\s+day",
    ),
    "rename_unit": _cues(
        r"byter\s+namn",
        r"byta\s+namn",
        r"bytt\s+namn",
        r"namnbyte",
        r"namnändring",
        r"nytt\s+namn",
        r"nya\s+namnet",
        r"ändrar\s+namn",
        r"ändrat\s+namn",
        r"namnet\s+ändras",
        r"får\s+(?:det\s+)?(?:nya\s+)?namnet",
        r"döps\s+om",
        r"döper\s+(?:vi\s+)?om",
        r"ska\s+heta",
        r"kommer\s+(?:\S+\s+){0,6}?att\s+heta",
        r"heter\s+(?:numera|nu|från|fr\.?\s?o\.?\s?m\.?|from|sedan|per)",
        r"renam(?:e|ed|es|ing)",
        r"new\s+name",
        r"name\s+change",
        r"change\s+of\s+name",
        r"change[sd]?\s+(?:its\s+|their\s+)?name",
        r"will\s+be\s+called",
    ),
    "capacity_full": _cues(
        # "kapacitetstaket för DV Lunden är nått": a few words may stand between.
        r"kapacitetstak(?:et)?(?:\s+(?!inte\b|ej\b)\S+){0,6}?\s+(?:är|har)\s+(?:nu\s+)?"
        r"(?:nått|uppnått|nåtts|uppnåtts)",
        r"kapacitetstak(?:et)?\s+(?:nått|uppnått)",
        r"(?:nått|uppnått)\s+(?:vårt\s+|sitt\s+)?kapacitetstak(?:et)?",
        r"(?:sänker|sänkt|sänka)\s+(?:vi\s+)?(?:vårt\s+)?kapacitetstak(?:et)?",
        r"inga\s+lediga\s+platser",
        r"inte\s+(?:några\s+)?lediga\s+platser",
        rf"kan\s+(?:vi\s+|ni\s+)?(?:inte|ej)\s+(?:längre\s+)?ta\s+emot\s+{_NEW_PEOPLE}",
        rf"tar\s+(?:vi\s+)?(?:inte|ej)\s+(?:längre\s+)?emot\s+{_NEW_PEOPLE}",
        r"fullbelag\w*",
        r"fullt\s+belag\w*",
        r"fullsatt\w*",
        r"fulltecknad\w*",
        r"(?:är|har)\s+(?:(?:nu|helt|tyvärr|redan|fortfarande|just\s+nu)\s+)*fullt"
        r"(?!\s+(?:möjligt|ut|rimligt|förståeligt|upp))",
        r"full\s+kapacitet",
        r"(?:inte|ej)\s+(?:längre\s+)?valbar\w*",
        r"(?:stänger|stängt)\s+för\s+(?:nya|fler|intag)\w*",
        r"intagsstopp",
        r"(?:at|reached)\s+(?:full\s+)?capacity",
        r"fully\s+booked",
        r"no\s+(?:free|available|vacant)\s+places",
        r"(?:cannot|can't|can\s+no\s+longer|no\s+longer)\s+(?:take|accept)\s+(?:any\s+)?new",
        r"not\s+accepting\s+new",
    ),
    "capacity_available": _cues(
        r"ledig\s+kapacitet",
        r"lediga\s+platser",
        r"ledig\s+plats",
        r"platser\s+lediga",
        rf"kan\s+(?:vi\s+|ni\s+)?(?:åter\s+|igen\s+|nu\s+|återigen\s+)?ta\s+emot\s+{_NEW_PEOPLE}",
        rf"tar\s+(?:vi\s+)?(?:åter\s+|igen\s+|nu\s+|återigen\s+)?emot\s+{_NEW_PEOPLE}",
        r"valbar\w*\s+igen",
        r"åter\s+valbar\w*",
        r"öppnar\s+(?:upp\s+)?(?:igen\s+)?för\s+(?:nya|fler|intag)\w*",
        r"(?:höjer|höjt|höja)\s+(?:vi\s+)?(?:vårt\s+)?kapacitetstak(?:et)?",
        r"kapacitetstak(?:et)?(?:\s+\S+){0,6}?\s+är\s+(?:inte|ej)\s+längre\s+(?:nått|uppnått)",
        r"inte\s+längre\s+(?:fullbelag\w*|fullt|fullsatt\w*)",
        r"(?:free|available|vacant)\s+(?:capacity|places)",
        r"can\s+(?:again\s+|now\s+)?(?:take|accept)\s+new",
        r"accepting\s+new",
    ),
    "update_details": _cues(
        r"nya?\s+(?:enhets|verksamhets)?chef",
        r"nytt\s+(?:telefonnummer|nummer|telefon)",
        r"nya?\s+(?:telefon|tel\.?|adress|besöksadress|postadress|e-?postadress|e-?post"
        r"|webbadress|hemsida|kontaktperson|lokal(?:er)?|inriktning|språk)",
        r"ny\s+beskrivning",
        r"(?:nya|ändrade|förändrade)\s+öppettider",
        r"öppettiderna\s+(?:ändras|förändras)",
        r"ändrade?\s+(?:kontaktuppgifter|uppgifter|adress|telefonnummer|inriktning)",
        r"särskild\s+kompetens",
        r"särskilda\s+kompetenser",
        r"flyttar\s+(?:\w+\s+){0,2}till",
        r"byter\s+(?:till\s+)?(?:nya\s+)?lokal(?:er)?",
        r"(?:tar\s+över|tillträder|börjar)\s+som\s+(?:ny\s+)?(?:enhets|verksamhets)?chef",
        r"ändring\s+av\s+(?:kontaktuppgifter|uppgifter|beskrivning\w*|adress)",
        r"(?:ändra|uppdatera)r?t?\s+(?:\w+\s+){0,3}(?:beskrivning\w*|kontaktuppgift\w*"
        r"|uppgift\w*|information\w*|adress\w*|telefonnummer\w*|öppettider)",
        r"new\s+(?:unit\s+)?(?:manager|phone(?:\s+number)?|address|e-?mail|description|premises)",
        r"changed?\s+(?:contact\s+details|address|phone(?:\s+number)?|opening\s+hours)",
        r"mov(?:es|ing)\s+to",
    ),
    "onboarding": _cues(
        r"försäkringsbrev\w*",
        r"försäkringsintyg\w*",
        r"försäkringsbevis\w*",
        r"ansvarsförsäkring\w*",
        r"it-?kontakt(?:person)?\w*",
        r"matleverans\w*",
        r"matdistribution\w*",
        r"uppstartsmöte\w*",
        r"insurance\s+(?:letter|certificate)",
        r"it\s+contact(?:\s+person)?",
        r"start-?up\s+meeting",
        r"food\s+deliver(?:y|ies)",
    ),
}

# "startar", "öppnar" alone announce a new unit only with the unit beside them ("DV Kvarnen
# öppnar", "startar vi Daglig verksamhet Tornet"); "vi startar en väntelista" does not.
_BARE_START = _cues(
    r"(?:kommer\s+att\s+|ska\s+|planerar\s+att\s+)?(?:starta|startar|öppnar|öppnas|startas)",
    r"(?:will|shall)\s+(?:open|start|launch)|opens\s+on|starts\s+on|launch(?:es|ing)?",
)
_BESIDE_BEFORE = re.compile(r"^[ \t,]*(?:(?:som|vi|nu|då|also|will|is|den|det)[ \t,]+){0,3}$", re.I)
_BESIDE_AFTER = re.compile(
    r"^[ \t]*(?:(?:vi|nu|upp|också|även|äntligen|verksamheten|enheten|the|our|unit)[ \t]+){0,3}"
    r"[\"“”«']?$",
    re.IGNORECASE,
)

# Words that make a cue something else: a temporary or daily closing ("stänger kl 16",
# "stänger under julen"), an opening time ("öppnar kl 8"), a deadline ("sista dag att
# anmäla"), the end of one person's assignment ("insatsen avslutas").
_FALSE_AFTER: dict[Kind, re.Pattern[str]] = {
    "new_unit": re.compile(
        r"^\s+(?:kl\b|klockan|\d{1,2}[.:]\d{2}|igen|upp\s+för|(?:upp\s+)?för\s+(?:nya|fler|intag)"
        r"|tidigare|senare|at\s+\d|again)",
        re.IGNORECASE,
    ),
    "close_unit": re.compile(
        r"^\s+(?:tillfälligt|kl\b|klockan|\d{1,2}[.:]\d{2}|tidigare|mellan|i\s+dag\s+kl"
        r"|(?:under|över|för)\s+(?:sommar\w*|jul\w*|semester\w*|helg\w*|påsk\w*|midsommar\w*"
        r"|nyår\w*|lov\w*|vecka|v\.|\d|perioden)|för\s+(?:nya|fler|intag\w*)"
        r"|att\s+(?:anmäla|ansöka|svara|lämna|skicka)|för\s+(?:att|ansökan|anmälan)"
        r"|to\b|by\b|at\s+\d|for\s+(?:applications|the\s+(?:summer|holidays?)))",
        re.IGNORECASE,
    ),
}
_FALSE_BEFORE: dict[Kind, re.Pattern[str]] = {
    # "efter att ha varit fullbelagd" is the state that ends.
    "capacity_full": re.compile(r"(?:varit|tidigare|förut)\s+$", re.IGNORECASE),
    "close_unit": re.compile(
        r"(?:tillfälligt|sommar|jul|tidigt|tidigare|insatsen|insats|uppdraget|placeringen"
        r"|beslutet|anställningen|ärendet|mötet|projektet|samtalet|kön)\s+(?:\w+\s+)?$",
        re.IGNORECASE,
    ),
}
_FALSE_REACH = 40

# A negation in front of a cue ("kommer inte att starta", "inga lediga platser") or right
# after a verb cue ("vi stänger inte") turns it around or cancels it.
_NEGATION_BEFORE = re.compile(
    r"(?:\binte|\bej|\bicke|\baldrig|\binga|\bingen|\bnot|\bno|\bnever|\bcannot|\bcan't|\bwon't)"
    r"\s+(?:(?:att|längre|heller|ännu|alls|to|be|längre|några|någon)\s+)*$",
    re.IGNORECASE,
)
_NEGATION_AFTER = re.compile(
    r"^\s+(?:(?:vi|ni|den|de|det|enheten|verksamheten)\s+)?(?:inte|ej|icke|aldrig|not)\b"
    r"(?!\s+(?:förrän|until))",
    re.IGNORECASE,
)
_NEGATION_REACH = 30
# A sentence that asks how, what, when or why: "Stämmer det att DV Ek stänger?" asks for a
# confirmation of a change, "Hur gör vi när vi ska starta en ny enhet?" about the process.
_OPEN_QUESTION = re.compile(
    r"(?:^|(?<=[.!?:\n]))[ \t]*(?:hur|vad|vilken|vilket|vilka|varför|när|var|what|how|why|which"
    r"|when|where)(?![\wåäö])[^.!?\n]*\?",
    re.IGNORECASE,
)
_NEGATED_TO: dict[Kind, Kind | None] = {
    "capacity_available": "capacity_full",
    "capacity_full": None,
    "close_unit": None,
    "new_unit": None,
    "merge_units": None,
    "rename_unit": None,
}

_AUTO_SUBJECT = re.compile(
    r"^(?:automatiskt\s+svar|autosvar|auto(?:matic)?[\s-]*reply|auto(?:matic)?\s+response"
    r"|frånvaro\w*|out\s+of\s+(?:the\s+)?office|abwesenheit|absence"
    r"|undeliverable|olevererbar\w*|ej\s+levererat|kan\s+inte\s+levereras"
    r"|det\s+gick\s+inte\s+att\s+leverera|leverans(?:en)?\s+misslyckades"
    r"|delivery\s+(?:status\s+notification|has\s+failed|failure|delayed)|mail\s+delivery\s+failed"
    r"|returned\s+mail|undelivered\s+mail|leveransrapport|levererat:|delivered:|relayed:"
    r"|läskvitto|read:|läst:|inte\s+läst:|not\s+read:)",
    re.IGNORECASE,
)
_AUTO_BODY = re.compile(
    r"(?:jag\s+är\s+(?:på\s+semester|ledig|tjänstledig|föräldraledig|frånvarande|bortrest"
    r"|sjukskriven|på\s+tjänsteresa|inte\s+på\s+kontoret)"
    r"|är\s+(?:tillbaka|åter)\s+(?:den|på\s+kontoret|i\s+tjänst|igen)"
    r"|jag\s+har\s+slutat\s+(?:min\s+anställning|på|hos)"
    r"|I\s+am\s+(?:out\s+of\s+(?:the\s+)?office|on\s+(?:holiday|vacation|leave|annual\s+leave))"
    r"|I\s+will\s+be\s+back\s+on)",
    re.IGNORECASE,
)
_AUTOMATED_SENDER = re.compile(
    r"^(?:mailer-daemon|postmaster|no-?reply|do-?not-?reply|donotreply|bounce[s]?)[@+.\-]",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue word found in a text, at ``start:end``."""

    kind: Kind
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Classification:
    """A kind with the words that decided it; ``cues`` index the text they were found in."""

    kind: Kind
    also: tuple[Kind, ...]
    evidence: tuple[str, ...]
    cues: tuple[Cue, ...]
    from_history: bool = False


def find_cues(text: str) -> list[Cue]:
    """Every cue of every kind in the text, false friends dropped and negation applied.

    Cues in an open question ("Hur gör vi om vi vill stänga en enhet?") announce nothing.
    """
    questions = [(m.start(), m.end()) for m in _OPEN_QUESTION.finditer(text)]
    found: list[Cue] = []
    for kind, pattern in _CUES.items():
        for match in pattern.finditer(text):
            if _false_friend(kind, text, match) or _inside(match.start(), questions):
                continue
            actual: Kind | None = kind
            if kind in _NEGATED_TO and _negated(text, match):
                actual = _NEGATED_TO[kind]
            if actual is not None:
                found.append(Cue(actual, match.group(0), match.start(), match.end()))
    bare = [
        m
        for m in _BARE_START.finditer(text)
        if not _false_friend("new_unit", text, m) and not _inside(m.start(), questions)
    ]
    if bare:
        mentions = find_unit_mentions(text)
        for match in bare:
            if _unit_beside(text, match, mentions) and not _negated(text, match):
                found.append(Cue("new_unit", match.group(0), match.start(), match.end()))
    found.sort(key=lambda c: (c.start, -c.end))
    return found


def _unit_beside(text: str, match: re.Match[str], mentions: list[UnitMention]) -> bool:
    return any(
        (m.end <= match.start() and _BESIDE_BEFORE.match(text[m.end : match.start()]))
        or (m.start >= match.end() and _BESIDE_AFTER.match(text[match.end() : m.start]))
        for m in mentions
    )


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def _false_friend(kind: Kind, text: str, match: re.Match[str]) -> bool:
    after = _FALSE_AFTER.get(kind)
    if after and after.search(text[match.end() : match.end() + _FALSE_REACH]):
        return True
    before = _FALSE_BEFORE.get(kind)
    return bool(
        before and before.search(text[max(0, match.start() - _FALSE_REACH) : match.start()])
    )


def _negated(text: str, match: re.Match[str]) -> bool:
    if _NEGATION_BEFORE.search(text[max(0, match.start() - _NEGATION_REACH) : match.start()]):
        return True
    return bool(_NEGATION_AFTER.search(text[match.end() : match.end() + _NEGATION_REACH]))


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
    history: str = "",
) -> Classification:
    """Decide the kind from the subject and the new text.

    Gaps only: the form's ticked boxes, then the quoted history (a forwarded notice, the
    thread a short reply answers), each marked as such in the evidence.
    """
    if automated:
        return Classification("auto_reply", (), (automated,), ())
    cues = find_cues(subject + "\n" + new_text)
    kinds = _kinds(cues)
    if kinds:
        evidence = tuple(dict.fromkeys(c.text for c in cues if c.kind in kinds))
        return _result(kinds, evidence, cues)
    if form_kinds:
        return _result(set(form_kinds), tuple(f"blanketten: {k}" for k in form_kinds), [])
    old_cues = find_cues(history) if history else []
    kinds = _kinds(old_cues)
    if kinds:
        evidence = tuple(
            dict.fromkeys(f"citerad text: {c.text}" for c in old_cues if c.kind in kinds)
        )
        return _result(kinds, evidence, old_cues, from_history=True)
    return Classification("other", (), (), tuple(cues))


def _kinds(cues: list[Cue]) -> set[Kind]:
    """The kinds the cues announce, after the rules for words that belong to another kind."""
    kinds = {c.kind for c in cues}
    if "merge_units" in kinds:
        # A merge names its new unit and ends the old ones: those words belong to the merge.
        kinds -= {"new_unit", "rename_unit", "close_unit"}
    if "new_unit" in kinds:
        # A new unit's notice describes its address, manager and free places.
        kinds -= {"update_details", "capacity_available"}
    if "rename_unit" in kinds and "close_unit" in kinds and not _strong_close(cues):
        # "det gamla namnet upphör" is part of the rename.
        kinds.discard("close_unit")
    return kinds


def _strong_close(cues: list[Cue]) -> bool:
    return any(
        c.kind == "close_unit" and c.text.lower().startswith(("läggs", "nedlägg", "avveckl"))
        for c in cues
    )


def _result(
    kinds: set[Kind], evidence: tuple[str, ...], cues: list[Cue], *, from_history: bool = False
) -> Classification:
    ordered = [k for k in KIND_ORDER if k in kinds]
    return Classification(
        ordered[0],
        tuple(ordered[1:]),
        evidence,
        tuple(c for c in cues if c.kind in kinds),
        from_history,
    )
