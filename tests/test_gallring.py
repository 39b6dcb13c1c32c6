"""Gallring: raw messages and attachments go after their period; the case stays (item 13)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from local_intake import local_settings, poll_local
from mails import build_mail
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.commands import gallring
from store.models import AuditEntry, Case, MailMessage, MailMessageRaw, OutgoingMail

CLOSE = "Hej,\nDaglig verksamhet Hamnen upphör 2027-06-30.\n\nHälsningar Karin"
AUTO = "Jag är på semester till och med 2027-03-10."
LOVBOT = str(Path(sys.executable).parent / "lovbot")


def _mails(tmp_path: Path, db_url: str, sessions: Callable[[], Session]) -> None:
    settings = local_settings(tmp_path, db_url)
    form = ("blankett.docx", "application/octet-stream", b"PK\x03\x04 bilaga med namn och adress")
    poll_local(
        settings,
        sessions,
        build_mail(CLOSE, subject="Avslut Hamnen", attachments=[form]),
        build_mail(AUTO, subject="Autosvar: semester", headers={"Auto-Submitted": "auto-replied"}),
    )


def _raws(sessions: Callable[[], Session]) -> dict[str, bytes | None]:
    with sessions() as session:
        rows = session.scalars(select(MailMessage).order_by(MailMessage.id)).all()
        return {str(r.subject): r.raw for r in rows}


def test_raw_messages_go_after_their_period_and_the_case_and_its_facts_stay(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = local_settings(tmp_path, db_url)
    _mails(tmp_path, db_url, sessions)
    with sessions() as session:
        before = session.scalars(select(Case)).one()
        result, units, status = before.result, before.units, before.status
    now = dt.datetime.now(dt.UTC)

    in_100_days = gallring(settings, sessions, now=now + dt.timedelta(days=100))

    raws = _raws(sessions)
    assert raws["Autosvar: semester"] is None  # automated mail: 90 days
    kept = raws["Avslut Hamnen"]
    assert (
        kept is not None and b"UEsDBCBiaWxhZ2Eg" in kept
    )  # a case's mail, attachment too: two years
    assert "1 meddelanden" in in_100_days

    gallring(settings, sessions, now=now + dt.timedelta(days=731))

    assert _raws(sessions)["Avslut Hamnen"] is None
    with sessions() as session:
        case = session.scalars(select(Case)).one()
        assert (case.result, case.units, case.status) == (result, units, status)
        message = session.scalars(
            select(MailMessage).where(MailMessage.subject == "Avslut Hamnen")
        ).one()
        assert message.understanding is not None and message.sha256
        assert message.purged_at is not None
        assert session.scalars(select(MailMessageRaw)).all() == []  # the bytes are gone
        outgoing = session.scalars(select(OutgoingMail)).all()
        assert outgoing and all(o.raw == b"" and o.purged_at for o in outgoing)
        audited = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "gallrat", AuditEntry.case_id == case.id)
        ).one()
        assert audited.actor == "lovbot gallra"
        assert audited.detail["status"] == status and audited.detail["messages"] == 1


def test_dry_run_names_what_would_go_and_changes_nothing(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = local_settings(tmp_path, db_url)
    _mails(tmp_path, db_url, sessions)
    raws = _raws(sessions)

    said = gallring(
        settings, sessions, dry_run=True, now=dt.datetime.now(dt.UTC) + dt.timedelta(days=800)
    )

    assert "2 meddelanden" in said and "Inget ändrades" in said
    assert _raws(sessions) == raws
    with sessions() as session:
        assert session.scalars(select(AuditEntry).where(AuditEntry.action == "gallrat")).all() == []


def test_lovbot_gallra_is_a_command(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOVBOT_")}
    env["LOVBOT_DATABASE__URL"] = f"sqlite:///{tmp_path / 'lovbot.db'}"
    subprocess.run([LOVBOT, "db", "upgrade"], cwd=tmp_path, env=env, check=True, timeout=120)

    done = subprocess.run(
        [LOVBOT, "gallra", "--dry-run"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "0 meddelanden" in done.stdout and "Inget ändrades" in done.stdout
