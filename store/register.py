"""The register of providers and units: reads, CSV import and export, and the changes cases make.

Every function takes a Session and never commits (the command or job owns the
transaction). Every change to a unit or provider is a ``RegisterChange`` row holding the
record before and after it, so that EKU can undo it (``lovbot register undo``) and the
register can be shown as of an earlier day (``export --at``).

A complete case changes the register on its effective date, not before (issue 10):
``apply_due`` does what is due on a given day and records each case's step once, so it
can run daily and again by hand without doing anything twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session
from stdnum.exceptions import ValidationError
from stdnum.se import orgnr

from parsers.cues import UNIT_CHANGES
from parsers.errors import LovbotError
from parsers.understand import Understanding
from rules.form_rules import is_municipal_provider
from rules.onboarding import missing_items
from rules.register import KnownUnit, RegisterSnapshot, match_unit
from store.models import (
    AuditEntry,
    Case,
    Provider,
    ProviderChecklistItem,
    RegisterChange,
    Unit,
    utcnow,
)
from store.register_csv import RegisterRow
from store.repository import audit

__all__ = [
    "REGISTER_KINDS",
    "RegisterError",
    "UpcomingChange",
    "apply_due",
    "changes_ahead",
    "contracts_ending",
    "decide_valbar",
    "export_rows",
    "find_provider",
    "import_rows",
    "known_provider_domains",
    "provider_for_domain",
    "providers_awaiting_decision",
    "register_snapshot",
    "register_units",
    "snapshot_without",
    "undo_change",
    "units_in_state",
]

BOT = "lovbot"
REGISTER_KINDS = UNIT_CHANGES
_UNIT_FIELDS = (
    "provider_id",
    "name",
    "earlier_names",
    "area",
    "ansvarskod",
    "address",
    "postnummer",
    "ort",
    "phone",
    "email",
    "manager",
    "capacity",
    "state",
    "state_from",
    "starts_on",
    "state_case_id",
)
_PROVIDER_FIELDS = (
    "name",
    "organisationsnummer",
    "domains",
    "municipal",
    "home_care",
    "contract_start",
    "period_end",
    "options_left",
    "valbar_decided_on",
    "valbar_decided_by",
)
_DATES = frozenset({"state_from", "starts_on", "contract_start", "period_end", "valbar_decided_on"})
# The form's answers (report_line's form.fields) that update_details may change.
_FORM_TO_UNIT = {
    "besoksadress": "address",
    "postnummer": "postnummer",
    "ort": "ort",
    "telefon": "phone",
    "epost": "email",
    "ansvarig_chef": "manager",
    "ansvarskod": "ansvarskod",
    "verksamhetsomrade": "area",
}


def _places(fields: dict[str, str]) -> int | None:
    """The form's antal platser ("18", "18 platser"): a daily-activity unit's ceiling."""
    words = fields.get("antal_platser", "").split()
    return int(words[0]) if words and words[0].isdigit() else None


class RegisterError(LovbotError):
    """A register command was given something it cannot act on."""


# --- snapshots: the record before and after a change -------------------------------------


def _snapshot(record: Unit | Provider, fields: Sequence[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in fields:
        value = getattr(record, name)
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, list):
            value = list(value)
        values[name] = value
    return values


def _restore(record: Unit | Provider, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if name in _DATES and value is not None:
            value = dt.date.fromisoformat(value)
        setattr(record, name, value)


def _unit_values(values: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if values is None else {k: values.get(k) for k in _UNIT_FIELDS}


def _record(
    session: Session,
    *,
    actor: str,
    step: str,
    case: Case | None = None,
    unit: Unit | None = None,
    provider: Provider | None = None,
    before: dict[str, Any] | None,
    effective: dt.date | None,
    note: str | None = None,
) -> RegisterChange:
    session.flush()
    after: dict[str, Any] | None
    if unit is not None:
        after = _snapshot(unit, _UNIT_FIELDS)
    elif provider is not None:
        after = _snapshot(provider, _PROVIDER_FIELDS)
    else:
        after = None
    if note is not None:
        after = {**(after or {}), "note": note}
    change = RegisterChange(
        actor=actor,
        step=step,
        case_id=case.id if case is not None else None,
        unit_id=unit.id if unit is not None else None,
        provider_id=provider.id if provider is not None and unit is None else None,
        effective=effective,
        before=before,
        after=after,
    )
    session.add(change)
    session.flush()
    audit(
        session,
        actor,
        "register_changed",
        case=case,
        change=change.id,
        step=step,
        unit=unit.name if unit is not None else None,
        provider=provider.name if provider is not None else None,
        note=note,
    )
    return change


# --- reads -------------------------------------------------------------------------------


def _decided() -> ColumnElement[bool]:
    """Cases whose change the register follows: complete ones, and those whose orders EKU
    approved out of Granska (an unsure reading holds its orders until EKU approves;
    approving them is EKU vouching for the reading, and the owners act on the orders)."""
    approved = select(AuditEntry.case_id).where(AuditEntry.action == "order_approved")
    return or_(Case.status == "complete", Case.id.in_(approved))


def register_snapshot(session: Session, *, leave_out_case: int | None = None) -> RegisterSnapshot:
    """The units as the rules see them, for matching names in mail.

    ``leave_out_case``: units this case itself put in the register (a new unit's planned
    row), so that a follow-up in its thread is not told its unit already exists.
    """
    return snapshot_without(register_units(session), leave_out_case)


def register_units(session: Session) -> list[tuple[KnownUnit, int | None]]:
    """Every unit as the rules see it, with the case that last set its state.

    For reading many messages against one register (a batch, intake/cases.py): read once,
    then ``snapshot_without`` per message.
    """
    rows = session.execute(
        select(Unit, Provider.name).outerjoin(Provider, Unit.provider_id == Provider.id)
    ).all()
    return [
        (
            KnownUnit(
                name=unit.name,
                earlier_names=tuple(unit.earlier_names or ()),
                state=unit.state,
                provider=provider,
                unit_id=unit.id,
            ),
            unit.state_case_id,
        )
        for unit, provider in rows
    ]


def snapshot_without(
    units: list[tuple[KnownUnit, int | None]], leave_out_case: int | None
) -> RegisterSnapshot:
    """The snapshot of ``units`` without those ``leave_out_case`` put in the register."""
    return RegisterSnapshot(
        tuple(
            unit
            for unit, case_id in units
            if leave_out_case is None or case_id is None or case_id != leave_out_case
        )
    )


def normalise_orgnr(number: str) -> str:
    try:
        return str(orgnr.format(orgnr.validate(number)))
    except ValidationError as err:
        raise RegisterError(
            "Organisationsnumret är ogiltigt (fel längd eller kontrollsiffra)."
        ) from err


def find_provider(session: Session, key: str) -> Provider | None:
    """A provider by organisationsnummer, else by one of its mail domains."""
    if any(ch.isdigit() for ch in key) and "." not in key:
        number = normalise_orgnr(key)
        return session.scalars(
            select(Provider).where(Provider.organisationsnummer == number)
        ).first()
    return provider_for_domain(session, key)


def provider_for_domain(session: Session, domain: str | None) -> Provider | None:
    """The provider whose mail domain this is (a subdomain counts as its parent's)."""
    if not domain:
        return None
    wanted = domain.lower().rstrip(".")
    for provider in session.scalars(select(Provider).order_by(Provider.id)):
        for own in provider.domains or ():
            own = str(own).lower()
            if wanted == own or wanted.endswith("." + own):
                return provider
    return None


def known_provider_domains(session: Session) -> list[str]:
    """Mail domains of the providers the city knows: in its register with an
    organisationsnummer, or decided valbar. A provider the bot added from a first
    onboarding mail alone is not vouched for by anyone yet."""
    found: list[str] = []
    for provider in session.scalars(
        select(Provider)
        .where(Provider.organisationsnummer.is_not(None) | Provider.valbar_decided_on.is_not(None))
        .order_by(Provider.id)
    ):
        found.extend(str(d).lower() for d in provider.domains or () if str(d).lower() not in found)
    return found


def units_in_state(session: Session, state: str) -> list[tuple[Unit, Provider | None]]:
    rows = session.execute(
        select(Unit, Provider)
        .outerjoin(Provider, Unit.provider_id == Provider.id)
        .where(Unit.state == state)
        .order_by(Unit.name)
    ).all()
    return [(unit, provider) for unit, provider in rows]


def contracts_ending(
    session: Session, today: dt.date, *, lead_days: int
) -> list[tuple[Provider, dt.date]]:
    """Providers whose contract period ends within ``lead_days``, with the last day to
    tell them whether the option is taken (seed 001: three months before the end)."""
    horizon = today + dt.timedelta(days=lead_days)
    found: list[tuple[Provider, dt.date]] = []
    for provider in session.scalars(
        select(Provider)
        .where(Provider.period_end.is_not(None), Provider.period_end >= today)
        .order_by(Provider.period_end)
    ):
        assert provider.period_end is not None
        if provider.period_end <= horizon:
            found.append((provider, _months_before(provider.period_end, 3)))
    return found


def providers_awaiting_decision(session: Session) -> list[tuple[Provider, list[str]]]:
    """Providers EKU has not yet decided on, each with the checklist items still missing
    (an empty list: the checklist is complete and the provider is ready for a decision).
    Municipal units need no decision; decided providers finished onboarding, some before
    the bot kept checklists."""
    return [
        (provider, missing_for_decision(provider))
        for provider in session.scalars(
            select(Provider)
            .where(Provider.valbar_decided_on.is_(None), Provider.municipal.is_(False))
            .order_by(Provider.name)
        )
    ]


# What a complete case not yet applied will do to its units, as the digest says it.
_CHANGE_WORDS = {
    "close_unit": "avslutas (sista dag {date})",
    "rename_unit": "byter namn till {new_name} den {date}",
    "merge_units": "slås samman den {date}",
    "capacity_full": "blir full den {date}",
    "capacity_available": "blir valbar igen den {date}",
}


@dataclass(frozen=True, slots=True)
class UpcomingChange:
    """Units whose state changes within the coming days, and what happens: a planned unit
    starting, or what a complete case asked for (``case``) that the register has not made."""

    day: dt.date
    unit: str
    provider: str | None
    what: str
    case: Case | None = None


def changes_ahead(session: Session, today: dt.date, *, days: int = 14) -> list[UpcomingChange]:
    """Issue 10's "units changing state in the next 14 days", for the digest and the review
    app: planned units starting by then (also those past their start day that still wait
    for EKU's decision), then the cases' changes in date order."""
    horizon = today + dt.timedelta(days=days)
    found: list[UpcomingChange] = []
    for unit in session.scalars(
        select(Unit)
        .where(Unit.state == "planned", Unit.starts_on.is_not(None), Unit.starts_on <= horizon)
        .order_by(Unit.starts_on, Unit.name)
    ):
        assert unit.starts_on is not None
        provider = unit.provider
        waiting = provider is not None and not (provider.municipal or provider.valbar_decided_on)
        what = (
            f"start {unit.starts_on}, men utföraren väntar på EKU:s beslut om valbarhet"
            if waiting
            else f"blir valbar {unit.starts_on}"
        )
        found.append(
            UpcomingChange(unit.starts_on, unit.name, provider.name if provider else None, what)
        )
    applied = select(RegisterChange.case_id).where(RegisterChange.case_id.is_not(None))
    for case in session.scalars(
        select(Case)
        .where(
            _decided(),
            Case.kind.in_(tuple(_CHANGE_WORDS)),
            Case.effective_date > today,
            Case.effective_date <= horizon,
            Case.id.not_in(applied),
        )
        .order_by(Case.effective_date, Case.id)
    ):
        assert case.effective_date is not None
        what = _CHANGE_WORDS[case.kind].format(date=case.effective_date, new_name=case.new_name)
        units = ", ".join(case.units or []) or "enhet saknas"
        found.append(UpcomingChange(case.effective_date, units, None, what, case))
    return found


def _months_before(day: dt.date, months: int) -> dt.date:
    month = day.month - months
    year = day.year
    while month < 1:
        month += 12
        year -= 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError(day)


# --- CSV import and export ---------------------------------------------------------------


def import_rows(
    session: Session,
    rows: Sequence[RegisterRow],
    *,
    actor: str,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Bring the rows into the register; (providers, units) touched. The caller commits
    once, so a failure leaves nothing half-imported."""
    providers: dict[int, Provider] = {}
    units = 0
    for done, row in enumerate(rows, start=1):
        provider = _import_provider(session, row, actor=actor)
        providers[provider.id] = provider
        if row.unit:
            _import_unit(session, provider, row, actor=actor)
            units += 1
        if progress is not None:
            progress(done, len(rows))
    return len(providers), units


def _import_provider(session: Session, row: RegisterRow, *, actor: str) -> Provider:
    if row.organisationsnummer and not row.municipal:
        provider = session.scalars(
            select(Provider).where(Provider.organisationsnummer == row.organisationsnummer)
        ).first()
    else:
        provider = session.scalars(
            select(Provider).where(Provider.name == row.provider, Provider.municipal.is_(True))
        ).first()
    if provider is None and row.provider_domains:
        provider = provider_for_domain(session, row.provider_domains[0])
    before = _snapshot(provider, _PROVIDER_FIELDS) if provider is not None else None
    if provider is None:
        provider = Provider(name=row.provider, domains=[])
        session.add(provider)
    provider.name = row.provider
    provider.organisationsnummer = row.organisationsnummer
    provider.municipal = row.municipal
    provider.home_care = row.home_care or provider.home_care
    domains = list(provider.domains or [])
    provider.domains = domains + [d for d in row.provider_domains if d not in domains]
    provider.contract_start = row.contract_start or provider.contract_start
    provider.period_end = row.period_end or provider.period_end
    if row.options_left is not None:
        provider.options_left = row.options_left
    if row.provider_valbar_from is not None:
        provider.valbar_decided_on = row.provider_valbar_from
    session.flush()
    if before != _snapshot(provider, _PROVIDER_FIELDS):
        _record(
            session,
            actor=actor,
            step="import",
            provider=provider,
            before=before,
            effective=None,
        )
    return provider


def _import_unit(session: Session, provider: Provider, row: RegisterRow, *, actor: str) -> None:
    assert row.unit is not None and row.state is not None
    unit = session.scalars(
        select(Unit).where(Unit.provider_id == provider.id, Unit.name == row.unit)
    ).first()
    before = _snapshot(unit, _UNIT_FIELDS) if unit is not None else None
    if unit is None:
        unit = Unit(provider_id=provider.id, name=row.unit, state=row.state)
        session.add(unit)
    unit.earlier_names = list(row.earlier_names)
    unit.area = row.area
    unit.ansvarskod = row.ansvarskod
    unit.address = row.address
    unit.postnummer = row.postnummer
    unit.ort = row.ort
    unit.phone = row.phone
    unit.email = row.email
    unit.manager = row.manager
    unit.capacity = row.capacity
    unit.state = row.state
    unit.state_from = row.state_from
    unit.starts_on = row.starts_on
    session.flush()
    if before != _snapshot(unit, _UNIT_FIELDS):
        _record(session, actor=actor, step="import", unit=unit, before=before, effective=None)


def export_rows(session: Session, *, at: dt.date | None = None) -> list[RegisterRow]:
    """The register as rows, now or as it was on ``at`` (changes dated later are undone
    in memory; imports count from when they were made)."""
    providers = {p.id: p for p in session.scalars(select(Provider).order_by(Provider.name))}
    units: dict[int, dict[str, Any] | None] = {
        u.id: _snapshot(u, _UNIT_FIELDS) for u in session.scalars(select(Unit))
    }
    if at is not None:
        for change in session.scalars(
            select(RegisterChange)
            .where(
                RegisterChange.undone_at.is_(None),
                RegisterChange.unit_id.is_not(None),
                RegisterChange.effective > at,
            )
            .order_by(RegisterChange.id.desc())
        ):
            assert change.unit_id is not None
            units[change.unit_id] = _unit_values(change.before)
    by_provider: dict[int | None, list[dict[str, Any]]] = {}
    for values in units.values():
        if values is not None:
            by_provider.setdefault(values["provider_id"], []).append(values)
    rows: list[RegisterRow] = []
    for provider_id, provider in providers.items():
        mine = by_provider.pop(provider_id, [])
        own: list[dict[str, Any] | None] = [*sorted(mine, key=_by_name)]
        for values in own or [None]:
            rows.append(_export_row(provider, values))
    for values in by_provider.get(None, []):
        rows.append(_export_row(None, values))
    return rows


def _by_name(values: dict[str, Any]) -> str:
    return str(values["name"]).casefold()


def _export_row(provider: Provider | None, values: dict[str, Any] | None) -> RegisterRow:
    def date(key: str) -> dt.date | None:
        value = (values or {}).get(key)
        return dt.date.fromisoformat(value) if value else None

    unit = values or {}
    return RegisterRow(
        line=0,
        provider=provider.name if provider else "",
        organisationsnummer=provider.organisationsnummer if provider else None,
        municipal=provider.municipal if provider else True,
        provider_domains=tuple(provider.domains or ()) if provider else (),
        home_care=provider.home_care if provider else False,
        contract_start=provider.contract_start if provider else None,
        period_end=provider.period_end if provider else None,
        options_left=provider.options_left if provider else None,
        provider_valbar_from=provider.valbar_decided_on if provider else None,
        unit=unit.get("name"),
        earlier_names=tuple(unit.get("earlier_names") or ()),
        area=unit.get("area"),
        ansvarskod=unit.get("ansvarskod"),
        state=unit.get("state"),
        state_from=date("state_from"),
        starts_on=date("starts_on"),
        address=unit.get("address"),
        postnummer=unit.get("postnummer"),
        ort=unit.get("ort"),
        phone=unit.get("phone"),
        email=unit.get("email"),
        manager=unit.get("manager"),
        capacity=unit.get("capacity"),
    )


# --- what complete cases do to the register ---------------------------------------------


@dataclass(frozen=True, slots=True)
class _Context:
    session: Session
    case: Case
    today: dt.date
    actor: str
    municipal_domains: tuple[str, ...]
    done: frozenset[str]


def apply_due(
    session: Session,
    today: dt.date,
    *,
    actor: str = BOT,
    municipal_domains: Sequence[str] = ("goteborg.se",),
) -> list[RegisterChange]:
    """Do what complete cases (and those whose orders EKU approved) ask of the register on
    or before ``today``; each case's step once (a second run the same day changes nothing).
    """
    made: list[RegisterChange] = []
    steps: dict[int, set[str]] = {}
    for case_id, step in session.execute(
        select(RegisterChange.case_id, RegisterChange.step).where(
            RegisterChange.case_id.is_not(None)
        )
    ):
        if case_id is not None:
            steps.setdefault(case_id, set()).add(step)
    for case in session.scalars(
        select(Case)
        .where(_decided(), Case.effective_date.is_not(None))
        .order_by(Case.effective_date, Case.id)
    ):
        context = _Context(
            session,
            case,
            today,
            actor,
            tuple(municipal_domains),
            frozenset(steps.get(case.id, set())),
        )
        for kind in (case.kind, *(case.also or ())):
            handler = _HANDLERS.get(kind)
            if handler is not None:
                made.extend(handler(context))
    return made


def _effective(case: Case) -> dt.date:
    assert case.effective_date is not None
    return case.effective_date


def _find_unit(session: Session, name: str) -> Unit | None:
    match = match_unit(name, register_snapshot(session))
    if match is None or match.unit.unit_id is None:
        return None
    return session.get(Unit, match.unit.unit_id)


def _unknown(context: _Context, step: str, name: str | None) -> RegisterChange:
    return _record(
        context.session,
        actor=context.actor,
        step=step,
        case=context.case,
        before=None,
        effective=_effective(context.case),
        note=f"enheten {name or '(utan namn)'} finns inte i registret; inget ändrat",
    )


def _set_state(
    context: _Context, step: str, unit: Unit, state: str, since: dt.date, note: str | None = None
) -> RegisterChange:
    before = _snapshot(unit, _UNIT_FIELDS)
    unit.state = state
    unit.state_from = since
    unit.state_case_id = context.case.id
    return _record(
        context.session,
        actor=context.actor,
        step=step,
        case=context.case,
        unit=unit,
        before=before,
        effective=since,
        note=note,
    )


def _form_fields(case: Case) -> dict[str, str]:
    fields = ((case.result or {}).get("form") or {}).get("fields") or {}
    return {k: v for k, v in fields.items() if isinstance(v, str) and v.strip()}


def _domain(case: Case) -> str | None:
    sender = case.sender or ""
    return sender.rsplit("@", 1)[1].lower() if "@" in sender else None


def _provider_allows_valbar(provider: Provider | None) -> bool:
    """seed 000: a new private provider's units are valbar only after EKU's decision.

    "New" is a provider on its onboarding checklist: one the register has no checklist for
    was approved before lovbot kept checklists, and its new units open on their start day
    as before, or every established provider would wait for a decision made years ago.
    """
    if provider is None or provider.municipal or provider.valbar_decided_on is not None:
        return True
    return not provider.items


def _case_provider(context: _Context) -> Provider:
    """The provider a new unit belongs to: the sender's, or a new one named by the form."""
    session, case = context.session, context.case
    domain = _domain(case)
    fields = _form_fields(case)
    provider = provider_for_domain(session, domain)
    if provider is None and fields.get("organisationsnummer"):
        try:
            provider = find_provider(session, fields["organisationsnummer"])
        except RegisterError:
            provider = None
    if provider is not None:
        return provider
    municipal = any(
        domain is not None and (domain == d or domain.endswith("." + d))
        for d in context.municipal_domains
    ) or is_municipal_provider(fields.get("utforare"))
    provider = Provider(
        name=fields.get("utforare") or domain or "okänd utförare",
        domains=[domain] if domain else [],
        municipal=municipal,
    )
    session.add(provider)
    session.flush()
    _record(
        session,
        actor=context.actor,
        step="provider_created",
        case=case,
        provider=provider,
        before=None,
        effective=None,
    )
    return provider


def _received_on(case: Case) -> dt.date | None:
    sent = (case.result or {}).get("received")
    try:
        return dt.datetime.fromisoformat(sent).date() if sent else None
    except ValueError:
        return None


def _new_unit(context: _Context) -> list[RegisterChange]:
    session, case = context.session, context.case
    start = _effective(case)
    fields = _form_fields(case)
    name = (case.units or [None])[0] or fields.get("enhetens_namn")
    made: list[RegisterChange] = []
    if "new_unit:planned" not in context.done:
        if not name:
            return [_unknown(context, "new_unit:planned", None)]
        unit = session.scalars(select(Unit).where(Unit.name == name)).first()
        before = _snapshot(unit, _UNIT_FIELDS) if unit is not None else None
        if unit is not None and unit.state != "closed":
            made.append(
                _record(
                    session,
                    actor=context.actor,
                    step="new_unit:planned",
                    case=case,
                    unit=unit,
                    before=before,
                    effective=start,
                    note="enheten finns redan i registret; inget ändrat",
                )
            )
            return made
        provider = _case_provider(context)
        if unit is None:
            unit = Unit(name=name, state="planned", earlier_names=[])
            session.add(unit)
        unit.provider_id = provider.id
        unit.state = "planned"
        # Planned from the day its latest mail came (or apply first saw it, if earlier).
        unit.state_from = min(context.today, start, _received_on(case) or context.today)
        unit.starts_on = start
        unit.state_case_id = case.id
        unit.ansvarskod = case.ansvarskod or fields.get("ansvarskod")
        unit.area = fields.get("verksamhetsomrade")
        for key, column in _FORM_TO_UNIT.items():
            if fields.get(key):
                setattr(unit, column, fields[key])
        unit.capacity = _places(fields)
        made.append(
            _record(
                session,
                actor=context.actor,
                step="new_unit:planned",
                case=case,
                unit=unit,
                before=before,
                effective=unit.state_from,
            )
        )
    if "new_unit:valbar" not in context.done and start <= context.today and name:
        unit = session.scalars(
            select(Unit).where(Unit.name == name, Unit.state_case_id == case.id)
        ).first()
        if unit is not None and unit.state == "planned":
            owner = session.get(Provider, unit.provider_id) if unit.provider_id else None
            if _provider_allows_valbar(owner):
                made.append(_set_state(context, "new_unit:valbar", unit, "valbar", start))
            else:
                made.append(
                    _record(
                        session,
                        actor=context.actor,
                        step="new_unit:valbar",
                        case=case,
                        unit=unit,
                        before=_snapshot(unit, _UNIT_FIELDS),
                        effective=start,
                        note="utföraren väntar på EKU:s beslut om valbarhet; enheten är planerad",
                    )
                )
    return made


def _close_unit(context: _Context) -> list[RegisterChange]:
    last_day = _effective(context.case)
    if "close_unit" in context.done or context.today <= last_day:
        return []
    made: list[RegisterChange] = []
    for name in context.case.units or [None]:
        unit = _find_unit(context.session, name) if name else None
        if unit is None:
            made.append(_unknown(context, "close_unit", name))
            continue
        made.append(_set_state(context, "close_unit", unit, "closed", last_day + dt.timedelta(1)))
    return made


def _rename_unit(context: _Context) -> list[RegisterChange]:
    case = context.case
    day = _effective(case)
    if "rename_unit" in context.done or context.today < day or not case.new_name:
        return []
    name = (case.units or [None])[0]
    unit = _find_unit(context.session, name) if name else None
    if unit is None:
        return [_unknown(context, "rename_unit", name)]
    before = _snapshot(unit, _UNIT_FIELDS)
    _rename(unit, case.new_name)
    return [
        _record(
            context.session,
            actor=context.actor,
            step="rename_unit",
            case=case,
            unit=unit,
            before=before,
            effective=day,
        )
    ]


def _rename(unit: Unit, new_name: str) -> None:
    if new_name == unit.name:
        return
    earlier = [n for n in unit.earlier_names or [] if n != new_name]
    unit.earlier_names = [*earlier, unit.name]
    unit.name = new_name


def _merge_units(context: _Context) -> list[RegisterChange]:
    session, case = context.session, context.case
    day = _effective(case)
    if "merge_units" in context.done or context.today < day:
        return []
    remaining_name = _latest(case, "merge_remaining_unit")
    merged = [(n, _find_unit(session, n)) for n in case.units or [] if n != case.new_name]
    made: list[RegisterChange] = []
    remaining: Unit | None = None
    if remaining_name:
        remaining = _find_unit(session, remaining_name)
    if remaining is None and case.new_name:
        remaining = _find_unit(session, case.new_name)
        if remaining is None:
            first = next((u for _, u in merged if u is not None), None)
            remaining = Unit(
                name=case.new_name,
                provider_id=first.provider_id if first else None,
                area=first.area if first else None,
                state="planned",
                earlier_names=[],
            )
            session.add(remaining)
            session.flush()
            made.append(
                _record(
                    session,
                    actor=context.actor,
                    step="merge_units",
                    case=case,
                    unit=remaining,
                    before=None,
                    effective=day,
                )
            )
    if remaining is None:
        return [
            _record(
                session,
                actor=context.actor,
                step="merge_units",
                case=case,
                before=None,
                effective=day,
                note="det framgår inte vilken enhet som finns kvar; EKU uppdaterar registret",
            )
        ]
    for name, unit in merged:
        if unit is None:
            made.append(_unknown(context, "merge_units", name))
        elif unit.id != remaining.id and unit.state != "closed":
            made.append(_set_state(context, "merge_units", unit, "closed", day))
    before = _snapshot(remaining, _UNIT_FIELDS)
    if case.new_name:
        _rename(remaining, case.new_name)
    remaining.state = "valbar"
    remaining.state_from = day
    remaining.state_case_id = case.id
    made.append(
        _record(
            session,
            actor=context.actor,
            step="merge_units",
            case=case,
            unit=remaining,
            before=before,
            effective=day,
        )
    )
    return made


def _latest(case: Case, attribute: str) -> Any:
    for message in reversed(case.messages):
        if message.understanding:
            value = getattr(Understanding.model_validate(message.understanding), attribute)
            if value:
                return value
    return None


def _capacity(context: _Context, kind: str) -> list[RegisterChange]:
    case = context.case
    day = _effective(case)
    if kind in context.done or context.today < day:
        return []
    made: list[RegisterChange] = []
    queue = any(f.code == "queue_remains" for f in case.findings)
    for name in case.units or [None]:
        unit = _find_unit(context.session, name) if name else None
        if unit is None:
            made.append(_unknown(context, kind, name))
        elif kind == "capacity_full" and unit.state in ("valbar", "full"):
            made.append(_set_state(context, kind, unit, "full", day))
        elif kind == "capacity_available" and queue:
            made.append(
                _record(
                    context.session,
                    actor=context.actor,
                    step=kind,
                    case=case,
                    unit=unit,
                    before=_snapshot(unit, _UNIT_FIELDS),
                    effective=day,
                    note="lediga platser men kön finns kvar: enheten är inte valbar (seed 004)",
                )
            )
        elif kind == "capacity_available" and unit.state in ("full", "valbar"):
            made.append(_set_state(context, kind, unit, "valbar", day))
        else:
            made.append(
                _record(
                    context.session,
                    actor=context.actor,
                    step=kind,
                    case=case,
                    unit=unit,
                    before=_snapshot(unit, _UNIT_FIELDS),
                    effective=day,
                    note=f"enheten är {unit.state}; tillståndet ändras inte",
                )
            )
    return made


def _update_details(context: _Context) -> list[RegisterChange]:
    case = context.case
    day = _effective(case)
    if "update_details" in context.done or context.today < day:
        return []
    name = (case.units or [None])[0]
    unit = _find_unit(context.session, name) if name else None
    if unit is None:
        return [_unknown(context, "update_details", name)]
    before = _snapshot(unit, _UNIT_FIELDS)
    fields = _form_fields(case)
    for key, column in _FORM_TO_UNIT.items():
        if fields.get(key):
            setattr(unit, column, fields[key])
    if case.ansvarskod:
        unit.ansvarskod = case.ansvarskod
    if _places(fields) is not None:
        # seed 004: a raised or lowered kapacitetstak; a lowered one that is reached comes
        # as capacity_full in the same mail and makes the unit full.
        unit.capacity = _places(fields)
    note = None if _snapshot(unit, _UNIT_FIELDS) != before else "inga uppgifter att ändra"
    return [
        _record(
            context.session,
            actor=context.actor,
            step="update_details",
            case=case,
            unit=unit,
            before=before,
            effective=day,
            note=note,
        )
    ]


_HANDLERS: dict[str, Callable[[_Context], list[RegisterChange]]] = {
    "new_unit": _new_unit,
    "close_unit": _close_unit,
    "rename_unit": _rename_unit,
    "merge_units": _merge_units,
    "capacity_full": lambda c: _capacity(c, "capacity_full"),
    "capacity_available": lambda c: _capacity(c, "capacity_available"),
    "update_details": _update_details,
}


# --- EKU's own changes -------------------------------------------------------------------


def decide_valbar(
    session: Session, key: str, *, today: dt.date, actor: str
) -> tuple[Provider, list[Unit]]:
    """EKU's decision that a provider is valbar (seed 000); its planned units whose start
    has come become valbar now, later ones on their start day."""
    provider = find_provider(session, key)
    if provider is None:
        raise RegisterError(f"Ingen utförare med organisationsnummer eller domän {key}.")
    if provider.valbar_decided_on is not None:
        return provider, []
    before = _snapshot(provider, _PROVIDER_FIELDS)
    provider.valbar_decided_on = today
    provider.valbar_decided_by = actor
    _record(
        session,
        actor=actor,
        step="provider_valbar",
        provider=provider,
        before=before,
        effective=today,
    )
    opened: list[Unit] = []
    for unit in provider.units:
        if unit.state == "planned" and (unit.starts_on is None or unit.starts_on <= today):
            before_unit = _snapshot(unit, _UNIT_FIELDS)
            unit.state = "valbar"
            unit.state_from = today
            _record(
                session,
                actor=actor,
                step="provider_valbar",
                unit=unit,
                before=before_unit,
                effective=today,
            )
            opened.append(unit)
    return provider, opened


def missing_for_decision(provider: Provider) -> list[str]:
    return missing_items([i.item for i in provider.items], home_care=provider.home_care)


def undo_change(session: Session, change_id: int, *, actor: str) -> RegisterChange:
    """Put a unit or provider back as it was before one change (EKU's correction)."""
    change = session.get(RegisterChange, change_id)
    if change is None:
        raise RegisterError(f"Ändring {change_id} finns inte.")
    if change.undone_at is not None:
        raise RegisterError(f"Ändring {change_id} är redan ångrad ({change.undone_by}).")
    if change.unit_id is None and change.provider_id is None:
        raise RegisterError(f"Ändring {change_id} ändrade inget i registret.")
    column = RegisterChange.unit_id if change.unit_id else RegisterChange.provider_id
    target = change.unit_id or change.provider_id
    later = session.scalars(
        select(RegisterChange.id)
        .where(column == target, RegisterChange.id > change.id, RegisterChange.undone_at.is_(None))
        .order_by(RegisterChange.id.desc())
    ).first()
    if later is not None:
        raise RegisterError(
            f"Ändring {change_id} kan inte ångras före den senare ändringen {later} "
            f"av samma post; ångra den först."
        )
    if change.unit_id is not None:
        unit = session.get(Unit, change.unit_id)
        assert unit is not None
        if change.before is None:
            for other in session.scalars(
                select(RegisterChange).where(RegisterChange.unit_id == unit.id)
            ):
                other.unit_id = None
            session.delete(unit)
        else:
            _restore(unit, _unit_values(change.before) or {})
    else:
        provider = session.get(Provider, change.provider_id)
        assert provider is not None
        if change.before is None:
            raise RegisterError(
                f"Ändring {change_id} lade till utföraren {provider.name}; ta bort den med en "
                f"import i stället."
            )
        _restore(provider, change.before)
    change.undone_at = utcnow()
    change.undone_by = actor
    audit(session, actor, "register_undone", change=change.id, step=change.step)
    session.flush()
    return change


def changes(session: Session, *, limit: int = 50) -> Iterable[RegisterChange]:
    return session.scalars(select(RegisterChange).order_by(RegisterChange.id.desc()).limit(limit))


def note_checklist_item(
    session: Session, provider: Provider, item: str, case: Case | None
) -> ProviderChecklistItem:
    row = ProviderChecklistItem(item=item, case_id=case.id if case is not None else None)
    provider.items.append(row)
    session.flush()
    return row
