"""``lovbot health``: one line and a monitoring exit code."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from mails import build_mail
from sqlalchemy.orm import Session

from intake.health import CRITICAL, OK, WARNING, health_line
from intake.settings import Settings
from store.models import OutgoingMail, PollState

LOVBOT = str(Path(sys.executable).parent / "lovbot")


def lovbot(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LOVBOT, *args], cwd=cwd, capture_output=True, text=True, timeout=120, env=os.environ
    )


def test_health_after_a_poll_is_ok_with_the_quarantine_counted(tmp_path: Path) -> None:
    inbox = tmp_path / "var" / "mailbox"
    for sub in ("new", "cur", "tmp"):
        (inbox / sub).mkdir(parents=True)
    (inbox / "new" / "1.eml").write_bytes(build_mail("Daglig verksamhet Hamnen upphör 2027-06-30."))
    (inbox / "new" / "2.eml").write_bytes(b"garbage")
    assert lovbot("db", "upgrade", cwd=tmp_path).returncode == 0

    before = lovbot("health", cwd=tmp_path)
    assert lovbot("poll", "--once", cwd=tmp_path).returncode == 0
    after = lovbot("health", cwd=tmp_path)

    assert before.returncode == CRITICAL
    assert before.stdout == (
        "lovbot KRITISKT: ingen lyckad hämtning ännu; 0 brev i utkorgen; 0 i karantän\n"
    )
    assert after.returncode == OK, after.stdout
    assert after.stdout.startswith("lovbot OK: senaste lyckade hämtning ")
    assert after.stdout.endswith("(för 0 min sedan); 0 brev i utkorgen; 1 i karantän\n")


def test_health_without_a_usable_database_is_unknown_not_a_traceback(tmp_path: Path) -> None:
    result = lovbot("health", cwd=tmp_path)

    assert result.returncode == 3
    assert result.stdout.startswith("lovbot OKÄNT: databasen går inte att läsa (")
    assert "lovbot db upgrade" in result.stdout
    assert "Traceback" not in result.stderr


def test_a_setting_that_cannot_be_used_is_unknown_and_named_in_swedish(tmp_path: Path) -> None:
    config = tmp_path / "lovbot.toml"
    config.write_text("[smtp]\nmax_per_day = 5\npassword = 'hemligt'\n", encoding="utf-8")

    result = lovbot("--config", str(config), "health", cwd=tmp_path)

    assert result.returncode == 3
    assert result.stdout == (
        f"lovbot OKÄNT: Inställningarna i {config} eller miljövariablerna LOVBOT_* går inte "
        "att använda: smtp.max_per_day: måste vara minst 10\n"
    )
    assert "hemligt" not in result.stdout + result.stderr


def test_stale_polls_are_critical_and_given_up_mail_a_warning(
    sessions: Callable[[], Session],
) -> None:
    settings = Settings()
    polled = dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)
    with sessions() as session, session.begin():
        session.add(PollState(mailbox="imap://lov@x", folder="INBOX", last_success_at=polled))
        _outbox(session, ["pending", "pending", "failed", "sent"])

    fresh = health_line(settings, sessions, now=lambda: polled + dt.timedelta(minutes=59))
    stale = health_line(settings, sessions, now=lambda: polled + dt.timedelta(minutes=61))

    assert fresh == (
        WARNING,
        "lovbot VARNING: senaste lyckade hämtning 2027-03-01 09:00 (för 59 min sedan); "
        "2 brev i utkorgen, 1 gick inte att skicka; 0 i karantän",
    )
    assert stale[0] == CRITICAL
    assert stale[1].startswith("lovbot KRITISKT: senaste lyckade hämtning 2027-03-01 09:00")


def test_mail_held_by_a_sending_limit_is_named_but_not_a_fault(
    sessions: Callable[[], Session],
) -> None:
    settings = Settings.model_validate({"smtp": {"max_per_minute": 2}})
    polled = dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)
    with sessions() as session, session.begin():
        session.add(PollState(mailbox="imap://lov@x", folder="INBOX", last_success_at=polled))
        _outbox(session, ["sent", "sent", "pending"], sent_at=polled - dt.timedelta(seconds=20))

    held = health_line(settings, sessions, now=lambda: polled)
    later = health_line(settings, sessions, now=lambda: polled + dt.timedelta(minutes=5))

    assert held == (
        OK,
        "lovbot OK: senaste lyckade hämtning 2027-03-01 09:00 (för 0 min sedan); "
        "1 brev i utkorgen (sändningsgränsen: 2 brev i minuten; nästa kl 09:00); 0 i karantän",
    )
    assert later[1].endswith("; 1 brev i utkorgen; 0 i karantän")  # the minute has passed


def _outbox(session: Session, states: list[str], sent_at: dt.datetime | None = None) -> None:
    """One outgoing mail in each of ``states``; those sent were sent at ``sent_at``."""
    for number, state in enumerate(states):
        session.add(
            OutgoingMail(
                message_id=f"<{number}@lovbot>",
                purpose="ack",
                recipient="a@goteborg.se",
                subject="s",
                raw=b"x",
                state=state,
                sent_at=sent_at if state == "sent" else None,
            )
        )


def test_the_deploy_example_is_valid_exchange_online_configuration(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from intake.settings import load_settings

    monkeypatch.setenv("LOVBOT_OAUTH2__CLIENT_SECRET", "hemlig")
    settings = load_settings(Path(__file__).parents[1] / "deploy" / "lovbot.toml")

    assert (settings.mailbox.kind, settings.mailbox.auth, settings.smtp_auth) == (
        "imap",
        "oauth2",
        "oauth2",
    )
    assert settings.oauth2.scope_for(graph=False) == "https://outlook.office365.com/.default"
    assert settings.oauth2.client_secret.get_secret_value() == "hemlig"
    assert "hemlig" not in repr(settings)
    assert settings.poll.idle is True
    assert (settings.smtp.max_per_minute, settings.smtp.max_per_day) == (30, 9000)
