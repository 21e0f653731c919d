"""Clerks' queues: a department's cases, filtered and sorted, a page at a time.

Keyset pagination: a page ends with a cursor naming its last case, and the next page
starts after it through the queue index (department, [procedure,] state, due_on, id), so
page 500 costs what page 1 costs, however many cases the database holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import Select, String, cast, select, tuple_
from sqlalchemy.orm import Session

from engine.storage.models import Submission

Sort = Literal["due", "newest", "oldest"]
SORTS: tuple[Sort, ...] = ("due", "newest", "oldest")
UNASSIGNED = "-"  # the assignee filter for cases nobody has
PAGE_SIZE = 50


@dataclass(frozen=True)
class QueueFilter:
    department: str
    procedure: str | None = None
    state: str | None = None
    assignee: str | None = None  # a user id, or UNASSIGNED
    due_before: date | None = None  # due on or before this day
    field: str | None = None  # a top-level answer (or a part: "address.city")...
    value: str | None = None  # ...equal to this stored value


@dataclass(frozen=True)
class QueuePage:
    cases: list[Submission]
    next_cursor: str | None  # None on the last page


def queue_page(
    session: Session,
    wanted: QueueFilter,
    *,
    sort: Sort = "due",
    after: str | None = None,
    limit: int = PAGE_SIZE,
) -> QueuePage:
    """One page of the queue; ``after`` is the previous page's ``next_cursor``.
    ValueError for a cursor that is not one of ours."""
    query = _filtered(wanted)
    query = _ordered(query, sort, _parse_cursor(after, sort))
    cases = list(session.scalars(query.limit(limit + 1)))
    more = len(cases) > limit
    cases = cases[:limit]
    return QueuePage(cases, _cursor(cases[-1], sort) if more and cases else None)


def _filtered(wanted: QueueFilter) -> Select[Submission]:
    query = select(Submission).where(Submission.department == wanted.department)
    if wanted.procedure:
        query = query.where(Submission.procedure == wanted.procedure)
    if wanted.state:
        query = query.where(Submission.state == wanted.state)
    if wanted.assignee == UNASSIGNED:
        query = query.where(Submission.assignee_user_id.is_(None))
    elif wanted.assignee:
        query = query.where(Submission.assignee_user_id == wanted.assignee)
    if wanted.due_before is not None:
        query = query.where(Submission.due_on <= wanted.due_before)
    if wanted.field and wanted.value is not None:
        path = tuple(wanted.field.split("."))
        stored = cast(Submission.answers[path].as_string(), String)
        query = query.where(stored == wanted.value)
    return query


def _ordered(
    query: Select[Submission], sort: Sort, cursor: tuple[Any, ...] | None
) -> Select[Submission]:
    if sort == "due":
        if cursor is not None:
            query = query.where(tuple_(Submission.due_on, Submission.id) > cursor)
        return query.order_by(Submission.due_on, Submission.id)
    if sort == "newest":
        if cursor is not None:
            query = query.where(Submission.id < cursor[0])
        return query.order_by(Submission.id.desc())
    if cursor is not None:
        query = query.where(Submission.id > cursor[0])
    return query.order_by(Submission.id)


def _cursor(last: Submission, sort: Sort) -> str:
    return f"{last.due_on.isoformat()}~{last.id}" if sort == "due" else str(last.id)


def _parse_cursor(text: str | None, sort: Sort) -> tuple[Any, ...] | None:
    if not text:
        return None
    try:
        if sort == "due":
            day, _, number = text.partition("~")
            return (date.fromisoformat(day), int(number))
        return (int(text),)
    except ValueError:
        raise ValueError(f"not a queue position: {text!r}") from None
