"""Running workflows: who may take which step, votes, corrections, timers, due dates, and
the audit trail they leave."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from engine.documents import requests as documents
from engine.storage import events
from engine.storage.errors import StaleSubmission
from engine.storage.models import NO_DUE_DATE, Submission
from engine.storage.outbox import OutboxItem
from engine.workflow.models import Timer
from engine.workflow.rules import Actor, Refused
from engine.workflow.service import NOTIFY, WorkflowService
from tests.workflow.conftest import Clock, MakeCase

CLERK = Actor(kind="clerk", user_id="clerk-1", roles=frozenset({"clerk"}))
OTHER_CLERK = Actor(kind="clerk", user_id="clerk-2", roles=frozenset({"clerk"}))
CHIEF = Actor(kind="clerk", user_id="chief-1", roles=frozenset({"section_chief"}))
APPLICANT = Actor(kind="applicant", user_id="citizen-1")


def refused(code: str) -> pytest.RaisesExc[Refused]:
    return pytest.raises(Refused, check=lambda error: error.code == code)


def test_a_new_case_is_received_with_its_department_and_due_date(make_case: MakeCase) -> None:
    case = make_case()
    assert (case.state, case.department, case.state_round) == ("received", "kodomo-katei", 1)
    # 20 business days from Thursday 2026-11-26, not counting that day (初日不算入).
    assert case.due_on == date(2026, 12, 24)


def test_a_clerk_moves_the_case_and_the_applicant_is_told(
    db: Session, workflow: WorkflowService, make_case: MakeCase
) -> None:
    case = make_case()
    outcome = workflow.act(case, "start_review", CLERK, expected_row_version=1)
    assert (outcome.state, outcome.moved, case.row_version) == ("reviewing", True, 2)
    assert case.last_actor == "clerk-1"
    notices = db.scalars(select(OutboxItem).where(OutboxItem.kind == NOTIFY)).all()
    assert [n.payload for n in notices] == [
        {"submission_id": case.id, "kind": "state_changed", "state": "reviewing"}
    ]
    history = [(e.kind, e.actor, e.data) for e in events.for_submission(db, case.id)]
    assert history[-1] == (
        "state_changed",
        "clerk-1",
        {"action": "start_review", "from": "received", "to": "reviewing"},
    )


@pytest.mark.parametrize(
    ("actor", "action", "code"),
    [
        (APPLICANT, "start_review", "not_your_role"),  # a forged step by the citizen
        (CHIEF, "start_review", "not_your_role"),  # a role the step is not for
        (Actor(kind="clerk", user_id="x", roles=frozenset()), "start_review", "not_your_role"),
        (CLERK, "approve", "wrong_state"),
        (CLERK, "lapse", "wrong_state"),
        (CLERK, "no_such_step", "unknown_action"),
    ],
)
def test_steps_out_of_turn_are_refused_and_change_nothing(  # noqa: PLR0917 -- fixtures + parameters
    db: Session,
    workflow: WorkflowService,
    make_case: MakeCase,
    actor: Actor,
    action: str,
    code: str,
) -> None:
    case = make_case()
    before = len(events.for_submission(db, case.id))
    with refused(code):
        workflow.act(case, action, actor, expected_row_version=1)
    assert (case.state, case.row_version) == ("received", 1)
    assert len(events.for_submission(db, case.id)) == before


def test_a_timer_step_cannot_be_taken_by_hand(
    workflow: WorkflowService, make_case: MakeCase
) -> None:
    case = make_case()
    workflow.act(case, "start_review", CLERK, expected_row_version=1)
    workflow.act(case, "request_correction", CLERK, expected_row_version=2, comment="写真")
    with refused("automatic"):
        workflow.act(case, "lapse", CLERK, expected_row_version=3)


def test_a_stale_row_version_is_refused(workflow: WorkflowService, make_case: MakeCase) -> None:
    case = make_case()
    workflow.act(case, "start_review", CLERK, expected_row_version=1)
    with pytest.raises(StaleSubmission):
        workflow.act(case, "withdraw", APPLICANT, expected_row_version=1)
    assert case.state == "reviewing"


def test_a_change_made_meanwhile_by_someone_else_is_not_overwritten(
    db: Session, workflow: WorkflowService, make_case: MakeCase
) -> None:
    case = make_case()
    # Another clerk's transaction, as the database sees it: the row moved on under us.
    db.execute(
        text("UPDATE submissions SET state = 'reviewing', row_version = 2 WHERE id = :id"),
        {"id": case.id},
    )
    with pytest.raises(StaleSubmission):
        workflow.act(case, "start_review", CLERK, expected_row_version=1)
    db.refresh(case)
    assert (case.state, case.row_version) == ("reviewing", 2)


def test_a_closed_case_takes_no_more_steps(workflow: WorkflowService, make_case: MakeCase) -> None:
    case = make_case()
    workflow.act(case, "withdraw", APPLICANT, expected_row_version=1)
    with refused("case_closed"):
        workflow.act(case, "start_review", CLERK, expected_row_version=2)


def test_a_required_comment_must_be_given(workflow: WorkflowService, make_case: MakeCase) -> None:
    case = make_case()
    workflow.act(case, "start_review", CLERK, expected_row_version=1)
    with refused("comment_required"):
        workflow.act(case, "request_correction", CLERK, expected_row_version=2, comment="  ")
    assert case.state == "reviewing"


def test_four_eyes_need_a_second_person(workflow: WorkflowService, make_case: MakeCase) -> None:
    case = make_case()
    both = Actor(kind="clerk", user_id="clerk-1", roles=frozenset({"clerk", "section_chief"}))
    workflow.act(case, "start_review", both, expected_row_version=1)
    workflow.act(case, "recommend", both, expected_row_version=2)
    assert [t.action for t in workflow.available(case, both)] == ["reject"]
    with refused("four_eyes"):
        workflow.act(case, "approve", both, expected_row_version=3)
    workflow.act(case, "approve", CHIEF, expected_row_version=3)
    assert case.state == "approved"


def test_nobody_acts_on_their_own_submission(
    workflow: WorkflowService, make_case: MakeCase
) -> None:
    case = make_case(applicant="clerk-1")
    assert workflow.available(case, CLERK) == []
    with refused("own_submission"):
        workflow.act(case, "start_review", CLERK, expected_row_version=1)


def test_the_buttons_are_the_steps_the_actor_may_take(
    workflow: WorkflowService, make_case: MakeCase
) -> None:
    case = make_case()
    assert [t.action for t in workflow.available(case, CLERK)] == ["start_review"]
    assert [t.action for t in workflow.available(case, APPLICANT)] == ["withdraw"]
    assert workflow.available(case, CHIEF) == []


def test_a_correction_pauses_the_clock_and_resubmitting_restarts_it(
    workflow: WorkflowService, make_case: MakeCase, clock: Clock
) -> None:
    case = make_case()
    workflow.act(case, "start_review", CLERK, expected_row_version=1)
    workflow.act(
        case,
        "request_correction",
        CLERK,
        expected_row_version=2,
        comment="在職証明書の日付を確認してください",
        correction_fields=["employment_certificate"],
    )
    assert case.correction_fields == ["employment_certificate"]
    assert case.due_on == NO_DUE_DATE  # paused: not known until the applicant answers
    clock.advance(days=7)  # Thursday 12-03: Thu to Wed were paused
    workflow.act(case, "resubmit", APPLICANT, expected_row_version=3)
    assert case.correction_fields is None
    # Day 1 is the first day after the pause (12-04): every day it touched is skipped,
    # and the year-end closure 12-29..01-03 is not counted either.
    assert case.due_on == date(2027, 1, 6)


def test_a_timer_fires_once_when_its_time_comes(
    db: Session, make_case: MakeCase, workflow: WorkflowService, clock: Clock
) -> None:
    case = make_case()
    workflow.act(case, "start_review", CLERK, expected_row_version=1)
    workflow.act(case, "request_correction", CLERK, expected_row_version=2, comment="写真")
    timer = db.scalars(select(Timer).where(Timer.submission_id == case.id)).one()
    assert workflow.fire_due_timers(clock.now) == 0
    assert workflow.fire_due_timers(timer.due_at) == 1
    assert (case.state, case.last_actor) == ("withdrawn", "system")
    assert workflow.fire_due_timers(timer.due_at) == 0
    assert db.scalars(select(Timer).where(Timer.submission_id == case.id)).all() == []


def test_a_timer_of_a_state_left_earlier_never_fires(
    db: Session, make_case: MakeCase, workflow: WorkflowService, clock: Clock
) -> None:
    case = make_case()
    workflow.act(case, "start_review", CLERK, expected_row_version=1)
    workflow.act(case, "request_correction", CLERK, expected_row_version=2, comment="写真")
    workflow.act(case, "resubmit", APPLICANT, expected_row_version=3)
    clock.advance(days=90)
    assert workflow.fire_due_timers(clock.now) == 0
    assert case.state == "reviewing"


INSPECTORS = {
    "health": Actor(kind="clerk", user_id="insp-h", roles=frozenset({"health_inspector"})),
    "fire": Actor(kind="clerk", user_id="insp-f", roles=frozenset({"fire_inspector"})),
}
RESTAURANT_CLERK = Actor(kind="clerk", user_id="clerk-r", roles=frozenset({"clerk"}))


def _to_inspection(workflow: WorkflowService, case: Submission) -> None:
    workflow.act(case, "start_review", RESTAURANT_CLERK, expected_row_version=1)
    workflow.act(case, "accept_documents", RESTAURANT_CLERK, expected_row_version=2)


def test_parallel_approvals_fire_when_every_role_approved(
    db: Session, make_case: MakeCase, workflow: WorkflowService
) -> None:
    case = make_case("restaurant-permit")
    _to_inspection(workflow, case)
    first = workflow.act(case, "pass_inspection", INSPECTORS["health"], expected_row_version=3)
    assert (first.moved, first.vote, case.state) == (False, "health_inspector", "inspection")
    assert workflow.available(case, INSPECTORS["health"]) == []  # has voted
    with refused("already_voted"):
        workflow.act(case, "pass_inspection", INSPECTORS["health"], expected_row_version=4)
    second = workflow.act(case, "pass_inspection", INSPECTORS["fire"], expected_row_version=4)
    assert (second.moved, case.state) == (True, "decision")
    kinds = [e.kind for e in events.for_submission(db, case.id)]
    assert kinds[-3:] == ["vote", "vote", "state_changed"]


def test_a_rejecting_vote_takes_the_reject_path(
    make_case: MakeCase, workflow: WorkflowService
) -> None:
    case = make_case("restaurant-permit")
    _to_inspection(workflow, case)
    outcome = workflow.act(
        case,
        "pass_inspection",
        INSPECTORS["fire"],
        expected_row_version=3,
        decision="reject",
        comment="避難経路に物が置かれています",
    )
    assert (outcome.moved, case.state) == (True, "improvement")
    # A new visit to the inspection votes afresh.
    workflow.act(
        case,
        "request_reinspection",
        Actor(kind="applicant", user_id="citizen-1"),
        expected_row_version=case.row_version,
    )
    assert case.state == "inspection"
    assert workflow.available(case, INSPECTORS["fire"])[0].action == "pass_inspection"


def test_documents_are_asked_for_on_submission_and_on_a_decision(
    db: Session, workflow: WorkflowService, make_case: MakeCase
) -> None:
    case = make_case()
    assert documents.pending(db, case) == ["receipt"]
    workflow.act(case, "start_review", CLERK, expected_row_version=1)
    workflow.act(case, "recommend", CLERK, expected_row_version=2)
    workflow.act(case, "approve", CHIEF, expected_row_version=3)
    assert sorted(documents.pending(db, case)) == ["decision_notice", "receipt"]
    rounds = {
        item.payload["name"]: item.payload["round"]
        for item in db.scalars(select(OutboxItem).where(OutboxItem.kind == documents.ISSUE))
        if item.payload["submission_id"] == case.id
    }
    assert rounds == {"receipt": 1, "decision_notice": 4}
