"""The per-sender reply limit stops loops, not people (issue 8 item 11).

Replies are counted by the messages' own arrival times, so a backlog read at once is not
an hour's flood; a sender that answers our automated mail with the same subject over and
over is a loop and gets no more answers; everyone else has a high ceiling.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from email import message_from_bytes
from pathlib import Path

from local_intake import local_settings, poll_local
from mails import build_mail
from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import MailMessage, OutgoingMail

CHIEF = "karin.ek@funktionsstod.goteborg.se"
MORNING = dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)


def notice(n: int, at: dt.datetime, sender: str = CHIEF) -> bytes:
    return build_mail(
        f"Hej,\nDaglig verksamhet Hamnen {n} upphör 2027-06-30.\n\nHälsningar Karin",
        subject=f"Avslut Hamnen {n}",
        sender=sender,
        date=at,
        message_id=f"<notice-{n}-{sender}>",
    )


def acks_to(sessions: Callable[[], Session], recipient: str) -> list[OutgoingMail]:
    with sessions() as session:
        return list(
            session.scalars(
                select(OutgoingMail)
                .where(OutgoingMail.purpose == "ack", OutgoingMail.recipient == recipient)
                .order_by(OutgoingMail.id)
            )
        )


def test_a_unit_chief_with_six_notices_in_a_backlog_gets_six_acknowledgements(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = local_settings(tmp_path, db_url)
    raws = [notice(n, MORNING + dt.timedelta(minutes=5 * n)) for n in range(6)]

    poll_local(settings, sessions, *raws)

    assert len(acks_to(sessions, CHIEF)) == 6


def test_a_backlog_is_counted_by_when_each_message_came_not_when_it_was_read(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    """Forty notices over four hours, read in one cycle: at most ten an hour, all answered."""
    settings = local_settings(tmp_path, db_url)
    raws = [notice(n, MORNING + dt.timedelta(minutes=6 * n)) for n in range(40)]

    poll_local(settings, sessions, *raws)

    assert len(acks_to(sessions, CHIEF)) == 40


def test_over_the_ceiling_in_one_hour_of_arrivals_the_rest_go_to_review(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = local_settings(tmp_path, db_url)
    raws = [notice(n, MORNING + dt.timedelta(seconds=90 * n)) for n in range(32)]

    poll_local(settings, sessions, *raws)

    assert len(acks_to(sessions, CHIEF)) == 30
    with sessions() as session:
        limited = session.scalars(
            select(MailMessage).where(MailMessage.replied.contains("för många svar"))
        ).all()
    assert [m.target_folder for m in limited] == ["Granska", "Granska"]


def test_a_sender_answering_our_acknowledgements_with_the_same_subject_is_a_loop(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    """A ticket system without Auto-Submitted answers every acknowledgement it gets."""
    robot = "arende@omsorgsbolaget.se"
    settings = local_settings(tmp_path, db_url)
    poll_local(settings, sessions, notice(1, MORNING, sender=robot))
    for round_ in range(1, 9):
        [*_, last_ack] = acks_to(sessions, robot)
        ours = message_from_bytes(last_ack.raw)
        poll_local(
            settings,
            sessions,
            build_mail(
                "Tack, ert ärende har registrerats hos oss och besvaras inom kort.",
                subject=f"SV: {ours['Subject']}",
                sender=robot,
                date=MORNING + dt.timedelta(minutes=2 * round_),
                headers={"In-Reply-To": ours["Message-ID"], "References": ours["Message-ID"]},
            ),
        )

    assert len(acks_to(sessions, robot)) == 4  # the notice and the first three answers
    with sessions() as session:
        looped = session.scalars(
            select(MailMessage).where(MailMessage.replied.contains("e-postslinga"))
        ).all()
    assert len(looped) == 5
    assert {m.target_folder for m in looped} == {"Granska"}
