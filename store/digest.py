"""What EKU's daily digest lists, read from the database (issue #4, process.md).

Groups in priority order: the intake's own health, quarantined messages, cases that need
review, order mails held or undeliverable, late notices since the last digest, cases
awaiting information too long, EKU's own tasks due within 14 days or overdue, new
providers' checklists, and the register (units changing state soon, full for long,
contract periods nearing their decision day).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from rules.onboarding import CHECKLIST, missing_items
from store.models import (
    Case,
    CaseFinding,
    MailMessage,
    OutgoingMail,
    PollState,
    Provider,
    ProviderChecklistItem,
    RegisterChange,
    Task,
    Unit,
)
from store.register import changes_ahead, contracts_ending

__all__ = ["DigestData", "DigestItem", "collect_digest", "last_digest_at"]

_REVIEW_CODES = (
    "kind_unsure",
    "unknown_sender",
    "unclassified",
    "unreadable_attachment",
    "sender_not_authenticated",
)


@dataclass(frozen=True, slots=True)
class DigestItem:
    case: str
    sender: str
    unit: str
    reason: str


@dataclass
class DigestData:
    today: dt.date
    since: dt.datetime | None
    last_poll: dt.datetime | None
    poll_errors: int
    last_error: str | None
    poll_stale: bool
    quarantine: list[DigestItem] = field(default_factory=list)
    review: list[DigestItem] = field(default_factory=list)
    orders: list[DigestItem] = field(default_factory=list)
    late: list[DigestItem] = field(default_factory=list)
    awaiting: list[DigestItem] = field(default_factory=list)
    tasks: list[DigestItem] = field(default_factory=list)
    providers: list[DigestItem] = field(default_factory=list)
    register: list[DigestItem] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        groups = (self.quarantine, self.review, self.orders, self.late, self.awaiting)
        return not any(groups) and not (
            self.tasks or self.providers or self.register or self.poll_stale or self.poll_errors
        )


def last_digest_at(session: Session) -> dt.datetime | None:
    return session.scalar(
        select(OutgoingMail.created_at)
        .where(OutgoingMail.purpose == "digest")
        .order_by(OutgoingMail.created_at.desc())
        .limit(1)
    )


def _item(case: Case, reason: str) -> DigestItem:
    return DigestItem(
        case=case.number,
        sender=case.sender or "okänd avsändare",
        unit=", ".join(case.units or []) or "enhet saknas",
        reason=reason,
    )


def collect_digest(
    session: Session,
    *,
    now: dt.datetime,
    today: dt.date,
    awaiting_days: int,
    poll_stale_minutes: int,
    system_names: dict[str, str],
    contract_lead_days: int = 92,
    full_days: int = 30,
) -> DigestData:
    since = last_digest_at(session)
    states = session.scalars(select(PollState)).all()
    last_poll = max((s.last_success_at for s in states if s.last_success_at), default=None)
    errors = sum(s.errors_since_success for s in states)
    last_error = next((s.last_error for s in states if s.errors_since_success), None)
    data = DigestData(
        today=today,
        since=since,
        last_poll=last_poll,
        poll_errors=errors,
        last_error=last_error,
        poll_stale=last_poll is None or now - last_poll > dt.timedelta(minutes=poll_stale_minutes),
    )

    for message in session.scalars(
        select(MailMessage).where(MailMessage.state == "failed").order_by(MailMessage.id)
    ):
        first_line = (message.error or "okänt fel").splitlines()[0][:160]
        data.quarantine.append(
            DigestItem(
                case="–",
                sender=message.from_address or "okänd avsändare",
                unit=(message.subject or "(inget ämne)")[:80],
                reason=f"kunde inte behandlas: {first_line}",
            )
        )

    for case in session.scalars(
        select(Case).where(Case.status == "needs_review").order_by(Case.id)
    ):
        reasons = [f.message for f in case.findings if f.code in _REVIEW_CODES]
        data.review.append(_item(case, reasons[0] if reasons else "behöver granskas"))

    for task in session.scalars(
        select(Task).where(Task.state == "held").order_by(Task.case_id, Task.id)
    ):
        name = system_names.get(task.system, task.system)
        data.orders.append(
            _item(task.case, f"beställning till {name} väntar på godkännande (lovbot approve)")
        )
    for mail in session.scalars(
        select(OutgoingMail)
        .where(OutgoingMail.purpose == "order", OutgoingMail.state != "sent")
        .where((OutgoingMail.state == "failed") | (OutgoingMail.attempts > 0))
        .order_by(OutgoingMail.id)
    ):
        ordered = session.get(Case, mail.case_id) if mail.case_id else None
        reason = f"beställning till {mail.recipient} har inte gått fram: {mail.last_error or ''}"
        if ordered is not None:
            data.orders.append(_item(ordered, reason.strip()))

    late_query = (
        select(Case).join(CaseFinding).where(CaseFinding.code == "late_notice").order_by(Case.id)
    )
    if since is not None:
        late_query = late_query.where(Case.created_at >= since)
    for case in session.scalars(late_query).unique():
        late = next(f.message for f in case.findings if f.code == "late_notice")
        data.late.append(_item(case, late))

    cutoff = now - dt.timedelta(days=awaiting_days)
    for case in session.scalars(
        select(Case)
        .where(Case.status == "awaiting_information", Case.status_changed_at <= cutoff)
        .order_by(Case.status_changed_at)
    ):
        days = (now - case.status_changed_at).days
        missing = "; ".join(f.message for f in case.findings if f.severity == "error")
        data.awaiting.append(_item(case, f"väntat på komplettering i {days} dagar: {missing}"))

    horizon = today + dt.timedelta(days=14)
    for task in session.scalars(
        select(Task)
        .where(Task.owner == "eku", Task.state == "open")
        .order_by(Task.due.is_(None), Task.due, Task.id)
    ):
        if task.due is not None and task.due > horizon:
            continue
        name = system_names.get(task.system, task.system)
        when = (
            "utan datum"
            if task.due is None
            else (
                f"försenad, skulle vara klar {task.due}"
                if task.due < today
                else f"senast {task.due}"
            )
        )
        data.tasks.append(
            _item(
                task.case,
                f"uppdatera {name} ({when}); lovbot done {task.case.number} {task.system}",
            )
        )
    _collect_providers(session, data, since)
    _collect_register(
        session, data, since, contract_lead_days=contract_lead_days, full_days=full_days
    )
    return data


def _collect_register(
    session: Session,
    data: DigestData,
    since: dt.datetime | None,
    *,
    contract_lead_days: int,
    full_days: int,
) -> None:
    """Issue 10: units changing state within 14 days, units full for long, contract periods
    nearing the day the city must say whether it takes the option (seed 001), and changes
    a complete case asked for that the register could not make (since the last digest)."""
    today = data.today
    skipped = select(RegisterChange).where(
        RegisterChange.case_id.is_not(None),
        RegisterChange.unit_id.is_(None),
        RegisterChange.provider_id.is_(None),
    )
    if since is not None:
        skipped = skipped.where(RegisterChange.at >= since)
    for change in session.scalars(skipped.order_by(RegisterChange.id)):
        note = (change.after or {}).get("note")
        case = session.get(Case, change.case_id)
        if note and case is not None:
            data.register.append(_item(case, f"registret ändrades inte: {note}"))
    for ahead in changes_ahead(session, today, days=14):
        if ahead.case is not None:
            data.register.append(_item(ahead.case, f"enheten {ahead.what}"))
        else:
            item = DigestItem(
                case="–", sender=ahead.provider or "–", unit=ahead.unit, reason=ahead.what
            )
            data.register.append(item)
    long_ago = today - dt.timedelta(days=full_days)
    for unit in session.scalars(
        select(Unit)
        .where(Unit.state == "full", Unit.state_from.is_not(None), Unit.state_from <= long_ago)
        .order_by(Unit.state_from)
    ):
        assert unit.state_from is not None
        days = (today - unit.state_from).days
        data.register.append(_unit_item(unit, f"full sedan {unit.state_from} ({days} dagar)"))
    for provider, decide_by in contracts_ending(session, today, lead_days=contract_lead_days):
        late = decide_by < today
        reason = (
            f"avtalsperioden slutar {provider.period_end}; sista dag för besked om förlängning "
            f"var {decide_by} och har passerat"
            if late
            else f"avtalsperioden slutar {provider.period_end}; besked om förlängning senast "
            f"{decide_by}"
        )
        if provider.options_left is not None:
            reason += f" ({provider.options_left} förlängningar kvar)"
        data.register.append(
            DigestItem(
                case="–",
                sender=provider.organisationsnummer or ", ".join(provider.domains or []) or "–",
                unit=provider.name,
                reason=reason,
            )
        )


def _unit_item(unit: Unit, reason: str) -> DigestItem:
    provider = unit.provider
    return DigestItem(
        case="–",
        sender=provider.name if provider is not None else "–",
        unit=unit.name,
        reason=reason,
    )


def _collect_providers(session: Session, data: DigestData, since: dt.datetime | None) -> None:
    """New providers whose onboarding checklist moved since the last digest, and those whose
    checklist is complete and wait for EKU's decision (process.md, seed 000)."""
    query = (
        select(Provider)
        .join(ProviderChecklistItem)
        .where(Provider.valbar_decided_on.is_(None))
        .order_by(Provider.name)
    )
    for provider in session.scalars(query).unique():
        have = [row.item for row in provider.items]
        missing = missing_items(have, home_care=provider.home_care)
        latest = max(provider.items, key=lambda row: row.id)
        if missing and since is not None and latest.noted_at < since:
            continue
        case = session.get(Case, latest.case_id) if latest.case_id else None
        received = ", ".join(CHECKLIST[i] for i in CHECKLIST if i in have)
        key = provider.organisationsnummer or (provider.domains or [provider.name])[0]
        reason = (
            f"klar för beslut ({received}): EKU beslutar om utföraren blir valbar "
            f"(lovbot provider valbar {key})"
            if not missing
            else f"mottaget: {received}; saknas: {', '.join(CHECKLIST[i] for i in missing)}"
        )
        data.providers.append(
            DigestItem(
                case=case.number if case else "–",
                sender=", ".join(provider.domains or []) or "–",
                unit=provider.name,
                reason=reason,
            )
        )
