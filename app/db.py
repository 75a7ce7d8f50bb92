"""Engine and sessions. SQLAlchemy 1.4 in 2.0 style (`future=True`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import cache
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from app.settings import get_settings


def make_engine(database_url: str) -> Engine:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return create_engine(url, future=True, pool_pre_ping=True)
    if url.database:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record) -> None:
        # WAL lets the Rasa server, the action server and the bridge share one file.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


def stored_utc(moment: datetime) -> datetime:
    """A datetime read back from the database, as UTC: SQLite gives naive datetimes back
    (they were written in UTC); PostgreSQL gives them with their zone."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@cache
def _sessionmaker(database_url: str) -> sessionmaker:
    return sessionmaker(bind=make_engine(database_url), future=True, expire_on_commit=False)


def get_engine() -> Engine:
    return _sessionmaker(get_settings().database_url).kw["bind"]


@contextmanager
def session_scope() -> Iterator[Session]:
    """A session committed on success and rolled back on error."""
    with _sessionmaker(get_settings().database_url)() as session:
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise
