"""What each ``lovbot`` subcommand does, wired from settings to the other packages."""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from intake.cases import queue_order
from intake.connections import open_configured_mailbox
from intake.cycle import Poller, make_transport
from intake.progress import BacklogProgress
from intake.readers import default_workers
from intake.settings import Settings
from outbox.deliver import deliver_due
from parsers.errors import LovbotError
from parsers.understand import Understanding
from store.db import check_schema, make_engine, make_sessionmaker, upgrade
from store.models import Case, Task, utcnow
from store.repository import audit, find_case_by_number
from store.retention import apply_gallring, plan_gallring

__all__ = [
    "CommandError",
    "approve",
    "db",
    "deliver_now",
    "digest",
    "done",
    "gallra",
    "gallring",
    "mark_task_done",
    "open_sessions",
    "poll_once",
    "release_held_orders",
    "run",
]

logger = logging.getLogger(__name__)


class CommandError(LovbotError):
    """A command was given something it cannot act on."""


def _engine(settings: Settings, *, check_version: bool = True) -> Engine:
    engine = make_engine(settings.database.url)
    if check_version:
        try:
            check_schema(engine)
        except LovbotError:
            engine.dispose()
            raise
    return engine


@contextmanager
def _sessions(settings: Settings) -> Iterator[Callable[[], Session]]:
    engine = _engine(settings)
    try:
        yield make_sessionmaker(engine)
    finally:
        engine.dispose()


# The settings' database as a session factory, for commands outside this module (review).
open_sessions = _sessions


def db(settings: Settings, action: str) -> int:
    engine = _engine(settings, check_version=False)
    try:
        if action == "upgrade":
            before, after = upgrade(engine)
            if before == after:
                print(f"Databasen är redan aktuell (version {after}).")
            else:
                print(f"Databasen uppgraderad från {before or 'tom'} till {after}.")
            return 0
        try:
            check_schema(engine)
        except LovbotError as err:
            print(err)
            return 1
        print("Databasens schema är aktuellt.")
        return 0
    finally:
        engine.dispose()


def make_poller(settings: Settings, stop: threading.Event | None = None) -> Poller:
    engine = _engine(settings)
    return Poller(
        settings,
        make_sessionmaker(engine),
        lambda: open_configured_mailbox(settings),
        stop=stop,
        progress=BacklogProgress(),
        readers=default_workers() if settings.poll.readers is None else settings.poll.readers,
    )


def _install_stop_handlers(stop: threading.Event) -> None:
    def _handler(signum: int, _frame: FrameType | None) -> None:
        logger.warning("Signal %s: finishing the message in hand, then stopping", signum)
        stop.set()

    signal.signal(signal.SIGTERM, _handler)
    signal.signal(signal.SIGINT, _handler)


def poll_once(settings: Settings) -> int:
    stop = threading.Event()
    _install_stop_handlers(stop)
    poller = make_poller(settings, stop)
    # Acknowledgements go out while a backlog is still being read, from a process of
    # their own on the second core (issue 11; intake/delivery.py).
    delivery = poller.deliver_in_background(process=True)
    try:
        report = poller.run_once()
    finally:
        sent = delivery.finish()
        poller.close()
    report.add_delivery(sent)
    print(report.summary())
    return 0


def run(settings: Settings) -> int:
    from intake.scheduler import run_forever

    stop = threading.Event()
    _install_stop_handlers(stop)
    return run_forever(settings, make_poller(settings, stop), stop)


def digest(settings: Settings, *, print_only: bool) -> int:
    from intake.digest_job import print_digest, send_digest

    with _sessions(settings) as sessions:
        print(print_digest(settings, sessions) if print_only else send_digest(settings, sessions))
    return 0


_CATEGORY_WORDS = {
    "complete": "i klara ärenden",
    "awaiting_information": "i ärenden som väntar på komplettering",
    "needs_review": "i ärenden för granskning",
    "ignored": "automatiska",
    "duplicate": "dubbletter",
    "failed": "från karantän",
}


def gallra(settings: Settings, *, dry_run: bool) -> int:
    with _sessions(settings) as sessions:
        print(gallring(settings, sessions, dry_run=dry_run))
    return 0


