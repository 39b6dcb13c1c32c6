"""From an understanding to a decision: findings, status and tasks (contract.md).

Pure: the message's own date is "today", never the clock.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from parsers.classify import Kind
from parsers.cues import UNIT_CHANGES
from parsers.understand import Understanding
from rules.findings import Finding, finding
from rules.form_rules import describe_fields, invalid_fields, is_municipal_provider, missing_fields
from rules.notice import NOTICE_RULES, earliest_effective_day
from rules.register import RegisterSnapshot, register_findings
from rules.routing import RoutedTask, route
from rules.senders import SenderPolicy, is_municipal_sender, is_trusted_sender

__all__ = ["STATUS_ORDER", "Evaluation", "Status", "evaluate", "status_for"]

Status = Literal["error", "ignored", "needs_review", "awaiting_information", "complete"]
# contract.md: where several statuses apply, the first wins.
STATUS_ORDER: tuple[Status, ...] = (
    "error",
    "ignored",
    "needs_review",
    "awaiting_information",
    "complete",
)

# Kinds that concern one named unit (process.md, "the sender must give").
_NEEDS_UNIT = UNIT_CHANGES
_NEEDS_DATE = _NEEDS_UNIT
_NOTICE_KINDS = frozenset({"new_unit", "close_unit", "merge_units", "rename_unit"})
_CAPACITY = frozenset({"capacity_full", "capacity_available"})
_NEEDS_FORM = frozenset({"new_unit", "merge_units"})
_SWEDISH_KIND = {
    "new_unit": "en ny enhet",
    "close_unit": "att en enhet avslutas",
    "merge_units": "en sammanslagning",
    "rename_unit": "en namnändring",
}
# Errors the sender cannot mend by writing again: they need EKU, or nothing at all.
_NOT_MENDABLE = frozenset({"late_notice", "unreadable_attachment"})


class Evaluation(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: Status
    findings: tuple[Finding, ...]
    tasks: tuple[RoutedTask, ...]
    municipal: bool
    form_missing: tuple[str, ...] = ()
    form_invalid: tuple[str, ...] = ()
    # needs_review only because the reading is unsure: the tasks are made, and the orders
    # wait for EKU's approval whatever [routing] hold_orders says (contract.md).
    orders_wait: bool = False


def evaluate(
    u: Understanding,
    *,
    sender: str | None,
    policy: SenderPolicy,
    register: RegisterSnapshot | None = None,
) -> Evaluation:
    """Apply every rule of process.md and contract.md to one understanding.

    ``register``: the known units (issue 10); None reads as before, without it.
    """
    if u.kind == "auto_reply":
        return Evaluation(status="ignored", findings=(), tasks=(), municipal=False)

    form = u.form
    municipal = is_municipal_sender(sender, policy) or (
        form is not None and is_municipal_provider(form.utforare)
    )
    kinds = set(u.kinds)
    found: list[Finding] = []
    review = False

    if not is_trusted_sender(sender, policy):
        found.append(finding("unknown_sender", evidence=sender, sender=sender or "okänd"))
        review = True
    if u.kind == "other":
        found.append(finding("unclassified"))
        review = True
    unsure_alone = False
    if u.unsure:
        # contract.md: never a confident wrong order; EKU looks first (orders are held).
        found.append(finding("kind_unsure", evidence=", ".join(u.kind_evidence), reason=u.unsure))
        unsure_alone = not review
        review = True
    for bad in u.unreadable:
        found.append(
            finding(
                "unreadable_attachment",
                evidence=bad.filename,
                filename=bad.filename or "utan namn",
                reason=bad.reason,
            )
        )
        review = True

    form_missing: tuple[str, ...] = ()
    # A change the sender only weighs: EKU reads it, and nothing is asked for yet.
    if not u.undecided:
        asks, form_missing = _asks(u, kinds, municipal=municipal)
        found.extend(asks)
    form_invalid = tuple(invalid_fields(form)) if form else ()
    if form_invalid:
        found.append(
            finding(
                "form_invalid_field",
                evidence=", ".join(form_invalid),
                fields=describe_fields(list(form_invalid)),
            )
        )
    if "merge_units" in kinds and not _merge_outcome_clear(u):
        found.append(finding("merge_remaining_unit_unclear", evidence=u.merge_evidence))
    queue = "capacity_available" in kinds and u.queue_evidence is not None
    if queue:
        found.append(finding("queue_remains", evidence=u.queue_evidence))
    if u.personal_data:
        found.append(finding("personal_data", evidence=", ".join(u.personal_data)))
    if register is not None:
        known = register_findings(u.kinds, u.units, u.new_name, register)
        found.extend(known)
        review = review or any(f.code == "unknown_unit" for f in known)

    status = status_for(found, review=review)
    return Evaluation(
        status=status,
        orders_wait=unsure_alone and status_for(found, review=False) == "complete",
        findings=tuple(found),
        tasks=tuple(
            t
            for t in route(u.kinds, u.effective_date)
            # seed 004: free places while a queue remains leave the unit not valbar.
            if not (queue and t.system == "jamfor_service" and set(u.kinds) <= _CAPACITY)
        ),
        municipal=municipal,
        form_missing=form_missing,
        form_invalid=form_invalid,
    )


def _asks(
    u: Understanding, kinds: set[Kind], *, municipal: bool
) -> tuple[list[Finding], tuple[str, ...]]:
    """What the sender is asked for (unit, new name, date, ansvarskod, form and its
    fields), and the form's missing fields."""
    found: list[Finding] = []
    if kinds & _NEEDS_UNIT and not u.units:
        found.append(finding("missing_unit_name"))
    if "rename_unit" in kinds and not u.new_name:
        found.append(finding("missing_new_name"))
    found.extend(_date_findings(u, kinds))
    if not kinds & _NEEDS_FORM:
        return found, ()
    if municipal and not u.ansvarskod:
        found.append(finding("missing_ansvarskod"))
    if u.form is None:
        stray = f"Den bifogade blanketten gäller {u.stray_form}" if u.stray_form else None
        found.append(finding("missing_form", evidence=stray))
        return found, ()
    # What the mail itself gives is not asked for again from the form.
    given = {
        "ansvarskod": u.ansvarskod is not None,
        "startdatum": u.effective_date is not None,
        "enhetens_namn": bool(u.units),
    } | dict.fromkeys(u.given_fields, True)
    missing = tuple(f for f in missing_fields(u.form, municipal=municipal) if not given.get(f))
    if missing:
        found.append(
            finding(
                "form_incomplete",
                evidence=", ".join(missing),
                fields=describe_fields(list(missing)),
            )
        )
    # "Två nya enheter – blanketterna bifogade": each unit's form is checked; the finding
    # names the unit whose form lacks something.
    for other in u.other_forms:
        lacking = missing_fields(other, municipal=municipal)
        if lacking:
            found.append(
                finding(
                    "form_incomplete",
                    evidence=f"{other.enhetens_namn}: {', '.join(lacking)}",
                    fields=f"{describe_fields(lacking)} (blanketten för {other.enhetens_namn})",
                )
            )
            missing = (*missing, *(f for f in lacking if f not in missing))
    return found, missing


