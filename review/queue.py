"""The queue: what needs a human, filtered as the officer's links say, oldest first.

Filtering happens in Python on the few hundred open cases a team has at once: units live
in a JSON list, which SQLite and PostgreSQL search differently, and the queue must answer
the same on both.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from store.models import Case, MailMessage, OutgoingMail, Task

__all__ = ["FILTER_KEYS", "REASONS", "Filters", "QueueItem", "QueueView", "load_queue"]

# Why a case is in the queue, in the order the queue names them.
REASONS: dict[str, str] = {
    "needs_review": "Behöver granskas",
    "held": "Beställningar väntar på godkännande",
    "awaiting_long": "Väntar på komplettering länge",
    "failed_mail": "Utgående post misslyckades",
}
FILTER_KEYS = ("reason", "status", "kind", "sender", "unit", "since")


@dataclass(frozen=True, slots=True)
class Filters:
    reason: str = ""
    status: str = ""
    kind: str = ""
    sender: str = ""
    unit: str = ""
    since: str = ""  # ISO date: cases opened on or after

    @classmethod
    def from_query(cls, params: dict[str, str]) -> Filters:
        return cls(**{k: params.get(k, "").strip()[:200] for k in FILTER_KEYS})

    def query(self, **change: str) -> str:
        """This filter set, with ``change`` applied, as a query string (saved as a link)."""
        values = {k: getattr(self, k) for k in FILTER_KEYS} | change
        pairs = {k: v for k, v in values.items() if v}
        return f"?{urlencode(pairs)}" if pairs else "?"

    @property
    def active(self) -> bool:
        return any(getattr(self, k) for k in FILTER_KEYS)


@dataclass(frozen=True, slots=True)
class QueueItem:
    case: Case
    reasons: tuple[str, ...]


@dataclass(slots=True)
class QueueView:
    items: list[QueueItem]
    by_reason: Counter[str] = field(default_factory=Counter)
    by_status: Counter[str] = field(default_factory=Counter)
    by_kind: Counter[str] = field(default_factory=Counter)
    quarantined: list[MailMessage] = field(default_factory=list)


def load_queue(
    session: Session, filters: Filters, *, now: dt.datetime, awaiting_days: int
) -> QueueView:
    """Open cases needing a human (counted before filtering), and quarantined messages."""
    stale = now - dt.timedelta(days=awaiting_days)
    held = select(Task.case_id).where(Task.state == "held")
    failed = select(OutgoingMail.case_id).where(
        OutgoingMail.state == "failed", OutgoingMail.case_id.is_not(None)
    )
    cases = session.scalars(
        select(Case)
        .where(
            Case.closed_at.is_(None),
            or_(
                Case.status == "needs_review",
                (Case.status == "awaiting_information") & (Case.status_changed_at <= stale),
                Case.id.in_(held),
                Case.id.in_(failed),
            ),
        )
        .order_by(Case.created_at, Case.id)
    ).all()
    held_ids = set(session.scalars(held))
    failed_ids = set(session.scalars(failed))
    view = QueueView(items=[])
    for case in cases:
        reasons = tuple(
            reason
            for reason, applies in (
                ("needs_review", case.status == "needs_review"),
                ("held", case.id in held_ids),
                (
                    "awaiting_long",
                    case.status == "awaiting_information" and case.status_changed_at <= stale,
                ),
                ("failed_mail", case.id in failed_ids),
            )
            if applies
        )
        view.by_reason.update(reasons)
        view.by_status[case.status] += 1
        view.by_kind[case.kind] += 1
        if _matches(case, reasons, filters):
            view.items.append(QueueItem(case, reasons))
    view.quarantined = list(
        session.scalars(
            select(MailMessage)
            .where(MailMessage.state == "failed")
            .order_by(MailMessage.created_at, MailMessage.id)
        )
    )
    return view


def _matches(case: Case, reasons: tuple[str, ...], f: Filters) -> bool:
    if f.reason and f.reason not in reasons:
        return False
    if f.status and case.status != f.status:
        return False
    if f.kind and case.kind != f.kind and f.kind not in (case.also or []):
        return False
    if f.sender and f.sender.casefold() not in (case.sender or "").casefold():
        return False
    if f.unit and not any(f.unit.casefold() in str(u).casefold() for u in case.units or []):
        return False
    if f.since:
        try:
            since = dt.date.fromisoformat(f.since)
        except ValueError:
            return True  # a malformed date filters nothing; the page says so
        if case.created_at.date() < since:
            return False
    return True