def gallring(
    settings: Settings,
    sessions: Callable[[], Session],
    *,
    dry_run: bool = False,
    now: dt.datetime | None = None,
) -> str:
    """Remove raw messages past their [retention] period (or say what would go); Swedish."""
    at = now or utcnow()
    days = settings.retention.days()
    with sessions() as session:
        plan = plan_gallring(session, at, days)
        if not dry_run and not plan.empty:
            apply_gallring(session, plan, at, days)
            session.commit()
    what = (
        f"{len(plan.messages)} meddelanden och {len(plan.outgoing)} utgående brev "
        f"i {len(plan.cases)} ärenden"
    )
    per = ", ".join(
        f"{n} {_CATEGORY_WORDS.get(category, category)}"
        for category, n in sorted(plan.by_category.items())
    )
    detail = f" ({per})" if per else ""
    if dry_run:
        return f"Gallring (provkörning): {what} skulle gallras{detail}. Inget ändrades."
    return f"Gallring: {what} gallrade{detail}. Ärendena och loggen finns kvar."


def _case(session_case: Case | None, number: str) -> Case:
    if session_case is None:
        raise CommandError(f"Ärendet {number} finns inte.")
    return session_case


def approve(settings: Settings, number: str, *, by: str | None) -> int:
    """Release the held order mails of a case (routing.hold_orders)."""
    actor = by or "EKU (kommandoraden)"
    with _sessions(settings) as sessions, sessions() as session, session.begin():
        case = _case(find_case_by_number(session, number), number)
        released = release_held_orders(session, settings, case, actor=actor)
        if not released:
            print(f"{case.number} har inga beställningar som väntar på godkännande.")
            return 0
        systems = ", ".join(t.system for t in released)
    print(f"{number}: beställningar godkända och köade för {systems}.")
    print(f"{deliver_now(settings)} brev skickade.")
    return 0


def release_held_orders(
    session: Session, settings: Settings, case: Case, *, actor: str
) -> list[Task]:
    """Queue the order mail of every held task of ``case``; the ones released (shared with
    the review app, so the command line and the browser approve alike)."""
    held = [t for t in case.tasks if t.state == "held"]
    understanding = _latest_understanding(case) if held else None
    for task in held:
        queue_order(session, settings, case, task, understanding, actor=actor)
        audit(session, actor, "order_approved", case=case, system=task.system)
    return held


def deliver_now(settings: Settings) -> int:
    """Send what the outbox holds now, after the caller's commit; the number sent."""
    with _sessions(settings) as sessions:
        delivered = deliver_due(
            sessions,
            make_transport(settings),
            max_attempts=settings.smtp.max_attempts,
            limits=settings.smtp.limits(),
        )
    return delivered.sent


def _latest_understanding(case: Case) -> Understanding | None:
    for message in reversed(case.messages):
        if message.understanding:
            return Understanding.model_validate(message.understanding)
    return None


def done(settings: Settings, number: str, system: str, *, by: str | None) -> int:
    actor = by or "EKU (kommandoraden)"
    with _sessions(settings) as sessions, sessions() as session, session.begin():
        case = _case(find_case_by_number(session, number), number)
        if mark_task_done(session, case, system, actor=actor) is None:
            print(f"{number} {system} var redan klar.")
            return 0
    print(f"{number} {system}: markerad som klar.")
    return 0


def mark_task_done(session: Session, case: Case, system: str, *, actor: str) -> Task | None:
    """Mark the case's task for ``system`` done and audit it; None when it already was."""
    task = session.scalars(
        select(Task).where(Task.case_id == case.id, Task.system == system)
    ).first()
    if task is None:
        known = ", ".join(t.system for t in case.tasks) or "inga"
        raise CommandError(f"{case.number} har ingen uppgift för {system} (uppgifter: {known}).")
    if task.state == "done":
        return None
    before = task.state
    task.state = "done"
    task.done_at = utcnow()
    task.done_by = actor
    audit(session, actor, "task_done", case=case, system=system, before=before)
    return task
