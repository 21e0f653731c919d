"""What happens around a case besides its steps: assignment, the conversation with the
applicant and internal notes, looking at sensitive answers, and the applicant's
corrections (補正). Each leaves an audit entry; messages to the applicant also a notice."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.answers import to_jsonable
from engine.definitions.models import Definition
from engine.storage import events, outbox
from engine.storage.crypto import AnswerCipher
from engine.storage.definitions import DefinitionStore
from engine.storage.errors import StaleSubmission
from engine.storage.models import Submission, utcnow
from engine.workflow.models import BODY_LENGTH, MESSAGE_KINDS, Message, Vote
from engine.workflow.rules import Actor, Refused
from engine.workflow.service import NOTIFY, NOTIFY_STAFF, changing

MASK = "••••"  # a sensitive answer in the history of changes


class CaseService:
    def __init__(
        self, session: Session, cipher: AnswerCipher, *, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.session = session
        self.cipher = cipher
        self.clock = clock

    # Assignment

    def assign(
        self, submission: Submission, assignee: str | None, actor: Actor, expected_row_version: int
    ) -> None:
        """Give the case to ``assignee`` (a clerk of its department: the caller checks),
        or to nobody. Claiming is assigning to oneself."""
        if submission.row_version != expected_row_version:
            raise StaleSubmission("the case changed since you opened it")
        previous = submission.assignee_user_id
        if previous == assignee:
            return
        with changing(self.session):
            submission.assignee_user_id = assignee
            submission.updated_at = self.clock()
        data = {"from": previous, "to": assignee}
        self._log(submission, "assigned", actor, data)

    # Messages and notes

    def post(self, submission: Submission, kind: str, actor: Actor, body: str) -> Message:
        """A message to or from the applicant, or an internal note (never shown to the
        applicant). ValueError for an empty or overlong body."""
        if kind not in MESSAGE_KINDS:
            raise ValueError(f"unknown message kind {kind!r}")
        text = body.strip()
        if not text or len(text) > BODY_LENGTH:
            raise ValueError(f"a message has 1 to {BODY_LENGTH} characters")
        now = self.clock()
        message = Message(
            submission_id=submission.id, kind=kind, author=actor.name, body=text, created_at=now
        )
        self.session.add(message)
        self.session.flush()
        digest = hashlib.sha256(text.encode()).hexdigest()
        self._log(submission, "message", actor, {"kind": kind, "id": message.id, "sha256": digest})
        payload = {"submission_id": submission.id, "kind": "message"}
        if kind == "to_applicant" and submission.applicant_user_id is not None:
            outbox.enqueue(self.session, NOTIFY, payload, now=now)
        if kind == "from_applicant":
            outbox.enqueue(self.session, NOTIFY_STAFF, payload, now=now)
        return message

    def messages(self, submission: Submission, *, internal: bool) -> list[Message]:
        """The conversation, oldest first; with the internal notes only for staff."""
        query = select(Message).where(Message.submission_id == submission.id)
        if not internal:
            query = query.where(Message.kind != "note")
        return list(self.session.scalars(query.order_by(Message.id)))

    def votes(self, submission: Submission) -> list[Vote]:
        query = select(Vote).where(Vote.submission_id == submission.id).order_by(Vote.id)
        return list(self.session.scalars(query))

    def sensitive_viewed(self, submission: Submission, actor: Actor, paths: list[str]) -> None:
        """Record that ``actor`` was shown these sensitive answers in clear."""
        self._log(submission, "sensitive_viewed", actor, {"paths": paths})

    # Corrections

    def amend(
        self,
        submission: Submission,
        answers: dict[str, Any],
        actor: Actor,
        expected_row_version: int,
    ) -> list[dict[str, Any]]:
        """Replace the answers with the applicant's corrected ones (validated by the
        caller with the case's definition version). Refused unless the state lets the
        applicant edit, and only the fields it (or the correction request) names changed.
        Returns the changes recorded: [{field, before, after}], sensitive values masked."""
        if submission.row_version != expected_row_version:
            raise StaleSubmission("the case changed since you opened it")
        definition = DefinitionStore(self.session).load(submission.definition_version_id)
        sensitive = definition.definition.sensitive_paths()
        editable = editable_fields(definition.definition, submission)
        if not editable:
            raise Refused("not_editable")
        before = self.cipher.decrypt(submission.answers, sensitive)
        after = to_jsonable(answers)
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        if any(field not in editable for field in changed):
            raise Refused("field_not_editable")
        if not changed:
            return []
        with changing(self.session):
            submission.answers = self.cipher.encrypt(after, sensitive)
            submission.updated_at = self.clock()
        changes = [
            {
                "field": field,
                "before": MASK if _is_sensitive(field, sensitive) else before.get(field),
                "after": MASK if _is_sensitive(field, sensitive) else after.get(field),
            }
            for field in changed
        ]
        self._log(submission, "answers_changed", actor, {"changes": changes})
        return changes

    # Helpers

    def _log(self, submission: Submission, kind: str, actor: Actor, data: dict[str, Any]) -> None:
        events.append(
            self.session,
            kind,
            submission_id=submission.id,
            actor=actor.name,
            data=data,
            at=self.clock(),
        )


def editable_fields(definition: Definition, submission: Submission) -> set[str]:
    """The top-level fields the applicant may change in the case's state now: what the
    correction request names, within what the state allows (pages stand for their fields)."""
    allowed = definition.workflow.states[submission.state].applicant_edits
    if allowed is False:
        return set()
    every = {f.id for page in definition.pages for f in page.fields}
    if allowed is True:
        permitted = every
    else:
        pages = {p.id: {f.id for f in p.fields} for p in definition.pages}
        permitted = set().union(*(pages.get(name, {name}) for name in allowed)) & every
    requested = submission.correction_fields
    return permitted & set(requested) if requested else permitted


def _is_sensitive(field: str, sensitive: list[str]) -> bool:
    return any(path == field or path.startswith((f"{field}.", f"{field}[")) for path in sensitive)
