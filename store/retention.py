"""Gallring: removing raw messages and attachments past their retention period.

What goes: a message's row of ``mail_message_raw`` (the message as received, attachments
included; ``mail_message.purged_at`` says when it went) and the ``raw`` of outgoing mail
that was sent or given up on. What stays: the case, its findings and tasks, the masked
understanding, subjects (masked), addresses, SHA-256 (so a message sent again is still
known as a duplicate) and the audit log, which records every removal.

Each period is counted from the case's last change (``case.updated_at``) for mail that
belongs to a case, else from when lovbot recorded the mail. Like every store function,
nothing here commits.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from store.models import Case, MailMessage, MailMessageRaw, OutgoingMail
from store.repository import audit

__all__ = ["GallringPlan", "apply_gallring", "plan_gallring", "retention_category"]

ACTOR = "lovbot gallra"
_CHUNK = 500


@dataclass
class GallringPlan:
    messages: list[int] = field(default_factory=list)
    outgoing: list[int] = field(default_factory=list)
    by_category: Counter[str] = field(default_factory=Counter)
    cases: dict[int, tuple[str, int, int]] = field(default_factory=dict)  # status, msgs, out

    @property
    def empty(self) -> bool:
        return not self.messages and not self.outgoing


def retention_category(state: str, case_status: str | None, has_case: bool) -> str:
    """Which ``[retention]`` period applies to a message recorded as ``state``."""
    if state in ("failed", "retried"):
        return "failed"
    if state == "duplicate":
        return "duplicate"
    if not has_case:
        return "ignored"  # automated mail: recorded, never a case
    return case_status or "needs_review"


def plan_gallring(session: Session, now: dt.datetime, days: Mapping[str, int]) -> GallringPlan:
    """What is past its period at ``now``; ``days`` per category (statuses and the above).

    A category without a period is kept: nothing is removed by omission.
    """
    plan = GallringPlan()
    rows = session.execute(
        select(
            MailMessage.id,
            MailMessage.state,
            MailMessage.case_id,
            MailMessage.created_at,
            Case.status,
            Case.updated_at,
        )
        .outerjoin(Case, Case.id == MailMessage.case_id)
        .where(MailMessage.purged_at.is_(None), MailMessage.moved_at.isnot(None))
        .order_by(MailMessage.id)
    )
    for message_id, state, case_id, created_at, status, updated_at in rows:
        category = retention_category(state, status, case_id is not None)
        since = updated_at if case_id is not None and state != "duplicate" else created_at
        if _past(category, since, now, days):
            plan.messages.append(message_id)
            plan.by_category[category] += 1
            if case_id is not None and state != "duplicate":
                _, m, o = plan.cases.get(case_id, (category, 0, 0))
                plan.cases[case_id] = (category, m + 1, o)
    outgoing = session.execute(
        select(
            OutgoingMail.id,
            OutgoingMail.case_id,
            OutgoingMail.created_at,
            Case.status,
            Case.updated_at,
        )
        .outerjoin(Case, Case.id == OutgoingMail.case_id)
        .where(OutgoingMail.purged_at.is_(None), OutgoingMail.state.in_(("sent", "failed")))
        .order_by(OutgoingMail.id)
    )
    for out_id, case_id, created_at, status, updated_at in outgoing:
        category = (status or "needs_review") if case_id is not None else "ignored"
        if _past(category, updated_at if case_id is not None else created_at, now, days):
            plan.outgoing.append(out_id)
            if case_id is not None:
                cat, m, o = plan.cases.get(case_id, (category, 0, 0))
                plan.cases[case_id] = (cat, m, o + 1)
    return plan


def apply_gallring(
    session: Session, plan: GallringPlan, now: dt.datetime, days: Mapping[str, int]
) -> None:
    """Remove what ``plan`` names, and audit it per case and in total."""
    for chunk in _chunks(plan.messages):
        session.execute(
            update(MailMessage)
            .where(MailMessage.id.in_(chunk), MailMessage.purged_at.is_(None))
            .values(purged_at=now)
        )
        session.execute(delete(MailMessageRaw).where(MailMessageRaw.message_id.in_(chunk)))
    for chunk in _chunks(plan.outgoing):
        session.execute(
            update(OutgoingMail)
            .where(OutgoingMail.id.in_(chunk), OutgoingMail.state.in_(("sent", "failed")))
            .values(raw=b"", purged_at=now)
        )
    for case_id, (category, messages, outgoing) in sorted(plan.cases.items()):
        case = session.get(Case, case_id)
        audit(
            session,
            ACTOR,
            "gallrat",
            case=case,
            status=category,
            days=days.get(category),
            messages=messages,
            outgoing=outgoing,
        )
    audit(
        session,
        ACTOR,
        "gallring_done",
        messages=len(plan.messages),
        outgoing=len(plan.outgoing),
        by_category=dict(plan.by_category) or None,
    )


def _past(
    category: str, since: dt.datetime | None, now: dt.datetime, days: Mapping[str, int]
) -> bool:
    period = days.get(category)
    if period is None or since is None:
        return False
    return since + dt.timedelta(days=period) <= now


def _chunks(ids: Sequence[int]) -> list[Sequence[int]]:
    return [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]
