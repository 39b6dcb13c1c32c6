"""Benchmark (numbers, not a test): ``lovbot poll --once`` over a backlog in a real Dovecot.

Loads N generated Swedish change notices into a fresh account on a Dovecot started the way
the tests start it (``tests/fixtures_imap.py``), then, for SQLite and PostgreSQL, runs
``lovbot db upgrade`` and times ``lovbot poll --once`` as a subprocess (wall time). After
the backlog it times idle polls (nothing new) against that account, whose folders now hold
N messages, and against an account that has only ever held one; the two should cost the
same. Dovecot's rawlog counts the IMAP commands each poll sends after login (one command is
one round trip).

    .venv/bin/python scripts/bench_poll.py [--n 1000] [--batch-size 100]
        [--pg-url postgresql+psycopg://postgres@127.0.0.1:5432/test] [--keep]

PostgreSQL gets a database ``lovbot_bench_<random>`` of its own, dropped at the end; when
the server cannot be reached that backend is skipped with a note. ``[senders]
max_replies_per_hour`` is set very high (``--max-replies-per-hour``): lovbot counts replies
by the messages' own arrival times, and generated mail dated close together would reach
the default ceiling of 30 per sender and hour.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import psycopg  # noqa: E402
from fixtures_imap import Dovecot, DovecotUnavailable, ImapAccount, start_dovecot  # noqa: E402
from mails import build_mail  # noqa: E402
from psycopg import sql  # noqa: E402
from sqlalchemy import create_engine, func, select  # noqa: E402
from sqlalchemy.engine import URL, make_url  # noqa: E402

from intake.mailbox import open_mailbox  # noqa: E402
from store.models import MailMessage  # noqa: E402

LOVBOT = ROOT / ".venv" / "bin" / "lovbot"
FORMS = ROOT.parent / "shared" / "samples" / "forms"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
FOLDERS = ("Behandlat", "Granska", "Karantän")
APPEND_CHUNK = 100


class BenchError(Exception):
    """The benchmark cannot go on; the message says why."""


# --- the mail -----------------------------------------------------------------------------

_FIRST = [
    "Anna", "Karin", "Omar", "Lena", "Per", "Eva", "Ahmed", "Sara", "Johan", "Maria",
    "Fatima", "Erik", "Ingrid", "Mehmet", "Sofia", "Lars", "Amina", "Nils", "Elin", "Jonas",
]  # fmt: skip
_LAST = [
    "Lind", "Ek", "Haddad", "Berg", "Holm", "Strand", "Nilsson", "Karlsson", "Ali", "Johansson",
    "Andersson", "Yilmaz", "Lindqvist", "Svensson", "Persson", "Hussein", "Gustafsson", "Olsson",
]  # fmt: skip
_UNITS = [
    "Hamnen", "Solrosen", "Kvarnen", "Björkängen", "Lillegården", "Solgläntan",
    "Angered Centrum", "Hjällbo", "Majorna Norra", "Lunden", "Eken", "Almen", "Tallen",
    "Ateljé Linnea", "Kastanjen", "Fyren", "Backa", "Biskopsgården", "Kortedala", "Frölunda",
    "Askim", "Torslanda", "Bergsjön", "Gamlestaden", "Linnéstaden", "Lövgärdet", "Rannebergen",
    "Tuve", "Styrsö", "Brunnsbo",
]  # fmt: skip
_PROVIDERS = [("omsorgsgruppen.se", "Omsorgsgruppen"), ("dagligaktiv.se", "Daglig Aktiv")]
_MUNICIPAL = "funktionsstod.goteborg.se"
_MONTHS = [
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
]  # fmt: skip
_SIGNATURE = (
    "\n\nMed vänliga hälsningar\n{name}\nEnhetschef\nFörvaltningen för funktionsstöd\n"
    "Telefon: 031-365 {a:02d} {b:02d}\n\n--\nDetta e-postmeddelande kan innehålla information "
    "som är konfidentiell. Om du inte är avsedd mottagare, meddela avsändaren och radera "
    "meddelandet.\n"
)


def _swedish_date(rng: random.Random, day: dt.date) -> str:
    return rng.choice(
        [
            day.isoformat(),
            f"{day.day} {_MONTHS[day.month - 1]} {day.year}",
            f"den {day.day} {_MONTHS[day.month - 1]} {day.year}",
        ]
    )


def generate_mails(n: int, seed: int) -> list[tuple[str, bytes]]:
    """``n`` change notices as units and providers write them, each with its kind."""
    rng = random.Random(seed)
    run = secrets.token_hex(3)
    forms = sorted(FORMS.glob("*.docx")) if FORMS.is_dir() else []
    form_bytes = [path.read_bytes() for path in forms]
    kinds = [
        ("close", 20),
        ("rename", 12),
        ("rename_no_date", 6),
        ("capacity_full", 10),
        ("capacity_free", 8),
        ("new_unit_no_form", 10),
        ("new_unit_form", 8 if form_bytes else 0),
        ("new_manager", 10),
        ("merge", 4),
        ("question", 6),
        ("auto_reply", 4),
    ]
    names, weights = zip(*kinds, strict=True)
    mails: list[tuple[str, bytes]] = []
    for i in range(n):
        kind = rng.choices(names, weights)[0]
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        provider = rng.random() < 0.25
        domain, prefix = rng.choice(_PROVIDERS) if provider else (_MUNICIPAL, "")
        sender = f"{first} {last} <{first.lower()}.{last.lower()}@{domain}>"
        unit = f"{prefix + ' ' if prefix else ''}Daglig verksamhet {rng.choice(_UNITS)}"
        other = f"Daglig verksamhet {rng.choice(_UNITS)}"
        sent = dt.datetime(2027, 1, 4, 8, tzinfo=dt.UTC) + dt.timedelta(
            days=rng.randrange(0, 180), minutes=rng.randrange(0, 600)
        )
        when = _swedish_date(rng, sent.date() + dt.timedelta(days=rng.randrange(7, 150)))
        signature = _SIGNATURE.format(name=f"{first} {last}", a=i % 100, b=rng.randrange(100))
        headers: dict[str, str] = {}
        attachments: list[tuple[str, str, bytes]] = []
        if kind == "close":
            subject = f"Avslut av enhet {unit}"
            body = (
                f"Hej,\n\n{unit} upphör {when}. Vi har informerat berörda socialsekreterare."
                + signature
            )
        elif kind == "rename":
            subject = "Namnändring"
            body = f"Hej!\n\n{unit} byter namn till {other} från och med {when}." + signature
        elif kind == "rename_no_date":
            subject = f"Namnbyte {unit}"
            body = f"Hej!\nVi vill byta namn på {unit} till {other}." + signature
        elif kind == "capacity_full":
            subject = f"Kapacitetstaket är nått – {unit}"
            body = (
                f"Hej!\n\nVi vill meddela att kapacitetstaket för {unit} är nått från och med "
                f"{when}. Vi kan inte ta emot nya uppdrag tills vidare." + signature
            )
        elif kind == "capacity_free":
            subject = "Ledig kapacitet igen"
            body = (
                f"Hej,\n\n{unit} har ledig kapacitet igen och kan ta emot nya brukare från "
                f"{when}. Ingen kö finns." + signature
            )
        elif kind == "new_unit_no_form":
            subject = f"Ny enhet {unit}"
            body = (
                f"Hej EKU,\n\nVi kommer att starta {unit} {when}. Återkommer med mer "
                "information." + signature
            )
        elif kind == "new_unit_form":
            subject = f"Ny enhet {unit}"
            body = (
                f"Hej,\n\nVi startar ny enhet, {unit}, {when}. Ansvarskod: "
                f"{rng.randrange(4_700_000, 4_799_999)}. Blanketten Verksamhetsuppgifter är "
                "bifogad." + signature
            )
            attachments.append(
                (
                    "Verksamhetsuppgifter.docx",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    rng.choice(form_bytes),
                )
            )
        elif kind == "new_manager":
            boss = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
            subject = f"Ny enhetschef på {unit}"
            body = (
                f"Hej,\n\nFrån och med {when} är {boss} ny enhetschef för {unit}. "
                f"{boss.split()[0]} nås på {boss.lower().replace(' ', '.')}@{domain}." + signature
            )
        elif kind == "merge":
            subject = f"Sammanslagning {unit} och {other}"
            body = (
                f"Hej,\n\n{unit} och {other} slås samman till en enhet från {when}. "
                f"Den nya enheten heter {other}. Ansvarskod för den nya enheten: "
                f"{rng.randrange(4_700_000, 4_799_999)}." + signature
            )
        elif kind == "question":
            subject = "Fråga om Jämför service"
            body = (
                "Hej!\nHur lång tid tar det innan ändringar syns i Jämför service? "
                f"Tack på förhand.\n{first}\n"
            )
        else:  # auto_reply
            subject = f"Automatiskt svar: {rng.choice(['Frånvaro', 'Semester', 'Tjänstledig'])}"
            headers["Auto-Submitted"] = "auto-replied"
            body = f"Jag är ledig till och med {when} och läser inte min e-post.\n{first}\n"
        mails.append(
            (
                kind,
                build_mail(
                    body,
                    subject=subject,
                    sender=sender,
                    date=sent,
                    message_id=f"<bench-{run}-{i}@{domain}>",
                    headers=headers,
                    attachments=attachments,
                ),
            )
        )
    return mails


def load(account: ImapAccount, mails: Sequence[bytes]) -> float:
    """APPEND ``mails`` to INBOX over one connection (MULTIAPPEND when offered); seconds."""
    start = time.perf_counter()
    with account.client() as client:
        if client.has_capability("MULTIAPPEND"):
            for offset in range(0, len(mails), APPEND_CHUNK):
                client.multiappend("INBOX", mails[offset : offset + APPEND_CHUNK])
        else:
            for raw in mails:
                client.append("INBOX", raw)
    return time.perf_counter() - start


# --- Dovecot, PostgreSQL, lovbot ------------------------------------------------------------


@contextlib.contextmanager
def running_dovecot() -> Iterator[Dovecot]:
    """A Dovecot started exactly as the tests start theirs, cleaned up at exit."""
    try:
        with start_dovecot() as server:
            yield server
    except DovecotUnavailable as err:
        raise BenchError(f"Dovecot could not be started: {err}") from None


def _libpq(url: URL, database: str | None = None) -> dict[str, object]:
    params = {
        "host": url.host,
        "port": url.port,
        "user": url.username,
        "password": url.password,
        "dbname": database or url.database or "postgres",
        "connect_timeout": 5,
    }
    return {key: value for key, value in params.items() if value is not None}


@contextlib.contextmanager
def fresh_pg_database(pg_url: str) -> Iterator[str | None]:
    """A new, empty database on the server of ``pg_url`` (None when unreachable); dropped."""
    base = make_url(pg_url)
    try:
        admin = psycopg.connect(**_libpq(base), autocommit=True)  # type: ignore[arg-type]
    except psycopg.Error as err:
        print(f"NOTE: PostgreSQL at {base!r} is unreachable, skipped: {err}".strip())
        yield None
        return
    name = f"lovbot_bench_{secrets.token_hex(4)}"
    try:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield base.set(database=name).render_as_string(hide_password=False)
        finally:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
    finally:
        admin.close()


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)  # a JSON string or list is valid TOML


def write_config(
    path: Path,
    account: ImapAccount,
    db_url: str,
    outbox: Path,
    batch_size: int,
    max_replies: int,
) -> Path:
    sections: dict[str, dict[str, object]] = {
        "mailbox": {
            "kind": "imap",
            "host": account.host,
            "port": account.port,
            "security": "none",
            "username": account.username,
            "password": account.password,
            "folder": "INBOX",
            "timeout": 30,
            "batch_size": batch_size,
        },
        "smtp": {"outbox_dir": str(outbox)},  # no host: outgoing mail becomes .eml files
        "database": {"url": db_url},
        "senders": {
            "trusted_domains": ["goteborg.se", *(domain for domain, _ in _PROVIDERS)],
            "municipal_domains": ["goteborg.se"],
            # Generated mail dated close together would reach the RFC 3834 ceiling (30 per
            # sender and hour of arrival) and measure Granska, not the ordinary path.
            "max_replies_per_hour": max_replies,
        },
    }
    lines = []
    for section, values in sections.items():
        lines.append(f"[{section}]")
        lines.extend(f"{key} = {_toml(value)}" for key, value in values.items())
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _environment() -> dict[str, str]:
    # The TOML file alone decides: no LOVBOT_* variable of the caller leaks in.
    return {key: value for key, value in os.environ.items() if not key.startswith("LOVBOT_")}


def lovbot(config: Path, *args: str) -> tuple[float, str]:
    """Run ``lovbot --config config args``; (wall seconds, stdout). Fails loudly."""
    start = time.perf_counter()
    done = subprocess.run(
        [str(LOVBOT), "--config", str(config), *args],
        capture_output=True,
        text=True,
        env=_environment(),
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise BenchError(
            f"lovbot {' '.join(args)} exited with {done.returncode}:\n{done.stdout}{done.stderr}"
        )
    return elapsed, done.stdout.strip()


def timed_poll(account: ImapAccount, config: Path) -> tuple[float, str, list[str]]:
    """One ``poll --once``: (seconds, summary line, IMAP commands after login)."""
    with account.recorded_commands() as commands:
        seconds, summary = lovbot(config, "poll", "--once")
    return seconds, summary, commands


def round_trips(commands: list[str]) -> str:
    """The commands: all of them when few, else '34 (FETCH 10, MOVE 20, SEARCH 1)'."""
    verbs: Counter[str] = Counter()
    for command in commands:
        words = command.upper().split()
        verb = words[1] if words and words[0] == "UID" and len(words) > 1 else words[0]
        if verb in {"FETCH", "SEARCH", "MOVE", "COPY", "EXPUNGE", "STORE"}:
            verbs[verb] += 1
    if len(commands) <= 8:
        return f"{len(commands)}: " + " | ".join(commands)
    detail = ", ".join(f"{verb} {n}" for verb, n in sorted(verbs.items()))
    return f"{len(commands)} ({detail or 'no FETCH/SEARCH/MOVE'})"


# --- one backend ----------------------------------------------------------------------------


@dataclass
class Result:
    backend: str
    n: int
    load_seconds: float = 0.0
    poll_seconds: float = 0.0
    poll_summary: str = ""
    poll_commands: str = ""
    idle_small: float = 0.0
    idle_small_commands: str = ""
    idle_big: float = 0.0
    idle_big_commands: str = ""
    floor: float = 0.0
    folders: dict[str, int] = field(default_factory=dict)
    states: dict[str, int] = field(default_factory=dict)
    outbox_files: int = 0


def idle_polls(account: ImapAccount, config: Path, runs: int) -> tuple[float, str]:
    """Median seconds of ``runs`` polls with nothing new, and the last one's IMAP commands."""
    times, commands = [], []
    for _ in range(runs):
        seconds, summary, commands = timed_poll(account, config)
        if not summary.startswith("0 nya"):
            raise BenchError(f"an idle poll found new mail: {summary}")
        times.append(seconds)
    return statistics.median(times), round_trips(commands)


