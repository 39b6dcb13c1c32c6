"""How the review app's pages are written: Swedish names for the bot's codes, and a
Jinja environment in which every printed value has its personnummer masked."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from parsers.form import FORM_LABELS
from parsers.personnummer import mask_personnummer
from parsers.understand import STOCKHOLM
from review.queue import REASONS

__all__ = ["KIND_NAMES", "MAIL_STATES", "STATUS_NAMES", "TASK_STATES", "make_templates"]

_TEMPLATES = Path(__file__).parent / "templates"

KIND_NAMES = {
    "new_unit": "Ny enhet",
    "close_unit": "Enhet avslutas",
    "merge_units": "Sammanslagning",
    "rename_unit": "Namnändring",
    "update_details": "Ändrade uppgifter",
    "capacity_full": "Fullbelagd",
    "capacity_available": "Lediga platser",
    "onboarding": "Ny utförare",
    "other": "Övrigt",
    "auto_reply": "Automatiskt svar",
}
STATUS_NAMES = {
    "complete": "Komplett",
    "awaiting_information": "Väntar på komplettering",
    "needs_review": "Behöver granskas",
    "ignored": "Ingen åtgärd",
    "error": "Kunde inte läsas",
    "new": "Ny",
}
TASK_STATES = {
    "open": "Att göra (EKU)",
    "held": "Väntar på godkännande",
    "ordered": "Beställd",
    "done": "Klar",
    "stopped": "Stoppad",
}
MAIL_STATES = {"pending": "Väntar på att skickas", "sent": "Skickat", "failed": "Misslyckades"}


def _mask(value: Any) -> Any:
    """Every value a template prints passes here: no personnummer reaches a page."""
    if isinstance(value, Markup):
        return Markup(mask_personnummer(str(value)))
    if isinstance(value, str):
        return mask_personnummer(value)
    return value


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(_TEMPLATES))
    templates.env.finalize = _mask
    templates.env.globals.update(
        kind_names=KIND_NAMES,
        status_names=STATUS_NAMES,
        task_states=TASK_STATES,
        mail_states=MAIL_STATES,
        reasons=REASONS,
        form_labels=FORM_LABELS,
        local_time=_local_time,
        highlight=_highlight,
    )
    return templates


def _highlight(text: str, findings: Any) -> Markup:
    """The mail text, escaped, with each finding's evidence marked where it stands.

    Masked first: evidence is stored masked, so only a masked text can contain it.
    """
    text = mask_personnummer(text)
    evidences = sorted(
        {f.evidence.strip() for f in findings if f.evidence and len(f.evidence.strip()) >= 4},
        key=len,
        reverse=True,
    )
    if not evidences:
        return escape(text)
    pattern = re.compile("|".join(re.escape(e) for e in evidences))
    out: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        out.append(str(escape(text[last : match.start()])))
        out.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


def _local_time(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")
