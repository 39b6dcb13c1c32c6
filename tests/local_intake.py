"""The embedded defaults in a test's temporary folder: a Maildir mailbox, the file outbox,
and a given database; for tests about what happens after a message is read."""

from __future__ import annotations

import mailbox
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from intake.cycle import CycleReport, Poller
from intake.mailbox import open_mailbox
from intake.settings import DatabaseSettings, MailboxSettings, Settings, SmtpSettings

__all__ = ["local_settings", "poll_local"]


def local_settings(tmp_path: Path, db_url: str, **sections: object) -> Settings:
    values: dict[str, object] = {
        "mailbox": MailboxSettings(kind="maildir", path=tmp_path / "mailbox"),
        "smtp": SmtpSettings(outbox_dir=tmp_path / "outbox"),
        "database": DatabaseSettings(url=db_url),
    }
    values.update(sections)
    return Settings.model_validate(values)


def poll_local(settings: Settings, sessions: Callable[[], Session], *raws: bytes) -> CycleReport:
    """Drop ``raws`` into the Maildir inbox and run one poll cycle."""
    box = mailbox.Maildir(settings.mailbox.path, create=True)
    for raw in raws:
        box.add(raw)
    return Poller(settings, sessions, lambda: open_mailbox(settings.mailbox)).run_once()