def bench_backend(
    backend: str,
    db_url: str,
    dovecot: Dovecot,
    mails: Sequence[bytes],
    extra: bytes,
    workdir: Path,
    args: argparse.Namespace,
) -> Result:
    result = Result(backend, len(mails))
    here = workdir / backend
    here.mkdir()

    # An account that has only ever held one message: the idle cost of a small mailbox.
    small = dovecot.new_account()
    small.append(extra)
    small_config = write_config(
        here / "small.toml",
        small,
        db_url,
        here / "outbox-small",
        args.batch_size,
        args.max_replies_per_hour,
    )
    lovbot(small_config, "db", "upgrade")
    result.floor = statistics.median(
        lovbot(small_config, "db", "status")[0] for _ in range(args.idle_runs)
    )
    lovbot(small_config, "poll", "--once")
    result.idle_small, result.idle_small_commands = idle_polls(small, small_config, args.idle_runs)

    # The backlog: N messages in INBOX of a fresh account, read by one poll.
    big = dovecot.new_account()
    result.load_seconds = load(big, mails)
    print(f"  {backend}: loaded {len(mails)} mails in {result.load_seconds:.1f} s", flush=True)
    config = write_config(
        here / "big.toml", big, db_url, here / "outbox", args.batch_size, args.max_replies_per_hour
    )
    result.poll_seconds, result.poll_summary, commands = timed_poll(big, config)
    result.poll_commands = round_trips(commands)
    print(f"  {backend}: poll {result.poll_seconds:.1f} s: {result.poll_summary}", flush=True)

    # It all arrived: INBOX empty, every message put away and recorded once.
    left = big.uids("INBOX")
    result.folders = {folder: len(big.uids(folder)) for folder in FOLDERS}
    identity = open_mailbox(big.settings()).identity
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(MailMessage.state, func.count())
                .where(MailMessage.mailbox == identity)
                .group_by(MailMessage.state)
            ).all()
    finally:
        engine.dispose()
    result.states = {state: int(count) for state, count in rows}
    result.outbox_files = sum(1 for _ in (here / "outbox").glob("*.eml"))
    recorded = sum(result.states.values())
    if left or recorded != len(mails) or sum(result.folders.values()) != len(mails):
        raise BenchError(
            f"{backend}: {len(left)} left in INBOX, {recorded} rows, folders {result.folders}"
            f" (expected 0, {len(mails)}, {len(mails)} in all)"
        )

    # Nothing new, but N messages behind the watermark: must cost what the small one did.
    result.idle_big, result.idle_big_commands = idle_polls(big, config, args.idle_runs)
    return result


