"""The cue tables: the words that announce each kind of change, and the words that undo them.

Data, not logic (parsers/classify.py reads them). Each kind has cue patterns after
domain/process.md, "Kinds of message"; Swedish first, plain English too. A cue is only a
candidate: classify keeps it when the sentence says it of a unit.
"""

from __future__ import annotations

import re
from typing import Literal

__all__ = [
    "AFFIRMATIVE",
    "ARROW",
    "ATTRIBUTE_PREPOSITION",
    "AUTOMATED_SENDER",
    "AUTO_BODY",
    "AUTO_RECEIPT",
    "AUTO_SUBJECT",
    "BARE_START",
    "BESIDE_AFTER",
    "BESIDE_BEFORE",
    "BOUNCE_SENDER",
    "BOUNDED_STATE",
    "CONTRAST",
    "CONTRAST_REACH",
    "CUES",
    "DECIDED_TO",
    "FALSE_AFTER",
    "FALSE_BEFORE",
    "FALSE_REACH",
    "FUTURE_TENSE",
    "HYPOTHETICAL",
    "NEGATED_TO",
    "NEGATION_AFTER",
    "NEGATION_BEFORE",
    "NEGATION_REACH",
    "NOT_COMING",
    "NOT_UNIT_SUBJECT",
    "OPEN_QUESTION",
    "PART_OF_UNIT",
    "PAST_TENSE",
    "PERIOD",
    "PERIOD_BEFORE",
    "PROPOSED_WORDING",
    "QUEUE",
    "RECEIPT",
    "REPORTED",
    "RESTORED",
    "UNIT_CHANGES",
    "UNIT_REFERENCE",
    "YES_NO_QUESTION",
    "Kind",
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

# The changes to a unit: each names a unit and takes effect on a day (process.md).
UNIT_CHANGES: frozenset[Kind] = frozenset(
    {
        "new_unit",
        "close_unit",
        "merge_units",
        "rename_unit",
        "update_details",
        "capacity_full",
        "capacity_available",
    }
)

_W = r"(?<![\wåäöÅÄÖ])"  # word start that knows Swedish letters
_E = r"(?![\wåäöÅÄÖ])"  # word end


def _cues(*patterns: str) -> re.Pattern[str]:
    # One word start and end around all the alternatives, not one each: the same matches
    # (a failed end makes the engine try the next alternative either way), but inside a
    # word every position fails at the word start once instead of once per alternative.
    alternatives = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(f"{_W}(?:{alternatives}){_E}", re.IGNORECASE)


# A unit, not a compound of it ("enhetssida", "enhetschef", "verksamhetsbeskrivning").
_UNIT_NOUN = (
    r"(?:enhet(?:en|er|erna)?|verksamhet(?:en|er|erna)?|daglig\s+verksamhet"
    r"|hemtjänst(?:en|grupp\w*|enhet\w*|område\w*)?|grupp(?:en|er|erna)?|dagverksamhet\w*)"
)
# Whom a unit takes in: "nya brukare", "fler deltagare", "två nya deltagare", "nya uppdrag",
# and as a second language may write it, "ny deltagare".
_NEW_PEOPLE = (
    r"(?:(?:(?!inte\b|ej\b)[\wåäö]+\s+)?(?:nya|fler|ny|nytt)(?:\s+\w+)?"
    # "kan ta emot två till", "tar emot en extra deltagare"
    r"|(?:en|ett|två|tre|fyra|fem|sex|\d{1,2})\s+(?:till|extra|personer|brukare|deltagare))"
)
# Whom a unit cannot take in may go without "nya": "kan inte ta emot deltagare just nu".
_ANY_PEOPLE = (
    rf"(?:{_NEW_PEOPLE}"
    r"|(?:brukare|deltagare|kunder|kund|klienter|personer|elever|barn)(?![\wåäö]))"
)

# An arrow as mail writes it: "Daglig verksamhet A → Daglig verksamhet B", "A -> B".
ARROW = r"→|->|=>|⇒"

CUES: dict[Kind, re.Pattern[str]] = {
    "new_unit": _cues(
        rf"(?:startar|starta|startas|öppnar|öppna|öppnas)\s+(?:upp\s+)?(?:en\s+|vår\s+|ännu\s+en\s+)?"
        rf"nya?\s+{_UNIT_NOUN}",
        r"nya?\s+enhet(?:er)?",
        r"ny\s+enh\.",
        r"vår\s+nya\s+(?:enhet|verksamhet|daglig\s+verksamhet)(?:en|er|erna)?",
        r"nya?\s+(?:daglig\s+verksamhet|dagverksamhet|hemtjänst(?:grupp|enhet)?|verksamhet)",
        r"nystart\w*",
        # "Vi vill starta vår hemtjänst i Torslanda den 1 augusti": the provider's service in a
        # place of its own, a unit that starts.
        r"(?:startar|starta|startas|öppnar|öppna)\s+(?:upp\s+)?(?:vår|vårt|sin|sitt)\s+"
        r"(?:hemtjänst|dagliga?\s+verksamhet|verksamhet)(?=\s+(?:i|på)\s+(?-i:[A-ZÅÄÖ]))",
        # A split: "Hemtjänst Centrum Väster kommer att delas i två enheter".
        r"dela[sr]?\s+(?:upp\s+)?(?:sig\s+)?i\s+(?:två|tre|fyra|\d)\s+(?:nya\s+)?(?:enheter|verksamheter)",
        r"(?:split|divided)\s+into\s+(?:two|three|four|\d)\s+(?:new\s+)?units",
        # "skjuta fram starten för Omtanke Hemtjänst Lindholmen till 1 mars": the start of a
        # unit named, said as a noun.
        r"(?:starten|öppningen|uppstarten|invigningen)\s+(?:av|för|på)"
        r"(?=\s+(?:(?-i:[A-ZÅÄÖ])|(?:den\s+|vår\s+)?(?:nya\s+)?(?:enheten|verksamheten)))",
        # "Den nya enheten", "ytterligare ett hemtjänstkontor", "börja bedriva hemtjänst".
        r"(?:den\s+)?nya\s+(?:enheten|verksamheten|gruppen)",
        r"ytterligare\s+(?:en|ett)\s+(?:ny\w*\s+)?(?:enhet|verksamhet|kontor|hemtjänst\w*"
        r"|daglig\s+verksamhet|dagverksamhet|grupp)",
        r"(?:börja|börjar|starta|startar)\s+(?:att\s+)?bedriva",
        r"drar\s+(?:vi\s+)?igång",
        r"(?:ska|kommer\s+att)\s+kunna\s+(?:väljas|välja\s+(?:oss|den|enheten|verksamheten))",
        # "i februari öppnar vi en fjärde verksamhet": the provider's next unit.
        r"(?:startar|starta|öppnar|öppna|öppnas)\s+(?:vi\s+)?(?:en|ett|vår|vårt)\s+"
        r"(?:andra|tredje|fjärde|femte|sjätte|sjunde|åttonde|ytterligare)\s+"
        r"(?:enhet|verksamhet|grupp|daglig\s+verksamhet|hemtjänst\w*)",
        r"(?:second|another|additional)\s+(?:site|unit|office|daily\s+activit(?:y|ies))",
        r"launch(?:es|ing)?\s+(?:a|an|our)\s+(?:new|second|additional)",
        r"start\s+av\s+(?:en\s+)?ny\w*",
        r"uppstart\s+av\s+(?:en\s+)?(?:ny|vår)\w*",
        r"new\s+(?:unit|service|daily\s+activit(?:y|ies)(?:\s+unit)?|home\s+care\s+unit)",
        r"(?:will\s+)?open(?:s|ing)?\s+(?:a\s+|our\s+)?new",
        r"start(?:s|ing)?\s+(?:up\s+)?(?:a\s+)?new\s+(?:unit|service)",
    ),
    "merge_units": _cues(
        r"slås\s+(?:samman|ihop)",
        r"slår\s+(?:vi\s+)?(?:samman|ihop)",
        r"går\s+(?:\S+\s+){0,3}?ihop",
        # "blir Hemtjänst A, Hemtjänst B och Hemtjänst C en gemensam enhet": three units between.
        r"blir\s+(?:\S+\s+){0,12}?en\s+(?:gemensam\s+|ny\s+|och\s+samma\s+)?(?:enhet|grupp|verksamhet)",
        r"combin(?:e|es|ed|ing)",
        r"amalgamat\w+",
        r"join(?:s|ed|ing)?\s+(?:together|forces)",
        r"(?:flyttar|flytta|flyttas|lägger|läggs|för|förs)\s+(?:vi\s+)?ihop",
        r"till\s+en\s+(?:gemensam|och\s+samma)\s+(?:enhet|verksamhet|grupp)",
        # "Från 1 oktober slås Hemtjänst A och Hemtjänst B samman": the units stand between.
        r"(?:slås|slår|läggs)\s+(?:[\wåäöÅÄÖ\-]+,?\s+){1,12}?(?:samman|ihop)",
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
        # Said without a word for closing: "sedan är dörrarna stängda för gott", "efter
        # den 15 januari bedrivs ingen verksamhet längre i Hemtjänst Gårda".
        r"stäng\w*\s+(?:\S+\s+){0,2}?för\s+gott",
        r"(?:closed|closing|close)\s+(?:\S+\s+){0,2}?(?:for\s+good|permanently)",
        r"(?:bedrivs|bedriver\s+vi|finns)\s+(?:det\s+)?ingen\s+verksamhet",
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
        # "har stängt ner": the perfect of closing down. Not "har stängt 24–26 december" or
        # "vi har stängt 24/12", which say, as "är stängt" does, that it is shut those days.
        r"(?:har|hade)\s+(?:nu\s+|redan\s+)?stängts?\s+(?:ner|ned)(?![\wåäö])",
        # "vi har stängt Sahar Omsorg Hemtjänst Lundby den 31 mars": the perfect with the unit
        # as its object (not "har stängt 24/12", shut that day).
        r"(?:har|hade)\s+(?:nu\s+|redan\s+)?stängt(?=\s+(?:(?-i:[A-ZÅÄÖ])|(?:vår|vårt|enheten"
        r"|verksamheten)(?![\wåäö])))"
        # (Not "har stängt Daglig verksamhet Tornet v. 52-53": shut for a period.)
        r"(?![^.\n]{0,80}?(?:[-–]|\bv\.?\s*\d|\bvecka|\bveckorna|\bunder\b|\bmellan\b|\bi\s?dag))",
        r"avslutades",
        r"(?:lades|lagts)\s+(?:ned|ner)",
        r"lade\s+(?:vi\s+)?(?:ned|ner)",
        # A provider that ends its contract ends its unit.
        r"säg(?:er|a)?\s+(?:vi\s+)?upp\s+(?:\w+\s+){0,2}?avtal\w*",
        r"avtal\w*\s+(?:\S+\s+){0,5}?sägs\s+upp",
        r"terminat\w+\s+(?:\w+\s+){0,2}?(?:contract|agreement)",
        # "kommer inte att finnas kvar efter den 31 augusti"
        r"(?:inte|ej)\s+(?:längre\s+)?(?:att\s+)?finnas\s+kvar",
        r"upphör\s+att\s+finnas",
        r"(?:cease|ceases|ceased)\s+to\s+exist",
        r"no\s+longer\s+exist",
        r"stänger",
        r"stängs",
        r"stängas",
        r"stänga",
        r"läggs\s+(?:den\s+|det\s+)?(?:ned|ner)",
        # "läggs Daglig verksamhet Hisingsbacka Verkstad ned den 31 augusti"
        r"(?:läggs|lades|lägger\s+vi)\s+(?:(?!inte\b|ej\b|aldrig\b)[\wåäöÅÄÖ\-]+\s+){1,6}?(?:ned|ner)",
        r"läggas\s+(?:ned|ner)",
        r"lägga\s+(?:ned|ner)",
        r"lägger\s+(?:vi\s+)?(?:ned|ner)",
        r"nedläggning(?:en)?",
        r"stängning(?:en)?|avvecklingen|avslutet",
        r"avveckl\w+",
        r"sista\s+(?:dag|dagen|öppetdag(?:en)?|verksamhetsdag(?:en)?|arbetsdag(?:en)?)",
        r"clos(?:e|es|ing|ure)",
        r"shut(?:s|ting)?\s+down",
        r"cease[sd]?\s+(?:operations|operating)",
        r"(?:last|final)\s+(?:day|date)",
        r"wind(?:s|ing)?\s+down",
        # Norwegian and Danish (seed 001 is Norwegian): "legges ned", "stenger",
        # "avvikles", "lukker", "siste driftsdag".
        r"legges\s+(?:ned|ner)|nedlegges|lægges\s+ned|nedlægges|stenger|stenges|lukker|lukkes"
        r"|avvikles|afvikles|siste\s+(?:drifts)?dag(?:en)?|sidste\s+(?:drifts)?dag",
    ),
    "rename_unit": _cues(
        # A list item "Namn: Kustens Hemtjänst Långedrag → Kustens Hemtjänst Älvsborg".
        rf"namn(?:et)?\s*:\s*[^\n→]{{3,80}}?(?:{ARROW})",
        # "heter Hemtjänst Gamlestaden numera Hemtjänst Gamlestaden-Kviberg".
        r"heter\s+(?:(?-i:[A-ZÅÄÖ])[\wåäöÅÄÖ\-]*\s+){1,4}?(?:numera|nu)(?=\s+(?-i:[A-ZÅÄÖ]))",
        # Norwegian and Danish: "bytter Fjordhjem Hemtjänst Gamlestaden navn til ...".
        r"(?:bytter|skifter|endrer|ændrer)\s+(?:\S+\s+){0,5}?navn(?:et)?",
        # "byter samtidigt namn", "byter också namn": an adverb may stand between.
        r"byter\s+(?:(?:den|det|enheten|verksamheten|gruppen|vi|samtidigt|också|även|dessutom"
        r"|därefter|sedan|sen|då)\s+){0,2}namn",
        # "Från 1 juni byter Hemtjänst Norra namn till ...": the unit between verb and noun.
        r"byter\s+(?:[A-ZÅÄÖ][\wåäöÅÄÖ\-]*\s+){1,5}namn",
        # "Hemtjänst Gamlestaden heter Hemtjänst Gamlestaden-Utby fr.o.m. 1/6"
        r"heter\s+(?:[\wåäöÅÄÖ\-]+\s+){1,6}?(?:fr\.?\s?o\.?\s?m\.?|från\s+och\s+med|från|from|per)",
        r"namnbytet|namnändringen",
        r"byter\s+(?:vi\s+)?skylt",
        r"tar\s+(?:\S+\s+){0,6}?namnet",
        r"(?:operat\w+|continu\w+|run\w*)\s+under\s+the\s+name",
        r"previous\s+name",
        # "Från och med nyår heter vi Hemtjänst Södra Älvstranden": a time, then the name.
        r"heter\s+(?:vi|verksamheten|enheten|gruppen)",
        r"bytte\s+namn",
        r"(?:ändrade|ändrat)\s+(?:sitt\s+|vårt\s+)?namn(?:et)?",
        r"döptes\s+om",
        r"fick\s+(?:det\s+)?(?:nya\s+)?namnet",
        r"byta\s+namn",
        r"bytt\s+namn",
        # A name spelled anew is a new name in every system: "från 1 december stavas vår
        # enhet med accent", "vi ändrar stavningen på ett enhetsnamn".
        r"stavas\s+(?:\S+\s+){0,3}?(?:enhet\w*|namn\w*|verksamhet\w*)",
        r"(?:enhetens|enhetsnamnet|namnet)\s+(?:\S+\s+){0,2}?stavas",
        r"stavning(?:en)?\s+(?:på|av)\s+(?:\S+\s+){0,2}?(?:enhet\w*|namn\w*)",
        r"rätt\s+stavning",
        # ("namn byte", "namnbyt": dictated or typed on a phone.)
        r"namn\s?byte?",
        r"namn\s?ändring",
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
        # "Ängslyckan sedan den 1 november heter Daglig verksamhet Ängen": the date first.
        r"(?:sedan|från|fr\.?\s?o\.?\s?m\.?|per)\s+(?:den\s+)?\d{1,2}(?:/\d{1,2}|\s+[a-zåäö]+)"
        r"(?:\s+\d{4})?\s+heter",
        r"renam(?:e|ed|es|ing)",
        r"re-?brand(?:s|ed|ing)?",
        r"new\s+name",
        r"name\s+change",
        r"change\s+of\s+name",
        r"change[sd]?\s+(?:its\s+|their\s+)?name",
        r"will\s+be\s+called",
    ),
    "capacity_full": _cues(
        # "har ingen kapacitet kvar för nya brukare", "no capacity left for new clients"
        r"(?:ingen|inte\s+någon)\s+(?:ledig\s+)?kapacitet(?:\s+kvar)?\s+(?:för|att)",
        r"no\s+(?:spare\s+)?capacity\s+(?:left\s+)?(?:for|to)",
        # "kapacitetstaket för DV Lunden är nått": a few words may stand between.
        r"kapacitetstak(?:et)?(?:\s+(?!inte\b|ej\b)\S+){0,6}?\s+(?:är|har)\s+(?:nu\s+)?"
        r"(?:nått|uppnått|nåtts|uppnåtts)",
        r"kapacitetstak(?:et)?\s+(?:nått|uppnått|nås|uppnås)",
        r"kapacitetstak(?:et)?\s+(?:\S+\s+){0,3}?(?:kommer\s+att\s+|ska\s+)?(?:nås|uppnås)",
        r"(?:nått|uppnått)\s+(?:vårt\s+|sitt\s+)?kapacitetstak(?:et)?",
        r"(?:sänker|sänkt|sänka)\s+(?:vi\s+)?(?:vårt\s+)?kapacitetstak(?:et)?",
        r"inga\s+lediga\s+platser",
        r"(?:inga|inte\s+några|no)\s+(?:\w+\s+)?(?:platser|places)\s+(?:kvar|left)",
        r"inte\s+(?:några\s+)?lediga\s+platser",
        rf"kan\s+(?:vi\s+|ni\s+)?(?:inte|ej)\s+(?:längre\s+)?ta\s+emot\s+{_ANY_PEOPLE}",
        # "kan vi på Ankaret Hemtjänst tyvärr inte ta nya kunder": "emot" left out, words
        # between.
        rf"kan\s+(?:\S+\s+){{0,6}}?(?:inte|ej)\s+(?:längre\s+)?ta\s+(?:emot\s+)?{_ANY_PEOPLE}",
        rf"tar\s+(?:\S+\s+){{0,4}}?(?:inte|ej)\s+(?:längre\s+)?emot\s+{_ANY_PEOPLE}",
        r"fullbelag\w*",
        r"fullt\s+belag\w*",
        r"fullsatt\w*",
        r"fulltecknad\w*",
        # ("Nu är det tyvärr fullt igen från 1/3".)
        r"(?:är|e|ar|har|blir|blev)\s+(?:(?:nu|helt|tyvärr|redan|fortfarande|just\s+nu|vi|det)\s+)*"
        r"(?:fullt|fulla|full)"
        r"(?!\s+(?:möjligt|ut|rimligt|förståeligt|upp|av|fart|gång|kontroll|koll|förståelse"
        r"|kapacitet|tid|tjänst|lön|pott|pension"
        # "vi har full bemanning under jul": the staff, not the places.
        r"|bemanning|personal\w*|styrka|schema|kalender|almanack\w*|sysselsättning|beredskap"
        r"|förståelse|koll))",
        r"full\s+kapacitet",
        r"(?:fullt|fulla)\s+(?:fr\.?\s?o\.?\s?m|från|from|per)",
        r"(?:inte|ej)\s+(?:längre\s+)?(?:(?:bli|vara|förbli)\s+)?valbar\w*",
        r"(?:stänger|stängt)\s+för\s+(?:nya|fler|intag)\w*",
        # "Vi stänger därför Linnea Omsorg Hemtjänst Linnéstaden för nya kunder".
        r"(?:stänger|stängt|stängs)\s+(?:\S+\s+){1,6}?för\s+(?:nya|fler|intag)\w*",
        # "Vi stänger intaget från 1 december", "intaget stängs": no one new is taken in.
        r"(?:stänger|stängt|stänga|stängs|stängde|pausar)\s+(?:vi\s+)?(?:nu\s+)?"
        r"(?:intaget|intag|kön|inskrivning\w*|antagning\w*)(?![\wåäö])",
        r"(?:intaget|inskrivningen|antagningen)\s+(?:\S+\s+){0,5}?(?:är\s+|blir\s+)?"
        r"(?:stängt|stängd|stängs)",
        r"intagsstopp",
        # "har stopp för nya brukare", "inför stopp för nya kunder", "stop on new clients".
        rf"(?:stopp|stop|paus)\s+(?:för|på|on|for)\s+(?:intag\w*|{_NEW_PEOPLE})",
        r"(?:nått|uppnått)\s+(?:\w+\s+)?tak(?:et)?",
        r"(?:når|nå|reach(?:es)?)\s+(?:\w+\s+)?(?:kapacitetstak\w*|capacity\s+(?:ceiling|limit))",
        r"(?:is|are|has\s+been|have\s+been|was|were)\s+(?:now\s+|currently\s+|still\s+)?full",
        r"(?:at|reached)\s+(?:full\s+)?capacity",
        r"(?:reached|hit)\s+(?:our|its|the|their)\s+(?:capacity|maximum)(?:\s+(?:ceiling|limit))?",
        r"capacity\s+(?:ceiling|limit)\s+(?:(?:has\s+been|is|was)\s+)?reached",
        r"fully\s+booked",
        r"no\s+(?:free|available|vacant)\s+places",
        r"(?:cannot|can't|can\s+no\s+longer|no\s+longer)\s+(?:take|accept)\s+(?:any\s+)?new",
        r"not\s+(?:be\s+)?accepting\s+(?:any\s+)?new",
        r"paus(?:e|es|ed|ing)\s+(?:the\s+|our\s+|all\s+)?(?:intake|admissions?|referrals?)",
        r"pausar\s+(?:vi\s+)?(?:intaget|intag|inskrivning\w*)",
        # A subject "Fullt på Daglig verksamhet Kolonilotten från 1/12": the unit follows.
        r"fullt\s+(?:på|hos|i)(?=\s+(?-i:[A-ZÅÄÖ]))",
        # "Fullt hos oss fr.o.m. 14/12".
        r"(?:fullt|full|fulla)\s+hos\s+oss",
    ),
    "capacity_available": _cues(
        r"ledig\s+kapacitet",
        # Norwegian and Danish: "har igen ledige pladser", "kan ta imot nye brukere".
        r"ledige\s+(?:pladser|plasser)",
        r"(?:tage|ta)\s+imod\s+nye|ta\s+imot\s+nye",
        r"(?:places?|spots?|vacanc\w+)\s+(?:will\s+)?(?:become|are|is|be)\s+(?:free|available|vacant)",
        r"(?:free|available|vacant)\s+places?",
        r"lediga\s+platser",
        r"ledig\s+plats",
        # Written short: "Ledigt 2 pl fr 7/12", "2 lediga pl fr 14/12".
        r"ledig[at]?\s+(?:\d{1,2}\s+)?pl\.?(?![\wåäö])",
        # "Nu kan DV Lunden ta emot nya deltagare igen": the unit may stand between.
        rf"ta\s+emot\s+{_NEW_PEOPLE}",
        # "har vi därför plats för nya deltagare igen", "åter plats för nya".
        rf"(?:plats|platser|rum)\s+för\s+{_NEW_PEOPLE}",
        rf"tar\s+(?:(?!inte\b|ej\b|aldrig\b)\S+\s+){{0,2}}?emot\s+{_NEW_PEOPLE}",
        r"platser\s+lediga",
        # (not "platser kvar": places left under the ceiling are no change)
        # ("På X har en plats blivit ledig": the verb before the subject.)
        r"(?:platser|plats)\s+(?:\S+\s+){0,5}?(?:blir|är|har\s+blivit|blivit|blev|finns)\s+"
        r"(?:\w+\s+)?ledig\w*",
        r"(?:platser|plats)\s+(?:\S+\s+){0,5}?frigörs|frigörs\s+(?:\S+\s+){0,2}?plats\w*",
        r"vacanc(?:y|ies)",
        r"(?:take|accept|admit|welcome)\s+(?:any\s+|\w+\s+)?(?:new|more)\s+(?:clients|participants"
        r"|users|customers|people)",
        r"(?:intags)?stopp\w*\s+(?:\S+\s+){0,6}?(?:hävs|upphör|tas\s+bort|släpps)",
        # "Nu finns det plats igen", "kan inte erbjuda fler platser" (negated: full).
        r"(?:plats|platser)\s+igen",
        r"finns\s+(?:det\s+)?(?:(?!inte\b|ej\b)\w+\s+)?plats(?:er)?",
        r"erbjuda\s+(?:fler|nya|några|lediga)\s+platser",
        rf"kan\s+(?:vi\s+|ni\s+)?(?:åter\s+|igen\s+|nu\s+|återigen\s+)?ta\s+emot\s+{_NEW_PEOPLE}",
        rf"tar\s+(?:vi\s+)?(?:åter\s+|igen\s+|nu\s+|återigen\s+)?emot\s+{_NEW_PEOPLE}",
        r"valbar\w*\s+igen",
        r"åter\s+valbar\w*",
        r"öppnar\s+(?:upp\s+)?(?:igen\s+)?för\s+(?:nya|fler|intag)\w*",
        r"(?:höjer|höjt|höja|utökar|utökat|utöka|ökar|ökat)\s+(?:vi\s+)?(?:vårt\s+|sitt\s+)?"
        r"kapacitetstak(?:et)?",
        r"kapacitetstak(?:et)?(?:\s+\S+){0,6}?\s+är\s+(?:inte|ej)\s+längre\s+(?:nått|uppnått)",
        r"inte\s+längre\s+(?:fullbelag\w*|fullt|fullsatt\w*)",
        r"(?:free|available|vacant)\s+(?:capacity|places)",
        r"can\s+(?:again\s+|now\s+)?(?:take|accept)\s+new",
        r"accepting\s+new",
    ),
    "update_details": _cues(
        r"nya?\s+(?:enhets|verksamhets|enh\.\s?|verks\.\s?)?chef(?:er|erna)?",
        # "blir Henrik Sjögren enhetschef för både X och Y", "två enhetschefer som delar på
        # uppdraget", "går åter in som enhetschef för X".
        r"blir\s+(?:[\wåäöÅÄÖ\-]+\s+){0,3}?(?:enhets|verksamhets)chef\s+(?:för|på|över)",
        r"(?:två|båda|gemensam|gemensamma|delad|delat)\s+(?:enhets|verksamhets)?chef\w*",
        r"delar\s+på\s+(?:uppdraget|chefskapet|chefsuppdraget|ansvaret)",
        r"(?:går\s+(?:åter\s+|tillbaka\s+)?in|återgår|kommer\s+tillbaka|är\s+tillbaka)\s+"
        r"(?:\S+\s+){0,2}?som\s+(?:ordinarie\s+)?(?:enhets|verksamhets)?chef",
        # The sender asks EKU to change what is published: "Kan ni byta länken i Jämför
        # service?", "Vänligen lägg till dessa språk i Jämför service".
        # (Asked of EKU: "vi skulle vilja byta bilderna i Serviceguiden. Är det ni som gör
        # det?" is the sender's own wish and question.)
        r"(?:(?:kan|kunde|skulle|vill)\s+ni\s+(?:\S+\s+)?|vänligen\s+|tacksam\s+om\s+ni\s+"
        r"(?:\S+\s+)?|snälla\s+)"
        r"(?:lägga|lägg|lägger|byta|byt|byter|ändra|ändrar|uppdatera|uppdaterar|rätta|rättar)"
        r"\s+(?:till\s+|in\s+)?(?:\S+\s+){0,6}?(?:i|på|bland)\s+(?:\S+\s+){0,2}?"
        r"(?:jämför\s+service|serviceguiden|enhetssidan)",
        # A detail said to change: "telefonnumret ändrades redan 1 oktober", "nya numret är".
        r"(?:telefonnumret|numret|adressen|besöksadressen|e-?postadressen|mejladressen"
        r"|webbadressen|hemsidan|öppettiderna)\s+(?:\S+\s+){0,2}?(?:ändrades|ändras|har\s+ändrats"
        r"|har\s+bytts|byts|byttes|byts\s+ut)",
        r"(?:nya|nytt)\s+(?:numret|telefonnumret|adressen|mejladressen|e-?postadressen)\s+(?:är|blir)",
        # A manager who leaves: "jag avslutar min anställning som enhetschef för X".
        r"(?:slutar|avslutar|lämnar)\s+(?:\S+\s+){0,3}?(?:som|tjänst\w*\s+som|anställning\w*\s+som)"
        r"\s+(?:\S+\s+)?(?:enhets|verksamhets)?chef",
        # Languages the unit offers: "kan erbjuda insatser på somaliska", "medarbetare som
        # talar persiska och dari".
        r"(?:erbjuda|erbjuder)\s+(?:\S+\s+){0,2}?(?:insatser|stöd|omsorg|service)\s+på\s+\w+ska",
        r"talar\s+(?:\w+ska|dari|tigrinja|somali|kurdiska|persiska|farsi|urdu|swahili)",
        # The company's name: "byter firmanamn till" (its units keep theirs).
        r"(?:byter|ändrar|nytt|ändrat)\s+(?:\S+\s+)?(?:firmanamn|företagsnamn|bolagsnamn)",
        # A stand-in is a change of manager for a while: "Lisa är vikarierande enhetschef".
        r"(?:vikarierande|vik\.|tillförordnad|t\.?\s?f\.?|tillfällig|ersättande|ställföreträdande"
        r"|biträdande)\s*(?:enhets|verksamhets|enh\.\s?)?chef",
        r"(?:vikarie|ersättare)\s+för\s+(?:enhets|verksamhets)?chef\w*",
        r"vikarier(?:ar|ade|a)\s+(?:\S+\s+){0,2}?(?:som\s+)?(?:enhets|verksamhets)?chef\w*",
        r"(?:är|blir)\s+(?:\S+\s+){0,2}?(?:vikarie|ersättare)\s+(?:för|som)",
        r"(?:acting|interim|stand-in|temporary|deputy)\s+(?:unit\s+)?manager",
        r"nytt\s+(?:telefonnummer|nummer|telefon)",
        r"nya?\s+(?:telefon|tel\.?|adress|besöksadress|postadress|e-?postadress|e-?post"
        r"|webbadress|hemsida|kontaktperson|lokal(?:er)?|inriktning|språk)",
        r"ny\s+beskrivning",
        # "följande enheter får nya ekonomiska ansvarskoder", "byter ansvarskod".
        r"(?:får|fått|tilldelas|tilldelats)\s+(?:\S+\s+){0,6}?(?:ny|nya|nytt)\s+"
        r"(?:ekonomisk\w*\s+)?ansvarskod\w*",
        r"(?:byter|ändrar|ändrad|ändrade|ändrat)\s+(?:\S+\s+){0,2}?(?:ekonomisk\w*\s+)?ansvarskod",
        r"ansvarskod\w*\s+(?:\S+\s+){0,2}?(?:ändras|byts|ändrades|byttes)",
        # "Från 8 november nås Hemtjänst Tynnered på 031-365 52 80": a new way to reach it.
        r"nås\s+(?:\S+\s+){0,4}?(?:på|via)(?=\s+(?:\+?\d|[\w.\-]+@))",
        r"(?:can\s+be\s+)?reached\s+(?:\S+\s+){0,3}?(?:at|on|via)(?=\s+(?:\+?\d|[\w.\-]+@))",
        # Any contact detail said to be new or changed: "ny växel", "ändrad e-post",
        # "en ny funktionsbrevlåda", "uppdaterade kontaktuppgifter".
        # ("Vi skickar ett nytt mejl när beslutet är fattat": another message.)
        r"(?!(?:nytt|nya)\s+(?:mejl|mail|e-?mail)(?![\wåäö\-]))"
        r"(?:ny|nya|nytt|ändrad|ändrat|ändrade|uppdaterad|uppdaterat|uppdaterade)\s+"
        r"(?:[\wåäö]+-?)?(?:nummer|nr|telefon\w*|tel\.?(?:nr)?|växel\w*|adress\w*|e-?post\w*"
        r"|mejl\w*|mail\w*|brevlåd\w*|hemsida|webbadress|kontaktuppgift\w*|öppettid\w*)",
        r"(?:new|changed|updated)\s+(?:e-?mail(?:\s+address)?|phone(?:\s+number)?|number"
        r"|address|contact\s+details|switchboard|opening\s+hours)",
        r"(?:nya|ändrade|förändrade)\s+öppettider",
        r"öppettiderna\s+(?:ändras|förändras)",
        r"ändrade?\s+(?:kontaktuppgifter|uppgifter|adress|telefonnummer|inriktning)",
        r"särskild\s+kompetens",
        r"särskilda\s+kompetenser",
        r"special(?:ist)?\s+(?:competenc\w+|expertise|skills?|knowledge)",
        # To a place, not to a date ("starten flyttas till den 1 september").
        # A date may stand between: "flyttar den 1 april till Kärravägen 4".
        r"(?:flyttar|flytta|flyttade|flyttat|flyttas)\s+"
        r"(?:(?:den\s+)?\d{1,2}(?:/\d{1,2}|\s+[a-zåäö]+)\s+|\w+\s+){0,2}till(?!\s+(?:den\s+)?\d)",
        r"byter\s+(?:till\s+)?(?:nya\s+)?lokal(?:er)?",
        # "byter telefonnummer", "byter enheten mejladress": a contact detail changes.
        r"byter\s+(?:\S+\s+){0,3}?(?:telefon\w*|(?!org)\w*nummer|\w*adress\w*|e-?post\w*|mejl\w*"
        r"|mail\w*|växel\w*|öppettid\w*|kontaktuppgift\w*|hemsida|brevlåd\w*)",
        r"changes?\s+(?:its\s+|their\s+|our\s+)?(?:phone\s+number|number|address|e-?mail"
        r"|switchboard|opening\s+hours)",
        # "Johan Mattsson har tagit över som enhetschef", "gick in som ny chef".
        r"(?:(?:tar|tagit|tog)\s+(?:\S+\s+){0,3}?över|tillträder|tillträtt|tillträdde|börjar"
        r"|börjat|började|(?:går|gått|gick|kliver|klivit|klev)\s+in)\s+(?:\S+\s+){0,3}?som\s+"
        r"(?:ny\s+)?(?:enhets|verksamhets)?chef",
        r"(?:takes?|taking|took|will\s+take|(?:has|have)\s+taken)\s+over\s+as\s+(?:the\s+)?(?:new\s+)?"
        r"(?:unit\s+)?manager",
        r"är\s+det\s+\S+(?:\s+\S+)?\s+som\s+är\s+(?:\S+\s+)?(?:enhets|verksamhets)?chef",
        # "Sedan 1 mars är jag enhetschef ... efter Roger Dahl": a manager who took over.
        r"(?:sedan|från|fr\.?\s?o\.?\s?m\.?|per)\s+(?:(?:den\s+)?\d{1,2}(?:/\d{1,2}|\s+\w+)"
        r"|i\s+\w+dags|i\s?går|i\s?dag|i\s?morgon)\s+(?:är|blir)"
        r"\s+(?:\S+\s+){0,5}?(?:enhets|verksamhets)?chef",
        r"(?:enhets|verksamhets)?chef\s+(?:\S+\s+){0,4}?efter\s+(?!semester|sommar|jul|påsk|lov|att|det|den|kl|v\.|vecka|\d)"
        r"(?=[A-ZÅÄÖ])",
        r"(?:ny|nya|uppdaterad|ändrad|omskriven)\s+(?:text|presentation\w*|presentationstext)",
        r"(?:skrivit|skriver)\s+om\s+(?:\w+\s+)?(?:presentation\w*|beskrivning\w*|text\w*)",
        r"ändring\s+av\s+(?:kontaktuppgifter|uppgifter|beskrivning\w*|adress)",
        r"(?:(?:ändra|uppdatera)r?t?|byta|byter)\s+(?:\w+\s+){0,3}(?:beskrivning\w*|kontaktuppgift\w*"
        r"|uppgift\w*|information\w*|adress\w*|telefonnummer\w*|öppettider)",
        r"nya?\s+(?:kontaktuppgifter|växelnummer|mobilnummer|mejladress|mailadress|e-mailadress)",
        # "Vi vill att beskrivningen i Jämför service ändras från och med 1 november".
        r"(?:beskrivningen|presentationen|kontaktuppgifterna|öppettiderna)\s+(?:\S+\s+){0,8}?"
        r"(?:ändras|uppdateras|byts\s+ut|bytas\s+ut|ska\s+ändras)",
        # "We would like to update the description of X in Jämför service".
        r"(?:update|change|correct|replace)[sd]?\s+(?:\w+\s+){0,2}?(?:description|contact\s+details"
        r"|details|information|opening\s+hours|phone\s+number|address|text)",
        r"new\s+(?:unit\s+)?(?:manager|phone(?:\s+number)?|address|e-?mail|description|premises"
        r"|web\s*site|web\s+address|homepage|languages?)",
        # "talar personalen följande språk", "speaks the following languages": the
        # languages a unit offers (form.md's `sprak`).
        r"talar\s+(?:\S+\s+){0,6}?(?:följande\s+)?språk(?:en)?",
        r"(?:följande|fler|flera\s+nya)\s+språk",
        # "Kan ni lägga till det under språk", "att språken läggs till", "uppdatering språk".
        r"(?:lägga|lägg|lägger)\s+till\s+(?:\S+\s+){0,6}?(?:under\s+)?språk\w*",
        r"språk\w*\s+(?:\S+\s+){0,3}?(?:läggs|ska\s+läggas)\s+till",
        r"(?:uppdatering|ändring|tillägg)\s+(?:av\s+)?språk\w*",
        r"speaks?\s+(?:\S+\s+){0,4}?(?:following\s+)?languages",
        r"changed?\s+(?:contact\s+details|address|phone(?:\s+number)?|opening\s+hours)",
        r"mov(?:es|ing)\s+to",
    ),
    "onboarding": _cues(
        r"försäkringsbrev\w*",
        r"försäkringsintyg\w*",
        r"försäkringsbevis\w*",
        r"ansvarsförsäkring\w*",
        # Compounds also as a second language may split them: "IT kontakt person",
        # "uppstart mötet", "försäkrings brev".
        r"it[ -]?kontakt(?:[ -]?person)?\w*",
        r"mat[ -]?leverans\w*",
        r"leverans(?:er)?\s+av\s+(?:färdiglagad\s+|varm\s+|kyld\s+)?mat(?:lådor)?",
        r"mat[ -]?distribution\w*",
        r"uppstarts?[ -]?möte\w*",
        r"försäkrings[ -](?:brev|intyg|bevis)\w*",
        r"insurance\s+(?:letter|certificate)",
        r"it\s+contact(?:\s+person)?",
        r"start-?up\s+meeting",
        r"food\s+deliver(?:y|ies)",
    ),
}

# "startar", "öppnar" alone announce a new unit only with the unit beside them ("DV Kvarnen
# öppnar", "startar vi Daglig verksamhet Tornet"); "vi startar en väntelista" does not.
BARE_START = _cues(
    r"(?:kommer\s+att\s+|ska\s+|planerar\s+att\s+)?(?:starta|startar|öppna|öppnar|öppnas|startas)",
    # What has happened is still the change ("DV Trädgården öppnade den 3 april").
    r"(?:har\s+)?(?:startade|öppnade|startat|öppnat|startades|öppnades)",
    r"(?:has\s+)?(?:opened|started)",
    r"(?:will|shall)\s+(?:open|start|launch)|opens\s+on|starts\s+on|launch(?:es|ing)?",
)
BESIDE_BEFORE = re.compile(r"^[ \t,]*(?:(?:som|vi|nu|då|also|will|is|den|det)[ \t,]+){0,3}$", re.I)
BESIDE_AFTER = re.compile(
    r"^[ \t]*(?:(?:vi|nu|upp|också|även|äntligen|verksamheten|enheten|the|our|unit|i|istället"
    r"|stället|dessutom|sedan|sen|samtidigt|därefter|en|ny|ett|nytt|nya|instead|then|also|a"
    r"|new)[ \t]+){0,3}"
    r"[\"“”«']?$",
    re.IGNORECASE,
)

# Words that make a cue something else: a temporary or daily closing ("stänger kl 16",
# "stänger under julen"), an opening time ("öppnar kl 8"), a deadline ("sista dag att
# anmäla"), the end of one person's assignment ("insatsen avslutas").
FALSE_AFTER: dict[Kind, re.Pattern[str]] = {
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
        r"|to\b|by\b|at\s+\d|for\s+(?:applications|the\s+(?:summer|holidays?))"
        # Shut for a period: "stänger 24 december–6 januari", "stängt 1/7 till 31/7",
        # "stänger v. 28-31". An ending has a last day, not a period.
        r"|(?:(?:den|från|fr\.?\s?o\.?\s?m\.?|mellan|perioden|from|between)\s+)?\d{1,2}"
        r"(?:/\d{1,2}|\s+[a-zåäö]{3,}\.?)(?:\s+\d{4})?\s*(?:[-–—]|till|t\.?\s?o\.?\s?m\.?|to)\s*"
        r"(?:den\s+|the\s+)?\d{1,2}(?:/\d{1,2}|\s+[a-zåäö]{3,})"
        r"|(?:v\.?|vecka|veckorna|week|weeks)\s*\d{1,2}\s*(?:[-–—]|och|till|and|to)\s*\d{1,2}"
        # Shut for a while, not for good: "stängs för underhåll", "closed for maintenance".
        # "stänger intaget": the intake closes, not the unit (capacity_full).
        r"|(?:vi\s+)?(?:nu\s+)?(?:intaget|intag|kön|inskrivning\w*|antagning\w*)(?![\wåäö])"
        r"|(?:för|for)\s+(?:underhåll|service|reparation\w*|uppgradering\w*|renovering\w*"
        r"|sanering\w*|maintenance|repairs?|upgrades?|renovation)"
        # "avslutar hans insats", "stänger ärendet": a person's service or a matter ends.
        r"|(?:(?:en|ett|den|det|de|alla|samtliga|sin|sina|vår|vårt|våra|er|era|hans|hennes|hens"
        r"|deras|brukarens|kundens|deltagarens|our|the)\s+)?"
        r"(?:insats\w*|placering\w*|ärende\w*|anställning\w*|abonnemang\w*"
        r"|prenumeration\w*|samarbete\w*|kontakt\w*|beslut\w*"
        # "Vi stänger bokföringen den 15 december", "avsluta behörighet i Treserva": the
        # books, an account or a login close, not the unit.
        r"|bokföring\w*|bokslut\w*|räkenskap\w*|kassa\w*|faktur\w*|lön\w*|behörighet\w*"
        r"|konto\w*|inloggning\w*|användarkonto\w*|access|accounts?|books"
        r")(?![\wåäö])"
        # "we are closing our (Hisingen) office", "stänger vårt kontor på Backaplan": the
        # premises, not the unit.
        r"|(?:(?:vårt|våra|our|the)\s+)?(?:[A-ZÅÄÖ][\wåäö\-]*\s+)?(?:kontor(?:et|en)?|offices?)"
        r"(?![\wåäö])"
        r"|(?:hans|hennes|hens|deras|brukarens|kundens|deltagarens|his|her|their)(?![\wåäö])"
        # "Sista dagen i de gamla lokalerna är 8 januari": a move, not a closing.
        r"|(?:i|på|at|in)\s+(?:de|den|det|våra|vår|vårt|nuvarande|gamla|the|our|old)\s+"
        r"(?:\w+\s+)?(?:lokal\w*|adress\w*|hus\w*|byggnad\w*|premises|address|building))",
        re.IGNORECASE,
    ),
}
FALSE_BEFORE: dict[Kind, re.Pattern[str]] = {
    # A new unit as what someone chooses, finds or is offered ("alla kan välja en ny
    # verksamhet") is another provider's unit, not one that starts.
    "new_unit": re.compile(
        r"(?:välja|väljer|valt|valde|hitta|hittar|hittat|söka|söker|sökt|byta\s+till|bytt\s+till"
        r"|erbjuds|erbjudits|erbjudas|erbjuda|flytta\s+till|gå\s+till|börja\s+på|börjat\s+på"
        # "Nadia, som går över till vår nya enhet i Kortedala": where a person goes.
        r"|(?:går|gick|gått|flyttar|flyttade|flyttat)\s+(?:över\s+)?till|börjar\s+(?:\w+\s+)?på"
        r"|joins?|joined|transfers?\s+to|transferred\s+to|moves\s+to"
        r"|choose|chose|chosen|find|found|offered|move\s+to|moved\s+to)\s+(?:\w+\s+){0,2}$",
        re.IGNORECASE,
    ),
    # "Vi söker en ny enhetschef till DV Backa Verkstad": a post advertised, not filled.
    "update_details": re.compile(
        r"(?:söker|sökes|rekryterar|rekrytera|rekrytering\w*\s+av|annonserar\s+efter"
        r"|letar\s+efter|are\s+looking\s+for|looking\s+for|recruiting|hiring)\s+"
        r"(?:(?:nu|just\s+nu|en|ett|a|an)\s+){0,2}$",
        re.IGNORECASE,
    ),
    # "efter att ha varit fullbelagd" is the state that ends.
    "capacity_full": re.compile(r"(?:varit|tidigare|förut)\s+$", re.IGNORECASE),
    "close_unit": re.compile(
        r"(?:tillfällig\w*|sommar|jul|tidigt|tidigare|insatsen|insats|uppdraget|placeringen"
        r"|beslutet|anställningen|ärendet|mötet|projektet|samtalet|kön)\s+(?:\w+\s+)?$"
        # "Intaget till Daglig verksamhet Lyktan stängs": the intake (capacity_full).
        r"|(?:intaget|inskrivningen|antagningen)\s+(?:\S+\s+){0,5}?$",
        re.IGNORECASE,
    ),
}
FALSE_REACH = 40

