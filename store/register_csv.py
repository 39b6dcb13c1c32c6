"""The city's register of providers and units as CSV: the column layout, reading and writing.

No database here, so that ``lovbot check`` can read ``[register] file`` and stay offline.

Layout (UTF-8, a header row, one row per unit; a provider without units has one row with
``unit`` empty). Columns fixed by issue 10 for tools outside the project come first:

    provider, organisationsnummer, unit, earlier_names, area, ansvarskod, state, state_from,

then lovbot's own:

    municipal, provider_domains, home_care, contract_start, period_end, options_left,
    provider_valbar_from, starts_on, address, postnummer, ort, phone, email, manager, capacity

Lists (``earlier_names``, ``provider_domains``) are separated by ``;``. Dates are ISO
(YYYY-MM-DD). ``state`` is ``planned``, ``valbar``, ``full`` or ``closed``. ``municipal``
and ``home_care`` are ``ja`` or ``nej`` (empty: nej). Only ``provider`` is always required;
``organisationsnummer`` for a private provider; ``state`` for a row with a unit. A
semicolon-separated file (Excel's Swedish default) is read as well.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from stdnum.exceptions import ValidationError
from stdnum.se import orgnr

from parsers.errors import LovbotError
from rules.register import KnownUnit, RegisterSnapshot

__all__ = [
    "COLUMNS",
    "STATES",
    "RegisterCsvError",
    "RegisterRow",
    "read_register_csv",
    "snapshot_from_csv",
    "write_register_csv",
]

COLUMNS: tuple[str, ...] = (
    "provider",
    "organisationsnummer",
    "unit",
    "earlier_names",
    "area",
    "ansvarskod",
    "state",
    "state_from",
    "municipal",
    "provider_domains",
    "home_care",
    "contract_start",
    "period_end",
    "options_left",
    "provider_valbar_from",
    "starts_on",
    "address",
    "postnummer",
    "ort",
    "phone",
    "email",
    "manager",
    "capacity",
)
_REQUIRED = ("provider", "organisationsnummer", "unit", "state")
STATES = ("planned", "valbar", "full", "closed")
_YES = {"ja": True, "j": True, "yes": True, "true": True, "1": True, "x": True}
_NO = {"nej": False, "n": False, "no": False, "false": False, "0": False, "": False}


class RegisterCsvError(LovbotError):
    """A register CSV with bad rows; the message lists every one of them, in Swedish."""


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """One row of the register CSV, validated."""

    line: int
    provider: str
    organisationsnummer: str | None
    municipal: bool
    provider_domains: tuple[str, ...] = ()
    home_care: bool = False
    contract_start: dt.date | None = None
    period_end: dt.date | None = None
    options_left: int | None = None
    provider_valbar_from: dt.date | None = None
    unit: str | None = None
    earlier_names: tuple[str, ...] = ()
    area: str | None = None
    ansvarskod: str | None = None
    state: str | None = None
    state_from: dt.date | None = None
    starts_on: dt.date | None = None
    address: str | None = None
    postnummer: str | None = None
    ort: str | None = None
    phone: str | None = None
    email: str | None = None
    manager: str | None = None
    capacity: int | None = None
    extra: dict[str, str] = field(default_factory=dict)


def read_register_csv(path: Path) -> list[RegisterRow]:
    """Every row of the file, validated; RegisterCsvError listing all bad rows otherwise."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as err:
        raise RegisterCsvError(
            f"Registerfilen {path} kunde inte läsas: {err.strerror or err}."
        ) from err
    except UnicodeDecodeError as err:
        raise RegisterCsvError(
            f"{path}: filen är inte UTF-8 (spara den som 'CSV UTF-8' i Excel)."
        ) from err
    return parse_register_csv(text, source=str(path))


def parse_register_csv(text: str, *, source: str = "CSV") -> list[RegisterRow]:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        raise RegisterCsvError(
            f"{source}: rubrikraden saknar kolumnerna {', '.join(missing)} "
            f"(kolumner: {', '.join(COLUMNS)})."
        )
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise RegisterCsvError(
            f"{source}: okända kolumner {', '.join(unknown)} (kolumner: {', '.join(COLUMNS)})."
        )
    rows: list[RegisterRow] = []
    errors: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for number, raw in enumerate(reader, start=2):
        values = {(k or "").strip(): _uncell((v or "").strip()) for k, v in raw.items() if k}
        if not any(values.values()):
            continue
        problems: list[str] = []
        row = _row(number, values, problems)
        if row is not None and row.unit:
            key = (row.organisationsnummer or row.provider.casefold(), row.unit.casefold())
            if key in seen:
                problems.append(f"enheten {row.unit} finns redan på rad {seen[key]}")
            seen[key] = number
        if problems:
            errors.extend(f"rad {number}: {p}" for p in problems)
        elif row is not None:
            rows.append(row)
    if errors:
        shown = errors[:50]
        more = f"\n... och {len(errors) - 50} fel till" if len(errors) > 50 else ""
        raise RegisterCsvError(
            f"{source}: {len(errors)} fel, inget har importerats:\n" + "\n".join(shown) + more
        )
    return rows


