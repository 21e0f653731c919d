"""The event log: what happened to each submission, by whom, in order. Append-only (the
database refuses UPDATE and DELETE), so it can be trusted as the record."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.storage.models import Event, utcnow


def append(
    session: Session,
    kind: str,
    *,
    submission_id: int | None,
    actor: str,
    data: dict[str, Any] | None = None,
) -> Event:
    """Record an event in the caller's transaction (it is kept only if that commits)."""
    event = Event(
        submission_id=submission_id, kind=kind, actor=actor, data=data or {}, created_at=utcnow()
    )
    session.add(event)
    return event


def for_submission(session: Session, submission_id: int) -> list[Event]:
    """The submission's events, oldest first."""
    query = select(Event).where(Event.submission_id == submission_id).order_by(Event.id)
    return list(session.scalars(query))
