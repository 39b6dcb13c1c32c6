"""A poll of a message with a 25 MB attachment stays within 150 MB of RSS (issue 8).

Measured as ``scripts/bench_hostile.py --only attachment`` does: the message is dropped
into a Maildir by this process, and one poll runs in a fresh Python process whose peak
RSS (``VmHWM``) is its own: the interpreter, lovbot's imports, the message, and what
SQLite, libpq and the drivers allocate while it is written. Never a clock.
"""

from __future__ import annotations

import mailbox
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hostile import corpus
from sqlalchemy import select

from store.db import make_engine, make_sessionmaker
from store.models import MailMessage

GOAL_MB = 150

_POLL = """
import sys
from pathlib import Path

from intake.cycle import Poller
from intake.mailbox import open_mailbox
from intake.settings import DatabaseSettings, MailboxSettings, Settings, SmtpSettings
from store.db import make_engine, make_sessionmaker

work, url = Path(sys.argv[1]), sys.argv[2]
settings = Settings(
    mailbox=MailboxSettings(kind="maildir", path=work / "mailbox"),
    smtp=SmtpSettings(outbox_dir=work / "outbox"),
    database=DatabaseSettings(url=url),
)
engine = make_engine(url)
poller = Poller(settings, make_sessionmaker(engine), lambda: open_mailbox(settings.mailbox))
report = poller.run_once()
engine.dispose()
peak = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:")).split()[1]
print(report.processed, report.failed, int(peak) // 1024)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="VmHWM is Linux's")
@pytest.mark.parametrize("name", ["attachment-25mb-pdf"])
def test_a_poll_of_a_25_mb_attachment_peaks_within_150_mb(
    tmp_path: Path, db_url: str, name: str
) -> None:
    raw = next(m for m in corpus() if m.name == name).build()
    mailbox.Maildir(tmp_path / "mailbox", create=True).add(raw)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOVBOT_")}

    done = subprocess.run(
        [sys.executable, "-c", _POLL, str(tmp_path), db_url],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )

    assert done.returncode == 0, done.stderr[-3000:]
    processed, failed, peak_mb = map(int, done.stdout.split()[-3:])
    assert (processed, failed) == (1, 0)
    assert peak_mb <= GOAL_MB, f"a poll of {name} peaked at {peak_mb} MB RSS"
    engine = make_engine(db_url)
    try:
        with make_sessionmaker(engine)() as session:
            assert session.scalars(select(MailMessage.raw)).one() == raw
    finally:
        engine.dispose()