# An indirect question: "vi vet inte vad enheten ska heta", "det är oklart när vi
# öppnar", "not sure when we will open" ask, they do not state.
INDIRECT_QUESTION = re.compile(
    rf"{_W}(?:vet\s+(?:ännu\s+|än\s+)?(?:inte|ej)|oklart|osäkert|undrar|inte\s+(?:bestämt|klart)"
    r"|not\s+sure|don'?t\s+know|do\s+not\s+know|unclear|wonder\w*)"
    r"\s+(?:\w+\s+)?(?:vad|hur|när|om|var|vilken|vilket|vilka|what|how|when|whether|if|which)"
    r"(?![\wåäö])[^.!?\n]*$",
    re.IGNORECASE,
)
# The sender takes back an earlier notice: "bortse från mitt mejl nedan", "stängningen
# blir inte av", "please disregard my previous email". The quote and the inherited
# subject then announce nothing.
WITHDRAWN = re.compile(
    rf"{_W}(?:(?:bortse\s+från|glöm|stryk|ignorera|strunta\s+i)\s+(?:\w+\s+){{0,2}}"
    r"(?:mejl\w*|mail\w*|meddelande\w*|besked\w*|brev\w*|info\w*|nedan|tidigare|föregående)"
    r"|(?:återkallar|dra(?:r)?\s+(?:vi\s+)?tillbaka|ställs\s+in|ställer\s+in|blir\s+inte\s+av"
    r"|(?:uppskjuten|uppskjutet|skjuts\s+upp|sköts\s+upp)\s+på\s+obestämd\s+tid"
    r"|postponed\s+indefinitely"
    r"|avbryts|är\s+upphävt|upphävs|gäller\s+inte\s+längre"
    # "Förvaltningsledningen har beslutat att inte genomföra sammanslagningen".
    r"|(?:inte|ej)\s+(?:att\s+)?genomför\w*|genomförs\s+(?:inte|ej))"
    r"|disregard|withdraw\w*|cancel(?:l?ed|s)?|called\s+off|no\s+longer\s+(?:applies|valid)"
    rf"){_E}",
    re.IGNORECASE,
)
# A negation in front of a cue ("kommer inte att starta", "inga lediga platser") or right
# after a verb cue ("vi stänger inte") turns it around or cancels it.
NEGATION_BEFORE = re.compile(
    r"(?:\binte|\bej|\bicke|\baldrig|\binga|\bingen|\binget|\bnot|\bno|\bnever|\bcannot|\bcan't|\bwon't|\bunable"
    # "kan varken ta emot nya på Tagene eller på Skogome", "can neither take".
    r"|\bvarken|\bneither"
    # Norwegian and Danish: "kan ikke ta imot nye".
    r"|\bikke|\bikkje"
    # "saknar ledig kapacitet", "lacks capacity": a verb that says there is none.
    r"|\bsaknar|\bsaknas|\blacks?|\black\s+of)"
    r"\s+(?:(?:att|längre|heller|ännu|alls|to|be|längre|några|någon|just|nu|för|tillfället|i"
    r"|dagsläget|tyvärr|har|haft|hade|kan|kunna|kunnat|ska|kommer|finns|fler|något|currently"
    r"|at|the|moment|any|more|longer|have|has|had|able|be|been|möjlighet|att|längre"
    # "har inte kapacitet att ta emot nya": what there is none of, before the cue.
    r"|kapacitet|kapaciteten|utrymme|resurser|plats|capacity|room|space"
    # "inga planer på att stänga eller slå samman": plans of none, and what they are of.
    r"|planer|plan|avsikt|på|plans|intention|of|[\wåäö]+\s+eller|[\wåäö]+\s+or"
    # "ingen grupp slås samman eller delas", "no unit will close".
    r"|grupp|gruppen|grupper|enhet|enheten|enheter|verksamhet|unit|units)\s+)*$",
    re.IGNORECASE,
)
NEGATION_AFTER = re.compile(
    r"^\s+(?:(?:vi|ni|den|de|det|enheten|verksamheten|ändå|likväl|dock|alltså|ju|nog|därför"
    r"|heller|trots\s+allt|after\s+all)\s+){0,2}(?:inte|ej|icke|aldrig|not)\b"
    r"(?!\s+(?:förrän|until))",
    re.IGNORECASE,
)
# A noun of change that will not come about: "någon sammanslagning blir det inte", "ett
# namnbyte sker inte".
NOT_COMING = re.compile(
    r"^\s+(?:blir|sker|kommer)\s+(?:det\s+)?(?:inte|ej|aldrig)(?:\s+(?:av|heller|alls|nu|i\s+år))*"
    r"\s*(?:[.,;!]|$)",
    re.IGNORECASE,
)
NEGATION_REACH = 30
# "Inte A utan B": the negation is of A (a date, a name), and B is what is said. "Vi
# stänger inte 31 december utan redan 30 april" closes; "utan att" (without) is no contrast.
CONTRAST = re.compile(
    rf"[ \t]*,?[ \t]*(?:{_W}utan{_E}(?![ \t]+att{_E})|{_W}but[ \t]+(?:on|from|in|at|by|to|already"
    rf"|rather|instead|as){_E})",
    re.IGNORECASE,
)
CONTRAST_REACH = 80
# A sentence that asks how, what, when or why: "Stämmer det att DV Ek stänger?" asks for a
# confirmation of a change, "Hur gör vi när vi ska starta en ny enhet?" about the process.
OPEN_QUESTION = re.compile(
    r"(?:^|(?<=[.!?:\n]))[ \t]*(?:(?:och|men|samt|även|dessutom|and|but|also)\s+)?"
    r"(?:hur|vad|vilken|vilket|vilka|varför|när|var|what|how|why|which"
    r"|when|where)(?![\wåäö])[^.!?\n]*\?",
    re.IGNORECASE,
)
# A question that asks whether something is so ("Hemtjänst Tynnered stänger?", "Stämmer
# det att DV Ek stänger?") announces nothing either; a request ("Kan ni uppdatera numret?")
# does.
YES_NO_QUESTION = re.compile(
    r"(?:^|(?<=[.!?:\n]))\s*+(?!(?:kan|kunde|skulle|vill|får|could|can|would|will|please)\s"
    r"+(?:ni|du|you|vi|we)\b)(?:[^.!?\n]|\n(?![ \t]*\n))*\?",
    re.IGNORECASE,
)
NEGATED_TO: dict[Kind, Kind | None] = {
    "capacity_available": "capacity_full",
    "capacity_full": None,
    "close_unit": None,
    "new_unit": None,
    "merge_units": None,
    "rename_unit": None,
}

