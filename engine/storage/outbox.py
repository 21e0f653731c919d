"""The outbox: work to do after a transaction commits (a mail to send, a document to
issue), written in the same transaction as the change that causes it, so that a change
is never without its follow-up nor a follow-up without its change. A worker takes the
items (``claim``) and deletes each once done (``done``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Integer, String, Text, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from engine.storage.db import Base
from engine.storage.models import BigId, UtcDateTime, utcnow

KIND_LENGTH = 32
MAX_ATTEMPTS = 8  # then the item stays, with its last error, for someone to look at
_RETRY_BASE = timedelta(seconds=30)


class OutboxItem(Base):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(KIND_LENGTH))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    available_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


def enqueue(
    session: Session, kind: str, payload: dict[str, Any], *, now: datetime | None = None
) -> OutboxItem:
    """Add an item in the caller's transaction (it exists only if that commits)."""
    at = now or utcnow()
    item = OutboxItem(kind=kind, payload=payload, created_at=at, available_at=at, attempts=0)
    session.add(item)
    return item


def claim(
    session: Session,
    limit: int,
    *,
    now: datetime | None = None,
    kinds: tuple[str, ...] | None = None,
) -> list[OutboxItem]:
    """Items due now (of ``kinds`` only, if given), oldest first, locked for
    this transaction: other workers skip them (PostgreSQL; SQLite has one writer at a time
    anyway)."""
    query = (
        select(OutboxItem)
        .where(OutboxItem.available_at <= (now or utcnow()))
        .where(OutboxItem.attempts < MAX_ATTEMPTS)
        .order_by(OutboxItem.available_at, OutboxItem.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    if kinds:
        query = query.where(OutboxItem.kind.in_(kinds))
    return list(session.scalars(query))


def take(session: Session, item_id: int) -> bool:
    """Remove the item in the caller's transaction; False if it was gone already (another
    worker took it), so that work done twice is recorded once."""
    result = session.execute(delete(OutboxItem).where(OutboxItem.id == item_id))
    return bool(getattr(result, "rowcount", 0) == 1)


def done(session: Session, item: OutboxItem) -> None:
    session.execute(delete(OutboxItem).where(OutboxItem.id == item.id))


def failed(
    session: Session, item: OutboxItem, error: str, *, now: Callable[[], datetime] = utcnow
) -> None:
    """Try again later, waiting twice as long after each failure."""
    item.attempts += 1
    item.last_error = error[:2000]
    item.available_at = now() + _RETRY_BASE * 2 ** (item.attempts - 1)
