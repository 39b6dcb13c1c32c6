"""Issue 11: a backlog over 100 shows its progress; an ordinary cycle stays quiet."""

from __future__ import annotations

import io
import mailbox
import subprocess
from pathlib import Path

from mails import build_mail

from intake.progress import BacklogProgress

LOVBOT = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "lovbot"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_small_backlog_shows_nothing() -> None:
    out = io.StringIO()
    progress = BacklogProgress(out, is_terminal=True)
    for done in range(10, 101, 10):
        progress(done, 100)
    assert out.getvalue() == ""


def test_a_terminal_gets_a_bar_with_rate_and_time_left() -> None:
    out, clock = io.StringIO(), Clock()
    progress = BacklogProgress(out, clock=clock, is_terminal=True)
    progress(0, 1000)
    clock.now = 2.0
    progress(100, 1000)
    clock.now = 20.0
    progress(1000, 1000)
    frames = out.getvalue().split("\r")
    assert "100/1000 (50 meddelanden/s, 18 s kvar)" in frames[2]
    assert "█" in frames[2]
    assert frames[-1].startswith("Behandlar ")
    assert frames[-1].endswith("1000/1000 (50 meddelanden/s, 0 s kvar)\n")


def test_without_a_terminal_a_line_every_half_minute_and_at_the_end() -> None:
    out, clock = io.StringIO(), Clock()
    progress = BacklogProgress(out, clock=clock, is_terminal=False)
    progress(0, 3000)
    for done in range(100, 3001, 100):
        clock.now += 3.0  # 100 messages in 3 s: 30 batches, 90 s in all
        progress(done, 3000)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3  # at 30 and 60 s, and at the end (90 s)
    assert lines[0] == "Behandlat 1000 av 3000 meddelanden (33/s, 60 s kvar)"
    assert lines[-1].startswith("Behandlat 3000 av 3000 meddelanden")


def test_poll_once_shows_progress_through_a_backlog(tmp_path: Path) -> None:
    config = tmp_path / "lovbot.toml"
    config.write_text(
        f"""
[mailbox]
kind = "maildir"
path = "{tmp_path / "mailbox"}"

[smtp]
outbox_dir = "{tmp_path / "outbox"}"

[database]
url = "sqlite:///{tmp_path / "lovbot.db"}"

[senders]
max_replies_per_hour = 1000
""",
        encoding="utf-8",
    )
    box = mailbox.Maildir(tmp_path / "mailbox", create=True)
    for i in range(120):
        box.add(build_mail(f"Hej,\nDaglig verksamhet Eken {i} har fullt från 2027-04-01."))
    subprocess.run([LOVBOT, "--config", str(config), "db", "upgrade"], check=True)
    done = subprocess.run(
        [LOVBOT, "--config", str(config), "poll", "--once"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Behandlat 120 av 120 meddelanden" in done.stderr
