"""The review app's ``lovbot`` subcommands: ``web``, ``user add``, ``corpus export``."""

from __future__ import annotations

import sys
from pathlib import Path

from intake.commands import CommandError, open_sessions
from intake.settings import Settings
from review.auth import add_user
from review.corpus import export_cases
from store.repository import find_case_by_number

__all__ = ["corpus_export", "user_add", "web"]


def web(settings: Settings, *, host: str | None, port: int | None) -> int:
    import uvicorn

    from review.app import create_app

    host = host or settings.web.host
    port = port or settings.web.port
    with open_sessions(settings) as sessions:
        app = create_app(settings, sessions)
        print(f"Granskningen körs på http://{host}:{port}/ (avsluta med Ctrl+C).", flush=True)
        uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=True)
    return 0


def user_add(settings: Settings, name: str, role: str) -> int:
    """A local account; the password is read from standard input (one line)."""
    if sys.stdin.isatty():
        import getpass

        password = getpass.getpass("Lösenord: ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    with open_sessions(settings) as sessions, sessions() as session, session.begin():
        add_user(session, name, password, role)
    print(f"Kontot {name} ({role}) är sparat.")
    return 0


def corpus_export(settings: Settings, numbers: list[str], directory: Path) -> int:
    with open_sessions(settings) as sessions, sessions() as session:
        cases = []
        for number in numbers:
            case = find_case_by_number(session, number)
            if case is None:
                raise CommandError(f"Ärendet {number} finns inte.")
            cases.append(case)
        written = export_cases(cases, directory, senders=settings.senders)
    for path in written:
        print(f"Skrev {path}")
    print(f"{len(written)} ärenden i {directory / 'expected.jsonl'}.")
    return 0
