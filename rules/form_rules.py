"""Which answers of the form Verksamhetsuppgifter are missing or malformed.

The required fields and formats are those of domain/form.md. Only the form's own content
is judged here; whether a form is needed at all (the message's kind) is decided elsewhere.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

from stdnum.se import orgnr

from parsers.form import FORM_LABELS, VerksamhetsForm

__all__ = [
    "REQUIRED_ALWAYS",
    "describe_fields",
    "invalid_fields",
    "is_municipal_provider",
    "missing_fields",
]

# Required for every new_unit / merge_units form (domain/form.md). organisationsnummer,
# ansvarskod and antal_platser depend on the provider and the area; see missing_fields.
REQUIRED_ALWAYS: Final = (
    "typ_av_andring",
    "verksamhetsomrade",
    "utforare",
    "enhetens_namn",
    "startdatum",
    "besoksadress",
    "postnummer",
    "ort",
    "telefon",
    "epost",
    "ansvarig_chef",
    "ansvarig_chef_epost",
    "beskrivning",
)

# "SDF" is how the units themselves abbreviate stadsdelsförvaltning.
_MUNICIPAL_RE: Final = re.compile(
    r"förvaltning|forvaltning|göteborgs\s+stad|goteborgs\s+stad|\bsdf\b", re.IGNORECASE
)


def is_municipal_provider(utforare: str | None) -> bool:
    """True when the provider named on the form is the city itself (form.md)."""
    return bool(utforare and _MUNICIPAL_RE.search(utforare))


def _is_daglig_verksamhet(area: str | None) -> bool:
    return bool(area) and "daglig" in (area or "").lower()


def missing_fields(form: VerksamhetsForm, *, municipal: bool) -> list[str]:
    """Required fields left empty, in the order of the form.

    A municipal unit needs its ekonomisk ansvarskod and no organisationsnummer (the city's
    own is known); a private provider the reverse. Antal platser is asked of daglig
    verksamhet only.
    """
    required = set(REQUIRED_ALWAYS)
    required.add("ansvarskod" if municipal else "organisationsnummer")
    if _is_daglig_verksamhet(form.verksamhetsomrade):
        required.add("antal_platser")
    answered = form.answers()
    return [key for key in FORM_LABELS if key in required and key not in answered]


# --- formats -------------------------------------------------------------------------

# Both "NNNNNN-NNNN" and the ten digits without the dash are accepted: the register stores
# the digits and the check digit is what catches a typing error.
_ORGNR_RE: Final = re.compile(r"\d{6}[- ]?\d{4}")
# form.md writes "NNN NN"; "NNNNN" is the same number and accepted. Swedish postcodes
# run from 100 00 to 984 99, so a leading 0 is a typing error.
_POSTNUMMER_RE: Final = re.compile(r"(?:SE-?\s?)?[1-9]\d{2} ?\d{2}", re.IGNORECASE)
_EMAIL_RE: Final = re.compile(
    r"[\w.!#$%&'*+/=?^`{|}~-]+@[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)*\.[^\W\d_]{2,}"
)
_URL_RE: Final = re.compile(
    r"(?:https?://)?(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}(?::\d{1,5})?(?:[/?#]\S*)?",
    re.IGNORECASE,
)
_PHONE_PREFIX_RE: Final = re.compile(
    r"^(?:tel|tfn|telefon|mobil|växel|vx)\.?\s*:?\s*", re.IGNORECASE
)
_PHONE_SEPARATORS_RE: Final = re.compile(r"\s*(?:,|;|\n|\s/\s|\beller\b|\boch\b)\s*")
_PHONE_NOISE_RE: Final = re.compile(r"[\s\-–()./]")
_SWEDISH_MONTHS: Final = {
    name: number
    for number, names in enumerate(
        (
            ("januari", "jan"),
            ("februari", "feb"),
            ("mars", "mar"),
            ("april", "apr"),
            ("maj",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("augusti", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_ISO_DATE_RE: Final = re.compile(r"(\d{4})-?(\d{1,2})-?(\d{1,2})")
_DMY_DATE_RE: Final = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})")
_WORDY_DATE_RE: Final = re.compile(r"(\d{1,2})\s*(?:e|:e)?\s+([a-zåäö]+)\.?\s+(\d{4})", re.I)
_EARLIEST_YEAR, _LATEST_YEAR = 1990, 2100


def _is_organisationsnummer(text: str) -> bool:
    return bool(_ORGNR_RE.fullmatch(text.strip())) and orgnr.is_valid(text.strip())


def _is_postnummer(text: str) -> bool:
    return bool(_POSTNUMMER_RE.fullmatch(text.strip()))


def _is_email(text: str) -> bool:
    text = text.strip()
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
    return bool(_EMAIL_RE.fullmatch(text)) and ".." not in text


def _is_phone(text: str) -> bool:
    """A Swedish number: 0 + area code + subscriber, 8-10 digits; mobiles (07x) have 10.

    "+46" and "0046" stand for the leading 0, and "+46 (0)31" is common. Several numbers
    separated by "," ";" " / " "eller" "och" must each be valid.
    """
    numbers = [part for part in _PHONE_SEPARATORS_RE.split(text.strip()) if part]
    if not numbers:
        return False
    for number in numbers:
        number = _PHONE_PREFIX_RE.sub("", number).replace("(0)", "")
        digits = _PHONE_NOISE_RE.sub("", number)
        if digits.startswith("+46"):
            digits = "0" + digits[3:]
        elif digits.startswith("0046"):
            digits = "0" + digits[4:]
        if not re.fullmatch(r"0[1-9]\d{6,8}", digits):
            return False
        if digits.startswith("07") and len(digits) != 10:
            return False
    return True


def _is_integer(text: str) -> bool:
    return bool(re.fullmatch(r"\d{1,5}", text.strip()))


def _is_digits(text: str) -> bool:
    return bool(re.fullmatch(r"\d+", re.sub(r"\s", "", text)))


def _is_date(text: str) -> bool:
    """ISO (2027-04-01, 20270401), day first (1/4/2027, 1.4.2027) or "1 april 2027".

    Deliberately small: the full date reader lives in parsers.dates, this only decides
    whether the answer is a real calendar day.
    """
    text = text.strip()
    if match := _ISO_DATE_RE.fullmatch(text):
        year, month, day = (int(group) for group in match.groups())
    elif match := _DMY_DATE_RE.fullmatch(text):
        day, month, year = (int(group) for group in match.groups())
    elif match := _WORDY_DATE_RE.fullmatch(text):
        month_number = _SWEDISH_MONTHS.get(match.group(2).lower())
        if month_number is None:
            return False
        day, month, year = int(match.group(1)), month_number, int(match.group(3))
    else:
        return False
    if not _EARLIEST_YEAR <= year <= _LATEST_YEAR:
        return False
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _is_url(text: str) -> bool:
    return bool(_URL_RE.fullmatch(text.strip()))


_CHECKS: Final = {
    "organisationsnummer": _is_organisationsnummer,
    "ansvarskod": _is_digits,
    "startdatum": _is_date,
    "postnummer": _is_postnummer,
    "telefon": _is_phone,
    "epost": _is_email,
    "webbadress": _is_url,
    "ansvarig_chef_telefon": _is_phone,
    "ansvarig_chef_epost": _is_email,
    "antal_platser": _is_integer,
    "datum": _is_date,
}


def invalid_fields(form: VerksamhetsForm) -> list[str]:
    """Answered fields whose answer fails the field's format, in the order of the form."""
    invalid = []
    for key in FORM_LABELS:
        check = _CHECKS.get(key)
        value = getattr(form, key)
        if check is not None and isinstance(value, str) and not check(value):
            invalid.append(key)
    return invalid


def describe_fields(keys: list[str]) -> str:
    """The fields' labels as on the form: "Ansvarig chef, e-post, Beskrivning av verksamheten"."""
    return ", ".join(FORM_LABELS.get(key, key) for key in keys)