AUTO_SUBJECT = re.compile(
    r"^(?:automatiskt?\s+svar|autosvar|automatisk\s+(?:svar|melding)|auto(?:matic)?[\s-]*reply"
    r"|auto(?:matic)?\s+response|fraværende|fravær|automaattinen\s+vastaus"
    r"|frånvaro\w*|frånvarande\s*:|ej\s+på\s+kontoret\s*:|out\s+of\s+(?:the\s+)?office|abwesenheit"
    r"|absence"
    r"|undeliverable|olevererbar\w*|ej\s+levererat|kan\s+inte\s+levereras"
    r"|det\s+gick\s+inte\s+att\s+leverera|leverans(?:en)?\s+misslyckades"
    r"|delivery\s+(?:status\s+notification|has\s+failed|failure|delayed)|mail\s+delivery\s+failed"
    r"|returned\s+mail|undelivered\s+mail|leveransrapport|levererat:|delivered:|relayed:"
    r"|läskvitto|read:|läst:|inte\s+läst:|not\s+read:)",
    re.IGNORECASE,
)
AUTO_BODY = re.compile(
    r"(?:jag\s+är\s+(?:på\s+semester|ledig|tjänstledig|föräldraledig|frånvarande|bortrest"
    r"|sjukskriven|på\s+tjänsteresa|inte\s+på\s+kontoret)"
    r"|är\s+(?:tillbaka|åter)\s+(?:den|på\s+kontoret|i\s+tjänst|igen)"
    r"|jag\s+har\s+slutat\s+(?:min\s+anställning|på|hos)"
    r"|I\s+am\s+(?:out\s+of\s+(?:the\s+)?office|on\s+(?:holiday|vacation|leave|annual\s+leave))"
    r"|I\s+will\s+be\s+back\s+on"
    # Norwegian and Danish: "Jeg er på reise og er tilbake på kontoret mandag".
    r"|jeg\s+er\s+(?:på\s+(?:reise|ferie|kurs)|bortreist|fraværende|ikke\s+på\s+kontoret)"
    r"|er\s+tilbake\s+(?:på\s+kontoret|igjen|den|mandag|tirsdag|onsdag|torsdag|fredag)"
    r")",
    re.IGNORECASE,
)
# A ticket system's receipt, wherever in the text: "##- Please type your reply above this
# line -##", "This is an automated response", "Your request (48213) has been received".
AUTO_RECEIPT = re.compile(
    r"(?:type\s+your\s+reply\s+above\s+this\s+line|this\s+is\s+an\s+automated\s+response"
    r"|your\s+(?:request|ticket|case)\s+\(?#?\d+\)?\s+has\s+been\s+(?:received|created)"
    r"|skriv\s+ditt\s+svar\s+ovanför\s+denna\s+rad|ditt\s+ärende\s+\(?#?\d+\)?\s+har\s+(?:tagits\s+emot"
    r"|registrerats))",
    re.IGNORECASE,
)
# Mail systems' own addresses: what they send is never a notice.
BOUNCE_SENDER = re.compile(
    r"^(?:mailer-daemon|postmaster|bounce[s]?)[@+.\-]",
    re.IGNORECASE,
)
# The city's own organisation above the units, which is merged without a unit changing:
# "Områdena Östra och Härlanda slås samman till ett område". Only for a merge: "förvaltningen
# utreder att lägga ned X" is who acts, not what closes.
ABOVE_UNITS = re.compile(
    rf"{_W}(?:områd\w*|stadsdel\w*|distrikt\w*|förvaltning\w*|sektor\w*|avdelning\w*)",
    re.IGNORECASE,
)


