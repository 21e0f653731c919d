"""Who may run which transition of a procedure's workflow, and why not.

Pure decisions over the definition and a snapshot of the case: the service applies them
inside a transaction, and the console asks the same functions which buttons to show, so
a clerk sees exactly the transitions the server would accept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from engine.definitions.models import APPLICANT, Definition, Transition
from engine.expressions.types import EvalContext

ActorKind = Literal["applicant", "clerk", "system"]
SYSTEM = "system"  # the actor of timers and automatic transitions


@dataclass(frozen=True)
class Actor:
    """Who acts: the applicant, a clerk with the roles they hold in the case's department,
    or the system (timers, automatic transitions)."""

    kind: ActorKind
    user_id: str | None = None  # None: an anonymous applicant, or the system
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def name(self) -> str:
        """How the audit log names this actor."""
        return self.user_id or ("anonymous" if self.kind == "applicant" else SYSTEM)


@dataclass(frozen=True)
class Case:
    """What the rules need to know about a submission."""

    state: str
    applicant_user_id: str | None
    last_actor: str | None
    answers: Mapping[str, Any]  # as validation returns them (dates are dates)
    voted_roles: frozenset[str] = frozenset()  # roles that voted on the action this round


# code: (HTTP status, Japanese reason, English reason). 403: not this actor's to take;
# 409: not now (the state, the answers or a colleague's vote); 422: the form is incomplete.
REASONS: dict[str, tuple[int, str, str]] = {
    "unknown_action": (404, "この操作はありません", "There is no such step"),
    "case_closed": (409, "この申請は完了しています", "This case is closed"),
    "wrong_state": (409, "今の状態ではこの操作はできません", "This step is not possible now"),
    "automatic": (403, "この操作は自動で行われます", "This step happens by itself"),
    "not_your_role": (403, "この操作の権限がありません", "Your role may not take this step"),
    "already_voted": (409, "あなたの役割は投票済みです", "Your role has already voted"),
    "own_submission": (
        403,
        "自分の申請は処理できません",
        "Nobody may act on their own submission",
    ),
    "four_eyes": (
        403,
        "前の操作をした人とは別の職員が行う必要があります",
        "A different member of staff must take this step: you took the previous one",
    ),
    "condition_not_met": (
        409,
        "申請内容がこの操作の条件を満たしません",
        "The answers do not allow this step",
    ),
    "comment_required": (422, "コメントを入力してください", "This step needs a comment"),
    "comment_not_allowed": (
        422,
        "この操作にはコメントを付けられません",
        "This step takes no comment",
    ),
    "not_editable": (
        409,
        "今の状態では申請内容を変更できません",
        "The answers cannot be changed now",
    ),
    "field_not_editable": (
        403,
        "変更できない項目が含まれています",
        "Some answers may not be changed",
    ),
    "already_revoked": (409, "この文書は取り消し済みです", "This document is already revoked"),
    "document_revoked": (410, "この文書は取り消されています", "This document has been revoked"),
    "reason_required": (422, "取り消す理由を入力してください", "Give the reason for revoking it"),
}


class Refused(Exception):  # noqa: N818 -- reads as what happened, like the storage errors
    """A step that may not be taken, with a machine ``code`` (a key of REASONS), its HTTP
    ``status`` and a reason for people in either language."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.status, self.reason_ja, self.reason_en = REASONS[code]
        super().__init__(self.reason_en)

    def reason(self, language: str) -> str:
        return self.reason_ja if language == "ja" else self.reason_en


def find(definition: Definition, action: str, state: str) -> Transition:
    """The transition ``action`` out of ``state`` (one action may leave several states
    by different transitions)."""
    named = [t for t in definition.workflow.transitions if t.action == action]
    if not named:
        raise Refused("unknown_action")
    if definition.workflow.states[state].final:
        raise Refused("case_closed")
    for transition in named:
        if state in transition.from_:
            return transition
    raise Refused("wrong_state")


def check(
    transition: Transition,
    case: Case,
    actor: Actor,
    *,
    comment: str | None,
    today: date,
) -> str | None:
    """Raise Refused unless ``actor`` may run ``transition`` on ``case`` now; return the
    role the actor votes with when the transition needs approvals (else None)."""
    role = _trigger(transition, case, actor)
    if actor.kind == "clerk" and actor.user_id is not None:
        if actor.user_id == case.applicant_user_id:
            raise Refused("own_submission")
        if transition.four_eyes and actor.user_id == case.last_actor:
            raise Refused("four_eyes")
    if transition.when is not None:
        holds = transition.when.evaluate(EvalContext(case.answers, today)) is True
        if not holds:
            raise Refused("condition_not_met")
    _check_comment(transition, comment)
    return role


def available(definition: Definition, case: Case, actor: Actor, *, today: date) -> list[Transition]:
    """The transitions ``actor`` may run on ``case`` now, in definition order; a comment
    rule is the form's to meet, so it does not hide a transition."""
    if definition.workflow.states[case.state].final:
        return []
    allowed = []
    for transition in definition.workflow.transitions:
        if case.state not in transition.from_:
            continue
        try:
            check(
                transition,
                case,
                actor,
                comment="x" if transition.comment != "none" else None,
                today=today,
            )
        except Refused:
            continue
        allowed.append(transition)
    return allowed


def _trigger(transition: Transition, case: Case, actor: Actor) -> str | None:
    if transition.after is not None or transition.auto:
        if actor.kind != "system":
            raise Refused("automatic")
        return None
    if transition.approvals is not None:
        if actor.kind != "clerk":
            raise Refused("not_your_role")
        roles = [r for r in transition.approvals.from_ if r in actor.roles]
        open_roles = [r for r in roles if r not in case.voted_roles]
        if not roles:
            raise Refused("not_your_role")
        if not open_roles:
            raise Refused("already_voted")
        return open_roles[0]
    if APPLICANT in transition.by and actor.kind == "applicant":
        return None
    if actor.kind == "clerk" and actor.roles & set(transition.by):
        return None
    raise Refused("not_your_role")


def _check_comment(transition: Transition, comment: str | None) -> None:
    given = bool(comment and comment.strip())
    if transition.comment == "required" and not given:
        raise Refused("comment_required")
    if transition.comment == "none" and given:
        raise Refused("comment_not_allowed")
