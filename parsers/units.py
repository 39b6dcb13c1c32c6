"""Unit names as people write them, and what a rename or merge says about them.

A unit name is a unit type ("Daglig verksamhet", "DV", "Hemtjänstgruppen", ...) followed
by a proper name in capitals ("Björkängen", "Angered Centrum", "Eriksbo 2"), or any name
in quotes after "enheten". Names keep the words the sender wrote.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from parsers.cues import ARROW, CONTRAST, CUES
from parsers.dates import MONTH_WORDS, MONTHS, ORDINAL_DAYS

__all__ = [
    "MergeInfo",
    "RenameInfo",
    "UnitMention",
    "company_named",
    "core_name",
    "find_company_by_domain",
    "find_providers",
    "find_unit_mentions",
    "find_units",
    "merge_info",
    "rename_info",
    "same_unit",
    "short_mentions",
    "table_before_after",
]

_UPPER = "A-ZÅÄÖÉÜ"
_LOWER = "a-zåäöéü"
# ("S:t Sigfrids gård", "Torslanda–Hjuvik".)
_NAME_WORD = rf"[{_UPPER}](?::t(?![\wåäö]))?[{_UPPER}{_LOWER}'’\-–]*"
# Nouns a name may end with in small letters, as Swedish capitalises only a name's first
# word: "Majviks gård", "Stigbergets ateljé", "Västra Frölunda centrum".
_NAME_NOUNS = (
    "gård|gården|trädgård|trädgården|skärgård|skärgården|centrum|ateljé|ateljén|verkstad"
    "|verkstaden|verkstan|torg|torget|strand|stranden|hamn|hamnen|park|parken|backe|backen"
    "|äng|ängen|by|byn|bageri|bageriet|kafé|kaféet|café|caféet|hus|huset|skog|skogen|dal"
    "|dalen|udde|udden|källa|källan|lund|lunden|hage|hagen|snickeri|snickeriet|kök|köket"
)
_NAME_NOUN = re.compile(rf"(?:{_NAME_NOUNS})")
_MONTHS = MONTH_WORDS
_STREET_NAME = (
    rf"{_NAME_WORD}(?:gatan|vägen|gränd|gången|torget|platsen|backen|stigen|allén|leden"
    r"|kajen|plan|väg|gata)"
)
_STREET = rf"{_STREET_NAME}[ ]+\d"
# Parts of a proper name: capitalised words, a few lower-case joiners, a short number
# ("Eriksbo 2") that is not the start of a date ("Kvarnen 1 mars"). Words are apart by
# spaces: a tab, or three spaces and more, part the columns of a table typed in a mail,
# never words of one name.
_NAME = (
    rf"{_NAME_WORD}"
    # "Södra skärgården": a compass word's place noun may be written in lower case.
    r"(?:(?:(?<=Södra)|(?<=Norra)|(?<=Östra)|(?<=Västra)|(?<=Inre)|(?<=Yttre))"
    r"[ ]{1,2}[a-zåäö]{4,}(?:en|et)(?![\wåäö]))?"
    # A street address after "på" or "vid" is where the unit is, not its name: "Daglig
    # verksamhet Tornet på Storgatan 5".
    rf"(?:[ ]{{1,2}}(?:(?:i|på|av|vid|och|&)[ ]{{1,2}}(?!{_STREET}))?{_NAME_WORD}"
    # (A line may break before the noun: "Daglig verksamhet Stigbergets\nateljé".)
    rf"|(?:[ ]{{1,2}}|[ ]?\n)(?:{_NAME_NOUNS})(?![\wåäö])"
    rf"|[ ]{{1,2}}\d{{1,2}}(?![\d/.:\-])(?![ \t]+(?:{_MONTHS})\b)(?![ \t]*(?:/|-\d)))*"
)
_TYPE = (
    r"daglig(?:a)?\s+verksamhet(?:en)?|dagverksamhet(?:en)?|DV|HT"
    # English, as international providers name their units: "Carebridge Home Care Hisingen".
    # (With capitals only: "cease its home care operations" names no unit.)
    r"|(?-i:Home[ ]Care|Daily[ ]Activit(?:y|ies))"
    # Abbreviated: "Dagl. verks. Rannebergen".
    r"|dagl\.[ ]?verks(?:amhet|\.)"
    # Written without å/ä/ö on a phone as well: "hemtjanst".
    r"|hemtj[äa]nst(?:en|gruppen|grupp|sgruppen|sgrupp|sområde|senhet(?:en)?)?|hemtjänstområde"
    # Dictated: "hem tjänst".
    r"|hem[ ]tj[äa]nst"
    r"|hemtjänstenhet(?:en)?|gruppbostad(?:en)?|korttidsboende(?:t)?|servicebostad(?:en)?"
)
_TYPE_WORD = re.compile(rf"(?i:{_TYPE}|daglig|dagliga)")
_JOINERS = frozenset({"i", "på", "av", "vid"})
_TYPE_START = re.compile(rf"(?i:{_TYPE})(?![\wåäö])")
# Only the unit type is case-insensitive: the name must start with a capital.
# A tab parts the cells of a table ("Enhet<TAB>Förändring"), never a type from its name.
_TYPED = re.compile(rf"(?<![\wåäö])(?P<type>(?i:{_TYPE}))[ ]{{1,2}}(?P<name>{_NAME})")
# A name before the type and none after it: a genitive ("Ljusgårdens Dagliga Verksamhet",
# "Solbackens hemtjänst") or a brand before a type written with a capital, as a proper
# name is ("Vinga Hemtjänst", "Kvarnsten Daglig Verksamhet").
_GENITIVE_TYPED = re.compile(
    rf"(?<![\wåäö\-])(?P<name>[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?)[ \t]+"
    rf"(?P<type>(?i:{_TYPE}))(?![\wåäö])(?![ \t]+(?!AB(?![\wåäö]))(?:{_NAME_WORD}|\d))"
)
# Words a subject's topic begins with, before the unit it is about.
_TOPIC_WORD = re.compile(
    r"(?:kapacitet|ändring|information|uppdatering|platser|lediga|ledig|fullt|fråga|svar"
    r"|påminnelse|angående|gällande|ang)",
    re.IGNORECASE,
)
# Genitives of common nouns that open a sentence as any noun does ("Förvaltningens
# hemtjänst", "Veckans daglig verksamhet"); another genitive before a type at a sentence's
# start is a unit's name ("Solgläntans dagliga verksamhet i Tuve upphör").
# (The city's own, _PUBLIC_GENITIVES, are left out before this is asked.)
_COMMON_GENITIVES = frozenset(
    {"Enhetens", "Verksamhetens", "Områdets", "Stadsdelens", "Regionens", "Sveriges"}
    | {"Göteborgs", "Dagens", "Veckans", "Månadens", "Årets", "Helgens", "Företagets"}
    | {"Bolagets", "Gruppens", "Avdelningens", "Sektorns", "Socialtjänstens", "Vårdens"}
    | {"Omsorgens", "Personalens", "Chefens"}
)
# Genitives of the city and its bodies, not of a unit: "Göteborgs Stads hemtjänst".
_PUBLIC_GENITIVES = frozenset({"Stads", "Stadens", "Kommunens", "Förvaltningens", "Nämndens"})
# (No comma: "Autism, unga vuxna, digitalt skapande" in quotes is a list, not a name.)
_QUOTED = re.compile(r"[\"“”«»']\s*(?P<name>[^\"“”«»'\n,;]{2,60}?)\s*[\"“”«»']")
_ENHET = re.compile(
    rf"(?<![\wåäö])(?i:enhet(?:en)?|verksamhet(?:en)?|unit)[ ]{{1,2}}(?P<name>{_NAME})"
)
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
        # Systems and the city, which follow "i" in running text ("... i Jämför service").
        "Jämför",
        "Serviceguiden",
        "Treserva",
        "Göteborgs",
        "Stad",
        "Nu",
        "Hos",
        "För",
        "På",
        "I",
        "Om",
        "The",
        "Our",
        "We",
        "At",
        "For",
        "In",
        "From",
        "To",
        "Dear",
        "Hi",
        "Hello",
        "Please",
        "Gällande",
        "Angående",
        "Ang",
        "Ämne",
        "Subject",
        "Re",
        "SV",
        "VB",
        "Fwd",
        "LOV",
        "EKU",
        # Words written in capitals for emphasis ("vi stänger INTE Daglig verksamhet ...").
        "INTE",
        "Inte",
        "EJ",
        "Ej",
        "ALDRIG",
        "Aldrig",
        "BARA",
        "ENDAST",
        "OCKSÅ",
        "ÄVEN",
        "OBS",
        "VIKTIGT",
        "NOT",
        "Not",
        "ONLY",
        "ALSO",
    ]
)


_PLACE_ADJECTIVES = frozenset({"Ny", "Nya", "Nytt"})
# Prepositions and conjunctions a proper name may hold, capitalised: "Till Havs", "Från
# Grunden", "Med Hjärta".
_SMALL_WORDS = frozenset({"Till", "Från", "Med", "Om", "På", "I", "För", "Och", "Över"})


_COMPASS = frozenset({"Södra", "Norra", "Östra", "Västra", "Inre", "Yttre", "Övre", "Nedre"})
# A definite noun of a place: "skärgården", "älvstranden", "centrum" is not one.
_PLACE_NOUN = re.compile(r"[a-zåäö]{4,}(?:en|et)")


def _fix_case_sensitive(match: re.Match[str], *, join_och: bool = True) -> str | None:
    """The regex runs case-insensitively for the type; the name itself must be capitalised.

    "och" joins a one-word name to the next ("Sol och Måne") unless a unit type follows it
    ("DV Ek och DV Ask" are two) or the caller lists several units (a merge).
    """
    name = match.group("name")
    words = name.split()
    kept: list[str] = []
    for i, word in enumerate(words):
        if word == "&" and kept:
            # "Café & Bageri Kålltorp och Daglig verksamhet Trädgård & Odling Kålltorp": an
            # ampersand joins the words of one name, in a merge's list too, up to an "och".
            ahead = list(itertools.takewhile(lambda w: w != "och", words[i + 1 : i + 5]))
            if ahead and not any(_TYPE_WORD.fullmatch(w) for w in ahead):
                kept.append(word)
                continue
        if word in {"och", "&"}:
            ahead = words[i + 1 : i + 5]
            if not join_och or len(kept) != 1 or any(_TYPE_WORD.fullmatch(w) for w in ahead):
                break
            kept.append(word)
            continue
        if word[0].isdigit() or word in _JOINERS:
            kept.append(word)
            continue
        if word in _PLACE_ADJECTIVES and kept and i + 1 < len(words):
            # "Hemtjänst Älvsborg Nya Varvet": inside a name, "Nya" before another name
            # word is part of a place's name.
            following = words[i + 1]
            if following[0].isupper() and following not in _NOT_NAMES:
                kept.append(word)
                continue
        if (
            kept
            and kept[-1] in _COMPASS
            and _PLACE_NOUN.fullmatch(word)
            and word not in _ORDINARY_WORDS
        ):
            # "Hemtjänst Södra skärgården": a place written as a compass word and a noun,
            # which a name word may follow ("Hemtjänst Södra skärgården Styrsö").
            kept.append(word)
            continue
        if kept and _NAME_NOUN.fullmatch(word):
            kept.append(word)
            continue
        following = words[i + 1] if i + 1 < len(words) else ""
        if (
            word in _NOT_NAMES
            and word in _SMALL_WORDS
            and following[:1].isupper()
            and following not in _NOT_NAMES
            and following.lower() not in MONTHS
        ):
            # "Daglig verksamhet Till Havs": a small word capitalised inside a name.
            kept.append(word)
            continue
        if not word[0].isupper() or word in _NOT_NAMES:
            break
        kept.append(word)
    while kept and (kept[-1] in _JOINERS or kept[-1] in {"och", "&"}):
        kept.pop()
    if not kept or kept[0][0].isdigit():
        return None
    return " ".join(kept)


def core_name(unit: str) -> str:
    """The proper-name part, for comparing "Hemtjänst Majorna Norra" with "Hemtjänstgruppen ..."."""
    match = _TYPED.search(unit)
    name = match.group("name") if match else unit
    return " ".join(name.lower().split())


@dataclass(frozen=True, slots=True)
class UnitMention:
    """A unit name as written, at ``start:end`` of the text it was found in."""

    name: str
    start: int
    end: int


# Words a genitive name stands in front of: "DV Lyktans sista öppetdag", "DV Ekens nya
# chef". Only these: "DV Kompass stänger" is a name that ends in s.
_GENITIVE_HEAD = re.compile(
    r"[ \t]+(?:sista|första|nya|nytt|gamla|nuvarande|verksamhet\w*|enhetschef\w*|chef\w*"
    r"|lokal\w*|adress\w*|telefon\w*|namn\w*|kapacitet\w*|platser|plats|öppettider|brukare"
    r"|deltagare|personal\w*|hemsida\w*|beskrivning\w*|ansvarskod\w*|kö|kön|e-?post\w*"
    # Nouns only: "Hemtjänst Askim Hovås startar" is a name ending in s before a verb.
    r"|stängning\w*|nedläggning\w*|avslut(?:et|ning\w*)?|start(?:en|datum\w*|dag\w*)?"
    r"|öppning\w*|sammanslagning\w*"
    r"|namnbyte\w*|last|new|manager)(?![\wåäö])",
    re.IGNORECASE,
)


def _without_genitive(name: str, text: str, end: int) -> str:
    last = name.rsplit(" ", 1)[-1]
    if (
        len(last) >= 3
        and last.endswith("s")
        and not last.endswith("ss")
        and not last[-2].isdigit()
        and _GENITIVE_HEAD.match(text, end)
    ):
        return name[:-1]
    return name


def find_unit_mentions(
    text: str, *, join_och: bool = True, companies: Sequence[str] = ()
) -> list[UnitMention]:
    """Every unit name in the text, in text order, none overlapping another.

    A name keeps the company or brand written in front of its type ("Green Steps Daglig
    verksamhet Högsbo"); at the start of a sentence, where any noun has a capital, only
    when it is the sender's company (``companies``: names or a mail domain). A private
    provider's unit may also be its brand and a district ("Daglig Aktiv Hisingen" from
    "Daglig Aktiv i Väst AB").
    """
    # Reading one message asks for the same text's units several times (the kind, the
    # units, the receiving and background units): found once.
    return list(_unit_mentions(text, join_och, tuple(companies)))


@functools.lru_cache(maxsize=64)
def _unit_mentions(
    text: str, join_och: bool, companies: tuple[str, ...]
) -> tuple[UnitMention, ...]:
    found: list[UnitMention] = []
    position = 0
    while (match := _TYPED.search(text, position)) is not None:
        name = _fix_case_sensitive(match, join_och=join_och)
        # The pattern may run on past where the name stops ("Ek och DV Ask"): look again
        # from the end of what was kept.
        position = match.start("name") + len(name) if name else match.end()
        if name is None:
            continue
        end = match.start("name") + len(name)
        name = _without_genitive(name, text, end)
        full = f"{match.group('type')} {name}"
        if match.group("type").isupper() or match.group("type")[0].isupper():
            written = full
        else:
            written = full[0].upper() + full[1:]
        start = _company_start(text, match.start(), companies)
        if start < match.start():
            written = f"{text[start : match.start()].strip()} {written}"
        found.append(UnitMention(written, start, end))
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
                name = _without_genitive(fixed, text, match.start("name") + len(fixed))
            found.append(UnitMention(name, match.start("name"), match.start("name") + len(name)))
            taken.append((match.start("name"), match.start("name") + len(name)))
    if companies:
        as_written = [find_company_by_domain(c, text) for c in companies if c.islower()]
        brands = [*companies, *(w for w in as_written if w)]
        found.extend(_brand_mentions(text, brands, taken))
    for match in _GENITIVE_TYPED.finditer(text):
        # "Ljusgårdens Dagliga Verksamhet har inga lediga platser": a name in front of the
        # type and none after it. Not a sentence's first word unless it is the company's
        # ("Stadens hemtjänst" starts a sentence as any noun does).
        name = match.group("name")
        if (
            any(s <= match.start() < e for s, e in taken)
            or name in _NOT_NAMES
            or name in _PUBLIC_GENITIVES
            or _not_a_name(name)
            or not (name.endswith("s") or match.group("type")[0].isupper())
            # "SV: Kapacitetstak Hemtjänst med Hjärta": a subject's topic, not a brand.
            or _TOPIC_WORD.match(name)
            or any(cue.fullmatch(name) for cue in CUES.values())
        ):
            continue
        sentence_start = _SENTENCE_START.search(text, max(0, match.start() - 3), match.start())
        proper = match.group("type")[0].isupper() and not name.endswith("s")
        if (
            sentence_start
            and not _is_company(match.group("name"), companies)
            and not proper
            and (name in _COMMON_GENITIVES or not name.endswith("s"))
        ):
            # ("Solstrålen Daglig verksamhet har två lediga platser": a name, not a genitive,
            # before a type written with a capital is a proper name at a sentence's start too.)
            continue
        # "tar Trygga Händer Hemtjänst inte emot": the brand may have more words.
        start = _company_start(text, match.start(), companies)
        if any(s <= start < e for s, e in taken):
            continue
        found.append(UnitMention(text[start : match.end()], start, match.end()))
        taken.append((start, match.end()))
    for match in _BRAND_COMPANY.finditer(text):
        # "hemtjänst från Sjöbris Omsorg", "Lundby Omsorg har inga lediga platser": a
        # provider named by its brand and a capitalised company word, without AB.
        name = match.group("name")
        if (
            any(s <= match.start() < e for s, e in taken)
            or name in _PUBLIC_GENITIVES
            or _not_a_name(name)
        ):
            continue
        start = _company_start(text, match.start(), companies)
        found.append(UnitMention(text[start : match.end()], start, match.end()))
        taken.append((start, match.end()))
    if not found:
        found.extend(_lower_case_mentions(text, companies))
    found.sort(key=lambda m: m.start)
    # "Hemtjänst Västra Frölunda (”Frölundateamet”)": a name in brackets right after a
    # unit's is what the unit is called, not a unit of its own.
    return tuple(
        m
        for i, m in enumerate(found)
        if not (i and _ALIAS_GAP.fullmatch(text, found[i - 1].end, m.start))
    )


_ALIAS_GAP = re.compile(
    r"[ \t]*\([ \t]*(?:(?:kallas|kallad|även\s+kallad|aka|alias|även|or)[ \t]+)?[\"“”«»']?"
)


# A brand with a company word written with a capital, as a proper name is: "Sjöbris
# Omsorg", "Nordic Care". Not followed by AB (a company, find_providers) or a unit type.
_BRAND_COMPANY = re.compile(
    rf"(?<![\wåäö\-])(?P<name>[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?)[ ]+"
    rf"(?P<word>Omsorg|Vård|Care|Assistans|Omvårdnad)(?![\wåäö])"
    rf"(?![ ]+(?:AB(?![\wåäö])|(?i:{_TYPE})(?![\wåäö])|{_NAME_WORD}|(?:och|&)[ ]+{_NAME_WORD}))"
)


# A capitalised word directly in front of a unit type: part of the company or brand.
# A name word before, or two joined by "&" ("Hem & Hjärta Hemtjänst").
# (A tab parts a table's cells: the word in the cell before is no part of the name.)
# ("Omsorg 24/7 Hemtjänst Angered": a number inside a brand.)
_WORD_BEFORE = re.compile(
    rf"(?<![\wåäöÅÄÖ\-/])(?:{_NAME_WORD}|\d{{1,3}}(?:/\d{{1,3}})?)(?:[ ]+&)?[ ]+\Z"
)


_SENTENCE_START = re.compile(r"(?:\A|[\n.!?:]|[.!?:][ \t]+)\Z")


# Written on a phone, a name may have no capital ("hej dv skogsgläntan kan inte ta emot"):
# one word after a unit type, when it is no ordinary word. Only where the mail names no
# unit in capitals.
_LOWER_NAME = re.compile(
    rf"(?<![\wåäö])(?P<type>(?i:{_TYPE}))[ \t]+(?P<name>[a-zåäöéü][a-zåäöéü\-]{{3,}}"
    rf"(?:[ \t]+\d{{1,2}}(?![\d/.:\-]))?)(?![\wåäö])"
    # "daglig verksamhet backa vaxthuset": a place and a noun in its definite form.
    # "ht angered centrum": a place's own part (centrum, torg, norra ...) as well.
    rf"(?:[ \t]+(?P<second>[a-zåäöéü][a-zåäöéü\-]{{2,}}(?:en|et|an)|centrum|torg|city|norra"
    rf"|södra|sodra|östra|ostra|västra|vastra|nord|syd|öst|väst|{_NAME_NOUNS})(?![\wåäö]))?"
)
# Definite nouns that follow a unit's name without being part of it (beside _ORDINARY_WORDS).
_NOT_SECOND = frozenset(
    {
        "personalen",
        "lokalen",
        "gruppen",
        "kön",
        "chefen",
        "enhetschefen",
        "adressen",
        "numret",
        "telefonnumret",
        "avtalet",
        "beslutet",
        "hemsidan",
        "mejlen",
        "mailen",
        "veckan",
        "månaden",
        "dagen",
        "året",
        "kvällen",
        "morgonen",
        "helgen",
        "sommaren",
        "hösten",
        "våren",
        "vintern",
        "ingen",
        "inget",
    }
)
_ORDINARY_WORDS = frozenset(
    [
        "inte",
        "ska",
        "kan",
        "har",
        "hade",
        "är",
        "var",
        "blir",
        "blev",
        "och",
        "eller",
        "men",
        "som",
        "med",
        "från",
        "till",
        "för",
        "på",
        "av",
        "vid",
        "i",
        "om",
        "att",
        "det",
        "den",
        "denna",
        "detta",
        "dessa",
        "där",
        "här",
        "hos",
        "under",
        "efter",
        "innan",
        "sedan",
        "utan",
        "mot",
        "genom",
        "kommer",
        "stänger",
        "stängs",
        "startar",
        "öppnar",
        "upphör",
        "avslutas",
        "byter",
        "flyttar",
        "läggs",
        "slås",
        "går",
        "tar",
        "heter",
        "hette",
        "får",
        "fick",
        "gäller",
        "behöver",
        "vill",
        "måste",
        "skulle",
        "kunde",
        "nu",
        "idag",
        "snart",
        "också",
        "även",
        "alltså",
        "bara",
        "redan",
        "fortfarande",
        "tyvärr",
        "igen",
        "längre",
        "lediga",
        "ledig",
        "platser",
        "plats",
        "fullt",
        "full",
        "fulla",
        "fullbelagd",
        "kapacitet",
        "enhet",
        "enheten",
        "verksamhet",
        "verksamheten",
        "personal",
        "deltagare",
        "brukare",
        "kunder",
        "kund",
        "chef",
        "enhetschef",
        "ansvarig",
        "nytt",
        "nya",
        "ny",
        "namn",
        "namnet",
        "adress",
        "telefon",
        "och/eller",
        "inom",
        "utanför",
        "över",
        "kring",
        "samt",
        "både",
        "flera",
        "några",
        "alla",
        "varje",
        "andra",
        "annan",
    ]
)


# "vi ar fulla nu i hooyo care hemtjanst": a brand in lower case before the type, after a
# word for where.
_LOWER_BRAND = re.compile(
    r"(?<![\wåäö])(?:i|på|pa|hos|från|fran)[ \t]+(?P<name>[a-zåäöéü]{3,}(?:[ \t]+[a-zåäöéü]{3,})?)"
    r"[ \t]+(?P<type>hemtj[äa]nst|daglig[ \t]+verksamhet)(?![\wåäö])"
)
# Words that say whose or which service, not a brand: "i vår hemtjänst", "från kommunal"
# (beside _ORDINARY_WORDS).
_NOT_BRAND = frozenset(
    [
        "vår",
        "vårt",
        "våra",
        "er",
        "ert",
        "era",
        "deras",
        "hans",
        "hennes",
        "min",
        "mitt",
        "mina",
        "din",
        "ditt",
        "dina",
        "sin",
        "sitt",
        "sina",
        "kommunal",
        "kommunala",
        "kommunens",
        "stadens",
        "privat",
        "privata",
        "egen",
        "egna",
        "ordinarie",
        "nuvarande",
        "tidigare",
        "annat",
        "någon",
        "något",
        "gamla",
        "hela",
        "samma",
        "befintlig",
        "befintliga",
    ]
)


# Lower-case words, for a brand written as its mail domain spells it: "trivsel omsorg" of
# trivselomsorg.se, "aktiv vardag" of aktivvardag.se.
_LOWER_WORDS = re.compile(r"(?<![\wåäö])[a-zåäöéü]{3,}(?:[ \t]+[a-zåäöéü]{3,}){0,2}(?![\wåäö])")
_TYPE_AFTER_BRAND = re.compile(rf"[ \t]+(?:{_TYPE})(?![\wåäö])")
_LOWER_PLACE = re.compile(r"[ \t]+(?P<place>[a-zåäöéü][a-zåäöéü\-]{2,})(?![\wåäö])")


def _lower_brands(text: str, companies: Sequence[str]) -> list[tuple[int, int]]:
    """Where the text writes the sender's company in lower case, as its mail domain reads."""
    wanted = {_ascii(_squash(c)) for c in companies if c.islower() and len(c) >= 5}
    if not wanted:
        return []
    spans: list[tuple[int, int]] = []
    for start in (m.start() for m in re.finditer(r"(?<![\wåäö])[a-zåäöéü]", text)):
        run = _LOWER_WORDS.match(text, start)
        if run is None:
            continue
        words = list(re.finditer(r"[a-zåäöéü]+", run.group(0)))
        for count in range(len(words), 0, -1):
            end = start + words[count - 1].end()
            if _ascii(_squash(text[start:end])) in wanted:
                spans.append((start, end))
                break
    return spans