AUTOMATED_SENDER = re.compile(
    r"^(?:mailer-daemon|postmaster|no-?reply|do-?not-?reply|donotreply|bounce[s]?)[@+.\-]",
    re.IGNORECASE,
)


# Things a change can be said of that are not the unit: a phone number "stängs", the
# participants "har valt ny verksamhet", the sender's holiday. A cue whose subject is one of
# these says nothing about the unit (contract.md, "A change is said of a unit").
NOT_UNIT_SUBJECT = re.compile(
    rf"{_W}(?:"
    # ("direktnumren", "journummer": any number.)
    r"[\wåäö]*(?:nummer|numret|numren)|(?:telefon|växel|mobil|fax)?nr|telefon\w*|tel\.?|växel\w*"
    # "Gamla (031-365 44 90) stängs 31/12": the old one, said of the number before.
    r"|gamla|gamle"
    r"|mobil\w*|e-?post\w*|mejl\w*|mail\w*|brevlåd\w*|funktionsbrevlåd\w*|adress\w*"
    r"|hemsid\w*|webbsid\w*|sidan|kontor\w*|reception\w*|lokal\w*|linje\w*|arbetslag\w*"
    # Places and partners beside the unit: "caféet vi samarbetat med stänger".
    r"|café\w*|kafé\w*|restaurang\w*|matsal\w*|kök(?:et)?|butik\w*|affär(?:en)?|gym(?:met)?"
    r"|simhall\w*|bibliotek\w*|skola|skolan|förskola\w*|vårdcentral\w*|apotek\w*"
    r"|parkering\w*|byggnad\w*|fastighet\w*|leverantör\w*|samarbetspartner\w*"
    # Systems: "planeringsappen stängs", "den gamla inloggningssidan upphör".
    r"|(?:\w+s|mobil)?app(?:en|ar|arna)?|system(?:et)?|\w+systemet|inloggning\w*|\w+sidan"
    r"|portal\w*"
    r"|plattform\w*|programmet|servern|databasen|journalsystem\w*"
    r"|deltagar\w*|brukar\w*|kund(?:er|erna|en)?|användar\w*|personal\w*|medarbetar\w*|anhörig\w*"
    r"|insats\w*|beslut(?:et|en)?|ärend\w*|uppdrag\w*|placering\w*|anställning\w*|vikariat\w*"
    r"|förordnande\w*|tjänstgöring\w*|tjänstledighet\w*|föräldraledighet\w*"
    r"|kö|kön|väntelist\w*|projekt\w*|möte\w*|kurs\w*|utbildning\w*|anmälan|ansökan"
    r"|semester\w*|ledighet\w*|jag|mig|min|mitt|mina"
    r"|starten|öppningen|invigningen|datumet|tidpunkten|stängningen|flytten"
    r"|han|hon|hen|he|she|alla|samtliga|socialsekreterar\w*|handläggar\w*|god\s+man|gode\s+män"
    r"|number|phone|line|office|e-?mail|mailbox|website|web\s+site|site|domain|url|link"
    r"|address(?:es)?|page|participants?|clients?|users?"
    r"|customers?|staff|employees?|queue|waiting\s+list|meeting|course|holiday|vacation|me|my"
    r"|premises|building|caf[eé]|restaurant|canteen|kitchen|shop|store|gym|library|school"
    r"|parking|supplier|partner|app|application|system|platform|portal|login|software|server"
    rf"){_E}",
    re.IGNORECASE,
)
# A part of the unit as the subject of a change: "Grupp Blå inom DV Tornet avslutas",
# "Gruppen Snickeriet på DV Tallåsen är full", "kvällsverksamheten läggs ned". The unit goes
# on; whether the change is one for the systems is EKU's to judge.
PART_OF_UNIT = re.compile(
    rf"{_W}(?:grupp(?:en)?\s+(?-i:[A-ZÅÄÖ0-9])[\wåäö]*|(?-i:(?!hemtjänst|lednings|personal|arbets|styr|referens|mål|brukar|samverkans|projekt"
    r"|chefs|medarbetar|anhörig|förälder|föräldra)[a-zåäö]{3,}?gruppen)"
    # "Snickargruppen på Ringön läggs ned" at a sentence's start (not "Verkstadsgruppen
    # Hisings Backa", a brand).
    r"|(?-i:[A-ZÅÄÖ][a-zåäö]{2,}?gruppen)(?=\s+(?:på|inom|vid|hos)\s)"
    r"|(?:en|ett)\s+av\s+(?:våra|de|era)\s+grupper"
    # "en ny grupp för unga vuxna på DV Tornet": a group of a unit.
    r"|grupp(?:en)?(?=(?:\s+[\wåäö]+){0,6}?\s+(?:på|inom|vid|hos)\s)|avdelning(?:en)?\s+(?-i:[A-ZÅÄÖ0-9])"
    r"[\wåäö]*|kvällsverksamhet\w*|helgverksamhet\w*|kvällsgrupp\w*|helggrupp\w*"
    r"|inriktning(?:en)?|verksamhetsgren(?:en)?"
    # "en del av enheten"; not "som en del av omorganisationen".
    r"|(?:en|ett|den|det)\s+del(?:en)?\s+av(?!\s+(?:\w+\s+)?(?:omorganisation\w*|förändring\w*"
    r"|arbete\w*|satsning\w*|projekt\w*|beslut\w*|översyn\w*|planen|uppdrag\w*))"
    rf"|one\s+of\s+(?:our|the)\s+groups|the\s+(?:evening|weekend)\s+group){_E}",
    re.IGNORECASE,
)
# Words by which a sentence speaks of the unit without naming it ("enheten", "vi"); a unit
# name, the sender's company and the subject line do too.
# Definite: "en ny verksamhet" that participants choose is no particular unit.
UNIT_REFERENCE = re.compile(
    rf"{_W}(?:enheten|enheterna|verksamheten|verksamheterna|dagverksamheten|hemtjänsten"
    r"|hemtjänstgruppen|gruppen|grupperna|företaget|bolaget|vi|oss|vår|vårt|våra"
    rf"|(?:the|our)\s+(?:unit|service|company|team|site)|we|us|our){_E}",
    re.IGNORECASE,
)
# An answer that says yes makes the question it answers a statement ("Stämmer det att DV Ek
# stänger den 30 april?" - "Ja, det stämmer.").
AFFIRMATIVE = re.compile(
    r"^\W*(?:ja|japp|jo|jadå|yes|yep|correct|korrekt|precis|absolut|det\s+stämmer|stämmer"
    r"|that'?s\s+(?:right|correct))(?![\wåäö])",
    re.IGNORECASE,
)
# A reply that reports an order carried out: "Klart!", "Ändrat i Treserva – ...", "Done –
# the page title now reads ...". The first words of the new text, after any greeting.
RECEIPT = re.compile(
    r"^\W*(?:(?:hej|hi|hello|tjena|hejsan)\b[^\n]*\n+\W*)?"
    r"(?:klart|fixat|åtgärdat|utfört|ordnat|gjort|ändrat|uppdaterat|inlagt|registrerat"
    r"|done|fixed|completed|updated|changed)"
    r"(?:\s+(?:nu|now)\b)?(?:\s+(?:i|in)\s+[\wåäöÅÄÖ\- ]{2,40}?)?\s*(?:[!.,:;–—-]|$)",
    re.IGNORECASE,
)
# A system owner's report that an order is done, whatever it repeats of the order.
ORDER_DONE = re.compile(
    r"(?<![\wåäö])(?:(?:beställningen|ärendet|uppdraget|ordern|begäran)\s+(?:[A-Z]{2,6}\d{4,}\s+)?"
    r"(?:är\s+|har\s+)?(?:nu\s+)?(?:utförd|utfört|utförts|genomförd|genomfört|åtgärdad|åtgärdat"
    r"|klar|klart|löst|avslutad|avslutat|slutförd|slutfört|slutförts)|(?:the\s+)?(?:order|request|ticket)\s+(?:is|has\s+been)\s+"
    r"(?:now\s+)?(?:completed|done|resolved|closed))(?![\wåäö])",
    re.IGNORECASE,
)
# A change that is only supposed ("så snart vi har lediga platser igen", "if we become
# full") is no statement.
HYPOTHETICAL = re.compile(
    rf"{_W}(?:så\s+snart|så\s+fort|när|ifall|om(?!\s+att)|if|when|once|as\s+soon\s+as|whenever"
    r"|in\s+case|räknar\s+med\s+att|hoppas|tror|förhoppningsvis|troligen|kanske|eventuell[ta]?"
    r"|expects?\s+to|hopes?\s+to|hopefully|probably|perhaps|maybe)"
    r"\s+(?:[^\s,;:]+\s+){0,6}$",
    re.IGNORECASE,
)
# "Förslag på ny text: ...": the wording the sender proposes for a change of details asked
# for, not a change proposed.
PROPOSED_WORDING = re.compile(
    rf"{_W}(?:förslag(?:et)?|suggest(?:ed|ion\s+for\s+(?:a\s+)?)?|proposed)\s+(?:(?:på|till)\s+)?"
    r"(?:(?:en|ny|nya|nytt|uppdaterad|ändrad|new|updated)\s+)*(?:text|texter|formulering|lydelse"
    r"|beskrivning|presentation|rubrik|wording|description)(?![\wåäö])",
    re.IGNORECASE,
)
# A change that is being weighed, not decided: "förvaltningen utreder att lägga ned ...",
# "vi funderar på att starta ...". Such a cue is read, but never as a decided change.
TENTATIVE = re.compile(
    rf"{_W}(?:funderar|funderingar|överväger|utreder|utredning|undersöker|diskuterar|diskussion\w*"
    r"|tittar\s+på|ser\s+över|planer\s+på|förslag(?:et)?\s+(?:till\s+\w+\s+)?(?:om|att|på)"
    r"|möjligheten\s+att"
    # "Vi har pratat om att eventuellt ge enheten ett nytt namn", "kanske byter vi".
    # ("Som vi pratat om: X upphör" refers to a talk; "Lite sent kanske, men X byter namn"
    # hedges the lateness, not the change.)
    r"|(?:pratat|pratar)\s+om\s+att"
    # A plan that was: "Vi hade planerat att X skulle byta namn", "det var tänkt att".
    r"|hade\s+(?:\w+\s+)?(?:planerat|tänkt|räknat\s+med)|var\s+(?:planerat|tänkt)\s+att"
    # A wish: "Vi har länge drömt om att någon gång starta en ny enhet", "på sikt". (Not
    # "skulle vilja", "would like to": "Jag skulle vilja meddela att ..." is politeness.)
    r"|(?:drömt|drömmer|drömde)\s+om|drömmen\s+är|på\s+sikt|dream\w*\s+of|some\s+day"
    r"|(?:eventuellt|kanske|möjligen|möjligtvis)(?=[^.!?\n,;:]*$)"
    # ("As discussed in the management meeting, we have decided to close": a talk that was.)
    r"|consider\w*|thinking\s+(?:about|of)|looking\s+into|explor\w*|investigat\w*"
    r"|(?<!as\s)(?<!as\swe\s)discuss\w*"
    r"|propos\w*|föreslår|föreslås|föreslagit|om\s+allt\s+går\s+(?:enligt\s+plan|som\s+planerat)"
    r"|preliminär\w*|subject\s+to|pending)"
    r"(?:[^.!?\n]*)$",
    re.IGNORECASE,
)
# The sender says outright that the change is not decided yet.
_NOT_YET = r"(?:(?:ännu|än|helt|riktigt|formellt|slutgiltigt|alltså|fortfarande|således)\s+){0,2}"
_DECIDED = r"(?:beslutat|bestämt|klart|spikat|fastställt|avgjort)"
UNDECIDED = re.compile(
    rf"{_W}(?:(?:inget|ingenting)\s+är\s+{_NOT_YET}{_DECIDED}"
    rf"|det\s+är\s+{_NOT_YET}(?:inte|ej)\s+{_NOT_YET}{_DECIDED}"
    # "vi har inte bestämt något ännu", "vi har ännu inte beslutat".
    # (Not "vi har inte bestämt från vilket datum", "... lokal eller vem som blir chef":
    # a detail undecided leaves the change decided.)
    rf"|(?:har|hade)\s+{_NOT_YET}(?:inte|ej)\s+{_NOT_YET}(?:bestämt|beslutat)"
    r"(?:\s+(?:oss|något|ännu|än))*(?=\s*(?:[.,;!?]|$|\s(?:och|men)\s))"
    rf"|inget\s+(?:formellt\s+)?beslut\s+(?:är|har)\s+{_NOT_YET}(?:fattat|taget|tagits|fattats)"
    rf"|beslut(?:et)?\s+(?:är|har)\s+{_NOT_YET}(?:inte|ej)\s+{_NOT_YET}"
    r"(?:fattat|taget|tagits|fattats|klart)"
    r"|(?:när|innan|efter\s+att)\s+beslut(?:et)?\s+(?:är|har|blir)\s+(?:fattat|taget|tagits|fattats)"
    r"|(?:nothing|it)\s+(?:is|has\s+been)\s+(?:not\s+)?(?:yet\s+)?(?:decided|final|confirmed)"
    r"|no\s+decision|not\s+(?:yet\s+)?(?:been\s+)?decided"
    # "beslut väntas", "nämnden har inte fattat beslut ännu", "det är inte säkert att",
    # "ni behöver inte göra något i systemen ännu", "subject to approval".
    r"|beslut(?:et)?\s+väntas|inväntar\s+beslut|väntar\s+på\s+beslut"
    # "Vilken det blir avgörs på styrelsemötet den 14 december": which unit is still open.
    # (Not "Antalet platser ... det avgörs när lokalen är besiktigad": a detail.)
    r"|vilk(?:en|et|a)\s+(?:\S+\s+){0,4}?(?:avgörs|beslutas|bestäms|ska\s+avgöras"
    r"|kommer\s+att\s+avgöras)"
    r"|(?:inte|ej)\s+(?:har\s+)?(?:fattat|tagit)\s+(?:något\s+|ett\s+|sitt\s+)?beslut"
    r"|inte\s+säkert\s+att|behöver\s+inte\s+göra\s+(?:något|några\s+ändringar)\s+"
    r"(?:i\s+(?:systemen|era\s+system)\s+)?(?:ännu|än)|subject\s+to\s+(?:\w+\s+)?approval"
    r"|pending\s+(?:\w+\s+)?(?:approval|decision)|do\s+not\s+make\s+any\s+changes\s+yet)"
    rf"{_E}",
    re.IGNORECASE,
)
# What someone else says or what a system shows is no statement of the sender's: "jag har
# hört att DV Ek ska stänga", "en handläggare frågar om ...", "i Jämför service står de som
# ej valbara".
REPORTED = re.compile(
    rf"{_W}(?:har\s+hört|hört\s+att|fått\s+höra|fått\s+veta|ryktas|sägs|enligt(?!\s+(?:plan|planen|schema|beslut\w*|avtal\w*|tidplan\w*|rutin\w*|nedan|ovan|bifogad\w*|\w*möte\w*|uppstart\w*|överenskommelse\w*|önskemål|begäran|instruktion\w*|anvisning\w*"
    # "Enligt vad vi gick igenom på mötet", "enligt vår plan": the sender's own account.
    r"|(?:vad|det|som)\s+(?:vi|jag)|vår\w*|min\w*|mitt)\b)|frågar\s+(?:\w+\s+)?om"
    r"|undrar\s+(?:\w+\s+)?(?:om|över)|står\s+(?:\w+\s+){0,3}?som|(?:i|på)\s+jämför\s+service"
    # Another's words, passed on: "där säger de att de är fulla", "hon sa att", "they told us".
    r"|(?:läste|läst|såg|sett|hörde)\s+(?:\w+\s+){0,4}?att"
    # What the sender does not see shown: "jag ser inte våra nya öppettider än".
    r"|(?:ser|hittar|finner|ser\s+vi|hittar\s+vi)\s+(?:\w+\s+)?(?:inte|ej)"
    r"|(?:syns|visas|står)\s+(?:\w+\s+)?(?:inte|ej)"
    # "berättade verksamhetschefen på DV Ek att de ska stänga", "en brukare berättade för mig"
    r"|(?<!vi\s)(?<!jag\s)(?:berättade|nämnde|uppgav)\s+"
    r"(?:(?!kommer\b|ska\b|skall\b|har\b|vi\b)\S+\s+){0,8}?att"
    r"|(?:säger|sa|sade|berättade|uppgav|påstod|påstår)\s+(?:de|dom|han|hon|hen|man|personalen)"
    r"\s+(?:\w+\s+){0,3}?att|(?:de|dom|han|hon|hen|personalen)\s+(?:säger|sa|sade|berättade|uppgav"
    r"|påstår|påstod)\s+(?:\w+\s+)?att|(?:they|he|she)\s+(?:say|says|said|told\s+(?:me|us))"
    r"|(?:I|we)\s+(?:was|were|have\s+been)\s+told"
    # "Det har gått rykten om att X ska stänga", "det pratas om att", "spekulationer om".
    r"|rykte\w*|spekulation\w*|pratas\s+(?:\w+\s+){0,2}?om|skvaller\w*"
    r"|heard|rumou?r|according\s+to|asks?\s+(?:\w+\s+)?(?:whether|if)|wonder\w*\s+(?:whether|if))"
    r"(?:[^.!?\n]*)$",
    re.IGNORECASE,
)
# A preposition in front of a unit makes it an attribute of the thing before it: "numret
# till DV Ek stängs" is said of the number.
ATTRIBUTE_PREPOSITION = re.compile(
    # (Not across a verb: "börjar på måndag är Daglig verksamhet X fullbelagd".)
    r"(?<![\wåäö])(?:till|för|på|hos|vid|i|inom|från|av|of|for|at|to|in|from)\s+"
    r"(?:(?!(?:är|blir|har|kan|var|is|are|was|will)\s)\S+\s+){0,2}$",
    re.IGNORECASE,
)
# "Kan ta emot nya igen", "no longer full": the state said is a return, which outweighs
# the state it returns from ("efter att ha varit fullbelagda", "full until 1 March").
RESTORED = re.compile(
    rf"{_W}(?:igen|åter|återigen|inte\s+längre|ej\s+längre|again|once\s+more|no\s+longer"
    rf"|anymore|any\s+more){_E}",
    re.IGNORECASE,
)
BOUNDED_STATE = re.compile(
    rf"{_W}(?:till\s+och\s+med|t\.?\s?o\.?\s?m\.?|fram\s+till|tills|until|till|through)"
    r"\s+(?:den\s+|the\s+|och\s+med\s+)?(?:\d|v\.|vecka|week|jan|feb|mar|apr|maj|may|jun|jul"
    r"|aug|sep|okt|oct|nov|dec|årsskiftet|månadsskiftet|sommar|hösten|våren|end\s+of)"
    # "Vi tar alltså emot nya deltagare under hela december": a state that holds for a time.
    r"|under\s+(?:hela|resten\s+av)\s+(?:jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec|året"
    r"|hösten|våren|vintern|sommaren|veckan|månaden|perioden)",
    re.IGNORECASE,
)
# A period with its own start and end: "1–15 mars", "från 1 till 15 mars", "mellan den 1
# och 15 mars", "v. 10–12", "1 March to 15 March".
# A period named before: "... 1 mars – 30 april. Det innebär att vi är fullbelagda under den
# perioden", "under den tiden", "during that time".
_PERIOD_BEFORE = (
    r"(?:under|för|during|for)\s+(?:hela\s+)?(?:den|denna|den\s+här|that|this|the\s+same)\s+"
    r"(?:perioden|tiden|period|time)"
)
PERIOD_BEFORE = re.compile(rf"{_W}{_PERIOD_BEFORE}{_E}", re.IGNORECASE)
# Between a period's first and last day: "–", "till och med", "t.o.m. den".
_UNTIL = r"(?:[-–—]|\s(?:till(?:\s+och\s+med)?|t\.?\s?o\.?\s?m\.?|to|until)\s)\s*(?:den\s+|the\s+)?"
PERIOD = re.compile(
    # "1–15 mars", "28 juni till och med 15 augusti", "1/7 t.o.m. den 15/8".
    rf"(?<![\d\wåäö])\d{{1,2}}(?:\s*[a-zåäö]{{3,9}}\.?(?:\s+\d{{4}})?)?\s*{_UNTIL}\d{{1,2}}"
    r"\s*(?:jan|feb|mar|apr|maj|may|jun|jul|aug|sep|okt|oct|nov|dec)"
    rf"|(?<![\d\wåäö])\d{{1,2}}/\d{{1,2}}\s*{_UNTIL}\d{{1,2}}/\d{{1,2}}"
    r"|(?:mellan|between)\s+(?:den\s+|the\s+)?\d{1,2}\S*\s+(?:\S+\s+)?(?:och|and)\s+(?:den\s+|the\s+)?\d"
    r"|(?:v\.?|vecka|veckorna|week|weeks)\s*\d{1,2}\s*(?:[-–—]|t\.?\s?o\.?\s?m\.?|till|to)\s*"
    r"(?:v\.?\s*|vecka\s*|week\s*)?\d{1,2}"
    r"|(?:under|för)\s+perioden\s+\d|during\s+the\s+period"
    rf"|{_PERIOD_BEFORE}"
    # A holiday is a period too: "under jul- och nyårshelgerna", "over Christmas".
    r"|(?:under|över|during|over)\s+(?:hela\s+|the\s+)?(?:jul\w*|nyår\w*|helg\w*|sommar\w*"
    r"|påsk\w*|midsommar\w*|semester\w*|sportlov\w*|holidays|summer|christmas|easter)",
    re.IGNORECASE,
)
# A waiting list (seed 004): free places while it remains keep the unit not valbar.
QUEUE = re.compile(
    r"(?<![\wåäö])(?:kö|kön|köer|väntelista\w*|waiting\s+list|queue)(?![\wåäö])", re.IGNORECASE
)
# What a sentence's tense says about a date written without a year: what has happened
# takes the last such date, what will happen the next (contract.md).
PAST_TENSE = re.compile(
    # ("har igen lediga": "igen", "ingen" are no participles.)
    # (A name is no participle: "Från v 1 har Hemtjänst Biskopsgården en ny brevlåda".)
    rf"{_W}(?:(?:har|hade|has|had|have)\s+(?:\w+\s+){{0,2}}?(?!igen\b|ingen\b)"
    r"(?-i:(?![A-ZÅÄÖ][a-zåäö]))\w+(?:at|it|tt|ts|ats|its|ed|en|gt|pt|jort)"
    r"|startade|öppnade|stängde|stängdes|upphörde|avslutade|avslutades|lades|slogs|bytte"
    r"|blev|började|flyttade|tillträdde|tog\s+över|sedan(?=\s+(?:(?:mån|tis|ons|tors|fre|lör|sön)dag(?:en)?\s+)?(?:den\s+)?\d)|since|ago"
    r"|lade|lagt|tog|fick|drog|beslöt|gick\s+(?:ihop|samman|upp)"
    # "Sista dagen var fredag 13 november" ("var" is also where and each: only before a day).
    r"|var(?=\s+(?:den\s+)?(?:(?:mån|tis|ons|tors|fre|lör|sön)dag(?:en)?\s+(?:den\s+)?)?\d)"
    r"|started|opened|closed|merged|changed|became|moved|was|were|took\s+over"
    # A past participle used as an adjective ("får ändrade telefontider") is no past.
    rf"|(?<!får )(?<!fått )(?<!nya )(?<!med )(?<!de )\w{{3,}}ades?){_E}",
    re.IGNORECASE,
)
# What was decided to be done: "har beslutat att avveckla X den 31 december". The decision
# is past, what it decides may come or have come: the day nearest the mail is meant.
DECIDED_TO = re.compile(
    rf"{_W}(?:beslutat|beslutade|beslöt|bestämt|bestämde|decided|agreed)\s+(?:\w+\s+){{0,2}}?"
    r"(?:att|to)(?=\s+[a-zåäö]+(?:a|e)\s)",
    re.IGNORECASE,
)
FUTURE_TENSE = re.compile(
    rf"{_W}(?:kommer\s+att|ska|skall|planerar|will|shall|going\s+to|startar|öppnar|stänger|upphör"
    r"|avslutas|blir|byter|heter\s+från|opens|starts|closes"
    # A from-word points ahead only in front of a date ("Per Ek" is a name).
    r"|(?:from|från\s+och\s+med|från|fr\.?\s?o\.?\s?m\.?|per|as\s+of)(?=\s+(?:den\s+|the\s+)?(?:\d|v\.?\s*\d|vecka|week|jan|feb|mar"
    r"|apr|maj|may|jun|jul|aug|sep|okt|oct|nov|dec|måndag|tisdag|onsdag|torsdag|fredag|nästa|next"
    r"|årsskiftet|nyår|månadsskiftet|halvårsskiftet"
    # An ordinal in words before a month: "från och med första december" (not "från andra
    # enheter").
    r"|(?:först[ae]|andr[ae]|tredje|fjärde|femte|sjätte|sjunde|åttonde|nionde|tionde|elfte"
    r"|tolfte|\w+onde|tjugo\w+|trettio\w+)\s+(?:i\s+)?(?:jan|feb|mar|apr|maj|jun|jul|aug|sep"
    r"|okt|nov|dec|nästa)))"
    rf"){_E}",
    re.IGNORECASE,
)
