"""What an officer can do to a case, each in the caller's transaction and in the audit log.

Every change to a case first claims its version (``claim_version``): a save names the
version the officer saw, and when another officer saved in between the save is refused and
nothing is overwritten. The claim is one conditional UPDATE, so two saves at the same
moment cannot both pass, on SQLite or PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, get_args

from sqlalchemy.orm import Session

from intake.cases import apply_evaluation, record_case
from intake.commands import mark_task_done, release_held_orders
from intake.pipeline import analyse, sender_policy
from intake.settings import Settings
from outbox.compose import compose, reply_subject
from parsers.classify import Kind
from parsers.errors import LovbotError
from parsers.form import FORM_LABELS, VerksamhetsForm
from parsers.understand import Understanding, merge_understandings
from rules.evaluate import Evaluation, evaluate
from rules.report import masked
from store.models import Case, MailMessage, Task, utcnow
from store.repository import audit, queue_outgoing

__all__ = [
    "EDITABLE_FIELDS",
    "KINDS",
    "STALE",
    "ActionRefused",
    "Correction",
    "StaleCase",
    "apply_correction",
    "assign",
    "case_understanding",
    "claim_version",
    "close_case",
    "mark_done",
    "preview_correction",
    "release_orders",
    "retry_message",
    "send_corrected_ack",
    "stop_orders",
]

KINDS: tuple[str, ...] = tuple(k for k in get_args(Kind) if k != "auto_reply")
EDITABLE_FIELDS: tuple[str, ...] = tuple(k for k in FORM_LABELS if k != "typ_av_andring")


STALE = (
    "Någon annan har sparat ärendet medan du hade det öppet. Ingenting av det du "
    "gjorde sparades: läs ärendet igen och gör om ändringen."
)


class StaleCase(LovbotError):
    """Another officer saved the case after this one opened it."""


class ActionRefused(LovbotError):
    """The action does not apply to the case as it stands."""


@dataclass(frozen=True, slots=True)
class Correction:
    kind: str
    units: tuple[str, ...]
    new_name: str | None
    effective_date: dt.date | None
    fields: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def from_form(cls, form: dict[str, str]) -> Correction:
        kind = form.get("kind", "")
        if kind not in KINDS:
            raise ActionRefused("Välj en typ av ändring i listan.")
        date_text = form.get("effective_date", "").strip()
        try:
            day = dt.date.fromisoformat(date_text) if date_text else None
        except ValueError as err:
            raise ActionRefused("Datumet ska skrivas ÅÅÅÅ-MM-DD.") from err
        units = tuple(u.strip() for u in form.get("units", "").splitlines() if u.strip())
        return cls(
            kind=kind,
            units=units,
            new_name=form.get("new_name", "").strip() or None,
            effective_date=day,
            fields={k: (form.get(f"field_{k}", "").strip() or None) for k in EDITABLE_FIELDS},
        )


def claim_version(session: Session, case: Case, seen: int) -> None:
    """Raise StaleCase unless ``seen`` is the case's version; then mark the row changed.

    Touching the row makes its UPDATE carry ``WHERE version = seen`` (the mapper's
    version_id_col), so a save that raced another one fails at flush with StaleDataError,
    which the app reports as StaleCase too.
    """
    if case.version != seen:
        raise StaleCase(STALE)
    case.updated_at = utcnow()


def case_understanding(case: Case) -> Understanding | None:
    merged: Understanding | None = None
    for message in case.messages:
        if message.understanding is None:
            continue
        earlier = Understanding.model_validate(message.understanding)
        merged = earlier if merged is None else merge_understandings(merged, earlier)
    return merged


def _corrected(case: Case, correction: Correction) -> Understanding:
    base = case_understanding(case) or Understanding(sent_on=None, kind="other")
    form = base.form
    given = {k: v for k, v in correction.fields.items() if v}
    if form is not None:
        form = form.model_copy(update=correction.fields)
    elif given:
        form = VerksamhetsForm(**given)
    kind: Kind = correction.kind  # type: ignore[assignment]
    return base.model_copy(
        update={
            "kind": kind,
            "also": tuple(k for k in base.also if k != kind),
            # The officer has decided what the mail says: it is no longer unsure.
            "unsure": None,
            "units": correction.units,
            "new_name": correction.new_name,
            "effective_date": correction.effective_date,
            "form": form,
            # The officer's units and date replace the bot's breakdown by change.
            "changes": (),
        }
    )


def preview_correction(
    settings: Settings, case: Case, correction: Correction
) -> tuple[Understanding, Evaluation]:
    """What the rules make of the corrected reading; nothing is written."""
    understanding = _corrected(case, correction)
    evaluation = evaluate(understanding, sender=case.sender, policy=sender_policy(settings))
    return understanding, evaluation


def apply_correction(
    session: Session,
    settings: Settings,
    case: Case,
    correction: Correction,
    *,
    seen_version: int,
    actor: str,
) -> Evaluation:
    """Write the corrected reading onto the case and run the rules again, as the poller does.

    Every message of the case carries the corrected reading from now on, so a follow-up
    merges with what the officer said, not with the misreading; the bot's own reading of
    each message stays in the audit entry.
    """
    claim_version(session, case, seen_version)
    before = _facts(case)
    original = {m.id: m.understanding for m in case.messages if m.understanding}
    understanding, evaluation = preview_correction(settings, case, correction)
    apply_evaluation(session, settings, case, understanding, evaluation, None, actor=actor)
    case.result = _result(case, understanding, evaluation)
    stored = understanding.model_dump(mode="json")
    for message in case.messages:
        if message.understanding:
            message.understanding = stored
    audit(
        session,
        actor,
        "reading_corrected",
        case=case,
        before=before,
        after=_facts(case),
        bot_reading=masked({str(k): v for k, v in original.items()}),
    )
    return evaluation


def _facts(case: Case) -> dict[str, Any]:
    return masked(
        {
            "kind": case.kind,
            "status": case.status,
            "units": list(case.units or []),
            "new_name": case.new_name,
            "effective_date": case.effective_date.isoformat() if case.effective_date else None,
            "fields": dict((case.result or {}).get("form", {}).get("fields", {})),
        }
    )


def _result(case: Case, u: Understanding, evaluation: Evaluation) -> dict[str, Any]:
    """The case's ``check`` line after a correction (report_line needs the parsed mail)."""
    line = dict(case.result or {})
    form = u.form
    line.update(
        {
            "kind": u.kind,
            "also": list(u.also),
            "status": evaluation.status,
            "units": list(u.units),
            "new_name": u.new_name,
            "effective_date": u.effective_date.isoformat() if u.effective_date else None,
            "ansvarskod": u.ansvarskod,
            "form": {
                **dict(line.get("form") or {}),
                "attached": form is not None,
                "fields": form.answers() if form else {},
                "missing": list(evaluation.form_missing),
                "invalid": list(evaluation.form_invalid),
            },
            "findings": [f.model_dump() for f in evaluation.findings],
            "tasks": [
                {"system": t.system, "owner": t.owner, "due": t.due.isoformat() if t.due else None}
                for t in evaluation.tasks
            ],
            "changes": [],
        }
    )
    return masked(line)