# Prepositions and like words, which never begin a name in small letters.
_PREPOSITIONS = frozenset(
    {"enligt", "inom", "utan", "under", "genom", "mellan", "efter", "före", "inför", "mot"}
    | {"bland", "kring", "runt", "trots", "via", "hos", "åt", "sedan", "till", "från", "med"}
)
# A verb's particle right after the word: "löper ut", "går över", "lägger ned".
_PARTICLE_AFTER = re.compile(r"[ \t]+(?:ut|upp|av|ned|ner|in|över)(?![\wåäö])")


def _lower_case_mentions(text: str, companies: Sequence[str] = ()) -> list[UnitMention]:
    found: list[UnitMention] = []
    brands = _lower_brands(text, companies)
    for match in _LOWER_BRAND.finditer(text):
        words = match.group("name").split()
        if any(w in _NOT_BRAND or w in _ORDINARY_WORDS for w in words):
            continue
        start = match.start("name")
        found.append(UnitMention(text[start : match.end()], start, match.end()))
    for match in _LOWER_NAME.finditer(text):
        if match.group("type")[:1].isupper():
            # "Ljusgårdens Dagliga Verksamhet inga lediga": who writes the type with a
            # capital writes a name after it with one too.
            continue
        words = match.group("name").split()
        if words[0] in _ORDINARY_WORDS or words[0].lower() in MONTHS or words[0] in _WEEKDAYS:
            continue
        if words[0] in _PREPOSITIONS or _PARTICLE_AFTER.match(text, match.end("name")):
            # "daglig verksamhet enligt LSS", "för daglig verksamhet löper ut": a preposition,
            # or a verb with its particle, goes on the sentence; it names nothing.
            continue
        end = match.end()
        second = match.group("second")
        if second and (second in _NOT_SECOND or second in _ORDINARY_WORDS):
            end = match.end("name")
        start = match.start()
        # "omsorgsgruppen hemtjänst majorna": the sender's brand before the type.
        start = next((b for b, e in brands if text[e:start].strip() == "" and b < start), start)
        found.append(UnitMention(text[start:end], start, end))
    for begin, end in brands:
        # "aktiv vardag kviberg har ny chef": the brand and a place, without a type.
        if any(m.start <= begin < m.end for m in found):
            continue
        typed = _TYPE_AFTER_BRAND.match(text, end)
        if typed:
            # "blåberget daglig verksamhet har nått taket": the brand and its type.
            found.append(UnitMention(text[begin : typed.end()], begin, typed.end()))
            continue
        # Up to three words ("carebridge home care lindholmen from the first of ...").
        stop = end
        for _ in range(3):
            place = _LOWER_PLACE.match(text, stop)
            if place is None or _ends_a_lower_name(place.group("place")):
                break
            stop = place.end()
        if stop > end:
            found.append(UnitMention(text[begin:stop], begin, stop))
    return sorted(found, key=lambda m: m.start)


