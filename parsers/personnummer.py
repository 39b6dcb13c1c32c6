"""Swedish personal identity numbers in free text: found, and masked before anyone logs them.

A personnummer is a birth date, a serial and a Luhn check digit: ``YYMMDD-NNNC``, with the
century in front when written in 12 digits and ``+`` instead of ``-`` for people over 100.
A samordningsnummer is the same with 60 added to the day. An organisationsnummer looks
alike but its "month" is 20 or more, so it never passes as a date and is left alone.

``stdnum.se.personnummer`` is not used for the check: it reads the clock to place a
10-digit number in a century, and it rejects samordningsnummer.

Numbers are found as people and their software write them, not only as the Tax Agency
prints them: a space instead of the hyphen ("850709 9805", how many type it), any other
dash or space a word processor substitutes (en dash, non-breaking space), and digits from
other blocks, full-width ones above all (Japanese and Chinese input methods, some PDF
copies). False positives stay rare because every candidate must still be a real date with
a valid Luhn check digit; a space-separated one must also stand apart from other digit
groups, so a phone number written in groups ("031 850709 9805") is not taken for one.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from stdnum import luhn

__all__ = ["IdentityNumber", "find_personnummer", "mask_personnummer"]

_MASK = "****"


@dataclass(frozen=True, slots=True)
class IdentityNumber:
    """One personal identity number as written in a text."""

    start: int
    end: int
    text: str
    kind: Literal["personnummer", "samordningsnummer"]


# Hyphens, dashes and minus signs a word processor or a font may put for "-"; "+" in its
# full-width and small forms; spaces, including the no-break kinds typesetting uses.
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2212\ufe58\ufe63\uff0d"
_PLUSES = "+\ufe62\uff0b"
_SPACES = " \u00a0\u2007\u202f\u3000"
# A whole run of digits, so that a longer number (an account, a phone number with its
# country code) never yields a personnummer from its middle. ``\d`` is every Unicode
# decimal digit, full-width ones included.
_CANDIDATE = re.compile(
    r"(?<!\d)(?P<century>\d\d)?(?P<date>\d{6})"
    rf"(?P<separator>[{_DASHES}{_PLUSES}{_SPACES}]?)(?P<serial>\d{{4}})(?!\d)"
)
# A digit group next to a space-separated candidate: the candidate is part of a longer
# grouped number (a phone number, an account), not a personnummer.
_GROUP_BEFORE = re.compile(rf"\d[{_DASHES}{_SPACES}]$")
_GROUP_AFTER = re.compile(rf"[{_DASHES}{_SPACES}]\d")
_CENTURIES = frozenset({"18", "19", "20"})
_SAMORDNING_DAY_OFFSET = 60


# Six digits in a row: every identity number holds them (its date). Looking for them
# first takes a fifth of the time of the whole pattern, and most texts have none.
_SIX_DIGITS = re.compile(r"\d{6}")


def find_personnummer(text: str) -> list[IdentityNumber]:
    """Every valid personnummer and samordningsnummer in ``text``, in text order."""
    found: list[IdentityNumber] = []
    if not _SIX_DIGITS.search(text):
        return found
    for match in _CANDIDATE.finditer(text):
        kind = _kind(match)
        if kind is not None:
            found.append(IdentityNumber(match.start(), match.end(), match.group(), kind))
    return found


def mask_personnummer(text: str) -> str:
    """``text`` with the last four digits of every identity number replaced by ``****``.

    The date part and the separator stay as written, so a reader still sees which person's
    number stood there; everything else is unchanged. Masking twice changes nothing more.
    """
    if not _SIX_DIGITS.search(text):
        return text
    return _CANDIDATE.sub(_masked, text)


def _masked(match: re.Match[str]) -> str:
    if _kind(match) is None:
        return match.group()
    return match.group()[: match.start("serial") - match.start()] + _MASK


def _kind(match: re.Match[str]) -> Literal["personnummer", "samordningsnummer"] | None:
    century = _ascii_digits(match.group("century") or "") or None
    date, serial = _ascii_digits(match.group("date")), _ascii_digits(match.group("serial"))
    separator = match.group("separator")
    if separator and separator in _SPACES and _grouped(match):
        return None
    if century is not None and century not in _CENTURIES:
        return None
    if not luhn.is_valid(date + serial):
        return None
    day = int(date[4:6])
    samordning = day > _SAMORDNING_DAY_OFFSET
    if samordning:
        day -= _SAMORDNING_DAY_OFFSET
    # Without the century, 20YY stands for every candidate century: it is a leap year
    # whenever 18YY or 19YY is, so no valid 29 February is refused.
    year = int((century or "20") + date[:2])
    try:
        datetime.date(year, int(date[2:4]), day)
    except ValueError:
        return None
    return "samordningsnummer" if samordning else "personnummer"


def _ascii_digits(digits: str) -> str:
    """Digits of any script as ASCII ('８５' → '85')."""
    return "".join(str(unicodedata.decimal(c)) for c in digits)


def _grouped(match: re.Match[str]) -> bool:
    text = match.string
    before = text[max(0, match.start() - 2) : match.start()]
    return bool(_GROUP_BEFORE.search(before) or _GROUP_AFTER.match(text, match.end()))
