"""Issue 8.7: a reply repeats what it got only in bounded pieces: a 2 MB subject, unit
name or finding comes back as a line, not as megabytes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hostile import acknowledgements, outgoing, raw_mail
from local_intake import local_settings, poll_local
from sqlalchemy.orm import Session

from outbox.compose import (
    MAX_ECHO_CHARS,
    MAX_SUBJECT_CHARS,
    compose,
    reply_subject,
)
from rules.findings import finding

_HUGE = "Daglig verksamhet Hamnen " * 80_000  # 2 MB


def _ack(subject: str, **case: object) -> bytes:
    view = {
        "number": "LOV-2027-0001",
        "kind": "close_unit",
        "also": [],
        "status": "awaiting_information",
        "units": [],
        "new_name": None,
        "effective_date": "2027-06-30",
        "ansvarskod": None,
        "form_attached": False,
        **case,
    }
    return compose(
        template="ack",
        sender="LOV@stadshuset.goteborg.se",
        recipient="anna.lind@goteborg.se",
        subject=reply_subject(subject, "LOV-2027-0001"),
        context={
            "case": view,
            "problems": [
                finding("unreadable_attachment", evidence=_HUGE, filename=_HUGE, reason="x")
            ],
            "checklist": None,
        },
        in_reply_to="<a@x.se>",
        references=[f"<ref-{i}@x.se>" for i in range(10_000)],
    ).raw


def test_an_acknowledgement_of_huge_values_stays_small() -> None:
    units = [_HUGE, *(f"Daglig verksamhet {i}" for i in range(1_000))]
    raw = _ack(_HUGE, units=units, new_name=_HUGE)

    # Two bodies (text and HTML) of a few echoed lines each, and the headers.
    assert len(raw) < 64 * 1024
    assert b"Daglig verksamhet 28" in raw
    assert b"Daglig verksamhet 29," not in raw  # the 31st unit
    assert raw.count(b"Daglig verksamhet Hamnen") < 2 * 3 * MAX_ECHO_CHARS // len(
        "Daglig verksamhet Hamnen "
    )


def test_the_subject_is_cut_but_keeps_its_case_number() -> None:
    subject = reply_subject(_HUGE, "LOV-2027-0001")

    assert len(subject) <= MAX_SUBJECT_CHARS
    assert subject.startswith("SV: Daglig verksamhet Hamnen")
    assert subject.endswith("… [LOV-2027-0001]")


def test_the_poller_answers_a_2_mb_subject_with_a_small_acknowledgement(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = local_settings(tmp_path, db_url)

    poll_local(settings, sessions, raw_mail(subject=f"Avslut {_HUGE}"))

    [ack] = acknowledgements(tmp_path / "outbox")
    assert ack["Subject"].startswith("SV: Avslut Daglig verksamhet Hamnen")
    assert len(ack["Subject"]) <= MAX_SUBJECT_CHARS
    for message in outgoing(tmp_path / "outbox"):
        assert len(message.as_bytes()) < 64 * 1024
