"""The audit log's hash chain: intact after ordinary work, and an entry altered, removed
or cut off by someone who can bypass the append-only triggers is named by verify."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from engine.storage import events
from engine.storage.db import make_engine
from engine.storage.migrate import upgrade


@pytest.fixture
def log(empty_url: str) -> Iterator[Session]:
    """A fresh database (other tests' entries are not this chain's), with three entries."""
    upgrade(empty_url)
    engine = make_engine(empty_url)
    with Session(engine) as session:
        for kind in ("submitted", "state_changed", "sign_in"):
            events.append(session, kind, submission_id=None, actor="clerk-1", data={"k": "値"})
        session.commit()
        yield session
    engine.dispose()


def bypass_triggers(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ALTER TABLE events DISABLE TRIGGER USER"))
    else:
        session.execute(text("DROP TRIGGER events_no_update"))
        session.execute(text("DROP TRIGGER events_no_delete"))


def test_an_untouched_chain_verifies(log: Session) -> None:
    result = events.verify(log)
    assert (result.ok, result.checked) == (True, 3)


@pytest.mark.parametrize(
    ("statement", "broken_at", "reason"),
    [
        ("UPDATE events SET actor = 'someone' WHERE seq = 2", 2, "entry 2 was altered"),
        ('UPDATE events SET data = \'{"k": "x"}\' WHERE seq = 1', 1, "entry 1 was altered"),
        ("DELETE FROM events WHERE seq = 2", 2, "entry 2 is missing"),
        ("DELETE FROM events WHERE seq = 3", 3, "entries after 2 were removed"),
    ],
)
def test_verify_names_the_first_entry_that_does_not_fit(
    log: Session, statement: str, broken_at: int, reason: str
) -> None:
    bypass_triggers(log)
    log.execute(text(statement))
    result = events.verify(log)
    assert (result.ok, result.broken_at, result.reason) == (False, broken_at, reason)
