"""Swedish personal identity numbers in free text: found, and masked before anyone logs them.

A personnummer is a birth date, a serial and a Luhn check digit: ``YYMMDD-NNNC``, with the
century in front when written in 12 digits and ``+`` instead of ``-`` for people over 100.
A samordningsnummer is the same with 60 added to the day. An organisationsnummer looks
alike but its "month" is 20 or more, so it never passes as a date and is left alone.

``stdnum.se.personnummer`` is not used for the check: it reads the clock to place a
10-digit number in a century, and it rejects samordningsnummer.
"""

from __future__ import annotations

import datetime
import re
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


# A whole run of digits, so that a longer number (an account, a phone number with its
# country code) never yields a personnummer from its middle.
_CANDIDATE = re.compile(
    r"(?<!\d)(?P<century>\d\d)?(?P<date>\d{6})(?P<separator>[-+]?)(?P<serial>\d{4})(?!\d)"
)
_CENTURIES = frozenset({"18", "19", "20"})
_SAMORDNING_DAY_OFFSET = 60


def find_personnummer(text: str) -> list[IdentityNumber]:
    """Every valid personnummer and samordningsnummer in ``text``, in text order."""
    found: list[IdentityNumber] = []
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
    return _CANDIDATE.sub(_masked, text)


def _masked(match: re.Match[str]) -> str:
    if _kind(match) is None:
        return match.group()
    return match.group()[: match.start("serial") - match.start()] + _MASK


def _kind(match: re.Match[str]) -> Literal["personnummer", "samordningsnummer"] | None:
    century, date, serial = match.group("century"), match.group("date"), match.group("serial")
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
