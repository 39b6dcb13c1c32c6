"""Try a message: what the bot would do with it, with nothing recorded or sent.

The same path as ``lovbot check`` (``intake.pipeline.analyse``), plus the acknowledgement
the sender would get and the orders that would go out, worded by outbox's templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from intake.pipeline import analyse, sender_policy
from intake.settings import Settings
from outbox.compose import render
from rules.routing import SYSTEM_NAMES

__all__ = ["Trial", "try_raw"]

_EXAMPLE_NUMBER = "LOV-ÅÅÅÅ-NNNN"


@dataclass(frozen=True, slots=True)
class Trial:
    line: dict[str, Any]  # the `check` line, personnummer masked
    acknowledgement: str | None  # None: the sender would not be answered
    orders: list[tuple[str, str, bool]]  # (system, owner, held for approval)


def try_raw(settings: Settings, raw: bytes) -> Trial:
    """Raises MailParseError when the bytes are not a message."""
    analysis = analyse(raw, sender_policy(settings))
    line, evaluation = analysis.line, analysis.evaluation
    acknowledgement = None
    if line["kind"] != "auto_reply" and analysis.mail.from_address:
        acknowledgement = render(
            "ack.txt.j2",
            subject=analysis.mail.subject,
            case={
                "number": _EXAMPLE_NUMBER,
                "kind": line["kind"],
                "also": line["also"],
                "status": line["status"],
                "units": line["units"],
                "new_name": line["new_name"],
                "effective_date": line["effective_date"],
                "ansvarskod": line["ansvarskod"],
                "form_attached": line["form"]["attached"],
            },
            problems=[f for f in evaluation.findings if f.code != "unknown_sender"],
            checklist=None,
        )
    routed = evaluation.status == "complete" or evaluation.orders_wait
    held = settings.routing.hold_orders or evaluation.orders_wait
    orders: list[tuple[str, str, bool]] = [
        (SYSTEM_NAMES.get(t.system, t.system), str(t.owner), held)
        for t in evaluation.tasks
        if routed and t.owner != "eku"
    ]
    return Trial(line=line, acknowledgement=acknowledgement, orders=orders)
