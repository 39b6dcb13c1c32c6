"""The ``lovbot check --json`` line (contract.md), shared by ``check`` and the poller."""

from __future__ import annotations

import datetime as dt
from typing import Any

from parsers.mail import ParsedMail
from parsers.personnummer import mask_personnummer
from parsers.understand import Understanding
from rules.evaluate import Evaluation

__all__ = ["error_line", "masked", "report_line"]


def report_line(
    mail: ParsedMail,
    understanding: Understanding,
    evaluation: Evaluation,
    *,
    file: str | None = None,
    received: dt.datetime | None = None,
) -> dict[str, Any]:
    """The contract's JSON object for one message, personal identity numbers masked."""
    form = understanding.form
    moment = mail.date or received
    line: dict[str, Any] = {
        "file": file,
        "message_id": mail.message_id,
        "from": mail.from_address,
        "subject": mail.subject,
        "received": moment.isoformat() if moment else None,
        "kind": understanding.kind,
        "also": list(understanding.also),
        "evidence": list(understanding.kind_evidence),
        "status": evaluation.status,
        "units": list(understanding.units),
        "new_name": understanding.new_name,
        "effective_date": _iso(understanding.effective_date),
        "ansvarskod": understanding.ansvarskod,
        "form": {
            "attached": form is not None,
            "fields": form.answers() if form else {},
            "missing": list(evaluation.form_missing),
            "invalid": list(evaluation.form_invalid),
            "unmatched_labels": [
                {"label": item.label, "answer": item.answer} for item in form.unmatched_labels
            ]
            if form
            else [],
        },
        "findings": [f.model_dump() for f in evaluation.findings],
        "tasks": [
            {"system": t.system, "owner": t.owner, "due": _iso(t.due)} for t in evaluation.tasks
        ],
        # Beyond the contract's keys: with several kinds, each change with its own units and
        # date (orders and the acknowledgement say which is which). Empty for one change.
        "changes": [
            {
                "kind": c.kind,
                "units": list(c.units),
                "effective_date": _iso(c.effective_date),
                "new_name": c.new_name,
            }
            for c in understanding.changes
        ],
    }
    if file is None:
        del line["file"]
    return masked(line)


def error_line(file: str | None, reason: str) -> dict[str, Any]:
    """The line for a file that could not be read as a message at all."""
    line: dict[str, Any] = {
        "file": file,
        "message_id": None,
        "from": None,
        "received": None,
        "kind": None,
        "also": [],
        "status": "error",
        "units": [],
        "new_name": None,
        "effective_date": None,
        "ansvarskod": None,
        "form": {
            "attached": False,
            "fields": {},
            "missing": [],
            "invalid": [],
            "unmatched_labels": [],
        },
        "findings": [
            {"code": "unreadable_message", "severity": "error", "message": reason, "evidence": file}
        ],
        "tasks": [],
    }
    return masked(line)


def masked(value: Any) -> Any:
    """The same structure with every personal identity number in every string masked."""
    if isinstance(value, str):
        return mask_personnummer(value)
    if isinstance(value, dict):
        return {k: masked(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [masked(v) for v in value]
    return value


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
