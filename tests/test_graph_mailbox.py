"""The Graph adapter against the fake Graph: delta, fetch, folders, move, state file."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures_graph import FakeGraph
from fixtures_m365 import GRAPH, Tenant
from mails import build_mail

from intake.mailbox import MailboxError, MailboxLoginError
from intake.mailbox.graph import GraphMailbox
from intake.oauth import app_tokens
from intake.settings import GRAPH_SCOPE, MailboxSettings


def mailbox(graph: FakeGraph, tmp_path: Path, granted: str | None = None) -> GraphMailbox:
    app = graph.tenant.add_app(granted or graph.mailbox)
    settings = MailboxSettings(kind="graph", username=graph.mailbox, path=tmp_path, timeout=10)
    tokens = app_tokens(graph.tenant.settings(app), GRAPH_SCOPE)
    return GraphMailbox(settings, tokens, url=graph.url)


def test_new_mail_gets_increasing_uids_through_paged_delta(
    graph: FakeGraph, tenant: Tenant, tmp_path: Path
) -> None:
    raws = [build_mail(f"Meddelande {i}") for i in range(5)]
    for raw in raws:
        graph.deliver(raw)

    with mailbox(graph, tmp_path) as box:
        status = box.select("INBOX")
        assert (status.exists, status.uidnext) == (5, 6)
        assert box.new_uids(0) == [1, 2, 3, 4, 5]
        assert box.new_uids(3) == [4, 5]
        fetched = box.fetch([5, 1, 99])
    assert [m.uid for m in fetched] == [1, 5]
    assert [m.raw for m in fetched] == [raws[0], raws[4]]
    assert all(m.internal_date is not None and m.internal_date.tzinfo for m in fetched)
    assert any("skiptoken" in path for _method, path in tenant.requests)
    assert tenant.issued[GRAPH] == 1


def test_moves_and_later_mail_follow_the_delta_link(graph: FakeGraph, tmp_path: Path) -> None:
    first = build_mail("Först")
    graph.deliver(first)
    with mailbox(graph, tmp_path) as box:
        box.ensure_folders(["Behandlat", "Granska", "INBOX"])
        box.ensure_folders(["Behandlat"])
        box.select("INBOX")
        box.move([1], "Behandlat")
        box.move([1], "Behandlat")  # a repeat after a crash changes nothing
    assert graph.in_folder("Behandlat") == [first]
    assert sorted(graph.folders.values()) == ["Behandlat", "Granska", "Inbox"]

    second = build_mail("Sedan")
    graph.deliver(second)
    with mailbox(graph, tmp_path) as box:
        status = box.select("INBOX")
        assert box.new_uids(0) == [2]
        assert box.fetch([2])[0].raw == second
    assert status.exists == 1
    delta_calls = [c for c in graph.calls if c.endswith("/messages/delta")]
    assert len(delta_calls) == 2  # the second select used the stored delta link


def test_the_state_file_keeps_uidvalidity_and_uids(graph: FakeGraph, tmp_path: Path) -> None:
    graph.deliver(build_mail("Ett"))
    with mailbox(graph, tmp_path) as box:
        before = box.select("INBOX")
    with mailbox(graph, tmp_path) as box:
        after = box.select("INBOX")
        assert box.new_uids(0) == [1]
    assert after.uidvalidity == before.uidvalidity

    (tmp_path / f"graph-{graph.mailbox}.json").write_text("{trasig")
    with mailbox(graph, tmp_path) as box, pytest.raises(MailboxError, match="damaged"):
        box.select("INBOX")


def test_a_token_for_another_mailbox_is_refused_in_swedish(
    graph: FakeGraph, tmp_path: Path
) -> None:
    with pytest.raises(MailboxLoginError, match="Graph nekade åtkomst \\(403"):
        mailbox(graph, tmp_path, granted="annan@goteborg.se").connect()


def test_an_expired_token_is_renewed_once_then_refused(
    graph: FakeGraph, tenant: Tenant, tmp_path: Path
) -> None:
    app = tenant.add_app(graph.mailbox, tokens="expired")
    settings = MailboxSettings(kind="graph", username=graph.mailbox, path=tmp_path)
    box = GraphMailbox(settings, app_tokens(tenant.settings(app), GRAPH_SCOPE), url=graph.url)

    with pytest.raises(MailboxLoginError, match="401 InvalidAuthenticationToken"):
        box.connect()
    assert tenant.issued[GRAPH] == 2


def test_a_link_off_the_graph_host_is_never_followed(graph: FakeGraph, tmp_path: Path) -> None:
    box = mailbox(graph, tmp_path)
    box.connect()
    try:
        with pytest.raises(MailboxError, match="outside"):
            box._request("GET", "https://evil.example/v1.0/users/x")
    finally:
        box.close()


def test_a_large_message_is_downloaded_whole_only_when_it_is_read(
    graph: FakeGraph, tmp_path: Path
) -> None:
    """As over IMAP (issue 11's memory goal): a fetched batch does not hold a 2 MB message
    whole; the first LARGE_MESSAGE_BYTES tell that it is large, and its bytes are
    downloaded when the cycle reads it, one large message at a time."""
    small = build_mail("Liten")
    large = [
        build_mail(
            f"Stor {i}",
            attachments=[("bilaga.pdf", "application/pdf", bytes([i]) * 2_000_000)],
        )
        for i in range(2)
    ]
    for raw in (small, *large):
        graph.deliver(raw)

    with mailbox(graph, tmp_path) as box:
        box.select("INBOX")
        fetched = box.fetch([1, 2, 3])
        assert [m.is_deferred for m in fetched] == [False, True, True]
        assert fetched[0].raw == small
        downloads = len([c for c in graph.calls if c.endswith("/$value")])
        assert fetched[1].raw == large[0]
        assert fetched[1].raw == large[0]  # held: not downloaded again
        assert len([c for c in graph.calls if c.endswith("/$value")]) == downloads + 1
        assert fetched[2].raw == large[1]
        # The first large message was let go before the second was downloaded.
        assert box._large._key == box._uids[3]
