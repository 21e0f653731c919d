"""SQLite's writers of one process take turns (engine.storage.db): every way a transaction
ends hands the turn on, and a turn never handed on fails loudly instead of hanging."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from engine.storage import db
from engine.storage.db import make_engine


@pytest.fixture
def engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    monkeypatch.setattr(db, "TURN_TIMEOUT_S", 0.5)  # a failure shows in half a second
    engine = make_engine(f"sqlite:///{tmp_path / 'turns.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (n INTEGER)"))
    yield engine
    engine.dispose()


ENDINGS: dict[str, Callable[[Connection], None]] = {
    "commit": lambda connection: connection.commit(),
    "rollback": lambda connection: connection.rollback(),
    "close without either": lambda connection: connection.close(),
    "invalidate": lambda connection: connection.invalidate(),
}


@pytest.mark.parametrize("ending", ENDINGS)
def test_every_way_a_transaction_ends_hands_the_turn_on(engine: Engine, ending: str) -> None:
    connection = engine.connect()
    connection.execute(text("INSERT INTO t VALUES (1)"))
    ENDINGS[ending](connection)
    connection.close()
    with engine.begin() as other:  # would wait, then fail, if the turn were still held
        other.execute(text("INSERT INTO t VALUES (2)"))


def test_a_turn_never_handed_on_fails_loudly(engine: Engine) -> None:
    holder = engine.connect()
    holder.execute(text("INSERT INTO t VALUES (1)"))  # a transaction left open
    with pytest.raises(TimeoutError, match="turn to write to SQLite"), engine.begin() as other:
        other.execute(text("SELECT 1"))
    holder.rollback()
    holder.close()
