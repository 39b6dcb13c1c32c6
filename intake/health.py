"""``lovbot health``: one line and an exit code for monitoring (systemd, Nagios, Zabbix).

Exit codes follow the monitoring-plugin convention: 0 OK; 1 WARNING when outgoing mail
was given up on; 2 CRITICAL when no poll has succeeded within ``[digest]
poll_stale_minutes`` (the same limit the digest warns about), or never; 3 UNKNOWN when
the database cannot be read or the settings cannot be used (``intake/cli.py``). Messages in
quarantine are counted but do not change the code: they wait for a person, the digest
lists them, and a count that only a person lowers would keep the check red for days.
Neither does mail held by a sending limit (``[smtp] max_per_minute``, ``max_per_day``):
the line says which limit holds it and when the next mail goes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from intake.settings import Settings
from store.health import HealthFacts, health_facts
from store.models import utcnow

__all__ = ["CRITICAL", "OK", "UNKNOWN", "WARNING", "health_line"]

OK, WARNING, CRITICAL, UNKNOWN = 0, 1, 2, 3
_LABEL = {OK: "OK", WARNING: "VARNING", CRITICAL: "KRITISKT"}


def health_line(
    settings: Settings,
    sessions: Callable[[], Session],
    *,
    now: Callable[[], dt.datetime] = utcnow,
) -> tuple[int, str]:
    """The exit code and the one line to print."""
    at = now()
    limits = settings.smtp.limits()
    with sessions() as session:
        facts = health_facts(session)
        allowance = limits.allowance(session, at) if facts.outbox_pending else None
    held = None
    if allowance is not None and allowance.frees_at is not None:
        # Not a fault: lovbot keeps below the mailbox's limits on purpose (outbox/limits.py).
        local = allowance.frees_at.astimezone(ZoneInfo(settings.digest.timezone))
        held = f"sändningsgränsen: {allowance.reason}; nästa kl {local:%H:%M}"
    return _judge(settings, facts, at, held)


def _judge(
    settings: Settings, facts: HealthFacts, now: dt.datetime, held: str | None = None
) -> tuple[int, str]:
    stale = dt.timedelta(minutes=settings.digest.poll_stale_minutes)
    code = OK
    if facts.last_success is None:
        poll = "ingen lyckad hämtning ännu"
        code = CRITICAL
    else:
        local = facts.last_success.astimezone(ZoneInfo(settings.digest.timezone))
        minutes = max(int((now - facts.last_success).total_seconds() // 60), 0)
        poll = f"senaste lyckade hämtning {local:%Y-%m-%d %H:%M} (för {minutes} min sedan)"
        if now - facts.last_success > stale:
            code = CRITICAL
    outbox = f"{facts.outbox_pending} brev i utkorgen"
    if held:
        outbox += f" ({held})"
    if facts.outbox_failed:
        outbox += f", {facts.outbox_failed} gick inte att skicka"
        code = max(code, WARNING)
    line = f"lovbot {_LABEL[code]}: {poll}; {outbox}; {facts.quarantined} i karantän"
    return code, line