# --- the report -----------------------------------------------------------------------------


def print_report(results: list[Result], args: argparse.Namespace) -> None:
    print()
    print(
        f"lovbot poll --once, N={args.n}, batch_size={args.batch_size}, "
        f"idle = median of {args.idle_runs} runs (wall time of the subprocess)"
    )
    header = (
        f"{'backend':<10} {'N':>6} {'poll s':>8} {'msg/s':>7} "
        f"{'idle s (1 held)':>16} {'idle s (N held)':>16} {'floor s':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        rate = r.n / r.poll_seconds if r.poll_seconds else 0.0
        print(
            f"{r.backend:<10} {r.n:>6} {r.poll_seconds:>8.2f} {rate:>7.1f} "
            f"{r.idle_small:>16.3f} {r.idle_big:>16.3f} {r.floor:>8.3f}"
        )
    print()
    print("floor = `lovbot db status` (interpreter start, imports, one database query).")
    for r in results:
        print(
            f"\n{r.backend}: loading the backlog (APPEND, one connection) took {r.load_seconds:.1f} s"
        )
        print(f"  IMAP commands after login, backlog poll: {r.poll_commands}")
        print(f"  IMAP commands after login, idle poll (1 held): {r.idle_small_commands}")
        print(f"  IMAP commands after login, idle poll (N held): {r.idle_big_commands}")
        print(f"  folders: {r.folders}; rows by state: {r.states}; outbox .eml: {r.outbox_files}")
        print(f"  summary: {r.poll_summary}")


# --- main -----------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="mails in the backlog (1000)")
    parser.add_argument(
        "--batch-size", type=int, default=100, help="[mailbox] batch_size for lovbot (100)"
    )
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL, help=f"({DEFAULT_PG_URL})")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--idle-runs", type=int, default=5, help="idle polls per median (5)")
    parser.add_argument(
        "--max-replies-per-hour",
        type=int,
        default=1_000_000,
        help="[senders] max_replies_per_hour (lovbot's default is 30 per hour of arrival)",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed for the mails (1)")
    parser.add_argument(
        "--backend",
        choices=["sqlite", "postgresql"],
        action="append",
        help="only these backends (default both)",
    )
    return parser


def _terminate(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.n < 1:
        raise SystemExit("--n must be at least 1")
    backends = args.backend or ["sqlite", "postgresql"]
    signal.signal(signal.SIGTERM, _terminate)  # clean up on kill as on Ctrl+C
    workdir = Path(tempfile.mkdtemp(prefix="lovbot-bench-poll-"))
    results: list[Result] = []
    try:
        # One more than N: the small account's single message, so it is no duplicate.
        *generated, (_, extra) = generate_mails(args.n + 1, args.seed)
        mails = [raw for _, raw in generated]
        kinds = Counter(kind for kind, _ in generated)
        size = sum(map(len, mails))
        print(f"Generated {args.n} mails ({size / 1e6:.1f} MB): {dict(sorted(kinds.items()))}")
        with running_dovecot() as dovecot, contextlib.ExitStack() as stack:
            for backend in backends:
                if backend == "sqlite":
                    db_url = f"sqlite:///{workdir / 'lovbot.db'}"
                else:
                    pg = stack.enter_context(fresh_pg_database(args.pg_url))
                    if pg is None:
                        continue
                    db_url = pg
                print(f"Benchmarking {backend} ...", flush=True)
                results.append(bench_backend(backend, db_url, dovecot, mails, extra, workdir, args))
        print_report(results, args)
        return 0
    except BenchError as err:
        print(f"bench_poll: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench_poll: interrupted, cleaned up", file=sys.stderr)
        return 130
    finally:
        if args.keep:
            print(f"Kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
