"""A message the database itself refuses is quarantined; it never stalls the mailbox."""

from __future__ import annotations

import mailbox
from collections.abc import Callable
from pathlib import Path

import pytest
from local_intake import local_settings
from mails import build_mail
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake import readers
from intake.cycle import Poller
from intake.digest_job import print_digest
from intake.mailbox import open_mailbox
from store.models import MailMessage


def test_a_message_the_database_refuses_never_stalls_the_poller(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    box = mailbox.Maildir(tmp_path / "mailbox", create=True)
    # A Message-ID longer than the column: PostgreSQL refuses it, SQLite stores it.
    poison = build_mail(
        "Daglig verksamhet Ham\x00nen upphör 2027-06-30.",
        subject="Avslut",
        message_id=f"<{'a' * 2000}@funktionsstod.goteborg.se>",
    )
    box.add(poison)
    box.add(build_mail("Daglig verksamhet Berget upphör 2027-06-30.", subject="Avslut Berget"))
    settings = local_settings(tmp_path, db_url)
    poller = Poller(settings, sessions, lambda: open_mailbox(settings.mailbox))

    report = poller.run_once()

    assert report.new == 2
    assert report.processed + report.failed == 2
    with sessions() as session:
        rows = session.scalars(select(MailMessage).order_by(MailMessage.uid)).all()
        assert rows[0].raw == poison
        assert rows[1].state == "processed"
        if db_url.startswith("postgresql"):
            assert rows[0].state == "failed" and rows[0].error
            assert rows[0].target_folder == "Karantän"
    assert poller.run_once().new == 0


def test_a_quarantined_message_moved_back_is_tried_again(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = build_mail("Daglig verksamhet Hamnen upphör 2027-06-30.", subject="Avslut")
    box = mailbox.Maildir(tmp_path / "mailbox", create=True)
    box.add(raw)
    settings = local_settings(tmp_path, db_url)
    poller = Poller(settings, sessions, lambda: open_mailbox(settings.mailbox))

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug in this version")

    with monkeypatch.context() as patch:
        patch.setattr(readers, "analyse", broken)
        assert poller.run_once().failed == 1
    assert "Meddelanden i Karantän (1)" in print_digest(settings, sessions)

    box.add(raw)  # EKU moves it back to the inbox once the bug is fixed
    report = poller.run_once()

    assert (report.processed, report.duplicates, report.failed) == (1, 0, 0)
    with sessions() as session:
        states = sorted(session.scalars(select(MailMessage.state)))
        assert states == ["processed", "retried"]
    assert "Karantän" not in print_digest(settings, sessions)
