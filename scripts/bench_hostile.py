"""Benchmark (numbers, not a test): the hostile corpus of issue 8, worst time and RSS per class.

Each message of ``tests/hostile.py`` is written to a file and handed to a fresh Python
process, so that its peak RSS (``VmHWM``) is its own: the interpreter and lovbot's
imports, the raw message, and everything the bot does with it. Three paths, each message
through each:

- ``check``: ``intake.pipeline.analyse`` alone, as ``lovbot check`` runs it;
- ``sqlite``: the message dropped into a Maildir (by this process, so that the copying
  is not counted) and one ``Poller.run_once()`` on SQLite and the file outbox: fetch,
  parse, understand, rules, the database transaction with the raw message (written in
  slices, store/raw.py), the acknowledgement and orders, the move, the delivery;
- ``postgresql``: the same on PostgreSQL (``--pg URL``, default
  ``postgresql+psycopg://postgres@127.0.0.1:5432/test``; a database is created on that
  server for the run and dropped after it).

``--stages MESSAGE`` says where a poll's memory goes instead: the one message (a name
from tests/hostile.py) through the poll, with each stage's tracemalloc peak (what Python
allocates) and the process's highest RSS during it (which also counts what SQLite,
libpq and other C code allocate), on each database path asked for.

The goal (issue 8): every message within 2 s and 150 MB, so the poller is never blocked.

    .venv/bin/python scripts/bench_hostile.py [--path check sqlite postgresql] [--pg URL]
        [--only CLASS ...] [--stages MESSAGE]
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
PATHS = ("check", "sqlite", "postgresql")
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


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


def _one(eml: Path, path: str, work: Path, db_url: str | None) -> dict[str, object]:
    """Run one message in this (fresh) process; report its time and the process's peak RSS.

    For the poll paths ``work`` holds the Maildir with the message already in it.
    """
    from intake.cycle import Poller
    from intake.mailbox import open_mailbox
    from intake.pipeline import analyse, sender_policy
    from intake.settings import DatabaseSettings, MailboxSettings, Settings, SmtpSettings
    from store.db import make_engine, make_sessionmaker

    if path == "check":
        before = _rss_mb()
        raw = eml.read_bytes()
        start = time.perf_counter()
        status = analyse(raw, sender_policy(Settings())).line["status"]
        seconds = time.perf_counter() - start
    else:
        assert db_url is not None
        settings = Settings(
            mailbox=MailboxSettings(kind="maildir", path=work / "mailbox"),
            smtp=SmtpSettings(outbox_dir=work / "outbox"),
            database=DatabaseSettings(url=db_url),
        )
        engine = make_engine(settings.database.url)
        poller = Poller(settings, make_sessionmaker(engine), lambda: open_mailbox(settings.mailbox))
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


# (module, attribute path, label): the poll's stages, outermost first.
_STAGES = (
    ("intake.cycle", "Poller.run_once", "run_once"),
    ("intake.mailbox.maildir", "MaildirMailbox.fetch", "  mailbox.fetch (the batch)"),
    ("intake.cycle", "Poller._record_batch", "  _record_batch (one transaction)"),
    ("intake.mailbox.protocol", "LargeMessages.get", "    raw: read the large message"),
    ("intake.readers", "sha256", "    sha256(raw)"),
    ("intake.readers", "analyse", "    analyse(raw): parse, read, rules"),
    ("intake.cycle", "record_case", "    record_case"),
    ("intake.cases", "sender_authentication", "      sender_authentication(raw)"),
    ("sqlalchemy.orm", "Session.flush", "    session.flush (the rows)"),
    ("intake.cycle", "write_raw", "    write_raw (raw in 1 MB slices)"),
    ("sqlalchemy.orm", "Session.commit", "    session.commit"),
    ("intake.cycle", "Poller._finish_moves", "  _finish_moves (move)"),
    ("intake.cycle", "Poller.deliver", "  deliver (outgoing mail)"),
)


def _stages(name: str, work: Path, db_url: str) -> None:
    """One poll of the message in ``work``'s Maildir, each stage measured (see --stages)."""
    import functools
    import importlib
    import os
    import threading
    import tracemalloc

    from intake.cycle import Poller
    from intake.mailbox import open_mailbox
    from intake.settings import DatabaseSettings, MailboxSettings, Settings, SmtpSettings
    from store.db import make_engine, make_sessionmaker

    page = os.sysconf("SC_PAGE_SIZE")

    def rss() -> int:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * page

    class Stage:
        def __init__(self) -> None:
            self.child_peak = 0
            self.rss = rss()

    stack: list[Stage] = []
    found: dict[str, list[int]] = {}  # label: [calls, traced peak, highest RSS]
    lock = threading.Lock()

    def measured(function, label):  # type: ignore[no-untyped-def]
        @functools.wraps(function)
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            stage = Stage()
            with lock:
                if stack:  # what the caller reached so far, before the peak is reset
                    stack[-1].child_peak = max(
                        stack[-1].child_peak, tracemalloc.get_traced_memory()[1]
                    )
                stack.append(stage)
            tracemalloc.reset_peak()
            try:
                return function(*args, **kwargs)
            finally:
                with lock:
                    stack.pop()
                    peak = max(tracemalloc.get_traced_memory()[1], stage.child_peak)
                    if stack:
                        stack[-1].child_peak = max(stack[-1].child_peak, peak)
                        stack[-1].rss = max(stack[-1].rss, stage.rss)
                    row = found.setdefault(label, [0, 0, 0])
                    row[0] += 1
                    row[1] = max(row[1], peak)
                    row[2] = max(row[2], stage.rss)

        return wrapper

    for module_name, path, label in _STAGES:
        owner = importlib.import_module(module_name)
        *parents, attribute = path.split(".")
        for parent in parents:
            owner = getattr(owner, parent)
        setattr(owner, attribute, measured(getattr(owner, attribute), label))

    def sample(stop: threading.Event) -> None:
        while not stop.wait(0.002):
            now = rss()
            with lock:
                for stage in stack:
                    stage.rss = max(stage.rss, now)

    settings = Settings(
        mailbox=MailboxSettings(kind="maildir", path=work / "mailbox"),
        smtp=SmtpSettings(outbox_dir=work / "outbox"),
        database=DatabaseSettings(url=db_url),
    )
    engine = make_engine(db_url)
    poller = Poller(settings, make_sessionmaker(engine), lambda: open_mailbox(settings.mailbox))
    before = rss()
    stop = threading.Event()
    sampler = threading.Thread(target=sample, args=(stop,), daemon=True)
    tracemalloc.start()
    sampler.start()
    report = poller.run_once()
    stop.set()
    sampler.join()
    tracemalloc.stop()
    engine.dispose()
    print(f"{name} on {db_url.split(':', 1)[0]}: {report.summary()}")
    print(f"RSS before the poll: {before / 2**20:.1f} MB")
    print(f"{'stage':40}{'calls':>6}{'traced peak':>14}{'highest RSS':>14}")
    for _module, _path, label in _STAGES:
        if label in found:
            calls, peak, highest = found[label]
            print(f"{label:40}{calls:>6}{peak / 2**20:>11.1f} MB{highest / 2**20:>11.1f} MB")
    print()


