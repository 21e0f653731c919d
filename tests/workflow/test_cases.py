"""Around a case: assignment, messages and notes, corrections with their diff."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from engine.storage import events
from engine.storage.crypto import FernetAnswerCipher
from engine.storage.errors import StaleSubmission
from engine.storage.models import Submission
from engine.workflow.cases import MASK, CaseService
from engine.workflow.rules import Actor, Refused
from engine.workflow.service import WorkflowService
from tests.workflow.conftest import Clock, MakeCase

CLERK = Actor(kind="clerk", user_id="clerk-1", roles=frozenset({"clerk"}))
APPLICANT = Actor(kind="applicant", user_id="citizen-1")


@pytest.fixture
def cases(db: Session, cipher: FernetAnswerCipher, clock: Clock) -> CaseService:
    return CaseService(db, cipher, clock=clock)


def in_correction(workflow: WorkflowService, case: Submission, fields: list[str]) -> None:
    workflow.act(case, "start_review", CLERK, expected_row_version=1)
    workflow.act(
        case,
        "request_correction",
        CLERK,
        expected_row_version=2,
        comment="直してください",
        correction_fields=fields,
    )


def test_assigning_records_who_has_the_case(
    db: Session, cases: CaseService, make_case: MakeCase
) -> None:
    case = make_case()
    cases.assign(case, "clerk-1", CLERK, expected_row_version=1)
    assert (case.assignee_user_id, case.row_version) == ("clerk-1", 2)
    with pytest.raises(StaleSubmission):
        cases.assign(case, None, CLERK, expected_row_version=1)
    last = events.for_submission(db, case.id)[-1]
    assert (last.kind, last.data) == ("assigned", {"from": None, "to": "clerk-1"})


def test_notes_stay_inside_the_office(cases: CaseService, make_case: MakeCase) -> None:
    case = make_case()
    cases.post(case, "to_applicant", CLERK, "証明書を添付してください")
    cases.post(case, "note", CLERK, "前回も同じ不備あり")
    cases.post(case, "from_applicant", APPLICANT, "添付しました")
    assert [m.kind for m in cases.messages(case, internal=True)] == [
        "to_applicant",
        "note",
        "from_applicant",
    ]
    assert [m.body for m in cases.messages(case, internal=False)] == [
        "証明書を添付してください",
        "添付しました",
    ]


@pytest.mark.parametrize("body", ["", "   ", "あ" * 4001])
def test_an_empty_or_overlong_message_is_refused(
    cases: CaseService, make_case: MakeCase, body: str
) -> None:
    with pytest.raises(ValueError, match="1 to 4000"):
        cases.post(make_case(), "note", CLERK, body)


def test_a_correction_changes_only_what_was_asked_and_records_the_diff(
    db: Session,
    cases: CaseService,
    workflow: WorkflowService,
    make_case: MakeCase,
    cipher: FernetAnswerCipher,
) -> None:
    case = make_case()
    in_correction(workflow, case, ["phone"])
    before = cipher.decrypt(case.answers, ["my_number"])
    forged = {**before, "phone": "090-1234-9999", "reason": "seeking"}
    with pytest.raises(Refused, check=lambda e: e.code == "field_not_editable"):
        cases.amend(case, forged, APPLICANT, expected_row_version=3)
    assert cipher.decrypt(case.answers, ["my_number"]) == before
    changes = cases.amend(
        case, {**before, "phone": "090-1234-9999"}, APPLICANT, expected_row_version=3
    )
    assert changes == [{"field": "phone", "before": before["phone"], "after": "090-1234-9999"}]
    assert events.for_submission(db, case.id)[-1].kind == "answers_changed"


def test_sensitive_answers_are_masked_in_the_diff(
    cases: CaseService, workflow: WorkflowService, make_case: MakeCase, cipher: FernetAnswerCipher
) -> None:
    case = make_case()
    in_correction(workflow, case, [])
    answers = cipher.decrypt(case.answers, ["my_number"])
    changes = cases.amend(
        case, {**answers, "my_number": "111111111118"}, APPLICANT, expected_row_version=3
    )
    assert changes == [{"field": "my_number", "before": MASK, "after": MASK}]


def test_answers_cannot_change_outside_a_correction(
    cases: CaseService, make_case: MakeCase
) -> None:
    case = make_case()
    with pytest.raises(Refused, check=lambda e: e.code == "not_editable"):
        cases.amend(case, {}, APPLICANT, expected_row_version=1)
