"""Benchmark (numbers, not a test): the hostile corpus of issue 8, worst time and RSS per class.

Each message of ``tests/hostile.py`` is written to a file and handed to a fresh Python
process, so that its peak RSS (``ru_maxrss``) is its own: the interpreter and lovbot's
imports, the raw message, and everything the bot does with it. Two paths:

- ``poll`` (default): the message dropped into a Maildir and one ``Poller.run_once()``
  on SQLite and the file outbox: parse, understand, rules, the database transaction
  with the raw message, the acknowledgement and orders, the move, the delivery;
- ``check``: ``intake.pipeline.analyse`` alone, as ``lovbot check`` runs it.

``--pg URL`` runs the poll path on PostgreSQL instead (a database created on that server
for the run and dropped after it), e.g. ``postgresql+psycopg://postgres@127.0.0.1/test``.

The goal (issue 8): every message within 2 s and 150 MB, so the poller is never blocked.

    .venv/bin/python scripts/bench_hostile.py [--path poll|check] [--pg URL] [--only CLASS ...]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

GOAL_SECONDS = 2.0
GOAL_MB = 150.0


def _rss_mb() -> float:
    """This process's peak RSS. Linux's VmHWM starts afresh at exec; ru_maxrss carries
    the parent's peak over (and the parent holds the big messages it wrote)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _one(eml: Path, path: str, template_db: Path | None, pg: str | None) -> dict[str, object]:
    """Run one message in this (fresh) process; report its time and the process's peak RSS."""
    import mailbox

    from intake.cycle import Poller
    from intake.mailbox import open_mailbox
    from intake.pipeline import analyse, sender_policy
    from intake.settings import DatabaseSettings, MailboxSettings, Settings, SmtpSettings
    from store.db import make_engine, make_sessionmaker

    work = Path(tempfile.mkdtemp(prefix="lovbot-hostile-one-"))
    try:
        if path == "check":
            before = _rss_mb()
            raw = eml.read_bytes()
            start = time.perf_counter()
            status = analyse(raw, sender_policy(Settings())).line["status"]
            seconds = time.perf_counter() - start
        else:
            if pg is None:
                assert template_db is not None
                shutil.copy(template_db, work / "lovbot.db")
            settings = Settings(
                mailbox=MailboxSettings(kind="maildir", path=work / "mailbox"),
                smtp=SmtpSettings(outbox_dir=work / "outbox"),
                database=DatabaseSettings(url=pg or f"sqlite:///{work / 'lovbot.db'}"),
            )
            mailbox.Maildir(settings.mailbox.path, create=True).add(eml.read_bytes())
            engine = make_engine(settings.database.url)
            poller = Poller(
                settings, make_sessionmaker(engine), lambda: open_mailbox(settings.mailbox)
            )
            before = _rss_mb()
            start = time.perf_counter()
            report = poller.run_once()
            seconds = time.perf_counter() - start
            status = (
                "failed"
                if report.failed
                else ",".join(sorted(report.moved)) or f"processed {report.processed}"
            )
            engine.dispose()
        return {"seconds": seconds, "peak_mb": _rss_mb(), "start_mb": before, "status": status}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", choices=("poll", "check"), default="poll")
    parser.add_argument("--only", nargs="*", default=None, help="classes to run")
    parser.add_argument("--pg", default=None, help="PostgreSQL server URL for the poll path")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--template-db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.one:
        print(json.dumps(_one(args.one, args.path, args.template_db, args.pg)))
        return 0

    from hostile import corpus
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from store.db import make_engine, upgrade

    messages = [m for m in corpus() if args.only is None or m.kind in args.only]
    directory = Path(tempfile.mkdtemp(prefix="lovbot-hostile-"))
    try:
        template = directory / "template.db"
        engine = make_engine(f"sqlite:///{template}")
        upgrade(engine)
        engine.dispose()
        pg: str | None = None
        if args.pg:
            name = f"lovbot_bench_hostile_{directory.name[-8:].lower()}"
            admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            pg = make_url(args.pg).set(database=name).render_as_string(hide_password=False)
            engine = make_engine(pg)
            upgrade(engine)
            engine.dispose()

        results: dict[str, list[tuple[str, float, dict[str, object]]]] = defaultdict(list)
        where = "PostgreSQL" if pg else "SQLite"
        print(f"{len(messages)} hostile messages, path {args.path} ({where}), one process each\n")
        for message in messages:
            eml = directory / f"{message.name}.eml"
            eml.write_bytes(message.build())
            size = eml.stat().st_size / 2**20
            proc = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--one",
                    str(eml),
                    "--path",
                    args.path,
                    "--template-db",
                    str(template),
                    *(["--pg", pg] if pg else []),
                ],
                capture_output=True,
                text=True,
                check=False,
                cwd=ROOT,
            )
            eml.unlink()
            if proc.returncode != 0:
                print(f"  {message.name}: the process failed\n{proc.stderr[-2000:]}")
                return 1
            result = json.loads(proc.stdout.strip().splitlines()[-1])
            results[message.kind].append((message.name, size, result))
            print(
                f"  {message.name:28} {size:7.2f} MB  {result['seconds']:6.2f} s  "
                f"{result['peak_mb']:6.1f} MB RSS  {result['status']}"
            )

        print(
            f"\n{'class':13}{'n':>3}  {'worst time':>10}  {'message':28}"
            f"{'peak RSS':>9}  {'message':28}goal (≤ {GOAL_SECONDS:g} s, ≤ {GOAL_MB:g} MB)"
        )
        within = True
        for kind, rows in results.items():
            slow = max(rows, key=lambda row: float(row[2]["seconds"]))  # type: ignore[arg-type]
            big = max(rows, key=lambda row: float(row[2]["peak_mb"]))  # type: ignore[arg-type]
            seconds = float(slow[2]["seconds"])  # type: ignore[arg-type]
            peak = float(big[2]["peak_mb"])  # type: ignore[arg-type]
            ok = seconds <= GOAL_SECONDS and peak <= GOAL_MB
            within = within and ok
            print(
                f"{kind:13}{len(rows):>3}  {seconds:8.2f} s  {slow[0]:28}"
                f"{peak:6.1f} MB  {big[0]:28}{'ok' if ok else 'OVER'}"
            )
        start_mb = min(float(r[2]["start_mb"]) for rows in results.values() for r in rows)  # type: ignore[arg-type]
        print(f"\n(RSS of a process with lovbot imported, before any message: {start_mb:.1f} MB)")
        return 0 if within else 2
    finally:
        shutil.rmtree(directory, ignore_errors=True)
        if args.pg and pg:
            admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                database = make_url(pg).database
                connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
