"""Revoking an issued document: it stays downloadable and its signature stays intact, but
the verification page (and anyone checking the code) is told it no longer stands.

Who may revoke a document: an admin, or a clerk of the case's department holding a role
that may take a step into a state that issues it -- whoever may decide may take the
decision back. A receipt, issued on submission by nobody's step, only an admin.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from engine.definitions.models import Definition
from engine.documents.models import Document
from engine.storage import events, outbox
from engine.storage.models import Submission
from engine.workflow.rules import Refused
from engine.workflow.service import NOTIFY

REVOKED = "document_revoked"  # the audit log's kind
MAX_REASON = 2000


def revoking_roles(definition: Definition, name: str) -> frozenset[str]:
    """The roles that may revoke document ``name`` of this procedure: those that may take a
    step into a state issuing it, by their own hand or by their votes (either way)."""
    states = definition.workflow.states
    roles: set[str] = set()
    for transition in definition.workflow.transitions:
        if name in states[transition.to].issues:
            roles.update(transition.by)
        approvals = transition.approvals
        if approvals is None:
            continue
        targets = [transition.to] + ([approvals.reject_to] if approvals.reject_to else [])
        if any(name in states[target].issues for target in targets):
            roles.update(approvals.from_)
    return frozenset(roles)


def may_revoke(
    definition: Definition, document: Document, roles: Collection[str], *, is_admin: bool
) -> bool:
    if document.revoked_at is not None:
        return False
    return is_admin or any(role in roles for role in revoking_roles(definition, document.name))


def revoke(  # noqa: PLR0913 -- keyword-only: who revokes, why and when, by name
    session: Session,
    document: Document,
    definition: Definition,
    *,
    roles: Collection[str],
    is_admin: bool,
    actor: str,
    reason: str,
    now: datetime,
) -> None:
    """Revoke ``document`` (of a submission of ``definition``) for ``reason``, as ``actor``
    holding ``roles`` in the case's department: recorded in the audit log, and an applicant
    with an account hears of it by mail. Refused when it is revoked already (also by
    someone else meanwhile), when the actor may not, or when no reason is given."""
    if document.revoked_at is not None:
        raise Refused("already_revoked")
    if not may_revoke(definition, document, roles, is_admin=is_admin):
        raise Refused("not_your_role")
    reason = reason.strip()[:MAX_REASON]
    if not reason:
        raise Refused("reason_required")
    # Only the first of two clerks revoking at once changes the row (READ COMMITTED too).
    still_valid = (Document.id == document.id) & Document.revoked_at.is_(None)
    revoked = session.execute(update(Document).where(still_valid).values(revoked_at=now))
    if revoked.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE's CursorResult
        raise Refused("already_revoked")
    submission = session.get(Submission, document.submission_id)
    if submission is not None and submission.applicant_user_id is not None:
        payload = {"submission_id": submission.id, "kind": REVOKED}
        outbox.enqueue(session, NOTIFY, payload, now=now)
    events.append(
        session,
        REVOKED,
        submission_id=document.submission_id,
        actor=actor,
        data={"document": document.name, "code": document.code, "reason": reason},
        at=now,
    )
