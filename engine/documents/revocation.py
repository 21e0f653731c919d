"""Revoking an issued document: it stays downloadable and its signature stays intact, but
the verification page (and anyone checking the code) is told it no longer stands.

Who may revoke a document: an admin, or a clerk of the case's department holding a role
that may take a step into a state that issues it -- whoever may decide may take the
decision back. A receipt, issued on submission by nobody's step, only an admin.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

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
    """The roles that may revoke document ``name`` of this procedure."""
    states = definition.workflow.states
    roles: set[str] = set()
    for transition in definition.workflow.transitions:
        if name not in states[transition.to].issues:
            continue
        roles.update(transition.by)
        if transition.approvals is not None:
            roles.update(transition.approvals.from_)
    return frozenset(roles)


def may_revoke(
    definition: Definition, document: Document, roles: Collection[str], *, is_admin: bool
) -> bool:
    if document.revoked_at is not None:
        return False
    return is_admin or any(role in roles for role in revoking_roles(definition, document.name))


def revoke(session: Session, document: Document, *, actor: str, reason: str, now: datetime) -> None:
    """Revoke ``document`` for ``reason``, recorded in the audit log with ``actor``; an
    applicant with an account hears of it by mail. The caller checked ``may_revoke``;
    Refused when it is revoked already or no reason is given."""
    reason = reason.strip()[:MAX_REASON]
    if document.revoked_at is not None:
        raise Refused("already_revoked")
    if not reason:
        raise Refused("reason_required")
    document.revoked_at = now
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
