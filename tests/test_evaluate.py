"""Every finding code of contract.md, statuses and their precedence, tasks per kind."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from parsers.form import VerksamhetsForm
from parsers.understand import Understanding, UnreadableAttachment
from rules.evaluate import evaluate
from rules.senders import SenderPolicy

POLICY = SenderPolicy(
    trusted_domains=("goteborg.se", "omsorgsgruppen.se"),
    municipal_domains=("goteborg.se",),
    known_providers=("info@known.se",),
)
MUNICIPAL = "anna@funktionsstod.goteborg.se"
PRIVATE = "per@omsorgsgruppen.se"
SENT = dt.date(2027, 3, 1)

COMPLETE_FORM = VerksamhetsForm(
    typ_av_andring=("Ny enhet",),
    verksamhetsomrade="Daglig verksamhet LSS",
    utforare="Förvaltningen för funktionsstöd",
    enhetens_namn="Daglig verksamhet Ek",
    ansvarskod="4711203",
    startdatum="2027-06-01",
    besoksadress="Ekgatan 1",
    postnummer="415 05",
    ort="Göteborg",
    telefon="031-365 40 00",
    epost="ek@goteborg.se",
    ansvarig_chef="Anna Lind",
    ansvarig_chef_epost="anna@goteborg.se",
    beskrivning="Café och trädgård.",
    antal_platser="12",
)


def understanding(**values: Any) -> Understanding:
    base: dict[str, Any] = {
        "sent_on": SENT,
        "kind": "close_unit",
        "units": ("Daglig verksamhet Ek",),
        "effective_date": dt.date(2027, 6, 30),
    }
    base.update(values)
    return Understanding(**base)


def codes(u: Understanding, sender: str = MUNICIPAL) -> tuple[str, list[str], list[str]]:
    result = evaluate(u, sender=sender, policy=POLICY)
    errors = sorted(f.code for f in result.findings if f.severity == "error")
    warnings = sorted(f.code for f in result.findings if f.severity == "warning")
    return result.status, errors, warnings


@pytest.mark.parametrize(
    ("values", "sender", "expected"),
    [
        ({}, MUNICIPAL, ("complete", [], [])),
        ({"effective_date": dt.date(2027, 3, 14)}, MUNICIPAL, ("complete", ["late_notice"], [])),
        ({"effective_date": dt.date(2027, 3, 15)}, MUNICIPAL, ("complete", [], [])),
        (
            {"effective_date": dt.date(2027, 2, 1)},
            MUNICIPAL,
            ("awaiting_information", ["date_in_past"], []),
        ),
        (
            {"effective_date": None},
            MUNICIPAL,
            ("awaiting_information", ["missing_effective_date"], []),
        ),
        ({"units": ()}, MUNICIPAL, ("awaiting_information", ["missing_unit_name"], [])),
        ({"kind": "rename_unit"}, MUNICIPAL, ("awaiting_information", ["missing_new_name"], [])),
        ({"kind": "rename_unit", "new_name": "DV Al"}, MUNICIPAL, ("complete", [], [])),
        ({}, "kalle@gmail.com", ("needs_review", [], ["unknown_sender"])),
        ({}, "info@known.se", ("complete", [], [])),
        ({}, "x@sub.omsorgsgruppen.se", ("complete", [], [])),
        ({"kind": "other", "units": ()}, MUNICIPAL, ("needs_review", [], ["unclassified"])),
        (
            {"kind": "onboarding", "units": (), "effective_date": None},
            PRIVATE,
            ("complete", [], []),
        ),
        ({"personal_data": ("19850412-****",)}, MUNICIPAL, ("complete", [], ["personal_data"])),
        (
            {"kind": "new_unit", "effective_date": dt.date(2027, 6, 1)},
            MUNICIPAL,
            ("awaiting_information", ["missing_ansvarskod", "missing_form"], []),
        ),
        (
            {"kind": "new_unit", "effective_date": dt.date(2027, 6, 1), "ansvarskod": "1"},
            PRIVATE,
            ("awaiting_information", ["missing_form"], []),
        ),
        (
            {
                "kind": "new_unit",
                "effective_date": dt.date(2027, 6, 1),
                "ansvarskod": "4711203",
                "form": COMPLETE_FORM,
            },
            MUNICIPAL,
            ("complete", [], []),
        ),
        (
            {
                "kind": "new_unit",
                "effective_date": dt.date(2027, 4, 30),
                "ansvarskod": "4711203",
                "form": COMPLETE_FORM,
            },
            MUNICIPAL,
            ("complete", ["late_notice"], []),
        ),
        (
            {
                "kind": "new_unit",
                "effective_date": dt.date(2027, 6, 1),
                "ansvarskod": "4711203",
                "form": COMPLETE_FORM.model_copy(update={"beskrivning": None}),
            },
            MUNICIPAL,
            ("awaiting_information", ["form_incomplete"], []),
        ),
        (
            {
                "kind": "new_unit",
                "effective_date": dt.date(2027, 6, 1),
                "ansvarskod": "4711203",
                "form": COMPLETE_FORM.model_copy(update={"postnummer": "41505X"}),
            },
            MUNICIPAL,
            ("complete", [], ["form_invalid_field"]),
        ),
        (
            {
                "kind": "new_unit",
                "effective_date": dt.date(2027, 6, 1),
                "ansvarskod": "4711203",
                "unreadable": (UnreadableAttachment(filename="x.doc", reason="gammalt format"),),
            },
            MUNICIPAL,
            ("needs_review", ["missing_form", "unreadable_attachment"], []),
        ),
        (
            {
                "kind": "merge_units",
                "units": ("DV Ek", "DV Ask"),
                "ansvarskod": "1",
                "form": COMPLETE_FORM,
            },
            MUNICIPAL,
            ("complete", [], ["merge_remaining_unit_unclear"]),
        ),
        (
            {
                "kind": "merge_units",
                "units": ("DV Ek", "DV Ask"),
                "ansvarskod": "1",
                "form": COMPLETE_FORM,
                "merge_remaining_stated": True,
                "merge_renamed": False,
            },
            MUNICIPAL,
            ("complete", [], []),
        ),
        (
            {
                "kind": "merge_units",
                "units": ("DV Ek", "DV Ask"),
                "ansvarskod": "1",
                "form": COMPLETE_FORM,
                "merge_remaining_stated": True,
            },
            MUNICIPAL,
            ("complete", [], ["merge_remaining_unit_unclear"]),
        ),
        (
            {
                "kind": "merge_units",
                "units": ("DV Ek", "DV Ask"),
                "ansvarskod": "1",
                "form": COMPLETE_FORM,
                "new_name": "DV Lind",
            },
            MUNICIPAL,
            ("complete", [], []),
        ),
        (
            {"kind": "auto_reply", "units": (), "effective_date": None},
            MUNICIPAL,
            ("ignored", [], []),
        ),
    ],
)
def test_findings_and_status(
    values: dict[str, Any], sender: str, expected: tuple[str, list[str], list[str]]
) -> None:
    assert codes(understanding(**values), sender) == expected


def test_unknown_sender_wins_over_missing_information() -> None:
    status, errors, warnings = codes(understanding(effective_date=None), "kalle@gmail.com")
    assert status == "needs_review"
    assert errors == ["missing_effective_date"]
    assert warnings == ["unknown_sender"]


def test_messages_are_swedish_and_carry_evidence() -> None:
    result = evaluate(
        understanding(effective_date=dt.date(2027, 3, 10), date_evidence="den 10 mars"),
        sender=MUNICIPAL,
        policy=POLICY,
    )
    (late,) = result.findings
    assert late.message.startswith("Ändringen meddelades för sent")
    assert "två veckor" in late.message
    assert late.evidence == "den 10 mars"


@pytest.mark.parametrize(
    ("kind", "systems"),
    [
        (
            "new_unit",
            ["jamfor_service", "serviceguiden", "utforarregister", "treserva", "enhetssida"],
        ),
        (
            "close_unit",
            ["jamfor_service", "serviceguiden", "utforarregister", "treserva", "enhetssida"],
        ),
        (
            "merge_units",
            ["jamfor_service", "serviceguiden", "utforarregister", "treserva", "enhetssida"],
        ),
        (
            "rename_unit",
            ["jamfor_service", "serviceguiden", "utforarregister", "treserva", "enhetssida"],
        ),
        ("update_details", ["jamfor_service", "utforarregister"]),
        ("capacity_full", ["jamfor_service"]),
        ("capacity_available", ["jamfor_service"]),
        ("onboarding", []),
        ("other", []),
        ("auto_reply", []),
    ],
)
def test_tasks_per_kind(kind: str, systems: list[str]) -> None:
    result = evaluate(understanding(kind=kind), sender=MUNICIPAL, policy=POLICY)
    assert [t.system for t in result.tasks] == systems
    owners = {t.system: t.owner for t in result.tasks}
    assert owners.get("treserva", "intraservice") == "intraservice"
    assert owners.get("enhetssida", "kom") == "kom"
    assert all(t.due == dt.date(2027, 6, 30) for t in result.tasks)


def test_also_kinds_add_their_tasks_and_rules() -> None:
    result = evaluate(
        understanding(kind="capacity_full", also=("rename_unit",)), sender=MUNICIPAL, policy=POLICY
    )
    assert "missing_new_name" in [f.code for f in result.findings]
    assert [t.system for t in result.tasks][:1] == ["jamfor_service"]
    assert "treserva" in [t.system for t in result.tasks]


def test_each_units_form_is_checked_when_several_are_attached() -> None:
    second = COMPLETE_FORM.model_copy(
        update={"enhetens_namn": "Daglig verksamhet Alm", "ansvarig_chef_epost": None}
    )
    u = understanding(
        kind="new_unit",
        units=("Daglig verksamhet Ek", "Daglig verksamhet Alm"),
        effective_date=dt.date(2027, 6, 1),
        ansvarskod="4711203",
        form=COMPLETE_FORM,
        other_forms=(second,),
    )

    result = evaluate(u, sender=MUNICIPAL, policy=POLICY)

    (incomplete,) = [f for f in result.findings if f.code == "form_incomplete"]
    assert "Daglig verksamhet Alm" in incomplete.message
    assert result.status == "awaiting_information"
    assert "ansvarig_chef_epost" in result.form_missing
    complete = evaluate(u.model_copy(update={"other_forms": ()}), sender=MUNICIPAL, policy=POLICY)
    assert complete.status == "complete"
