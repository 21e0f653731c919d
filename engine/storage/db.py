"""The database: one SQLAlchemy metadata for every table, engines for SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

# Stable constraint names, so migrations can drop and alter them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Every table's base: engine/storage's, auth's and later issues' tables share it."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# How long a transaction waits for the write lock: its turn in this process, then SQLite's.
TURN_TIMEOUT_S = 30.0


def make_engine(url: str, **options: Any) -> Engine:
    """An engine for ``url`` (``sqlite:///path`` or ``postgresql://...``)."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        turn = threading.Lock()
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "factory": _taking_turns(turn)},
            **options,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin_in_turn(turn))
        return engine
    return create_engine(url, pool_pre_ping=True, **options)


def _sqlite_pragmas(connection: Any, _: Any) -> None:
    # Python's sqlite3 opens transactions on its own terms, which breaks SAVEPOINT; let
    # SQLAlchemy say BEGIN itself (the recipe in SQLAlchemy's SQLite documentation).
    connection.isolation_level = None
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL lets readers go on while a submission is written; wait rather than fail on a lock.
    cursor.execute("PRAGMA journal_mode=WAL")
    # synchronous stays FULL: a reference number given to a citizen must survive a power
    # cut (NORMAL would be faster and could lose the last commits).
    cursor.execute(f"PRAGMA busy_timeout={TURN_TIMEOUT_S * 1000:.0f}")
    cursor.close()


# Transactions of one process wait their turn in a queue, then BEGIN IMMEDIATE.
#
# SQLite has one writer at a time. IMMEDIATE takes the write lock at the start: two
# requests that read then write would otherwise fail with "database is locked" when the
# second tries to write. Queueing in Python first spares waiting threads SQLite's
# sleep-and-retry (1 to 100 ms naps), which under load starves some of them for seconds.
# The turn passes on only once COMMIT or ROLLBACK has returned: SQLAlchemy's "commit" event
# comes before the COMMIT, so the DBAPI connection itself hands the turn on. (Other
# processes on the same file still wait through busy_timeout.)


def _taking_turns(turn: threading.Lock) -> type[sqlite3.Connection]:
    class TurnTakingConnection(sqlite3.Connection):
        holds_turn = False

        def commit(self) -> None:
            try:
                super().commit()
            finally:
                self.pass_turn()

        def rollback(self) -> None:
            try:
                super().rollback()
            finally:
                self.pass_turn()

        def close(self) -> None:
            try:
                super().close()
            finally:
                self.pass_turn()

        def pass_turn(self) -> None:
            if self.holds_turn:
                self.holds_turn = False
                turn.release()

    return TurnTakingConnection


def _begin_in_turn(turn: threading.Lock) -> Any:
    def begin(connection: Any) -> None:
        dbapi_connection = connection.connection.dbapi_connection
        if not turn.acquire(timeout=TURN_TIMEOUT_S):
            # A turn never handed on (a transaction left open): fail loudly, not hang.
            raise TimeoutError(
                f"waited {TURN_TIMEOUT_S:.0f} s for this process's turn to write to SQLite"
            )
        dbapi_connection.holds_turn = True
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            dbapi_connection.pass_turn()
            raise

    return begin


def dialect_insert(session: Session, table: Any) -> Any:
    """An INSERT into ``table`` in the session's dialect, for what only dialects offer
    (``on_conflict_do_nothing``); SQLite and PostgreSQL spell it the same."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
