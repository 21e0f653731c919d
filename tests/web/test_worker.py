"""The worker: applicants' mails from the outbox, timers, and `madoguchi audit verify`."""

from __future__ import annotations

import secrets
from datetime import timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from auth.clerks import ClerkService
from engine.storage import events
from engine.storage.models import Submission
from engine.storage.outbox import OutboxItem
from engine.workflow.cases import CaseService
from engine.workflow.models import Timer
from engine.workflow.rules import Actor
from engine.workflow.service import NOTIFY, NOTIFY_STAFF, WorkflowService
from madoguchi.cli import main
from madoguchi.web.services import Services
from madoguchi.worker import Worker
from tests.conftest import FORMS, childcare_answers
from tests.web.conftest import outbox
from tests.web.flows import PASSWORD, complete, sign_up_and_in
from tests.web.test_citizen_path import definition_of

CLERK = Actor(kind="clerk", user_id="worker-test-clerk", roles=frozenset({"clerk"}))


@pytest.fixture
def case(client: TestClient, services: Services) -> tuple[str, str]:
    """A signed-in citizen's childcare application: (their email, the reference)."""
    email = f"citizen-{secrets.token_hex(4)}@example.jp"
    sign_up_and_in(client, outbox(services), email)
    submitted = complete(
        client, definition_of(services, "childcare-enrollment"), childcare_answers()
    )
    return email, submitted.reference


def _move(services: Services, reference: str, *actions: str, comment: str = "") -> Submission:
    with services.db() as db:
        submission = db.scalars(select(Submission).where(Submission.reference == reference)).one()
        workflow = WorkflowService(db, services.cipher, services.calendar)
        for action in actions:
            workflow.act(
                submission,
                action,
                CLERK,
                expected_row_version=submission.row_version,
                comment=comment or None,
            )
        db.commit()
        return submission


def test_a_step_mails_the_applicant_once_in_their_language(
    services: Services, case: tuple[str, str]
) -> None:
    email, reference = case
    _move(services, reference, "start_review")
    Worker(services).run_once()
    Worker(services).run_once()  # nothing left to send: no second mail
    mine = [m for m in mails(services) if m["to"] == email and reference in body(m)]
    assert len(mine) == 1
    assert "審査中" in body(mine[0])
    with services.db() as db:
        notices = select(OutboxItem).where(OutboxItem.kind.in_([NOTIFY, NOTIFY_STAFF]))
        assert db.scalars(notices).all() == []


def mails(services: Services) -> list[EmailMessage]:
    parsed = []
    for path in outbox(services).glob("*.eml"):
        message = message_from_bytes(path.read_bytes(), policy=default)
        assert isinstance(message, EmailMessage)
        parsed.append(message)
    return parsed


def body(message: EmailMessage) -> str:
    return str(message.get_content())


def test_a_lapse_timer_fires_from_the_worker_once(
    services: Services, case: tuple[str, str]
) -> None:
    _, reference = case
    submission = _move(
        services, reference, "start_review", "request_correction", comment="写真を添付してください"
    )
    with services.db() as db:
        timer = db.scalars(select(Timer).where(Timer.submission_id == submission.id)).one()
        due_at = timer.due_at
    worker = Worker(services)

    def state() -> str:
        with services.db() as db:
            found = db.get(Submission, submission.id)
            assert found is not None
            return found.state

    worker.run_once(due_at - timedelta(seconds=1))  # other tests' timers may fire: not ours
    assert state() == "correction"
    worker.run_once(due_at)
    assert state() == "withdrawn"
    with services.db() as db:
        assert db.scalars(select(Timer).where(Timer.submission_id == submission.id)).all() == []
        history = events.for_submission(db, submission.id)
    assert [e.data.get("action") for e in history].count("lapse") == 1


def test_audit_verify_says_the_chain_is_intact(
    services: Services, case: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = ["audit", "verify", "--data", str(services.settings.data)]
    arguments += ["--database-url", services.settings.database(), "--forms", str(FORMS)]
    assert main(arguments) == 0
    assert capsys.readouterr().out.startswith("ok: ")


def test_the_office_hears_when_the_applicant_writes(
    services: Services, case: tuple[str, str]
) -> None:
    _, reference = case
    with services.db() as db:
        submission = db.scalars(select(Submission).where(Submission.reference == reference)).one()
        clerks = ClerkService(db, services.mailer, services.settings.base_url, services.cipher)
        mine = f"clerk-{secrets.token_hex(3)}@city.example.jp"
        user = clerks.add(mine, memberships=[("kodomo-katei", "clerk")], password=PASSWORD)
        submission.assignee_user_id = user.id
        applicant = Actor(kind="applicant", user_id=submission.applicant_user_id)
        CaseService(db, services.cipher).post(submission, "from_applicant", applicant, "質問です")
        db.commit()
    Worker(services).run_once()
    # (Messages of other tests' unassigned cases go to every clerk of the department.)
    to_clerk = [m for m in mails(services) if m["to"] == mine and reference in body(m)]
    assert len(to_clerk) == 1
    assert "/console/cases/" in body(to_clerk[0])
