"""The register page: what ``lovbot register show`` answers, read-only (issue 10)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from intake.settings import Settings
from parsers.understand import STOCKHOLM
from rules.onboarding import CHECKLIST
from store.models import Provider, Unit
from store.register import (
    UpcomingChange,
    changes_ahead,
    contracts_ending,
    providers_awaiting_decision,
    units_in_state,
)

__all__ = ["CLOSED_RECENTLY_DAYS", "RegisterView", "load_register"]

CLOSED_RECENTLY_DAYS = 30
CHANGES_AHEAD_DAYS = 14


@dataclass(frozen=True, slots=True)
class UnitRow:
    unit: Unit
    provider: str
    days: int | None = None  # how long full, or how long ago closed


@dataclass(frozen=True, slots=True)
class WaitingRow:
    provider: Provider
    missing: list[str]  # what EKU still waits for, in Swedish; empty: ready for decision


@dataclass(frozen=True, slots=True)
class ContractRow:
    provider: Provider
    decide_by: dt.date
    passed: bool


@dataclass(frozen=True, slots=True)
class RegisterView:
    today: dt.date
    valbar: list[UnitRow]
    full: list[UnitRow]
    planned: list[UnitRow]
    closed: list[UnitRow]
    ahead: list[UpcomingChange]
    waiting: list[WaitingRow]
    contracts: list[ContractRow]
    lead_days: int
    full_days: int
    ahead_days: int = CHANGES_AHEAD_DAYS
    closed_days: int = CLOSED_RECENTLY_DAYS

    @property
    def until(self) -> dt.date:
        return self.today + dt.timedelta(days=self.ahead_days)


def _since(day: dt.date | None, today: dt.date) -> int | None:
    return (today - day).days if day is not None else None


def load_register(session: Session, settings: Settings, now: dt.datetime) -> RegisterView:
    today = now.astimezone(STOCKHOLM).date()

    def rows(state: str) -> list[UnitRow]:
        return [
            UnitRow(
                unit,
                provider.name if provider else "utförare saknas",
                _since(unit.state_from, today),
            )
            for unit, provider in units_in_state(session, state)
        ]

    closed = [
        row
        for row in rows("closed")
        if row.days is not None and 0 <= row.days <= CLOSED_RECENTLY_DAYS
    ]
    lead = settings.register_.contract_lead_days
    return RegisterView(
        today=today,
        valbar=rows("valbar"),
        full=sorted(rows("full"), key=lambda r: -(r.days or 0)),
        planned=sorted(
            rows("planned"), key=lambda r: (r.unit.starts_on or dt.date.max, r.unit.name)
        ),
        closed=closed,
        ahead=changes_ahead(session, today, days=CHANGES_AHEAD_DAYS),
        waiting=sorted(
            (
                WaitingRow(p, [CHECKLIST[i] for i in missing])
                for p, missing in providers_awaiting_decision(session)
            ),
            key=lambda w: (bool(w.missing), w.provider.name),
        ),
        contracts=[
            ContractRow(p, decide_by, decide_by < today)
            for p, decide_by in contracts_ending(session, today, lead_days=lead)
        ],
        lead_days=lead,
        full_days=settings.register_.full_days,
    )
