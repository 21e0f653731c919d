from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from engine.definitions.loader import load_definition
from engine.storage.crypto import FernetAnswerCipher, generate_key
from engine.storage.definitions import DefinitionStore
from engine.storage.drafts import DraftService
from engine.storage.models import Submission
from engine.storage.submissions import SubmissionService
from engine.workflow.calendar import BusinessCalendar
from engine.workflow.service import WorkflowService
from tests.conftest import FORMS
from tests.storage.conftest import normalised_answers

# Thursday 2026-11-26, 10:00 in Tokyo.
NOW = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
CALENDAR = BusinessCalendar.from_spec(None)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="session")
def cipher() -> FernetAnswerCipher:
    return FernetAnswerCipher(generate_key())


@pytest.fixture
def workflow(db: Session, cipher: FernetAnswerCipher, clock: Clock) -> WorkflowService:
    return WorkflowService(db, cipher, CALENDAR, clock=clock)


MakeCase = Callable[..., Submission]


@pytest.fixture
def make_case(
    db: Session, cipher: FernetAnswerCipher, clock: Clock, workflow: WorkflowService
) -> MakeCase:
    """A submitted case of a demo procedure, by ``applicant`` (None: anonymous)."""

    def make(
        procedure: str = "childcare-enrollment", applicant: str | None = "citizen-1"
    ) -> Submission:
        loaded = load_definition(FORMS / f"{procedure}.yaml")
        store = DefinitionStore(db)
        store.publish_all([loaded])
        version_id = store.latest(procedure)[0]
        draft, _ = DraftService(db, timedelta(days=30), cipher=cipher).start(
            version_id, applicant, "ja"
        )
        answers = normalised_answers(loaded) if procedure == "childcare-enrollment" else {}
        submissions = SubmissionService(db, cipher, calendar=CALENDAR, clock=clock)
        result = submissions.submit(
            draft,
            answers,
            idempotency_key=f"test:{draft.id}",
            applicant_user_id=applicant,
            state=loaded.definition.workflow.start,
            language="ja",
        )
        workflow.start(result.submission)
        db.flush()
        return result.submission

    return make
