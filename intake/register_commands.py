"""``lovbot register ...`` and ``lovbot provider valbar``: the register from the command line.

Each command is one transaction: an import with one bad row imports nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from intake.commands import _sessions
from intake.settings import Settings
from parsers.personnummer import mask_personnummer
from parsers.understand import STOCKHOLM
from rules.onboarding import CHECKLIST
from store.models import RegisterChange, utcnow
from store.register import (
    apply_due,
    changes,
    contracts_ending,
    decide_valbar,
    export_rows,
    import_rows,
    missing_for_decision,
    providers_awaiting_decision,
    undo_change,
    units_in_state,
)
from store.register_csv import read_register_csv, write_register_csv

__all__ = [
    "apply_register",
    "export_register",
    "import_register",
    "provider_valbar",
    "register_apply",
    "register_show",
    "register_summary",
    "undo_register",
]

_EKU = "EKU (kommandoraden)"
_STATE_WORDS = {"planned": "planerad", "valbar": "valbar", "full": "full", "closed": "avslutad"}


def _today(now: dt.datetime | None = None) -> dt.date:
    return (now or utcnow()).astimezone(STOCKHOLM).date()


def _progress(done: int, total: int) -> None:
    if total < 200:
        return
    if sys.stderr.isatty():
        end = "\n" if done == total else ""
        print(f"\rImporterar rader: {done}/{total}", end=end, file=sys.stderr, flush=True)
    elif done == total or done % 1000 == 0:
        print(f"Importerat {done}/{total} rader", file=sys.stderr, flush=True)


def import_register(settings: Settings, path: Path, *, by: str | None) -> int:
    rows = read_register_csv(path)
    with _sessions(settings) as sessions, sessions() as session, session.begin():
        providers, units = import_rows(session, rows, actor=by or _EKU, progress=_progress)
    print(f"Importerat {len(rows)} rader: {providers} utförare, {units} enheter.")
    return 0


def export_register(settings: Settings, path: Path | None, *, at: dt.date | None) -> int:
    with _sessions(settings) as sessions, sessions() as session:
        rows = export_rows(session, at=at)
    buffer = io.StringIO()
    count = write_register_csv(rows, buffer)
    if path is None:
        sys.stdout.write(buffer.getvalue())
    else:
        path.write_text(buffer.getvalue(), encoding="utf-8")
        print(f"Exporterat {count} rader till {path}.")
    return 0


def register_apply(
    settings: Settings, sessions: Callable[[], Session], *, now: dt.datetime | None = None
) -> str:
    """What complete cases ask of the register today (daily in ``lovbot run``); Swedish."""
    today = _today(now)
    with sessions() as session, session.begin():
        made = apply_due(
            session,
            today,
            municipal_domains=settings.senders.municipal_domains,
        )
        lines = [_describe(change) for change in made]
    if not lines:
        return f"Registret {today}: inget att ändra."
    return f"Registret {today}: {len(lines)} ändringar.\n" + "\n".join(lines)


def apply_register(settings: Settings) -> int:
    with _sessions(settings) as sessions:
        print(register_apply(settings, sessions))
    return 0


def _describe(change: RegisterChange) -> str:
    after = change.after or {}
    before = change.before or {}
    what = after.get("name") or before.get("name") or ""
    if after.get("note"):
        detail = str(after["note"])
    elif before.get("state") != after.get("state"):
        old = _STATE_WORDS.get(str(before.get("state")), "ny") if before else "ny"
        new = _STATE_WORDS.get(str(after.get("state")), str(after.get("state")))
        detail = f"{old} → {new}"
        if before and before.get("name") != after.get("name"):
            detail += f", nytt namn (tidigare {before.get('name')})"
    elif before and before.get("name") != after.get("name"):
        detail = f"nytt namn (tidigare {before.get('name')})"
    else:
        detail = "uppgifter ändrade"
    when = f" från {change.effective}" if change.effective else ""
    return f"  #{change.id} {what}: {detail}{when} ({change.step})"


def undo_register(settings: Settings, change_id: int, *, by: str | None) -> int:
    with _sessions(settings) as sessions, sessions() as session, session.begin():
        change = undo_change(session, change_id, actor=by or _EKU)
        text = _describe(change).strip()
    print(f"Ångrat: {text}")
    return 0


def provider_valbar(settings: Settings, key: str, *, by: str | None) -> int:
    with _sessions(settings) as sessions, sessions() as session, session.begin():
        provider, opened = decide_valbar(session, key, today=_today(), actor=by or _EKU)
        missing = [CHECKLIST[i] for i in missing_for_decision(provider)]
        name = provider.name
        names = [u.name for u in opened]
    if missing:
        print(f"Obs: checklistan saknar {', '.join(missing)}.")
    print(
        f"{name} är valbar från och med i dag."
        + (f" Valbara enheter: {', '.join(names)}." if names else "")
    )
    return 0


def register_summary(session: Session, settings: Settings, today: dt.date) -> list[str]:
    """EKU's questions of the register, answered in Swedish lines (issue 10)."""
    lines: list[str] = []
    valbar = units_in_state(session, "valbar")
    lines.append(f"Valbara enheter i dag ({len(valbar)}):")
    lines += [f"  {u.name} ({p.name if p else 'utförare saknas'})" for u, p in valbar]
    full = units_in_state(session, "full")
    lines.append(f"Fulla enheter ({len(full)}):")
    for unit, provider in full:
        since = f" sedan {unit.state_from}" if unit.state_from else ""
        ceiling = f", kapacitetstak {unit.capacity}" if unit.capacity is not None else ""
        lines.append(f"  {unit.name} ({provider.name if provider else '–'}){since}{ceiling}")
    planned = units_in_state(session, "planned")
    if planned:
        lines.append(f"Planerade enheter ({len(planned)}):")
        for unit, provider in planned:
            start = f", start {unit.starts_on}" if unit.starts_on else ""
            lines.append(f"  {unit.name} ({provider.name if provider else '–'}){start}")
    lines.append("Utförare som saknar försäkringsbrev:")
    waiting = [
        p for p, missing in providers_awaiting_decision(session) if "forsakringsbrev" in missing
    ]
    lines += [
        f"  {p.name} ({p.organisationsnummer or ', '.join(p.domains or [])})" for p in waiting
    ]
    if not waiting:
        lines.append("  inga")
    ending = contracts_ending(session, today, lead_days=settings.register_.contract_lead_days)
    lead = settings.register_.contract_lead_days
    lines.append(f"Avtalsperioder som slutar inom {lead} dagar:")
    for provider, decide_by in ending:
        passed = " – sista dag för beslut har passerat" if decide_by < today else ""
        options = (
            f", {provider.options_left} förlängningar kvar"
            if provider.options_left is not None
            else ""
        )
        lines.append(
            f"  {provider.name}: perioden slutar {provider.period_end}, besked senast "
            f"{decide_by}{options}{passed}"
        )
    if not ending:
        lines.append("  inga")
    return lines


def register_show(settings: Settings, *, history: bool) -> int:
    with _sessions(settings) as sessions, sessions() as session:
        lines = register_summary(session, settings, _today())
        if history:
            lines.append("Senaste ändringar (lovbot register undo NUMMER ångrar):")
            for change in changes(session):
                undone = " [ångrad]" if change.undone_at else ""
                lines.append(_describe(change) + undone)
    # A sole trader's organisationsnummer is a personnummer: masked like everything shown.
    print(mask_personnummer("\n".join(lines)))
    return 0
