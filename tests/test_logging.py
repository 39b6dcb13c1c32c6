"""What ``-v`` logs: what lovbot does, never the mail itself (issue 8 item 9)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures_imap import ImapAccount
from mails import build_mail

LOVBOT = str(Path(sys.executable).parent / "lovbot")
SECRET_LINE = "Brukaren på rum 12 behöver extra tillsyn nattetid"


def _config(tmp_path: Path, account: ImapAccount) -> Path:
    config = tmp_path / "lovbot.toml"
    config.write_text(
        f"""
[mailbox]
kind = "imap"
host = "{account.host}"
port = {account.port}
security = "none"
username = "{account.username}"
password = "{account.password}"

[smtp]
outbox_dir = "{tmp_path / "outbox"}"

[database]
url = "sqlite:///{tmp_path / "lovbot.db"}"
""",
        encoding="utf-8",
    )
    return config


def _lovbot(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOVBOT_")}
    return subprocess.run(
        [LOVBOT, "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


@pytest.mark.imap
@pytest.mark.parametrize("verbosity", ["-v", "-vv", "-vvv"])
def test_verbose_logs_the_work_but_never_a_message_body(
    imap_account: ImapAccount, tmp_path: Path, verbosity: str
) -> None:
    imap_account.append(
        build_mail(f"Hej,\nDaglig verksamhet Hamnen upphör 2027-06-30.\n{SECRET_LINE}.\n")
    )
    config = _config(tmp_path, imap_account)
    assert _lovbot(config, "db", "upgrade").returncode == 0

    result = _lovbot(config, verbosity, "poll", "--once")

    assert result.returncode == 0, result.stderr
    assert "recorded as processed" in result.stderr  # the work is logged
    assert SECRET_LINE not in result.stderr
    assert "Daglig verksamhet Hamnen" not in result.stderr