def _row(line: int, values: dict[str, str], problems: list[str]) -> RegisterRow | None:
    def text(key: str) -> str | None:
        return values.get(key) or None

    def date(key: str) -> dt.date | None:
        value = values.get(key, "")
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            problems.append(f"{key} '{value}' är inget datum (skriv ÅÅÅÅ-MM-DD)")
            return None

    def number(key: str) -> int | None:
        value = values.get(key, "")
        if not value:
            return None
        if not value.isdigit():
            problems.append(f"{key} '{value}' är inget heltal")
            return None
        return int(value)

    def flag(key: str) -> bool:
        value = values.get(key, "").casefold()
        if value in _YES:
            return True
        if value not in _NO:
            problems.append(f"{key} '{values[key]}' ska vara ja eller nej")
        return False

    provider = text("provider")
    if provider is None:
        problems.append("provider (utförarens namn) saknas")
    municipal = flag("municipal")
    number_given = text("organisationsnummer")
    organisationsnummer: str | None = None
    if number_given is None:
        if not municipal:
            problems.append("organisationsnummer saknas för en privat utförare")
    else:
        try:
            organisationsnummer = orgnr.format(orgnr.validate(number_given))
        except ValidationError:
            # The number itself is not repeated: a sole trader's is a personnummer.
            problems.append("organisationsnumret är ogiltigt (fel längd eller kontrollsiffra)")
    unit = text("unit")
    state = values.get("state", "").casefold() or None
    if unit is not None:
        if state is None:
            problems.append(f"state saknas för enheten {unit} ({', '.join(STATES)})")
        elif state not in STATES:
            problems.append(
                f"okänt tillstånd '{values['state']}' för enheten {unit} "
                f"(planned, valbar, full eller closed)"
            )
    elif any(values.get(k) for k in ("earlier_names", "state", "capacity", "ansvarskod")):
        problems.append("uppgifter om en enhet utan enhetens namn (kolumnen unit)")
    row = RegisterRow(
        line=line,
        provider=provider or "",
        organisationsnummer=organisationsnummer,
        municipal=municipal,
        provider_domains=_split(values.get("provider_domains", "")),
        home_care=flag("home_care"),
        contract_start=date("contract_start"),
        period_end=date("period_end"),
        options_left=number("options_left"),
        provider_valbar_from=date("provider_valbar_from"),
        unit=unit,
        earlier_names=_split(values.get("earlier_names", "")),
        area=text("area"),
        ansvarskod=text("ansvarskod"),
        state=state if unit else None,
        state_from=date("state_from"),
        starts_on=date("starts_on"),
        address=text("address"),
        postnummer=text("postnummer"),
        ort=text("ort"),
        phone=text("phone"),
        email=text("email"),
        manager=text("manager"),
        capacity=number("capacity"),
    )
    return None if problems else row


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


def write_register_csv(rows: Iterable[RegisterRow], out: io.TextIOBase | io.StringIO) -> int:
    """Write rows in the layout above; returns how many."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for row in rows:
        writer.writerow([_cell(getattr(row, column)) for column in COLUMNS])
        count += 1
    return count


# A cell starting with one of these is a formula to Excel and LibreOffice. Unit names and
# contact details come from mail anyone can send, and EKU opens the export in Excel, so
# such a cell is written with a leading apostrophe (OWASP's advice for CSV injection), and
# the apostrophe is taken off again on import.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, tuple):
        text = ";".join(str(v) for v in value)
    elif isinstance(value, dt.date):
        return value.isoformat()
    else:
        text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _uncell(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


def snapshot_from_csv(rows: Sequence[RegisterRow]) -> RegisterSnapshot:
    """The units of a register file, for ``check`` (issue 10: check stays offline)."""
    return RegisterSnapshot(
        tuple(
            KnownUnit(
                name=row.unit,
                earlier_names=row.earlier_names,
                state=row.state or "valbar",
                provider=row.provider,
            )
            for row in rows
            if row.unit
        )
    )
