"""Turning one analysed message into records: its case, findings, tasks and outgoing mail.

Runs inside the caller's transaction (one per message); sends nothing itself. The outbox
rows it queues are delivered after the commit.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.policy import compat32
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.pipeline import Analysis, sender_policy
from intake.settings import Settings
from outbox.compose import compose, reply_subject
from parsers.authresults import parse_authentication_results
from parsers.form import FORM_LABELS
from parsers.mail import header_block
from parsers.personnummer import mask_personnummer
from parsers.text import case_numbers, clean_subject, split_body
from parsers.understand import STOCKHOLM, Understanding, merge_understandings
from rules.evaluate import Evaluation, evaluate
from rules.findings import Finding, finding
from rules.onboarding import CHECKLIST, items_mentioned, missing_items
from rules.register import KnownUnit, RegisterSnapshot
from rules.replies import reply_block_reason
from rules.report import report_line
from rules.routing import SYSTEM_NAMES
from rules.senders import SenderPolicy, is_trusted_sender
from store.models import (
    Case,
    CaseFinding,
    MailMessage,
    Provider,
    ProviderChecklistItem,
    Task,
    utcnow,
)
from store.register import (
    known_provider_domains,
    provider_for_domain,
    register_units,
    snapshot_without,
)
from store.repository import (
    audit,
    find_thread_case,
    is_our_mail,
    next_case_number,
    queue_outgoing,
)

__all__ = [
    "Batch",
    "CaseOutcome",
    "SenderCheck",
    "apply_evaluation",
    "note_checklist",
    "queue_order",
    "record_case",
    "sender_authentication",
]

logger = logging.getLogger(__name__)
BOT = "lovbot"
_CASE_TAG = re.compile(r"\[?\bLOV-\d{4}-\d+\b\]?", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class CaseOutcome:
    case: Case | None
    target: str  # the folder the message goes to: handled or review
    replied: str  # "ack" or why not


class Batch:
    """What the messages of one batch share while they are recorded in one transaction.

    Read once for the batch instead of once per message (issue 11: a backlog of 10,000
    must not cost 30 statements a message): the sender policy with the register's
    providers, the register's units, and the acknowledgements each sender got in the hour
    before the batch's mail arrived (for the reply limits), to which the batch's own
    acknowledgements are added as they are queued. Intake changes none of these otherwise:
    units change only in ``register apply``, and a provider intake adds from an
    onboarding mail is not a known provider until EKU vouches for it.
    """

    def __init__(self, session: Session, settings: Settings, rows: list[MailMessage]) -> None:
        self.policy = _policy_with_register(session, settings)
        self._units: list[tuple[KnownUnit, int | None]] | None = None
        self._session = session
        self._answered: dict[str, list[MailMessage]] = {}
        arrivals = [r.received_at for r in rows if r.received_at is not None and r.from_address]
        senders = {r.from_address.lower() for r in rows if r.from_address}
        if arrivals and senders:
            for earlier in session.scalars(
                select(MailMessage).where(
                    MailMessage.from_address.in_(senders),
                    MailMessage.replied == "ack",
                    MailMessage.received_at > min(arrivals) - dt.timedelta(hours=1),
                    MailMessage.received_at <= max(arrivals),
                )
            ):
                self._answered.setdefault(earlier.from_address or "", []).append(earlier)

    def register(self, leave_out_case: int | None) -> RegisterSnapshot:
        if self._units is None:
            self._units = register_units(self._session)
        return snapshot_without(self._units, leave_out_case)

    def answered(
        self, sender: str, *, since: dt.datetime, until: dt.datetime, besides: MailMessage
    ) -> list[MailMessage]:
        """Messages from ``sender`` answered with an acknowledgement in (since, until]."""
        return [
            m
            for m in self._answered.get(sender.lower(), ())
            if m is not besides and m.received_at is not None and since < m.received_at <= until
        ]

    def acknowledged(self, row: MailMessage) -> None:
        if row.from_address:
            self._answered.setdefault(row.from_address.lower(), []).append(row)


def record_case(
    session: Session,
    settings: Settings,
    analysis: Analysis,
    row: MailMessage,
    *,
    raw: bytes,
    now: dt.datetime,
    batch: Batch | None = None,
) -> CaseOutcome:
    """Open or join the message's case, evaluate it, queue its acknowledgement and orders.

    ``raw``: the message as received (the caller holds it; ``row`` does not carry it
    before the caller stores it). ``batch``: what the batch shares (see ``Batch``);
    without one, it is read for this message alone.
    """
    batch = batch or Batch(session, settings, [row])
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

    check = sender_authentication(settings, raw, mail.from_address)
    policy = batch.policy
    trusted = is_trusted_sender(mail.from_address, policy)
    if check is not None and check.dmarc_failed and trusted and case is not None:
        # A forged follow-up must not change what an order said: note it, change nothing.
        row.case = case
        _hold_forged(session, case, check)
        return CaseOutcome(case, folders.review, _FORGED)

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
        audit(session, BOT, "case_opened", case=case, message_id=mail.message_id)
        merged = understanding
        evaluation = analysis.evaluation
    else:
        audit(session, BOT, "case_joined", case=case, message_id=mail.message_id)
        merged = _case_understanding(case, understanding)
        evaluation = evaluate(merged, sender=case.sender, policy=policy)
    register = batch.register(leave_out_case=case.id)
    # A message not read within its time budget keeps that verdict; nothing to match.
    unread = any(f.code == "time_budget_exceeded" for f in evaluation.findings)
    if not unread and (not register.empty or policy != sender_policy(settings)):
        # Issue 10: the units the register knows tell a close of an unknown unit apart,
        # and its providers are known senders (contract.md).
        evaluation = evaluate(
            merged,
            sender=case.sender,
            policy=policy,
            register=None if register.empty else register,
        )
    row.case = case

    forged = check is not None and check.dmarc_failed and trusted
    if forged:
        assert check is not None
        # Held for EKU: needs_review makes no tasks, so no order goes out on a forgery.
        evaluation = evaluation.model_copy(
            update={
                "status": "needs_review",
                "findings": (*evaluation.findings, check.finding),
            }
        )
    apply_evaluation(session, settings, case, merged, evaluation, analysis, actor=BOT)
    target = folders.review if evaluation.status == "needs_review" else folders.handled
    checklist = (
        note_checklist(session, case, analysis)
        if not evaluation.municipal
        and ("onboarding" in merged.kinds or _onboarding_form(session, analysis))
        else None
    )

    reason = reply_block_reason(
        mail.headers,
        mail.from_address,
        kind=understanding.kind,
        own_addresses=[settings.smtp.from_address, settings.mailbox.username],
    )
    if forged:
        audit(session, BOT, "reply_withheld", case=case, recipient=mail.from_address)
        return CaseOutcome(case, folders.review, _FORGED)
    if reason is None and check is not None and not trusted and not check.passed:
        audit(session, BOT, "reply_withheld", case=case, recipient=mail.from_address)
        return CaseOutcome(case, target, _UNVERIFIED)
    if reason is None and mail.from_address:
        limited = _reply_limit(session, settings, analysis, row, batch, now=now)
        if limited is not None:
            audit(session, BOT, limited[0], case=case, recipient=mail.from_address)
            return CaseOutcome(case, folders.review, limited[1])
    if reason is not None or not mail.from_address:
        return CaseOutcome(case, target, reason or "ingen avsändare")
    _queue_ack(session, settings, case, evaluation, analysis, checklist, now=now)
    batch.acknowledged(row)
    return CaseOutcome(case, target, "ack")


_FORGED = "besvaras inte: DMARC misslyckades för en betrodd domän (kan vara förfalskat)"
_UNVERIFIED = "besvaras inte: okänd avsändare som inte kunde bekräftas (DMARC/SPF/DKIM)"


@dataclass(frozen=True, slots=True)
class SenderCheck:
    """What our receiving server's Authentication-Results says of the From address."""

    passed: bool  # DMARC passed, or SPF or DKIM passed for an aligned domain
    dmarc_failed: bool
    finding: Finding


