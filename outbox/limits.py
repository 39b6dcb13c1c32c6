"""The sending limits of the mailbox lovbot sends from, kept by lovbot itself.

Exchange Online lets one mailbox send 30 messages a minute and reach 10,000 recipients a
day; a mailbox that goes over the daily limit is blocked from sending for the rest of
the 24 hours, and then the orders to the system owners and EKU's digest stop with the
acknowledgements. A backlog after an outage easily makes more mail than that (10,000
notices give about 17,000 mails), so lovbot paces itself: ``[smtp] max_per_minute`` and
``max_per_day`` (unset: no limit, as for the city's own relay).

What was sent is counted in the outbox itself (``sent_at`` in the last minute and the
last 24 hours), so the count holds across restarts and for two lovbots sharing one
database; mail another sender has claimed and not yet sent counts too. Every row has
one recipient, so mails and recipients are the same count.

A tenth of the daily limit is kept for orders and digests: when the day's
acknowledgements have used the rest, they wait for the next day's room while the system
owners still get their orders. Orders and digests are also claimed before
acknowledgements (``store.repository.claim_outgoing``), so within the minute's 30 they
go first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from store.repository import claimed_in_flight, sent_since

__all__ = ["NO_LIMITS", "Allowance", "SendingLimits"]

MINUTE = dt.timedelta(minutes=1)
DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Allowance:
    """How many mails may be handed to the server now; None means no limit."""

    urgent: int | None  # orders and digests
    acks: int | None
    # When the used-up room frees again (the oldest counted mail leaves its window).
    # None when nothing is held back by a limit.
    frees_at: dt.datetime | None = None
    # The limit that holds mail back, in Swedish for the log; None when none does.
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class SendingLimits:
    per_minute: int | None = None
    per_day: int | None = None

    @property
    def active(self) -> bool:
        return self.per_minute is not None or self.per_day is not None

    @property
    def reserve(self) -> int:
        """Of the daily limit, what only orders and digests may use."""
        return 0 if self.per_day is None else max(self.per_day // 10, 1)

    def allowance(self, session: Session, now: dt.datetime) -> Allowance:
        if not self.active:
            return Allowance(urgent=None, acks=None)
        urgent: int | None = None
        acks: int | None = None
        frees: list[dt.datetime] = []
        reasons: list[str] = []
        # Claimed and not yet sent, by this sender or another (the digest job beside the
        # delivery process): about to go, so they count already.
        in_flight = claimed_in_flight(session, now)
        if self.per_minute is not None:
            used, oldest = sent_since(session, now - MINUTE)
            left = max(self.per_minute - used - in_flight, 0)
            urgent = acks = left
            if left == 0 and oldest is not None:
                frees.append(oldest + MINUTE)
                reasons.append(f"{self.per_minute} brev i minuten")
        if self.per_day is not None:
            used, oldest = sent_since(session, now - DAY)
            left = max(self.per_day - used - in_flight, 0)
            ack_left = max(left - self.reserve, 0)
            urgent = left if urgent is None else min(urgent, left)
            acks = ack_left if acks is None else min(acks, ack_left)
            if ack_left == 0 and oldest is not None:
                frees.append(oldest + DAY)
                reasons.append(
                    f"{self.per_day} mottagare per dygn (de sista {self.reserve} "
                    "hålls för beställningar och sammanställningar)"
                )
        return Allowance(
            urgent=urgent,
            acks=acks,
            frees_at=min(frees) if frees else None,
            reason=" och ".join(reasons) or None,
        )


NO_LIMITS = SendingLimits()
