"""The day a change takes effect, as a reader picks it among the dates of a mail.

A date the new text ties to the change wins (a "from" word, the kind's cue or a date label
in its sentence); then the form's start date; then any other date of the new text; for
capacity said in the present, the message's own day; last a date the quoted thread ties
to the change. Words around a date can make it something else (an absence, an earlier
mail, a deadline), and the tense of its sentence decides the year of a date written
without one (contract.md, "How a message is read").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from parsers.classify import Classification, Cue, Kind, find_cues
from parsers.cues import CONTRAST, DECIDED_TO, FUTURE_TENSE, PAST_TENSE
from parsers.dates import (
    MONTH_WORDS,
    MONTHS,
    ORDINAL_DAYS,
    ORDINAL_WORDS,
    DateMention,
    find_dates,
    last_occurrence,
    parse_date,
)
from parsers.dates import Cue as DateCue
from parsers.sentences import Sentence, sentence_at, sentence_starts, sentences

__all__ = ["effective_date"]

_CAPACITY = frozenset({"capacity_full", "capacity_available"})
# Words just before a date that make it something other than the day of the change: an
# absence ("tillbaka 9 augusti", "ledig till 5 april"), an earlier mail, meeting or
# decision ("i mitt mail den 2 februari", "beslutade vi den 10 mars"), a deadline ("svara
# senast 15 mars"). They weigh against the date, not veto it: "vi stänger senast 30 juni"
# still names the last day.
_NOT_EFFECTIVE = re.compile(
    r"(?<![\wåäö])(?:"
    # A return ends an absence; the absence's own start ("semester v. 28-31") may well be
    # the day a stand-in takes over, and "ledig till 5 april" is an end by its "till".
    r"(?:tillbaka|åter|back|returning|return)"
    r"(?:[ \t]+(?:igen|till|på\s+kontoret|i\s+tjänst|on|from|mellan|från|om))?"
    r"|(?:skickat|skickade|skrev|sent|wrote|mail(?:et)?|mejl(?:et)?|brev(?:et)?|[\wåäö]*möte(?:t)?"
    r"|träff(?:en)?|samtal(?:et)?|pratade|talade|beslut(?:ade|et)?|beslöt|daterad|daterat"
    r"|undertecknad|signerad|ifylld|inkom|inkommit|meeting|letter|email|e-mail"
    # When a body decides, not when the change takes effect: "Nämnden behandlar ärendet
    # den 15 december", "sammanträder 3 februari", "the board decides on 15 December".
    r"|behandla\w*|sammanträd\w*|fattar|beslutar|decides?|considers?)"
    r"(?:[ \t]+(?:den|i|på|vi|jag|du|ni|som|med|av|oss|er|ert|ditt|mitt|vårt|vår|förra"
    r"|ärendet|frågan|förslaget|beslut|on\s+it|the\s+matter|the\s+proposal"
    r"|senaste|on|the|my|your|our|of|dated)){0,3}"
    r"|(?:senast|svara|svar|deadline|reply\s+by|respond\s+by|no\s+later\s+than)"
    r")[ \t,:]*$",
    re.IGNORECASE,
)
_NOT_EFFECTIVE_WEIGHT = 3
# "is at full capacity and will not be accepting new referrals until further notice": a
# state from now on, whatever the tense of its verb.
_UNTIL_NOTICE = re.compile(
    r"(?<![\wåäö])(?:tills\s+vidare|until\s+further\s+notice|for\s+the\s+time\s+being)",
    re.IGNORECASE,
)
_RETURN_AFTER = re.compile(
    r"[ \t,]*(?:är|blir|kommer|återvänder|återgår|will\s+be|is|I\s+am|I'm)\s+"
    r"(?:(?:jag|hon|han|hen|vi|[A-ZÅÄÖ][\wåäö]+|att|to|I)\s+){0,2}"
    r"(?:tillbaka|åter|back|return\w*)(?![\wåäö])"
    # "Från 7 januari gäller våra vanliga öppettider igen": the end of a changed period.
    r"|[ \t,]*(?:gäller|har\s+vi|är\s+det|återgår\s+vi\s+till)\s+(?:\S+\s+){0,2}?"
    r"(?:vanlig\w*|ordinarie|normal\w*)(?![\wåäö])",
    re.IGNORECASE,
)
# What the sent mail was about ("blanketten för vår nya enhet"): a cue in it is no change
# said of the date.
_TOPIC = re.compile(
    r"(?<![\wåäö])(?:för|om|till|av|på|med|angående|gällande|kring|about|for|on|of|regarding)"
    r"(?:\s+(?:vår|vårt|våra|er|ert|era|den|det|de|min|mitt|mina|our|the|a|an))?\s+$",
    re.IGNORECASE,
)
# A verb of sending or saying, a few words before a date it then owns ("skickade blanketten
# den 2 oktober", "försäkringsbrevet skickar jag separat i morgon").
_SENT_ON = re.compile(
    r"(?<![\wåäö])(?:skickade|skickat|skrev|skrivit|mejlade|mejlat|mailade|mailat|ringde|ringt"
    r"|skickar|skickas|mejlar|mailar|sends?|will\s+send"
    r"|sände|sänt|lämnade|lämnat|fyllde|fyllt|frågade|frågat|sent|wrote|emailed|mailed"
    r"|submitted|phoned)(?![\wåäö])",
    re.IGNORECASE,
)
_NEGATED_DATE = re.compile(
    r"(?<![\wåäö])(?:inte|ej|icke|not)(?:[ \t]+[\wåäö]+){0,3}[ \t,]*$",
    re.IGNORECASE,
)
# A contrast after the date, a few words on at most ("1 januari som planerat, utan ...",
# "31 december som vi skrev i september, utan ...": a relative clause of its own).
_CONTRAST_AFTER = re.compile(
    rf"(?:[ \t]+[\wåäö]+){{0,3}}?(?:[ \t]+som(?:[ \t]+[\wåäö]+){{1,6}}?)?{CONTRAST.pattern}",
    CONTRAST.flags,
)
# A label that says the date is the one that counts: "Startdatum: 1 maj", "Datum för
# stängning är 30 juni".
_DATE_LABEL = re.compile(
    r"(?<![\wåäö])(?:datum|startdatum|slutdatum|gäller|per|start(?:ar)?|sista\s+\w*dag(?:en)?|date)"
    # ("Sista dag | 2027-12-31": a table's row, as an HTML table is read.)
    r"(?:[ \t]+[\wåäö]+){0,3}?[ \t]*(?:är|blir|:|=|\|)?[ \t]*$",
    re.IGNORECASE,
)
_LAST_DAY_LABEL = re.compile(
    # ("Sista dag med insatser från gruppen är fredag 29 januari".)
    r"(?<![\wåäö])(?:sista\s+\w*dag(?:en)?|slutdatum|last\s+(?:\w+\s+)?day)"
    r"(?:[ \t]+[\wåäö]+){0,5}?[ \t]*(?:är|blir|blev|is|will\s+be|:|=|\|)?[ \t]*$",
    re.IGNORECASE,
)
# The label after the date: "senast fredagen den 20 oktober 2028, som blir sista dag".
_LAST_DAY_AFTER = re.compile(
    r"[ \t]*,?[ \t]*(?:som\s+)?(?:blir|är|will\s+be|is)\s+(?:den\s+|vår\s+|the\s+|our\s+)?"
    r"(?:sista\s+\w*dag(?:en)?|last\s+(?:\w+\s+)?day)",
    re.IGNORECASE,
)
_CONTEXT_REACH = 48
# A time too vague to be a day ("efter jul", "till påsk", "i januari", "after the summer"):
# a state said with it is not in the present, and its day is still to be asked for.
_VAGUE_TIME = re.compile(
    r"(?<![\wåäö])(?:efter|till|före|innan|inför|under|i|vid|from|after|before|in|until|by)\s+"
    r"(?:(?:the|nästa|kommande|next)\s+)?"
    r"(?:jul(?:en|helgen)?|nyår(?:et)?|påsk(?:en)?|midsommar(?:en)?|sommar(?:en)?|hösten|våren"
    r"|vintern|semester(?:n|perioden)?|helgerna|årsskiftet|christmas|easter|summer|autumn|spring"
    rf"|winter|new\s+year|{MONTH_WORDS})(?![\wåäö])",
    re.IGNORECASE,
)


def _vague_ahead(statement: str) -> bool:
    """A vague time the state is said for; not one of what has happened ("Sedan DV
    Hjällbo Ateljé slogs ihop med oss i oktober ... är vi nu fullbelagda")."""
    return any(
        not PAST_TENSE.search(statement, max(0, m.start() - _PAST_REACH), m.start())
        for m in _VAGUE_TIME.finditer(statement)
    )


_PAST_REACH = 60

# Dates written as words ("vid månadsskiftet", "med omedelbar verkan"), which dates.py
# leaves to the reader because they need the message's own date.
_RELATIVE = re.compile(
    r"(?<![\wåäö])(?:(?P<today>(?:från\s+och\s+med|fr\.?\s?o\.?\s?m\.?|från|from|as\s+of)\s+"
    r"(?:i\s?dag|today|nu|now)|med\s+omedelbar\s+verkan|omgående|omedelbart|med\s+en\s+gång"
    r"|(?:effective\s+)?immediately|with\s+immediate\s+effect)"
    # "efter årsskiftet" is some time after it: too vague to be a date.
    r"|(?P<month>(?:vid|från\s+och\s+med|fr\.?\s?o\.?\s?m\.?|från|per)\s+månadsskiftet)"
    r"(?:\s+(?P<m1>[a-zåäö]+)\s*[/–-]\s*(?P<m2>[a-zåäö]+))?"
    r"|(?P<year>(?:vid|från\s+och\s+med|fr\.?\s?o\.?\s?m\.?|från|per)\s+"
    r"(?:årsskiftet|nyår(?:et)?))"
    r"|(?P<half>(?:vid|från|per)\s+halvårsskiftet)"
    # "fredag nästa vecka", "på tisdag kommande vecka": that weekday of the next week.
    r"|(?:(?:på|från|fr\.?\s?o\.?\s?m\.?|från\s+och\s+med)\s+)?(?P<weekday_week>måndag|tisdag"
    r"|onsdag|torsdag|fredag|lördag|söndag)(?:en)?\s+(?:i\s+)?(?:nästa|kommande)\s+vecka"
    # "nästa måndag", "fr.o.m. måndag": the next such weekday after the message's day.
    r"|(?:(?P<from_day>från\s+och\s+med|fr\.?\s?o\.?\s?m\.?|från|from|per|starting)\s+"
    r"(?:nästa\s+|kommande\s+|på\s+|next\s+)?|(?:nästa|kommande|på|next|this\s+coming)\s+)"
    r"(?P<weekday>måndag|tisdag|onsdag"
    r"|torsdag|fredag|lördag|söndag|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    # "den 1 nästa månad", "den första i nästa månad", "the 1st of next month"
    rf"|(?:den\s+)?(?P<day_next>\d{{1,2}}|{ORDINAL_WORDS})(?::e|:a)?\s+(?:i\s+)?(?:nästa|kommande)"
    r"\s+månad"
    # "efter helgen", "after the weekend": the Monday after the coming weekend.
    r"|(?P<weekend>efter\s+(?:den\s+här\s+|denna\s+|kommande\s+)?helgen"
    r"|after\s+the\s+weekend)"
    # "fram till månadsskiftet": until the turn of the month (a closing's last day is the
    # day before it).
    r"|(?P<until_turn>(?:fram\s+)?till\s+(?:och\s+med\s+)?månadsskiftet)"
    # "idag är sista dagen"
    # (Not "(i dag hemtjanst@x.se)", "i dag 031-...": what the detail is now, not a day.)
    # (Nor "Idag heter den X och nya namnet blir Y", "heter i dag X": the name it has now.)
    r"|(?<!heter\s)(?P<plain_today>i\s?dag|today)(?!\s*:?\s*(?:[\w.\-]+@|\+?\d|www\.|https?:))"
    r"(?!\s+heter\b)"
    # "sedan i tisdags", "stängde i fredags": the last such weekday before the message.
    r"|i\s+(?P<past_weekday>måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag)s"
    # "stängde i går", "öppnar i morgon": a day counted from the message's own.
    r"|(?P<shift>i\s?förrgår|i\s?går|yesterday|i\s?morgon|imorron|tomorrow|i\s?övermorgon)"
    # "om två veckor", "in 14 days"
    r"|(?:om|in)\s+(?P<count>\d{1,2}|en|ett|två|tre|fyra|fem|sex|one|two|three|four|five|six)"
    r"\s+(?P<unit>dagar|dag|veckor|vecka|days|day|weeks|week)"
    # "den sista april": the month's last day.
    # "den sista april", "sista dagen i februari", "sista vardagen i februari" (a weekday).
    r"|(?:den\s+)?sista\s+(?:(?P<workday>vardagen|arbetsdagen|veckodagen)\s+i\s+|dagen\s+i\s+)?"
    r"(?P<last>januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november"
    r"|december)"
    # "den 1:a", "den 15:e": that day of this month, or of the next once it has passed.
    rf"|den\s+(?P<day_only>[1-3]?\d):[ae](?!\s+(?:{MONTH_WORDS}))"
    r")(?![\wåäö])",
    re.IGNORECASE,
)
_SHIFTS = {"iförrgår": -2, "igår": -1, "yesterday": -1, "imorgon": 1, "imorron": 1}
_SHIFTS |= {"tomorrow": 1, "iövermorgon": 2}
_SAYS_FROM = frozenset({"today", "month", "year", "half", "from_day", "weekend"})


def _groups(match: re.Match[str]) -> list[str]:
    return [name for name, value in match.groupdict().items() if value]


_WEEKDAY_NUMBERS = {
    name: number
    for number, names in enumerate(
        (
            ("måndag", "monday"),
            ("tisdag", "tuesday"),
            ("onsdag", "wednesday"),
            ("torsdag", "thursday"),
            ("fredag", "friday"),
            ("lördag", "saturday"),
            ("söndag", "sunday"),
        )
    )
    for name in names
}
_COUNTS = {"en": 1, "ett": 1, "one": 1, "två": 2, "two": 2, "tre": 3, "three": 3, "fyra": 4}
_COUNTS |= {"four": 4, "fem": 5, "five": 5, "sex": 6, "six": 6}


@dataclass(frozen=True, slots=True)
class _Scored:
    score: int
    distance: int
    mention: DateMention


_FORM_DATE_WRONG = re.compile(
    r"(?<![\wåäö])(?:start)?datum\w*\s+(?:\S+\s+){0,3}?(?:i|på)\s+blankett\w*\s+(?:\S+\s+){0,3}?"
    r"(?:stämmer\s+(?:inte|ej)|(?:inte|ej)\s+(?:längre\s+)?stämmer|är\s+fel|gäller\s+(?:inte|ej))"
    r"|blankett\w*\s+(?:\S+\s+){0,3}?(?:fel|gammalt|gamla)\s+(?:start)?datum",
    re.IGNORECASE,
)


def effective_date(
    classification: Classification,
    main: str,
    history: str,
    form_start: str | None,
    sent_on: dt.date | None,
    *,
    present: bool = True,
) -> tuple[dt.date | None, str | None]:
    """The date the change takes effect, with the words it was read from.

    ``present``: capacity said in the present takes the message's day when no date is
    written (off: only written dates count).

    ``main`` is the subject and the new text (``classification.cues`` index it),
    ``history`` the quoted thread, ``form_start`` the form's start date as written.

    In order: a date the new text ties to the change (a "from" word, a kind's cue or a
    date label in its clause), the form's start date, any other date of the new text, a
    date the quoted thread ties to the change.
    """
    main_cues = list(find_cues(main)) if classification.from_history else list(classification.cues)
    body_from = main.find("\n") + 1
    kind = classification.kind
    best = _best_date(main, main_cues, kind, sent_on, body_from=body_from)
    if best is not None and best.score > 0:
        return _last_day(kind, best.mention), best.mention.text
    if best is not None and best.score == 0 and _FORM_DATE_WRONG.search(main):
        # "Observera att datumet i blanketten inte längre stämmer: vi öppnar för val den 1
        # april 2027": the text corrects the form.
        return _last_day(kind, best.mention), best.mention.text
    if form_start:
        value = parse_date(form_start, sent_on)
        if value is not None:
            return value, f"blanketten: {form_start}"
    if best is not None and best.score == 0:
        return _last_day(kind, best.mention), best.mention.text
    if present and classification.kind in _CAPACITY and not classification.from_history:
        # "är fullbelagd tills vidare", "kan nu ta emot nya brukare": a state said in the
        # present takes effect the day it is said (contract.md).
        # The text's own sentence over the subject's heading: "Kan ta emot nya brukare
        # igen" over "... kommer att kunna ta emot nya brukare igen från mitten av december".
        said = [s for s in sentences(main) if _said_in(s, classification.cues)]
        in_body = [s for s in said if s.start >= body_from]
        statement = next((s.text for s in in_body or said), None)
        if (
            statement
            and (not FUTURE_TENSE.search(statement) or _UNTIL_NOTICE.search(statement))
            and not _vague_ahead(statement)
            and sent_on is not None
        ):
            return sent_on, statement.strip()[:120]
    if history:
        # Only the quote's own word for this change ties its date to it: "ert meddelande
        # om att X startar 2027-02-01" in our receipt is no date of a new manager.
        kind_cues = [c for c in find_cues(history) if c.kind == classification.kind]
        old = (
            _best_date(history, kind_cues, classification.kind, sent_on, body_from=0)
            if kind_cues
            else None
        )
        if old is not None and old.score >= 2:
            return _last_day(kind, old.mention), f"citerad text: {old.mention.text}"
    return None, None


# "vid månadsskiftet", "vid årsskiftet", "från halvårsskiftet": the turn of a period.
_TURN = re.compile(r"skifte|nyår", re.IGNORECASE)
_NOW = re.compile(r"i\s?dag|today|\bnu\b|\bnow\b|omedelbar|omgående|immediate", re.IGNORECASE)


def _last_day(kind: Kind, mention: DateMention) -> dt.date:
    """A closing's date is its last day (process.md: notice counts to the last day). "Upphör
    från och med den 1 februari" and "upphör vid månadsskiftet december/januari" name the
    first day of a month without the unit: the last is the day before. A day within a
    month ("stänger från och med 16 november", "säger upp avtalet från 31 maj") is read as
    written, and "med omedelbar verkan" and "från och med i dag" end it that day."""
    if kind != "close_unit":
        return mention.value
    first_of_month = mention.value.day == 1
    if first_of_month and (
        (mention.cue == "from" and not _NOW.search(mention.text)) or _TURN.search(mention.text)
    ):
        return mention.value - dt.timedelta(days=1)
    return mention.value


def _best_date(
    text: str, cues: list[Cue], kind: Kind, sent_on: dt.date | None, *, body_from: int
) -> _Scored | None:
    clauses = sentence_starts(text)
    best: _Scored | None = None
    mentions = _mentions(text, sent_on)
    # "rättelse: namnbytet gäller från 1 januari 2027, inte 1 december": the day the sender
    # corrects away is wrong wherever the mail says it.
    denied = {
        m.value
        for m in mentions
        if (
            _CORRECTED_AWAY.search(text, max(0, m.start - 16), m.start)
            and any(o.value != m.value and 0 <= m.start - o.end <= 24 for o in mentions)
        )
        # "Datumet 31 december gäller alltså inte längre, bortse från det."
        or (_NO_LONGER_HOLDS.match(text, m.end) and any(o.value != m.value for o in mentions))
    }
    for mention in mentions:
        if mention.value in denied:
            continue
        scored = _score(text, mention, cues, kind, clauses, body_from)
        if scored.score < 0:
            continue
        if best is None or _rank(scored) > _rank(best):
            best = scored
    return best


# "..., inte 1 december", "– och inte den 1 december", "not 1 December": the date after
# is the one taken back (a date right before it says what holds instead).
_CORRECTED_AWAY = re.compile(
    r"(?:[,;–—-]|\soch)\s*(?:alltså\s+)?(?:inte|ej|icke|not)\s+(?:den\s+|the\s+)?\Z",
    re.IGNORECASE,
)


# "mellan den 21 och 27 december": the second day ends the period.
_BETWEEN_END = re.compile(r"mellan\s+(?:den\s+)?[0-3]?\d\s+och\s+\Z", re.IGNORECASE)
_NO_LONGER_HOLDS = re.compile(
    r"[ \t]*(?:gäller|stämmer)\s+(?:alltså\s+|därför\s+|då\s+)?(?:inte|ej)(?:\s+längre)?(?![\wåäö])"
    r"|[ \t]*(?:är|var)\s+(?:alltså\s+)?fel(?![\wåäö])|[ \t]*utgår(?![\wåäö])"
    r"|[ \t]*(?:no\s+longer\s+applies|is\s+wrong|does\s+not\s+apply)",
    re.IGNORECASE,
)


_RANGE_END = re.compile(
    # On one line: "031-20 30 40.\n- Från den 14 december" is a list, not a range.
    rf"(?:\d|(?<![\wåäö])(?:{MONTH_WORDS}))\.?[ \t]*(?:[-–—]|[ \t](?:till|to|until)[ \t])[ \t]*\Z",
    re.IGNORECASE,
)


# A date that is moved: "starten flyttas från 1 februari till 1 mars", "vi har skjutit upp
# stängningen från 31 januari till 28 februari", "postponed from 1 March to 1 April". The
# date after "till" is the change's new day; the one after "från" is the day it no longer
# has, not the start of a period.
_MOVED = re.compile(
    r"(?<![\wåäö])(?:skjut\w*|sköts|senarelägg\w*|senarelagts?|tidigarelägg\w*"
    r"|tidigarelagts?|framflytta\w*|flytta\w*[ \t]+(?:fram|bak)|postpone\w*|delayed?|rescheduled?|pushed\s+back"
    r"|brought\s+forward)(?![\wåäö])",
    re.IGNORECASE,
)
# "flyttas" and "ändras" move a date only when a day or an event is what they move
# ("starten flyttas från ..."); "Hemtjänst Gårda flyttar från 1 december till 31 januari"
# is a period spent elsewhere.
_MOVED_IF_TIME = re.compile(
    r"(?<![\wåäö])(?:(?:start\w*|datum\w*|dag(?:en)?|stängning\w*|öppning\w*|nedläggning\w*"
    r"|avveckling\w*|namnbyte\w*|sammanslagning\w*|övergång\w*|date|start|opening|closure"
    r"|closing|merger)[ \t]+(?:[\wåäö]+[ \t]+){0,4}?(?:flytta\w*|ändra\w*|moved?|changed?)"
    r"|(?:flytta\w*|ändra\w*|moved?|changed?)[ \t]+(?:[\wåäö]+[ \t]+){0,3}?"
    r"(?:start\w*|datum\w*|dag(?:en)?|öppning\w*|stängning\w*|nedläggning\w*|namnbyte\w*"
    r"|date|the\s+(?:start|opening|closure)))(?![\wåäö])",
    re.IGNORECASE,
)
_TO_DATE = re.compile(r"[ \t]*(?:till|to|until)[ \t]+(?:(?:den|the)[ \t]+)?\d", re.IGNORECASE)
_FROM_DATE = re.compile(
    r"(?<![\wåäö])(?:från|from)[ \t]+(?:(?:den|the)[ \t]+)?[^,.;\n]{1,30}$", re.IGNORECASE
)


def _moved(text: str, mention: DateMention, clause_start: int) -> str | None:
    """ "old" or "new" when the mention is one end of a date moved "från X till Y"."""
    if not (
        _MOVED.search(text, clause_start, mention.start)
        or _MOVED_IF_TIME.search(text, clause_start, mention.start)
    ):
        return None
    if mention.cue == "from" and _TO_DATE.match(text, mention.end):
        return "old"
    before = text[max(clause_start, mention.start - 40) : mention.start]
    if _RANGE_END.search(before) and _FROM_DATE.search(before):
        return "new"
    return None


def _rank(scored: _Scored) -> tuple[int, bool, int]:
    """Higher is better: the score, then a date in figures over one in words ("upphör vid
    årsskiftet; sista verksamhetsdag är 2027-12-31"), then the nearer to its cue."""
    explicit = any(ch.isdigit() for ch in scored.mention.text)
    return (scored.score, explicit, -scored.distance)


def _score(
    text: str,
    mention: DateMention,
    cues: list[Cue],
    kind: Kind,
    clauses: list[int],
    body_from: int,
) -> _Scored:
    clause_start = max((s for s in clauses if s <= mention.start), default=0)
    clause_end = min((s for s in clauses if s > mention.start), default=len(text))
    before = text[max(clause_start, mention.start - _CONTEXT_REACH) : mention.start]
    score = -_NOT_EFFECTIVE_WEIGHT if _NOT_EFFECTIVE.search(before) else 0
    if _RETURN_AFTER.match(text, mention.end, clause_end):
        # "Från 1 april är jag tillbaka som ordinarie chef": the end of a stand-in's period,
        # the day of the change only when the mail gives no other.
        score -= 2 * _NOT_EFFECTIVE_WEIGHT
    moved = _moved(text, mention, clause_start)
    if moved == "old":
        return _Scored(-1, 0, mention)
    if moved == "new":
        near = [c for c in cues if c.kind == kind] or cues
        distance = min((_gap(c, mention) for c in near), default=len(text))
        return _Scored(score + 5, distance, mention)
    if _NEGATED_DATE.search(before) and _CONTRAST_AFTER.match(text, mention.end):
        # "startar inte den 1 januari utan den 1 mars": the first date is the one denied.
        return _Scored(-1, 0, mention)
    if _RANGE_END.search(text, max(0, mention.start - 16), mention.start) or _BETWEEN_END.search(
        text, max(0, mention.start - 24), mention.start
    ):
        # "1 november–30 april": the second date ends the period the first begins.
        return _Scored(-1, 0, mention)
    if _NOW_IN_REASON.fullmatch(mention.text) and _in_reason(text, mention, cues):
        # "byter namn ..., eftersom caféet i dag är den största delen": how things are now,
        # the reason for the change, not its day.
        return _Scored(-1, 0, mention)
    if mention.cue == "from":
        # A date in figures is more exact than one in words ("efter nyår ... från v. 3").
        score += 3 if any(ch.isdigit() for ch in mention.text) else 2
    elif mention.cue == "until":
        # "t.o.m. 30 juni" is the last day of a closing unit; of anything else it is the day
        # the change ends ("fullt t.o.m. 30 juni"), never the day it takes effect.
        if kind != "close_unit":
            return _Scored(-1, 0, mention)
        score += 2
    if kind == "close_unit" and (
        _LAST_DAY_LABEL.search(before) or _LAST_DAY_AFTER.match(text, mention.end)
    ):
        # "Sista dag är 29 januari" names the very date a closing is read as; it wins
        # over a "från och med" that only implies it.
        score += 6
    elif _DATE_LABEL.search(before):
        score += 2
    in_clause = [c for c in cues if clause_start <= c.start < clause_end]
    said = next(reversed(list(_SENT_ON.finditer(text, clause_start, mention.start))), None)
    if (
        said is not None
        and not _CLAUSE_BOUNDARY.search(text, said.end(), mention.start)
        and not any(
            said.end() <= c.start < mention.start and not _TOPIC.search(text, said.end(), c.start)
            for c in in_clause
        )
    ):
        # "Jag skickade blanketten för vår nya enhet redan den 2 oktober": the day a mail
        # was sent or a call made, with no change said between the verb and the date.
        score -= _NOT_EFFECTIVE_WEIGHT
    nearest = _owner(text, mention, in_clause)
    if nearest is not None:
        score += 2 if nearest.kind == kind else 1
        if nearest.kind != kind and any(c.kind == kind for c in cues):
            # Said with another change of the mail ("från 16 mars tar vi emot igen" beside
            # "inte ta emot nya 1–15 mars"): that change's date, not this one's.
            score = min(score, 1)
    if mention.start >= body_from and score > 0:
        score += 1  # the body is written with more care than the subject
    near = [c for c in cues if c.kind == kind] or cues
    distance = min((_gap(c, mention) for c in near), default=len(text))
    return _Scored(score, distance, mention)


_NOW_IN_REASON = re.compile(r"i\s?dag|today", re.IGNORECASE)
_REASON = re.compile(
    r"(?<![\wåäö])(?:eftersom|därför\s+att|för\s+att|då|som|because|since|as)\s", re.IGNORECASE
)


def _in_reason(text: str, mention: DateMention, cues: list[Cue]) -> bool:
    """The mention stands in a clause of reason or description after its change's cue, in
    the same sentence."""
    before = [c for c in cues if c.end <= mention.start]
    if not before:
        return False
    cue = max(before, key=lambda c: c.end)
    between = text[cue.end : mention.start]
    return not re.search(r"[.!?\n]", between) and bool(_REASON.search(between))


def _owner(text: str, mention: DateMention, cues: list[Cue]) -> Cue | None:
    """The cue a date is said with: the verb right after it ("den 1 maj öppnar DV B"),
    else the nearest one before it ("DV A stänger 30 april och öppnar i stället DV B den
    1 maj": the first date is the closing's, the second the start's), else the nearest."""
    following = [
        c for c in cues if c.start >= mention.end and not text[mention.end : c.start].strip()
    ]
    if following:
        return following[0]
    preceding = [c for c in cues if c.end <= mention.start]
    return min(preceding or cues, key=lambda c: _gap(c, mention), default=None)


def _gap(cue: Cue, mention: DateMention) -> int:
    return max(0, mention.start - cue.end, cue.start - mention.end)


def _mentions(text: str, sent_on: dt.date | None) -> list[DateMention]:
    """The dates in the text, those written in words included."""
    if sent_on is not None:
        mentions = find_dates(text, sent_on)
    else:
        # Without the message's date a date with no year cannot be placed (contract.md):
        # keep only the dates that read the same whatever "today" is.
        early = find_dates(text, dt.date(2000, 1, 1))
        late = {(m.start, m.value) for m in find_dates(text, dt.date(2003, 7, 1))}
        mentions = [m for m in early if (m.start, m.value) in late]
    if sent_on is not None:
        taken = [(m.start, m.end) for m in mentions]
        for match in _RELATIVE.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            value = _relative_value(match, sent_on)
            if value is not None:
                # "från och med i dag", "vid årsskiftet" say when; "nästa måndag" only names a day.
                groups = set(_groups(match))
                cue: DateCue | None = "from" if _SAYS_FROM & groups else None
                mentions.append(
                    DateMention(
                        value,
                        match.start(),
                        match.end(),
                        match.group(0),
                        cue,
                        # ("upphörde vid årsskiftet", written 8 January: the turn just
                        # gone; the tense decides, as for a date without a year.)
                        yearless=bool(groups & {"last", "year", "month", "half"}),
                    )
                )
        mentions.sort(key=lambda m: m.start)
        mentions = _days_after(text, mentions)
        # The year of a date written without one follows the tense of its clause.
        found = sentences(text)
        for i, mention in enumerate(mentions):
            sentence = sentence_at(found, mention.start) if mention.yearless else None
            if sentence is None:
                continue
            clause = _tense_clause(text, sentence, mention)
            if DECIDED_TO.search(clause) and not FUTURE_TENSE.search(clause):
                # "har beslutat att avveckla X den 31 december": the day nearest the mail.
                last = last_occurrence(mention, sent_on)
                if mention.value is not None and (sent_on - last) < (mention.value - sent_on):
                    mentions[i] = replace(mention, value=last)
            elif _past(clause):
                mentions[i] = replace(mention, value=last_occurrence(mention, sent_on))
    return mentions


# "det nya namnet gäller från dagen efter" a date said before it: that date's next day.
_DAY_AFTER = re.compile(
    r"(?<![\wåäö])(?P<from>(?:från(?:\s+och\s+med)?|fr\.?\s?o\.?\s?m\.?|from|as\s+of|on)\s+)?"
    r"(?:dagen\s+(?:efter|därpå|därefter)|the\s+(?:day\s+after|following\s+day))(?![\wåäö])",
    re.IGNORECASE,
)
_DAY_AFTER_REACH = 200


def _days_after(text: str, mentions: list[DateMention]) -> list[DateMention]:
    found = list(mentions)
    for match in _DAY_AFTER.finditer(text):
        anchor = next(
            (
                m
                for m in reversed(mentions)
                if m.end <= match.start() and match.start() - m.end <= _DAY_AFTER_REACH
            ),
            None,
        )
        if anchor is None or any(m.start <= match.start() < m.end for m in mentions):
            continue
        found.append(
            DateMention(
                anchor.value + dt.timedelta(days=1),
                match.start(),
                match.end(),
                match.group(0),
                "from" if match.group("from") else None,
                yearless=anchor.yearless,
            )
        )
    return sorted(found, key=lambda m: m.start)


# (A stop before a lower-case word ends a clause too: "sista dag 31/12. socialsekr ar
# informerade", written on a phone.)
_CLAUSE_BOUNDARY = re.compile(
    r"[,;:–]|(?<=\w\w)\.\s+(?=[a-zåäö])|\s(?:och(?!\s+med)|men|samt|but|and)\s", re.IGNORECASE
)


def _clause_of(text: str, sentence: Sentence, position: int) -> str:
    """The clause of the sentence that holds ``position`` ("Sista dagen är 31/8 och alla har
    fått plats": the date's clause is in the present)."""
    start, end = sentence.start, sentence.end
    for boundary in _CLAUSE_BOUNDARY.finditer(text, sentence.start, sentence.end):
        if boundary.end() <= position:
            start = boundary.end()
        elif boundary.start() >= position:
            end = boundary.start()
            break
    return text[start:end]


def _tense_clause(text: str, sentence: Sentence, mention: DateMention) -> str:
    """The clause whose verb gives a date its tense; a date in apposition ("stängde i
    fredags, den 27 november") has none of its own and takes the sentence's so far."""
    clause = _clause_of(text, sentence, mention.start)
    if len(_WORDS.findall(clause.replace(mention.text, " "))) <= 1:
        return text[sentence.start : mention.end]
    return clause


_WORDS = re.compile(r"[a-zåäöéü]{3,}", re.IGNORECASE)


def _said_in(sentence: Sentence, cues: tuple[Cue, ...]) -> bool:
    return any(sentence.start <= c.start < sentence.end for c in cues)


def _past(sentence: str) -> bool:
    """Whether a sentence tells what has happened, not what will."""
    return bool(PAST_TENSE.search(sentence)) and not FUTURE_TENSE.search(sentence)


def _relative_value(match: re.Match[str], today: dt.date) -> dt.date | None:
    if match.group("today"):
        return today
    if match.group("half"):
        return dt.date(today.year, 7, 1) if today.month < 7 else dt.date(today.year + 1, 1, 1)
    if match.group("plain_today"):
        return today
    if match.group("past_weekday"):
        back = (today.weekday() - _WEEKDAY_NUMBERS[match.group("past_weekday").lower()] - 1) % 7
        return today - dt.timedelta(days=back + 1)
    if match.group("shift"):
        return today + dt.timedelta(days=_SHIFTS[re.sub(r"\s", "", match.group("shift").lower())])
    if match.group("weekday_week"):
        next_monday = today + dt.timedelta(days=7 - today.weekday())
        return next_monday + dt.timedelta(
            days=_WEEKDAY_NUMBERS[match.group("weekday_week").lower()]
        )
    if match.group("weekend"):
        return today + dt.timedelta(days=7 - today.weekday())
    if match.group("day_next"):
        first = dt.date(today.year + today.month // 12, today.month % 12 + 1, 1)
        raw = match.group("day_next").lower()
        try:
            return first.replace(day=int(raw) if raw.isdigit() else ORDINAL_DAYS[raw])
        except ValueError:
            return None
    if match.group("weekday"):
        ahead = (_WEEKDAY_NUMBERS[match.group("weekday").lower()] - today.weekday() - 1) % 7 + 1
        return today + dt.timedelta(days=ahead)
    if match.group("count"):
        raw = match.group("count").lower()
        count = int(raw) if raw.isdigit() else _COUNTS[raw]
        days = count * (7 if match.group("unit").lower().startswith(("v", "w")) else 1)
        return today + dt.timedelta(days=days)
    if match.group("last"):
        last = MONTHS[match.group("last").lower()]
        in_year = today.year if last >= today.month else today.year + 1
        following = dt.date(in_year + last // 12, last % 12 + 1, 1)
        day = following - dt.timedelta(days=1)
        while match.group("workday") and day.weekday() >= 5:
            day -= dt.timedelta(days=1)  # the last weekday (holidays are not known here)
        return day
    if match.group("day_only"):
        wanted = int(match.group("day_only"))
        for months_ahead in range(3):
            index = today.month - 1 + months_ahead
            try:
                candidate = dt.date(today.year + index // 12, index % 12 + 1, wanted)
            except ValueError:
                continue
            if candidate > today:
                return candidate
        return None
    if match.group("year"):
        return dt.date(today.year + 1, 1, 1)
    month = MONTHS.get((match.group("m2") or "").lower())
    if month is not None:
        year = today.year if month >= today.month else today.year + 1
        return dt.date(year, month, 1)
    return dt.date(today.year + today.month // 12, today.month % 12 + 1, 1)
