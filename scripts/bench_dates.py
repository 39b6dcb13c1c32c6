"""Benchmark (numbers, not a test): ``find_dates`` on 5 kB texts that have tripped scanners.

A wall-clock limit in a test failed on a loaded machine (brief: speed targets are printed,
never asserted), so the former ``test_a_5_kb_mail_is_read_quickly`` lives here. Goal:
every line well under 10 ms; a quadratic scan shows up as hundreds.

    .venv/bin/python scripts/bench_dates.py [--repeat 50]
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from parsers.dates import find_dates

_PARAGRAPH = (
    "Hej! Vi startar Daglig verksamhet Björkängen från och med 2027-04-01, den 1:a maj "
    "öppnar nästa enhet och fr.o.m. v. 40 är vi fullt. Ansvarskod 4711203, org.nr "
    "556677-8899, telefon 031-365 12 34 eller 0706-12 34 56, kl. 10.15 den 3/4. "
    "Kostnaden är 1 500 kr, 2,5 timmar, version 1.2.3, postnummer 415 05 Göteborg. "
)
TEXTS = {
    "a notice": (_PARAGRAPH * 20)[:5000],
    "numbers": ("tel 031-365 12 34, 1 500 kr, 12 st, 2,5 %, 4711203, kl. 10.15 " * 100)[:5000],
    "one letter": "x" * 5000,
    "one digit": "1" * 5000,
    "digit, space": "1 " * 2500,
    "ordinal words": ("andra första december " * 300)[:5000],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=50)
    repeat = parser.parse_args().repeat
    today = dt.date(2027, 3, 1)
    print(f"find_dates, 5 kB, mean of {repeat} runs")
    for name, text in TEXTS.items():
        started = time.perf_counter()
        for _ in range(repeat):
            find_dates(text, today)
        print(f"  {name:<14} {(time.perf_counter() - started) / repeat * 1000:7.2f} ms")


if __name__ == "__main__":
    main()
