"""Findings: a business problem with its code, severity, Swedish message and evidence.

The codes and severities are fixed by domain/contract.md ("Finding codes"); the Swedish
wording lives in one catalogue here so that EKU can review it in one place.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

__all__ = ["MESSAGES", "SEVERITY", "Finding", "FindingCode", "finding"]

FindingCode = Literal[
    "late_notice",
    "missing_effective_date",
    "date_in_past",
    "missing_unit_name",
    "missing_new_name",
    "missing_ansvarskod",
    "missing_form",
    "form_incomplete",
    "form_invalid_field",
    "merge_remaining_unit_unclear",
    "unreadable_attachment",
    "time_budget_exceeded",
    "unknown_sender",
    "personal_data",
    "unclassified",
    "queue_remains",
    "kind_unsure",
    "sender_not_authenticated",
    "unknown_unit",
    "unit_exists",
]

SEVERITY: dict[FindingCode, Literal["error", "warning"]] = {
    "late_notice": "error",
    "missing_effective_date": "error",
    "date_in_past": "error",
    "missing_unit_name": "error",
    "missing_new_name": "error",
    "missing_ansvarskod": "error",
    "missing_form": "error",
    "form_incomplete": "error",
    "form_invalid_field": "warning",
    "merge_remaining_unit_unclear": "warning",
    "unreadable_attachment": "error",
    "time_budget_exceeded": "warning",
    "unknown_sender": "warning",
    "personal_data": "warning",
    "unclassified": "warning",
    "queue_remains": "warning",
    "kind_unsure": "warning",
    "sender_not_authenticated": "warning",
    "unknown_unit": "warning",
    "unit_exists": "warning",
}

# Swedish for a unit manager; {placeholders} are filled by finding().
MESSAGES: dict[FindingCode, str] = {
    "late_notice": (
        "Ändringen meddelades för sent: {what} ska meddelas minst {period} före {date}, "
        "men meddelandet kom {sent}."
    ),
    "missing_effective_date": "Vi hittar inget datum då ändringen ska gälla. Ange från vilket datum.",
    "date_in_past": "Datumet för ändringen ({date}) har redan passerat när meddelandet kom ({sent}).",
    "missing_unit_name": "Vi kan inte se vilken enhet meddelandet gäller. Ange enhetens namn.",
    "missing_new_name": "Namnändringen saknar det nya namnet. Ange vad enheten ska heta.",
    "missing_ansvarskod": "Den ekonomiska ansvarskoden saknas. Ange enhetens ansvarskod.",
    "missing_form": "Blanketten Verksamhetsuppgifter saknas. Fyll i den och skicka den till oss.",
    "form_incomplete": "Blanketten saknar: {fields}",
    "form_invalid_field": "Blanketten har uppgifter i fel format: {fields}",
    "merge_remaining_unit_unclear": (
        "Det framgår inte vilken enhet som finns kvar efter sammanslagningen "
        "eller om den byter namn."
    ),
    "unreadable_attachment": (
        "Bilagan {filename} kunde inte läsas ({reason}). Skicka blanketten som en vanlig "
        "Word-fil (.docx)."
    ),
    "time_budget_exceeded": (
        "Meddelandet var för stort eller invecklat för att läsas automatiskt inom "
        "{seconds} sekunder. EKU läser det och återkommer vid behov."
    ),
    "unknown_sender": (
        "Avsändaren {sender} finns inte bland kända utförare eller stadens domäner; "
        "EKU granskar meddelandet."
    ),
    "personal_data": (
        "Meddelandet innehåller personnummer. Skicka inte personuppgifter till LOV-brevlådan; "
        "numret har maskerats."
    ),
    "unclassified": "Meddelandet gäller ingen ändring vi känner igen; EKU läser det.",
    "queue_remains": (
        "Det finns lediga platser men kön är inte tom: enheten tar först emot från sin kö "
        "och är inte valbar igen förrän det finns ledig kapacitet utan kö."
    ),
    "kind_unsure": "EKU läser meddelandet innan något beställs: {reason}",
    "sender_not_authenticated": (
        "Avsändaradressen {sender} kunde inte bekräftas: vår e-postserver rapporterar att "
        "DMARC-kontrollen för {domain} misslyckades. Meddelandet kan vara förfalskat; det har "
        "inte besvarats och inga beställningar har gått ut."
    ),
    "unknown_unit": (
        "Enheten {unit} finns inte i stadens register över enheter; EKU kontrollerar vilken "
        "enhet som avses innan något ändras."
    ),
    "unit_exists": (
        "Det finns redan en enhet som heter {known} i registret ({state}). Om det är en ny "
        "enhet, ange ett namn som skiljer den från den befintliga."
    ),
}


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: FindingCode
    severity: Literal["error", "warning"]
    message: str
    evidence: str | None = None


def finding(code: FindingCode, evidence: str | None = None, **values: object) -> Finding:
    """A finding with its contract severity and its Swedish message filled in."""
    return Finding(
        code=code,
        severity=SEVERITY[code],
        message=MESSAGES[code].format(**values),
        evidence=evidence,
    )
