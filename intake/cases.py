"""Turning one analysed message into records: its case, findings, tasks and outgoing mail.

Runs inside the caller's transaction (one per message); sends nothing itself. The outbox
rows it queues are delivered after the commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from intake.pipeline import Analysis, sender_policy
from intake.settings import Settings
from outbox.compose import compose, reply_subject
from parsers.form import FORM_LABELS
from parsers.personnummer import mask_personnummer
from parsers.text import case_numbers, split_body
from parsers.understand import STOCKHOLM, Understanding, merge_understandings
from rules.evaluate import Evaluation, evaluate
from rules.onboarding import CHECKLIST, items_mentioned, missing_items
from rules.replies import reply_block_reason
from rules.report import report_line
from rules.routing import SYSTEM_NAMES
from store.models import (
    Case,
    CaseFinding,
    MailMessage,
    Provider,
    ProviderChecklistItem,
    Task,
    utcnow,
)
from store.repository import (
    audit,
    find_thread_case,
    next_case_number,
    queue_outgoing,
    replies_to_since,
)

__all__ = ["CaseOutcome", "apply_evaluation", "note_checklist", "queue_order", "record_case"]

logger = logging.getLogger(__name__)
BOT = "lovbot"


@dataclass(frozen=True, slots=True)
class CaseOutcome:
    case: Case | None
    target: str  # the folder the message goes to: handled or review
    replied: str  # "ack" or why not


def record_case(
    session: Session,
    settings: Settings,
    analysis: Analysis,
    row: MailMessage,
    *,
    now: dt.datetime,
) -> CaseOutcome:
    """Open or join the message's case, evaluate it, queue its acknowledgement and orders."""
    mail, understanding = analysis.mail, analysis.understanding
    folders = settings.folders
    if understanding.kind == "auto_reply":
        return CaseOutcome(None, folders.handled, "automatiskt meddelande, besvaras aldrig")

    owners = {settings.routing.intraservice.lower(), settings.routing.kom.lower()}
    case = find_thread_case(
        session,
        case_numbers(mail.subject),
        [m for m in (mail.in_reply_to, *mail.references) if m],
    )
    if case is not None and (mail.from_address or "").lower() in owners:
        # A system owner answering our order: keep it with the case, EKU reads it.
        row.case = case
        audit(
            session,
            mail.from_address or "okänd",
            "owner_reply",
            case=case,
            subject=mask_personnummer(mail.subject),
        )
        return CaseOutcome(case, folders.review, "svar från systemägare")

    if case is None:
        year = (mail.date or now).astimezone(STOCKHOLM).year
        case = Case(
            number=next_case_number(session, year),
            kind=understanding.kind,
            status="new",
            sender=mail.from_address,
            result={},
        )
        session.add(case)
        session.flush()
        audit(session, BOT, "case_opened", case=case, message_id=mail.message_id)
        merged = understanding
        evaluation = analysis.evaluation
    else:
        audit(session, BOT, "case_joined", case=case, message_id=mail.message_id)
        merged = _case_understanding(case, understanding)
        evaluation = evaluate(merged, sender=case.sender, policy=sender_policy(settings))
    row.case = case
    session.flush()

    apply_evaluation(session, settings, case, merged, evaluation, analysis, actor=BOT)
    target = folders.review if evaluation.status == "needs_review" else folders.handled
    checklist = (
        note_checklist(session, case, analysis)
        if "onboarding" in merged.kinds and not evaluation.municipal
        else None
    )

    reason = reply_block_reason(
        mail.headers,
        mail.from_address,
        kind=understanding.kind,
        own_addresses=[settings.smtp.from_address, settings.mailbox.username],
    )
    if reason is None and mail.from_address:
        sent_lately = replies_to_since(session, mail.from_address, now - dt.timedelta(hours=1))
        if sent_lately >= settings.senders.max_replies_per_hour:
            audit(session, BOT, "reply_limited", case=case, recipient=mail.from_address)
            return CaseOutcome(
                case, folders.review, "för många svar till avsändaren senaste timmen"
            )
    if reason is not None or not mail.from_address:
        return CaseOutcome(case, target, reason or "ingen avsändare")
    _queue_ack(session, settings, case, evaluation, analysis, checklist, now=now)
    return CaseOutcome(case, target, "ack")


