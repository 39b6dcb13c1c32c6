"""One message through parse → understand → evaluate: the path ``check`` and the poller share.

Each message has a time budget, so that one message never holds the mailbox for minutes.
Python cannot stop a function from outside, so the budget is checked between the stages:
a message whose parsing alone used it up is not read further; one whose reading ended
past it is not trusted. Either way it gets the finding ``time_budget_exceeded`` and the
status ``needs_review``: it goes to Granska and EKU reads it, and the poller goes on with
the next one. The bounds on what is read (parsers/mail.py, parsers/form) keep every stage
short; the budget is the backstop for what gets past them.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from intake.settings import Settings
from parsers.mail import ParsedMail, parse_mail
from parsers.personnummer import find_personnummer, mask_personnummer
from parsers.understand import Understanding, local_date, understand
from rules.evaluate import Evaluation, evaluate
from rules.findings import finding
from rules.register import RegisterSnapshot
from rules.report import report_line
from rules.senders import SenderPolicy, is_municipal_sender

__all__ = ["MESSAGE_BUDGET_SECONDS", "Analysis", "analyse", "sender_policy"]

# An ordinary notice, form included, is read in well under 0.1 s, and every hostile class
# of issue 8 in under 2 s once bounded. Ten seconds leaves a loaded server room, so no
# real notice lands in Granska for being slow, and still keeps the mailbox moving.
MESSAGE_BUDGET_SECONDS: Final = 10.0


@dataclass(frozen=True, slots=True)
class Analysis:
    mail: ParsedMail
    understanding: Understanding
    evaluation: Evaluation
    line: dict[str, Any]


def sender_policy(settings: Settings) -> SenderPolicy:
    return SenderPolicy(
        trusted_domains=tuple(settings.senders.trusted_domains),
        municipal_domains=tuple(settings.senders.municipal_domains),
        known_providers=tuple(settings.senders.known_providers),
    )


# The sender of a quoted or forwarded mail, as Outlook and Gmail write its header line.
_QUOTED_SENDER = re.compile(
    r"^[ \t>]*(?:Från|From|Fra|Lähettäjä)[ \t]*:[^\n]*?<?([\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+)>?",
    re.MULTILINE,
)


def analyse(
    raw: bytes,
    policy: SenderPolicy,
    *,
    received: dt.datetime | None = None,
    file: str | None = None,
    timer: Callable[[], float] = time.monotonic,
    budget: float = MESSAGE_BUDGET_SECONDS,
    register: RegisterSnapshot | None = None,
) -> Analysis:
    """Read and judge one message; raises MailParseError when it is not a message.

    ``timer`` gives seconds (monotonic); ``budget`` is how many the reading may take.
    """
    started = timer()
    mail = parse_mail(raw)
    read = timer() - started <= budget
    understanding = understand(mail, received=received) if read else _unread(mail, received)
    if (
        understanding.kind == "onboarding"
        and is_municipal_sender(mail.from_address, policy)
        # (EKU's own staff forward a provider's insurance letter: the provider's words.)
        and all(is_municipal_sender(a, policy) for a in _QUOTED_SENDER.findall(mail.text))
    ):
        # "Vår IT-kontakt har gått i pension – vem vänder vi oss till?" from one of the
        # city's own units: onboarding is a private provider's way in (process.md), so the
        # words of its checklist announce nothing here; EKU reads the mail.
        understanding = understanding.model_copy(
            update={"kind": "other", "also": (), "kind_evidence": ()}
        )
    evaluation = evaluate(understanding, sender=mail.from_address, policy=policy, register=register)
    if not read or timer() - started > budget:
        evaluation = _over_budget(evaluation, budget, read=read)
    line = report_line(mail, understanding, evaluation, file=file, received=received)
    return Analysis(mail, understanding, evaluation, line)


def _unread(mail: ParsedMail, received: dt.datetime | None) -> Understanding:
    """What is known of a message that was not read: its date and any personnummer."""
    found = [mask_personnummer(n.text) for n in find_personnummer(f"{mail.subject}\n{mail.text}")]
    return Understanding(
        sent_on=local_date(mail.date or received),
        kind="other",
        personal_data=tuple(dict.fromkeys(found)),
    )


def _over_budget(evaluation: Evaluation, budget: float, *, read: bool) -> Evaluation:
    # An unread message is not "unclassified" (it was never tried); the finding says why.
    kept = [f for f in evaluation.findings if read or f.code != "unclassified"]
    over = finding("time_budget_exceeded", evidence=None, seconds=f"{budget:g}")
    status = evaluation.status if evaluation.status in ("error", "ignored") else "needs_review"
    return evaluation.model_copy(update={"findings": (over, *kept), "status": status})
