from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from engine.answers import to_jsonable, validate_answers
from engine.definitions.loader import LoadedDefinition, load_definition
from engine.storage.crypto import FernetAnswerCipher, generate_key
from engine.storage.definitions import DefinitionStore
from engine.storage.drafts import DraftService
from engine.storage.submissions import SubmissionService
from engine.workflow.calendar import BusinessCalendar
from tests.conftest import FORMS, TODAY, childcare_answers

TTL = timedelta(days=30)


@pytest.fixture(scope="session")
def childcare_loaded() -> LoadedDefinition:
    return load_definition(FORMS / "childcare-enrollment.yaml")


@pytest.fixture
def version_id(db: Session, childcare_loaded: LoadedDefinition) -> str:
    """The reference procedure, published in the test's database."""
    store = DefinitionStore(db)
    store.publish_all([childcare_loaded])
    return store.latest("childcare-enrollment")[0]


@pytest.fixture(scope="session")
def cipher() -> FernetAnswerCipher:
    return FernetAnswerCipher(generate_key())


@pytest.fixture
def drafts(db: Session, cipher: FernetAnswerCipher) -> DraftService:
    return DraftService(db, TTL, cipher=cipher)


@pytest.fixture
def submissions(db: Session, cipher: FernetAnswerCipher) -> SubmissionService:
    return SubmissionService(db, cipher, calendar=BusinessCalendar.from_spec(None))


def normalised_answers(loaded: LoadedDefinition) -> dict[str, Any]:
    """The reference answers as validation hands them to ``submit``."""
    result = validate_answers(loaded.definition, childcare_answers(), today=TODAY)
    assert not result.errors
    answers: dict[str, Any] = to_jsonable(result.answers)
    return answers
