"""The days and senders the tests of reading share (tests/test_reading_*.py)."""

from __future__ import annotations

import datetime as dt

from parsers.understand import STOCKHOLM
from rules.senders import SenderPolicy

NOVEMBER = dt.datetime(2027, 11, 15, 9, 0, tzinfo=STOCKHOLM)
NOVEMBER_20 = dt.datetime(2026, 11, 20, 9, 0, tzinfo=STOCKHOLM)
JANUARY_12 = dt.datetime(2027, 1, 12, 9, 0, tzinfo=STOCKHOLM)
PRIVATE = "sara.holm@lindomsorg.se"
POLICY = SenderPolicy(trusted_domains=("goteborg.se",), municipal_domains=("goteborg.se",))
