"""The event log is append-only: the database itself refuses changes."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from engine.storage import events
from engine.storage.models import Event


@pytest.mark.parametrize("statement", ["UPDATE events SET kind = 'forged'", "DELETE FROM events"])
def test_events_cannot_be_changed_or_deleted(db: Session, statement: str) -> None:
    event_id = events.append(db, "submitted", submission_id=None, actor="anonymous", data={})
    db.flush()
    with pytest.raises(DBAPIError, match="append-only"), db.begin_nested():
        db.execute(text(statement))
    db.expire_all()
    kept = db.get(Event, event_id)
    assert kept is not None
    assert kept.kind == "submitted"