def _ends_a_lower_name(word: str) -> bool:
    """A word a name in small letters does not go on with: "har", "från", a month."""
    return bool(
        word in _ORDINARY_WORDS
        or word in _AFTER_LOWER_NAME
        or word in _NOT_BRAND
        or word in MONTHS
        or word in _WEEKDAYS
        or _TYPE_WORD.fullmatch(word)
    )


def _company_start(text: str, start: int, companies: Sequence[str]) -> int:
    """Where the company or brand in front of a unit type begins (up to three words).

    The longest run that is not a sentence's capitalised first word, unless that word is
    the sender's company ("Namnbyte Nova Hemtjänst Kärra": "Nova").
    """
    begins: list[int] = []
    begin = start
    for _ in range(3):
        word = _WORD_BEFORE.search(text, max(0, begin - 40), begin)
        if word is None:
            break
        if _not_a_name(word.group(0).split()[0]):
            if (
                _is_company(text[word.start() : start], companies)
                and " " in text[word.start() : start].strip()
            ):
                # "Med Hjärta Hemtjänst Johanneberg" of "Med Hjärta Omsorg AB": a word
                # that is no name elsewhere begins the sender's company here.
                begins.append(word.start())
            break
        begin = word.start()
        begins.append(begin)
    for candidate in reversed(begins):
        sentence_start = _SENTENCE_START.search(text, max(0, candidate - 3), candidate)
        first = text[candidate:start].split()[0]
        if first[0].isdigit():
            continue  # a number begins no brand ("den 1/12 Hemtjänst Angered")
        if (
            not sentence_start
            or _is_company(text[candidate:start], companies)
            # "Hem & Hjärta Hemtjänst har ny chef": words joined by "&" are a name.
            or "&" in text[candidate:start]
            # "Lilla Verkstaden Daglig Verksamhet": an adjective that begins a proper name.
            or (first in _NAME_ADJECTIVES and candidate + len(first) < start)
        ):
            return candidate
    return start


