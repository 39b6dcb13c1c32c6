"""Issue 11: what a poll cycle asks the database when nothing is new must not grow with
the mail it has handled. The two queries that did (unmoved messages, due outgoing mail)
are checked with EXPLAIN on PostgreSQL over 20,000 handled rows: an index, never a scan
of the table."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from store.db import make_engine, make_sessionmaker
from store.models import utcnow
from store.repository import claim_outgoing, pending_moves

HANDLED = 20_000


def _plan_nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    nodes = [plan]
    for child in plan.get("Plans", []):
        nodes.extend(_plan_nodes(child))
    return nodes


@pytest.mark.postgres
def test_idle_queries_use_an_index_whatever_was_handled(pg_url: str) -> None:
    engine = make_engine(pg_url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO mail_message (mailbox, folder, uidvalidity, uid, sha256, state,"
                " target_folder, moved_at, received_at, created_at)"
                " SELECT 'imap://lov@x', 'INBOX', 1, g, md5(g::text) || md5(g::text),"
                " 'processed', 'Behandlat', now(), now(), now() FROM generate_series(1, :n) g"
            ),
            {"n": HANDLED},
        )
        connection.execute(
            text(
                "INSERT INTO outgoing_mail (message_id, purpose, recipient, subject, raw, state,"
                " attempts, next_attempt_at, created_at, sent_at)"
                " SELECT '<' || g || '@lovbot>', 'ack', 'a@goteborg.se', 's', 'x', 'sent', 1,"
                " now(), now(), now() FROM generate_series(1, :n) g"
            ),
            {"n": HANDLED},
        )
        connection.execute(text("ANALYZE"))

    statements: list[tuple[str, Any]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _keep(_conn: Any, _cursor: Any, statement: str, params: Any, *_rest: Any) -> None:
        if "mail_message" in statement or "outgoing_mail" in statement:
            statements.append((statement, params))

    sessions = make_sessionmaker(engine)
    with sessions() as session:
        assert pending_moves(session, "imap://lov@x", "INBOX", 1) == {}
    later = utcnow() + dt.timedelta(seconds=1)
    with sessions() as session, session.begin():
        assert claim_outgoing(session, later, claimant="t", until=later, limit=10) == []
    event.remove(engine, "before_cursor_execute", _keep)
    assert len(statements) == 3  # unmoved messages; due orders and digests; due acks

    for statement, params in statements:
        with Session(engine) as session:
            cursor = session.connection().connection.driver_connection.cursor()
            cursor.execute("EXPLAIN (FORMAT JSON) " + statement, params)
            plan = cursor.fetchone()[0]
            plan = plan if isinstance(plan, list) else json.loads(plan)
            session.rollback()
        nodes = _plan_nodes(plan[0]["Plan"])
        scanned = [n.get("Relation Name") for n in nodes if n["Node Type"] == "Seq Scan"]
        assert scanned == [], f"{statement[:60]}… scans {scanned}"
        assert any("Index" in n["Node Type"] for n in nodes)
    engine.dispose()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_sqlite_finds_unmoved_messages_through_the_partial_index(db_url: str) -> None:
    """SQLite took the unique location index and read every handled row (and past its
    stored message) to test moved_at: an idle cycle grew with the mailbox's history."""
    engine = make_engine(db_url)
    statements: list[tuple[str, Any]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _keep(_conn: Any, _cursor: Any, statement: str, params: Any, *_rest: Any) -> None:
        statements.append((statement, params))

    with make_sessionmaker(engine)() as session:
        pending_moves(session, "imap://lov@x", "INBOX", 1)
    event.remove(engine, "before_cursor_execute", _keep)
    statement, params = statements[-1]
    with engine.connect() as connection:
        cursor = connection.connection.driver_connection.cursor()
        plan = " ".join(
            str(row[-1]) for row in cursor.execute(f"EXPLAIN QUERY PLAN {statement}", params)
        )
    engine.dispose()
    assert "ix_mail_message_unmoved" in plan, plan


@pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
def test_claims_read_neither_the_mail_sent_nor_a_backlog_of_acknowledgements(
    db_url: str,
) -> None:
    """Half-way through a backlog: 20,000 mails sent, 20,000 acknowledgements pending.
    The next claim must find the pending mail through the partial index of pending rows
    (SQLite read every sent row, and past its stored mail, so claims slowed as the
    backlog went out), and the orders, claimed first, through the index of pending
    orders and digests, not by reading every pending acknowledgement."""
    engine = make_engine(db_url)
    series = (
        "generate_series(1, :n) g"
        if engine.dialect.name == "postgresql"
        else "(WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < :n)"
        " SELECT g FROM s)"
    )
    with engine.begin() as connection:
        for state in ("sent", "pending"):
            connection.execute(
                text(
                    "INSERT INTO outgoing_mail (message_id, purpose, recipient, subject, raw,"
                    " state, attempts, next_attempt_at, created_at)"
                    f" SELECT '<{state}' || g || '@lovbot>', 'ack', 'a@goteborg.se', 's',"
                    f" :raw, '{state}', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM {series}"
                ),
                {"n": HANDLED, "raw": b"x" * 5000},
            )
        connection.execute(text("ANALYZE"))
    statements: list[tuple[str, Any]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _keep(_conn: Any, _cursor: Any, statement: str, params: Any, *_rest: Any) -> None:
        statements.append((statement, params))

    later = utcnow() + dt.timedelta(seconds=1)
    with make_sessionmaker(engine)() as session, session.begin():
        claimed = claim_outgoing(session, later, claimant="t", until=later, limit=10)
        purposes = [row.purpose for row in claimed]
        ids = [row.id for row in claimed]
        session.rollback()
    event.remove(engine, "before_cursor_execute", _keep)
    assert purposes == ["ack"] * 10
    assert ids == list(range(HANDLED + 1, HANDLED + 11))  # the oldest pending
    plans = {}
    with engine.connect() as connection:
        cursor = connection.connection.driver_connection.cursor()
        for statement, params in statements:
            explain = "EXPLAIN " if engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN "
            cursor.execute(explain + statement, params)
            group = "urgent" if "purpose != 'ack'" in statement else "acks"
            plans[group] = " | ".join(str(row[-1]) for row in cursor.fetchall())
        connection.rollback()
    engine.dispose()
    assert "ix_outgoing_mail_urgent" in plans["urgent"], plans["urgent"]
    assert "ix_outgoing_mail_pending" in plans["acks"], plans["acks"]
    for plan in plans.values():
        assert "Seq Scan" not in plan and "SCAN outgoing_mail |" not in f"{plan} |", plan
