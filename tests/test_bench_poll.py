"""scripts/bench_poll.py runs end to end: a tiny run on PostgreSQL.

The numbers are not checked (they are the benchmark's business, not a test's); only that
one run measures each of them. PostgreSQL only, to stay under 20 s: each stage starts
``lovbot`` five times, and SQLite takes the same path through the script.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.imap, pytest.mark.postgres, pytest.mark.slow]

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "bench_poll.py"


def test_one_tiny_run_measures_every_goal(pg_server_url: str, tmp_path: Path) -> None:
    numbers = tmp_path / "bench.json"
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--quick",
            "--sizes",
            "12",
            "--idle-base",
            "6",
            "--idle-runs",
            "2",
            "--arrivals",
            "1",
            "--arrival-gap",
            "0",
            "--attachment-mb",
            "1",
            "--backend",
            "postgresql",
            "--pg-url",
            pg_server_url,
            "--json",
            str(numbers),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(numbers.read_text(encoding="utf-8"))
    assert report["problems"] == []
    measured = {(row["measure"], row["backend"]) for row in report["rows"]}
    for measure in (
        "raw fetch anchor (imapclient)",
        "backlog / raw fetch",
        "first ack after start of lovbot run",
        "arrival → ack p95 (IDLE)",
        "idle cycle ratio",
        "peak RSS, poll --once, 1 MB PDF",
    ):
        assert (measure, "postgresql") in measured
    assert "backlog / raw fetch" in done.stdout  # the table went to stdout
    # Where the CPU went: lovbot's own processes by name, and the servers beside it.
    (backlog,) = report["backlogs"]
    cpu = backlog["cpu_summary"]["ms_per_message"]
    assert cpu["lovbot"] > 0 and cpu["PostgreSQL"] > 0
    assert {"lovbot-deliver", "Dovecot", "test SMTP server"} <= set(cpu)
    assert "CPU per message (ms)" in done.stdout
