"""Submitting: one submission per submit, whatever the retries; found again only by its
applicant; changed only by whoever saw its latest version."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from engine.definitions.loader import LoadedDefinition
from engine.storage import submissions as submissions_module
from engine.storage.drafts import DraftService
from engine.storage.errors import Conflict, NotFound
from engine.storage.files import AttachmentService, FilesystemStorage
from engine.storage.models import Draft, Submission
from engine.storage.references import new_reference, normalize_reference
from engine.storage.submissions import SubmissionService, SubmitResult
from tests.storage.conftest import normalised_answers

Submit = Callable[..., SubmitResult]


@pytest.fixture
def submit(
    drafts: DraftService,
    submissions: SubmissionService,
    version_id: str,
    childcare_loaded: LoadedDefinition,
) -> Submit:
    """Submit the reference answers, with a new draft unless one is given."""

    def submit(
        *, user_id: str | None = "user-1", key: str = "key-1", draft: Draft | None = None
    ) -> SubmitResult:
        if draft is None:
            draft, _ = drafts.start(version_id, user_id, "ja")
        return submissions.submit(
            draft,
            normalised_answers(childcare_loaded),
            idempotency_key=key,
            applicant_user_id=user_id,
            state="received",
            language="ja",
        )

    return submit


def count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Submission)) or 0


def test_a_submission_takes_the_draft_s_place(
    drafts: DraftService, submissions: SubmissionService, submit: Submit
) -> None:
    result = submit()
    submission = result.submission
    assert result.created
    assert result.access_code is None  # an account holder needs none
    assert normalize_reference(submission.reference) == submission.reference
    assert submission.procedure == "childcare-enrollment"
    assert submission.row_version == 1
    assert drafts.list_for_user("user-1") == []
    assert [event.kind for event in submissions.events_of(submission)] == ["submitted"]
    assert submissions.get_for_user(submission.public_id, "user-1") is submission
    assert submissions.list_for_user("user-1") == [submission]


def test_the_draft_s_attachments_become_the_submission_s(
    drafts: DraftService, version_id: str, submit: Submit, tmp_path: Path
) -> None:
    draft, _ = drafts.start(version_id, "user-1", "ja")
    attachments = AttachmentService(drafts.session, FilesystemStorage(tmp_path))
    blob = attachments.storage.put(io.BytesIO(b"%PDF-1.7"), max_bytes=100)
    attachments.add(
        draft_id=draft.id,
        field_path="employment_proof",
        blob=blob,
        media_type="application/pdf",
        original_name="proof.pdf",
        owner="user-1",
    )
    submission = submit(draft=draft).submission
    (attachment,) = attachments.for_submission(submission.id)
    assert attachment.draft_id is None
    assert attachments.for_draft(draft.id) == []


def test_my_number_is_never_stored_in_plain_text(
    db: Session, submissions: SubmissionService, childcare_loaded: LoadedDefinition, submit: Submit
) -> None:
    submission = submit().submission
    row = db.execute(text("SELECT answers FROM submissions WHERE id = :id"), {"id": submission.id})
    stored = row.scalar_one()
    stored_text = stored if isinstance(stored, str) else json.dumps(stored)
    assert "123456789018" not in stored_text
    assert json.loads(stored_text)["name"]["family"] == "髙橋"  # the rest stays readable
    assert submissions.answers_of(submission) == normalised_answers(childcare_loaded)


def test_submitting_twice_with_one_key_gives_one_submission(db: Session, submit: Submit) -> None:
    first = submit(user_id=None)
    again = submit(user_id=None)
    assert first.created
    assert first.access_code is not None
    assert not again.created
    assert again.access_code is None
    assert again.submission is first.submission
    assert count(db) == 1


def test_another_applicant_s_key_shows_nothing(submit: Submit) -> None:
    submit(user_id="user-1")
    with pytest.raises(Conflict):
        submit(user_id="user-2")


def test_one_draft_submitted_under_two_keys_is_refused(
    drafts: DraftService,
    submissions: SubmissionService,
    version_id: str,
    childcare_loaded: LoadedDefinition,
    submit: Submit,
) -> None:
    draft, _ = drafts.start(version_id, "user-1", "ja")
    answers = normalised_answers(childcare_loaded)
    options = {"applicant_user_id": "user-1", "state": "received", "language": "ja"}
    submissions.submit(draft, answers, idempotency_key="key-1", **options)
    with pytest.raises(Conflict, match="already submitted"):
        submissions.submit(draft, answers, idempotency_key="key-2", **options)


def test_a_taken_reference_is_drawn_again(
    db: Session, monkeypatch: pytest.MonkeyPatch, submit: Submit
) -> None:
    taken = submit().submission.reference
    fresh = new_reference()
    drawn = iter([taken, fresh])
    monkeypatch.setattr(submissions_module, "new_reference", lambda: next(drawn))
    second = submit(key="key-2")
    assert second.created
    assert second.submission.reference == fresh
    assert count(db) == 2


def test_an_anonymous_applicant_finds_it_by_reference_and_access_code(
    submissions: SubmissionService, submit: Submit
) -> None:
    result = submit(user_id=None)
    reference, code = result.submission.reference, result.access_code
    assert code is not None
    typed = reference.lower().replace("-", " ")
    assert submissions.get_by_reference(typed, code.lower()) is result.submission
    wrong = [
        (reference, "22222-22222"),
        (new_reference(), code),
        ("MD-???", code),
        (reference, ""),
    ]
    for wrong_reference, wrong_code in wrong:
        with pytest.raises(NotFound, match="no such submission"):
            submissions.get_by_reference(wrong_reference, wrong_code)


def test_an_account_holder_s_submission_is_not_found_by_reference(
    submissions: SubmissionService, submit: Submit
) -> None:
    submission = submit().submission
    with pytest.raises(NotFound):
        submissions.get_by_reference(submission.reference, "")
    with pytest.raises(NotFound):
        submissions.get_for_user(submission.public_id, "user-2")
