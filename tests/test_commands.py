"""EKU's commands: releasing held orders, marking tasks done, and the audit log behind them;
the reply limit per sender."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from local_intake import local_settings, poll_local
from mails import build_mail
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake import commands
from intake.settings import (
    RoutingSettings,
    SendersSettings,
)
from parsers.errors import LovbotError
from store.models import AuditEntry, Case, MailMessage, OutgoingMail, Task

CLOSE = "Hej,\nDaglig verksamhet Hamnen upphör 2027-06-30.\n\nHälsningar Karin"


def test_held_orders_are_released_by_approve_and_audited(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = local_settings(tmp_path, db_url, routing=RoutingSettings(hold_orders=True))
    poll_local(settings, sessions, build_mail(CLOSE))
    with sessions() as session:
        number = session.scalars(select(Case.number)).one()
        assert session.scalars(select(Task.state).where(Task.owner != "eku")).all() == [
            "held",
            "held",
        ]

    assert commands.approve(settings, number, by="Eva på EKU") == 0

    with sessions() as session:
        assert sorted(session.scalars(select(Task.state).where(Task.owner != "eku"))) == [
            "ordered",
            "ordered",
        ]
        orders = session.scalars(select(OutgoingMail).where(OutgoingMail.purpose == "order")).all()
        assert sorted(o.recipient for o in orders) == [
            settings.routing.intraservice,
            settings.routing.kom,
        ]
        assert all(o.state == "sent" for o in orders)
        approvals = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "order_approved")
        ).all()
        assert [a.actor for a in approvals] == ["Eva på EKU", "Eva på EKU"]
    assert len(list((tmp_path / "outbox").glob("*-order.eml"))) == 2
    # Approving again changes nothing.
    assert commands.approve(settings, number, by="Eva på EKU") == 0
    with sessions() as session:
        assert (
            len(session.scalars(select(OutgoingMail).where(OutgoingMail.purpose == "order")).all())
            == 2
        )


def test_done_marks_ekus_task_and_is_audited(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = local_settings(tmp_path, db_url)
    poll_local(settings, sessions, build_mail(CLOSE))
    with sessions() as session:
        number = session.scalars(select(Case.number)).one()

    assert commands.done(settings, number, "jamfor_service", by="Eva") == 0

    with sessions() as session:
        task = session.scalars(select(Task).where(Task.system == "jamfor_service")).one()
        assert (task.state, task.done_by) == ("done", "Eva")
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "task_done")).one()
        assert entry.actor == "Eva" and entry.detail["system"] == "jamfor_service"
    with pytest.raises(LovbotError, match="ingen uppgift för treserva_x"):
        commands.done(settings, number, "treserva_x", by="Eva")
    with pytest.raises(LovbotError, match="finns inte"):
        commands.done(settings, "LOV-1999-0001", "jamfor_service", by="Eva")


def test_every_status_change_is_in_the_audit_log(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = local_settings(tmp_path, db_url)
    poll_local(
        settings,
        sessions,
        build_mail("Vi vill byta namn på DV Gran till DV Tall.", message_id="<gran@goteborg.se>"),
    )
    with sessions() as session:
        number = session.scalars(select(Case.number)).one()
    poll_local(
        settings,
        sessions,
        build_mail("Det gäller från 1 juni 2027.", subject=f"SV: Namnbyte [{number}]"),
    )

    with sessions() as session:
        changes = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "status_changed").order_by(AuditEntry.id)
        ).all()
        assert [(c.detail["before"], c.detail["after"]) for c in changes] == [
            ("new", "awaiting_information"),
            ("awaiting_information", "complete"),
        ]
        assert all(c.actor == "lovbot" and c.at is not None for c in changes)


def test_replies_per_sender_are_limited_and_the_rest_go_to_review(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = local_settings(tmp_path, db_url, senders=SendersSettings(max_replies_per_hour=2))
    raws = [build_mail(CLOSE.replace("Hamnen", f"Hamnen {i}")) for i in range(3)]

    poll_local(settings, sessions, *raws)

    with sessions() as session:
        acks = session.scalars(select(OutgoingMail).where(OutgoingMail.purpose == "ack")).all()
        assert len(acks) == 2
        folders = sorted(session.scalars(select(MailMessage.target_folder)))
        assert folders == ["Behandlat", "Behandlat", "Granska"]


def test_the_poller_records_what_check_prints(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    from intake.pipeline import analyse, sender_policy

    settings = local_settings(tmp_path, db_url)
    raw = build_mail(
        "Vi startar Daglig verksamhet Solrosen den 2 augusti 2027. Personnummer 19850412-1230.",
        subject="Ny enhet",
    )
    checked = analyse(raw, sender_policy(settings)).line

    poll_local(settings, sessions, raw)

    with sessions() as session:
        case = session.scalars(select(Case)).one()
        assert case.result == checked
        assert case.status == checked["status"] == "awaiting_information"
        assert [f.code for f in case.findings] == [f["code"] for f in checked["findings"]]


def test_a_correction_after_completion_moves_tasks_and_amends_orders(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = local_settings(tmp_path, db_url)
    poll_local(settings, sessions, build_mail(CLOSE))
    with sessions() as session:
        number = session.scalars(select(Case.number)).one()

    poll_local(
        settings,
        sessions,
        build_mail(
            "Rättelse: Daglig verksamhet Hamnen upphör 2027-07-31, inte i juni.",
            subject=f"SV: Avslut [{number}]",
        ),
    )

    with sessions() as session:
        case = session.scalars(select(Case)).one()
        assert case.effective_date == dt.date(2027, 7, 31)
        assert {t.due for t in case.tasks} == {dt.date(2027, 7, 31)}
        orders = session.scalars(
            select(OutgoingMail).where(OutgoingMail.purpose == "order").order_by(OutgoingMail.id)
        ).all()
        assert [o.subject.split(":")[0] for o in orders] == [
            "Beställning",
            "Beställning",
            "Ändrad beställning",
            "Ändrad beställning",
        ]
        amended = message_from_bytes(orders[-1].raw, policy=default).get_body(("plain",))
        assert amended is not None
        assert "ersätter den förra" in amended.get_content()
        assert "Gäller från: 2027-07-31" in amended.get_content()
