"""One message through parse → understand → evaluate: the path ``check`` and the poller share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from intake.settings import Settings
from parsers.mail import ParsedMail, parse_mail
from parsers.understand import Understanding, understand
from rules.evaluate import Evaluation, evaluate
from rules.register import RegisterSnapshot
from rules.report import report_line
from rules.senders import SenderPolicy

__all__ = ["Analysis", "analyse", "sender_policy"]


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


def analyse(
    raw: bytes,
    policy: SenderPolicy,
    *,
    received: dt.datetime | None = None,
    file: str | None = None,
    register: RegisterSnapshot | None = None,
) -> Analysis:
    """Read and judge one message; raises MailParseError when it is not a message."""
    mail = parse_mail(raw)
    understanding = understand(mail, received=received)
    evaluation = evaluate(understanding, sender=mail.from_address, policy=policy, register=register)
    line = report_line(mail, understanding, evaluation, file=file, received=received)
    return Analysis(mail, understanding, evaluation, line)