def _date_findings(u: Understanding, kinds: set[Kind]) -> list[Finding]:
    if not kinds & _NEEDS_DATE:
        return []
    if u.effective_date is None:
        return [finding("missing_effective_date")]
    if u.sent_on is None:
        return []
    if u.effective_date < u.sent_on and kinds & _NOTICE_KINDS:
        # contract.md: only a change with a notice period can be announced too late; for
        # the others a past date is the day the change took effect.
        return [
            finding(
                "date_in_past",
                evidence=u.date_evidence,
                date=u.effective_date.isoformat(),
                sent=u.sent_on.isoformat(),
            )
        ]
    for kind in u.kinds:
        rule = NOTICE_RULES.get(kind)
        # With several changes each keeps its own date ("Kärra Backe upphör 30 november"
        # beside a merge on 1 February): the notice of each is counted from its own.
        own = next((c for c in u.changes if c.kind == kind and c.effective_date), None)
        date = own.effective_date if own and own.effective_date else u.effective_date
        evidence = own.date_evidence if own else u.date_evidence
        if rule and u.sent_on <= date < earliest_effective_day(rule, u.sent_on):
            return [
                finding(
                    "late_notice",
                    evidence=evidence,
                    what=_SWEDISH_KIND[kind],
                    period=rule.label,
                    date=date.isoformat(),
                    sent=u.sent_on.isoformat(),
                )
            ]
    return []


def _merge_outcome_clear(u: Understanding) -> bool:
    """process.md: a merge must say whether a unit remains and whether it changes name.

    A new name answers both (the merged unit goes on under it); otherwise the message
    must say which unit remains and whether that unit keeps its name.
    """
    if u.new_name:
        return True
    return u.merge_remaining_stated and u.merge_renamed is not None


def status_for(findings: list[Finding], *, review: bool) -> Status:
    """The status the findings lead to, by contract.md's precedence."""
    if review:
        return "needs_review"
    if any(f.severity == "error" and f.code not in _NOT_MENDABLE for f in findings):
        return "awaiting_information"
    return "complete"