def sender_authentication(
    settings: Settings, raw: bytes, from_address: str | None
) -> SenderCheck | None:
    """Read the receiving server's verdict on the sender; None where it wrote none.

    Which header is trusted: only the topmost ``Authentication-Results``, and only when
    its authserv-id is ``[senders] authserv_id``. Each server prepends its trace headers,
    so the one our receiving server added is on top and anything the sender wrote is
    below it; a header naming another server (a forwarder's, a forger's) is not ours.
    Exchange Online writes no authserv-id, hence the default "". Where our server writes
    no header (Dovecot, some on-premises servers) the topmost one may be the sender's own;
    believing it can only make the sender's own mail unanswered, or answered as before.
    """
    senders = settings.senders
    if not senders.check_authentication or not from_address or "@" not in from_address:
        return None
    # The header block only: parsebytes decodes all it is handed into one string first
    # (some 330 MB for a 34 MB message) before it reads the first header.
    values = (
        BytesHeaderParser(policy=compat32)
        .parsebytes(header_block(raw))
        .get_all("Authentication-Results")
    )
    if not values:
        return None
    header = str(values[0])
    results = parse_authentication_results(header)
    if (results.authserv_id or "") != senders.authserv_id.strip().lower():
        return None
    domain = from_address.rsplit("@", 1)[1].lower()
    dmarc = results.first("dmarc")
    dmarc_failed = dmarc is not None and dmarc.result == "fail"
    dmarc_passed = (
        dmarc is not None
        and dmarc.result == "pass"
        and _aligned(dmarc.properties.get("header.from", domain), domain)
    )
    spf_passed = any(
        r.result == "pass" and _aligned(r.properties.get("smtp.mailfrom", ""), domain)
        for r in results.all("spf")
    )
    dkim_passed = any(
        r.result == "pass" and _aligned(r.properties.get("header.d", ""), domain)
        for r in results.all("dkim")
    )
    return SenderCheck(
        passed=not dmarc_failed and (dmarc_passed or spf_passed or dkim_passed),
        dmarc_failed=dmarc_failed,
        finding=finding(
            "sender_not_authenticated",
            evidence=" ".join(header.split())[:300],
            sender=from_address,
            domain=domain,
        ),
    )