def _drop_into_maildir(eml: Path, maildir: Path) -> None:
    """The message delivered as Dovecot delivers it: a file in new/ (no copy in memory)."""
    for sub in ("tmp", "new", "cur"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    shutil.copyfile(eml, maildir / "new" / f"{time.time_ns()}.bench.{eml.stem}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", nargs="+", choices=PATHS, default=list(PATHS))
    parser.add_argument("--only", nargs="*", default=None, help="classes to run")
    parser.add_argument("--pg", default=DEFAULT_PG, help="PostgreSQL server URL")
    parser.add_argument("--stages", metavar="MESSAGE", help="where one poll's memory goes")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.one:
        if args.stages:
            _stages(args.stages, args.work, args.db)
        else:
            print(json.dumps(_one(args.one, args.path[0], args.work, args.db)))
        return 0

    from hostile import corpus
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from store.db import make_engine, upgrade

    messages = [m for m in corpus() if args.only is None or m.kind in args.only]
    if args.stages:
        messages = [m for m in corpus() if m.name == args.stages]
        args.path = [path for path in args.path if path != "check"]
        if not messages or not args.path:
            parser.error("--stages needs a message of tests/hostile.py and a database path")
    directory = Path(tempfile.mkdtemp(prefix="lovbot-hostile-"))
    pg_database: str | None = None
    try:
        template = directory / "template.db"
        engine = make_engine(f"sqlite:///{template}")
        upgrade(engine)
        engine.dispose()
        pg: str | None = None
        if "postgresql" in args.path:
            pg_database = f"lovbot_bench_hostile_{directory.name[-8:].lower()}"
            admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{pg_database}"'))
            admin.dispose()
            pg = make_url(args.pg).set(database=pg_database).render_as_string(hide_password=False)
            engine = make_engine(pg)
            upgrade(engine)
            engine.dispose()

        # results[path][class] = [(message, MB, result)]
        results: dict[str, dict[str, list[tuple[str, float, dict[str, object]]]]] = {
            path: defaultdict(list) for path in args.path
        }
        print(f"{len(messages)} hostile messages, paths {', '.join(args.path)}, one process each\n")
        for message in messages:
            eml = directory / f"{message.name}.eml"
            eml.write_bytes(message.build())
            size = eml.stat().st_size / 2**20
            for path in args.path:
                # A folder of its own: a Maildir path seen before would be a mailbox
                # whose messages the database already holds.
                work = directory / f"work-{path}-{message.name}"
                work.mkdir()
                db_url: str | None = None
                if path == "sqlite":
                    shutil.copy(template, work / "lovbot.db")
                    db_url = f"sqlite:///{work / 'lovbot.db'}"
                elif path == "postgresql":
                    db_url = pg
                if path != "check":
                    _drop_into_maildir(eml, work / "mailbox")
                proc = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--one",
                        str(eml),
                        "--path",
                        path,
                        "--work",
                        str(work),
                        *(["--db", db_url] if db_url else []),
                        *(["--stages", args.stages] if args.stages else []),
                    ],
                    capture_output=True,
                    text=True,
                    check=False,
                    cwd=ROOT,
                )
                shutil.rmtree(work, ignore_errors=True)
                if proc.returncode != 0:
                    print(f"  {message.name} ({path}): the process failed\n{proc.stderr[-2000:]}")
                    return 1
                if args.stages:
                    print(proc.stdout)
                    continue
                result = json.loads(proc.stdout.strip().splitlines()[-1])
                results[path][message.kind].append((message.name, size, result))
                print(
                    f"  {message.name:28} {path:10} {size:7.2f} MB  {result['seconds']:6.2f} s  "
                    f"{result['peak_mb']:6.1f} MB RSS  {result['status']}"
                )
            eml.unlink()
        if args.stages:
            return 0

        print(
            f"\nWorst time and peak RSS per class (goal ≤ {GOAL_SECONDS:g} s, ≤ {GOAL_MB:g} MB)\n"
        )
        header = "".join(f"{path:>24}" for path in args.path)
        print(f"{'class':13}{'n':>3}{header}")
        within = True
        for kind in results[args.path[0]]:
            cells = []
            for path in args.path:
                rows = results[path][kind]
                seconds = max(float(row[2]["seconds"]) for row in rows)  # type: ignore[arg-type]
                peak = max(float(row[2]["peak_mb"]) for row in rows)  # type: ignore[arg-type]
                ok = seconds <= GOAL_SECONDS and peak <= GOAL_MB
                within = within and ok
                cells.append(f"{seconds:6.2f} s {peak:6.1f} MB {'ok' if ok else 'OVER':>4}")
            count = len(results[args.path[0]][kind])
            print(f"{kind:13}{count:>3}" + "".join(f"{cell:>24}" for cell in cells))
        start_mb = min(
            float(r[2]["start_mb"])  # type: ignore[arg-type]
            for by_kind in results.values()
            for rows in by_kind.values()
            for r in rows
        )
        print(f"\n(RSS of a process with lovbot imported, before any message: {start_mb:.1f} MB)")
        return 0 if within else 2
    finally:
        shutil.rmtree(directory, ignore_errors=True)
        if pg_database:
            admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{pg_database}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
