"""Whole cycles over Microsoft Graph: delta in, move, sendMail out, exactly once."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from fixtures_db import _migrated
from fixtures_graph import FakeGraph
from fixtures_m365 import GRAPH, OUTLOOK, Tenant
from mails import build_mail
from sqlalchemy import func, select

from intake.connections import make_transport, open_configured_mailbox
from intake.cycle import Poller
from intake.settings import Settings
from outbox.graph import GraphTransport
from store.db import make_engine, make_sessionmaker
from store.models import MailMessage, OutgoingMail

CLOSE = "Hej,\nDaglig verksamhet Hamnen upphör 2027-06-30.\n\nHälsningar Karin"


@pytest.fixture
def settings(graph: FakeGraph, tenant: Tenant, tmp_path: Path) -> Settings:
    app = tenant.add_app(graph.mailbox)
    return Settings.model_validate(
        {
            "mailbox": {
                "kind": "graph",
                "username": graph.mailbox,
                "path": str(tmp_path / "graph"),
                "timeout": 10,
            },
            "smtp": {"kind": "graph", "from_address": graph.mailbox},
            "graph": {"url": graph.url},
            "oauth2": tenant.settings(app),
            "database": {"url": _migrated(f"sqlite:///{tmp_path / 'lovbot.db'}")},
            "senders": {"trusted_domains": ["goteborg.se"], "max_replies_per_hour": 100},
        }
    )


@pytest.fixture
def poller(settings: Settings) -> Iterator[Poller]:
    engine = make_engine(settings.database.url)
    yield Poller(
        settings,
        make_sessionmaker(engine),
        lambda: open_configured_mailbox(settings),
        retry_wait=lambda seconds: False,
    )
    engine.dispose()


def replies(graph: FakeGraph) -> list[str]:
    messages = [message_from_bytes(raw, policy=default) for raw in graph.sent]
    return [str(m["In-Reply-To"]) for m in messages if m["In-Reply-To"]]


def test_cycles_read_move_and_answer_through_graph_with_one_token(
    graph: FakeGraph, tenant: Tenant, poller: Poller, settings: Settings
) -> None:
    assert isinstance(make_transport(settings), GraphTransport)
    graph.deliver(build_mail(CLOSE, message_id="<g1@funktionsstod.goteborg.se>"))

    first = poller.run_once()
    graph.deliver(build_mail(CLOSE.replace("Hamnen", "Eken"), message_id="<g2@x.goteborg.se>"))
    second = poller.run_once()
    third = poller.run_once()

    assert (first.processed, second.processed, third.processed) == (1, 1, 0)
    assert graph.in_folder("Inbox") == []
    assert len(graph.in_folder("Behandlat")) == 2
    assert replies(graph) == ["<g1@funktionsstod.goteborg.se>", "<g2@x.goteborg.se>"]
    assert tenant.issued == {GRAPH: 1}
    assert tenant.issued[OUTLOOK] == 0


def test_an_outage_between_commit_and_move_is_finished_exactly_once(
    graph: FakeGraph, poller: Poller
) -> None:
    graph.deliver(build_mail(CLOSE, message_id="<once@funktionsstod.goteborg.se>"))
    graph.fail_moves = 1

    report = poller.run_once()

    assert report.processed == 1
    assert len(graph.in_folder("Behandlat")) == 1
    assert replies(graph) == ["<once@funktionsstod.goteborg.se>"]
    with poller.sessions() as session:
        assert session.scalar(select(func.count()).select_from(MailMessage)) == 1
        assert session.scalar(select(func.count()).select_from(OutgoingMail)) == len(graph.sent)
        assert session.scalars(select(MailMessage.moved_at)).one() is not None


def test_sendmail_refused_keeps_the_mail_for_later(
    graph: FakeGraph, tenant: Tenant, settings: Settings, poller: Poller
) -> None:
    other = tenant.add_app("annan@goteborg.se")
    refused = settings.model_copy(update={"oauth2": tenant.settings(other)})
    graph.deliver(build_mail(CLOSE))
    # The mailbox reads with its own app; mail goes out with one lacking the grant.
    poller.settings = refused
    poller.sender.settings = refused  # the sender makes the transport
    poller.mailbox_factory = lambda: open_configured_mailbox(settings)

    report = poller.run_once()

    assert report.processed == 1
    assert graph.sent == []
    with poller.sessions() as session:
        errors = session.scalars(select(OutgoingMail.last_error)).all()
    assert errors and all("Graph tog inte emot brevet (403 ErrorAccessDenied" in e for e in errors)
