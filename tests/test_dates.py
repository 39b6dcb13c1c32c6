"""Dates as written in Swedish (and English) e-mails: literal text in, dates out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from parsers.dates import DateMention, find_dates, parse_date

# A Monday, ISO week 9.
TODAY = date(2027, 3, 1)


def _values(text: str, today: date = TODAY) -> list[date]:
    return [mention.value for mention in find_dates(text, today)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ISO and compact
        ("2027-04-01", date(2027, 4, 1)),
        ("2027-4-1", date(2027, 4, 1)),
        ("2027/04/01", date(2027, 4, 1)),
        ("2027.04.01", date(2027, 4, 1)),
        ("20270401", date(2027, 4, 1)),
        ("2027-04-01T10:00", date(2027, 4, 1)),
        ("Daglig verksamhet Hamnen upphör 2027-06-30.", date(2027, 6, 30)),
        ("startar 2027-10-01, ansvarskod 4711322", date(2027, 10, 1)),
        ("(2027-04-01)", date(2027, 4, 1)),
        # Swedish month names
        ("1 april 2027", date(2027, 4, 1)),
        ("1 april", date(2027, 4, 1)),
        ("den 1 april 2027", date(2027, 4, 1)),
        ("den 1:a april", date(2027, 4, 1)),
        ("1:e maj", date(2027, 5, 1)),
        ("den 2:a augusti 2027", date(2027, 8, 2)),
        ("1a april", date(2027, 4, 1)),
        ("1april 2027", date(2027, 4, 1)),
        ("1 APRIL 2027", date(2027, 4, 1)),
        ("1 April 2027", date(2027, 4, 1)),
        ("öppnar den 1 mars 2027. Ansvarskod 4711207.", date(2027, 3, 1)),
        ("sista dag är 15 april 2027.", date(2027, 4, 15)),
        ("1 september 2027", date(2027, 9, 1)),
        ("31 december 2027", date(2027, 12, 31)),
        ("den 2 mars 2027 09:12", date(2027, 3, 2)),
        ("1 april, 2027", date(2027, 4, 1)),
        # Weekday before the date
        ("måndag den 1 mars 2027", date(2027, 3, 1)),
        ("Måndagen den 1 mars 2027", date(2027, 3, 1)),
        ("mån 1/3", date(2027, 3, 1)),
        ("tors. 4/3", date(2027, 3, 4)),
        ("fredag 5 mars", date(2027, 3, 5)),
        # Abbreviations, with and without a dot, any case
        ("15 jan 2028", date(2028, 1, 15)),
        ("15 jan. 2028", date(2028, 1, 15)),
        ("15 feb 2028", date(2028, 2, 15)),
        ("15 mar 2027", date(2027, 3, 15)),
        ("15 mar. 2027", date(2027, 3, 15)),
        ("15 apr 2027", date(2027, 4, 15)),
        ("15 maj 2027", date(2027, 5, 15)),
        ("15 jun 2027", date(2027, 6, 15)),
        ("15 juni 2027", date(2027, 6, 15)),
        ("15 jul 2027", date(2027, 7, 15)),
        ("15 juli 2027", date(2027, 7, 15)),
        ("15 aug. 2027", date(2027, 8, 15)),
        ("15 sep 2027", date(2027, 9, 15)),
        ("15 sept. 2027", date(2027, 9, 15)),
        ("15 okt 2027", date(2027, 10, 15)),
        ("15 nov 2027", date(2027, 11, 15)),
        ("15 Dec 2027", date(2027, 12, 15)),
        ("15 DEC. 2027", date(2027, 12, 15)),
        # Norwegian spelling and day with a dot
        ("1. april 2027", date(2027, 4, 1)),
        ("17. mai 2027", date(2027, 5, 17)),
        ("24. desember 2027", date(2027, 12, 24)),
        # Numbers, day first
        ("1/4", date(2027, 4, 1)),
        ("1/4-27", date(2027, 4, 1)),
        ("1/4 2027", date(2027, 4, 1)),
        ("1/4-2027", date(2027, 4, 1)),
        ("1/4/27", date(2027, 4, 1)),
        ("01/04/27", date(2027, 4, 1)),
        ("15/4/2027", date(2027, 4, 15)),
        ("15.4.2027", date(2027, 4, 15)),
        ("15.4.27", date(2027, 4, 15)),
        ("15.04.2027.", date(2027, 4, 15)),
        ("15-04-2027", date(2027, 4, 15)),
        ("15-4-27", date(2027, 4, 15)),
        ("den 15.4", date(2027, 4, 15)),
        ("den 15.4.", date(2027, 4, 15)),
        ("fre 5.3", date(2027, 3, 5)),
        ("31/12", date(2027, 12, 31)),
        # English
        ("April 1, 2027", date(2027, 4, 1)),
        ("April 1 2027", date(2027, 4, 1)),
        ("1 April 2027", date(2027, 4, 1)),
        ("1st April", date(2027, 4, 1)),
        ("April 1st", date(2027, 4, 1)),
        ("Apr 1", date(2027, 4, 1)),
        ("Apr. 1", date(2027, 4, 1)),
        ("the 1st of April 2027", date(2027, 4, 1)),
        ("2nd May", date(2027, 5, 2)),
        ("3rd June 2027", date(2027, 6, 3)),
        ("Sept. 23rd, 2027", date(2027, 9, 23)),
        ("Monday, April 5, 2027", date(2027, 4, 5)),
        ("on March 22nd", date(2027, 3, 22)),
        ("October 31", date(2027, 10, 31)),
        # Weeks: the Monday
        ("v. 40", date(2027, 10, 4)),
        ("v.40", date(2027, 10, 4)),
        ("v40", date(2027, 10, 4)),
        ("V 40", date(2027, 10, 4)),
        ("vecka 40", date(2027, 10, 4)),
        ("Vecka 40", date(2027, 10, 4)),
        ("vecka 40 2028", date(2028, 10, 2)),
        ("v. 40, 2028", date(2028, 10, 2)),
        ("v. 40/2028", date(2028, 10, 2)),
        ("v40-2028", date(2028, 10, 2)),
        ("week 40", date(2027, 10, 4)),
        ("Week 40, 2028", date(2028, 10, 2)),
        ("wk 40", date(2027, 10, 4)),
        ("vecka 1 2027", date(2027, 1, 4)),
        ("v. 53 2026", date(2026, 12, 28)),
        # A weekday before a week picks that day of the week
        ("tisdag v. 12", date(2027, 3, 23)),
        ("fredag vecka 40 2027", date(2027, 10, 8)),
        ("Friday week 40", date(2027, 10, 8)),
    ],
)
def test_one_date(text: str, expected: date) -> None:
    assert _values(text) == [expected]


@pytest.mark.parametrize(
    ("text", "cue", "written"),
    [
        ("fr.o.m. 2027-04-01", "from", "fr.o.m. 2027-04-01"),
        ("Fr.o.m. 1/4", "from", "Fr.o.m. 1/4"),
        ("fr.o.m 1/4", "from", "fr.o.m 1/4"),
        ("fr. o. m. 1/4", "from", "fr. o. m. 1/4"),
        ("fr o m 1/4", "from", "fr o m 1/4"),
        ("from. 1/4", "from", "from. 1/4"),
        ("fr.o.m.1/4", "from", "fr.o.m.1/4"),
        ("f.o.m. 1 april", "from", "f.o.m. 1 april"),
        ("FRÅN OCH MED 2027-04-01", "from", "FRÅN OCH MED 2027-04-01"),
        (
            "valbar för brukare från och med 2027-04-01.",
            "from",
            "från och med 2027-04-01",
        ),
        ("Från och med den 15 mars 2027 är", "from", "Från och med den 15 mars 2027"),
        ("kan ta emot nya brukare från den 1 april 2027.", "from", "från den 1 april 2027"),
        ("slås samman till en enhet från 1 september 2027.", "from", "från 1 september 2027"),
        ("fran 1/9", "from", "fran 1/9"),
        ("gäller från 1 maj 2027", "from", "gäller från 1 maj 2027"),
        ("Gäller fr.o.m. 1 maj", "from", "Gäller fr.o.m. 1 maj"),
        ("fr.o.m. måndag den 1 mars 2027", "from", "fr.o.m. måndag den 1 mars 2027"),
        ("från och med vecka 40", "from", "från och med vecka 40"),
        ("from 1 April 2027", "from", "from 1 April 2027"),
        ("From April 1st", "from", "From April 1st"),
        ("as of Apr 1", "from", "as of Apr 1"),
        ("As from 1 April", "from", "As from 1 April"),
        ("starting 1 April", "from", "starting 1 April"),
        ("starting on April 1", "from", "starting on April 1"),
        ("with effect from 1 April 2027", "from", "with effect from 1 April 2027"),
        ("effective 1 April 2027", "from", "effective 1 April 2027"),
        (
            "with effect from Saturday, the 3rd of April",
            "from",
            "with effect from Saturday, the 3rd of April",
        ),
        ("t.o.m. 2027-07-31", "until", "t.o.m. 2027-07-31"),
        ("T.o.m 31/7", "until", "T.o.m 31/7"),
        ("t o m 31/7", "until", "t o m 31/7"),
        ("tom 31/7", "until", "tom 31/7"),
        ("semester till och med 2027-07-31 och", "until", "till och med 2027-07-31"),
        ("till och med den 31 juli", "until", "till och med den 31 juli"),
        ("until 31 July 2027", "until", "until 31 July 2027"),
        ("through July 31", "until", "through July 31"),
        ("up to and including 31 July", "until", "up to and including 31 July"),
        # No cue: the date alone, with "den" or a weekday kept as written
        ("den 1 april 2027", None, "den 1 april 2027"),
        ("upphör 2027-06-30", None, "2027-06-30"),
        ("sista dag är 15 april", None, "15 april"),
        ("Skickat: den 2 mars 2027 09:12", None, "den 2 mars 2027"),
        ("on 1 April", None, "1 April"),
        ("öppnar måndag 1/3", None, "måndag 1/3"),
        ("Från: LOV\nSkickat: den 2 mars 2027", None, "den 2 mars 2027"),
        ("härifrån 2027-04-01", None, "2027-04-01"),
        ("atom 1/4", None, "1/4"),
    ],
)
def test_cue_and_written_text(text: str, cue: str | None, written: str) -> None:
    [mention] = find_dates(text, TODAY)
    assert (mention.cue, mention.text) == (cue, written)
    assert text[mention.start : mention.end] == written


@pytest.mark.parametrize(
    "text",
    [
        # Phone numbers
        "031-365 12 34",
        "Telefon: 031-365 12 34",
        "0706-12 34 56",
        "08-123 45 67",
        "+46 31 365 12 34",
        "+46 (0)31 365 12 34",
        "031-3651234",
        "0703651234",
        "08-12 34 56",
        "031 - 365 22 10",
        # Times of day
        "09:12",
        "kl. 10.15",
        "kl 10.15",
        "klockan 10.05",
        "kl. 10.05.30",
        "10.15",
        "mellan 8.00 och 17.00",
        # Identity and organisation numbers, postcodes, account codes, amounts
        "556677-8899",
        "19850412-1230",
        "20850412-1230",
        "850412-1230",
        "198504121230",
        "20270401-1234",
        "20270401+1234",
        "415 05 Göteborg",
        "4711203",
        "Ekonomisk ansvarskod: 4711203",
        "1 500 kr",
        "2,5",
        "2.5",
        "12.5%",
        "15 %",
        "1.2.3",
        "version 2.10.1",
        "192.168.1.15",
        "LOV-2027-0012",
        "202704011",
        "2027040112",
        # Ordinals and numbers alone
        "2:a",
        "den 1:a",
        "3:e plats",
        "1st",
        "Sida 2 av 3",
        "2027",
        "april 2027",
        "i april",
        "mars",
        "1-4 veckor",
        "3 st",
        # Not a valid date
        "2027-13-01",
        "2027-02-29",
        "20271301",
        "31/2",
        "31/2-2027",
        "30 februari 2027",
        "32 mars",
        "0/4",
        "v. 54",
        "vecka 0",
        "v. 53 2027",
        # Looks like a date but is not
        "24/7",
        "öppet 24/7",
        "i maj 15 brukare",
        "",
        "   ",
    ],
)
def test_not_a_date(text: str) -> None:
    assert find_dates(text, TODAY) == []


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("15 januari", date(2027, 12, 20), date(2028, 1, 15)),
        ("1 mars", date(2027, 3, 1), date(2027, 3, 1)),
        ("28 februari", date(2027, 3, 1), date(2028, 2, 28)),
        ("29 februari", date(2027, 3, 1), date(2028, 2, 29)),
        ("29/2", date(2028, 3, 1), date(2032, 2, 29)),
        ("29/2", date(2096, 3, 1), date(2104, 2, 29)),
        ("31/12", date(2027, 12, 31), date(2027, 12, 31)),
        ("1/1", date(2027, 12, 31), date(2028, 1, 1)),
        ("20 december", date(2027, 12, 20), date(2027, 12, 20)),
        ("19 december", date(2027, 12, 20), date(2028, 12, 19)),
        ("Apr 1", date(2027, 4, 2), date(2028, 4, 1)),
        ("den 15.4", date(2027, 4, 16), date(2028, 4, 15)),
        # A year, even one in the past, is taken as written; two digits are 20YY.
        ("1 april 2020", date(2027, 3, 1), date(2020, 4, 1)),
        ("1/4-99", date(2027, 3, 1), date(2099, 4, 1)),
        ("1/4-00", date(2027, 3, 1), date(2000, 4, 1)),
        ("15.4.27", date(2030, 1, 1), date(2027, 4, 15)),
    ],
)
def test_year_inference(text: str, today: date, expected: date) -> None:
    assert _values(text, today) == [expected]


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        # This week, already begun, is still this week.
        ("v. 9", date(2027, 3, 1), date(2027, 3, 1)),
        ("v. 9", date(2027, 3, 7), date(2027, 3, 1)),
        # A week that has ended is next year's.
        ("v. 9", date(2027, 3, 8), date(2028, 2, 28)),
        ("v. 8", date(2027, 3, 1), date(2028, 2, 21)),
        ("v. 1", date(2027, 12, 20), date(2028, 1, 3)),
        ("v. 52", date(2027, 12, 20), date(2027, 12, 27)),
        ("v. 51", date(2027, 12, 20), date(2027, 12, 20)),
        # 1 January 2027 is in ISO week 53 of 2026.
        ("v. 53", date(2027, 1, 1), date(2026, 12, 28)),
        ("v. 1", date(2027, 1, 1), date(2027, 1, 4)),
        # A week 53 this year lacks is next year's, if that year has one.
        ("v. 53", date(2025, 6, 1), date(2026, 12, 28)),
        ("onsdag v. 9", date(2027, 3, 5), date(2027, 3, 3)),
    ],
)
def test_week_inference(text: str, today: date, expected: date) -> None:
    assert _values(text, today) == [expected]


def test_week_53_in_no_year_near_is_not_a_date() -> None:
    assert find_dates("v. 53", date(2027, 6, 1)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fr.o.m. 1/4 t.o.m. 30/4", [("from", date(2027, 4, 1)), ("until", date(2027, 4, 30))]),
        ("1/4-30/4", [(None, date(2027, 4, 1)), (None, date(2027, 4, 30))]),
        ("1/4 - 30/4 2028", [(None, date(2027, 4, 1)), (None, date(2028, 4, 30))]),
        ("2027-04-01 – 2027-04-30", [(None, date(2027, 4, 1)), (None, date(2027, 4, 30))]),
        (
            "från 1 april till och med 15 april 2027",
            [("from", date(2027, 4, 1)), ("until", date(2027, 4, 15))],
        ),
        (
            "Kvarnen öppnar den 1 mars 2027, ring 031-365 12 34 kl. 10.15 eller se v. 12.",
            [(None, date(2027, 3, 1)), (None, date(2027, 3, 22))],
        ),
        (
            "Första person i kön är 19850412-1230, nått från 2027-05-01.",
            [("from", date(2027, 5, 1))],
        ),
        (
            "Hej Karin\n> Från: LOV\n> Skickat: den 2 mars 2027 09:12\n> fr.o.m. 15/3",
            [(None, date(2027, 3, 2)), ("from", date(2027, 3, 15))],
        ),
    ],
)
def test_several_dates(text: str, expected: list[tuple[str | None, date]]) -> None:
    mentions = find_dates(text, TODAY)
    assert [(m.cue, m.value) for m in mentions] == expected
    _assert_well_formed(text, mentions)


def test_a_cue_never_reaches_into_the_previous_date() -> None:
    first, second = find_dates("1 april t.o.m. 30 april", TODAY)
    assert (first.text, first.cue) == ("1 april", None)
    assert (second.text, second.cue) == ("t.o.m. 30 april", "until")


def test_a_sample_mail_body() -> None:
    body = (
        "Hej!\n\nVi startar en ny enhet, Daglig verksamhet Björkängen, som blir valbar för "
        "brukare från och med 2027-04-01.\nEkonomisk ansvarskod: 4711203\n\nBifogar ifylld "
        "blankett Verksamhetsuppgifter.\n\nMed vänliga hälsningar\nAnna Lind\nEnhetschef\n"
        "Förvaltningen för funktionsstöd\nTelefon: 031-365 12 34\n"
    )
    [mention] = find_dates(body, date(2027, 1, 8))
    assert mention == DateMention(
        date(2027, 4, 1),
        body.index("från och med"),
        body.index("2027-04-01") + 10,
        "från och med 2027-04-01",
        "from",
    )


@pytest.mark.parametrize(
    ("value", "today", "expected"),
    [
        ("2027-04-01", None, date(2027, 4, 1)),
        ("  2027-04-01\n", None, date(2027, 4, 1)),
        ("2027-04-01.", None, date(2027, 4, 1)),
        ("20270401", None, date(2027, 4, 1)),
        ("1 april 2027", None, date(2027, 4, 1)),
        ("1/4-27", None, date(2027, 4, 1)),
        ("15.4.2027", None, date(2027, 4, 15)),
        ("fr.o.m. 2027-04-01", None, date(2027, 4, 1)),
        ("måndag den 1 mars 2027", None, date(2027, 3, 1)),
        ("vecka 40 2027", None, date(2027, 10, 4)),
        # Without a year it needs today.
        ("1 april", None, None),
        ("1 april", TODAY, date(2027, 4, 1)),
        ("1/4", TODAY, date(2027, 4, 1)),
        ("v. 40", TODAY, date(2027, 10, 4)),
        # As a field's whole answer "15.4" is a date.
        ("15.4", TODAY, date(2027, 4, 15)),
        ("15.4.", TODAY, date(2027, 4, 15)),
        # Not exactly one date
        ("", None, None),
        ("snarast", None, None),
        ("Startdatum 2027-04-01", None, None),
        ("2027-04-01 eller 2027-05-01", None, None),
        ("2027-02-30", None, None),
        ("kl. 10.15", TODAY, None),
        ("19850412-1230", None, None),
        ("031-365 12 34", None, None),
    ],
)
def test_parse_date(value: str, today: date | None, expected: date | None) -> None:
    assert parse_date(value, today) == expected


# Formatting the dates the properties below write.

_SV_MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]
# "maj" is the whole name and takes no dot.
_SV_ABBREVIATIONS = [
    "jan.",
    "feb.",
    "mar.",
    "apr.",
    "maj",
    "jun.",
    "jul.",
    "aug.",
    "sep.",
    "okt.",
    "nov.",
    "dec.",
]
_EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_SV_WEEKDAYS = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]
_EN_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _english_ordinal(day: int) -> str:
    suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _swedish_ordinal(day: int) -> str:
    return f"{day}:{'a' if day % 10 in (1, 2) and day not in (11, 12) else 'e'}"


_WITH_YEAR: list[Callable[[date], str]] = [
    lambda d: d.isoformat(),
    lambda d: f"{d.year}-{d.month}-{d.day}",
    lambda d: f"{d:%Y/%m/%d}",
    lambda d: f"{d:%Y%m%d}",
    lambda d: f"{d.day} {_SV_MONTHS[d.month - 1]} {d.year}",
    lambda d: f"den {_swedish_ordinal(d.day)} {_SV_MONTHS[d.month - 1].upper()} {d.year}",
    lambda d: f"{d.day} {_SV_ABBREVIATIONS[d.month - 1]} {d.year}",
    lambda d: f"{_SV_WEEKDAYS[d.weekday()]} den {d.day} {_SV_MONTHS[d.month - 1]} {d.year}",
    lambda d: f"{d.day}/{d.month}-{d:%y}",
    lambda d: f"{d.day}/{d.month} {d.year}",
    lambda d: f"{d.day}/{d.month}-{d.year}",
    lambda d: f"{d:%d/%m/%Y}",
    lambda d: f"{d.day}.{d.month}.{d.year}",
    lambda d: f"{d:%d.%m.%y}",
    lambda d: f"{d:%d-%m-%Y}",
    lambda d: f"{_EN_MONTHS[d.month - 1]} {d.day}, {d.year}",
    lambda d: f"{_EN_WEEKDAYS[d.weekday()]}, {_EN_MONTHS[d.month - 1]} {d.day}, {d.year}",
    lambda d: f"{_english_ordinal(d.day)} {_EN_MONTHS[d.month - 1]} {d.year}",
    lambda d: f"{_EN_MONTHS[d.month - 1][:3]} {_english_ordinal(d.day)} {d.year}",
]
_WITHOUT_YEAR: list[Callable[[date], str]] = [
    lambda d: f"{d.day} {_SV_MONTHS[d.month - 1]}",
    lambda d: f"den {_swedish_ordinal(d.day)} {_SV_ABBREVIATIONS[d.month - 1]}",
    lambda d: f"{d.day}/{d.month}",
    lambda d: f"{d:%d/%m}",
    lambda d: f"den {d.day}.{d.month}",
    lambda d: f"{_EN_MONTHS[d.month - 1]} {_english_ordinal(d.day)}",
    lambda d: f"the {_english_ordinal(d.day)} of {_EN_MONTHS[d.month - 1]}",
]
_DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
_ANY_TODAY = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


def _in_a_sentence(written: str, cue: str) -> str:
    return f"Hej!\nEnheten startar {cue}{written}. Telefon 031-365 12 34, kod 4711203."


@given(_DATES, _ANY_TODAY, st.sampled_from(_WITH_YEAR), st.sampled_from(["", "fr.o.m. "]))
def test_any_date_with_a_year_reads_back(
    day: date, today: date, write: Callable[[date], str], cue: str
) -> None:
    written = write(day)
    mentions = find_dates(_in_a_sentence(written, cue), today)
    assert [(m.value, m.text) for m in mentions] == [(day, cue + written)]
    assert parse_date(written) == day


@given(_DATES, st.sampled_from(_WITHOUT_YEAR), st.sampled_from(["", "t.o.m. "]))
def test_any_date_without_a_year_reads_back_from_that_day(
    day: date, write: Callable[[date], str], cue: str
) -> None:
    # Today is the day itself, the earliest today from which that day is the next.
    written = write(day)
    assume(written != "24/7")  # opening hours, by design
    mentions = find_dates(_in_a_sentence(written, cue), day)
    assert [(m.value, m.text) for m in mentions] == [(day, cue + written)]
    assert parse_date(written, day) == day


@given(_DATES, st.sampled_from(["v. {week} {year}", "vecka {week} {year}", "week {week}, {year}"]))
def test_any_week_with_a_year_is_its_monday(day: date, template: str) -> None:
    iso = day.isocalendar()
    written = template.format(week=iso.week, year=iso.year)
    monday = date.fromisocalendar(iso.year, iso.week, 1)
    assert _values(_in_a_sentence(written, "")) == [monday]


@given(_DATES)
def test_this_weeks_number_is_this_weeks_monday(day: date) -> None:
    iso = day.isocalendar()
    assert _values(f"v.{iso.week}", day) == [date.fromisocalendar(iso.year, iso.week, 1)]


def _assert_well_formed(text: str, mentions: list[DateMention]) -> None:
    previous_end = 0
    for mention in mentions:
        assert previous_end <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.text
        assert mention.cue in (None, "from", "until")
        previous_end = mention.end


@given(st.text(), _ANY_TODAY)
def test_never_raises_and_mentions_are_ordered_slices(text: str, today: date) -> None:
    _assert_well_formed(text, find_dates(text, today))
    parse_date(text, today)


_DATEISH = st.text(alphabet="0123456789 -/.:,+v åpril majden fr.o.m. t.o.m. kl", max_size=60)


@given(_DATEISH, _ANY_TODAY)
def test_never_raises_on_text_full_of_digits_and_separators(text: str, today: date) -> None:
    _assert_well_formed(text, find_dates(text, today))
    parse_date(text, today)
    parse_date(text)
