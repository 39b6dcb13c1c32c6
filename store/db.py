"""Engines, sessions and the schema version (Alembic) for SQLite and PostgreSQL alike."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from parsers.errors import LovbotError

__all__ = [
    "DatabaseError",
    "SchemaOutdated",
    "check_schema",
    "make_engine",
    "make_sessionmaker",
    "upgrade",
]

logger = logging.getLogger(__name__)
_MIGRATIONS = Path(__file__).parent / "migrations"


class DatabaseError(LovbotError):
    """The database could not be reached or refused an operation."""


class SchemaOutdated(DatabaseError):
    """The database schema is older than this version of lovbot."""


def make_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created, and SQLite enforces FKs."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def make_sessionmaker(engine: Engine) -> Callable[[], Session]:
    return sessionmaker(engine, expire_on_commit=False)


def _alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the schema to the newest revision; returns (before, after)."""
    before = _current(engine)
    try:
        command.upgrade(_alembic_config(engine), "head")
    except SQLAlchemyError as err:
        raise DatabaseError(f"Databasen kunde inte uppgraderas: {err}") from err
    return before, _head(engine)


def _head(engine: Engine) -> str:
    head = ScriptDirectory.from_config(_alembic_config(engine)).get_current_head()
    assert head is not None
    return head


def _current(engine: Engine) -> str | None:
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as err:
        raise DatabaseError(f"Databasen går inte att nå: {err}") from err


def check_schema(engine: Engine) -> None:
    """Refuse to work on an old or missing schema, with what to do about it."""
    current, head = _current(engine), _head(engine)
    if current != head:
        raise SchemaOutdated(
            f"Databasens schema är {current or 'inte skapat'}, men lovbot behöver {head}. "
            "Kör 'lovbot db upgrade' först."
        )
