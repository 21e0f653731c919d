"""Asking for documents: a receipt when an application is submitted, and the documents a
state lists in ``issues`` when a case enters it. Each request is an outbox item written
in the transaction of the event that causes it; the worker renders, signs and stores the
document off the request path, once per (submission, document, visit of the state)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.definitions.models import Definition
from engine.documents.models import Document
from engine.storage import outbox
from engine.storage.models import Submission

ISSUE = "issue_document"  # the outbox kind
RECEIPT = "receipt"  # the document issued on submission, when the procedure declares it


def on_submitted(
    session: Session, definition: Definition, submission: Submission, now: datetime
) -> None:
    if RECEIPT in definition.documents:
        _ask(session, submission, RECEIPT, now)


def on_entered(
    session: Session, definition: Definition, submission: Submission, now: datetime
) -> None:
    for name in definition.workflow.states[submission.state].issues:
        _ask(session, submission, name, now)


def of_submission(session: Session, submission: Submission) -> list[Document]:
    """The documents issued for the submission so far, oldest first."""
    query = (
        select(Document)
        .where(Document.submission_id == submission.id)
        .order_by(Document.issued_at, Document.id)
    )
    return list(session.scalars(query))


def pending(session: Session, submission: Submission) -> list[str]:
    """Names of the documents asked for and not issued yet ("being prepared")."""
    item = outbox.OutboxItem
    query = select(item.payload).where(
        item.kind == ISSUE, item.payload["submission_id"].as_integer() == submission.id
    )
    return [str(payload["name"]) for payload in session.scalars(query)]


def _ask(session: Session, submission: Submission, name: str, now: datetime) -> None:
    payload = {
        "submission_id": submission.id,
        "name": name,
        "round": submission.state_round,
        "language": submission.language,
    }
    outbox.enqueue(session, ISSUE, payload, now=now)
