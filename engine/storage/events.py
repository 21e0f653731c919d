"""The audit log: what happened, to which submission, by whom, in order.

Append-only twice over: the database refuses UPDATE and DELETE on the table, and every
entry carries a SHA-256 hash of its content chained to the previous entry's, so that
someone able to bypass the triggers (a database superuser) cannot alter, insert or
remove an entry without ``verify`` naming the first entry that no longer fits.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Row, Table, insert, select, update
from sqlalchemy.orm import Session

from engine.storage.models import AuditHead, Event, utcnow

GENESIS = "0" * 64  # the "previous hash" of the first entry
_HEAD_ID = 1
_BATCH = 1000


def entry_hash(  # noqa: PLR0913 -- keyword-only: every hashed field, by name
    previous: str,
    *,
    seq: int,
    submission_id: int | None,
    kind: str,
    actor: str,
    data: dict[str, Any],
    created_at: datetime,
) -> str:
    """The chained hash of one entry. Part of the stored record's meaning: changing it
    breaks every existing chain (migrations/versions/0004_workflow.py has a copy)."""
    content = json.dumps(
        [seq, submission_id, kind, actor, data, created_at.isoformat(timespec="microseconds")],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(f"{previous}\n{content}".encode()).hexdigest()


def append(  # noqa: PLR0913 -- keyword-only: each part of the entry, by name
    session: Session,
    kind: str,
    *,
    submission_id: int | None,
    actor: str,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> int:
    """Record an entry in the caller's transaction (it is kept only if that commits) and
    return its id. Locks the chain's end until that transaction ends: call it late."""
    connection = session.connection()
    head = cast(Table, AuditHead.__table__)
    seq, previous = connection.execute(
        select(head.c.seq, head.c.hash).where(head.c.id == _HEAD_ID).with_for_update()
    ).one()
    seq += 1
    values = {
        "seq": seq,
        "submission_id": submission_id,
        "kind": kind,
        "actor": actor,
        "data": data or {},
        "created_at": at or utcnow(),
    }
    digest = entry_hash(previous, **values)
    events = cast(Table, Event.__table__)
    event_id = connection.execute(
        insert(events).values(hash=digest, **values).returning(events.c.id)
    ).scalar_one()
    connection.execute(update(head).where(head.c.id == _HEAD_ID).values(seq=seq, hash=digest))
    return int(event_id)


def for_submission(session: Session, submission_id: int) -> list[Event]:
    """The submission's entries, oldest first."""
    query = select(Event).where(Event.submission_id == submission_id).order_by(Event.seq)
    return list(session.scalars(query))


@dataclass(frozen=True)
class Verification:
    checked: int
    # The first entry that does not fit the chain, and why; None if the chain is intact.
    broken_at: int | None = None  # the entry's seq (or the head's, for a cut-off end)
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify(session: Session) -> Verification:
    """Walk the chain from the first entry and check every hash, that no seq is missing,
    and that the chain's end is where the head says."""
    previous, expected_seq, checked = GENESIS, 1, 0
    for event in _in_order(session):
        if event.seq != expected_seq:
            return Verification(checked, expected_seq, f"entry {expected_seq} is missing")
        recomputed = entry_hash(
            previous,
            seq=event.seq,
            submission_id=event.submission_id,
            kind=event.kind,
            actor=event.actor,
            data=event.data,
            created_at=event.created_at,
        )
        if recomputed != event.hash:
            return Verification(checked, event.seq, f"entry {event.seq} was altered")
        previous, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    head = session.get(AuditHead, _HEAD_ID)
    if head is None or head.seq != checked or head.hash != previous:
        return Verification(checked, checked + 1, f"entries after {checked} were removed")
    return Verification(checked)


def _in_order(session: Session) -> Iterator[Row[Any]]:
    # Plain rows in batches: a long log never sits in the session's identity map.
    events = cast(Table, Event.__table__)
    after = 0
    while True:
        query = select(events).where(events.c.seq > after).order_by(events.c.seq)
        batch = list(session.execute(query.limit(_BATCH)))
        yield from batch
        if len(batch) < _BATCH:
            return
        after = batch[-1].seq