def note_checklist(session: Session, case: Case, analysis: Analysis) -> dict[str, list[str]]:
    """Record what an onboarding message delivers on its provider's checklist (process.md)."""
    mail, understanding = analysis.mail, analysis.understanding
    domain = mail.sender_domain or "okänd"
    provider = session.get(Provider, domain)
    if provider is None:
        provider = Provider(domain=domain, home_care=False)
        session.add(provider)
        session.flush()
    form = understanding.form
    new_text = f"{mail.subject}\n{split_body(mail.text).new}"
    if (form and form.verksamhetsomrade == "Hemtjänst") or "hemtjänst" in new_text.lower():
        provider.home_care = True
    if form and form.utforare and not provider.name:
        provider.name = form.utforare
    have = {row.item for row in provider.items}
    for item in sorted(items_mentioned([new_text], form_attached=form is not None) - have):
        provider.items.append(ProviderChecklistItem(item=item, case_id=case.id))
        audit(session, BOT, "checklist_item", case=case, provider=domain, item=item)
        have.add(item)
    return {
        "done": [CHECKLIST[i] for i in CHECKLIST if i in have],
        "missing": [CHECKLIST[i] for i in missing_items(have, home_care=provider.home_care)],
    }


def _case_understanding(case: Case, latest: Understanding) -> Understanding:
    merged: Understanding | None = None
    for message in case.messages:
        if message.understanding is None:
            continue
        earlier = Understanding.model_validate(message.understanding)
        merged = earlier if merged is None else merge_understandings(merged, earlier)
    return latest if merged is None else merge_understandings(merged, latest)


def apply_evaluation(
    session: Session,
    settings: Settings,
    case: Case,
    understanding: Understanding,
    evaluation: Evaluation,
    analysis: Analysis | None,
    *,
    actor: str,
) -> None:
    """Write a (re-)evaluation onto the case; on becoming complete, create its tasks.

    A follow-up that changes what a complete case says (date, unit, new name) moves the
    open tasks' due dates and sends the owners an amended order.
    """
    before = case.status
    said_before = _what_changes(case)
    case.kind = understanding.kind
    case.also = list(understanding.also)
    case.units = list(understanding.units)
    case.new_name = understanding.new_name
    case.effective_date = understanding.effective_date
    case.ansvarskod = understanding.ansvarskod
    if analysis is not None:
        case.result = report_line(analysis.mail, understanding, evaluation)
    case.findings = [
        CaseFinding(code=f.code, severity=f.severity, message=f.message, evidence=f.evidence)
        for f in evaluation.findings
    ]
    if before != evaluation.status:
        case.status = evaluation.status
        case.status_changed_at = utcnow()
        audit(session, actor, "status_changed", case=case, before=before, after=evaluation.status)
    if evaluation.status == "complete" and not case.tasks:
        _create_tasks(session, settings, case, evaluation, understanding)
    elif case.tasks and _what_changes(case) != said_before:
        _amend_tasks(session, settings, case, understanding, said_before, actor=actor)


def _what_changes(case: Case) -> tuple[object, ...]:
    """What an order tells a system owner: which units, what name, from when."""
    return (case.effective_date, tuple(case.units or ()), case.new_name)


def _amend_tasks(
    session: Session,
    settings: Settings,
    case: Case,
    understanding: Understanding,
    said_before: tuple[object, ...],
    *,
    actor: str,
) -> None:
    for task in case.tasks:
        if task.state == "done":
            continue
        task.due = case.effective_date
        audit(
            session, actor, "task_amended", case=case, system=task.system, before=str(said_before)
        )
        if task.state == "ordered":
            queue_order(
                session,
                settings,
                case,
                task,
                understanding,
                actor=actor,
                amended=True,
            )


