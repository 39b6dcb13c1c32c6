"""The hostile corpus of issue 8 (tests/hostile.py) through the bot, message by message.

Memory is measured (tracemalloc: what the reading allocates, the raw message aside). Time
is not measured here: a test with a wall-clock limit fails on a busy machine and proves
nothing on a fast one. What bounds the time is asserted instead, that every reader gets a
bounded prefix, and scripts/bench_hostile.py prints the seconds and the RSS per class.
"""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from hostile import PERSONNUMMER_SERIALS, HostileMail, corpus, outgoing
from local_intake import local_settings, poll_local
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.check import json_line
from intake.pipeline import analyse, sender_policy
from intake.settings import Settings
from parsers.mail import MAX_SUBJECT_CHARS, MAX_TEXT_CHARS
from store.models import MailMessage

# Issue 8's goal is 150 MB of RSS per message for the whole process; what the reading
# itself allocates must stay well inside it.
_MAX_TRACED_BYTES = 100 * 1024 * 1024
CORPUS = corpus()
POLICY = sender_policy(Settings())


@pytest.mark.parametrize("hostile", CORPUS, ids=[m.name for m in CORPUS])
def test_a_hostile_message_is_read_within_bounds(hostile: HostileMail) -> None:
    raw = hostile.build()

    tracemalloc.start()
    try:
        analysis = analyse(raw, POLICY, file=f"{hostile.name}.eml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    mail, line = analysis.mail, analysis.line
    assert peak < _MAX_TRACED_BYTES, f"{peak / 2**20:.0f} MB"
    assert len(mail.text) <= MAX_TEXT_CHARS
    assert len(mail.subject) <= MAX_SUBJECT_CHARS
    assert line["status"] != "error"
    printed = json_line(line)
    assert printed.splitlines() == [printed]
    assert [s for s in PERSONNUMMER_SERIALS if s in printed] == []
    if hostile.notice:  # the notice at the top is read as a person reads it
        assert line["kind"] == "close_unit"
        assert line["units"] == ["Daglig verksamhet Hamnen"]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_poller_records_and_answers_the_whole_corpus(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = local_settings(tmp_path, db_url)

    report = poll_local(settings, sessions, *(m.build() for m in CORPUS))

    assert (report.new, report.processed, report.failed) == (len(CORPUS), len(CORPUS), 0)
    assert settings.folders.quarantine not in report.moved
    with sessions() as session:
        assert set(session.scalars(select(MailMessage.state))) == {"processed"}
        for subject in session.scalars(select(MailMessage.subject)):
            assert len(subject or "") <= MAX_SUBJECT_CHARS
    for message in outgoing(tmp_path / "outbox"):
        raw = message.as_bytes()
        assert len(raw) < 64 * 1024
        # Content-Type and our own Message-ID aside: their random boundary and token may
        # hold any four digits (one run in a few hundred failed on a token with "9805").
        shown = json.dumps(
            [str(v) for k, v in message.items() if k.lower() not in ("content-type", "message-id")],
            ensure_ascii=False,
        )
        shown += "".join(
            part.get_content() for part in message.walk() if part.get_content_maintype() == "text"
        )
        assert [s for s in PERSONNUMMER_SERIALS if s in shown] == []
