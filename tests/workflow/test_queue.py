"""Queues: filters, sorts and keyset pages that neither skip nor repeat a case."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from engine.storage.models import Submission
from engine.workflow.queue import UNASSIGNED, QueueFilter, Sort, queue_page
from engine.workflow.rules import Actor
from engine.workflow.service import WorkflowService
from tests.workflow.conftest import Clock, MakeCase

CLERK = Actor(kind="clerk", user_id="clerk-1", roles=frozenset({"clerk"}))
DEPARTMENT = "kodomo-katei"


def walk(db: Session, wanted: QueueFilter, sort: Sort, limit: int) -> list[list[int]]:
    pages, cursor = [], None
    while True:
        page = queue_page(db, wanted, sort=sort, after=cursor, limit=limit)
        pages.append([case.id for case in page.cases])
        cursor = page.next_cursor
        if cursor is None:
            return pages


@pytest.fixture
def cases(make_case: MakeCase, clock: Clock) -> list[Submission]:
    made = []
    for _ in range(7):
        made.append(make_case())
        clock.advance(days=1)
    return made


@pytest.mark.parametrize("sort", ["due", "newest", "oldest"])
def test_pages_cover_the_queue_once_in_order(
    db: Session, cases: list[Submission], sort: Sort
) -> None:
    wanted = QueueFilter(DEPARTMENT, procedure="childcare-enrollment")
    pages = walk(db, wanted, sort, limit=3)
    assert [len(p) for p in pages] == [3, 3, 1]
    ids = [i for page in pages for i in page]
    made = [c.id for c in cases]
    expected = sorted(made, reverse=True) if sort == "newest" else sorted(made)
    if sort == "due":
        expected = [c.id for c in sorted(cases, key=lambda c: (c.due_on, c.id))]
    assert ids == expected


def test_filters_narrow_the_queue(
    db: Session, cases: list[Submission], workflow: WorkflowService
) -> None:
    workflow.act(cases[0], "start_review", CLERK, expected_row_version=1)
    cases[1].assignee_user_id = "clerk-1"
    db.flush()

    def ids(wanted: QueueFilter) -> list[int]:
        return [c.id for c in queue_page(db, wanted).cases]

    assert ids(QueueFilter(DEPARTMENT, state="reviewing")) == [cases[0].id]
    assert ids(QueueFilter(DEPARTMENT, assignee="clerk-1")) == [cases[1].id]
    assert cases[1].id not in ids(QueueFilter(DEPARTMENT, assignee=UNASSIGNED))
    assert ids(QueueFilter(DEPARTMENT, due_before=cases[0].due_on)) == [cases[0].id]
    assert ids(QueueFilter(DEPARTMENT, procedure="bulky-waste")) == []
    assert queue_page(db, QueueFilter("another-department")).cases == []


def test_an_answer_field_filters_the_queue(db: Session, cases: list[Submission]) -> None:
    page = queue_page(db, QueueFilter(DEPARTMENT, field="reason", value=cases[0].answers["reason"]))
    assert len(page.cases) == len(cases)
    assert queue_page(db, QueueFilter(DEPARTMENT, field="reason", value="nothing")).cases == []


def test_a_forged_cursor_is_refused(db: Session) -> None:
    with pytest.raises(ValueError, match="not a queue position"):
        queue_page(db, QueueFilter(DEPARTMENT), after="2026-13-01~x")


def test_due_dates_sort_first(cases: list[Submission]) -> None:
    assert cases[0].due_on < cases[-1].due_on <= date(2027, 1, 31)
