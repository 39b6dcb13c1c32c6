"""What lovbot sends reads the same in every mail client: Swedish subjects and bodies,
threading headers, and the case number readable even in the raw mail."""

from __future__ import annotations

import email
from email import policy

import pytest

from outbox.compose import compose

CASE = {
    "number": "LOV-2027-0001",
    "kind": "close_unit",
    "also": [],
    "status": "complete",
    "units": ["Daglig verksamhet Änglagården"],
    "new_name": None,
    "effective_date": "2027-06-30",
    "ansvarskod": None,
    "form_attached": False,
}


def _ack(subject: str, references: list[str] | None = None) -> bytes:
    return compose(
        template="ack",
        sender="LOV@stadshuset.goteborg.se",
        recipient="anna.lind@goteborg.se",
        subject=subject,
        context={"case": CASE, "problems": [], "checklist": None},
        in_reply_to="<orig@funktionsstod.goteborg.se>",
        references=references or [],
    ).raw


@pytest.mark.parametrize(
    "subject",
    [
        "SV: Stängning av Hamnen [LOV-2027-0001]",
        "SV: Stängning Änglagården Åby av Hamnen [LOV-2027-0001]",  # adjacent non-ASCII words
        "SV: " + "Ärende " * 25 + "[LOV-2027-0001]",  # folded over many lines
        "SV: plain ascii [LOV-2027-0001]",
    ],
)
def test_the_subject_arrives_as_written_with_its_case_number_readable(subject: str) -> None:
    raw = _ack(subject)
    parsed = email.message_from_bytes(raw, policy=policy.default)
    assert parsed["Subject"] == subject
    assert b"[LOV-2027-0001]" in raw  # findable in the raw mail and in outbox files


def test_body_is_swedish_text_in_both_parts_and_lines_end_in_crlf() -> None:
    raw = _ack("SV: Stängning [LOV-2027-0001]")
    parsed = email.message_from_bytes(raw, policy=policy.default)
    plain = parsed.get_body(("plain",))
    html = parsed.get_body(("html",))
    assert plain is not None and html is not None
    assert "Daglig verksamhet Änglagården" in plain.get_content()
    assert "Daglig verksamhet Änglagården" in html.get_content()
    assert b"\n" not in raw.replace(b"\r\n", b"")


def test_a_long_thread_keeps_every_reference_in_order() -> None:
    refs = [f"<thread-{i}@funktionsstod.goteborg.se>" for i in range(25)]
    parsed = email.message_from_bytes(_ack("SV: Hej", refs), policy=policy.default)
    assert parsed["In-Reply-To"] == "<orig@funktionsstod.goteborg.se>"
    assert str(parsed["References"]).split() == [*refs, "<orig@funktionsstod.goteborg.se>"]
    assert parsed["Auto-Submitted"] == "auto-replied"


def test_long_lines_equals_signs_and_swedish_letters_survive_the_body_encoding() -> None:
    unit = "Daglig verksamhet Ängsgårdens korttids- och fritidsverksamhet = Åby " * 3
    raw = compose(
        template="ack",
        sender="LOV@stadshuset.goteborg.se",
        recipient="anna.lind@goteborg.se",
        subject="SV: Hej",
        context={"case": {**CASE, "units": [unit.strip()]}, "problems": [], "checklist": None},
    ).raw
    assert max(len(line) for line in raw.split(b"\r\n")) <= 78
    parsed = email.message_from_bytes(raw, policy=policy.default)
    for subtype in ("plain", "html"):
        part = parsed.get_body((subtype,))
        assert part is not None
        assert unit.strip() in part.get_content()
