"""Dates as people in Sweden write them in e-mails: ISO, day-first numbers, month names, weeks.

Swedish first, English too. Nothing here reads the clock: a date written without a year is
resolved against ``today``, which the caller takes from the message.

Every date holds a number, so the scan jumps from number to number and tries the date
patterns only there; the words before a date ("fr.o.m.", "måndag den") are read afterwards
from a short window. A 5 kB mail takes a few tenths of a millisecond.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "MONTHS",
    "MONTH_WORDS",
    "ORDINAL_DAYS",
    "Cue",
    "DateMention",
    "find_dates",
    "last_occurrence",
    "parse_date",
]

Cue = Literal["from", "until"]


@dataclass(frozen=True, slots=True)
class DateMention:
    """One date written in a text, with the cue word in front of it if there was one."""

    value: datetime.date
    start: int
    end: int
    text: str
    cue: Cue | None
    # Written without a year ("1 mars", "v. 40"): the year was taken as the next such day,
    # which the tense of the sentence may overrule (last_occurrence).
    yearless: bool = False
    week: bool = False  # "v. 40": the Monday (or the day named) of an ISO week


_MONTH_NAMES: tuple[tuple[int, str, str], ...] = (
    # Swedish, English and Norwegian/Danish names (one seed is Norwegian), then abbreviations.
    (1, "januari january januar", "jan"),
    (2, "februari february februar", "feb"),
    (3, "mars march", "mar"),
    (4, "april", "apr"),
    (5, "maj may mai", ""),
    (6, "juni june", "jun"),
    (7, "juli july", "jul"),
    (8, "augusti august", "aug"),
    (9, "september", "sept sep"),
    (10, "oktober october", "okt oct"),
    (11, "november", "nov"),
    (12, "december desember", "dec"),
)
MONTHS: dict[str, int] = {
    name: number
    for number, names, abbreviations in _MONTH_NAMES
    for name in (names + " " + abbreviations).split()
}
_MONTHS = MONTHS
_MONTH_ABBREVIATIONS = [word for _, _, words in _MONTH_NAMES for word in words.split()]
# Every month word as one alternation, longest first, for other parsers' patterns.
MONTH_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))
# Ordinal days written as words: "första december", "den tjugonde maj".
_ORDINAL_WORDS = (
    *("första", "andra", "tredje", "fjärde", "femte", "sjätte", "sjunde", "åttonde"),
    *("nionde", "tionde", "elfte", "tolfte", "trettonde", "fjortonde", "femtonde"),
    *("sextonde", "sjuttonde", "artonde", "nittonde", "tjugonde"),
)
_ORDINALS: dict[str, int] = {word: day for day, word in enumerate(_ORDINAL_WORDS, start=1)}
_ORDINALS.update(
    {f"tjugo{word}": 20 + day for word, day in list(_ORDINALS.items())[:9]}
    | {"trettionde": 30, "trettioförsta": 31}
)
# English: "from the first of February", "the twenty-first of January".
_ENGLISH_ORDINALS = (
    *("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"),
    *("tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth"),
    *("seventeenth", "eighteenth", "nineteenth", "twentieth"),
)
_ORDINALS.update({word: day for day, word in enumerate(_ENGLISH_ORDINALS, start=1)})
_ORDINALS.update(
    {f"twenty-{word}": 20 + day for day, word in enumerate(_ENGLISH_ORDINALS[:9], start=1)}
    | {"thirtieth": 30, "thirty-first": 31}
)
# The masculine forms older and formal Swedish writes: "den förste januari", "den andre".
_ORDINALS.update(
    {
        word.replace("första", "förste").replace("andra", "andre"): day
        for word, day in list(_ORDINALS.items())
        if word.endswith(("första", "andra"))
    }
)

# For other parsers' patterns ("den första i nästa månad"): every ordinal word, its day.
ORDINAL_DAYS: Mapping[str, int] = _ORDINALS
ORDINAL_WORDS = "|".join(sorted(_ORDINALS, key=len, reverse=True))


def _trie(words: list[str]) -> str:
    # The regex engine tries the branches of "januari|jan|juni|..." one after another; a
    # trie ("j(?:an(?:uari)?|un(?:i)?)") decides on each letter once, and a longer word is
    # always preferred to its prefix ("mars" over "mar").
    heads = sorted({word[0] for word in words})
    branches = []
    for head in heads:
        tails = [word[1:] for word in words if word[0] == head]
        rest = _trie([tail for tail in tails if tail]) if any(tails) else ""
        optional = "" in tails and bool(rest)
        branches.append(re.escape(head) + (f"(?:{rest})?" if optional else rest))
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


_MONTH = _trie(list(_MONTHS))
# A dot after a month belongs to it only if the month is abbreviated ("1 jan." but "1 mars.").
_MONTH_WITH_DOT = (
    rf"(?:{_trie([m for m in _MONTHS if m not in _MONTH_ABBREVIATIONS])}(?![^\W\d_])"
    rf"|{_trie(_MONTH_ABBREVIATIONS)}(?![^\W\d_])\.?)"
)

_WEEKDAY_NAMES: tuple[tuple[int, str], ...] = (
    (0, "måndag måndagen mån mandag monday mon"),
    (1, "tisdag tisdagen tis tirsdag tuesday tues tue"),
    (2, "onsdag onsdagen ons wednesday wed"),
    (3, "torsdag torsdagen tors tor thursday thurs thur thu"),
    (4, "fredag fredagen fre friday fri"),
    (5, "lördag lördagen lör lørdag saturday sat"),
    (6, "söndag söndagen sön søndag sunday sun"),
)
_WEEKDAYS: dict[str, int] = {
    name: number for number, names in _WEEKDAY_NAMES for name in names.split()
}
_WEEKDAY = _trie(list(_WEEKDAYS))

_YEAR4 = r"(?:19|20)\d\d"
# A year (or a day or month that ends a date) must not run on into more digits, a decimal
# or a clock time: "2027,5" or "1 april 2027:30" are something else.
_STOP = r"(?!\d|[.,:]\d)"
# Not the tail of a longer number, a decimal, a clock time or a phone number ("031-1/2").
_NUMBER_START = r"(?<!\d)(?<!\d[-/.,:])"

# Dates that begin with their number.
_NUMERIC = re.compile(
    rf"""
    (?P<iso>
        {_NUMBER_START}
        (?P<iso_y>{_YEAR4}) (?P<iso_s>[-/.]) (?P<iso_m>[01]?\d) (?P=iso_s) (?P<iso_d>[0-3]?\d)
        (?!\d|[/.,:]\d)
    )
    | (?P<compact>
        {_NUMBER_START}
        (?P<c_y>{_YEAR4}) (?P<c_m>[01]\d) (?P<c_d>[0-3]\d)
        # 19850412-1230 is a personal identity number, not a date.
        (?!\d|\s?[-+]\s?\d{{4}}(?!\d))
    )
    | (?P<text>
        (?<!\d)(?<!\d[.,:])
        (?P<t_d>[0-3]?\d) (?::?[ae]|st|nd|rd|th|\.)? \s* (?:of\s+)?
        (?P<t_mon>{_MONTH_WITH_DOT})
        (?: \s*,?\s* (?P<t_y>{_YEAR4}) {_STOP} )?
    )
    | (?P<slash>
        # Swedish order, day first. "24/7" is opening hours.
        (?<!\d)(?<!\d[/.,:]) (?!24/7(?![-/]?\d))
        (?P<s_d>[0-3]?\d) / (?P<s_m>[01]?\d)
        (?: [/-] (?P<s_y>(?:19|20)?\d\d) (?!\d|[/.,:]\d)
          | \s (?P<s_y4>{_YEAR4}) {_STOP} )?
        # A dash may follow: "1/4-30/4" is a range.
        (?!\d|[/.,:]\d)
    )
    | (?P<dot>
        {_NUMBER_START}
        (?P<p_d>[0-3]?\d) \. (?P<p_m>[01]?\d)
        (?: \. (?P<p_y>(?:19|20)?\d\d) )?
        (?!\d|[-/.,:]\d)
    )
    | (?P<dash>
        {_NUMBER_START}
        (?P<h_d>[0-3]?\d) - (?P<h_m>[01]?\d) - (?P<h_y>(?:19|20)?\d\d)
        (?!\d|[-/.,:]\d)
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)
# "första december", "den femtonde mars 2028": no digit, so found by a pass of its own.
# Years as speech to text writes them: "första april tjugotjugosju".
_SPOKEN_YEARS = {
    f"{prefix}{word}": 2020 + number
    for prefix in ("tjugotjugo", "tvåtusentjugo", "tvatusentjugo")
    for number, word in enumerate(
        ("", "ett", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio"), start=0
    )
    if word
} | {f"{p}{w}": 2020 + n for p in ("tjugotjugo",) for n, w in ((2, "tva"), (8, "atta"))}
_ORDINAL_DATE = re.compile(
    rf"(?<![^\W\d_])(?P<o_d>{'|'.join(sorted(_ORDINALS, key=len, reverse=True))})\s+(?:of\s+)?"
    rf"(?P<o_mon>{_trie([m for m in MONTHS if m not in _MONTH_ABBREVIATIONS])})(?![^\W\d_])"
    rf"(?:\s*,?\s*(?:(?P<o_y>{_YEAR4})|(?P<o_spoken>{'|'.join(_SPOKEN_YEARS)})){_STOP})?",
    re.IGNORECASE,
)
# Dates that begin with a word: English month first, and weeks.
_WORDED = re.compile(
    rf"""
    (?P<eng>
        # "i maj 15 brukare" is a count in May, not 15 May.
        (?<![^\W\d_]) (?<!\bi\s) (?<!\bin\s)
        (?P<e_mon>{_MONTH}) (?: \.\s* | \s+ ) (?:the\s+)?
        (?P<e_d>[0-3]?\d) (?:st|nd|rd|th)? {_STOP} (?![^\W\d_])
        (?: \s*,?\s* (?P<e_y>{_YEAR4}) {_STOP} )?
    )
    | (?P<week>
        (?<![^\W\d_])
        (?: veckorna | veckor | vecka | weeks | week | wk\.? | v\.? ) \s* (?P<w_n>[0-5]?\d) {_STOP}
        (?: \s*[,/-]?\s* (?P<w_y>{_YEAR4}) {_STOP} )?
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)

_FROM = r"""
    (?:g[äa]ller\s+)?
    (?: fr[åa]n\s+och\s+med | fr\.?\s?o\.?\s?m\.? | f\.\s?o\.\s?m\.? | fr[åa]n | fra
      | from\s+and\s+including | as\s+(?:of|from) | (?:with\s+)?effect\s+from
      | effective(?:\s+(?:from|as\s+of))? | starting(?:\s+(?:from|on))? )
"""
_UNTIL = r"""
    (?: till\s+och\s+med | t\.?\s?o\.?\s?m\.? | (?:up\s+)?to\s+and\s+including
      | until | through )
"""
# Anchored at the start of the date; searched leftmost, so the longest run of words wins.
_PREFIX = re.compile(
    rf"""
    (?<!\w)
    (?: (?: (?P<from>{_FROM}) | (?P<until>{_UNTIL}) ) (?: (?<=\.)\s* | \s+ ) )?
    (?: (?P<weekday>{_WEEKDAY}) \.?,?\s+ )?
    (?P<den> (?:den|the)\s+ )?
    \Z
    """,
    re.IGNORECASE | re.VERBOSE,
)
# Longer than any cue, weekday and "den" together ("with effect from saturday, the ").
_PREFIX_REACH = 48
# The words a prefix can end with, as _prefix reads them: "fr.o.m." ends in "m".
_PREFIX_LAST_WORDS = frozenset(
    {"den", "the", "med", "m", "tom", "från", "fran", "from", "of", "on", "including"}
    | {"effective", "starting", "until", "through"}
    | set(_WEEKDAYS)
)
# A whole number as long as a date's first number: a day, month or week has one or two
# digits, a year four, "20270401" eight. Starting with a plain digit lets the regex engine
# skip ahead to the next digit in C.
_DATE_NUMBER = re.compile(r"\d(?<!\d\d)(?:\d|\d{3}|\d{7})?(?!\d)")
# The word that may open a date before its number: a month ("Sept. the 1st") or a week.
_LEAD = re.compile(r"(?<![^\W\d_])[^\W\d_]{1,9}\.?\s*(?:the\s+)?\Z", re.IGNORECASE)
_LEAD_REACH = 16
# Verbs of change after which "1.3" is a date, not a decimal.
_DATE_VERB = re.compile(
    r"(?<![^\W\d_])(?:öppnar|startar|stänger|upphör|avslutas|slutar|flyttar|byter|gäller"
    r"|heter|börjar|opens|closes|starts)\s+\Z",
    re.IGNORECASE,
)
# "kl. 10.05.30" is a time of day, whatever it looks like.
_CLOCK = re.compile(r"(?<!\w)(?:kl|klockan)\.?\s*\Z", re.IGNORECASE)
_CLOCK_REACH = 10


def find_dates(text: str, today: datetime.date) -> list[DateMention]:
    """Every date written in ``text``, in text order, none overlapping another."""
    return _scan(text, today, answer=False)


def parse_date(value: str, today: datetime.date | None = None) -> datetime.date | None:
    """The date a single answer (a form field) gives, or None if it is not exactly one date.

    Without ``today`` a date written without a year cannot be placed and gives None.
    """
    stripped = value.strip().rstrip(".,;")
    mentions = _scan(stripped, today, answer=True)
    if len(mentions) == 1 and mentions[0].start == 0 and mentions[0].end == len(stripped):
        return mentions[0].value
    return None


def _scan(text: str, today: datetime.date | None, *, answer: bool) -> list[DateMention]:
    mentions: list[DateMention] = []
    resume = 0
    # Every date holds a number; trying the date patterns only where one begins is many
    # times faster than trying them at every position of the text.
    for number in _DATE_NUMBER.finditer(text):
        position = number.start()
        if position < resume:
            continue
        match = _match_at(text, position, resume)
        if match is None:
            continue
        # Cue words may not reach back into the previous date.
        floor, resume = resume, match.end()
        value = _resolve(match, text, floor, today, answer=answer)
        if value is None:
            continue
        mentions.append(
            _mention(text, floor, match, value, _yearless(match), week=match.lastgroup == "week")
        )
    if not answer:
        mentions.extend(_range_starts(text, mentions))
    if not answer or not mentions:
        mentions.extend(_ordinal_dates(text, today, mentions))
        mentions.sort(key=lambda m: m.start)
    return mentions


# "1–15 mars 2027": the day before the dash shares the month and year of the date after it.
# "21–27 december", "från 21 till 27 december", "mellan den 21 och 27 december".
_RANGE_START = re.compile(
    r"(?<![\d\-–/.])(?<!kl[ \t])(?<!kl\.[ \t])(?<!klockan[ \t])([0-3]?\d)(?:[ \t]*[-–—][ \t]*|[ \t]+(?:till|t\.?\s?o\.?\s?m\.?)[ \t]+)\Z"
    r"|mellan[ \t]+(?:den[ \t]+)?([0-3]?\d)[ \t]+och[ \t]+\Z",
    re.IGNORECASE,
)


def _range_starts(text: str, mentions: list[DateMention]) -> list[DateMention]:
    found: list[DateMention] = []
    for mention in mentions:
        if not mention.text[:1].isdigit() or mention.week:
            continue
        start = _RANGE_START.search(text, max(0, mention.start - 20), mention.start)
        if start is None:
            continue
        group = 1 if start.group(1) else 2
        day = int(start.group(group))
        if not 1 <= day < mention.value.day:
            continue
        value = mention.value.replace(day=day)
        found.append(
            DateMention(
                value,
                start.start(group),
                start.end(group),
                start.group(group),
                None,
                mention.yearless,
            )
        )
    return found


def _mention(
    text: str,
    floor: int,
    match: re.Match[str],
    value: datetime.date,
    yearless: bool,
    *,
    week: bool = False,
) -> DateMention:
    """The date at ``match`` with the cue words in front of it ("fr.o.m.", "t.o.m.")."""
    prefix = _prefix(text, floor, match)
    start = prefix.start() if prefix else match.start()
    cue: Cue | None = None
    if prefix and prefix.group("from"):
        cue = "from"
    elif prefix and prefix.group("until"):
        cue = "until"
    return DateMention(value, start, match.end(), text[start : match.end()], cue, yearless, week)


def _yearless(match: re.Match[str]) -> bool:
    year_group = {
        "text": "t_y",
        "eng": "e_y",
        "slash": "s_y",
        "dot": "p_y",
        "dash": "h_y",
        "week": "w_y",
    }.get(match.lastgroup or "")
    if year_group is None:
        return False
    if match.lastgroup == "slash":
        return match.group("s_y") is None and match.group("s_y4") is None
    return match.group(year_group) is None


def _ordinal_dates(
    text: str, today: datetime.date | None, taken: list[DateMention]
) -> list[DateMention]:
    found: list[DateMention] = []
    for match in _ORDINAL_DATE.finditer(text):
        if any(m.start < match.end() and match.start() < m.end for m in taken):
            continue
        month = MONTHS[match.group("o_mon").lower()]
        spoken = match.group("o_spoken")
        year = str(_SPOKEN_YEARS[spoken.lower()]) if spoken else match.group("o_y")
        value = _day_month(_ORDINALS[match.group("o_d").lower()], month, year, today)
        if value is None:
            continue
        floor = max((m.end for m in taken if m.end <= match.start()), default=0)
        found.append(_mention(text, floor, match, value, year is None))
    return found


def last_occurrence(mention: DateMention, today: datetime.date) -> datetime.date:
    """For a date written without a year about what has happened: the last such day.

    "startade 1 mars", written in November, is this year's 1 March; written in February,
    last year's. A date with its year, or one not after today, stays as it is.
    """
    if not mention.yearless or mention.value <= today:
        return mention.value
    if mention.week:
        # A week: the same week number a year earlier, on the same weekday.
        for weeks in (52, 53):
            candidate = mention.value - datetime.timedelta(weeks=weeks)
            if candidate.isocalendar().week == mention.value.isocalendar().week:
                return candidate
    for years_back in range(1, 9):
        try:
            candidate = mention.value.replace(year=mention.value.year - years_back)
        except ValueError:  # 29 February
            continue
        if candidate <= today:
            return candidate
    return mention.value


def _match_at(text: str, position: int, resume: int) -> re.Match[str] | None:
    # "April 1" and "vecka 40" begin with a word before the number: try from that word first.
    before = text[position - 1 : position]
    if before.isalpha() or before.isspace() or before == ".":
        lead = _LEAD.search(text, max(resume, position - _LEAD_REACH), position)
        if lead is not None:
            match = _WORDED.match(text, lead.start())
            if match is not None:
                return match
    return _NUMERIC.match(text, position)


def _prefix(text: str, floor: int, match: re.Match[str]) -> re.Match[str] | None:
    window_start = max(floor, match.start() - _PREFIX_REACH)
    head = text[window_start : match.start()]
    # Most dates have no cue; a glance at the last word spares them the slower pattern.
    if not head or not (head[-1].isspace() or head[-1] == "."):
        return None
    words = head.split()
    if not words or words[-1].rstrip(".,").rsplit(".", 1)[-1].lower() not in _PREFIX_LAST_WORDS:
        return None
    return _PREFIX.search(text, window_start, match.start())


def _resolve(
    match: re.Match[str],
    text: str,
    floor: int,
    today: datetime.date | None,
    *,
    answer: bool,
) -> datetime.date | None:
    group = match.group
    match match.lastgroup:
        case "iso":
            return _date(int(group("iso_y")), int(group("iso_m")), int(group("iso_d")))
        case "compact":
            return _date(int(group("c_y")), int(group("c_m")), int(group("c_d")))
        case "text":
            month = _MONTHS[group("t_mon").rstrip(".").lower()]
            return _day_month(int(group("t_d")), month, group("t_y"), today)
        case "eng":
            month = _MONTHS[group("e_mon").lower()]
            return _day_month(int(group("e_d")), month, group("e_y"), today)
        case "slash":
            year = group("s_y") or group("s_y4")
            return _day_month(int(group("s_d")), int(group("s_m")), year, today)
        case "dot":
            if _CLOCK.search(text, max(floor, match.start() - _CLOCK_REACH), match.start()):
                return None
            # In running text "15.4" alone is as likely a decimal or a time; "den 15.4" is a
            # date, and so is "15.4" given as the answer to a date field.
            if group("p_y") is None and not answer:
                prefix = _prefix(text, floor, match)
                said = prefix and (
                    prefix.group("den")
                    or prefix.group("from")
                    or prefix.group("until")
                    or _weekday(prefix) is not None
                )
                # "öppnar 1.3", "stänger 31.5.": a change verb makes it a date.
                if not said and not _DATE_VERB.search(
                    text, max(floor, match.start() - 16), match.start()
                ):
                    return None
            return _day_month(int(group("p_d")), int(group("p_m")), group("p_y"), today)
        case "dash":
            return _day_month(int(group("h_d")), int(group("h_m")), group("h_y"), today)
        case "week":
            year = int(group("w_y")) if group("w_y") else None
            prefix = _prefix(text, floor, match)
            weekday = _weekday(prefix) if prefix else None
            return _week(int(group("w_n")), year, weekday, today)
    return None


def _weekday(prefix: re.Match[str]) -> int | None:
    name = prefix.group("weekday")
    return _WEEKDAYS[name.lower()] if name else None


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _day_month(
    day: int, month: int, year: str | None, today: datetime.date | None
) -> datetime.date | None:
    if year is not None:
        # Two-digit years are this century: nobody announces a unit for 1927.
        return _date(int(year) + 2000 if len(year) == 2 else int(year), month, day)
    if today is None:
        return None
    # Without a year the writer means the next such day, counting today: a notice in
    # December about "15 januari" is about next January. Nine years reach the next 29 Feb
    # even across a century year that is not a leap year.
    for candidate_year in range(today.year, today.year + 9):
        candidate = _date(candidate_year, month, day)
        if candidate is not None and candidate >= today:
            return candidate
    return None


def _week(
    week: int, year: int | None, weekday: int | None, today: datetime.date | None
) -> datetime.date | None:
    iso_weekday = 1 if weekday is None else weekday + 1
    if year is not None:
        return _iso_week_day(year, week, iso_weekday)
    if today is None:
        return None
    # Without a year: this ISO year's week, even if it began a few days ago, unless it has
    # already ended; then next year's. A week 53 this year lacks is likewise next year's.
    this_year = today.isocalendar().year
    sunday = _iso_week_day(this_year, week, 7)
    if sunday is not None and sunday >= today:
        return _iso_week_day(this_year, week, iso_weekday)
    return _iso_week_day(this_year + 1, week, iso_weekday)


def _iso_week_day(year: int, week: int, weekday: int) -> datetime.date | None:
    try:
        return datetime.date.fromisocalendar(year, week, weekday)
    except ValueError:
        return None
