"""Running a procedure's workflow on its submissions: transitions, votes, corrections,
timers, due dates, assignment and messages. Everything in the caller's transaction, and
every change recorded in the audit log with the applicant's notification in the outbox.

Concurrency: each change says which ``row_version`` of the case its actor saw; if the
case changed since (or changes under it on PostgreSQL), StaleSubmission, nothing saved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from engine.answers import from_jsonable
from engine.definitions.models import Definition, Transition
from engine.documents import requests as documents
from engine.storage import events, outbox
from engine.storage.crypto import AnswerCipher
from engine.storage.definitions import DefinitionStore
from engine.storage.errors import StaleSubmission
from engine.storage.models import NO_DUE_DATE, Submission, utcnow
from engine.workflow.calendar import BusinessCalendar
from engine.workflow.clock import StateEntry, processing_due, timer_due, tokyo_date
from engine.workflow.models import Timer, Vote
from engine.workflow.rules import SYSTEM, Actor, Case, Refused, available, check, find

MAX_AUTOMATIC_STEPS = 20  # automatic transitions in a row; more is a loop in the definition
NOTIFY = "notify_applicant"  # the outbox kind of a mail to the applicant
NOTIFY_STAFF = "notify_staff"  # ...and of a mail to the office (the applicant wrote)


@dataclass(frozen=True)
class Outcome:
    """What a step did: the state the case is in now, and whether it moved."""

    state: str
    moved: bool
    vote: str | None = None  # the role the actor voted as, for steps that need approvals


@dataclass(frozen=True)
class _Step:
    transition: Transition
    target: str
    actor: Actor
    comment: str | None = None
    correction_fields: list[str] | None = None


@dataclass(frozen=True)
class _Ballot:
    actor: Actor
    role: str
    decision: str
    comment: str | None


class WorkflowService:
    def __init__(
        self,
        session: Session,
        cipher: AnswerCipher,
        calendar: BusinessCalendar,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.session = session
        self.cipher = cipher
        self.calendar = calendar
        self.clock = clock

    def definition_of(self, submission: Submission) -> Definition:
        return DefinitionStore(self.session).load(submission.definition_version_id).definition

    def case(self, submission: Submission, action: str | None = None) -> Case:
        definition = self.definition_of(submission)
        stored = self.cipher.decrypt(submission.answers, definition.sensitive_paths())
        return Case(
            state=submission.state,
            applicant_user_id=submission.applicant_user_id,
            last_actor=submission.last_actor,
            answers=from_jsonable(definition, stored),
            voted_roles=self._voted_roles(submission, action) if action else frozenset(),
        )

    def available(self, submission: Submission, actor: Actor) -> list[Transition]:
        """The steps ``actor`` may take now: the buttons to show."""
        definition = self.definition_of(submission)
        case = self.case(submission)
        allowed = []
        for transition in available(definition, case, actor, today=self._today()):
            if transition.approvals is not None:
                voted = self._voted_roles(submission, transition.action)
                if all(role in voted for role in transition.approvals.from_ if role in actor.roles):
                    continue
            allowed.append(transition)
        return allowed

    def start(self, submission: Submission) -> None:
        """Begin the workflow of a submission ``SubmissionService.submit`` just made: ask
        for its receipt and the start state's documents, set the start state's timers and
        take its automatic steps (most start states have neither)."""
        definition = self.definition_of(submission)
        now = self.clock()
        documents.on_submitted(self.session, definition, submission, now)
        documents.on_entered(self.session, definition, submission, now)
        if any(t.after or t.auto for t in definition.workflow.transitions):
            self._schedule(submission, definition)
            self._run_automatic(submission, definition)

    def act(  # noqa: PLR0913 -- keyword-only: what the clerk's form carries, by name
        self,
        submission: Submission,
        action: str,
        actor: Actor,
        *,
        expected_row_version: int,
        comment: str | None = None,
        decision: str = "approve",
        correction_fields: Sequence[str] | None = None,
    ) -> Outcome:
        """Take step ``action`` on the case as ``actor``: Refused with the reason if it may
        not be taken, StaleSubmission if the case changed since the actor looked."""
        self._expect(submission, expected_row_version)
        definition = self.definition_of(submission)
        transition = find(definition, action, submission.state)
        case = self.case(submission, action)
        role = check(transition, case, actor, comment=comment, today=self._today())
        comment = comment.strip() if comment and comment.strip() else None
        if transition.approvals is not None and role is not None:
            ballot = _Ballot(actor, role, decision, comment)
            return self._vote(submission, definition, transition, ballot)
        fields = list(correction_fields or []) or None
        self._move(submission, definition, _Step(transition, transition.to, actor, comment, fields))
        return Outcome(submission.state, moved=True)

    def fire_due_timers(self, now: datetime, limit: int = 100) -> int:
        """Fire the ``after:`` steps whose time has come; returns how many fired. Each
        timer row is deleted in the transaction that fires it: it fires once."""
        due = self.session.scalars(
            select(Timer)
            .where(Timer.due_at <= now)
            .order_by(Timer.due_at, Timer.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        fired = 0
        for timer in due:
            try:
                with self.session.begin_nested():
                    fired += self._fire(timer)
            except (Refused, StaleSubmission):
                # A clerk moved the case at this moment: the next round sees the new state
                # (and the timer is gone if it no longer applies). Other timers go on.
                continue
        return fired

    def _fire(self, timer: Timer) -> int:
        submission = self.session.get(Submission, timer.submission_id)
        self.session.execute(delete(Timer).where(Timer.id == timer.id))
        if submission is None or submission.state_round != timer.round:
            return 0  # the case moved on: the timer no longer applies
        definition = self.definition_of(submission)
        transition = find(definition, timer.action, submission.state)
        self._move(submission, definition, _Step(transition, transition.to, Actor(kind="system")))
        return 1

    # Moving the case

    def _move(self, submission: Submission, definition: Definition, step: _Step) -> None:
        transition, target, actor, comment = step.transition, step.target, step.actor, step.comment
        correction_fields = step.correction_fields
        now = self.clock()
        previous = submission.state
        # Before any change: reading the history must not flush half a step.
        due = self._due_on(submission, definition, extra=(now, target))
        with self._changing():
            submission.state = target
            submission.state_round += 1
            submission.state_entered_at = now
            submission.last_actor = actor.user_id or SYSTEM
            editable = definition.workflow.states[target].applicant_edits
            submission.correction_fields = correction_fields if editable else None
            submission.updated_at = now
            submission.due_on = due
        data: dict[str, Any] = {"action": transition.action, "from": previous, "to": target}
        if comment:
            data["comment"] = comment
        if correction_fields:
            data["fields"] = correction_fields
        self._schedule(submission, definition)
        documents.on_entered(self.session, definition, submission, now)
        if submission.applicant_user_id is not None:
            outbox.enqueue(
                self.session,
                NOTIFY,
                {"submission_id": submission.id, "kind": "state_changed", "state": target},
                now=now,
            )
        events.append(
            self.session,
            "state_changed",
            submission_id=submission.id,
            actor=actor.name,
            data=data,
            at=now,
        )
        self._run_automatic(submission, definition)

    def _run_automatic(self, submission: Submission, definition: Definition) -> None:
        for _ in range(MAX_AUTOMATIC_STEPS):
            case = self.case(submission)
            step = next(
                (
                    t
                    for t in available(definition, case, Actor(kind="system"), today=self._today())
                    if t.auto
                ),
                None,
            )
            if step is None:
                return
            self._move(submission, definition, _Step(step, step.to, Actor(kind="system")))
        raise RuntimeError(f"more than {MAX_AUTOMATIC_STEPS} automatic steps in a row")

    def _vote(
        self,
        submission: Submission,
        definition: Definition,
        transition: Transition,
        ballot: _Ballot,
    ) -> Outcome:
        actor, role, decision, comment = ballot.actor, ballot.role, ballot.decision, ballot.comment
        if decision not in ("approve", "reject"):
            raise ValueError(f"a vote approves or rejects, not {decision!r}")
        approvals = transition.approvals
        assert approvals is not None  # the caller checked  # noqa: S101 -- narrows the type
        with self._changing():
            self.session.add(
                Vote(
                    submission_id=submission.id,
                    action=transition.action,
                    round=submission.state_round,
                    role=role,
                    user_id=actor.user_id or "",
                    decision=decision,
                    comment=comment,
                    created_at=self.clock(),
                )
            )
            # Touching the case makes votes of two roles at once meet at its row_version.
            submission.updated_at = self.clock()
            flag_modified(submission, "updated_at")  # an UPDATE even at the same instant
        data = {"action": transition.action, "role": role, "decision": decision}
        if comment:
            data["comment"] = comment
        events.append(
            self.session,
            "vote",
            submission_id=submission.id,
            actor=actor.name,
            data=data,
            at=self.clock(),
        )
        if decision == "reject":
            if approvals.reject_to is not None:
                step = _Step(transition, approvals.reject_to, actor, comment)
                self._move(submission, definition, step)
                return Outcome(submission.state, moved=True, vote=role)
            return Outcome(submission.state, moved=False, vote=role)
        approved = self._approving_roles(submission, transition.action)
        need = approvals.need
        enough = (
            len(approved) >= 1
            if need == "any"
            else all(r in approved for r in approvals.from_)
            if need == "all"
            else len(approved) >= need
        )
        if enough:
            self._move(submission, definition, _Step(transition, transition.to, actor))
        return Outcome(submission.state, moved=enough, vote=role)

    # Helpers

    def _expect(self, submission: Submission, row_version: int) -> None:
        if submission.row_version != row_version:
            raise StaleSubmission("the case changed since you opened it")

    def _changing(self) -> AbstractContextManager[None]:
        return changing(self.session)

    def _today(self) -> date:
        return tokyo_date(self.clock())

    def _voted_roles(self, submission: Submission, action: str) -> frozenset[str]:
        votes = self.session.scalars(
            select(Vote.role).where(
                Vote.submission_id == submission.id,
                Vote.action == action,
                Vote.round == submission.state_round,
            )
        )
        return frozenset(votes)

    def _approving_roles(self, submission: Submission, action: str) -> set[str]:
        votes = self.session.scalars(
            select(Vote.role).where(
                Vote.submission_id == submission.id,
                Vote.action == action,
                Vote.round == submission.state_round,
                Vote.decision == "approve",
            )
        )
        return set(votes)

    def _schedule(self, submission: Submission, definition: Definition) -> None:
        """Timers for the ``after:`` steps out of the state just entered."""
        self.session.execute(delete(Timer).where(Timer.submission_id == submission.id))
        for transition in definition.workflow.transitions:
            if transition.after is None or submission.state not in transition.from_:
                continue
            due_at = timer_due(submission.state_entered_at, transition.after, self.calendar)
            self.session.add(
                Timer(
                    submission_id=submission.id,
                    action=transition.action,
                    round=submission.state_round,
                    due_at=due_at,
                )
            )

    def _due_on(
        self,
        submission: Submission,
        definition: Definition,
        extra: tuple[datetime, str] | None,
    ) -> date:
        if definition.processing_period is None:
            return NO_DUE_DATE
        entries = [
            (e.created_at, str(e.data["to"]))
            for e in events.for_submission(self.session, submission.id)
            if e.kind == "state_changed"
        ]
        if extra is not None:
            entries.append(extra)
        return due_on(definition, submission.submitted_at, entries, self.calendar)


@contextmanager
def changing(session: Session) -> Iterator[None]:
    """Change a case in a savepoint: if someone else changed it first (or cast the same
    role's vote), StaleSubmission, and the caller's transaction is still usable."""
    try:
        with session.begin_nested():
            yield
            session.flush()
    except (StaleDataError, IntegrityError):
        raise StaleSubmission("the case changed since you opened it") from None


def due_on(
    definition: Definition,
    submitted_at: datetime,
    entries: Sequence[tuple[datetime, str]],
    calendar: BusinessCalendar,
) -> date:
    """The last day of the processing period, given the states entered since submission
    (the start state is implied); NO_DUE_DATE if there is no period or the clock is
    paused now."""
    period = definition.processing_period
    if period is None:
        return NO_DUE_DATE
    states = definition.workflow.states
    start = definition.workflow.start
    history = [
        StateEntry(at, state, states[state].clock != "running")
        for at, state in [(submitted_at, start), *entries]
    ]
    due = processing_due(submitted_at, period, history, calendar).due
    return due if due is not None else NO_DUE_DATE


__all__ = ["Outcome", "Refused", "WorkflowService"]
