"""Two ``lovbot run`` at once against one mailbox and a slow SMTP server (numbers, not a test).

Loads N change notices into a fresh account on a Dovecot started the way the tests start it,
starts an aiosmtpd server that takes ``--smtp-delay`` seconds to accept each mail (0.5 s is
ordinary for Exchange), then starts two ``lovbot run`` processes on the same database and
mailbox. When every outgoing row is sent (or ``--deadline`` passes) both get SIGTERM, and
the script prints how many mails the server received and how many of them it got twice.

    .venv/bin/python scripts/two_pollers.py [--n 34] [--smtp-delay 0.5]
        [--backend postgresql|sqlite|both] [--lovbot .venv/bin/lovbot]

``--lovbot`` may point at another checkout's lovbot to measure it the same way.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import SMTP, Envelope, Session  # noqa: E402
from bench_poll import _environment, _toml, fresh_pg_database, running_dovecot  # noqa: E402
from fixtures_imap import ImapAccount  # noqa: E402
from mails import build_mail  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CLOSE = "Hej,\nDaglig verksamhet {unit} upphör 2027-06-30.\n\nHälsningar Karin"


class SlowServer:
    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.message_ids: list[str] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        await asyncio.sleep(self.delay)
        assert isinstance(envelope.content, bytes)
        for line in envelope.content.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                self.message_ids.append(line.split(b":", 1)[1].strip().decode())
                break
        return "250 OK"


@contextlib.contextmanager
def slow_smtp(delay: float) -> Iterator[tuple[SlowServer, int]]:
    handler = SlowServer(delay)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def write_config(path: Path, account: ImapAccount, db_url: str, smtp_port: int) -> Path:
    sections: dict[str, dict[str, object]] = {
        "mailbox": {
            "kind": "imap",
            "host": account.host,
            "port": account.port,
            "security": "none",
            "username": account.username,
            "password": account.password,
            "batch_size": 10,
        },
        "smtp": {"host": "127.0.0.1", "port": smtp_port, "security": "none", "timeout": 30},
        "database": {"url": db_url},
        "senders": {"trusted_domains": ["goteborg.se"], "max_replies_per_hour": 10000},
        "poll": {"interval_seconds": 5},
    }
    lines = []
    for section, values in sections.items():
        lines.append(f"[{section}]")
        lines.extend(f"{key} = {_toml(value)}" for key, value in values.items())
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def outbox_counts(db_url: str) -> tuple[int, int]:
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            total = connection.scalar(text("SELECT count(*) FROM outgoing_mail")) or 0
            pending = (
                connection.scalar(
                    text("SELECT count(*) FROM outgoing_mail WHERE state = 'pending'")
                )
                or 0
            )
            messages = connection.scalar(text("SELECT count(*) FROM mail_message")) or 0
    finally:
        engine.dispose()
    return int(total), int(pending) + (1 if messages == 0 else 0)


def run_backend(name: str, db_url: str, args: argparse.Namespace, work: Path) -> dict[str, object]:
    with running_dovecot() as dovecot, slow_smtp(args.smtp_delay) as (server, port):
        account = dovecot.new_account()
        for i in range(args.n):
            account.append(
                build_mail(
                    CLOSE.format(unit=f"Hamnen {i + 1}"),
                    subject=f"Avslut {i}",
                    message_id=f"<two-pollers-{i}@funktionsstod.goteborg.se>",
                )
            )
        config = write_config(work / f"{name}.toml", account, db_url, port)
        env = _environment()
        subprocess.run([args.lovbot, "--config", str(config), "db", "upgrade"], env=env, check=True)
        logs = [open(work / f"{name}-poller{i}.log", "wb") for i in (1, 2)]  # noqa: SIM115
        pollers = [
            subprocess.Popen(
                [args.lovbot, "-v", "--config", str(config), "run"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            for log in logs
        ]
        start = time.monotonic()
        try:
            while time.monotonic() - start < args.deadline:
                time.sleep(1)
                total, pending = outbox_counts(db_url)
                if total and not pending:
                    break
        finally:
            for poller in pollers:
                poller.send_signal(signal.SIGTERM)
            for poller in pollers:
                poller.wait(timeout=120)
            for log in logs:
                log.close()
        total, pending = outbox_counts(db_url)
        received = Counter(server.message_ids)
        return {
            "backend": name,
            "queued": total,
            "pending": pending,
            "received": sum(received.values()),
            "distinct": len(received),
            "twice": sum(1 for n in received.values() if n > 1),
            "seconds": round(time.monotonic() - start, 1),
        }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=34, help="incoming notices (each sends 3 mails)")
    parser.add_argument("--smtp-delay", type=float, default=0.5)
    parser.add_argument("--backend", choices=["postgresql", "sqlite", "both"], default="both")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--lovbot", default=str(ROOT / ".venv" / "bin" / "lovbot"))
    parser.add_argument("--deadline", type=float, default=600.0)
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="lovbot-two-pollers-") as tmp:
        work = Path(tmp)
        if args.backend in ("sqlite", "both"):
            results.append(run_backend("sqlite", f"sqlite:///{work / 'lovbot.db'}", args, work))
        if args.backend in ("postgresql", "both"):
            with fresh_pg_database(args.pg_url) as url:
                if url is not None:
                    results.append(run_backend("postgresql", url, args, work))
        if os.environ.get("TWO_POLLERS_KEEP_LOGS"):
            for log in sorted(work.glob("*.log")):
                print(f"--- {log.name}\n{log.read_text(errors='replace')[-4000:]}")
    print(f"lovbot: {args.lovbot}; {args.n} notices; SMTP {args.smtp_delay} s per mail")
    print("backend     queued  still pending  received  distinct  sent twice  seconds")
    for r in results:
        print(
            f"{r['backend']:<11} {r['queued']:>6}  {r['pending']:>13}  {r['received']:>8}  "
            f"{r['distinct']:>8}  {r['twice']:>10}  {r['seconds']:>7}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
