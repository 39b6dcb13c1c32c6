"""Issue 8.3: a Date header that overflows is a missing date, never an unprocessable message."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from hostile import DATE_OVERFLOWS, acknowledgements, raw_mail
from local_intake import local_settings, poll_local
from sqlalchemy import select
from sqlalchemy.orm import Session

from parsers.mail import parse_mail
from store.models import MailMessage


@pytest.mark.parametrize("date", DATE_OVERFLOWS)
def test_an_absurd_date_is_read_as_missing(date: str) -> None:
    assert parse_mail(raw_mail(date=date)).date is None


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("Mon, 01 Mar 2027 09:00:00 +0100", dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)),
        ("Mon, 01 Mar 2027 09:00:00 -0000", dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)),
        ("1 Jan 1970 00:00:00 +0000", dt.datetime(1970, 1, 1, tzinfo=dt.UTC)),
        ("31 Dec 2199 23:59:59 +0000", dt.datetime(2199, 12, 31, 23, 59, 59, tzinfo=dt.UTC)),
    ],
)
def test_a_real_date_is_kept(date: str, expected: dt.datetime) -> None:
    assert parse_mail(raw_mail(date=date)).date == expected


@pytest.mark.parametrize(
    "date", ["Fri, 31 Dec 9999 23:59:59 +0000", "Mon, 12345678901234567890 Mar 2027 09:00:00 +0100"]
)
def test_the_poller_answers_a_message_with_an_overflowing_date(
    date: str, tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = local_settings(tmp_path, db_url)

    report = poll_local(settings, sessions, raw_mail(date=date))

    # Recorded and answered like any notice; the server's date stands in for the sender's.
    assert (report.processed, report.failed) == (1, 0)
    with sessions() as session:
        row = session.scalars(select(MailMessage)).one()
        assert row.state == "processed"
        assert row.target_folder == settings.folders.handled
        assert row.received_at is not None
        assert abs(row.received_at.replace(tzinfo=dt.UTC) - dt.datetime.now(dt.UTC)) < dt.timedelta(
            days=1
        )
    [ack] = acknowledgements(tmp_path / "outbox")
    assert "Daglig verksamhet Hamnen" in ack.get_body(("plain",)).get_content()
