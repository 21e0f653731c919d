"""Alembic environment: the models of every package, one database URL from the caller."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

import auth.models  # noqa: F401 -- registers the accounts tables
import engine.storage.models
import engine.storage.outbox
import engine.workflow.models  # noqa: F401 -- registers the workflow tables
from engine.storage.db import Base, make_engine

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        render_as_batch=sqlite,  # SQLite alters by copying
    )
    raw = connection.connection.dbapi_connection if sqlite else None
    if raw is not None:
        # A batch migration rebuilds a table by copying it and dropping the old one: with
        # foreign keys enforced, that drop fails while rows of other tables refer to it.
        # SQLite's own procedure for altering tables turns them off meanwhile (outside a
        # transaction: the pragma is a no-op inside one) and checks them before committing.
        raw.execute("PRAGMA foreign_keys=OFF")
    try:
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                # A migration waits at most this long for a lock rather than queueing traffic.
                connection.exec_driver_sql("SET LOCAL lock_timeout = '5s'")
                connection.exec_driver_sql("SET LOCAL statement_timeout = '60s'")
            context.run_migrations()
            if raw is not None:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise RuntimeError(f"the migration broke foreign keys: {broken[:5]}")
    finally:
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=ON")


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported: run them against a database")
run()