# Adjectives that start proper names of places and units ("Lilla Verkstaden", "Södra
# Älvstranden") when another name word follows them.
_NAME_ADJECTIVES = frozenset(
    {"Lilla", "Stora", "Gamla", "Norra", "Södra", "Östra", "Västra", "Övre", "Nedre", "Sankt"}
)


_WEEKDAYS = frozenset(
    [
        "måndag",
        "tisdag",
        "onsdag",
        "torsdag",
        "fredag",
        "lördag",
        "söndag",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)


def _not_a_name(word: str) -> bool:
    """Capitalised only by position or by English habit: "Vi", "June", "Monday"."""
    bare = word.rstrip(".,").lower()
    return word in _NOT_NAMES or bare in MONTHS or bare in _WEEKDAYS


def _squash(text: str) -> str:
    return re.sub(r"[^\wåäöé]", "", text.lower())


def _is_company(words: str, companies: Sequence[str]) -> bool:
    """The words are the sender's company, its start, or its distinctive name: "Delta" of
    "Aktivitetshuset Delta AB", "Fyrbåkens" of "Fyrbåken Omsorg AB" or of fyrbaken.se."""
    written = _squash(words)
    if not written:
        return False
    if any(
        _ascii(_squash(company)).startswith(_ascii(written))
        or _ascii(written).startswith(_ascii(_squash(company)))
        for company in companies
        if _squash(company)
    ):
        # ("medhjarta", a mail domain, is "Med Hjärta" as a domain writes it.)
        return True
    if " " in words.strip():
        return False
    stem = _ascii(written.removesuffix("s") if len(written) > 4 else written)
    return len(stem) >= 4 and any(
        stem in {_ascii(w) for w in _squash_words(company)} for company in companies
    )


def _squash_words(company: str) -> list[str]:
    return [w for w in (_squash(part) for part in company.split()) if w not in _COMPANY_FORMS]


def _ascii(word: str) -> str:
    """As a mail domain writes a name: "fyrbåken" is fyrbaken."""
    return word.translate(_TO_ASCII)


_TO_ASCII = str.maketrans("åäöéü", "aaoeu")
_COMPANY_FORMS = frozenset({"ab", "hb", "kb", "as", "aps", "oy", "ltd", "omsorg", "vård"})


def _brands(companies: Sequence[str]) -> list[str]:
    """The leading capitalised words of each company name ("Daglig Aktiv" of "Daglig Aktiv i
    Väst AB"), longest first."""
    brands: list[str] = []
    for company in companies:
        words: list[str] = []
        for word in company.split():
            if word != "&" and (not word[:1].isupper() or word in _NOT_NAMES):
                break
            words.append(word)
        for k in range(len(words), 0, -1):
            brand = " ".join(words[:k])
            if words[k - 1] == "&":
                continue  # "Takt & Ton Musik AB": "Takt & Ton", never "Takt &"
            if len(brand) >= 5 and brand not in brands and not _TYPE_WORD.fullmatch(brand):
                brands.append(brand)
    return sorted(brands, key=len, reverse=True)


def _brand_mentions(
    text: str, companies: Sequence[str], taken: list[tuple[int, int]]
) -> list[UnitMention]:
    found: list[UnitMention] = []
    for brand in _brands(companies):
        pattern = re.compile(rf"(?<![\wåäö]){re.escape(brand)}[ \t]+(?P<name>{_NAME})")
        for match in pattern.finditer(text):
            name = _fix_case_sensitive(match)
            if name is None or any(s <= match.start() < e for s, e in taken):
                continue
            if _TYPE_START.match(text, match.start("name")):
                # "Blåklinten Daglig verksamhet": the type follows the brand, not a name.
                continue
            whole = f"{brand} {name}"
            if any(
                _squash(whole) == _squash(c) or _squash(c).startswith(_squash(whole))
                for c in companies
            ):
                continue  # the company itself, not one of its units
            end = match.start("name") + len(name)
            found.append(UnitMention(whole, match.start(), end))
            taken.append((match.start(), end))
    return found


def short_mentions(text: str, mentions: list[UnitMention]) -> list[UnitMention]:
    """The mentions plus later ones by the proper name alone ("Eriksbo 1 finns kvar")."""
    found = list(mentions)
    for mention in mentions:
        typed = _TYPED.search(mention.name)
        if typed is None:
            continue
        core = typed.group("name")
        for match in re.finditer(rf"(?<![\wåäö]){re.escape(core)}(?![\wåäö]|[ \t]+\d)", text):
            if not any(m.start <= match.start() < m.end for m in found):
                found.append(UnitMention(mention.name, match.start(), match.end()))
    return sorted(found, key=lambda m: m.start)


def same_unit(a: str, b: str) -> bool:
    """Whether two names as written are one unit ("Hemtjänst X" and "Hemtjänstgruppen X").

    Two providers' units in one district are two units: "NCU Hemtjänst Frölunda" is not
    "Nordcare Hemtjänst Frölunda" (a brand written once, on one side only, says nothing).
    """
    if not _same_core(core_name(a), core_name(b)):
        return False
    brand_a, brand_b = _brand_of(a), _brand_of(b)
    # A brand cut short at a sentence's start ("Omsorg" of "Lind Omsorg") is the same.
    return not brand_a or not brand_b or brand_a in brand_b or brand_b in brand_a


def _brand_of(name: str) -> str:
    """The words in front of the unit type ("Green Steps" of "Green Steps Daglig verksamhet
    Högsbo"), squashed; empty when the name starts with its type."""
    typed = _TYPED.search(name)
    return _squash(name[: typed.start()]) if typed and typed.start() > 0 else ""


def _without_type(name: str) -> str:
    """The name's words without its unit type: "bryggan masthugget" of "Bryggan Daglig
    verksamhet Masthugget"."""
    return " ".join(_TYPE_START.sub(" ", name).lower().split())


def _same_core(a: str, b: str) -> bool:
    # A genitive written once ("DV Lyktans sista dag") is still the same unit.
    return a == b or a + "s" == b or b + "s" == a


def find_units(*texts: str, join_och: bool = True, companies: Sequence[str] = ()) -> list[str]:
    """Unit names in the texts, first mention first, one per unit."""
    seen: dict[str, str] = {}
    # Names read without a genitive s ("DV Lyktans sista dag"): another mention written
    # whole with its s ("Namnbyte Daglig verksamhet Sävenäs") says the s is the name's.
    stripped: set[str] = set()
    for text in texts:
        for mention in find_unit_mentions(text, join_och=join_och, companies=companies):
            key = core_name(mention.name)
            if not key:
                continue
            genitive = text[mention.start : mention.end].endswith("s") and not (
                mention.name.endswith("s")
            )
            same = next((k for k in seen if _same_core(k, key)), None)
            bare = _without_type(mention.name)
            short = next((k for k in seen if _without_type(seen[k]) == bare), None)
            if same is None and short is not None:
                # "Bryggan Masthugget" in the subject, "Bryggan Daglig verksamhet
                # Masthugget" in the text: one unit, named whole with its type.
                if len(mention.name) > len(seen[short]):
                    seen[short] = mention.name
                continue
            if same is None:
                seen[key] = mention.name
                if genitive:
                    stripped.add(key)
            elif genitive and same not in stripped and same == f"{key}s":
                continue  # "Sävenäs" was written whole: "Sävenäs namn" is no genitive
            elif not genitive and same in stripped and key == f"{same}s":
                seen = {
                    (key if k == same else k): (mention.name if k == same else v)
                    for k, v in seen.items()
                }
                stripped.discard(same)
            elif len(key) < len(same):
                # Keep the name without the genitive s, in the first mention's place.
                seen = {
                    (key if k == same else k): (mention.name if k == same else v)
                    for k, v in seen.items()
                }
            elif mention.name.endswith(f" {seen[same]}"):
                # "Hemtjänst Centrum" then "Omsorg Nära Hemtjänst Centrum": the name whole,
                # with its company (contract.md).
                seen[same] = mention.name
    return list(seen.values())


# A private provider's company as written ("Aktivitetshuset Ljuset AB"): the unit when the
# message names no other.
_COMPANY = re.compile(
    # ("Hemtjänst med Hjärta AB": a small word inside a company's name.)
    # ("Ateljé Regnbågen Daglig verksamhet AB": a type's word in lower case.)
    rf"(?<![\wåäö])(?P<name>{_NAME_WORD}(?:[ \t]+(?:(?:i|på|av|och|med|för|&)[ \t]+)?"
    rf"(?:{_NAME_WORD}|verksamhet|omsorg|vård|omvårdnad|assistans|hemtjänst)){{0,4}}"
    rf"[ \t]+(?:AB|Ab))(?![\wåäö])"
)


def find_company_by_domain(domain: str, *texts: str) -> str | None:
    """The company as written in the texts whose name is the sender's mail domain
    ("Lind Omsorg" for lindomsorg.se), or None."""
    # A domain has no å, ä or ö: "fjarilen-dv.se" is Fjärilen's.
    wanted = _ascii(_squash(domain))
    if len(wanted) < 4:
        return None
    prefix: str | None = None
    for text in texts:
        for match in re.finditer(rf"(?<![\wåäö])(?:{_NAME_WORD}[ \t]+){{0,4}}{_NAME_WORD}", text):
            words = match.group(0).split()
            for i in range(len(words)):
                if words[i] in _NOT_NAMES:
                    continue
                for j in range(len(words), i, -1):
                    written = _ascii(_squash(" ".join(words[i:j])))
                    if written == wanted:
                        return " ".join(words[i:j])
                    if prefix is None and len(written) >= 5 and wanted.startswith(written):
                        # "Solviken" of solvikenomsorg.se: the brand before "Omsorg".
                        prefix = " ".join(words[i:j])
    return prefix


def company_named(text: str, company: str) -> bool:
    """Whether the text names the company, or its brand ("Trygga Händer" of "Trygga Händer
    i Göteborg AB", "Daglig Aktiv" of dagligaktiv.se)."""
    if company.islower():
        return find_company_by_domain(company, text) is not None
    return any(
        re.search(rf"(?<![\wåäö]){re.escape(b)}(?![\wåäö])", text) for b in _brands([company])
    )


# A document a subject names before the company: "Försäkringsbrev Göta Hemomsorg AB".
_DOCUMENT = re.compile(
    r"(?i:försäkrings\w*|blankett\w*|avtal\w*|anmälan|ansökan|intyg\w*|faktur\w*"
    r"|verksamhetsuppgifter|insurance|certificate|agreement)"
)


def find_providers(*texts: str) -> list[str]:
    """Company names ending in "AB" in the texts, first mention first."""
    found: list[str] = []
    for text in texts:
        for match in _COMPANY.finditer(text):
            words = match.group("name").split()
            while words and (
                words[0] in _NOT_NAMES or words[0].islower() or _DOCUMENT.fullmatch(words[0])
            ):
                words.pop(0)
            name = " ".join(words)
            if len(words) > 1 and name not in found:
                found.append(name)
    return found


# A unit named by where it is: "Gruppen på Vårvädersgatan", "Enheten vid Backavägen".
_BY_STREET = re.compile(
    rf"(?<![\wåäö])(?:[Gg]ruppen|[Ee]nheten|[Vv]erksamheten|[Hh]emtjänsten|[Gg]ruppbostaden"
    rf"|[Bb]oendet)[ \t]+(?:på|vid|i)[ \t]+{_STREET_NAME}(?![\wåäö])"
)


def units_by_street(text: str) -> list[str]:
    """Units the text names only by their street ("Gruppen på Vårvädersgatan läggs ner")."""
    found: list[str] = []
    for match in _BY_STREET.finditer(text):
        name = match.group(0)
        name = name[0].upper() + name[1:]
        if name not in found:
            found.append(name)
    return found


# The sender's own unit said without a unit type: "Vi på Kastanjegruppen har ...".
_WE_AT = re.compile(
    rf"(?<![\wåäö])(?:[Vv]i|[Oo]ss)[ \t]+(?:här[ \t]+)?(?:på|hos)[ \t]+"
    rf"(?P<name>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}})(?![\wåäö])"
)


def units_we_are_at(text: str, companies: Sequence[str] = ()) -> list[str]:
    """Where the sender says "we" are ("Vi på Kastanjegruppen har plats igen"): the unit,
    when it is no company of the sender's and no ordinary word."""
    found: list[str] = []
    for match in _WE_AT.finditer(text):
        words = match.group("name").split()
        while words and _not_a_name(words[-1]):
            words.pop()
        name = " ".join(words)
        if not words or _not_a_name(words[0]) or _is_company(name, companies):
            continue
        if name not in found:
            found.append(name)
    return found


# "alla våra enheter utom Livskraft Bagaregården": the unit left out of the change.
_EXCEPT = re.compile(
    r"(?<![\wåäö])(?:utom|förutom|med\s+undantag\s+(?:av|för)|except(?:\s+for)?)\s+$",
    re.IGNORECASE,
)


def units_left_out(text: str, companies: Sequence[str] = ()) -> list[str]:
    """Units the text names only to leave them out of what it says ("utom X")."""
    return [
        m.name
        for m in find_unit_mentions(text, companies=companies)
        if _EXCEPT.search(text, max(0, m.start - 30), m.start)
    ]


# Names written bare, as a sender does who has named its units before: "Det betyder att
# Kviberg och Redbergslid kan bli valbara igen".
_BARE_NAMES = re.compile(
    rf"(?<=[a-zåäö,] )(?P<name>{_NAME_WORD})(?:[ ]+(?:och|&)[ ]+(?P<other>{_NAME_WORD}))?"
    r"(?=[ ,.])"
)


def bare_names(sentence: str) -> list[str]:
    """Capitalised words inside a sentence (not its first word) that are no ordinary words:
    what a unit may be called once the sender has named it before."""
    found: list[str] = []
    for match in _BARE_NAMES.finditer(sentence):
        for name in (match.group("name"), match.group("other")):
            if name and not _not_a_name(name) and name not in found:
                found.append(name)
    return found


def units_named_after(company: str, text: str) -> list[str]:
    """Names in the text that carry the company's own name word but are not the company:
    its unit, named without a unit type ("på Ateljé Tranan" from "Tranan Konst & Form AB",
    "Lärkans Verkstad" from "Lärkan Omsorg AB"). First mention first."""
    stems = {
        _ascii(w) for w in _squash_words(company) if len(w) >= 4 and not _TYPE_WORD.fullmatch(w)
    }
    if not stems:
        return []
    found: list[str] = []
    for match in re.finditer(rf"(?<![\wåäö]){_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}}", text):
        words = match.group(0).split()
        while words and words[0] in _NOT_NAMES:
            words.pop(0)
        if len(words) < 2 or words[-1] in {"AB", "HB", "KB", "AS"}:
            continue
        name = " ".join(words)
        if _squash(company).startswith(_squash(name)):
            continue  # the company itself, or its start
        squashed = {_ascii(_squash(w)).removesuffix("s") for w in words}
        if squashed & stems and name not in found:
            found.append(name)
    return found


# A date between the verb and the new name: "heter från 1 juni Hemtjänst Inom Vallgraven".
_WHEN = (
    "(?i:"
    + (
        r"(?:(?:från\s+och\s+med|fr\.?\s?o\.?\s?m\.?|från|per|from|as\s+of|on|efter|vid|sedan"
        r"|since)\s+)?"
        r"(?:den\s+|the\s+)?"
        r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}(?:[/-]\d{2,4})?"
        r"|\d{1,2}(?::[ae]|st|nd|rd|th)?\s+(?:" + _MONTHS + r")\.?(?:\s+\d{4})?"
        r"|(?:vecka|v\.)\s*\d{1,2}"
        r"|(?:" + _MONTHS + r")\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?)"
    )
    + ")"
)