def _create_tasks(
    session: Session,
    settings: Settings,
    case: Case,
    evaluation: Evaluation,
    understanding: Understanding,
) -> None:
    for routed in evaluation.tasks:
        task = Task(system=routed.system, owner=routed.owner, due=routed.due, state="open")
        case.tasks.append(task)
        session.flush()
        if routed.owner == "eku":
            audit(session, BOT, "task_created", case=case, system=routed.system, state="open")
            continue
        if settings.routing.hold_orders:
            task.state = "held"
            audit(session, BOT, "order_held", case=case, system=routed.system)
            continue
        queue_order(session, settings, case, task, understanding)


def queue_order(
    session: Session,
    settings: Settings,
    case: Case,
    task: Task,
    understanding: Understanding | None,
    *,
    actor: str = BOT,
    amended: bool = False,
) -> None:
    """The written order to the task's system owner outside EKU, queued in the outbox."""
    recipient = {"intraservice": settings.routing.intraservice, "kom": settings.routing.kom}[
        task.owner
    ]
    system_name = SYSTEM_NAMES.get(task.system, task.system)  # type: ignore[call-overload]
    title = "Ändrad beställning" if amended else "Beställning"
    subject = f"{title}: {system_name} – {', '.join(case.units) or case.kind} [{case.number}]"
    fields: list[tuple[str, Any]] = []
    form = understanding.form if understanding else None
    if form is not None:
        answers = form.answers()
        fields = [
            (FORM_LABELS.get(k, k), v if isinstance(v, str) else ", ".join(v))
            for k, v in answers.items()
        ]
    mail = compose(
        template="order",
        sender=settings.smtp.from_address,
        recipient=recipient,
        subject=subject,
        context={
            "case": _case_view(case),
            "system_name": system_name,
            "fields": fields,
            "amended": amended,
        },
        auto_reply=False,
    )
    row = queue_outgoing(
        session,
        message_id=mail.message_id,
        purpose="order",
        recipient=mail.recipient,
        subject=mail.subject,
        raw=mail.raw,
        case=case,
    )
    task.state = "ordered"
    task.order_mail_id = row.id
    audit(
        session,
        actor,
        "order_amended" if amended else "order_queued",
        case=case,
        system=task.system,
        recipient=recipient,
    )


def _queue_ack(
    session: Session,
    settings: Settings,
    case: Case,
    evaluation: Evaluation,
    analysis: Analysis,
    checklist: dict[str, list[str]] | None,
    *,
    now: dt.datetime,
) -> None:
    mail = analysis.mail
    problems = [f for f in evaluation.findings if f.code not in ("unknown_sender",)]
    composed = compose(
        template="ack",
        sender=settings.smtp.from_address,
        recipient=mail.from_address or "",
        subject=reply_subject(mail.subject, case.number),
        context={"case": _case_view(case), "problems": problems, "checklist": checklist},
        in_reply_to=mail.message_id,
        references=mail.references,
        now=now,
    )
    queue_outgoing(
        session,
        message_id=composed.message_id,
        purpose="ack",
        recipient=composed.recipient,
        subject=composed.subject,
        raw=composed.raw,
        case=case,
    )
    audit(session, BOT, "ack_queued", case=case, recipient=composed.recipient)


def _case_view(case: Case) -> dict[str, Any]:
    result = case.result or {}
    return {
        "number": case.number,
        "kind": case.kind,
        "also": list(case.also or []),
        "status": case.status,
        "units": list(case.units or []),
        "new_name": case.new_name,
        "effective_date": case.effective_date.isoformat() if case.effective_date else None,
        "ansvarskod": case.ansvarskod,
        "form_attached": bool((result.get("form") or {}).get("attached")),
    }
