"""pytest plugin: a real, migrated database per test, on SQLite and on PostgreSQL.

PostgreSQL: ``LOVBOT_TEST_PG_URL`` or 127.0.0.1:5432 (trust auth, database ``test``). Each
test session creates its own database there and drops it afterwards. Where no server
answers, the local Debian cluster is started if one exists; otherwise the PostgreSQL half
is skipped loudly, or fails under ``CI=true``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from store.db import make_engine, make_sessionmaker, upgrade

__all__ = ["db_url", "engine", "pg_server_url", "pg_url", "sessions"]

_DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _pg_reachable(url: str) -> bool:
    try:
        probe = create_engine(url, connect_args={"connect_timeout": 3})
        with probe.connect():
            pass
        probe.dispose()
        return True
    except OperationalError:
        return False


def _start_local_cluster() -> None:
    """Debian's own cluster, started the way this machine's image starts it."""
    if not shutil.which("pg_ctlcluster") or not Path("/etc/postgresql").is_dir():
        return
    for version in sorted(os.listdir("/etc/postgresql")):
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
            capture_output=True,
            timeout=60,
            check=False,
        )


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    url = os.environ.get("LOVBOT_TEST_PG_URL", _DEFAULT_PG)
    if not _pg_reachable(url):
        _start_local_cluster()
    if not _pg_reachable(url):
        reason = f"PostgreSQL answers nowhere at {make_url(url).render_as_string()}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must test the store on PostgreSQL.")
        pytest.skip(f"SKIPPING POSTGRESQL TESTS: {reason}")
    name = f"lovbot_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, migrated database URL: once on SQLite, once on PostgreSQL."""
    if request.param == "sqlite":
        return _migrated(f"sqlite:///{tmp_path / 'lovbot.db'}")
    return _migrated(_fresh_schema(request.getfixturevalue("pg_server_url")))


@pytest.fixture
def pg_url(pg_server_url: str) -> str:
    """A fresh, migrated PostgreSQL database URL, for what only a server can show."""
    return _migrated(_fresh_schema(pg_server_url))


def _migrated(url: str) -> str:
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


def _fresh_schema(url: str) -> str:
    """An empty database for one test: all tables dropped so migrations start from nothing."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> Callable[[], Session]:
    return make_sessionmaker(engine)