def send_corrected_ack(session: Session, settings: Settings, case: Case, *, actor: str) -> None:
    """A new acknowledgement to the sender saying what the case now says."""
    if not case.sender:
        raise ActionRefused("Ärendet har ingen avsändare att svara.")
    first = next((m for m in case.messages if m.message_id), None)
    problems = [f for f in case.findings if f.code != "unknown_sender"]
    composed = compose(
        template="ack",
        sender=settings.smtp.from_address,
        recipient=case.sender,
        subject=reply_subject((first.subject if first else None) or case.kind, case.number),
        context={
            "case": {
                "number": case.number,
                "kind": case.kind,
                "also": list(case.also or []),
                "status": case.status,
                "units": list(case.units or []),
                "new_name": case.new_name,
                "effective_date": case.effective_date.isoformat() if case.effective_date else None,
                "ansvarskod": case.ansvarskod,
                "form_attached": bool((case.result or {}).get("form", {}).get("attached")),
                "changes": list((case.result or {}).get("changes") or []),
            },
            "problems": problems,
            "checklist": None,
        },
        in_reply_to=first.message_id if first else None,
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
    audit(session, actor, "corrected_ack_queued", case=case, recipient=composed.recipient)


def release_orders(
    session: Session, settings: Settings, case: Case, *, seen_version: int, actor: str
) -> list[Task]:
    claim_version(session, case, seen_version)
    released = release_held_orders(session, settings, case, actor=actor)
    if not released:
        raise ActionRefused("Ärendet har inga beställningar som väntar på godkännande.")
    return released


def stop_orders(session: Session, case: Case, *, seen_version: int, actor: str) -> list[Task]:
    """Held orders that must not go out: the tasks are closed unsent."""
    claim_version(session, case, seen_version)
    held = [t for t in case.tasks if t.state == "held"]
    if not held:
        raise ActionRefused("Ärendet har inga beställningar som väntar på godkännande.")
    for task in held:
        task.state = "stopped"
        task.done_at = utcnow()
        task.done_by = actor
        audit(session, actor, "order_stopped", case=case, system=task.system)
    return held


def mark_done(session: Session, case: Case, system: str, *, seen_version: int, actor: str) -> None:
    claim_version(session, case, seen_version)
    if mark_task_done(session, case, system, actor=actor) is None:
        raise ActionRefused("Uppgiften var redan klar.")


def assign(session: Session, case: Case, *, seen_version: int, actor: str) -> None:
    claim_version(session, case, seen_version)
    before = case.assigned_to
    case.assigned_to = actor
    audit(session, actor, "case_assigned", case=case, before=before, after=actor)


def close_case(session: Session, case: Case, *, seen_version: int, actor: str, note: str) -> None:
    """Handled by hand: the case leaves the queue; its status stays what the rules said."""
    claim_version(session, case, seen_version)
    case.closed_at = utcnow()
    case.closed_by = actor
    audit(session, actor, "case_closed_by_hand", case=case, note=masked(note.strip()) or None)


def retry_message(
    session: Session, settings: Settings, message: MailMessage, *, actor: str
) -> Case | None:
    """Read a quarantined message again from its stored bytes, as the poller would.

    The same path as the poll cycle (analyse, then record_case) in the caller's
    transaction, so a message that still breaks raises and nothing is written. The copy
    on the mail server stays in Karantän: the database is the record, and moving it back
    to the inbox as well would have the poller read it a second time.
    """
    if message.state != "failed":
        raise ActionRefused("Meddelandet ligger inte i karantän.")
    raw = message.raw
    if message.purged_at is not None or raw is None:
        raise ActionRefused("Meddelandet är gallrat och kan inte läsas igen.")
    analysis = analyse(raw, sender_policy(settings), received=message.received_at)
    error = message.error
    message.message_id = analysis.mail.message_id
    message.from_address = analysis.mail.from_address
    message.kind = analysis.understanding.kind
    message.understanding = analysis.understanding.model_dump(mode="json")
    message.state = "processed"
    message.error = None
    outcome = record_case(session, settings, analysis, message, raw=raw, now=utcnow())
    message.target_folder = outcome.target
    message.replied = outcome.replied
    audit(
        session,
        actor,
        "quarantine_retried",
        case=outcome.case,
        message_id=analysis.mail.message_id,
        error=masked((error or "")[:500]),
    )
    return outcome.case