def _aligned(value: str, domain: str) -> bool:
    """DMARC's relaxed alignment: the same organisational domain.

    Approximated by the last two labels, which is right for .se and .com; a domain under a
    two-label public suffix (.co.uk) would align with its neighbours, which only makes the
    check let more through, never hold back a real sender.
    """
    other = value.rsplit("@", 1)[-1].strip().lower().rstrip(".")
    if not other:
        return False
    return other.split(".")[-2:] == domain.rstrip(".").split(".")[-2:]


def _hold_forged(session: Session, case: Case, check: SenderCheck) -> None:
    f = check.finding
    case.findings.append(
        CaseFinding(code=f.code, severity=f.severity, message=f.message, evidence=f.evidence)
    )
    if case.status != "needs_review":
        audit(session, BOT, "status_changed", case=case, before=case.status, after="needs_review")
        case.status = "needs_review"
        case.status_changed_at = utcnow()
    audit(session, BOT, "reply_withheld", case=case, recipient=case.sender)


def _reply_limit(
    session: Session,
    settings: Settings,
    analysis: Analysis,
    row: MailMessage,
    batch: Batch,
    *,
    now: dt.datetime,
) -> tuple[str, str] | None:
    """(audit action, why) when this sender must not be answered again now, else None.

    RFC 3834 asks an automatic responder not to flood anyone. Two limits, both counted by
    the messages' own arrival times: a loop (the sender answers our automated mail with
    the same subject again and again: a ticket system or autoresponder without
    Auto-Submitted) stops after ``reply_loop_after`` answers on that subject within an
    hour; everyone else gets up to ``max_replies_per_hour``, a ceiling a person never
    reaches (a unit chief sending six notices after a holiday must get six answers).
    """
    mail, senders = analysis.mail, settings.senders
    sender = mail.from_address or ""
    arrived = row.received_at or now
    earlier = batch.answered(
        sender, since=arrived - dt.timedelta(hours=1), until=arrived, besides=row
    )
    if is_our_mail(session, [m for m in (mail.in_reply_to, *mail.references) if m]):
        topic = _topic(mail.subject)
        same = sum(1 for m in earlier if _topic(m.subject) == topic)
        if same >= senders.reply_loop_after:
            return (
                "reply_loop",
                "besvaras inte: avsändaren svarar på våra automatiska svar med samma ämne "
                "om och om igen (e-postslinga)",
            )
    if len(earlier) >= senders.max_replies_per_hour:
        return "reply_limited", "för många svar till avsändaren senaste timmen"
    return None