_RENAME_TO = re.compile(
    # (Whole words: "enheter" holds "heter".)
    # "heter Hemtjänst Gamlestaden numera Hemtjänst Gamlestaden-Kviberg": the old name
    # between the verb and "numera".
    rf"(?<![\wåäöÅÄÖ])(?:(?i:heter)[ \t]+(?:{_NAME_WORD}[ \t]+){{1,4}}?(?i:numera|nu)(?=[ \t]+[{_UPPER}])"
    rf"|(?i:byter\s+(?:vi\s+)?(?:namn|skylt)\s+till|heter\s+(?:vi|verksamheten|enheten|gruppen)"
    # "Från den 1 april heter vår hemtjänst X i stället för Y".
    rf"|heter\s+(?:vår|vårt|våra)\s+(?:hemtjänst|daglig\w*\s+verksamhet|dagverksamhet|verksamhet"
    rf"|enhet|grupp)(?:en)?(?![^.\n]*?(?:i\s+stället|istället)(?!\s+för))"
    rf"|heter(?=\s+[^.\n]{{3,80}}?\s(?:i\s+stället|istället)\s+för\s)"
    rf"|(?:bytter|skifter|endrer|ændrer)\s+(?:\S+\s+){{0,5}}?navn(?:et)?\s+til"
    rf"|tar\s+(?:\S+\s+){{0,6}}?namnet|under\s+the\s+name|now\s+(?:called|named)"
    rf"|heter(?=\s+[^.\n]{{3,80}}?\s(?:fr\.?\s?o\.?\s?m|från|from|per|sedan|since)[\s.])"
    rf"|(?:i\s+stället|istället)(?!\s+för)|byta\s+namn[^.\n]{{0,80}}?\s+till|ändrar\s+namn(?:et)?\s+till"
    # "byter i samband med sammanslagningen namn till Hemtjänst Lundby"
    rf"|byter\s+(?:[a-zåäö]+\s+){{1,6}}?namn\s+till"
    rf"|döps\s+om\s+till|döper\s+(?:vi\s+)?om\s+[^.\n]{{0,60}}?\s+till"
    rf"|(?:ska|skall|vill|kommer(?:\s+\S+){{0,6}}?\s+att)\s+heta|heter\s+numera|heter\s+nu"
    rf"|heter\s+(?:då|därefter|istället|i\s+stället)|heter(?=\s+(?:från|fr\.|fr\s|from|per|sedan))|får\s+(?:det\s+)?(?:nya\s+)?namnet"
    # ("Nytt namn | Hemtjänst X": a table's row, as an HTML table is read.)
    rf"|nytt\s+namn(?:\s+blir|\s+är|\s*[:|]|\t)|nytt\s+namn[^.\n:]{{0,80}}?:"
    rf"|nya\s+namnet(?:\s+(?:blir|är|(?:ska|skall)\s+(?:vara|bli)))?|renamed(?:\s+(?:to|as))?"
    rf"|re-?brand\w*\s+(?:[^.\n]{{0,60}}?\s)?(?:as|to|into)"
    # "Ängslyckan sedan den 1 november heter Ängen", the name first ("Från 1/8 heter X i
    # stället Y" puts the old name after the verb).
    rf"|(?<=[\wåäöÅÄÖ] )(?:sedan|från|fr\.?\s?o\.?\s?m\.?|per)\s+(?:den\s+)?\d{{1,2}}"
    rf"(?:/\d{{1,2}}|\s+[a-zåäö]+)(?:\s+\d{{4}})?\s+heter"
    # "Från och med 1 november 2027 Tre Kronor Hemtjänst heter Kronan Hemtjänst": a day
    # first and the old name before the verb, as a second language may order it.
    rf"|(?<![\wåäöÅÄÖ])(?i:från\s+och\s+med|fr\.?\s?o\.?\s?m\.?|från|per|from|as\s+of)\s+"
    rf"(?:den\s+)?\d{{1,2}}(?:/\d{{1,2}}|\s+[a-zåäö]+)(?:\s+\d{{4}})?,?[ \t]+"
    rf"(?:(?!(?i:som|idag|nu|vi|vår|vårt|våra|den|det|heter)(?![\wåäö]))[^\W\d_][^\s.,]*[ \t]+){{1,6}}?"
    rf"(?i:heter)(?![ \t]+(?i:idag|i\s+dag|nu|numera|fortfarande)(?![\wåäö]))"
    rf"|new\s+name\s+(?:is|will\s+be|:)|change[sd]?\s+(?:its\s+|their\s+)?name\s+to"
    # "Hemtjänst Backa Kärra skrivs från 1 januari med bindestreck, alltså Hemtjänst
    # Backa-Kärra": a name spelled anew.
    rf"|(?:stavas|skrivs)[^.\n]{{0,80}}?(?:alltså|dvs\.?|det\s+vill\s+säga)"
    rf"|will\s+be\s+called|blir|till|{ARROW}))"
    rf"(?:\s*,?\s*{_WHEN}\s*,?)?\s*[:\-–]?\s*[\"“”«']?"
    rf"(?P<new>(?:{_NAME_WORD}[ \t]+){{0,3}}(?:(?i:{_TYPE})[ \t]+)?{_NAME})"
)
_INSTEAD_OF = re.compile(
    rf"[\"“”»']?[ \t,]*(?i:istället\s+för|i\s+stället\s+för|instead\s+of|\(?tidigare|\(?förut"
    rf"|\(?formerly|som\s+(?:hittills\s+)?hetat)[ \t]+[\"“”«']?(?P<old>(?:(?i:{_TYPE})[ \t]+)?{_NAME})"
)
# Generic words ("blir", "till", an arrow) mean a new name only near a word about naming.
_GENERIC_RENAME = frozenset({"blir", "till", "→", "->", "=>", "⇒", "i", "istället"})
_NAMING_CONTEXT = re.compile(r"(?:namn|heta|heter|renam|döp|stavas|stavning)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class RenameInfo:
    old: str | None
    new: str | None
    evidence: str | None
    # Every (old, new) of a notice that renames several units (a table): the first is
    # old/new; none of the new names is a unit the notice is about.
    pairs: tuple[tuple[str, str], ...] = ()
    company: bool = False  # the new name is a company's ("... till Amal Omsorg AB")


# The cells of a table as a mail client or a person writes it: apart by "|", a tab or wide
# spaces.
_CELL_SPLIT = re.compile(r"\s*\|\s*|\t+\s*|\s{3,}")
# A table of a reorganisation: a column of the units as they are and one of what each
# becomes ("Enhet idag | Förändring | Datum | Enhet efter förändring").
_BEFORE_COLUMN = re.compile(
    r"^(?:(?:enhet|enheter|verksamhet|namn)(?:\s+(?:i\s*dag|idag|nu|före\b.*|innan\b.*))?"
    r"|(?:nuvarande|dagens|befintlig|befintliga|tidigare|gammalt|gamla)\s+"
    r"(?:enhet|enheter|verksamhet|namn)\w*"
    r"|(?:unit|current\s+unit|unit\s+today|(?:old|current|former|previous)\s+name))$",
    re.IGNORECASE,
)
_AFTER_COLUMN = re.compile(
    r"^(?:(?:enhet|enheter|verksamhet|namn)\w*\s+(?:efter|fr\.?\s?o\.?\s?m\.?|från)\b.*"
    r"|(?:ny|nya|nytt|framtida)\s+(?:enhet|enheter|verksamhet|namn)\w*"
    r"|efter\s+(?:förändring|sammanslagning|omorganisation)\w*|(?:unit\s+)?after\b.*"
    r"|new\s+name)$",
    re.IGNORECASE,
)


def table_before_after(text: str) -> list[tuple[str, str]]:
    """The (unit as it is, what it becomes) of each row of a reorganisation's table: a
    header row with a column of each, then one row per unit."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        cells = [c for c in _CELL_SPLIT.split(line.strip()) if c]
        before_at = next((i for i, c in enumerate(cells) if _BEFORE_COLUMN.match(c)), None)
        after_at = next((i for i, c in enumerate(cells) if _AFTER_COLUMN.match(c)), None)
        if before_at is None or after_at is None:
            continue
        rows: list[tuple[str, str]] = []
        for row in lines[index + 1 :]:
            values = [c for c in _CELL_SPLIT.split(row.strip()) if c]
            if len(values) <= max(before_at, after_at):
                break
            before, after = _clean_new(values[before_at]), _clean_new(values[after_at])
            if before and after:
                rows.append((before, after))
        if rows:
            return rows
    return []


def _table_renames(text: str) -> RenameInfo | None:
    """A table of renames: "Nuvarande namn | Nytt namn", "Enhet idag | Enhet från 1 mars"."""
    pairs = [(old, new) for old, new in table_before_after(text) if not same_unit(old, new)]
    if not pairs:
        return None
    return RenameInfo(pairs[0][0], pairs[0][1], f"{pairs[0][0]} → {pairs[0][1]}", tuple(pairs))


def rename_info(text: str) -> RenameInfo:
    """The old and new name in a rename notice ("X byter namn till Y"), or in a table of
    old and new names."""
    table = _table_renames(text)
    if table is not None:
        return table
    found: list[RenameInfo] = []
    for match in _RENAME_TO.finditer(text):
        cue = match.group(0).split()[0].lower() if match.group(0).split() else ""
        if cue in _GENERIC_RENAME and not _NAMING_CONTEXT.search(
            text[max(0, match.start() - 120) : match.start()]
        ):
            continue
        new = _clean_new(match.group("new"))
        if new is None or _denied_name(text, match.start(), match.start("new") + len(new)):
            continue
        before = [
            m for m in find_unit_mentions(text[: match.start("new")]) if not same_unit(m.name, new)
        ]
        old = before[-1].name if before else None
        if old is None:
            # "Hittills har gruppen hetat X", "Its previous name was X": the old name may
            # come after the new one.
            after = [m for m in find_unit_mentions(text) if not same_unit(m.name, new)]
            old = after[0].name if after else None
        instead = _INSTEAD_OF.match(text, match.end())
        if instead:
            # 'vill heta "A" istället för "B"': the old name follows the new one.
            old = _clean_new(instead.group("old")) or old
        company = _COMPANY_AFTER.match(text, match.start("new") + len(new))
        found.append(RenameInfo(old, new, match.group(0).strip(), company=bool(company)))
    if not found:
        return _lower_case_rename(text)
    # "A byter namn till B, och C byter namn till D": the first rename, and every new name.
    # The company's own new name ("från Al-Amal Hemtjänst AB till Amal Omsorg AB. Vår
    # enhet ... heter då Amal Omsorg Hemtjänst") gives way to the unit's, and a place's
    # ("Brunnsbotorget ska heta Backa Torg ... så Daglig verksamhet Brunnsbotorget byter
    # namn till Daglig verksamhet Backa Torg") to the same name with a unit type.
    first = next((r for r in found if not r.company), found[0])
    first = next(
        (
            r
            for r in found
            if r is not first
            and first.new
            and r.new
            and _TYPE_WORD.search(r.new)
            and first.new in r.new
        ),
        first,
    )
    pairs = tuple((r.old, r.new) for r in found if r.old and r.new)
    return RenameInfo(first.old, first.new, first.evidence, pairs if len(pairs) > 1 else ())


_COMPANY_AFTER = re.compile(r"[ \t]+(?:AB|HB|KB|Ab)(?![\wåäö])")

# Dictated or typed on a phone, a new name may have no capital: "byter namn till daglig
# verksamhet linnéverkstan från första februari". Only after words that are about naming.
_RENAME_TO_LOWER = re.compile(
    # ("byter namn den femtonde januari till ...": a day may stand between.)
    r"(?<![\wåäö])(?:byter\s+(?:[a-zåäö]+\s+){0,3}?namn\s+(?:[\wåäö:./]+\s+){0,4}?till"
    r"|byta\s+namn\s+till"
    r"|ändrar\s+namn(?:et)?\s+till|döps\s+om\s+till|(?:nya|nytt)\s+namn(?:et)?\s+(?:blir|är|:)"
    r"|(?:ska|skall|kommer\s+att)\s+heta|heter\s+(?:numera|nu|från\s+och\s+med|från|fr\.?o\.?m\.?)"
    r"|heter\s+(?:den|enheten|verksamheten|vi)(?=[ \t]+[a-zåäöéü])"
    r"|(?:change[sd]?\s+(?:its\s+|their\s+)?name|renamed|new\s+name\s+(?:is|will\s+be))\s*(?:to)?"
    r"|will\s+be\s+called)[ \t:]+(?P<new>[a-zåäöéü][\wåäöéü\-]*(?:[ \t]+[a-zåäöéü][\wåäöéü\-]*){0,5})"
)
# Words that end a lower-case name: what follows it in a sentence.
_AFTER_LOWER_NAME = frozenset(
    {"den", "fr", "fro", "fom", "ingen", "inga", "inget", "vi", "ni", "jag", "så", "då", "mvh"}
    | {"hälsningar", "hälsning", "tack", "eftersom", "när", "from", "on", "as", "the", "we"}
    | {"and", "starting", "effective", "datum", "blankett", "blanketten", "ansvarskod"}
)


def _lower_case_rename(text: str) -> RenameInfo:
    for match in _RENAME_TO_LOWER.finditer(text):
        raw = match.group("new")
        typed = _TYPE_START.match(raw)
        kind = typed.group(0) if typed else ""
        words: list[str] = []
        for word in raw[len(kind) :].split():
            after_daglig = word == "verksamhet" and words[-1:] in (["daglig"], ["dagliga"])
            inside = bool(_TYPE_WORD.fullmatch(word)) or after_daglig
            if (_ends_a_lower_name(word) and not inside) or word in ORDINAL_DAYS:
                break
            words.append(word)
        # A name is a type and two words after it, or four words: run-on text goes on
        # ("... blir daglig verksamhet kvarnens bageri datum kommer").
        typed_at = [i for i, w in enumerate(words) if _TYPE_WORD.fullmatch(w) or w == "verksamhet"]
        words = words[: typed_at[-1] + 3] if typed_at else words[: 2 if kind else 4]
        if not words or _denied_name(text, match.start(), match.start("new")):
            continue
        new = " ".join([kind, *words]).strip()
        before = [
            m for m in find_unit_mentions(text[: match.start()]) if not same_unit(m.name, new)
        ]
        said = f"{text[match.start() : match.start('new')].strip()} {new}"
        return RenameInfo(before[-1].name if before else None, new, said)
    return RenameInfo(None, None, None)


def _denied_name(text: str, start: int, end: int) -> bool:
    """ "byter inte namn till Ekbacken, utan till Ekåsen": the first name is denied."""
    negation = _NEGATION.search(text, max(0, start - 30), end)
    return bool(negation and CONTRAST.match(text, end))


_NEGATION = re.compile(r"(?<![\wåäö])(?:inte|ej|icke|not)(?![\wåäö])", re.IGNORECASE)


_AND_NAME = re.compile(
    rf"[ ]+(?P<joiner>och|&)[ ]+(?!(?i:{_TYPE})(?![\wåäö]))(?P<word>{_NAME_WORD})"
    rf"(?![ ]+(?i:{_TYPE}))"
    rf"(?=[ .,;]|$)"
)


def _clean_new(raw: str) -> str | None:
    typed = _TYPED.search(raw)
    if typed and typed.start() > 0:
        # "Green Steps Daglig verksamhet Angered": a brand in front of the type.
        brand = raw[: typed.start()].split()
        name = _fix_case_sensitive(typed)
        if name and brand and all(w[:1].isupper() for w in brand):
            # "Med Hjärta Hemtjänst Johanneberg": a word that is no name alone may begin
            # a brand of two words or more.
            rest = brand[1:] if len(brand) > 1 else brand
            if not any(_not_a_name(w) for w in rest):
                return f"{' '.join(brand)} {typed.group('type')} {name}"
    typed = _TYPED.match(raw)
    if typed:
        name = _fix_case_sensitive(typed)
        if name:
            kind = typed.group("type")
            # One new name only: "Daglig verksamhet Kvibergs Kafé och Bageri" keeps the
            # word after "och" (not "... och Daglig verksamhet B", another unit).
            more = _AND_NAME.match(raw, typed.start("name") + len(name))
            if more and not _not_a_name(more.group("word")):
                name = f"{name} {more.group('joiner')} {more.group('word')}"
            return f"{kind[0].upper()}{kind[1:]} {name}"
    words: list[str] = []
    split = raw.split()
    for i, word in enumerate(split):
        following = split[i + 1] if i + 1 < len(split) else ""
        # ("Kreativa Händer Textil & Tryck Lindholmen": "&" joins the words of one name, as
        # "och" does in "Tre Ekar Ateljé och Trädgård", unless another unit follows it.)
        # (Not a genitive: "flyttar till Hav och Lands lokaler" names no new unit.)
        joins = (
            word == "och"
            and following[:1].isupper()
            and not _TYPE_WORD.match(following)
            and not following.endswith("s")
            and not _not_a_name(following)
        )
        if (
            i == 0
            or word[0].isupper()
            or word[0].isdigit()
            or word in _JOINERS
            or word == "&"
            or joins
            or (words and _NAME_NOUN.fullmatch(word))
        ):
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
    rf"(?<![\wåäöÅÄÖ])(?i:(?:nya|sammanslagna|gemensamma)\s+(?:enheten|gruppen|verksamheten|hemtjänstgruppen)\s+(?:ska\s+)?"
    rf"(?:heter|heta|kommer\s+att\s+heta|får\s+namnet|blir)"
    rf"|(?:och\s+)?(?:heter|kallas)\s+(?:då|sedan|därefter|framöver)|(?:ska|kommer\s+att)\s+heta"
    rf"|(?:slås|slogs|slagits|slår\s+vi|slog\s+vi|går|gick|gått)\s+(?:samman|ihop)"
    rf"(?:\s*,?\s*{_WHEN}\s*,?)?\s+(?:till|under\s+namnet)"
    rf"(?!\s+en\b)"
    rf"|bildar(?:\s+tillsammans)?"
    rf"|(?:under|med)\s+(?:det\s+nya\s+)?namnet|nya\s+namnet\s+(?:blir|är)"
    # "blir A, B och C en gemensam enhet med namnet X".
    rf"|en\s+(?:ny|gemensam|sammanslagen)\s+(?:enhet|grupp|verksamhet)\s+(?:med\s+namnet|som\s+(?:ska\s+)?heta"
    rf"|som\s+heter|kallad)"
    # "DV Gårdsten Verkstad + DV Gårdsten Café → Daglig verksamhet Gårdsten".
    rf"|{ARROW}"
    # "Den sammanslagna enheten får ett nytt namn, Daglig verksamhet Näset-Önnered".
    rf"|(?:får|fått|ges|tilldelas)\s+(?:ett\s+)?nytt\s+namn|nytt\s+namn(?=\s*[:\-–])"
    # "Namnet (Hemtjänst Örgryte) och ansvarskoden är desamma som i mitt tidigare mejl".
    rf"|namnet\s*\("
    # "slås samman till den nya enheten X", "blir en ny enhet som heter X"
    rf"|(?:till|blir|bildar)\s+(?:de\s+|vi\s+)?(?:den|en)\s+(?:(?:nya|ny|gemensam(?:ma)?|sammanslagna)\s+)?"
    rf"(?:enheten|enhet|verksamheten|gruppen)(?:\s+(?:med\s+namnet|som\s+(?:ska\s+)?heta|som\s+heter"
    rf"|kallad|,\s*som\s+(?:ska\s+)?heta))?"
    rf"|(?:are\s+merged|will\s+be\s+merged|merge)\s+into|new\s+unit\s+(?:is\s+|will\s+be\s+)?called"
    rf"|(?:samman|ihop)(?:\s*,?\s*{_WHEN}\s*,?)?\s+och\s+blir)"
    rf"(?:\s*,?\s*{_WHEN}\s*,?)?\s*[:\-–,]?\s*[\"“”«']?(?P<new>(?:{_NAME_WORD}[ \t]+){{0,3}}(?:(?i:{_TYPE})[ \t]+)?{_NAME})"
)
# Words saying that none of the units remains as it was.
_NONE_REMAINS = re.compile(
    r"(?:ingen\s+av\s+(?:de\s+)?(?:två\s+|tre\s+|båda\s+)?(?:gamla\s+|nuvarande\s+|båda\s+)?enhet\w*"
    r"|båda\s+(?:de\s+)?(?:gamla\s+|nuvarande\s+)?(?:enheterna\s+)?(?:upphör|avslutas|läggs\s+(?:ned|ner))"
    r"|(?:en\s+)?ny\s+enhet\s+bildas|none\s+of\s+the\s+(?:old\s+)?units)",
    re.IGNORECASE,
)
# "X finns kvar": the unit named just before these words remains.
_REMAINS_AFTER = re.compile(
    r"(?:finns\s+kvar|blir\s+kvar|kvarstår|är\s+kvar|lever\s+vidare|fortsätter\s+som"
    r"|behåller\s+(?:sitt\s+|det\s+|sina\s+)?(?:namn\w*|organisationsnummer)|remains?"
    r"|continues?\s+as|keeps?\s+(?:its\s+)?name)",
    re.IGNORECASE,
)
# "går upp i X": the unit named just after these words remains.
_REMAINS_BEFORE = re.compile(
    r"(?:går\s+(?:upp|in)\s+i|uppgår\s+i|införlivas\s+(?:i|med)|blir\s+en\s+del\s+av"
    r"|fortsätter\s+(?:i|hos|inom)|continues?\s+(?:in|at|within)"
    r"|(?:finns\s+kvar|kvarstår)\s+är|is\s+(?:being\s+)?(?:merged|absorbed)\s+into"
    r"|becomes?\s+part\s+of)",
    re.IGNORECASE,
)
# Words between a unit and what is said about it, within one clause ("DV Ek är den enhet
# som finns kvar").
_NEAR = re.compile(
    r"^[ \t,]*(?:(?:är|blir|den|det|enhet|enheten|som|också|själv|kommer|att|ska|is|the|one"
    r"|that|unit|which|will)[ \t]+){0,4}$",
    re.IGNORECASE,
)
_NEAR_AFTER = re.compile(r"^[ \t]*[:\-–]?[ \t]*[\"“”«']?$")


@dataclass(frozen=True, slots=True)
class MergeInfo:
    """What a merge notice says: the units, the new name, and which unit remains.

    ``remaining`` is the unit that continues (None if none or not said); ``renamed`` is
    True when the merged unit gets a new name, False when the message says it keeps one,
    None when it does not say.
    """

    units: tuple[str, ...]
    new_name: str | None
    remaining_stated: bool
    evidence: str | None
    remaining: str | None = None
    renamed: bool | None = None


def merge_info(text: str, companies: Sequence[str] = ()) -> MergeInfo:
    """The units of a merge, the new name if any, and whether it says what remains."""
    mentions = short_mentions(text, find_unit_mentions(text, join_och=False, companies=companies))
    new_name: str | None = None
    evidence: list[str] = []
    match = _MERGE_NEW.search(text)
    if match:
        new_name = _clean_new(match.group("new"))
        if new_name:
            evidence.append(match.group(0).strip())
    remaining, remains_evidence = _remaining_unit(text, mentions)
    none_remains = _NONE_REMAINS.search(text)
    if remaining is not None and none_remains:
        # "ingen av de två nuvarande enheterna finns kvar": the words that say which unit
        # remains are denied.
        remaining = remains_evidence = None
    units = find_units(text, join_och=False, companies=companies)
    if new_name and match:
        named_before = [
            m.name for m in mentions if m.end <= match.start() and same_unit(m.name, new_name)
        ]
        longer = {n.lower() for n in named_before if len(n) > len(new_name)}
        if none_remains or len(longer) >= 2:
            # "Hemtjänst Biskopsgården Norra och Södra slås samman ... Den sammanslagna
            # enheten heter Hemtjänst Biskopsgården; ingen av enheterna finns kvar": a name
            # both units shared a part of is the new one, not one of them.
            named_before = []
        if named_before:
            # "DV Ek och DV Ask slås samman till DV Ek": DV Ek remains, under its own name.
            remaining = remaining or named_before[0]
            new_name = None
        else:
            units = [u for u in units if not same_unit(u, new_name)]
    if new_name is None:
        # "DV Ek finns kvar men byter namn till DV Lind": the remaining unit is renamed.
        rename = rename_info(text)
        at = text.find(rename.evidence) if rename.evidence else -1
        # (A unit named before by the new name is the one that remains; a place alone,
        # "förändringen i Lundby", is not.)
        if rename.new and not any(
            same_unit(m.name, rename.new) and _TYPE_WORD.search(text, m.start, m.end)
            for m in mentions
            if m.end <= at
        ):
            new_name = rename.new
            units = [u for u in units if not same_unit(u, new_name)]
            evidence.append(rename.evidence or rename.new)
    if remains_evidence:
        evidence.append(remains_evidence)
    if none_remains:
        evidence.append(none_remains.group(0))
    renamed: bool | None = None
    if new_name:
        renamed = True
    elif remaining:
        # The unit that remains keeps its name unless a new one is given.
        renamed = False
    return MergeInfo(
        units=tuple(units),
        new_name=new_name,
        remaining_stated=bool(remaining or none_remains or new_name),
        evidence="; ".join(evidence) or None,
        remaining=remaining,
        renamed=renamed,
    )


def says_what_remains(text: str) -> bool:
    """Whether the text says which unit a merge leaves, or that none does ("Det är DV Ek som
    blir kvar", "ingen av enheterna finns kvar")."""
    return bool(_REMAINS_AFTER.search(text) or _NONE_REMAINS.search(text))


def _remaining_unit(text: str, mentions: list[UnitMention]) -> tuple[str | None, str | None]:
    for match in _REMAINS_AFTER.finditer(text):
        before = [
            m
            for m in mentions
            if m.end <= match.start() and _NEAR.match(text[m.end : match.start()])
        ]
        if before:
            return before[-1].name, text[before[-1].start : match.end()]
    for match in _REMAINS_BEFORE.finditer(text):
        after = [
            m
            for m in mentions
            if m.start >= match.end() and _NEAR_AFTER.match(text[match.end() : m.start])
        ]
        if after:
            return after[0].name, text[match.start() : after[0].end]
    return None, None
