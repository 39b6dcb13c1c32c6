"""Notice periods: calendar months as lag 1930:173 counts them, and 14 days."""

import datetime as dt

import pytest

from rules.notice import NOTICE_RULES, add_months, earliest_effective_day

D = dt.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2027, 1, 1), 2, D(2027, 3, 1)),
        (D(2027, 3, 31), -1, D(2027, 2, 28)),
        (D(2028, 3, 31), -1, D(2028, 2, 29)),
        (D(2026, 12, 31), 2, D(2027, 2, 28)),
        (D(2027, 12, 15), 2, D(2028, 2, 15)),
        (D(2027, 1, 31), 1, D(2027, 2, 28)),
        (D(2027, 8, 31), 1, D(2027, 9, 30)),
        (D(2027, 5, 15), 0, D(2027, 5, 15)),
    ],
)
def test_add_months_clamps_to_month_end(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("kind", "sent", "effective", "in_time"),
    [
        # process.md: 1 March needs notice on or before 1 January.
        ("new_unit", D(2027, 1, 1), D(2027, 3, 1), True),
        ("new_unit", D(2027, 1, 2), D(2027, 3, 1), False),
        # exactly two months, and one day less
        ("new_unit", D(2027, 2, 10), D(2027, 4, 10), True),
        ("new_unit", D(2027, 2, 10), D(2027, 4, 9), False),
        # notice on 31 December reaches the end of February
        ("new_unit", D(2026, 12, 31), D(2027, 2, 28), True),
        ("new_unit", D(2026, 12, 31), D(2027, 2, 27), False),
        # 14 and 13 days
        ("close_unit", D(2027, 4, 1), D(2027, 4, 15), True),
        ("close_unit", D(2027, 4, 1), D(2027, 4, 14), False),
        ("merge_units", D(2027, 6, 10), D(2027, 6, 24), True),
        ("merge_units", D(2027, 6, 10), D(2027, 6, 23), False),
        ("rename_unit", D(2027, 12, 25), D(2028, 1, 8), True),
        ("rename_unit", D(2027, 12, 25), D(2028, 1, 7), False),
    ],
)
def test_notice_periods(kind: str, sent: dt.date, effective: dt.date, in_time: bool) -> None:
    assert (effective >= earliest_effective_day(NOTICE_RULES[kind], sent)) is in_time


def test_kinds_without_notice_have_no_rule() -> None:
    for kind in ("update_details", "capacity_full", "capacity_available", "onboarding"):
        assert kind not in NOTICE_RULES