def _topic(subject: str | None) -> str:
    """A subject without reply prefixes and case tags, for telling one loop's mail apart."""
    bare = _CASE_TAG.sub(" ", clean_subject(subject))
    return " ".join(bare.split()).casefold()


def _policy_with_register(session: Session, settings: Settings) -> SenderPolicy:
    """contract.md: known providers are the configured ones plus the register's."""
    policy = sender_policy(settings)
    domains = known_provider_domains(session)
    if not domains:
        return policy
    known = (*policy.known_providers, *(d for d in domains if d not in policy.known_providers))
    return policy.model_copy(update={"known_providers": known})


def _onboarding_form(session: Session, analysis: Analysis) -> bool:
    """A form from a provider still on its way to valbar is its checklist's form (seed 000:
    the details published in Jämför service), whatever else the mail is about."""
    if analysis.understanding.form is None:
        return False
    provider = provider_for_domain(session, analysis.mail.sender_domain)
    return provider is not None and provider.valbar_decided_on is None and bool(provider.items)


def note_checklist(session: Session, case: Case, analysis: Analysis) -> dict[str, list[str]]:
    """Record what an onboarding message delivers on its provider's checklist (process.md).

    The provider is the register's (issue 10): found by the sender's domain, or added to
    the register with that domain on its first mail.
    """
    mail, understanding = analysis.mail, analysis.understanding
    domain = mail.sender_domain or "okänd"
    form = understanding.form
    provider = provider_for_domain(session, domain)
    if provider is None:
        provider = Provider(name=(form.utforare if form else None) or domain, domains=[domain])
        session.add(provider)
        session.flush()
    new_text = f"{mail.subject}\n{split_body(mail.text).new}"
    if (form and form.verksamhetsomrade == "Hemtjänst") or "hemtjänst" in new_text.lower():
        provider.home_care = True
    if form and form.utforare and provider.name == domain:
        provider.name = form.utforare
    have = {row.item for row in provider.items}
    for item in sorted(items_mentioned([new_text], form_attached=form is not None) - have):
        if case.id is None:
            session.flush()  # a new case's id, for the checklist row
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
    if (evaluation.status == "complete" or evaluation.orders_wait) and not case.tasks:
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
        if routed.owner == "eku":
            audit(session, BOT, "task_created", case=case, system=routed.system, state="open")
            continue
        if settings.routing.hold_orders or evaluation.orders_wait:
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
        flush=False,
    )
    task.state = "ordered"
    task.order_mail = row
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
        flush=False,
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
        "changes": list(result.get("changes") or []),
    }
