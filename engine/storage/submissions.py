"""Submissions: a draft's answers, validated and normalised, handed in under a reference.

Exactly one submission per idempotency key, however many times (and however
concurrently) the same submit arrives: the unique constraint decides, not a prior read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, delete, select, update
from sqlalchemy.orm import Session, make_transient_to_detached

from engine.answers import to_jsonable
from engine.definitions.models import Definition
from engine.storage import events
from engine.storage.crypto import AnswerCipher
from engine.storage.db import dialect_insert
from engine.storage.definitions import DefinitionStore
from engine.storage.errors import Conflict, NotFound
from engine.storage.models import Attachment, Draft, Event, Submission, new_id, utcnow
from engine.storage.references import (
    hash_access_code,
    new_access_code,
    new_reference,
    normalize_reference,
    verify_access_code,
)
from engine.workflow.calendar import BusinessCalendar
from engine.workflow.service import due_on

ANONYMOUS = "anonymous"  # the actor of events caused by an applicant without an account
_KEY_LENGTH = 128  # the column's length
_REFERENCE_ATTEMPTS = 5  # with a million stored, a draw collides once in 500,000


@dataclass(frozen=True)
class SubmitResult:
    submission: Submission
    access_code: str | None  # for an anonymous applicant, shown once; None if not created
    created: bool  # False: this idempotency key had already submitted


class SubmissionService:
    def __init__(
        self,
        session: Session,
        cipher: AnswerCipher,
        *,
        calendar: BusinessCalendar | None = None,  # to submit: it sets the due date
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.session = session
        self.cipher = cipher
        self.calendar = calendar
        self.clock = clock

    def submit(  # noqa: PLR0913 -- keyword-only: each call names what it passes
        self,
        draft: Draft,
        answers: dict[str, Any],
        *,
        idempotency_key: str,
        applicant_user_id: str | None,
        state: str,
        language: str,
    ) -> SubmitResult:
        """Turn ``draft`` into a submission of ``answers`` (normalised, as validation made
        them): its attachments become the submission's, the draft is deleted and a
        "submitted" event recorded, all in the caller's transaction.

        The same ``idempotency_key`` again returns the first submission (created=False,
        no access code). Conflict if the key is someone else's, or if the draft was
        submitted meanwhile under another key: then roll the transaction back."""
        if not 0 < len(idempotency_key) <= _KEY_LENGTH:
            raise ValueError(f"an idempotency key has 1 to {_KEY_LENGTH} characters")
        definition = DefinitionStore(self.session).load(draft.definition_version_id).definition
        fields = {
            "definition_version_id": draft.definition_version_id,
            "procedure": definition.procedure,
            "department": definition.department,
            "applicant_user_id": applicant_user_id,
            "answers": self.cipher.encrypt(to_jsonable(answers), definition.sensitive_paths()),
            "state": state,
            "language": language,
            "idempotency_key": idempotency_key,
        }
        for _ in range(_REFERENCE_ATTEMPTS):
            submission, code = self._new(definition, fields)
            if self._insert(submission):
                self._finish(draft, submission)
                return SubmitResult(submission, code, created=True)
            existing = self.by_idempotency_key(idempotency_key, applicant_user_id)
            if existing is not None:  # this key submitted before (a replay, or a race)
                return SubmitResult(existing, None, created=False)
        raise Conflict("could not find a free reference number")

    def _new(self, definition: Definition, fields: dict[str, Any]) -> tuple[Submission, str | None]:
        """A submission under a fresh reference, and its access code if it needs one."""
        if self.calendar is None:
            raise RuntimeError("submitting needs the business calendar, for the due date")
        now = self.clock()
        reference = new_reference()
        code = new_access_code() if fields["applicant_user_id"] is None else None
        hashed = None if code is None else hash_access_code(code, reference)
        submission = Submission(
            public_id=new_id(),
            reference=reference,
            access_code_hash=hashed,
            submitted_at=now,
            updated_at=now,
            state_entered_at=now,
            state_round=1,
            due_on=due_on(definition, now, [], self.calendar),
            row_version=1,
            **fields,
        )
        return submission, code

    def _insert(self, submission: Submission) -> bool:
        """Insert unless a unique value (key or reference) is taken: False then. One
        statement, no savepoint: INSERT ... ON CONFLICT DO NOTHING RETURNING id."""
        columns = Submission.__table__.columns
        values = {c.key: getattr(submission, c.key) for c in columns if c.key != "id"}
        statement = dialect_insert(self.session, Submission.__table__).values(values)
        inserted = self.session.execute(
            statement.on_conflict_do_nothing().returning(Submission.id)
        ).scalar()
        if inserted is None:
            return False
        submission.id = inserted
        # The row exists: let the session track the object as loaded, without a SELECT.
        make_transient_to_detached(submission)
        self.session.add(submission)
        return True

    def _finish(self, draft: Draft, submission: Submission) -> None:
        connection = self.session.connection()
        # The attachments move first: deleting the draft would detach them (SET NULL).
        attachments = cast(Table, Attachment.__table__)
        connection.execute(
            update(attachments)
            .where(attachments.c.draft_id == draft.id)
            .values(submission_id=submission.id, draft_id=None)
        )
        # Deleting the draft is the guard against two submits of one draft under two keys:
        # the second waits for the first's row lock, then finds nothing to delete.
        drafts = cast(Table, Draft.__table__)
        deleted = connection.execute(delete(drafts).where(drafts.c.id == draft.id))
        if deleted.rowcount != 1:
            raise Conflict("the draft was already submitted")
        if draft in self.session:
            self.session.expunge(draft)
        actor = submission.applicant_user_id or ANONYMOUS
        data = {"reference": submission.reference, "state": submission.state}
        events.append(
            self.session,
            "submitted",
            submission_id=submission.id,
            actor=actor,
            data=data,
            at=submission.submitted_at,
        )

    def by_idempotency_key(self, key: str, applicant_user_id: str | None) -> Submission | None:
        """The submission made with ``key``, if any. Conflict if it is another applicant's:
        a key is no way to look at someone else's submission."""
        submission = self.session.scalar(
            select(Submission).where(Submission.idempotency_key == key)
        )
        if submission is not None and submission.applicant_user_id != applicant_user_id:
            raise Conflict("idempotency key already used")
        return submission

    def get_for_user(self, public_id: str, user_id: str) -> Submission:
        return self.get_for_applicant(public_id, user_id=user_id, granted=None)

    def get_for_applicant(
        self, public_id: str, *, user_id: str | None, granted: str | None
    ) -> Submission:
        """The submission ``public_id`` names, if the caller is its applicant: the account
        that owns it, or a browser its reference number and access code were given in
        (``granted``, the public id that browser's session remembers). Else NotFound."""
        submission = self.session.scalar(
            select(Submission).where(Submission.public_id == public_id)
        )
        if submission is None:
            raise NotFound("no such submission")
        owner = user_id is not None and submission.applicant_user_id == user_id
        if not owner and granted != public_id:
            raise NotFound("no such submission")
        return submission

    def get_by_reference(self, reference: str, access_code: str) -> Submission:
        """An anonymous applicant's submission. A wrong reference and a wrong code give the
        same NotFound, so neither can be probed on its own."""
        canonical = normalize_reference(reference)
        submission = None
        if canonical is not None:
            submission = self.session.scalar(
                select(Submission).where(Submission.reference == canonical)
            )
        stored = submission.access_code_hash if submission is not None else None
        if submission is None or stored is None:
            raise NotFound("no such submission")
        if not verify_access_code(access_code, submission.reference, stored):
            raise NotFound("no such submission")
        return submission

    def list_for_user(self, user_id: str) -> list[Submission]:
        """The user's submissions, newest first."""
        query = (
            select(Submission)
            .where(Submission.applicant_user_id == user_id)
            .order_by(Submission.submitted_at.desc(), Submission.id.desc())
        )
        return list(self.session.scalars(query))

    def events_of(self, submission: Submission) -> list[Event]:
        return events.for_submission(self.session, submission.id)

    def answers_of(self, submission: Submission) -> dict[str, Any]:
        """The submission's answers with sensitive values decrypted."""
        loaded = DefinitionStore(self.session).load(submission.definition_version_id)
        return self.cipher.decrypt(submission.answers, loaded.definition.sensitive_paths())
