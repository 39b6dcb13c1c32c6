"""Notice periods per kind (domain/process.md, "Kinds of message and their rules").

``new_unit`` needs two calendar months; ``close_unit``, ``merge_units`` and ``rename_unit``
need two weeks (14 days). Calendar months are counted as Swedish law counts them
(lag 1930:173 om beräkning av lagstadgad tid): forward from the day of notice to the same
day number two months later, or to that month's last day where it has no such day. So
notice on 31 December reaches 28 February, and 1 March needs notice by 1 January.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

__all__ = ["NOTICE_RULES", "NoticeRule", "add_months", "earliest_effective_day"]


@dataclass(frozen=True, slots=True)
class NoticeRule:
    months: int = 0
    days: int = 0
    label: str = ""  # Swedish, as the acknowledgement says it


NOTICE_RULES: dict[str, NoticeRule] = {
    "new_unit": NoticeRule(months=2, label="två månader"),
    "close_unit": NoticeRule(days=14, label="två veckor"),
    "merge_units": NoticeRule(days=14, label="två veckor"),
    "rename_unit": NoticeRule(days=14, label="två veckor"),
}


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole calendar months, clamped to the target month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def earliest_effective_day(rule: NoticeRule, notified: dt.date) -> dt.date:
    """The first day a change notified on ``notified`` may take effect and still be in time."""
    return add_months(notified, rule.months) + dt.timedelta(days=rule.days)
